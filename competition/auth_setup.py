"""Flask-Login wiring: how a session finds its user, and what an anonymous request gets."""

from __future__ import annotations

from flask import jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager

from .database import is_db_int
from .extensions import db
from .models import User


def configure(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The user of a session or remember-me cookie holding ``User.get_id()``, "id:version".

        A disabled account, or a version older than the account's (it was disabled, or its password reset,
        since), loads no one: that request is anonymous and the page asks to log in again.
        """
        number, _sep, version = user_id.partition(":")
        if not (number.isascii() and number.isdigit() and version.isascii() and (version or "0").isdigit()):
            return None
        user = db.session.get(User, int(number)) if is_db_int(int(number)) else None
        if user is None or not user.enabled or user.session_version != int(version or "0"):
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            body = {"error": {"code": "not_authenticated", "message": _("Please log in."), "details": []}}
            return jsonify(body), 401
        return redirect(
            url_for("auth.login", next=request.full_path if request.query_string else request.path)
        )
