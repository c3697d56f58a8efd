"""Written tests in the demo: a drill whose 笔试 is being sat this week, and a province-wide safety quiz.

``load_demo_exams`` runs last in ``load_demo``, with a generator of its own (the rest of the demo is the same
with or without it). Everything goes through the services as people would use them: the union opens staff
accounts (``accounts.create_staff_accounts``: a quiz for everyone needs them), the competitions are created
and stepped, the banks imported (``exam_bank.import_bank_json`` from ``data/demo_bank.json``), entrants
registered, and each sitting started, saved and handed in through ``services.exams`` with ``now=`` set in the
past; then the history is moved to the moments it would have happened at (``demo.contest_kit``). The papers
are drawn by the service (its seeds are random by design), so the scores differ from one load to the next.

- 东湖理工大学{year}年行政后勤岗位练兵 (school level, registration closed and drawn): 笔试 (40%, 30 minutes,
  20 single × 2 + 10 multiple × 3 with 少选得一半 + 10 true/false × 1 = 80 points, drawn from 62 questions on
  fire and electrical safety, official documents, repairs, food safety, confidentiality and emergencies) is
  open from yesterday 09:00 until 17:00 a week from today; 实操 (60%, judged: 操作规范 40, 完成质量 40,
  安全文明 20) follows. About half the entrants have handed in, a few are answering now, and the demo account
  笔试演示 (an office worker of DHUT) is approved and has not started: it can sit the test now on a phone.
- {year}年全省高校教职工安全知识竞赛 (provincial, every post, entries approved automatically): one exam round
  (15 minutes, 10 single + 10 true/false × 5 = 100) open since three days ago for four more days; between a
  sixth and a third of each university's staff have registered (approved at once, which raises coverage) and
  nearly all of them have handed in; a few are answering now.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from ..domain import exam
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, PostCategory, QuestionType, Role
from ..extensions import db
from ..models import AuditLog, Competition, Question, RoleGrant, Round, Staff, User
from ..services import accounts, exam_bank, exams, registration
from .contest_kit import ContestKit, Plan
from .people import ROLE_WORDS, Login, _user

BANK = Path(__file__).resolve().parent.parent / "data" / "demo_bank.json"
SITTER_ROLE = f"{ROLE_WORDS[Role.STAFF]} (笔试演示 written test)"
DRILL_ENTRANTS, DRILL_SUBMITTED, DRILL_ANSWERING = 36, 18, 3
QUIZ_ANSWERING = 6
# Share of each university's active staff who took the quiz so far (the far-behind college least).
QUIZ_SHARE = {"DHUT": 0.30, "LJNU": 0.26, "NSMU": 0.34, "XXUFE": 0.24, "BLAF": 0.21, "YQVC": 0.16}
PARTS = (("single", 20, 2), ("multiple", 10, 3), ("true_false", 10, 1))
DRILL_PAPER = [{"type": type_, "count": n, "points": points} for type_, n, points in PARTS]
DRILL_EXAM = {"minutes": 30, "show_answers": True, "multiple_partial": 0.5, "paper": DRILL_PAPER}
PRACTICAL = {
    "name": "实操",
    "weight": 0.6,
    "mode": "queue",
    "criteria": [
        {"name": "操作规范", "max_score": 40, "description": "按规程操作，流程与格式符合要求，防护到位"},
        {"name": "完成质量", "max_score": 40, "description": "成果准确、完整，达到岗位标准"},
        {"name": "安全文明", "max_score": 20, "description": "安全措施落实，现场整洁，文明作业"},
    ],
}
QUIZ_EXAM = {
    "minutes": 15,
    "show_answers": True,
    "paper": [{"type": "single", "count": 10, "points": 5}, {"type": "true_false", "count": 10, "points": 5}],
}


@dataclass
class DemoExams:
    """The log-ins with the written test's sitter added, and the lines that tell where to look."""

    logins: list[Login]
    notes: list[str]


def _exam_round(name: str, weight: float, settings: dict, opens: datetime, closes: datetime) -> dict:
    window = {
        "opens": opens.replace(tzinfo=UTC).isoformat(),
        "closes": closes.replace(tzinfo=UTC).isoformat(),
    }
    return {"name": name, "weight": weight, "kind": "exam", "exam": {**settings, **window}}


class _Exams(ContestKit):
    def __init__(self, rng: random.Random, now: datetime):
        super().__init__(rng, now)
        # How each sitting goes depends on the paper the service draws (at random): a generator of its own
        # keeps the rest the same from one load to the next.
        self.answering = random.Random(rng.random())
        self.choosing = random.Random(rng.random())  # who takes the quiz, whatever the time of loading
        self.bank = json.loads(BANK.read_text(encoding="utf-8"))
        # Everyone with an account already plays a part of their own elsewhere in the demo.
        self.reserved |= set(
            db.session.scalars(select(RoleGrant.staff_id).where(RoleGrant.staff_id.is_not(None)))
        )
        self.admin = self.people.admins["DHUT"]

    # --- accounts -------------------------------------------------------------------------------------------

    def sitter(self) -> tuple[Login, User, Staff]:
        """The demo account 笔试演示: an office worker of DHUT's logistics, with a password of its own."""
        logistics = lambda m: m.category == PostCategory.ADMIN_LOGISTICS and "后勤" in m.department.name  # noqa: E731
        [member], university = self.pick("DHUT", 1, logistics), self.universities["DHUT"]
        grant = RoleGrant(role=Role.STAFF, university_id=university.id, staff_id=member.id)
        user, password = _user(f"DHUT{member.staff_no}", member.name, grant)
        db.session.flush()
        where = f"{university.name} {university.code}"
        return Login(user.username, password, SITTER_ROLE, where, member.name), user, member

    def open_accounts(self) -> dict[int, User]:
        """Each union opens its staff's accounts ten days ago; staff id → account."""
        first = (db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1)) or 0) + 1
        known = set(db.session.scalars(select(User.id)))
        for code in sorted(self.universities):
            accounts.create_staff_accounts(university=self.universities[code], by=self.people.admins[code])
        opened = self.day(-10, 10)
        db.session.execute(update(AuditLog).where(AuditLog.id >= first).values(at=opened))
        db.session.execute(update(User).where(User.id.not_in(known)).values(created_at=opened))
        rows = db.session.execute(
            select(RoleGrant.staff_id, User)
            .join(User, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == Role.STAFF)
        )
        return {staff_id: user for staff_id, user in rows}

    # --- sitting --------------------------------------------------------------------------------------------

    def sit(self, round_: Round, user: User, start: datetime, *, until: datetime | None = None) -> None:
        """One sitting through the service: started at ``start``, answered in two saves, handed in (or, with
        ``until``, still being answered at that moment)."""
        attempt, _ = exams.start_attempt(round_=round_, user=user, now=start)
        user.last_login_at, user.must_change_password = start - timedelta(minutes=2), False
        answers = self.answers(attempt, self.skill())
        used = timedelta(minutes=round_.exam_minutes * self.answering.uniform(0.35, 0.95))
        half = dict(list(answers.items())[: len(answers) // 2])
        if until is not None:
            exams.save_answers(attempt=attempt, answers=half, by=user, now=until - timedelta(seconds=20))
            return
        exams.save_answers(attempt=attempt, answers=half, by=user, now=start + used / 2)
        exams.save_answers(attempt=attempt, answers=answers, by=user, now=start + used)
        # One in 25 never presses 交卷: marked at the deadline with what was saved.
        late = self.answering.random() < 0.04
        exams.submit_attempt(attempt=attempt, by=user, now=attempt.deadline if late else start + used)

    def skill(self) -> float:
        return min(0.98, max(0.35, self.answering.gauss(0.78, 0.12)))

    def answers(self, attempt, skill: float) -> dict[str, list[str]]:
        """Mostly right, some wrong (a plausible wrong option, or 少选 for multiple choice), a few blank."""
        chosen_keys = {}
        for placed in exam.paper_from_data(attempt.paper):
            question = self.questions[placed.question_id]
            right = set(question.answer)
            if self.answering.random() < 0.03:
                continue
            others = [o for o in placed.options if o not in right]
            if self.answering.random() < skill + self.hardness[question.id]:
                chosen = right
            elif question.type == QuestionType.MULTIPLE and (len(right) > 2 or not others):
                chosen = set(self.answering.sample(sorted(right), len(right) - 1))
                if others and self.answering.random() < 0.4:
                    chosen.add(self.answering.choice(others))
            else:
                chosen = {self.answering.choice(others)}
            keys = sorted(exam.displayed_key(placed.options, o) for o in chosen)
            chosen_keys[str(question.id)] = keys
        return chosen_keys

    def load_bank(self, round_: Round, items: list[dict], by: User) -> None:
        exam_bank.import_bank_json(round_=round_, items=items, by=by)
        rows = db.session.scalars(select(Question).where(Question.round_id == round_.id)).all()
        self.questions = {q.id: q for q in rows}
        self.hardness = {q.id: self.rng.uniform(-0.22, 0.1) for q in rows}

    def moment(self, start: datetime, end: datetime) -> datetime:
        """A moment between ``start`` and ``end``, in waking hours (08:00–22:00 local) when there are any."""
        for _ in range(20):
            moment = self.between(start, end)
            if 8 <= self.local(moment).hour < 22:
                return moment
        return moment

    # --- the two competitions -------------------------------------------------------------------------------

    def drill(self, sitter: tuple[User, Staff], users: dict[int, User]) -> Competition:
        admin, university = self.admin, self.universities["DHUT"]
        since = self.audit_mark()
        plan = Plan(created=self.day(-36, 10), opens=self.day(-28, 9), closes=self.day(-4, 17))
        plan.steps = {
            CompetitionStatus.REGISTRATION_OPEN: plan.opens,
            CompetitionStatus.REGISTRATION_CLOSED: plan.closes,
            "drawn": self.day(-3, 15),
        }
        opens, closes = self.day(-1, 9), self.day(7, 17)
        competition = self.create(
            "admin-logistics-drill",
            name=university.name + "{year}年行政后勤岗位练兵",
            level=CompetitionLevel.SCHOOL,
            code="DHUT",
            by=admin,
            opens=plan.opens,
            rounds=[_exam_round("笔试", 0.4, DRILL_EXAM, opens, closes), PRACTICAL],
        )
        exam_round = competition.rounds[0]
        self.load_bank(exam_round, self.bank["drill"], admin)
        self.step(competition, CompetitionStatus.REGISTRATION_OPEN, admin)
        user, member = sitter
        groups = {g.name: g for g in competition.groups}
        registration.approve(entry=self.enter(competition, member, groups, by=user), by=admin)
        office = self.pick("DHUT", DRILL_ENTRANTS, lambda m: m.category == PostCategory.ADMIN_LOGISTICS)
        entries = self.nominate(competition, "DHUT", office, approve=DRILL_ENTRANTS - 1, reject=1)
        self.step(competition, CompetitionStatus.REGISTRATION_CLOSED, admin)
        self.draw(competition, admin)
        self.backdate(competition, plan, since)
        imported = update(AuditLog).where(AuditLog.id > since, AuditLog.action == "exam.bank_import")
        db.session.execute(imported.values(at=plan.created + timedelta(days=1, hours=4)))
        approved = [e for e in entries if e.status == EntryStatus.APPROVED]
        sitting = self.rng.sample(approved, DRILL_SUBMITTED + DRILL_ANSWERING)
        for entry in sitting[:DRILL_SUBMITTED]:
            start = self.moment(opens + timedelta(minutes=5), self.now - timedelta(minutes=45))
            self.sit(exam_round, users[entry.staff_id], start)
        for entry in sitting[DRILL_SUBMITTED:]:
            start = self.now - timedelta(minutes=self.rng.randint(4, 20), seconds=self.rng.randrange(60))
            self.sit(exam_round, users[entry.staff_id], start, until=self.now)
        return competition

    def quiz(self, users: dict[int, User]) -> tuple[Competition, int]:
        organizer = self.people.organizer
        since = self.audit_mark()
        opens, closes = self.day(-3, 8), self.day(4, 22)
        created = self.day(-9, 15)
        competition = self.create(
            "admin-logistics-drill",
            name="{year}年全省高校教职工安全知识竞赛",
            level=CompetitionLevel.PROVINCIAL,
            code=None,
            by=organizer,
            opens=opens,
            auto_approve=True,
            eligible_categories=[c.value for c in PostCategory],
            description="全员答题：每人一次，15分钟，单选题与判断题各10题，题目和选项随机排列，交卷后自动评分。",
            groups=[{"name": "教职工组"}],
            rounds=[_exam_round("安全知识答题", 1, QUIZ_EXAM, opens, closes)],
            awards=[],
        )
        round_ = competition.rounds[0]
        self.load_bank(round_, self.bank["quiz"], organizer)
        self.step(competition, CompetitionStatus.REGISTRATION_OPEN, organizer)
        group = competition.groups[0]
        takers = []
        for code in sorted(self.universities):
            pool = [m for m in self.staff[code] if m.id in users and m.id not in self.reserved]
            takers += self.choosing.sample(pool, round(len(pool) * QUIZ_SHARE.get(code, 0.25)))
        answering = {m.id for m in self.rng.sample(takers, QUIZ_ANSWERING)}  # on their phones right now
        moments: dict[str, datetime] = {}
        for member in takers:
            user = users[member.id]
            entry = registration.register(competition=competition, group_id=group.id, staff=member, by=user)
            registered = self.moment(opens + timedelta(minutes=30), self.now - timedelta(minutes=40))
            if member.id in answering:
                registered = self.now - timedelta(minutes=self.rng.randint(3, 12))
            entry.created_at = entry.decided_at = entry.approved_at = moments[str(entry.id)] = registered
            start = registered + timedelta(seconds=self.rng.randint(20, 120))
            if member.id in answering:
                self.sit(round_, user, start, until=self.now)
            elif self.rng.random() >= 0.04:  # a few registered and have not started yet
                self.sit(round_, user, start)
        db.session.flush()
        competition.registration_opens, competition.registration_closes = opens, closes
        competition.created_at, competition.status_changed_at = created, opens
        for row in db.session.scalars(select(AuditLog).where(AuditLog.id > since)):
            row.at = moments.get(row.object_id, opens) if row.object_type == "entry" else created
            row.at = opens if row.action == "competition.transition" else row.at
        return competition, len(moments)


def load_demo_exams(*, seed: int, logins: list[Login], url: str, now: datetime | None = None) -> DemoExams:
    """Add the drill with its written test and the province-wide quiz (the caller commits); ``logins`` with
    the sitter's log-in added after the other staff accounts, and the lines that say where to look."""
    now = now or datetime.now(UTC)
    now = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
    kit = _Exams(random.Random(f"demo-exams-{seed}"), now)
    login, user, member = kit.sitter()
    users = kit.open_accounts()
    drill = kit.drill((user, member), users)
    quiz, takers = kit.quiz(users)
    db.session.flush()
    closes = kit.local(drill.rounds[0].exam_closes).strftime("%m-%d %H:%M")
    notes = [
        f"笔试演示 / Written test: {login.username} ({login.name}) 可用手机登录参加 {drill.name} 的笔试 "
        f"(开放至 {closes}) / may sit its written test now on a phone:",
        f"  {url}/exams/{drill.rounds[0].id}/",
        f"  答题进度 Progress (admin_dhut): {url}/exams/{drill.id}/progress",
        f"全员答题 / Province-wide quiz: {quiz.name}, 已有 {takers:,} 人参加，报名自动通过 / "
        f"{takers:,} staff took part so far, approved automatically: {url}/exams/{quiz.id}/progress",
    ]
    last_staff = max(i for i, x in enumerate(logins) if x.role.startswith(ROLE_WORDS[Role.STAFF]))
    return DemoExams([*logins[: last_staff + 1], login, *logins[last_staff + 1 :]], notes)
