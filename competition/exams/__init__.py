"""Written tests (笔试): the staff member's sitting on a phone and the organizer's pages around it."""

from flask import Blueprint

bp = Blueprint("exams", __name__, url_prefix="/exams")

from . import organizer, sitting  # noqa: E402, F401  (routes register on import)
