"""Words for enumeration values, in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "teaching_research": _l("Teaching & research post"),
    "admin_logistics": _l("Administrative & logistics post"),
    "other": _l("Other post"),
}
GENDER_LABELS = {"male": _l("Male"), "female": _l("Female")}
ROLE_LABELS = {
    "organizer": _l("Organizer"),
    "university_admin": _l("University union admin"),
    "judge": _l("Judge"),
    "staff": _l("Staff member"),
}

STATUS_LABELS = {
    "draft": _l("Draft"),
    "registration_open": _l("Registration open"),
    "registration_closed": _l("Registration closed"),
    "scoring": _l("Scoring"),
    "published": _l("Published"),
}


def label(table: dict, value) -> str:
    return str(table.get(value, value or "")) if value is not None else ""
