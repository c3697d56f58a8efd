"""Record state changes that matter in the audit log, and read it back (in the reader's scope, filtered).

The lines in words, with links, are in ``services.audit_log``; the Excel export in ``services.audit_export``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, String, and_, cast, func, or_, select

from ..audit_words import OBJECT_KINDS, STAFF_OBJECT, codes_of_group
from ..clock import local_zone
from ..errors import ServiceError
from ..extensions import db
from ..models import AuditLog, Competition, Entry, Round, Staff, University, User
from ..pagination import Page, PageRequest, fetch_page
from ..permissions import scope_audit_log


def record(
    action: str,
    *,
    by: User | None,
    object_type: str,
    object_id: str | int | None = None,
    university_id: int | None = None,
    **details,
) -> AuditLog:
    """Add one audit entry to the current transaction (it commits, or rolls back, with the change itself)."""
    entry = AuditLog(
        user_id=by.id if by is not None else None,
        username=by.username if by is not None else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        university_id=university_id,
        details=details,
    )
    db.session.add(entry)
    return entry


# --- reading ------------------------------------------------------------------------------------------------

GROUP_PREFIX = "group:"  # an action filter of a whole group: "group:entries"


@dataclass(frozen=True)
class AuditFilters:
    """What the log is narrowed to; every field empty means all of it.

    ``person``: who acted (part of a username or display name). ``action``: a code, or ``group:<key>``.
    ``object_kind`` (``audit_words.OBJECT_KINDS``) and ``object_text``: what the line is about (a
    competition's name, an entrant's name or 工号, a university's name or code, an account's name); text with
    no kind is looked for in all of them. ``date_from``/``date_to``: days in local time, both included.
    """

    person: str = ""
    action: str = ""
    object_kind: str = ""
    object_text: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def any(self) -> bool:
        return any(asdict(self).values())

    def count(self) -> int:
        """How many filters are set (an object kind with its text, or a date range, counts once)."""
        about, dates = self.object_kind or self.object_text, self.date_from or self.date_to
        return sum(1 for value in (self.person, self.action, about, dates) if value)

    def args(self) -> dict[str, str]:
        """The filters as query arguments (links to the export, to another page), empty ones left out."""
        values = {
            "person": self.person,
            "action": self.action,
            "object": self.object_kind,
            "q": self.object_text,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in values.items() if v}


def _day(args: Mapping, name: str) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError(
            _("Give the dates as year-month-day, e.g. 2026-11-25."), code="bad_request"
        ) from None


def read_filters(args: Mapping) -> AuditFilters:
    """The filters of a query string (``AuditFilters.args`` writes them). An unknown action or object kind
    is ignored; a malformed date is a 400. Dates given the wrong way round are swapped."""
    action = (args.get("action") or "").strip()
    if action.startswith(GROUP_PREFIX):
        action = action if codes_of_group(action.removeprefix(GROUP_PREFIX)) else ""
    kind = (args.get("object") or "").strip()
    start, end = _day(args, "from"), _day(args, "to")
    if start and end and start > end:
        start, end = end, start
    return AuditFilters(
        person=(args.get("person") or "").strip()[:100],
        action=action[:64],
        object_kind=kind if kind in OBJECT_KINDS else "",
        object_text=(args.get("q") or "").strip()[:100],
        date_from=start,
        date_to=end,
    )


def _utc(day: date) -> datetime:
    """The start of ``day`` in local time, as the naive UTC the log stores."""
    return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


def _ids_as_text(stmt: Select) -> Select:
    """``AuditLog.object_id`` is text: compare it with ids cast to text."""
    column = stmt.selected_columns[0]
    return stmt.with_only_columns(cast(column, String))


def _about_competitions(text: str):
    competitions = select(Competition.id).where(Competition.name.icontains(text, autoescape=True))
    entries = select(Entry.id).where(Entry.competition_id.in_(competitions))
    rounds = select(Round.id).where(Round.competition_id.in_(competitions))
    return or_(
        and_(AuditLog.object_type == "competition", AuditLog.object_id.in_(_ids_as_text(competitions))),
        and_(AuditLog.object_type == "entry", AuditLog.object_id.in_(_ids_as_text(entries))),
        and_(AuditLog.object_type == "round", AuditLog.object_id.in_(_ids_as_text(rounds))),
        and_(AuditLog.object_type == "score_sheet", AuditLog.details["round_id"].as_integer().in_(rounds)),
    )


def _about_people(text: str):
    people = select(Staff.id).where(or_(Staff.name.icontains(text, autoescape=True), Staff.staff_no == text))
    entries = select(Entry.id).where(Entry.staff_id.in_(people))
    return or_(
        and_(AuditLog.object_type == "entry", AuditLog.object_id.in_(_ids_as_text(entries))),
        and_(AuditLog.object_type == STAFF_OBJECT, AuditLog.object_id.in_(_ids_as_text(people))),
        and_(AuditLog.object_type == "score_sheet", AuditLog.details["entry_id"].as_integer().in_(entries)),
    )


def _about_universities(text: str):
    universities = select(University.id).where(
        or_(University.name.icontains(text, autoescape=True), University.code == text.upper())
    )
    return AuditLog.university_id.in_(universities)


def _about_accounts(text: str):
    accounts = select(User.id).where(
        or_(
            User.username.icontains(text, autoescape=True), User.display_name.icontains(text, autoescape=True)
        )
    )
    usernames = accounts.with_only_columns(User.username)
    return or_(
        and_(AuditLog.object_type == "user", AuditLog.object_id.in_(_ids_as_text(accounts))),
        AuditLog.details["judge"].as_string().in_(usernames),
    )


_ABOUT = {
    "competition": _about_competitions,
    "person": _about_people,
    "university": _about_universities,
    "account": _about_accounts,
}
# A kind chosen with no text: the lines whose object is of that kind.
_OF_KIND = {
    "competition": ("competition",),
    "person": ("entry", STAFF_OBJECT),
    "university": ("university",),
    "account": ("user",),
}


def audit_query(*, user: User, filters: AuditFilters | None = None) -> Select:
    """The audit lines in the user's scope (``permissions.scope_audit_log``) that pass ``filters``, newest
    first."""
    stmt = scope_audit_log(select(AuditLog), user)
    f = filters or AuditFilters()
    if f.person:
        named = select(User.id).where(User.display_name.icontains(f.person, autoescape=True))
        stmt = stmt.where(
            or_(AuditLog.username.icontains(f.person, autoescape=True), AuditLog.user_id.in_(named))
        )
    if f.action.startswith(GROUP_PREFIX):
        stmt = stmt.where(AuditLog.action.in_(codes_of_group(f.action.removeprefix(GROUP_PREFIX))))
    elif f.action:
        stmt = stmt.where(AuditLog.action == f.action)
    if f.object_text:
        kinds = [f.object_kind] if f.object_kind else list(_ABOUT)
        stmt = stmt.where(or_(*(_ABOUT[kind](f.object_text) for kind in kinds)))
    elif f.object_kind:
        stmt = stmt.where(AuditLog.object_type.in_(_OF_KIND[f.object_kind]))
    if f.date_from:
        stmt = stmt.where(AuditLog.at >= _utc(f.date_from))
    if f.date_to:
        stmt = stmt.where(AuditLog.at < _utc(f.date_to + timedelta(days=1)))
    return stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def count_entries(*, user: User, filters: AuditFilters | None = None) -> int:
    stmt = audit_query(user=user, filters=filters).order_by(None)
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def list_entries(*, user: User, page: PageRequest | None, filters: AuditFilters | None = None) -> Page:
    """One page of the audit log in the user's scope, filtered, newest first (``page=None``: all of it)."""
    return fetch_page(audit_query(user=user, filters=filters), page)
