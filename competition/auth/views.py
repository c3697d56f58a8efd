"""Log-in, log-out and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import ServiceError, ValidationFailed
from ..extensions import limiter
from ..feedback import flash_refusal
from ..services import accounts, audit
from . import bp
from .forms import LoginForm, PasswordForm


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, never a scheme (open-redirect guard)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data, form.password.data)
        except ServiceError as refusal:  # a disabled account: the service says so in words
            flash(refusal.message, "danger")
            return render_template("auth/login.html", form=form)
        if user is None:
            flash(_("Wrong username or password."), "danger")
        else:
            login_user(user, remember=form.remember.data)
            audit.record("user.login", by=user, object_type="user", object_id=user.id)
            if user.must_change_password:
                flash(_("Please choose your own password before you go on."), "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(user=current_user, current=form.current.data, new=form.new.data)
        except ValidationFailed as error:
            flash_refusal(error.message)
        else:
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
