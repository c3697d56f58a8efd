"""Creating accounts."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import Forbidden, ValidationFailed
from ..extensions import db
from ..permissions import can_create_users
from ..services.accounts import RoleSpec, create_user
from . import bp
from .common import json_body, user_dict


def _role_specs(raw) -> list[RoleSpec]:
    if not isinstance(raw, list) or not all(
        isinstance(r, dict) and isinstance(r.get("role"), str) for r in raw
    ):
        raise ValidationFailed(
            _("roles must be a list of role objects."),
            details=[{"field": "roles", "message": _("roles must be a list of role objects.")}],
        )
    return [RoleSpec(role=r["role"], university=r.get("university"), staff_no=r.get("staff_no")) for r in raw]


@bp.post("/users")
@login_required
def create_user_account():
    if not can_create_users(current_user):
        raise Forbidden(_("You are not allowed to do this."))
    body = json_body()
    fields = {k: body.get(k) for k in ("username", "password", "display_name")}
    if not all(isinstance(v, str) or v is None for v in fields.values()):
        raise ValidationFailed(_("username, password and display_name must be text."))
    user = create_user(
        username=fields["username"] or "",
        password=fields["password"] or "",
        display_name=fields["display_name"] or "",
        roles=_role_specs(body.get("roles")),
        by=current_user,
    )
    db.session.commit()
    return jsonify(user_dict(user)), 201
