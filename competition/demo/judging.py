"""Judging in the demo: panels, sheets in every state, a reopened sheet, an anomaly, a live round on stage.

``load_demo_judging`` runs in ``load_demo`` once the five competitions exist. Everything goes through the
services (``panels.assign_judge`` and ``declare_conflict``, ``sheets.save_sheet`` and ``unlock_sheet``,
``stage.set_stage``), so the checks, the recusals and the audit rows are the real ones; afterwards the sheets,
the stage and those audit rows are moved to the moments they would have happened at, like the competitions'
histories (``demo.contest_kit``). The scores follow from the seed (a generator of their own, so the rest of
the demo is the same with or without them); the experts' passwords never do.

- Three outside experts (省外专家 ``expert_1`` … ``expert_3``, judge accounts of no university) join the
  log-ins.
- 东湖理工大学青年教师教学竞赛 (school level, scoring since two days ago) is judged by a panel of five in each
  of its groups with entries: DHUT's two judges and the three experts. One DHUT judge declared a conflict
  with one contestant (同一教研室). Round 1 (教学设计, queue): nearly done, a few drafts and sheets not
  started, one sheet reopened by the union with a reason (a value typed wrongly), and one expert's total far
  below the panel's median (the anomaly). Round 2 (课堂教学, live): 文科组 is on stage: three contestants
  scored and revealed, the fourth on stage with some sheets submitted, one a draft, one not begun; 工科组's
  session has not started. Round 3 (教学反思, queue): a few sheets, submitted and drafts.
- 全省高校行政后勤岗位练兵 (provincial, registration closed and drawn) already has its panels for the
  contest day: judges of several universities and two experts, each recused from their own university's
  entries (回避); no sheet yet, as nothing is scored before the competition is.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from ..enums import (
    CompetitionLevel,
    CompetitionStatus,
    EntryStatus,
    Gender,
    Role,
    RoundMode,
    SheetStatus,
    StageScreen,
)
from ..extensions import db
from ..models import (
    AuditLog,
    Competition,
    DrawRecord,
    Entry,
    JudgeAssignment,
    RoleGrant,
    Round,
    ScoreSheet,
    StageState,
    User,
)
from ..services import panels, sheets, stage
from .people import ROLE_WORDS, Login, _People, _user

EXPERTS = ("expert_1", "expert_2", "expert_3")
EXPERT_ROLE = f"{ROLE_WORDS[Role.JUDGE]} (省外专家 outside expert)"
SCHOOL_PANEL = ("judge_dhut_1", "judge_dhut_2", "expert_1", "expert_2", "expert_3")
# The provincial drill's panels: its large group, and the four small ones (one panel sits on all four).
PROVINCIAL_PANELS = (
    (("综合管理组",), ("judge_ljnu_1", "judge_nsmu_1", "judge_xxufe_1", "judge_blaf_1", "expert_1")),
    (
        ("财务组", "图书组", "实验室组", "后勤服务组"),
        ("judge_dhut_2", "judge_ljnu_2", "judge_xxufe_2", "judge_yqvc_1", "expert_2"),
    ),
)
CONFLICT = ("judge_dhut_2", "文科组", 5, "与该参赛教师同属一个教研室，申请回避。")
UNLOCK_REASON = "“教学目标”一项只记了 3 分，与评语不符，疑为录入有误，请核对后重新提交。"
# Round 1 (教学设计): (group, draw number, judge) → what is not a submitted sheet.
ROUND1_DRAFTS = {("文科组", 6, "expert_3"), ("文科组", 7, "expert_3"), ("工科组", 9, "judge_dhut_1")}
ROUND1_NONE = {("文科组", 7, "judge_dhut_2"), ("工科组", 8, "expert_1"), ("工科组", 9, "expert_1")}
ROUND1_REOPENED = ("文科组", 2, "judge_dhut_1")
ROUND1_ANOMALY = ("工科组", 3, "expert_2")  # about 22 points below the others
LIVE_GROUP, LIVE_DONE = "文科组", 3  # 课堂教学: draw numbers 1..3 scored and revealed, 4 on stage now
LIVE_ON_STAGE = {"judge_dhut_2": SheetStatus.DRAFT, "expert_3": None}  # the others have submitted entry 4
# Round 3 (教学反思), 文科组: draw number → judge → status (the rest: no sheet yet).
ROUND3 = {
    1: {
        "judge_dhut_1": SheetStatus.SUBMITTED,
        "expert_1": SheetStatus.SUBMITTED,
        "expert_2": SheetStatus.SUBMITTED,
        "expert_3": SheetStatus.DRAFT,
    },
    2: {"expert_1": SheetStatus.DRAFT},
}


@dataclass
class _Story:
    """What happened when: the audit rows the services write, in order, and each sheet's moments."""

    rng: random.Random
    audit: list[tuple[str, datetime]] = field(default_factory=list)  # (action, when), in the order written
    sheets: dict[tuple[int, int, int], tuple[datetime, datetime | None]] = field(default_factory=dict)
    reopened: dict[tuple[int, int, int], datetime] = field(default_factory=dict)
    stages: dict[int, datetime] = field(default_factory=dict)  # group id → last change
    assigned: dict[tuple[int, int], datetime] = field(default_factory=dict)  # (group, judge) → when seated

    def token(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def load_demo_judging(*, seed: int, logins: list[Login], now: datetime | None = None) -> list[Login]:
    """Judge the demo competitions as far as today (the caller commits); ``logins`` with the experts' log-ins
    added after the other judges'."""
    now = now or datetime.now(UTC)
    now = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
    story = _Story(random.Random(f"demo-judging-{seed}"))
    experts = _add_experts(story.rng)
    since = db.session.scalar(select(func.max(AuditLog.id))) or 0
    school = db.session.scalar(
        select(Competition).where(
            Competition.status == CompetitionStatus.SCORING, Competition.level == CompetitionLevel.SCHOOL
        )
    )
    provincial = db.session.scalar(
        select(Competition).where(
            Competition.status == CompetitionStatus.REGISTRATION_CLOSED,
            Competition.level == CompetitionLevel.PROVINCIAL,
        )
    )
    if school is not None:
        _score_school_contest(school, story, now)
    if provincial is not None:
        _provincial_panels(provincial, story)
    _backdate(story, since)
    last_judge = max(i for i, login in enumerate(logins) if login.role == ROLE_WORDS[Role.JUDGE])
    return [*logins[: last_judge + 1], *experts, *logins[last_judge + 1 :]]


def _add_experts(rng: random.Random) -> list[Login]:
    people = _People(rng)
    logins = []
    for username in EXPERTS:
        display = people.name(rng.choice(list(Gender)))
        _, password = _user(username, display, RoleGrant(role=Role.JUDGE, university_id=None))
        logins.append(Login(username, password, EXPERT_ROLE, "-", display))
    db.session.flush()
    return logins


def _user_named(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _runner(competition: Competition) -> User:
    """Who runs it: the organizer for a provincial competition, the university's union admin otherwise."""
    if competition.level == CompetitionLevel.PROVINCIAL:
        return _user_named("organizer")
    return _user_named(f"admin_{competition.university.code.lower()}")


def _groups_with_entries(competition: Competition) -> dict[str, list[Entry]]:
    """Group name → its approved entries in draw order, for the groups that have any."""
    entries = db.session.scalars(
        select(Entry)
        .where(Entry.competition_id == competition.id, Entry.status == EntryStatus.APPROVED)
        .order_by(Entry.draw_no)
    ).all()
    names = {g.id: g.name for g in competition.groups}
    found: dict[str, list[Entry]] = {}
    for entry in entries:
        found.setdefault(names[entry.group_id], []).append(entry)
    return {g.name: found[g.name] for g in competition.groups if g.name in found}


# --- scores -------------------------------------------------------------------------------------------------


def _values(
    story: _Story, round_: Round, level: float, *, filled: int | None = None, fixed: dict | None = None
) -> dict[str, str]:
    """A judge's values for a contestant of ``level`` (0..1 of each criterion's maximum), in half points:
    within ±1.5% of the level per criterion, so that two honest judges never differ by the anomaly
    threshold. ``filled``: only the first so many criteria (a draft); ``fixed``: position → value."""
    values = {}
    for position, criterion in enumerate(round_.criteria):
        if filled is not None and position >= filled:
            break
        maximum = float(criterion.max_score)
        fraction = level + story.rng.uniform(-0.015, 0.015)
        value = min(max(round(maximum * fraction * 2) / 2, 0.0), maximum)
        if fixed and position in fixed:
            value = fixed[position]
        values[str(criterion.id)] = str(Decimal(str(value)).quantize(Decimal("0.1")))
    return values


def _save(
    story: _Story,
    *,
    judge: User,
    round_: Round,
    entry: Entry,
    level: float,
    status: SheetStatus,
    when: datetime,
    fixed: dict | None = None,
) -> None:
    """A draft (part of the rubric filled) or a submitted sheet, through the service, at ``when``."""
    submit = status == SheetStatus.SUBMITTED
    filled = None if submit else 1 + story.rng.randrange(len(round_.criteria) - 1)
    scores = _values(story, round_, level, filled=filled, fixed=fixed)
    sheets.save_sheet(
        judge=judge,
        round_id=round_.id,
        entry_id=entry.id,
        scores=scores,
        submit=submit,
        client_token=story.token() if submit else None,
    )
    if submit:
        story.audit.append(("sheet.submit", when))
    story.sheets[(judge.id, round_.id, entry.id)] = (when, when if submit else None)


def _set_stage(
    story: _Story, competition: Competition, by: User, group_id: int, round_: Round, entry, screen, when
) -> None:
    stage.set_stage(
        competition=competition,
        group_id=group_id,
        round_id=round_.id,
        entry_id=entry.id if entry is not None else None,
        screen=screen,
        by=by,
    )
    story.audit.append(("stage.set", when))
    story.stages[group_id] = when


def _score_school_contest(competition: Competition, story: _Story, now: datetime) -> None:
    rng = story.rng
    admin = _runner(competition)
    started = competition.status_changed_at  # the morning scoring began (already moved to its day)
    judges = {name: _user_named(name) for name in SCHOOL_PANEL}
    groups = _groups_with_entries(competition)
    by_draw = {(group, e.draw_no): e for group, entries in groups.items() for e in entries}
    # The panel was set the day before scoring began; one judge then declared a conflict.
    assigned = started - timedelta(hours=20)
    group_ids = [entries[0].group_id for entries in groups.values()]
    for name in SCHOOL_PANEL:
        panels.assign_judge(competition=competition, username=name, group_ids=group_ids, by=admin)
        story.audit.append(("judging.assign", assigned))
        story.assigned.update({(g, judges[name].id): assigned for g in group_ids})
    judge_name, group, draw_no, reason = CONFLICT
    conflicted = by_draw.get((group, draw_no))
    if conflicted is not None:
        panels.declare_conflict(
            competition=competition, username=judge_name, entry_id=conflicted.id, reason=reason, by=admin
        )
        story.audit.append(("judging.conflict", assigned + timedelta(hours=1)))

    def scores(entry: Entry, name: str) -> bool:
        return not (conflicted is not None and entry.id == conflicted.id and name == judge_name)

    design, lesson, reflection = competition.rounds
    # How good each contestant is in each round (a share of the maximum); each judge leans a little.
    level = {
        (r.id, e.id): rng.uniform(0.72, 0.92) for r in competition.rounds for g in groups.values() for e in g
    }
    lean = {name: rng.uniform(-0.015, 0.015) for name in SCHOOL_PANEL}

    # Round 1, 教学设计 (queue): the design documents, scored online over the first day and a half.
    reopened = None
    for group, entries in groups.items():
        for entry in entries:
            for name in SCHOOL_PANEL:
                key = (group, entry.draw_no, name)
                if not scores(entry, name) or key in ROUND1_NONE:
                    continue
                when = started + timedelta(minutes=rng.randrange(60, 30 * 60))
                status = SheetStatus.DRAFT if key in ROUND1_DRAFTS else SheetStatus.SUBMITTED
                target = level[(design.id, entry.id)] + lean[name]
                fixed = None
                if key == ROUND1_ANOMALY:
                    target -= 0.22
                if key == ROUND1_REOPENED:
                    fixed = {0: 3.0}  # 教学目标 typed as 3 instead of 13
                    reopened = (entry, judges[name], when)
                _save(
                    story,
                    judge=judges[name],
                    round_=design,
                    entry=entry,
                    level=target,
                    status=status,
                    when=when,
                    fixed=fixed,
                )
    if reopened is not None:
        entry, judge, when = reopened
        unlocked = started + timedelta(hours=32)
        sheets.unlock_sheet(round_=design, entry=entry, judge=judge, reason=UNLOCK_REASON, by=admin)
        story.audit.append(("sheet.unlock", unlocked))
        story.sheets[(judge.id, design.id, entry.id)] = (when, None)
        story.reopened[(judge.id, design.id, entry.id)] = unlocked

    # Round 2, 课堂教学 (live): today's session of the live group, one contestant every 25 minutes.
    if lesson.mode == RoundMode.LIVE and LIVE_GROUP in groups:
        entries = groups[LIVE_GROUP]
        group_id = entries[0].group_id
        session = now - timedelta(minutes=25 * LIVE_DONE + 25)
        for index, entry in enumerate(entries[: LIVE_DONE + 1]):
            on_stage = session + timedelta(minutes=25 * index)
            _set_stage(story, competition, admin, group_id, lesson, entry, StageScreen.SCORING, on_stage)
            current = index == LIVE_DONE
            for name in SCHOOL_PANEL:
                status = LIVE_ON_STAGE.get(name, SheetStatus.SUBMITTED) if current else SheetStatus.SUBMITTED
                if not scores(entry, name) or status is None:
                    continue
                when = on_stage + timedelta(minutes=20, seconds=rng.randrange(15, 240))
                target = level[(lesson.id, entry.id)] + lean[name]
                _save(
                    story,
                    judge=judges[name],
                    round_=lesson,
                    entry=entry,
                    level=target,
                    status=status,
                    when=when,
                )
            if not current:
                revealed = on_stage + timedelta(minutes=24, seconds=30)
                _set_stage(story, competition, admin, group_id, lesson, entry, StageScreen.REVEAL, revealed)

        # Round 3, 教学反思 (queue): written after each lesson, scored as they come in.
        for draw_no, plan in ROUND3.items():
            entry = by_draw.get((LIVE_GROUP, draw_no))
            if entry is None:
                continue
            for name, status in plan.items():
                if not scores(entry, name):
                    continue
                when = session + timedelta(minutes=25 * (draw_no - 1) + 50, seconds=rng.randrange(0, 900))
                target = level[(reflection.id, entry.id)] + lean[name]
                _save(
                    story,
                    judge=judges[name],
                    round_=reflection,
                    entry=entry,
                    level=target,
                    status=status,
                    when=min(when, now - timedelta(minutes=1)),
                )


def _provincial_panels(competition: Competition, story: _Story) -> None:
    """Panels set after the draw for the contest day: judges of several universities, recused from their
    own university's entries."""
    organizer = _runner(competition)
    drawn = db.session.scalar(
        select(func.max(DrawRecord.drawn_at)).where(DrawRecord.competition_id == competition.id)
    )
    when = (drawn or competition.status_changed_at) + timedelta(days=1, hours=-3)
    ids = {g.name: g.id for g in competition.groups}
    for names, panel in PROVINCIAL_PANELS:
        group_ids = [ids[n] for n in names if n in ids]
        for username in panel:
            panels.assign_judge(competition=competition, username=username, group_ids=group_ids, by=organizer)
            story.audit.append(("judging.assign", when))
            judge_id = _user_named(username).id
            story.assigned.update({(g, judge_id): when for g in group_ids})
            when += timedelta(minutes=3)


# --- history ------------------------------------------------------------------------------------------------


def _backdate(story: _Story, since: int) -> None:
    """Move the audit rows just written, the sheets and the stage to the moments of the story."""
    db.session.flush()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.id > since).order_by(AuditLog.id)).all()
    actions = [row.action for row in rows]
    expected = [action for action, _when in story.audit]
    if actions != expected:  # the services wrote other rows than the story says: say so, do not guess
        raise RuntimeError(f"demo judging: audit rows {actions} do not match the story {expected}")
    for row, (_action, when) in zip(rows, story.audit, strict=True):
        row.at = when
    for sheet in db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.judge_id.in_({k[0] for k in story.sheets}))
    ):
        moments = story.sheets.get((sheet.judge_id, sheet.round_id, sheet.entry_id))
        if moments is None:
            continue
        sheet.updated_at, sheet.submitted_at = moments
        reopened = story.reopened.get((sheet.judge_id, sheet.round_id, sheet.entry_id))
        if reopened is not None:
            sheet.reopened_at = reopened
    # Panels are seated before scoring starts (a judge seated later would show as joining late, behind).
    for seat in db.session.scalars(select(JudgeAssignment)):
        seat.created_at = story.assigned.get((seat.group_id, seat.judge_id), seat.created_at)
    for state in db.session.scalars(select(StageState).where(StageState.group_id.in_(story.stages))):
        state.updated_at = story.stages[state.group_id]
    db.session.flush()
