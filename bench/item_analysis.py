"""Item analysis at scale (issue 11, Performance): ``python bench/item_analysis.py``, or ``bench/run.py --only
item``.

For each engine, a throw-away database (a SQLite file in a temporary folder; on PostgreSQL
``bench_judging_<pid>``, made with ``createdb`` and dropped at the end whatever happens: the ``database`` of
``bench/judging.py``) gets the schema through the migrations and, through the services, a provincial quiz
with one exam round whose bank holds ``--questions`` questions (60% single choice, 20% multiple, 20%
true/false) and whose paper draws ``--paper`` of them (the same shares; multiple choice with 少选得一半), and
``--attempts`` approved entrants of 20 universities (staff and entries in bulk). Each entrant's first attempt
is then written in bulk (Core inserts into ``exam_attempt``, 5,000 rows a statement) as ``services.exams``
leaves a submitted one: a paper drawn by ``domain.exam.draw_paper`` from a seed of its own, answers (original
option indexes by question id) from a level per entrant and a difficulty per question, and the score and the
questions answered exactly right from ``domain.exam.mark_attempt``, and the outcome packed as marking packs
it. One account owns every attempt: item analysis never reads it.

Then ``services.exam_analysis.item_analysis_for(round_)`` (the organizer's 试题分析 page and
``GET /rounds/{id}/item_analysis``), the round read by its key in a fresh session each run as a request would:
the median of ``--runs`` runs after one warm-up (bar: 1 s), and where the time of one run goes: fetching the
scores and packed outcomes, and the counting of ``domain.item_packed`` with numpy (``--profile`` adds
cProfile's top functions of one run).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import judging  # noqa: E402  (the throw-away, migrated databases; the verdicts)
from run import _figure  # noqa: E402  (milliseconds as bench/run.py prints them)

ATTEMPTS, QUESTIONS, PAPER = 20_000, 150, 100
BAR_MS = 1000.0
CHUNK = 5_000
POINTS = {"single": 1, "multiple": 2, "true_false": 1}


@dataclass
class Quiz:
    round_id: int
    attempts: int
    questions: int
    paper: int


def shares(total: int) -> dict[str, int]:
    """60% single, 20% multiple, the rest true/false: 150 → 90, 30, 30."""
    single, multiple = round(total * 0.6), round(total * 0.2)
    return {"single": single, "multiple": multiple, "true_false": total - single - multiple}


def bank_items(questions: int) -> list[dict]:
    """The bank in the API's JSON form: four options per choice question, two right in a multiple one."""
    items = []
    for type_, n in shares(questions).items():
        for i in range(n):
            item = {"type": type_, "text": f"{type_} 第{i + 1:03d}题：安全知识与岗位规范", "answer": [i % 2]}
            if type_ != "true_false":
                item["options"] = [f"选项{k + 1}" for k in range(4)]
                item["answer"] = [i % 4] if type_ == "single" else sorted({i % 4, (i + 2) % 4})
            items.append(item)
    return items


def quiz_body(paper: int, now: datetime) -> dict:
    body = judging._body(groups=1, rounds=1, criteria=1)
    body["name"] = "基准测试·全员安全知识答题"
    body["auto_approve"] = True
    body["groups"] = [{"name": "教职工组"}]
    rule = [{"type": t, "count": n, "points": POINTS[t]} for t, n in shares(paper).items()]
    window = {"opens": (now - timedelta(days=3)).isoformat(), "closes": (now + timedelta(days=4)).isoformat()}
    exam = {"minutes": 30, "show_answers": False, "attempts": 1, "multiple_partial": 0.5, "paper": rule}
    body["rounds"] = [{"name": "知识答题", "weight": 1, "kind": "exam", "exam": {**exam, **window}}]
    return body


def _answer(rng: random.Random, question, level: float, difficulty: float) -> list[int] | None:
    """Original option indexes chosen (None: left blank)."""
    if rng.random() < 0.03:
        return None
    right = sorted(question.answer)
    count = 2 if question.type == "true_false" else len(question.options)
    if rng.random() < level + difficulty:
        return right
    wrong = [o for o in range(count) if o not in right]
    if question.type == "multiple" and rng.random() < 0.5:
        return [rng.choice(right)]  # 少选: half the points
    return [rng.choice(wrong)]


def add_staff(universities: list, count: int) -> None:
    """``count`` active admin and logistics staff spread over ``universities``, in bulk (工号 000000…)."""
    from sqlalchemy import insert

    from competition.extensions import db
    from competition.models import Staff

    rows = []
    for k in range(count):
        university = universities[k % len(universities)]
        department = university.departments[0].id
        rows.append(
            {"university_id": university.id, "staff_no": f"{k:06d}", "name": f"答题者{k:05d}"}
            | {"department_id": department, "category": "admin_logistics", "active": True}
        )
    db.session.execute(insert(Staff), rows)


def approve_everyone(competition, by, entrants: list[tuple[int, int]] | None = None) -> list[int]:
    """An approved entry in the competition's first group for every staff member (or each of ``entrants``,
    (staff id, university id) pairs), in bulk; their ids."""
    from sqlalchemy import insert, select

    from competition.extensions import db
    from competition.models import Entry, Staff

    now = datetime.now(UTC).replace(tzinfo=None)
    group = competition.groups[0].id
    everyone = select(Staff.id, Staff.university_id).order_by(Staff.staff_no)
    members = entrants if entrants is not None else db.session.execute(everyone).all()
    rows = [
        {"competition_id": competition.id, "group_id": group, "staff_id": staff, "university_id": university}
        | {"status": "approved", "created_by_id": by.id, "decided_at": now, "decided_by_id": by.id}
        | {"approved_at": now}
        for staff, university in members
    ]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(Entry), rows[start : start + CHUNK])
    return list(db.session.scalars(select(Entry.id).where(Entry.competition_id == competition.id)))


def _own_people(attempts: int):
    """The organizer, 20 universities and ``attempts`` staff of the quiz's own (when none are given)."""
    from werkzeug.security import generate_password_hash

    from competition.enums import Role
    from competition.extensions import db
    from competition.models import Department, RoleGrant, University, User

    digest = generate_password_hash("not-used", method="pbkdf2:sha256:2000")
    organizer = User(username="bench_organizer", display_name="基准测试组织者", password_hash=digest)
    organizer.roles = [RoleGrant(role=Role.ORGANIZER)]
    db.session.add(organizer)
    universities = []
    for u in range(judging.UNIVERSITIES):
        university = University(code=f"BE{u + 1:02d}", name=f"基准测试大学{u + 1:02d}")
        university.departments.append(Department(name="综合管理部门"))
        db.session.add(university)
        universities.append(university)
    db.session.flush()
    add_staff(universities, attempts)
    return organizer


def build(
    *,
    attempts: int = ATTEMPTS,
    questions: int = QUESTIONS,
    paper: int = PAPER,
    seed: int = 2026,
    organizer=None,
    entrants: list[tuple[int, int]] | None = None,
) -> Quiz:
    """The quiz and its submitted attempts in the current app context's database (committed); among people who
    exist already (``bench/generate.py``'s province) when given ``organizer`` and ``entrants`` ((staff id,
    university id) pairs, one attempt each), else its own."""
    from sqlalchemy import insert, select

    from competition.domain import exam
    from competition.domain.item_packed import pack_outcome
    from competition.enums import CompetitionStatus
    from competition.extensions import db
    from competition.models import ExamAttempt, Question
    from competition.services import competitions, exam_bank, exams

    rng = random.Random(seed)
    if organizer is None:
        organizer = _own_people(attempts)
    now = datetime.now(UTC).replace(tzinfo=None)
    competition = competitions.create_competition(data=quiz_body(paper, datetime.now(UTC)), by=organizer)
    round_ = competition.rounds[0]
    exam_bank.import_bank_json(round_=round_, items=bank_items(questions), by=organizer)
    competitions.transition(competition=competition, to=CompetitionStatus.REGISTRATION_OPEN, by=organizer)
    entry_ids = approve_everyone(competition, organizer, entrants)

    bank = {q.id: q for q in db.session.scalars(select(Question).where(Question.round_id == round_.id))}
    drawable = exams._bank(round_)  # what start_attempt draws from
    keys = {q.id: exam.AnswerKey(q.id, q.type, frozenset(q.answer)) for q in bank.values()}
    difficulty = {qid: rng.uniform(-0.3, 0.15) for qid in bank}
    rule, partial = round_.paper_rule, round_.exam_multiple_partial
    rows = []
    for entry_id in entry_ids:
        seed_ = rng.getrandbits(62)
        drawn = exam.draw_paper(drawable, rule, seed_)
        level = rng.uniform(0.35, 0.95)
        answers = {}
        for placed in drawn:
            chosen = _answer(rng, bank[placed.question_id], level, difficulty[placed.question_id])
            if chosen is not None:
                answers[placed.question_id] = chosen
        marked = exam.mark_attempt(
            [keys[p.question_id] for p in drawn],
            {qid: frozenset(chosen) for qid, chosen in answers.items()},
            rule,
            partial,
            competition.decimals,
        )
        started = now - timedelta(hours=rng.uniform(1, 70))
        used = timedelta(minutes=rng.uniform(8, 29))
        right = [qid for qid in answers if frozenset(answers[qid]) == keys[qid].correct]
        outcome = pack_outcome(
            (p.question_id, frozenset(answers.get(p.question_id, ())), p.question_id in right) for p in drawn
        )
        rows.append(
            {"round_id": round_.id, "entry_id": entry_id, "user_id": organizer.id, "number": 1, "seed": seed_}
            | {"paper": exam.paper_to_data(drawn), "answers": {str(q): c for q, c in answers.items()}}
            | {"started_at": started, "deadline": started + timedelta(minutes=30), "saved_at": started + used}
            | {"submitted_at": started + used, "status": "submitted", "closed_by": "submit", "right": right}
            | {"score": marked.total, "max_score": rule.maximum, "outcome": outcome}
        )
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(ExamAttempt), rows[start : start + CHUNK])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:  # as after any bulk load: fresh planner statistics
            connection.exec_driver_sql("ANALYZE")
    return Quiz(round_.id, len(rows), len(bank), len(next(iter(rows))["paper"]) if rows else 0)


# --- the measurement --------------------------------------------------------------------------------------


def analyse(quiz: Quiz):
    """Item analysis as a request computes it: the round read by its key, then the service."""
    from competition.extensions import db
    from competition.models import Round
    from competition.services import exam_analysis

    return exam_analysis.item_analysis_for(db.session.get(Round, quiz.round_id))


def time_analysis(quiz: Quiz, runs: int, warmup: int = 1) -> list[float]:
    from competition.extensions import db

    times = []
    for i in range(warmup + runs):
        db.session.remove()
        start = time.perf_counter()
        rows = analyse(quiz)
        elapsed = (time.perf_counter() - start) * 1000
        if i >= warmup:
            times.append(elapsed)
        assert len(rows) == quiz.questions
    db.session.remove()
    return times


def breakdown(quiz: Quiz) -> dict[str, float]:
    """Milliseconds of the parts of one run, each measured apart: the service's query of the scores and the
    packed outcomes, and the counting of ``domain.item_packed`` over them."""
    from sqlalchemy import select

    from competition.domain.item_packed import packed_item_analysis
    from competition.extensions import db
    from competition.models import Question, Round
    from competition.services.exam_analysis import first_attempt_outcomes

    def timed(function) -> tuple[float, object]:
        db.session.remove()
        started = time.perf_counter()
        value = function()
        return (time.perf_counter() - started) * 1000, value

    fetched, outcomes = timed(lambda: first_attempt_outcomes(db.session.get(Round, quiz.round_id)))
    ids = list(db.session.scalars(select(Question.id).where(Question.round_id == quiz.round_id)))
    counted = timed(lambda: packed_item_analysis(outcomes, ids))[0]
    db.session.remove()
    return {"fetching scores and packed outcomes": fetched, "counting (domain, numpy)": counted}


@dataclass
class Analysis:
    engine: str
    times_ms: list[float]
    parts: dict[str, float]

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def ok(self) -> bool:
        return self.median <= BAR_MS


def report(analysis: Analysis, quiz: Quiz) -> None:
    runs = ", ".join(_figure(t) for t in analysis.times_ms)
    print(
        f"item analysis [{analysis.engine}]: median {_figure(analysis.median)} ms (bar {BAR_MS:,.0f} ms) "
        f"{judging._verdict(analysis.ok)}; fastest {_figure(min(analysis.times_ms))} ms, slowest "
        f"{_figure(max(analysis.times_ms))} ms  ({quiz.attempts:,} attempts of {quiz.paper} questions drawn "
        f"from {quiz.questions}; runs: {runs}; load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    parts = ", ".join(f"{name} {_figure(ms)} ms" for name, ms in analysis.parts.items())
    print(f"  where the time goes (one run, parts measured apart): {parts}", flush=True)


def bench_engine(engine: str, args) -> Analysis | None:
    """Build, time, report one engine; None when the engine is not available."""
    with judging.database(engine) as target:
        if target is None:
            return None
        url, folder = target
        with judging.migrated(url, folder):
            from competition.extensions import db

            started = time.perf_counter()
            quiz = build(attempts=args.attempts, questions=args.questions, paper=args.paper, seed=args.seed)
            print(
                f"item analysis set-up [{engine}]: {time.perf_counter() - started:.1f} s ({quiz.attempts:,} "
                f"submitted attempts, {quiz.paper}-question papers from a bank of {quiz.questions})",
                flush=True,
            )
            analysis = Analysis(engine, time_analysis(quiz, args.runs), breakdown(quiz))
            report(analysis, quiz)
            if args.profile:
                db.session.remove()
                profiler = cProfile.Profile()
                profiler.runcall(analyse, quiz)
                pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(15)
            return analysis


def add_arguments(parser: argparse.ArgumentParser, *, prefix: str = "") -> None:
    """The options of this benchmark (``bench/run.py`` adds them with the prefix ``items-``)."""
    option = (lambda name: f"--{prefix}{name}") if prefix else (lambda name: f"--{name}")
    parser.add_argument(option("attempts"), type=int, default=ATTEMPTS, help="submitted first attempts")
    parser.add_argument(option("questions"), type=int, default=QUESTIONS, help="questions in the bank")
    parser.add_argument(option("paper"), type=int, default=PAPER, help="questions on each paper")
    parser.add_argument(option("profile"), action="store_true", help="cProfile's top functions of one run")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="one engine only")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=7, help="timed runs (after one warm-up)")
    add_arguments(parser)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))  # clean-ups still run
    print(
        f"Item analysis at scale; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True
    )
    for engine in ("sqlite", "postgresql"):
        if args.engine and engine != args.engine:
            continue
        bench_engine(engine, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
