"""Demo competitions: one in every state of the life cycle, made through the services as people would.

``load_demo_contests`` runs inside ``load_demo`` once the universities, their staff and the accounts
exist. The competitions are created from the templates, opened, filled with entries, decided, closed and
drawn through ``services.competitions``, ``services.registration`` and ``services.draw`` (so validation,
eligibility, quotas, the recorded seeds and the audit trail are the real ones); then each history is moved
to the days it would have happened on (registration window, entries, decisions, draws, transitions, audit
rows), relative to the moment of loading:

- 全省高校青年教师教学竞赛 (provincial, teaching): registration open (opened days ago, closes in
  weeks), quota 8 per university, pending and approved entries from five universities, one rejected with a
  reason. The DHUT young teacher's demo account is not registered (a visitor can try); the senior teacher
  is refused by age.
- 全省高校行政后勤岗位练兵 (provincial, drill): registration closed in the past and drawn; the DHUT admin
  and logistics demo account registered for it themselves and was approved.
- 东湖理工大学青年教师教学竞赛 (DHUT, teaching): drawn and scoring; the DHUT young teacher takes part.
- 临江师范学院行政后勤岗位练兵 (LJNU, drill): a draft, its registration to open in two weeks.
- 南山医科大学实验室安全知识与技能竞赛 (NSMU, drill): held in spring and published (scores come with
  judging).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .domain.eligibility import age_on
from .enums import PostCategory, Role
from .extensions import db
from .models import AuditLog, Competition, DrawRecord, Entry, RoleGrant, Staff, University, User
from .services import competition_templates, competitions, draw, registration

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
    "teaching": (
        "本学年未承担本科课程教学任务，不符合参赛条件。",
        "近三年已获校级教学竞赛一等奖，按规定本届不再参赛。",
        "教学大纲与教学设计未按时提交，请参加下一届。",
    ),
    "drill": (
        "所在岗位不在本次练兵范围内，请报名下一期。",
        "本部门已推荐其他同志参赛，名额调整。",
    ),
}


@dataclass
class _Plan:
    """The days of a competition's life, as naive UTC datetimes (what the columns hold)."""

    created: datetime
    opens: datetime
    closes: datetime
    steps: dict[str, datetime] = field(default_factory=dict)  # status → when it was entered


@dataclass
class _People:
    organizer: User
    admins: dict[str, User]  # university code → its union admin
    accounts: dict[str, tuple[User, Staff]]  # "young", "senior", "office" → the demo staff accounts


class _Loader:
    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now  # naive UTC
        self.zone = competitions.local_zone()
        self.universities = {u.code: u for u in db.session.scalars(select(University))}
        self.people = self._people()
        self.staff = self._staff()
        # Demo accounts are placed by hand, never drawn at random.
        self.reserved = {member.id for _, member in self.people.accounts.values()}

    # --- who is who -----------------------------------------------------------------------------------------

    def _people(self) -> _People:
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
        return _People(user("organizer"), admins, accounts)

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

    def backdate(self, competition: Competition, plan: _Plan, since: int) -> None:
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

    # --- the five competitions ------------------------------------------------------------------------------

    @staticmethod
    def young(competition: Competition):
        """Teaching staff within the contest's age limit on its reference date (young teachers' contests)."""
        return lambda m: (
            m.category == PostCategory.TEACHING_RESEARCH
            and m.birth_date is not None
            and age_on(m.birth_date, competition.age_reference_date) <= competition.max_age
        )

    @staticmethod
    def office(m: Staff) -> bool:
        return m.category in (PostCategory.ADMIN_LOGISTICS, PostCategory.OTHER)

    def provincial_teaching(self) -> None:
        """Open now: nominations from five universities, some approved; the young demo teacher may enter."""
        organizer = self.people.organizer
        since = self.audit_mark()
        plan = _Plan(created=self.day(-13, 10), opens=self.day(-6, 9), closes=self.day(24, 17))
        competition = self.create(
            "young-teachers-teaching",
            name="{year}年全省高校青年教师教学竞赛",
            level="provincial",
            code=None,
            by=organizer,
            opens=plan.opens,
            quota_per_university=8,
        )
        plan.steps = {"registration_open": plan.opens}
        self.step(competition, "registration_open", organizer)
        eligible = self.young(competition)
        # (university, registered, approved, rejected): within the quota of 8 approved everywhere.
        for code, n, approve, reject in (
            ("DHUT", 5, 3, 0),
            ("LJNU", 6, 4, 1),
            ("NSMU", 4, 2, 0),
            ("XXUFE", 3, 0, 0),
            ("BLAF", 2, 1, 0),
        ):
            self.nominate(competition, code, self.pick(code, n, eligible), approve=approve, reject=reject)
        self.backdate(competition, plan, since)

    def provincial_drill(self) -> None:
        """Closed a week ago and drawn; the DHUT office worker registered themselves."""
        organizer = self.people.organizer
        since = self.audit_mark()
        plan = _Plan(created=self.day(-52, 10), opens=self.day(-40, 9), closes=self.day(-8, 17))
        competition = self.create(
            "admin-logistics-drill",
            name="{year}年全省高校行政后勤岗位练兵",
            level="provincial",
            code=None,
            by=organizer,
            opens=plan.opens,
            quota_per_university=5,
        )
        plan.steps = {
            "registration_open": plan.opens,
            "registration_closed": plan.closes,
            "drawn": self.day(-5, 15),
        }
        self.step(competition, "registration_open", organizer)
        user, member = self.people.accounts["office"]
        groups = {g.name: g for g in competition.groups}
        own = self.enter(competition, member, groups, by=user)
        registration.approve(entry=own, by=self.people.admins["DHUT"])
        for code, n, approve, reject in (
            ("DHUT", 3, 3, 0),
            ("LJNU", 5, 4, 1),
            ("NSMU", 3, 3, 0),
            ("XXUFE", 4, 4, 0),
            ("BLAF", 2, 2, 0),
            ("YQVC", 2, 2, 0),
        ):
            self.nominate(competition, code, self.pick(code, n, self.office), approve=approve, reject=reject)
        self.step(competition, "registration_closed", organizer)
        self.draw(competition, organizer)
        self.backdate(competition, plan, since)

    def dhut_teaching(self) -> None:
        """DHUT's own contest: closed, drawn, scoring since the contest day; the young demo teacher is in."""
        admin = self.people.admins["DHUT"]
        since = self.audit_mark()
        university = self.universities["DHUT"]
        plan = _Plan(created=self.day(-80, 10), opens=self.day(-70, 9), closes=self.day(-42, 17))
        competition = self.create(
            "young-teachers-teaching",
            name=university.name + "{year}年青年教师教学竞赛",
            level="school",
            code="DHUT",
            by=admin,
            opens=plan.opens,
        )
        plan.steps = {
            "registration_open": plan.opens,
            "registration_closed": plan.closes,
            "drawn": self.day(-35, 15),
            "scoring": self.day(-2, 8),
        }
        self.step(competition, "registration_open", admin)
        user, member = self.people.accounts["young"]
        groups = {g.name: g for g in competition.groups}
        own = self.enter(competition, member, groups, by=user)
        registration.approve(entry=own, by=admin)
        entries = self.nominate(
            competition,
            "DHUT",
            self.pick("DHUT", 18, self.young(competition)),
            approve=15,
            reject=2,
        )
        registration.withdraw(entry=entries[-1], by=admin)  # one withdrew before the deadline
        self.step(competition, "registration_closed", admin)
        self.draw(competition, admin)
        self.step(competition, "scoring", admin)
        self.backdate(competition, plan, since)

    def ljnu_drill(self) -> None:
        """A draft LJNU's union is still preparing: registration is to open in two weeks."""
        admin = self.people.admins["LJNU"]
        since = self.audit_mark()
        university = self.universities["LJNU"]
        plan = _Plan(created=self.day(-2, 16), opens=self.day(12, 9), closes=self.day(40, 17))
        competition = self.create(
            "admin-logistics-drill",
            name=university.name + "{year}年行政后勤岗位练兵",
            level="school",
            code="LJNU",
            by=admin,
            opens=plan.opens,
        )
        self.backdate(competition, plan, since)

    def nsmu_lab_safety(self) -> None:
        """Held in spring, published since (the scores come with judging)."""
        admin = self.people.admins["NSMU"]
        since = self.audit_mark()
        university = self.universities["NSMU"]
        # In spring (235 days ago in late November); loaded early in a year, in its first days instead, or
        # in the spring of the year before when the year is only weeks old.
        today = self.local(self.now).date()
        elapsed = (today - date(today.year, 1, 1)).days
        start = -235 if elapsed >= 240 or elapsed < 45 else 5 - elapsed
        plan = _Plan(
            created=self.day(start - 10, 10), opens=self.day(start, 9), closes=self.day(start + 21, 17)
        )
        plan.steps = {
            "registration_open": plan.opens,
            "registration_closed": plan.closes,
            "drawn": self.day(start + 24, 15),
            "scoring": self.day(start + 28, 8),
            "published": self.day(start + 35, 10),
        }
        competition = self.create(
            "lab-safety-drill",
            name=university.name + "{year}年实验室安全知识与技能竞赛",
            level="school",
            code="NSMU",
            by=admin,
            opens=plan.opens,
        )
        self.step(competition, "registration_open", admin)
        lab = ("实验", "医学", "药学", "基础", "公共卫生")
        self.nominate(
            competition,
            "NSMU",
            self.pick("NSMU", 15, lambda m: any(w in m.department.name for w in lab)),
            approve=14,
            reject=1,
        )
        self.step(competition, "registration_closed", admin)
        self.draw(competition, admin)
        self.step(competition, "scoring", admin)
        self.step(competition, "published", admin)
        self.backdate(competition, plan, since)


def load_demo_contests(*, rng: random.Random, now: datetime | None = None) -> list[Competition]:
    """Add the five demo competitions to the session (the caller commits) and return them.

    ``now`` (default: the present, as an aware datetime) is the moment the histories are told from.
    """
    now = now or datetime.now(UTC)
    now = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
    loader = _Loader(rng, now)
    loader.nsmu_lab_safety()
    loader.dhut_teaching()
    loader.provincial_drill()
    loader.provincial_teaching()
    loader.ljnu_drill()
    db.session.flush()
    return list(db.session.scalars(select(Competition).order_by(Competition.id)))
