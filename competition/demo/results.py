"""Results in the demo: a competition judged to the end and published, and a big screen to drive.

``load_demo_results`` runs in ``load_demo`` after ``demo.judging`` (which adds the outside experts seated
here). Like the judging, everything goes through the services (``panels``, ``sheets.save_sheet``,
``stage.set_stage``, ``competitions.transition`` to ``published``, ``live.screen_token``) and is then moved to
the moments it would have happened at; the scores follow from the seed, through a generator of their own.

- 南山医科大学实验室安全知识与技能竞赛 (drawn in spring) is judged by a panel of five in each group with
  entries: NSMU's two judges and the three outside experts, so trimming applies (the highest and the lowest
  total dropped); one NSMU judge declared a conflict with a contestant of their own laboratory, who is then
  scored by four (no trimming). Scoring starts four days after the draw: 安全理论 (queue) is scored during
  the first day, 情景处置 (live) on the second, one contestant after the other on stage, each revealed on the
  big screen, then the top ten. Two contestants of 生物医学类 gave the same performance (the same sheets from
  every judge): they tie for third place, at the boundary of 二等奖, and both take it. A week later the union
  publishes the results (公示, with a week's objection period and a contact), which writes the snapshot and
  a certificate for every award. The winner of 生物医学类 gets a staff account (获奖教职工) to log in with
  and download the certificate.
- 东湖理工大学青年教师教学竞赛 (scoring; ``demo.judging`` has its live round on stage): the live group's stage
  gets its screen's secret link, written with the log-ins so that the big screen can be opened and driven.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from ..clock import local_zone
from ..enums import CompetitionKind, CompetitionLevel, CompetitionStatus, Role, StageScreen
from ..extensions import db
from ..models import (
    AuditLog,
    Certificate,
    Competition,
    DrawRecord,
    Entry,
    JudgeConflict,
    Publication,
    RoleGrant,
    Round,
    StageReveal,
    StageState,
)
from ..services import competitions, live, panels, sheets
from .judging import _backdate, _groups_with_entries, _runner, _set_stage, _Story, _user_named, _values
from .people import ROLE_WORDS, Login, _user

PANEL = ("judge_nsmu_1", "judge_nsmu_2", "expert_1", "expert_2", "expert_3")
CONFLICT = ("judge_nsmu_1", "化学化工类", "与该参赛者同属一个实验室，申请回避。")
TIED_GROUP, TIED_PLACES = "生物医学类", (2, 3)  # the third and fourth best (by level) perform alike
WINNER_GROUP = "生物医学类"
CONTACT = "南山医科大学工会办公室 吴老师，电话 0571-86093215（演示）"
AWARD_WINNER_ROLE = f"{ROLE_WORDS[Role.STAFF]} (获奖教职工 award winner)"
LIVE_MINUTES = 12  # one contestant on stage in 情景处置


@dataclass
class DemoResults:
    """The log-ins with the award winner's account added, and the lines that tell where to look."""

    logins: list[Login]
    notes: list[str]


def load_demo_results(*, seed: int, logins: list[Login], url: str) -> DemoResults:
    """Publish the spring competition, give the scoring one's stage its screen link (the caller commits)."""
    story = _Story(random.Random(f"demo-results-{seed}"))
    notes: list[str] = []
    since = db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1)) or 0
    spring = db.session.scalar(
        select(Competition).where(
            Competition.status == CompetitionStatus.REGISTRATION_CLOSED,
            Competition.level == CompetitionLevel.SCHOOL,
        )
    )
    if spring is not None:
        days = _days(spring)
        _judge_and_publish(spring, story, days)
        _backdate(story, since)
        _settle(spring, days)
        login, lines = _award_winner(spring, url)
        logins = [*logins, login] if login is not None else logins
        notes += lines
    _moments_from_the_audit()
    scoring = db.session.scalar(
        select(Competition).where(
            Competition.status == CompetitionStatus.SCORING, Competition.kind == CompetitionKind.TEACHING
        )
    )
    if scoring is not None:
        notes += _screen_links(scoring, url)
    return DemoResults(logins, notes)


# --- the spring competition ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Days:
    """Moments after the draw, as naive UTC datetimes."""

    assigned: datetime
    scoring: datetime
    stage: datetime
    published: datetime

    @property
    def objection_ends(self) -> date:
        """A week of objection period (公示期) after the day of publication."""
        return self.published.replace(tzinfo=UTC).astimezone(local_zone()).date() + timedelta(days=7)


def _days(competition: Competition) -> _Days:
    """Panels the morning after the draw, scoring four days after it (the written round that day, the stage
    the next), publication a week after scoring began."""
    zone = local_zone()
    drawn = db.session.scalar(
        select(DrawRecord.drawn_at).where(DrawRecord.competition_id == competition.id).limit(1)
    )
    day = (drawn or competition.registration_closes).replace(tzinfo=UTC).astimezone(zone).date()

    def at(offset: int, hour: int, minute: int = 0) -> datetime:
        local = datetime.combine(day + timedelta(days=offset), time(hour, minute), tzinfo=zone)
        return local.astimezone(UTC).replace(tzinfo=None)

    return _Days(assigned=at(1, 10), scoring=at(4, 8), stage=at(5, 8, 30), published=at(11, 10))


def _judge_and_publish(competition: Competition, story: _Story, days: _Days) -> None:
    rng = story.rng
    admin = _runner(competition)
    judges = {name: _user_named(name) for name in PANEL}
    groups = _groups_with_entries(competition)
    group_ids = [entries[0].group_id for entries in groups.values()]
    for name in PANEL:
        panels.assign_judge(competition=competition, username=name, group_ids=group_ids, by=admin)
        story.audit.append(("judging.assign", days.assigned))
        story.assigned.update({(g, judges[name].id): days.assigned for g in group_ids})
    judge_name, group, reason = CONFLICT
    conflicted = groups[group][rng.randrange(len(groups[group]))] if group in groups else None
    if conflicted is not None:
        panels.declare_conflict(
            competition=competition, username=judge_name, entry_id=conflicted.id, reason=reason, by=admin
        )
        story.audit.append(("judging.conflict", days.assigned + timedelta(hours=2)))
    competitions.transition(competition=competition, to=CompetitionStatus.SCORING, by=admin)
    story.audit.append(("competition.transition", days.scoring))

    def scores(entry: Entry, name: str) -> bool:
        return not (conflicted is not None and entry.id == conflicted.id and name == judge_name)

    # How good each contestant is (a share of the maximum), apart enough that the order is the levels'; each
    # judge leans a little. The tied pair's sheets are the same, judge by judge.
    level: dict[int, float] = {}
    twin: dict[int, int] = {}  # entry → the entry whose sheets it repeats
    for name, entries in groups.items():
        order = rng.sample(entries, len(entries))
        for place, entry in enumerate(order):
            level[entry.id] = 0.93 - 0.03 * place + rng.uniform(-0.004, 0.004)
        first, second = TIED_PLACES
        if name == TIED_GROUP and len(order) > second and conflicted not in (order[first], order[second]):
            twin[order[second].id] = order[first].id
    lean = {name: rng.uniform(-0.01, 0.01) for name in PANEL}
    written, scenario = competition.rounds[:2]
    values: dict[tuple[int, int, str], dict[str, str]] = {}
    for round_ in (written, scenario):
        for entries in groups.values():
            for entry in entries:
                for name in PANEL:
                    if scores(entry, name):
                        values[(round_.id, entry.id, name)] = _values(
                            story, round_, level[entry.id] + lean[name]
                        )
    for round_id, entry_id, name in list(values):
        if entry_id in twin:
            values[(round_id, entry_id, name)] = values[(round_id, twin[entry_id], name)]

    def submit(round_: Round, entry: Entry, name: str, when: datetime) -> None:
        judge = judges[name]
        sheets.save_sheet(
            judge=judge,
            round_id=round_.id,
            entry_id=entry.id,
            scores=values[(round_.id, entry.id, name)],
            submit=True,
            client_token=story.token(),
        )
        story.audit.append(("sheet.submit", when))
        story.sheets[(judge.id, round_.id, entry.id)] = (when, when)

    # 安全理论 (queue): the written papers, scored online during the first day.
    for entries in groups.values():
        for entry in entries:
            for name in PANEL:
                if scores(entry, name):
                    submit(written, entry, name, days.scoring + timedelta(minutes=rng.randrange(60, 9 * 60)))
    # 情景处置 (live): each group's session in turn, a contestant every LIVE_MINUTES, revealed; the top ten.
    start = days.stage
    for entries in groups.values():
        group_id = entries[0].group_id
        for entry in entries:
            _set_stage(story, competition, admin, group_id, scenario, entry, StageScreen.SCORING, start)
            for name in PANEL:
                if scores(entry, name):
                    submit(scenario, entry, name, start + timedelta(minutes=8, seconds=rng.randrange(0, 150)))
            revealed = start + timedelta(minutes=LIVE_MINUTES - 1)
            _set_stage(story, competition, admin, group_id, scenario, entry, StageScreen.REVEAL, revealed)
            start += timedelta(minutes=LIVE_MINUTES)
        _set_stage(story, competition, admin, group_id, scenario, None, StageScreen.TOP_TEN, start)
        start += timedelta(minutes=30)

    competitions.transition(
        competition=competition,
        to=CompetitionStatus.PUBLISHED,
        by=admin,
        objection_ends=None,
        contact=CONTACT,
    )
    story.audit += [("competition.transition", days.published), ("competition.publish", days.published)]


def _settle(competition: Competition, days: _Days) -> None:
    """What ``_backdate`` does not move: the competition's state change, the publication, its certificates."""
    competition.status_changed_at = days.published
    publication = db.session.scalar(select(Publication).where(Publication.competition_id == competition.id))
    publication.published_at = days.published
    publication.objection_ends = days.objection_ends
    issued = days.published.replace(tzinfo=UTC).astimezone(local_zone()).date()
    for certificate in db.session.scalars(
        select(Certificate).where(Certificate.competition_id == competition.id)
    ):
        certificate.issued = issued
    db.session.flush()


def _award_winner(competition: Competition, url: str) -> tuple[Login | None, list[str]]:
    """A staff account for the winner of ``WINNER_GROUP`` (first in the published snapshot), and where their
    certificate is."""
    publication = db.session.scalar(select(Publication).where(Publication.competition_id == competition.id))
    group = next((g for g in publication.snapshot["groups"] if g["group"] == WINNER_GROUP), None)
    first = next((item for item in (group or {}).get("items", []) if item["award"]), None)
    certificate = (
        db.session.scalar(select(Certificate).where(Certificate.entry_id == first["entry_id"]))
        if first
        else None
    )
    if certificate is None:
        return None, []
    entry = db.session.get(Entry, certificate.entry_id)
    member = entry.staff
    username = f"{competition.university.code}{member.staff_no}"
    grant = RoleGrant(role=Role.STAFF, university_id=member.university_id, staff_id=member.id)
    _, password = _user(username, member.name, grant)
    db.session.flush()
    where = f"{competition.university.name} {competition.university.code}"
    login = Login(username, password, AWARD_WINNER_ROLE, where, member.name)
    lines = [
        f"获奖教职工 / Award winner: {username} ({member.name}), {competition.name} "
        f"{certificate.group_name} {certificate.award}",
        f"  证书 Certificate: {url}/results/entries/{entry.id}/certificate.pdf",
        f"  公示 Published results: {url}/results/{competition.id}/public",
        f"  证书查验 Verification: {url}/results/certificates/{certificate.serial}",
    ]
    return login, lines


def _moments_from_the_audit() -> None:
    """Each reveal and each declared conflict (of every demo competition) dated like the audit row that
    recorded it, once those rows are moved to their moments."""
    revealed: dict[int, datetime] = {}
    declared: dict[tuple[int, str], datetime] = {}
    rows = db.session.scalars(
        select(AuditLog).where(AuditLog.action.in_(("stage.set", "judging.conflict"))).order_by(AuditLog.id)
    )
    for row in rows:
        details = row.details or {}
        if row.action == "judging.conflict":
            declared[(int(row.object_id), details.get("judge"))] = row.at
        elif details.get("screen") == StageScreen.REVEAL and details.get("entry_id") is not None:
            revealed.setdefault(details["entry_id"], row.at)
    for reveal in db.session.scalars(select(StageReveal)):
        reveal.revealed_at = revealed.get(reveal.entry_id, reveal.revealed_at)
    for conflict in db.session.scalars(select(JudgeConflict)):
        conflict.created_at = declared.get((conflict.entry_id, conflict.judge.username), conflict.created_at)
    db.session.flush()


# --- the big screen of the competition being scored ---------------------------------------------------------


def _screen_links(competition: Competition, url: str) -> list[str]:
    """The secret link of each stage in use (the last change keeps its moment)."""
    admin = _runner(competition)
    groups = {g.id: g for g in competition.groups}
    rounds = {r.id: r.name for r in competition.rounds}
    lines = []
    states = db.session.scalars(
        select(StageState).where(StageState.competition_id == competition.id).order_by(StageState.group_id)
    ).all()
    for state in states:
        if state.round_id is None:
            continue
        moment = state.updated_at
        token = live.screen_token(competition, groups[state.group_id], by=admin)
        state.updated_at = moment
        lines.append(
            f"大屏 Big screen: {competition.name} · {groups[state.group_id].name} · {rounds[state.round_id]}"
            f" (由 {admin.username} 控制 / driven by {admin.username})"
        )
        lines.append(f"  {url}/results/{competition.id}/screen?group_id={state.group_id}&token={token}")
    db.session.flush()
    return lines
