"""Offline participations: import from Excel or CSV, all or nothing; a person's participation in a year."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select

from ..clock import local_today
from ..domain.participations import (
    EventSummary,
    ParticipationRow,
    event_summaries,
    parse_participations,
    plan_digest,
    plan_participations,
)
from ..enums import EntryStatus
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..models import Competition, Department, Entry, OfflineParticipation, Staff, University, User
from . import audit
from .coverage import covered_ids
from .messages import row_error_message

PREVIEW_LIMIT = 200


@dataclass(frozen=True)
class PreviewRow:
    """A row of the file with the person's name and department as on the roster."""

    row: ParticipationRow
    name: str
    department: str


@dataclass
class ParticipationImport:
    """What an import adds (or, in a dry run, would add); the lists hold the first PREVIEW_LIMIT of each."""

    created: int
    skipped: int  # rows already imported before, not added again
    people: int  # distinct staff in the rows to add
    event_count: int
    # Per year of the rows to add: staff who have no counted participation that year yet.
    newly_covered: dict[int, int]
    digest: str
    dry_run: bool
    events: list[EventSummary] = field(default_factory=list)
    preview_create: list[PreviewRow] = field(default_factory=list)
    preview_skipped: list[PreviewRow] = field(default_factory=list)


class PreviewOutdated(Conflict):
    """The participations stored changed since the preview: nothing written; ``preview`` is the new one."""

    code = "preview_outdated"

    def __init__(self, message: str, preview: ParticipationImport):
        super().__init__(message)
        self.preview = preview


def _rejection(errors) -> ValidationFailed:
    details = [{"row": e.row, "column": e.column, "message": row_error_message(e)} for e in errors]
    return ValidationFailed(
        ngettext(
            "The file was not imported: %(num)d problem was found. Nothing was changed.",
            "The file was not imported: %(num)d problems were found. Nothing was changed.",
            len(details),
        ),
        details=details,
    )


def _newly_covered(
    university: University, rows: list[ParticipationRow], ids: dict[str, int]
) -> dict[int, int]:
    by_year: dict[int, set[int]] = {}
    for row in rows:
        by_year.setdefault(row.date.year, set()).add(ids[row.staff_no])
    result = {}
    for year, staff_ids in sorted(by_year.items()):
        covered = covered_ids(year, university.id)
        already = set(db.session.scalars(select(covered.c.staff_id)))
        result[year] = len(staff_ids - already)
    return result


def _preview_rows(
    rows: list[ParticipationRow], people: dict[str, tuple[int, str, str, bool]]
) -> list[PreviewRow]:
    return [PreviewRow(r, people[r.staff_no][1], people[r.staff_no][2]) for r in rows[:PREVIEW_LIMIT]]


def run_import(
    *,
    university: University,
    data: bytes,
    filename: str,
    by: User | None,
    dry_run: bool,
    expected_digest: str | None = None,
) -> ParticipationImport:
    """Check every row first (one bad row rejects the file); rows already imported are not doubled.

    A dry run writes nothing. A confirmation passes the preview's ``expected_digest``: PreviewOutdated, and
    nothing written, if the rows to add are no longer those previewed.
    """
    people = {
        r[0]: tuple(r[1:])
        for r in db.session.execute(
            select(Staff.staff_no, Staff.id, Staff.name, Department.name, Staff.active)
            .join(Department, Staff.department_id == Department.id)
            .where(Staff.university_id == university.id)
        )
    }
    parsed = parse_participations(
        data,
        filename,
        today=local_today(),
        roster={no: p[3] for no, p in people.items()},
        max_bytes=current_app.config["ROSTER_MAX_BYTES"],
    )
    if not parsed.ok:
        raise _rejection(parsed.errors)
    known = set(
        db.session.execute(
            select(Staff.staff_no, OfflineParticipation.event, OfflineParticipation.date)
            .join(Staff, OfflineParticipation.staff_id == Staff.id)
            .where(OfflineParticipation.university_id == university.id)
        ).all()
    )
    plan = plan_participations(known, parsed)
    ids = {no: p[0] for no, p in people.items()}
    events = event_summaries(plan.create)
    result = ParticipationImport(
        created=len(plan.create),
        skipped=len(plan.already),
        people=len({r.staff_no for r in plan.create}),
        event_count=len(events),
        newly_covered=_newly_covered(university, plan.create, ids) if dry_run else {},
        digest=plan_digest(plan),
        dry_run=dry_run,
        events=events[:PREVIEW_LIMIT],
        preview_create=_preview_rows(plan.create, people),
        preview_skipped=_preview_rows(plan.already, people),
    )
    if dry_run:
        return result
    if expected_digest is not None and expected_digest != result.digest:
        result.dry_run = True
        result.newly_covered = _newly_covered(university, plan.create, ids)
        raise PreviewOutdated(
            _(
                "The participations stored have changed since this preview. Nothing was imported: "
                "check the new preview."
            ),
            result,
        )
    if plan.create:
        db.session.execute(
            insert(OfflineParticipation.__table__),
            [
                {
                    "university_id": university.id,
                    "staff_id": ids[row.staff_no],
                    "event": row.event,
                    "date": row.date,
                    "year": row.date.year,
                    "imported_by_id": by.id if by else None,
                }
                for row in plan.create
            ],
        )
    audit.record(
        "participation.import",
        by=by,
        object_type="university",
        object_id=university.code,
        university_id=university.id,
        filename=filename,
        created=len(plan.create),
        rows=len(parsed.rows),
    )
    return result


def import_participations(*, university: University, data: bytes, filename: str, by: User | None) -> int:
    """Import a file at once (the API): the number of participations added."""
    return run_import(university=university, data=data, filename=filename, by=by, dry_run=False).created


def participation_of(*, staff: Staff, year: int) -> dict:
    """A staff member's own page: their entries in the year's competitions and their offline events."""
    entries = db.session.scalars(
        select(Entry)
        .join(Competition, Entry.competition_id == Competition.id)
        .where(Entry.staff_id == staff.id, Competition.year == year)
        .order_by(Entry.created_at)
    ).all()
    offline = db.session.scalars(
        select(OfflineParticipation)
        .where(OfflineParticipation.staff_id == staff.id, OfflineParticipation.year == year)
        .order_by(OfflineParticipation.date)
    ).all()
    covered = any(e.status == EntryStatus.APPROVED for e in entries) or bool(offline)
    return {"entries": list(entries), "offline": list(offline), "covered": covered and staff.active}
