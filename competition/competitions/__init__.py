"""Competitions for organizers and university admins: set-up, life cycle, entries and the draw."""

from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/competitions")

from . import entries, views  # noqa: E402, F401  (routes register on import)
