"""The roster: import from Excel, the staff list, and staff accounts."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import person, views  # noqa: E402, F401
