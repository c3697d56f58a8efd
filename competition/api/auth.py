"""Session authentication: CSRF token, log-in, log-out, and who am I."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from ..errors import ServiceError, Unauthorized
from ..extensions import limiter
from ..services import accounts, audit
from . import bp
from .common import json_body
from .serialise import user_dict


@bp.get("/auth/csrf")
def csrf_token():
    return jsonify({"csrf_token": generate_csrf()})


@bp.post("/auth/login")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def login():
    body = json_body()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ServiceError(_("Give a username and a password."), code="bad_request")
    user = accounts.authenticate(username, password)
    if user is None:
        raise Unauthorized(_("Wrong username or password."), code="invalid_credentials")
    login_user(user)
    audit.record("user.login", by=user, object_type="user", object_id=user.id)
    return jsonify(user_dict(user))


@bp.post("/auth/logout")
def logout():
    logout_user()
    return "", 204


@bp.get("/me")
@login_required
def me():
    return jsonify(user_dict(current_user))
