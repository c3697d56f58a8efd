"""Stepping a competition through its life, with the guards of ``domain.lifecycle.GUARDS``."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...domain import lifecycle
from ...enums import EntryStatus
from ...errors import Conflict
from ...extensions import db
from ...labels import STATUS_LABELS, label
from ...models import Competition, Entry, User
from ...models._base import utcnow
from .. import audit


def _undrawn_entries(competition: Competition) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Entry)
            .where(
                Entry.competition_id == competition.id,
                Entry.status == EntryStatus.APPROVED,
                Entry.draw_no.is_(None),
            )
        )
        or 0
    )


# How each fact a guard names is counted (things standing in the way of the step).
FACTS: dict[str, Callable[[Competition], int]] = {
    "undrawn_entries": _undrawn_entries,
}


def _refusals() -> dict[str, str]:
    return {
        "draw_missing": _("Draw the order of appearance before scoring starts."),
    }


def transition(*, competition: Competition, to: str, by: User) -> Competition:
    """One step forward at a time; never back, never skipping; and only when the step's guards are met."""
    if not lifecycle.is_next_step(competition.status, to):
        raise Conflict(
            _(
                "A competition in this state cannot go there: the next step is “%(next)s”.",
                next=label(STATUS_LABELS, lifecycle.next_status(competition.status)) or "—",
            ),
            code="invalid_transition",
        )
    facts = {fact: FACTS[fact](competition) for fact in lifecycle.facts_needed(to)}
    failed = lifecycle.unmet(to, facts)
    if failed:
        raise Conflict(_refusals()[failed[0].code], code=failed[0].code)
    previous = competition.status
    competition.status = to
    competition.status_changed_at = utcnow()
    audit.record(
        "competition.transition",
        by=by,
        object_type="competition",
        object_id=competition.id,
        university_id=competition.university_id,
        **{"from": previous, "to": to},
    )
    return competition
