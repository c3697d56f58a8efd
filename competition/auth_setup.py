"""Flask-Login wiring: how a session finds its user, and what an anonymous request gets."""

from __future__ import annotations

from flask import jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager

from .extensions import db
from .models import User


def configure(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user and user.enabled else None

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            body = {"error": {"code": "not_authenticated", "message": _("Please log in."), "details": []}}
            return jsonify(body), 401
        return redirect(
            url_for("auth.login", next=request.full_path if request.query_string else request.path)
        )
