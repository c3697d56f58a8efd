"""Request parsing shared by the API modules (the JSON shapes are in ``serialise``)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from ..errors import ServiceError, ValidationFailed


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
