"""The stage (上场): which entry of a group is on stage in which round, and what the big screen shows.

In a live round judges may score only the entry on stage; tablets and the screen poll the stage's version
(a number that grows with every change) so an unchanged stage costs a 304.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..database import is_db_int
from ..enums import CompetitionStatus, EntryStatus, StageScreen
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..models import Competition, Entry, JudgeAssignment, StageState, User
from ..models._base import utcnow
from . import audit, live


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": field, "message": message}])


def set_stage(
    *,
    competition: Competition,
    group_id: object,
    round_id: object,
    entry_id: object,
    screen: object,
    by: User,
) -> StageState:
    """Put ``entry_id`` of ``group_id`` on stage in ``round_id`` (null: nobody), showing ``screen``."""
    if competition.status != CompetitionStatus.SCORING:
        raise Conflict(_("The stage is used while the competition is being scored."), code="wrong_state")
    if not any(g.id == group_id for g in competition.groups) or not is_db_int(group_id):
        raise _invalid("group_id", _("Choose a group of this competition."))
    if not any(r.id == round_id for r in competition.judged_rounds) or not is_db_int(round_id):
        raise _invalid("round_id", _("Choose a round of this competition."))
    if not isinstance(screen, str) or screen not in set(StageScreen):  # a list or an object is no screen
        raise _invalid("screen", _("Choose what the screen shows: next, scoring, reveal or top_ten."))
    entry = None
    if entry_id is not None:
        entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
        if entry is None or entry.group_id != group_id or entry.status != EntryStatus.APPROVED:
            raise _invalid("entry_id", _("Choose an approved entry of this group."))
    state = db.session.scalar(
        select(StageState).where(StageState.competition_id == competition.id, StageState.group_id == group_id)
    )
    if state is None:
        state = StageState(competition_id=competition.id, group_id=group_id, version=0)
        db.session.add(state)
    state.round_id, state.entry_id, state.screen = round_id, entry.id if entry else None, screen
    state.version = (state.version or 0) + 1
    state.updated_at = utcnow()
    db.session.flush()
    if screen == StageScreen.REVEAL:
        live.record_reveal(state)
    audit.record(
        "stage.set",
        by=by,
        object_type="competition",
        object_id=competition.id,
        university_id=competition.university_id,
        group_id=group_id,
        round_id=round_id,
        entry_id=state.entry_id,
        screen=screen,
    )
    return state


def stage_of(competition: Competition, group_id: int) -> StageState | None:
    return db.session.scalar(
        select(StageState).where(StageState.competition_id == competition.id, StageState.group_id == group_id)
    )


def stage_dict(competition: Competition, state: StageState | None, group_id: int | None = None) -> dict:
    """The live state as the console and the screen read it (``services.live.live_state``)."""
    return live.live_state(competition, state, group_id)


def judge_stages(judge_id: int) -> list[dict]:
    """What is on stage in each group the judge sits on, in competitions being scored (one query)."""
    rows = db.session.execute(
        select(
            StageState.competition_id,
            StageState.group_id,
            StageState.round_id,
            StageState.entry_id,
            StageState.version,
        )
        .join(JudgeAssignment, JudgeAssignment.group_id == StageState.group_id)
        .join(Competition, Competition.id == StageState.competition_id)
        .where(JudgeAssignment.judge_id == judge_id, Competition.status == CompetitionStatus.SCORING)
        .order_by(StageState.group_id)
    )
    return [
        {"competition_id": c, "group_id": g, "round_id": r, "entry_id": e, "version": v}
        for c, g, r, e, v in rows
    ]
