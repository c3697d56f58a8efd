"""The judge's tablet: the score-sheet page and its service worker (the work itself goes through the API)."""

from flask import Blueprint

bp = Blueprint("judge", __name__, url_prefix="/judge")

from . import views  # noqa: E402, F401  (routes register on import)
