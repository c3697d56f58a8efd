"""Checks for views: a role decorator and ``require`` for a predicate that must hold (403 otherwise)."""

from __future__ import annotations

from functools import wraps

from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..enums import Role
from ..errors import Forbidden


def require(allowed: bool, message: str | None = None) -> None:
    """Refuse with 403 unless ``allowed`` (the result of a ``can_*`` predicate)."""
    if not allowed:
        raise Forbidden(message or _("You are not allowed to do this."))


def role_required(*roles: Role | str):
    """Require one of ``roles``; 403 otherwise (the login requirement comes first, so anonymous is 401)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(any(current_user.has_role(r) for r in roles))
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator
