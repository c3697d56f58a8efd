"""Universities, roster import and the staff list."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..enums import ImportMode, PostCategory, Role
from ..errors import ValidationFailed
from ..pagination import page_request
from ..permissions import managed_university_or_404, role_required, visible_universities
from ..services import organisation, roster, staff
from . import bp
from .common import json_body, parse_bool, uploaded_file
from .serialise import page_dict, staff_dict, university_dict


@bp.get("/universities")
@login_required
def list_universities():
    return jsonify([university_dict(u) for u in visible_universities(current_user)])


@bp.post("/universities")
@role_required(Role.ORGANIZER)
def create_university():
    body = json_body()
    # A value that is not text is as invalid as a missing one: the service lists it with its field.
    code, name = (v if isinstance(v, str) else "" for v in (body.get("code"), body.get("name")))
    university = organisation.create_university(code=code, name=name, by=current_user)
    return jsonify(university_dict(university)), 201


@bp.post("/universities/<code>/roster")
@login_required
def import_roster(code: str):
    university = managed_university_or_404(code, current_user)
    upload = uploaded_file()
    result = roster.import_roster(
        university=university,
        data=upload.read(),
        filename=upload.filename,
        mode=request.form.get("mode", ImportMode.MERGE),
        dry_run=bool(parse_bool(request.form.get("dry_run"), field="dry_run", default=False)),
        by=current_user,
    )
    return jsonify(result.to_dict())


@bp.get("/universities/<code>/staff")
@login_required
def list_staff(code: str):
    university = managed_university_or_404(code, current_user)
    category = request.args.get("category") or None
    if category is not None and category not in set(PostCategory):
        raise ValidationFailed(
            _("Unknown post category."),
            details=[{"field": "category", "message": _("Unknown post category.")}],
        )
    filters = staff.StaffFilters(
        category=category,
        department=request.args.get("department") or None,
        q=request.args.get("q") or None,
        active=parse_bool(request.args.get("active"), field="active", default=None),
    )
    page = staff.list_staff(university=university, filters=filters, page=page_request(request.args))
    return jsonify(page_dict(page, staff_dict))
