"""Request parsing and serialisation shared by the API modules."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from ..errors import ServiceError, ValidationFailed
from ..models import RoleGrant, Staff, University, User
from ..pagination import Page


def json_body() -> dict:
    """The request's JSON object; anything else is a 400."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ServiceError(_("The request body must be a JSON object."), code="bad_request")
    return body


def uploaded_file():
    """The multipart ``file`` of an import; a missing one is a 422 naming the field."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed(
            _("Choose a file to import."),
            details=[{"field": "file", "message": _("Choose a file to import.")}],
        )
    return upload


def parse_bool(value: str | None, *, field: str, default: bool | None) -> bool | None:
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise ServiceError(_("%(field)s must be true or false.", field=field), code="bad_request")


def role_dict(grant: RoleGrant) -> dict:
    data = {"role": grant.role}
    if grant.university is not None:
        data["university"] = grant.university.code
    if grant.staff is not None:
        data["staff_no"] = grant.staff.staff_no
    return data


def user_dict(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": [role_dict(g) for g in user.roles],
        "must_change_password": user.must_change_password,
    }


def university_dict(university: University) -> dict:
    return {"code": university.code, "name": university.name}


def staff_dict(staff: Staff) -> dict:
    return {
        "staff_no": staff.staff_no,
        "name": staff.name,
        "department": staff.department.name,
        "category": staff.category,
        "gender": staff.gender,
        "birth_date": staff.birth_date.isoformat() if staff.birth_date else None,
        "title": staff.title,
        "phone": staff.phone,
        "active": staff.active,
    }


def page_dict(page: Page, serialise) -> dict:
    return {
        "items": [serialise(item) for item in page.items],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
    }
