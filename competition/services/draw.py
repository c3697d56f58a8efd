"""The draw (抽签): the order of appearance within each group, random but reproducible from its seed."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..domain.draw import draw_order, new_seed
from ..enums import CompetitionStatus, EntryStatus
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..models import Competition, DrawRecord, Entry, User
from . import audit


def run_draw(*, competition: Competition, by: User, seed: int | None = None) -> tuple[int, list[dict]]:
    """Number every approved entry 1..n within its group; only after registration closed and before scoring.

    The same seed over the same entries gives the same numbers (``domain.draw.draw_order``), so an auditor can
    check a draw from the seed recorded here. Re-drawing replaces the numbers and is recorded again.
    """
    if competition.status != CompetitionStatus.REGISTRATION_CLOSED:
        raise Conflict(
            _("The draw takes place after registration closes and before scoring starts."), code="wrong_state"
        )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63):
        raise ValidationFailed(
            _("The seed must be a whole number."),
            details=[{"field": "seed", "message": _("The seed must be a whole number.")}],
        )
    seed = new_seed() if seed is None else seed
    redraw = db.session.scalar(
        select(DrawRecord.id).where(DrawRecord.competition_id == competition.id).limit(1)
    )
    # Clear first: the unique (group, draw_no) would otherwise trip over numbers being swapped.
    db.session.execute(update(Entry).where(Entry.competition_id == competition.id).values(draw_no=None))
    items = []
    for group in competition.groups:
        ids = list(
            db.session.scalars(
                select(Entry.id).where(Entry.group_id == group.id, Entry.status == EntryStatus.APPROVED)
            )
        )
        numbers = draw_order(ids, seed)
        if numbers:
            db.session.execute(
                update(Entry), [{"id": entry_id, "draw_no": n} for entry_id, n in numbers.items()]
            )
        db.session.add(
            DrawRecord(
                competition_id=competition.id,
                group_id=group.id,
                seed=seed,
                drawn_by_id=by.id,
                result={str(k): v for k, v in numbers.items()},
            )
        )
        items += [
            {"entry_id": entry_id, "group_id": group.id, "draw_no": n}
            for entry_id, n in sorted(numbers.items(), key=lambda kv: kv[1])
        ]
    audit.record(
        "competition.draw",
        by=by,
        object_type="competition",
        object_id=competition.id,
        university_id=competition.university_id,
        seed=seed,
        redraw=bool(redraw),
        entries=len(items),
    )
    return seed, items


def last_draw(competition: Competition) -> DrawRecord | None:
    return db.session.scalar(
        select(DrawRecord)
        .where(DrawRecord.competition_id == competition.id)
        .order_by(DrawRecord.drawn_at.desc(), DrawRecord.id.desc())
        .limit(1)
    )


def drawn_by(record: DrawRecord | None) -> User | None:
    """Who made the draw ``record`` (None when there is none, or the account is gone)."""
    return db.session.get(User, record.drawn_by_id) if record and record.drawn_by_id else None
