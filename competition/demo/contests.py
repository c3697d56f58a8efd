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
- 南山医科大学实验室安全知识与技能竞赛 (NSMU, drill): registration in spring, closed and drawn; judged,
  scored and published a few days later by ``demo.results`` (which needs the judges ``demo.judging`` adds).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from sqlalchemy import select

from ..domain.eligibility import age_on
from ..enums import CompetitionLevel, CompetitionStatus, PostCategory
from ..extensions import db
from ..models import Competition, Staff
from ..services import registration
from .contest_kit import ContestKit, Plan


class _Loader(ContestKit):
    """The five demo competitions, each told from its creation to the state it is in today."""

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
        plan = Plan(created=self.day(-13, 10), opens=self.day(-6, 9), closes=self.day(24, 17))
        competition = self.create(
            "young-teachers-teaching",
            name="{year}年全省高校青年教师教学竞赛",
            level=CompetitionLevel.PROVINCIAL,
            code=None,
            by=organizer,
            opens=plan.opens,
            quota_per_university=8,
        )
        plan.steps = {CompetitionStatus.REGISTRATION_OPEN: plan.opens}
        self.step(competition, CompetitionStatus.REGISTRATION_OPEN, organizer)
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
        plan = Plan(created=self.day(-52, 10), opens=self.day(-40, 9), closes=self.day(-8, 17))
        competition = self.create(
            "admin-logistics-drill",
            name="{year}年全省高校行政后勤岗位练兵",
            level=CompetitionLevel.PROVINCIAL,
            code=None,
            by=organizer,
            opens=plan.opens,
            quota_per_university=5,
        )
        plan.steps = {
            CompetitionStatus.REGISTRATION_OPEN: plan.opens,
            CompetitionStatus.REGISTRATION_CLOSED: plan.closes,
            "drawn": self.day(-5, 15),
        }
        self.step(competition, CompetitionStatus.REGISTRATION_OPEN, organizer)
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
        self.step(competition, CompetitionStatus.REGISTRATION_CLOSED, organizer)
        self.draw(competition, organizer)
        self.backdate(competition, plan, since)

    def dhut_teaching(self) -> None:
        """DHUT's own contest: closed, drawn, scoring since the contest day; the young demo teacher is in."""
        admin = self.people.admins["DHUT"]
        since = self.audit_mark()
        university = self.universities["DHUT"]
        plan = Plan(created=self.day(-80, 10), opens=self.day(-70, 9), closes=self.day(-42, 17))
        competition = self.create(
            "young-teachers-teaching",
            name=university.name + "{year}年青年教师教学竞赛",
            level=CompetitionLevel.SCHOOL,
            code="DHUT",
            by=admin,
            opens=plan.opens,
        )
        plan.steps = {
            CompetitionStatus.REGISTRATION_OPEN: plan.opens,
            CompetitionStatus.REGISTRATION_CLOSED: plan.closes,
            "drawn": self.day(-35, 15),
            CompetitionStatus.SCORING: self.day(-2, 8),
        }
        self.step(competition, CompetitionStatus.REGISTRATION_OPEN, admin)
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
        self.step(competition, CompetitionStatus.REGISTRATION_CLOSED, admin)
        self.draw(competition, admin)
        self.step(competition, CompetitionStatus.SCORING, admin)
        self.backdate(competition, plan, since)

    def ljnu_drill(self) -> None:
        """A draft LJNU's union is still preparing: registration is to open in two weeks."""
        admin = self.people.admins["LJNU"]
        since = self.audit_mark()
        university = self.universities["LJNU"]
        plan = Plan(created=self.day(-2, 16), opens=self.day(12, 9), closes=self.day(40, 17))
        competition = self.create(
            "admin-logistics-drill",
            name=university.name + "{year}年行政后勤岗位练兵",
            level=CompetitionLevel.SCHOOL,
            code="LJNU",
            by=admin,
            opens=plan.opens,
        )
        self.backdate(competition, plan, since)

    def nsmu_lab_safety(self) -> None:
        """Held in spring: closed and drawn here; ``demo.results`` judges it and publishes the results."""
        admin = self.people.admins["NSMU"]
        since = self.audit_mark()
        university = self.universities["NSMU"]
        # In spring (235 days ago in late November); loaded early in a year, in its first days instead, or
        # in the spring of the year before when the year is only weeks old.
        today = self.local(self.now).date()
        elapsed = (today - date(today.year, 1, 1)).days
        start = -235 if elapsed >= 240 or elapsed < 45 else 5 - elapsed
        plan = Plan(
            created=self.day(start - 10, 10), opens=self.day(start, 9), closes=self.day(start + 21, 17)
        )
        plan.steps = {
            CompetitionStatus.REGISTRATION_OPEN: plan.opens,
            CompetitionStatus.REGISTRATION_CLOSED: plan.closes,
            "drawn": self.day(start + 24, 15),
        }
        competition = self.create(
            "lab-safety-drill",
            name=university.name + "{year}年实验室安全知识与技能竞赛",
            level=CompetitionLevel.SCHOOL,
            code="NSMU",
            by=admin,
            opens=plan.opens,
        )
        self.step(competition, CompetitionStatus.REGISTRATION_OPEN, admin)
        lab = ("实验", "医学", "药学", "基础", "公共卫生")
        self.nominate(
            competition,
            "NSMU",
            self.pick("NSMU", 15, lambda m: any(w in m.department.name for w in lab)),
            approve=14,
            reject=1,
        )
        self.step(competition, CompetitionStatus.REGISTRATION_CLOSED, admin)
        self.draw(competition, admin)
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
