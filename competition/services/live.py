"""The big screen (大屏): what it may show of a group's stage, its secret link, and the cheap unchanged poll.

What the screen shows follows the organizer's console, never a timer (``domain/live`` rules, in words): the
entry on stage by draw number and how many of its judges have submitted; once the organizer reveals it, each
judge's total with the trimmed ones marked and the round score; and the running leaderboard of the revealed
entries only — so nothing leaks before its reveal.

A kiosk polls every second or two. The poll reads one row in one statement compiled once (the stage's version,
its secret, and the number of submitted sheets of the round on stage) without loading an ORM object; that row
makes the ETag, so an unchanged screen costs a 304. Anything else that changes what the screen shows (a sheet
reopened) raises the stage's version.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select, text, update

from ..domain import results as engine
from ..enums import StageScreen
from ..extensions import db
from ..models import Competition, CompetitionGroup, Entry, Round, StageReveal, StageState, User
from ..models._base import utcnow
from . import audit
from .panels import load_panel
from .results import compute, number


@dataclass(frozen=True)
class PollRow:
    version: int
    token: str | None
    submitted: int

    @property
    def etag(self) -> str:
        return f"{self.version}-{self.submitted}"

    def admits(self, token: object) -> bool:
        """Whether ``token`` is this group's screen secret (compared in constant time)."""
        return bool(self.token) and isinstance(token, str) and hmac.compare_digest(self.token, token)


# Compiled once (see services/sheets.py on why text): the version, the secret and the round's submitted count.
_POLL = text(
    "SELECT s.version, s.screen_token,"
    " (SELECT count(*) FROM score_sheet ss WHERE ss.round_id = s.round_id AND ss.status = 'submitted')"
    " FROM stage_state s WHERE s.competition_id = :competition_id AND s.group_id = :group_id"
)


def poll_row(competition_id: int, group_id: int) -> PollRow | None:
    row = db.session.execute(_POLL, {"competition_id": competition_id, "group_id": group_id}).first()
    return None if row is None else PollRow(row[0], row[1], row[2] or 0)


def _state_row(competition: Competition, group_id: int) -> StageState:
    state = db.session.scalar(
        select(StageState).where(StageState.competition_id == competition.id, StageState.group_id == group_id)
    )
    if state is None:
        state = StageState(
            competition_id=competition.id, group_id=group_id, screen=StageScreen.NEXT.value, version=1
        )
        db.session.add(state)
    return state


def screen_token(competition: Competition, group: CompetitionGroup, *, rotate: bool = False, by: User) -> str:
    """The group's screen secret, made on first use; ``rotate`` replaces it (the old link is refused)."""
    state = _state_row(competition, group.id)
    if rotate or not state.screen_token:
        had = bool(state.screen_token)
        state.screen_token = secrets.token_urlsafe(24)
        state.version = (state.version or 0) + 1
        state.updated_at = utcnow()
        db.session.flush()
        if had:
            audit.record(
                "screen.rotate",
                by=by,
                object_type="competition",
                object_id=competition.id,
                university_id=competition.university_id,
                group_id=group.id,
            )
    return state.screen_token


def bump(competition_id: int) -> None:
    """Something the screens show changed outside the stage (a sheet reopened): make every poll refetch."""
    db.session.execute(
        update(StageState)
        .where(StageState.competition_id == competition_id)
        .values(version=StageState.version + 1, updated_at=utcnow())
    )


def record_reveal(state: StageState) -> None:
    """Remember that the entry on stage was revealed in the stage's round (once)."""
    if state.entry_id is None or state.round_id is None:
        return
    exists = db.session.scalar(
        select(StageReveal.id).where(
            StageReveal.round_id == state.round_id, StageReveal.entry_id == state.entry_id
        )
    )
    if exists is None:
        db.session.add(
            StageReveal(
                competition_id=state.competition_id,
                group_id=state.group_id,
                round_id=state.round_id,
                entry_id=state.entry_id,
            )
        )
        db.session.flush()


def live_state(competition: Competition, state: StageState | None, group_id: int | None = None) -> dict:
    """The live state (API.md ``GET /competitions/{id}/live``) plus what the screen's header and seat chips
    need: ``competition``, ``group``, ``round``, ``seats`` (each judge seat, submitted or not) and, once
    revealed, ``reveal`` (each seat's total and whether trimming dropped it)."""
    group_id = state.group_id if state is not None else group_id
    group = next((g for g in competition.groups if g.id == group_id), None)
    round_ = None
    if state is not None and state.round_id is not None:
        round_ = next((r for r in competition.rounds if r.id == state.round_id), None)
    answer = {
        "screen": state.screen if state is not None else StageScreen.NEXT.value,
        "group_id": group_id,
        "round_id": round_.id if round_ else None,
        "version": state.version if state is not None else 0,
        "competition": competition.name,
        "group": group.name if group else None,
        "round": round_.name if round_ else None,
        "decimals": competition.decimals,
        "on_stage": None,
        "leaderboard": [],
    }
    if group is None or round_ is None:
        return answer
    panel = load_panel(competition)
    results = compute(competition, group, panel)
    revealed = set(
        db.session.scalars(
            select(StageReveal.entry_id).where(
                StageReveal.round_id == round_.id, StageReveal.group_id == group.id
            )
        )
    )
    answer["leaderboard"] = _leaderboard(results, round_, revealed)
    if state.entry_id is None:
        return answer
    entry = db.session.get(Entry, state.entry_id)
    panel_entry = next((e for e in panel.entries_of(group.id) if e.entry_id == entry.id), None)
    judges = [
        j for j in panel.judges_of(group.id) if panel_entry is None or entry.id not in panel.recusals_of(j)
    ]
    row = next((r for r in results.board.rows if r.entry_id == entry.id), None)
    result = row.round(round_.id) if row else None
    totals = result.totals if result else {}
    on_stage = {
        "entry_id": entry.id,
        "draw_no": entry.draw_no,
        "submitted": sum(1 for j in judges if j.judge_id in totals),
        "expected": len(judges),
        "judge_totals": None,
        "dropped": None,
        "score": None,
        "seats": [{"seat": j.seat, "submitted": j.judge_id in totals} for j in judges],
        "reveal": None,
    }
    if entry.id in revealed and result is not None:
        on_stage.update(
            judge_totals=[number(t) for t in totals.values()],
            dropped=[number(totals[j]) for j in result.dropped],
            score=number(result.score),
            complete=result.complete,
            reveal=[
                {
                    "seat": j.seat,
                    "total": number(totals.get(j.judge_id)),
                    "dropped": "high"
                    if j.judge_id in result.dropped_high
                    else "low"
                    if j.judge_id in result.dropped_low
                    else None,
                }
                for j in judges
            ],
        )
    answer["on_stage"] = on_stage
    return answer


def _leaderboard(results, round_: Round, revealed: set[int]) -> list[dict]:
    """The revealed entries ranked by their score in the round on stage (standard competition ranking)."""
    scores = {}
    for row in results.board.rows:
        result = row.round(round_.id)
        if row.entry_id in revealed and result is not None and result.score is not None:
            scores[row.entry_id] = (row.draw_no, result.score)
    rank_of = engine.ranks({entry_id: (score,) for entry_id, (_draw, score) in scores.items()})
    items = [
        {"draw_no": draw_no, "score": number(score), "rank": rank_of[entry_id]}
        for entry_id, (draw_no, score) in scores.items()
    ]
    items.sort(key=lambda item: (item["rank"], item["draw_no"] or 0))
    return items
