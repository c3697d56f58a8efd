"""Creating accounts."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import Forbidden, ValidationFailed
from ..permissions import can_create_users
from ..services.accounts import RoleSpec, create_user
from . import bp
from .common import json_body
from .serialise import user_dict


def _is_role_object(r) -> bool:
    # A university or staff_no that is not text would reach the queries as another type (PostgreSQL refuses).
    return (
        isinstance(r, dict)
        and isinstance(r.get("role"), str)
        and all(isinstance(r.get(k), str | None) for k in ("university", "staff_no"))
    )


def _role_specs(raw) -> list[RoleSpec]:
    if not isinstance(raw, list) or not all(_is_role_object(r) for r in raw):
        raise ValidationFailed(
            _("roles must be a list of role objects."),
            details=[{"field": "roles", "message": _("roles must be a list of role objects.")}],
        )
    specs = [
        RoleSpec(role=r["role"], university=r.get("university"), staff_no=r.get("staff_no")) for r in raw
    ]
    # The same role given twice is that role once (twice would break the grant's unique constraint).
    return list(dict.fromkeys(specs))


@bp.post("/users")
@login_required
def create_user_account():
    if not can_create_users(current_user):
        raise Forbidden(_("You are not allowed to do this."))
    body = json_body()
    fields = {k: body.get(k) for k in ("username", "password", "display_name")}
    not_text = [k for k, v in fields.items() if not (isinstance(v, str) or v is None)]
    if not_text:
        message = _("username, password and display_name must be text.")
        raise ValidationFailed(message, details=[{"field": k, "message": message} for k in not_text])
    user = create_user(
        username=fields["username"] or "",
        password=fields["password"] or "",
        display_name=fields["display_name"] or "",
        roles=_role_specs(body.get("roles")),
        by=current_user,
    )
    return jsonify(user_dict(user)), 201
