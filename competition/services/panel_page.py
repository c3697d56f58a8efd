"""The organizer's panel page (评委安排): every group's judges with their load and recusals, the warnings,
the accounts that can be added, and the changes made from it (which all go through ``services.panels``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..database import is_db_int
from ..domain.recusal import Recusal
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, Role, SheetStatus
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..models import (
    Competition,
    CompetitionGroup,
    Entry,
    JudgeAssignment,
    RoleGrant,
    ScoreSheet,
    Staff,
    University,
    User,
)
from . import panels
from .panels import Panel, PanelEntry, PanelJudge


@dataclass(frozen=True)
class EntryLabel:
    """An entry as the organizer reads it: draw number, name and university."""

    entry_id: int
    group_id: int
    draw_no: int | None
    name: str
    university: str


@dataclass(frozen=True)
class RecusalRow:
    entry: EntryLabel
    reason: str  # same_university or declared
    note: str


@dataclass
class JudgeRow:
    judge: PanelJudge
    universities: list[str]  # empty: an outside expert
    load: int  # entries the judge scores
    recusals: list[RecusalRow]
    expected: int = 0  # sheets owed over every round
    submitted: int = 0
    late: bool = False  # joined the panel after scoring started

    @property
    def behind(self) -> bool:
        return self.submitted < self.expected


@dataclass
class GroupPanel:
    group: CompetitionGroup
    judges: list[JudgeRow]
    entries: int
    short: list[tuple[EntryLabel, int]] = field(default_factory=list)  # recusal leaves too few judges


@dataclass
class PanelOverview:
    competition: Competition
    groups: list[GroupPanel]
    scoring_started: bool
    editable: bool
    entries: list[EntryLabel]  # every approved entry, by group and draw number

    def judges(self) -> list[JudgeRow]:
        """Each judge of the panel once (the first of their groups), for the conflict form."""
        seen: dict[int, JudgeRow] = {}
        for group in self.groups:
            for row in group.judges:
                seen.setdefault(row.judge.judge_id, row)
        return list(seen.values())


def entry_labels(competition: Competition) -> dict[int, EntryLabel]:
    """Every approved entry of the competition with its name and university (one query)."""
    rows = db.session.execute(
        select(Entry.id, Entry.group_id, Entry.draw_no, Staff.name, University.name)
        .join(Staff, Entry.staff_id == Staff.id)
        .join(University, Entry.university_id == University.id)
        .where(Entry.competition_id == competition.id, Entry.status == EntryStatus.APPROVED)
    )
    labels = [EntryLabel(*row) for row in rows]
    labels.sort(key=lambda e: (e.group_id, e.draw_no is None, e.draw_no or 0, e.name))
    return {e.entry_id: e for e in labels}


def _joined_at(competition: Competition) -> dict[tuple[int, int], datetime]:
    return {
        (judge_id, group_id): created
        for judge_id, group_id, created in db.session.execute(
            select(JudgeAssignment.judge_id, JudgeAssignment.group_id, JudgeAssignment.created_at).where(
                JudgeAssignment.competition_id == competition.id
            )
        )
    }


def _submitted_pairs(competition: Competition) -> set[tuple[int, int, int]]:
    """(judge, round, entry) of every submitted sheet of the competition."""
    round_ids = [r.id for r in competition.judged_rounds] or [-1]
    return set(
        db.session.execute(
            select(ScoreSheet.judge_id, ScoreSheet.round_id, ScoreSheet.entry_id).where(
                ScoreSheet.round_id.in_(round_ids), ScoreSheet.status == SheetStatus.SUBMITTED
            )
        ).all()
    )


def panel_overview(competition: Competition) -> PanelOverview:
    """The whole panel page in a handful of queries (panel, names, universities, seats' dates, sheets)."""
    panel = panels.load_panel(competition)
    labels = entry_labels(competition)
    universities = panels.university_names({u for j in panel.judges for u in j.universities})
    scoring_started = competition.status in (CompetitionStatus.SCORING, CompetitionStatus.PUBLISHED)
    joined = _joined_at(competition) if scoring_started else {}
    submitted = _submitted_pairs(competition) if scoring_started else set()
    rounds = [r.id for r in competition.judged_rounds]
    groups = []
    for group in competition.groups:
        rows = [
            _judge_row(panel, judge, labels, universities, rounds, submitted, joined, competition)
            for judge in panel.judges_of(group.id)
        ]
        item = GroupPanel(group, rows, len(panel.entries_of(group.id)))
        if len(rows) >= competition.trim_min_judges:
            for entry in panel.entries_of(group.id):
                size = panel.panel_size(entry)
                if size < competition.trim_min_judges:
                    item.short.append((labels[entry.entry_id], size))
            item.short.sort(key=lambda pair: (pair[0].draw_no is None, pair[0].draw_no or 0))
        groups.append(item)
    return PanelOverview(
        competition=competition,
        groups=groups,
        scoring_started=scoring_started,
        editable=competition.status != CompetitionStatus.PUBLISHED,
        entries=list(labels.values()),
    )


def _judge_row(panel: Panel, judge, labels, universities, rounds, submitted, joined, competition) -> JudgeRow:
    recused: dict[int, Recusal] = panel.recusals_of(judge)
    scored: list[PanelEntry] = panel.scored_by(judge)
    row = JudgeRow(
        judge=judge,
        universities=sorted(universities.get(u, "") for u in judge.universities),
        load=len(scored),
        recusals=[
            RecusalRow(labels[r.entry_id], r.reason, r.note)
            for r in sorted(recused.values(), key=lambda r: (labels[r.entry_id].draw_no or 0, r.entry_id))
            if r.entry_id in labels
        ],
    )
    if joined:
        row.expected = len(scored) * len(rounds)
        row.submitted = sum(1 for e in scored for r in rounds if (judge.judge_id, r, e.entry_id) in submitted)
        started = competition.status_changed_at
        when = joined.get((judge.judge_id, judge.group_id))
        row.late = competition.status == CompetitionStatus.SCORING and when is not None and when > started
    return row


def judge_choices(competition: Competition) -> list[tuple[str, str]]:
    """(username, label) of the judge accounts the competition may use: every judge for a provincial one;
    the university's own judges and outside experts for a school-level one."""
    stmt = (
        select(User.username, User.display_name, University.name)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .outerjoin(University, RoleGrant.university_id == University.id)
        .where(RoleGrant.role == Role.JUDGE, User.enabled.is_(True))
        .order_by(University.name.is_(None), University.name, User.display_name, User.username)
    )
    if competition.level == CompetitionLevel.SCHOOL:
        stmt = stmt.where(
            or_(RoleGrant.university_id.is_(None), RoleGrant.university_id == competition.university_id)
        )
    choices: dict[str, str] = {}
    for username, display, university in db.session.execute(stmt):
        where = university or _("Outside expert")
        choices.setdefault(username, f"{display}（{username}）· {where}")
    return list(choices.items())


# --- changes ------------------------------------------------------------------------------------------------


def _current_groups(competition: Competition, username: str) -> tuple[str, list[int]]:
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == (username or "").strip().lower())
    )
    if user is None:
        return username, []
    groups = db.session.scalars(
        select(JudgeAssignment.group_id).where(
            JudgeAssignment.competition_id == competition.id, JudgeAssignment.judge_id == user.id
        )
    )
    return user.username, list(groups)


def add_judge(*, competition: Competition, username: str, group_ids: list[int], by: User) -> dict:
    """Seat a judge on ``group_ids`` as well as the groups they already sit on."""
    if not group_ids:
        message = _("Choose at least one group.")
        raise ValidationFailed(message, details=[{"field": "group_ids", "message": message}])
    name, current = _current_groups(competition, username)
    wanted = sorted(set(current) | set(group_ids))
    return panels.assign_judge(competition=competition, username=name, group_ids=wanted, by=by)


def remove_judge(*, competition: Competition, username: str, group_id: int, by: User) -> dict:
    """Take a judge off one group (refused once they hold a sheet there: ``panels.assign_judge``)."""
    name, current = _current_groups(competition, username)
    if group_id not in current:
        raise NotFound(_("This judge is not on that group."))
    remaining = [g for g in current if g != group_id]
    return panels.assign_judge(competition=competition, username=name, group_ids=remaining, by=by)


def conflict_entry(competition: Competition, entry_id: object) -> Entry:
    """An approved entry of the competition (for the conflict form), or a 422 on the entry field."""
    entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
    if entry is None or entry.competition_id != competition.id or entry.status != EntryStatus.APPROVED:
        message = _("Choose an entry of this competition.")
        raise ValidationFailed(message, details=[{"field": "entry_id", "message": message}])
    return entry


def declare_conflict(
    *, competition: Competition, username: str, entry_id: object, reason: str, by: User
) -> dict:
    """A declared conflict with a reason in words (required on the page)."""
    entry = conflict_entry(competition, entry_id)
    if not (reason or "").strip():
        message = _("Give the reason for the conflict, for example 亲属 or 指导过该选手.")
        raise ValidationFailed(message, details=[{"field": "reason", "message": message}])
    return panels.declare_conflict(
        competition=competition, username=username, entry_id=entry.id, reason=reason, by=by
    )
