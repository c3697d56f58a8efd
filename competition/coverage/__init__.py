"""Coverage pages: the provincial and university dashboards, the uncovered list, reports, offline imports."""

from flask import Blueprint

bp = Blueprint("coverage", __name__, url_prefix="/coverage")

from . import exports, imports, views  # noqa: E402, F401  (routes register on import)
