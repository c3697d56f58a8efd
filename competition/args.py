"""Query-string arguments shared by pages and the API: whole numbers, choices and the year of a report."""

from __future__ import annotations

from collections.abc import Container

from flask import request
from flask_babel import gettext as _

from .clock import local_today
from .database import is_db_int
from .errors import ServiceError

YEAR_RANGE = (2000, 2100)


def int_arg(name: str, *, lenient: bool = False) -> int | None:
    """A whole number from the query string, or None when absent. A malformed one (or one too large for the
    database) is a 400 for the API; pages pass ``lenient=True`` and ignore it, as a filter left empty."""
    value = (request.args.get(name) or "").strip()
    if value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if is_db_int(number):
        return number
    if lenient:
        return None
    raise ServiceError(_("%(field)s must be a whole number.", field=name), code="bad_request")


def choice_arg(name: str, choices: Container[str]) -> str | None:
    """One of ``choices``, or None for anything else (a page's filter)."""
    value = request.args.get(name)
    return value if value in choices else None


def year_arg() -> int:
    """``?year=``: this year by default; anything but a year from 2000 to 2100 is a 400."""
    value = request.args.get("year")
    if value in (None, ""):
        return local_today().year
    try:
        year = int(value)
    except ValueError:
        raise ServiceError(_("year must be a whole number."), code="bad_request") from None
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ServiceError(_("year must be a whole number."), code="bad_request")
    return year
