"""The JSON API, version 1 (``../shared/API.md``): the same services as the pages."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth, competitions, coverage, exams, judging, materials, organisation, ping, results, users  # noqa: E402, F401  (routes)
