"""Universities and departments."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..models import University, User
from . import audit

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{2,32}$")


def create_university(*, code: str, name: str, by: User | None) -> University:
    code, name = (code or "").strip(), (name or "").strip()
    problems = []
    if not CODE_RE.match(code):
        problems.append({"field": "code", "message": _("Use 2 to 32 letters, digits, - or _.")})
    if not name or len(name) > 100:
        problems.append({"field": "name", "message": _("Give a name of at most 100 characters.")})
    if problems:
        raise ValidationFailed(_("The university was not created."), details=problems)
    if db.session.scalar(select(University.id).where(University.code == code)):
        raise Conflict(_("A university with the code %(c)s exists already.", c=code), code="duplicate")
    university = University(code=code, name=name)
    db.session.add(university)
    db.session.flush()
    audit.record(
        "university.create",
        by=by,
        object_type="university",
        object_id=code,
        university_id=university.id,
        name=name,
    )
    return university
