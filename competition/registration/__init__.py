"""What a staff member does on a phone: see open competitions, register, upload materials, withdraw."""

from flask import Blueprint

bp = Blueprint("registration", __name__, url_prefix="/my")

from . import views  # noqa: E402, F401
