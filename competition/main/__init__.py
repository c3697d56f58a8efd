"""The home page: what each role can do."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import views  # noqa: E402, F401
