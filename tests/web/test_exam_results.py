"""Exam rounds in the rest of the platform: the final of a 40% exam + 60% judged drill, publication waiting
for the window, judges never scoring an exam round, automatic approval and coverage, a draft's edit and the
copy keeping the bank."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from competition.enums import EntryStatus
from competition.errors import Conflict, ValidationFailed
from competition.extensions import db
from competition.models import Entry, Question
from competition.models._base import utcnow
from competition.services import competitions, exams, judge_queue, panels, registration
from competition.services import results as results_service
from competition.services.competitions import to_spec_dict
from tests.builders import (
    advance,
    bank_questions,
    exam_round,
    make_exam_contest,
    make_judge,
    make_sheet,
    staff,
    user,
)

PRACTICAL = {"name": "实操", "weight": 0.6, "criteria": [{"name": "操作规范", "max_score": 100}]}


def sit(round_, who: str, *, right: int) -> Decimal:
    """``who`` sits the round: the first ``right`` questions of the paper right, the rest left blank."""
    attempt, _ = exams.start_attempt(round_=round_, user=user(who))
    key = exams.answer_key(attempt)
    chosen = {qid: keys for qid, keys in list(key.items())[:right]}
    exams.save_answers(attempt=attempt, answers=chosen, by=user(who))
    done = exams.submit_attempt(attempt=attempt, by=user(who))
    db.session.commit()
    return done.score


@pytest.fixture
def drill(app, world):
    """A 笔试 40% + 实操 60% drill in scoring, 李老师 approved and drawn 1, judge_zju on the panel."""
    make_judge("judge_x")
    competition, (entry,) = make_exam_contest(
        [staff("00123")], rounds=[exam_round(weight=0.4), PRACTICAL], status="registration_closed"
    )
    entry.draw_no = 1
    panels.assign_judge(
        competition=competition, username="judge_x", group_ids=[competition.groups[0].id], by=user("org")
    )
    db.session.commit()
    advance(competition, "scoring")
    return competition, entry


def test_the_final_combines_the_exam_and_the_judged_round(drill):
    competition, entry = drill
    exam, practical = competition.rounds
    assert sit(exam, "zju_staff", right=5) == Decimal("9.00")  # 2 × 2 + 3 + 2 × 1, out of 9
    make_sheet(user("judge_x"), practical, entry, [80])
    group = competition.groups[0]
    row = results_service.compute(competition, group).board.rows[0]
    assert [r.score for r in row.rounds] == [Decimal("9.00"), Decimal("80.00")]
    assert row.final == Decimal("51.60")  # 0.4 × 9 + 0.6 × 80
    assert not row.rounds[0].complete and not row.complete  # the window is still open
    item = results_service.results_for(competition, group, runs_it=True)["items"][0]
    assert item["rounds"][0]["judge_totals"] == [] and item["rounds"][0]["score"] == 9.0


def test_once_the_window_closed_a_non_starter_scores_zero_and_publication_may_go(drill, app):
    competition, entry = drill
    exam, practical = competition.rounds
    make_sheet(user("judge_x"), practical, entry, [70])
    with pytest.raises(Conflict) as refused:
        competitions.transition(competition=competition, to="published", by=user("org"))
    assert refused.value.code == "exam_open"
    db.session.rollback()
    exam.exam_opens, exam.exam_closes = utcnow() - timedelta(days=2), utcnow() - timedelta(minutes=1)
    db.session.commit()
    row = results_service.compute(competition, competition.groups[0]).board.rows[0]
    assert row.rounds[0].score == Decimal(0) and row.rounds[0].complete and row.final == Decimal("42.00")
    competitions.transition(competition=competition, to="published", by=user("org"))
    db.session.commit()
    assert competition.status == "published"


def test_judges_never_see_or_score_an_exam_round(drill):
    competition, entry = drill
    exam, practical = competition.rounds
    queue = judge_queue.judge_queue(user("judge_x"))
    assert [r["name"] for r in queue["competitions"][0]["rounds"]] == ["实操"]
    assert {item["round_id"] for item in queue["items"]} == {practical.id}
    from competition.errors import NotFound

    with pytest.raises(NotFound):
        make_sheet(user("judge_x"), exam, entry, [])


def test_an_expired_attempt_is_marked_with_what_was_saved_when_results_are_read(drill):
    competition, _entry = drill
    exam = competition.rounds[0]
    attempt, _ = exams.start_attempt(round_=exam, user=user("zju_staff"))
    key = exams.answer_key(attempt)
    first = next(iter(key))
    exams.save_answers(attempt=attempt, answers={first: key[first]}, by=user("zju_staff"))
    attempt.deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    row = results_service.compute(competition, competition.groups[0]).board.rows[0]
    db.session.commit()
    assert attempt.status == "submitted" and attempt.closed_by == "deadline"
    assert row.rounds[0].score == attempt.score and attempt.score in (Decimal(1), Decimal(2), Decimal(3))


def test_auto_approve_approves_at_once_within_the_quota(app, world):
    competition, _ = make_exam_contest([], auto_approve=True, quota_per_university=1)
    first = registration.register(
        competition=competition, group_id=competition.groups[0].id, staff=staff("00123"), by=user("zju_staff")
    )
    db.session.commit()
    assert first.status == EntryStatus.APPROVED and first.approved_at is not None
    with pytest.raises(ValidationFailed, match="quota"):  # the quota of 1 is full: refused, as without it
        registration.register(
            competition=competition,
            group_id=competition.groups[0].id,
            staff=staff("00124"),
            by=user("zju_admin"),
        )
    db.session.rollback()
    approved = db.session.scalar(
        select(func.count()).where(
            Entry.competition_id == competition.id, Entry.status == EntryStatus.APPROVED
        )
    )
    assert approved == 1


def test_the_quiz_raises_the_universitys_coverage(app, world, client):
    from tests.builders import api_login_as

    competition, _ = make_exam_contest([], auto_approve=True, year=utcnow().year)
    api_login_as(client, "zju_admin")
    covered = lambda: client.get(f"/api/v1/universities/ZJU/coverage?year={competition.year}").get_json()  # noqa: E731
    assert covered()["covered"]["total"] == 0
    registration.register(
        competition=competition, group_id=competition.groups[0].id, staff=staff("00123"), by=user("zju_staff")
    )
    db.session.commit()
    assert covered()["covered"]["total"] == 1 and covered()["headcount"]["total"] == 2


def test_editing_a_draft_keeps_the_bank_and_the_copy_takes_it_along(app, world):
    competition = competitions.create_competition(data=to_spec_dict_body(), by=user("org"))
    from competition.services import exam_bank

    exam_bank.import_bank_json(round_=competition.rounds[0], items=bank_questions(), by=user("org"))
    db.session.commit()
    data = to_spec_dict(competition)
    data["rounds"][0]["exam"]["minutes"] = 45
    competitions.update_competition(competition=competition, data=data, by=user("org"))
    db.session.commit()
    assert competition.rounds[0].exam_minutes == 45
    count = lambda r: db.session.scalar(select(func.count()).where(Question.round_id == r.id))  # noqa: E731
    assert count(competition.rounds[0]) == 8
    copy = competitions.copy_competition(source=competition, year=2027, by=user("org"))
    db.session.commit()
    assert copy.rounds[0].is_exam and count(copy.rounds[0]) == 8
    assert copy.rounds[0].exam_opens.year == competition.rounds[0].exam_opens.year + 1


def to_spec_dict_body() -> dict:
    from tests.builders import competition_body

    return competition_body(kind="drill", year=2026, rounds=[exam_round(weight=0.4), PRACTICAL])
