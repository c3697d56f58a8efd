"""The live console (现场控制台): a live round's draw order, who is on stage, how many judges submitted, and
the group's big-screen link (made or replaced only by an explicit request, never by reading the console)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..enums import RoundMode, SheetStatus
from ..errors import NotFound
from ..extensions import db
from ..models import Competition, CompetitionGroup, Round, ScoreSheet, User
from . import live, panels, stage
from .panel_page import EntryLabel, entry_labels


@dataclass
class ConsoleRow:
    entry: EntryLabel
    expected: int
    submitted: int
    on_stage: bool


@dataclass
class Console:
    competition: Competition
    live_rounds: list[Round]
    group: CompetitionGroup | None = None
    round: Round | None = None
    rows: list[ConsoleRow] = field(default_factory=list)
    state: dict = field(default_factory=dict)  # services.stage.stage_dict
    stage_round: Round | None = None  # the round on stage when it is another one
    screen_token: str | None = None  # the group's big-screen secret, once made (never made by reading)

    @property
    def on_stage(self) -> ConsoleRow | None:
        return next((r for r in self.rows if r.on_stage), None)

    @property
    def next_up(self) -> ConsoleRow | None:
        """The first entry after the one on stage (or the first of all) whose sheets are not all in."""
        current = self.on_stage
        after = self.rows
        if current is not None:
            after = self.rows[self.rows.index(current) + 1 :]
        return next((r for r in after if r.submitted < r.expected or not r.expected), None)


def live_rounds(competition: Competition) -> list[Round]:
    return [r for r in competition.rounds if r.mode == RoundMode.LIVE]


def console(competition: Competition, *, group_id: int | None, round_id: int | None) -> Console:
    """The console for a group and a live round (the first of each when not chosen); an unknown choice is a
    404. Without a live round, only ``live_rounds`` (empty) is filled."""
    rounds = live_rounds(competition)
    view = Console(competition, rounds)
    if not rounds or not competition.groups:
        return view
    group = _pick(competition.groups, group_id)
    round_ = _pick(rounds, round_id)
    view.group, view.round = group, round_
    state = stage.stage_of(competition, group.id)
    view.state = stage.stage_dict(competition, state)
    view.screen_token = state.screen_token if state is not None else None
    if state is not None and state.round_id not in (None, round_.id):
        view.stage_round = next((r for r in competition.rounds if r.id == state.round_id), None)
    panel = panels.load_panel(competition)
    labels = entry_labels(competition)
    submitted = dict(
        db.session.execute(
            select(ScoreSheet.entry_id, func.count())
            .where(ScoreSheet.round_id == round_.id, ScoreSheet.status == SheetStatus.SUBMITTED)
            .group_by(ScoreSheet.entry_id)
        ).all()
    )
    on_stage = state.entry_id if state is not None and state.round_id == round_.id else None
    for entry in sorted(panel.entries_of(group.id), key=lambda e: (e.draw_no is None, e.draw_no or 0)):
        view.rows.append(
            ConsoleRow(
                labels[entry.entry_id],
                panel.panel_size(entry),
                submitted.get(entry.entry_id, 0),
                entry.entry_id == on_stage,
            )
        )
    return view


def _pick(items, wanted: int | None):
    if wanted is None:
        return items[0]
    found = next((i for i in items if i.id == wanted), None)
    if found is None:
        raise NotFound(_("No such group or round."))
    return found


def console_state(competition: Competition, *, group_id: int | None, round_id: int | None) -> dict:
    """What the console's poll reads: the stage and the submitted count of every entry of the round."""
    view = console(competition, group_id=group_id, round_id=round_id)
    return {
        **view.state,
        "entries": [
            {
                "entry_id": r.entry.entry_id,
                "draw_no": r.entry.draw_no,
                "submitted": r.submitted,
                "expected": r.expected,
                "on_stage": r.on_stage,
            }
            for r in view.rows
        ],
    }


def screen_link(
    competition: Competition, *, group_id: int | None, rotate: bool, by: User
) -> tuple[CompetitionGroup, str]:
    """The group's big-screen secret: made when it has none; ``rotate`` replaces it (the old link is refused
    from then on). An unknown group is a 404."""
    group = next((g for g in competition.groups if g.id == group_id), None)
    if group is None:
        raise NotFound(_("No such group or round."))
    return group, live.screen_token(competition, group, rotate=rotate, by=by)
