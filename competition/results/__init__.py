"""Results: the organizer's live leaderboard, publication (公示), the big screen, certificates and their
public verification, the results workbook."""

from flask import Blueprint

bp = Blueprint("results", __name__, url_prefix="/results")

from . import boards, certificates, screen  # noqa: E402, F401  (routes register on import)
