"""Offline participations: import from Excel or CSV, all or nothing; a person's participation in a year."""

from __future__ import annotations

from flask import current_app
from flask_babel import ngettext
from sqlalchemy import insert, select

from ..clock import local_today
from ..domain.participations import parse_participations
from ..enums import EntryStatus
from ..errors import ValidationFailed
from ..extensions import db
from ..models import Competition, Entry, OfflineParticipation, Staff, University, User
from . import audit
from .messages import row_error_message


def import_participations(*, university: University, data: bytes, filename: str, by: User | None) -> int:
    """Every row is checked first; one bad row rejects the file. Rows already imported are not doubled."""
    roster = dict(
        db.session.execute(
            select(Staff.staff_no, Staff.active).where(Staff.university_id == university.id)
        ).all()
    )
    parsed = parse_participations(
        data, filename, today=local_today(), roster=roster, max_bytes=current_app.config["ROSTER_MAX_BYTES"]
    )
    if not parsed.ok:
        details = [{"row": e.row, "column": e.column, "message": row_error_message(e)} for e in parsed.errors]
        raise ValidationFailed(
            ngettext(
                "The file was not imported: %(num)d problem was found. Nothing was changed.",
                "The file was not imported: %(num)d problems were found. Nothing was changed.",
                len(details),
            ),
            details=details,
        )
    ids = dict(
        db.session.execute(select(Staff.staff_no, Staff.id).where(Staff.university_id == university.id)).all()
    )
    known = set(
        db.session.execute(
            select(
                OfflineParticipation.staff_id, OfflineParticipation.event, OfflineParticipation.date
            ).where(OfflineParticipation.university_id == university.id)
        ).all()
    )
    new = []
    for row in parsed.rows:
        key = (ids[row.staff_no], row.event, row.date)
        if key not in known:
            known.add(key)
            new.append(
                {
                    "university_id": university.id,
                    "staff_id": key[0],
                    "event": row.event,
                    "date": row.date,
                    "year": row.date.year,
                    "imported_by_id": by.id if by else None,
                }
            )
    if new:
        db.session.execute(insert(OfflineParticipation.__table__), new)
    audit.record(
        "participation.import",
        by=by,
        object_type="university",
        object_id=university.code,
        university_id=university.id,
        filename=filename,
        created=len(new),
        rows=len(parsed.rows),
    )
    return len(new)


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
