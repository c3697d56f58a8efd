"""Log-in, log-out and password change pages."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import views  # noqa: E402, F401


@bp.before_app_request
def _force_password_change():
    """An account with an initial password must choose its own before it does anything else on the site."""
    from flask import redirect, request, url_for
    from flask_login import current_user

    exempt = {"auth.change_password", "auth.logout", "static"}
    if request.path.startswith("/api/") or request.endpoint in exempt:
        return None  # checked before the user is loaded: the big screen's poll stays one statement
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None
