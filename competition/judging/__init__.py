"""The organizer's judging pages: the panel, scoring progress, the live console and paper sheets."""

from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")

from . import console, panel, paper, progress  # noqa: E402, F401  (routes register on import)
