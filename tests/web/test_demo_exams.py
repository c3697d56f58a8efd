"""The demo's written tests (demo/exams.py): a drill whose 笔试 is being sat this week, with a demo account
that can sit it now, and a province-wide safety quiz with automatic approval that raises coverage.

The whole demo is loaded once, in one test (the database is emptied after every test, and a load takes
seconds).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select

from competition.clock import local_today
from competition.demo import load_demo
from competition.domain import exam
from competition.extensions import db
from competition.models import Competition, Entry, ExamAttempt, Question, RoleGrant, Staff, User
from competition.services import exams
from competition.services.accounts import authenticate
from competition.services.coverage import province_coverage


def _sitter(text: str) -> tuple[str, str]:
    """(username, password) of the 笔试演示 line of the log-ins table."""
    [line] = [line for line in text.splitlines() if "笔试演示" in line and "written test)" in line]
    username, password = line.split()[:2]
    return username, password


def _remarked(attempt: ExamAttempt, questions: dict[int, Question]) -> Decimal:
    """The attempt's score marked again from its saved answers, with the domain's rules."""
    round_ = attempt.round
    keys = []
    for qid, _options in attempt.paper:
        question = questions[qid]
        keys.append(exam.AnswerKey(qid, question.type, frozenset(question.answer)))
    answers = {int(q): frozenset(chosen) for q, chosen in attempt.answers.items()}
    marked = exam.mark_attempt(
        keys, answers, round_.paper_rule, round_.exam_multiple_partial, round_.competition.decimals
    )
    return marked.total


def test_demo_sits_a_written_test_and_a_quiz_for_everyone(ctx):
    text = load_demo(seed=2026)
    db.session.commit()
    now = datetime.now(UTC).replace(tzinfo=None)
    year = local_today().year

    # The drill: 笔试 (exam, 40%) and 实操 (judged, 60%), registration closed, its test open this week.
    drill = db.session.scalar(
        select(Competition).where(
            Competition.name.like("%行政后勤岗位练兵"),
            Competition.level == "school",
            Competition.status == "registration_closed",
        )
    )
    assert drill is not None and drill.university.code == "DHUT"
    written, practical = drill.rounds
    assert (written.kind, written.weight, practical.kind, practical.weight) == (
        "exam",
        Decimal("0.4"),
        "judged",
        Decimal("0.6"),
    )
    assert [(c.name, c.max_score) for c in practical.criteria] == [
        ("操作规范", 40),
        ("完成质量", 40),
        ("安全文明", 20),
    ]
    assert written.max_total == 80 and written.exam_minutes == 30
    assert written.exam_multiple_partial == Decimal("0.5")
    assert exams.window_open(written, now) and (written.exam_closes - now).days >= 6
    bank = db.session.scalars(select(Question).where(Question.round_id == written.id)).all()
    assert len(bank) >= 55
    assert {q.type for q in bank} == {"single", "multiple", "true_false"}
    assert {"消防安全", "用电安全", "公文处理", "物业维修", "食品安全"} <= {q.tag for q in bank}
    assert any(q.options and q.options[-1] == "以上都对" for q in bank)
    attempts = db.session.scalars(select(ExamAttempt).where(ExamAttempt.round_id == written.id)).all()
    statuses = sorted(a.status for a in attempts)
    approved = db.session.scalar(
        select(func.count()).where(Entry.competition_id == drill.id, Entry.status == "approved")
    )
    assert approved >= 30 and statuses.count("in_progress") >= 2
    assert approved / 3 <= statuses.count("submitted") <= approved * 2 / 3  # about half have handed in
    assert all(a.started_at < now for a in attempts)
    assert all(a.deadline > now for a in attempts if a.status == "in_progress")

    # The 笔试演示 account: approved, not started, and it can start now.
    username, password = _sitter(text)
    sitter = authenticate(username, password)
    assert sitter is not None and not sitter.must_change_password
    entry = exams.entrant_entry(written, sitter)
    assert entry is not None and entry.status == "approved"
    assert exams.attempts_of(written, entry) == []
    attempt, created = exams.start_attempt(round_=written, user=sitter)
    assert created and attempt.status == "in_progress" and len(attempt.paper) == 40
    assert attempt.max_score == 80 and attempt.deadline > now
    db.session.rollback()

    # The quiz: provincial, every post, approved automatically, taken by a share of every university's staff.
    quiz = db.session.scalar(select(Competition).where(Competition.auto_approve.is_(True)))
    assert quiz is not None and quiz.level == "provincial" and quiz.status == "registration_open"
    assert set(quiz.eligible_categories) == {"teaching_research", "admin_logistics", "other"}
    [round_] = quiz.rounds
    assert round_.is_exam and round_.weight == 1 and round_.max_total == 100
    assert round_.exam_opens < now < round_.exam_closes
    entries = db.session.scalars(select(Entry).where(Entry.competition_id == quiz.id)).all()
    assert entries and {e.status for e in entries} == {"approved"}
    assert all(round_.exam_opens <= e.created_at == e.approved_at < now for e in entries)
    staff_total = dict(
        db.session.execute(
            select(Staff.university_id, func.count())
            .where(Staff.active.is_(True))
            .group_by(Staff.university_id)
        ).all()
    )
    takers: dict[int, int] = {}
    for e in entries:
        takers[e.university_id] = takers.get(e.university_id, 0) + 1
    shares = {u: takers.get(u, 0) / n for u, n in staff_total.items()}
    assert all(0.1 <= share <= 0.4 for share in shares.values()), shares
    assert len({round(s, 2) for s in shares.values()}) > 1  # varying by university
    # Every taker handed in through the service: marked as the domain marks the saved answers.
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.round_id == round_.id))}
    quiz_attempts = db.session.scalars(select(ExamAttempt).where(ExamAttempt.round_id == round_.id)).all()
    # Nearly everyone who registered has handed in; a few have not started yet, a few are answering now.
    assert {a.entry_id for a in quiz_attempts} <= {e.id for e in entries}
    assert 0.9 * len(entries) <= len(quiz_attempts) < len(entries)
    answering = [a for a in quiz_attempts if a.status == "in_progress"]
    assert 1 <= len(answering) <= 10 and all(a.started_at < now < a.deadline for a in answering)
    submitted = [a for a in quiz_attempts if a.status == "submitted"]
    for attempt in submitted:
        assert 0 <= attempt.score <= attempt.max_score == 100
        assert attempt.score == _remarked(attempt, questions)
        assert round_.exam_opens <= attempt.started_at < attempt.submitted_at <= attempt.deadline < now
    scores = [a.score for a in submitted]
    assert 55 <= sum(scores) / len(scores) <= 90 and min(scores) < 50 < max(scores)  # mostly right
    # Each taker has an account of their own (the union opened them), in their name.
    owners = db.session.execute(
        select(ExamAttempt.user_id, RoleGrant.staff_id, Entry.staff_id)
        .join(RoleGrant, RoleGrant.user_id == ExamAttempt.user_id)
        .join(Entry, Entry.id == ExamAttempt.entry_id)
        .where(ExamAttempt.round_id == round_.id)
    ).all()
    assert all(grant_staff == entry_staff for _user, grant_staff, entry_staff in owners)
    assert db.session.scalar(select(func.count()).select_from(User)) > sum(staff_total.values())

    # The quiz raises coverage: every university's rate is higher with it than without it.
    with_quiz = {i["university"]: i["covered"]["total"] for i in province_coverage(year=year)["items"]}
    quiz.year = year - 1
    db.session.flush()
    without = {i["university"]: i["covered"]["total"] for i in province_coverage(year=year)["items"]}
    assert all(with_quiz[code] > without[code] for code in with_quiz), (with_quiz, without)
    db.session.rollback()
