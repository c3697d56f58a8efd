"""The means the demo competitions are made with: who is who, the days of their lives, the services, history.

``ContestKit`` finds the demo accounts and the active staff, creates, opens, fills, decides, closes and draws
competitions through the services as people would, then moves what the services did to the days of a
``Plan`` (see ``demo.contests``, where the five competitions are told).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..clock import local_zone
from ..enums import CompetitionKind, PostCategory, Role
from ..extensions import db
from ..models import AuditLog, Competition, DrawRecord, Entry, RoleGrant, Staff, University, User
from ..services import competition_templates, competitions, draw, registration

TEACHING_GROUPS = {  # template group → words in the names of the colleges that teach in it (first match wins)
    "思想政治课专项组": ("马克思主义",),
    "医科组": ("医学", "药学", "护理", "口腔", "公共卫生"),
    "工科组": ("工程", "机械", "电气", "计算机", "材料", "化工", "信息", "智能", "汽车"),
    "理科组": ("数学", "物理", "化学", "生命", "统计", "农", "林", "园艺", "动物", "植物", "资源", "基础"),
}
DRILL_GROUPS = {  # the admin and logistics drill's groups by office; everyone else is 综合管理组
    "财务组": ("财务",),
    "图书组": ("图书", "档案"),
    "实验室组": ("实验", "测试", "实训"),
    "后勤服务组": ("后勤", "保卫"),
}
LAB_GROUPS = {  # the laboratory safety contest's groups by unit; the rest are 化学化工类
    "生物医学类": ("医学", "基础", "实验动物", "护理", "口腔", "公共卫生"),
    "机电与特种设备类": ("机械", "电气", "教育技术", "后勤", "资产"),
}
REJECTIONS = {  # reasons a union admin gives, by kind of competition
    CompetitionKind.TEACHING: (
        "本学年未承担本科课程教学任务，不符合参赛条件。",
        "近三年已获校级教学竞赛一等奖，按规定本届不再参赛。",
        "教学大纲与教学设计未按时提交，请参加下一届。",
    ),
    CompetitionKind.DRILL: (
        "所在岗位不在本次练兵范围内，请报名下一期。",
        "本部门已推荐其他同志参赛，名额调整。",
    ),
}


@dataclass
class Plan:
    """The days of a competition's life, as naive UTC datetimes (what the columns hold)."""

    created: datetime
    opens: datetime
    closes: datetime
    steps: dict[str, datetime] = field(default_factory=dict)  # status → when it was entered


@dataclass
class ContestPeople:
    organizer: User
    admins: dict[str, User]  # university code → its union admin
    accounts: dict[str, tuple[User, Staff]]  # "young", "senior", "office" → the demo staff accounts


class ContestKit:
    """What the demo competitions are told with; ``demo.contests`` adds the five of them."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now  # naive UTC
        self.zone = local_zone()
        self.universities = {u.code: u for u in db.session.scalars(select(University))}
        self.people = self._people()
        self.staff = self._staff()
        # Demo accounts are placed by hand, never drawn at random.
        self.reserved = {member.id for _, member in self.people.accounts.values()}

    # --- who is who -----------------------------------------------------------------------------------------

    def _people(self) -> ContestPeople:
        def user(username: str) -> User:
            return db.session.scalar(select(User).where(User.username == username))

        admins = {code: user(f"admin_{code.lower()}") for code in self.universities}
        accounts = {}
        grants = db.session.scalars(
            select(RoleGrant).where(RoleGrant.role == Role.STAFF).options(selectinload(RoleGrant.staff))
        )
        for grant in grants:
            member = grant.staff
            if member.category == PostCategory.ADMIN_LOGISTICS:
                accounts["office"] = (grant.user, member)
            elif member.birth_date.year >= 1990:
                accounts["young"] = (grant.user, member)
            else:
                accounts["senior"] = (grant.user, member)
        return ContestPeople(user("organizer"), admins, accounts)

    def _staff(self) -> dict[str, list[Staff]]:
        """Active staff per university code, in 工号 order (so that the seed decides every choice)."""
        rows = db.session.scalars(
            select(Staff)
            .where(Staff.active.is_(True))
            .options(selectinload(Staff.department))
            .order_by(Staff.university_id, Staff.staff_no)
        )
        by_id = {u.id: code for code, u in self.universities.items()}
        staff: dict[str, list[Staff]] = {code: [] for code in self.universities}
        for member in rows:
            staff[by_id[member.university_id]].append(member)
        return staff

    def pick(self, code: str, n: int, eligible) -> list[Staff]:
        pool = [m for m in self.staff[code] if m.id not in self.reserved and eligible(m)]
        chosen = self.rng.sample(pool, min(n, len(pool)))
        self.reserved.update(m.id for m in chosen)
        return chosen

    # --- time -----------------------------------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        """A naive UTC datetime in local time."""
        return moment.replace(tzinfo=UTC).astimezone(self.zone)

    def day(self, offset: int, hour: int) -> datetime:
        """``offset`` days from today at ``hour`` o'clock local time, as naive UTC."""
        today = self.local(self.now).date()
        local = datetime.combine(today + timedelta(days=offset), time(hour), tzinfo=self.zone)
        return local.astimezone(UTC).replace(tzinfo=None)

    def between(self, start: datetime, end: datetime) -> datetime:
        seconds = max(int((end - start).total_seconds()), 1)
        return start + timedelta(seconds=self.rng.randrange(seconds))

    # --- through the services -------------------------------------------------------------------------------

    def create(
        self, template: str, *, name: str, level: str, code: str | None, by: User, opens: datetime, **over
    ) -> Competition:
        """A draft from a template, of the year in which it ``opens`` (``name`` may say "{year}"); its window
        for now spans the present, so that entries can be made (``backdate`` moves it afterwards)."""
        year = self.local(opens).year
        body = competition_templates.template_body(
            template, year=year, level=level, university=code, today=self.now.date()
        )
        body.update(
            name=name.format(year=year),
            registration_opens=(datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            registration_closes=(datetime.now(UTC) + timedelta(hours=1)).isoformat(),
            **over,
        )
        return competitions.create_competition(data=body, by=by)

    def step(self, competition: Competition, to: str, by: User) -> None:
        competitions.transition(competition=competition, to=to, by=by)

    def draw(self, competition: Competition, by: User) -> None:
        draw.run_draw(competition=competition, by=by, seed=self.rng.randrange(2**31))
        db.session.flush()
        # The draw numbers are written in bulk: reload the session's entries so that they show them.
        db.session.scalars(
            select(Entry)
            .where(Entry.competition_id == competition.id)
            .execution_options(populate_existing=True)
        ).all()

    def enter(self, competition: Competition, member: Staff, groups: dict, *, by: User) -> Entry:
        group = groups[self.group_name(competition, member)]
        return registration.register(competition=competition, group_id=group.id, staff=member, by=by)

    @staticmethod
    def group_name(competition: Competition, member: Staff) -> str:
        """The group a member belongs in by their unit; the template's first group when nothing matches."""
        names = [g.name for g in competition.groups]
        table = next((t for t in (TEACHING_GROUPS, DRILL_GROUPS, LAB_GROUPS) if set(t) <= set(names)), {})
        unit = member.department.name
        chosen = next((g for g, words in table.items() if any(w in unit for w in words)), None)
        return chosen if chosen in names else names[0]

    def nominate(
        self,
        competition: Competition,
        code: str,
        members: list[Staff],
        *,
        approve: int,
        reject: int = 0,
        by: User | None = None,
    ) -> list[Entry]:
        """The union admin registers ``members``, approves the first ``approve``, rejects the next
        ``reject`` (with a reason) and leaves the rest pending."""
        admin = by or self.people.admins[code]
        groups = {g.name: g for g in competition.groups}
        entries = [self.enter(competition, m, groups, by=admin) for m in members]
        for entry in entries[:approve]:
            registration.approve(entry=entry, by=admin)
        for entry in entries[approve : approve + reject]:
            registration.reject(entry=entry, reason=self.rng.choice(REJECTIONS[competition.kind]), by=admin)
        return entries

    # --- history --------------------------------------------------------------------------------------------

    def audit_mark(self) -> int:
        db.session.flush()
        return db.session.scalar(select(func.max(AuditLog.id))) or 0

    def backdate(self, competition: Competition, plan: Plan, since: int) -> None:
        """Move what the services just did to the plan's days: the window, each entry's registration and
        decision (inside the window), the draws, and the audit rows that recorded them."""
        db.session.flush()
        competition.registration_opens, competition.registration_closes = plan.opens, plan.closes
        competition.created_at = plan.created
        competition.status_changed_at = plan.steps.get(competition.status, plan.created)
        last_entry = min(plan.closes, self.now) - timedelta(minutes=30)
        times: dict[str, tuple[datetime, datetime]] = {}
        entries = db.session.scalars(select(Entry).where(Entry.competition_id == competition.id))
        for entry in entries:
            created = self.between(plan.opens + timedelta(hours=2), last_entry - timedelta(days=1))
            decided = min(created + timedelta(hours=self.rng.randint(2, 96)), last_entry)
            entry.created_at = created
            if entry.decided_at is not None:
                entry.decided_at = decided
            if entry.approved_at is not None:
                entry.approved_at = decided
            times[str(entry.id)] = (created, decided)
        drawn = plan.steps.get("drawn")
        for record in db.session.scalars(
            select(DrawRecord).where(DrawRecord.competition_id == competition.id)
        ):
            record.drawn_at = drawn or record.drawn_at
        rows = db.session.scalars(select(AuditLog).where(AuditLog.id > since).order_by(AuditLog.id))
        for row in rows:
            if row.action == "competition.create":
                row.at = plan.created
            elif row.action == "competition.transition":
                row.at = plan.steps[row.details["to"]]
            elif row.action == "competition.draw":
                row.at = drawn
            elif row.object_type == "entry" and row.object_id in times:
                created, decided = times[row.object_id]
                row.at = created if row.action == "entry.register" else decided
