"""Approving several entries at once (批量通过): a single approval's checks over them all, all or none."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..domain import lifecycle
from ..domain.quota import SelectionLine, selection_lines
from ..enums import EntryStatus
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..models import Competition, Entry, University
from ..models._base import utcnow
from ..models.accounts import User
from .registration import lock_competition, mark_approved

BULK_LIMIT = 500  # entries approved in one request: a page of the list at its largest


def approved_counts(competition: Competition, university_ids: Iterable[int]) -> dict[int, int]:
    """Approved entries per university of ``university_ids``, in one grouped query."""
    wanted = set(university_ids)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Entry.university_id, func.count())
        .where(
            Entry.competition_id == competition.id,
            Entry.university_id.in_(wanted),
            Entry.status == EntryStatus.APPROVED,
        )
        .group_by(Entry.university_id)
    )
    return {university_id: n for university_id, n in rows}


@dataclass(frozen=True)
class SelectionCheck:
    """What approving a selection would do: a line per university, and every reason it may not be done."""

    entries: list[Entry]
    lines: list[tuple[University, SelectionLine]]
    problems: list[dict]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_selection(*, competition: Competition, entries: list[Entry]) -> SelectionCheck:
    """The checks of a single approval applied to a selection as a whole, without changing anything.

    The competition must accept decisions, every entry must still be pending, and each university's part
    must fit in the places it has left. ``problems`` are ``{"field", "message"}`` with the numbers.
    """
    problems: list[dict] = []
    if not entries:
        problems.append({"field": "entry_ids", "message": _("Select at least one pending entry.")})
    elif len(entries) > BULK_LIMIT:
        problems.append(
            {
                "field": "entry_ids",
                "message": _("At most %(n)d entries can be approved at once.", n=BULK_LIMIT),
            }
        )
    if not lifecycle.accepts_decisions(competition.status):
        problems.append(
            {
                "field": "status",
                "message": _("Entries can be approved only while registration is open or just closed."),
            }
        )
    decided = [e for e in entries if e.status != EntryStatus.PENDING]
    if decided:
        problems.append(
            {
                "field": "status",
                "message": _(
                    "No longer pending (%(n)d of the selection): %(names)s.",
                    n=len(decided),
                    names="、".join(e.staff.name for e in decided),
                ),
            }
        )
    universities = {e.university_id: e.university for e in entries}
    selected = Counter(e.university_id for e in entries if e.status == EntryStatus.PENDING)
    approved = approved_counts(competition, selected)
    lines = selection_lines(competition.quota_per_university, approved, dict(selected))
    for line in lines:
        if not line.fits:
            problems.append(
                {
                    "field": "quota",
                    "message": _(
                        "%(university)s: selected %(selected)d, places left %(left)d "
                        "(approved %(approved)d of a quota of %(quota)d).",
                        university=universities[line.key].name,
                        selected=line.selected,
                        left=line.use.left,
                        quota=line.use.quota,
                        approved=line.use.approved,
                    ),
                }
            )
    return SelectionCheck(entries, [(universities[line.key], line) for line in lines], problems)


def approve_many(*, competition: Competition, entries: list[Entry], by: User) -> SelectionCheck:
    """Approve every entry of the selection, or none: the single approval's checks (state, pending, quota)
    over the whole selection, under the competition's lock; each approval audited as a single one is.

    Whom ``by`` may decide on is settled before (loaded through ``entries.entries_by_ids``, then
    ``permissions.can_decide``). Returns the check made, with the places left before approving.
    """
    lock_competition(competition)
    if entries:  # read the statuses again under the lock: a colleague may have decided meanwhile
        db.session.scalars(
            select(Entry)
            .where(Entry.id.in_([e.id for e in entries]))
            .execution_options(populate_existing=True)
        ).all()
    check = check_selection(competition=competition, entries=entries)
    if not check.ok:
        fields = {p["field"] for p in check.problems}
        reasons = " ".join(p["message"] for p in check.problems)
        message = _("Nothing was approved: %(reasons)s", reasons=reasons)
        if "entry_ids" in fields:
            raise ValidationFailed(message, details=check.problems)
        if "status" in fields:
            raise Conflict(message, code="wrong_state", details=check.problems)
        raise ValidationFailed(message, code="not_eligible", details=check.problems)
    now = utcnow()
    for entry in entries:
        mark_approved(entry, by=by, now=now)
    return check
