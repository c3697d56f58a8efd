"""Stepping a competition through its life, with the guards of ``domain.lifecycle.GUARDS``."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...clock import local_today
from ...domain import lifecycle
from ...enums import CompetitionStatus, EntryStatus
from ...errors import Conflict
from ...extensions import db
from ...labels import STATUS_LABELS, label
from ...models import Competition, Entry, User
from ...models._base import utcnow
from .. import audit, progress, publication
from ..exam_results import open_exam_rounds


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
    "missing_sheets": progress.count_missing_sheets,
    "open_exams": open_exam_rounds,
}


def _refusals() -> dict[str, str]:
    return {
        "draw_missing": _("Draw the order of appearance before scoring starts."),
        "sheets_missing": _("Some score sheets are not submitted yet: every judge must submit every sheet."),
        "exam_open": _("A written test is still open: publish once its sitting window has closed."),
    }


def _missing_sheet_details(competition: Competition) -> list[dict]:
    groups = {g.id: g.name for g in competition.groups}
    rounds = {r.id: r.name for r in competition.rounds}
    return [
        {
            "group_id": m.entry.group_id,
            "round_id": m.round_id,
            "entry_id": m.entry.entry_id,
            "draw_no": m.entry.draw_no,
            "username": m.judge.username,
            "status": m.status,
            "message": _(
                "%(group)s, %(round)s: No. %(draw)s awaits the sheet of %(judge)s (seat %(seat)s).",
                group=groups.get(m.entry.group_id, ""),
                round=rounds.get(m.round_id, ""),
                draw=m.entry.draw_no,
                judge=m.judge.display_name or m.judge.username,
                seat=m.judge.seat,
            ),
        }
        for m in progress.missing_sheets(competition)
    ]


# The details a refusal lists (what exactly stands in the way), where there is more to say than a count.
DETAILS: dict[str, Callable[[Competition], list[dict]]] = {
    "sheets_missing": _missing_sheet_details,
}


def transition(
    *,
    competition: Competition,
    to: str,
    by: User,
    objection_ends: object = None,
    contact: object = None,
) -> Competition:
    """One step forward at a time; never back, never skipping; and only when the step's guards are met.

    Publication also freezes the results (``services.publication.publish``) with the objection period's end
    and the contact the organizer gives (both optional; a bad one refuses the step).
    """
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
        code = failed[0].code
        details = DETAILS[code](competition) if code in DETAILS else []
        raise Conflict(_refusals()[code], code=code, details=details)
    if to == CompetitionStatus.PUBLISHED:
        ends, contact_text = publication.parse_objection(objection_ends, contact, today=local_today())
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
    if to == CompetitionStatus.PUBLISHED:
        publication.publish(competition, by=by, objection_ends=ends, contact=contact_text)
    return competition
