"""Two tabs of one entrant at once (PostgreSQL): one attempt, no lost answer, a mark that fits the answers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import ExamAttempt
from tests.builders import Api, make_exam_contest, staff
from tests.web.api_checks import check_error, race

pytestmark = pytest.mark.postgres

RIGHT = {"single": {"对的"}, "multiple": {"甲", "丙"}, "true_false": {"正确"}}


def attempts() -> list[ExamAttempt]:
    db.session.rollback()
    return list(db.session.scalars(select(ExamAttempt)))


@pytest.fixture
def round_path(app, postgresql, world) -> str:
    competition, _ = make_exam_contest([staff("00123")])
    return f"/rounds/{competition.rounds[0].id}/attempts"  # read here: the threads have no app context


@pytest.mark.parametrize("attempt", range(3))
def test_two_tabs_starting_at_once_share_one_attempt(app, round_path, attempt):
    tabs = [Api(app, "zju_staff"), Api(app, "zju_staff")]
    responses = race(*(lambda t=tab: t.post(round_path) for tab in tabs))
    assert sorted(r.status_code for r in responses) == [200, 201], [
        r.get_data(as_text=True) for r in responses
    ]
    first, second = (r.get_json() for r in responses)
    assert first["id"] == second["id"] and first["questions"] == second["questions"]
    assert len(attempts()) == 1
    assert db.session.scalar(select(func.count()).select_from(ExamAttempt)) == 1


@pytest.mark.parametrize("attempt", range(3))
def test_answers_saved_from_two_tabs_at_once_are_all_kept(app, round_path, attempt):
    tabs = [Api(app, "zju_staff"), Api(app, "zju_staff")]
    paper = tabs[0].post(round_path).get_json()
    path = f"/attempts/{paper['id']}/answers"
    halves = [paper["questions"][:3], paper["questions"][3:]]
    bodies = [{"answers": {str(q["id"]): [q["options"][0]["key"]] for q in half}} for half in halves]
    responses = race(
        *(lambda t=tab, b=body: t.put(path, json=b) for tab, body in zip(tabs, bodies, strict=True))
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert [r.get_json()["saved"] for r in responses] == [3, 2]
    (stored,) = attempts()
    assert sorted(stored.answers) == sorted(str(q["id"]) for q in paper["questions"])


@pytest.mark.parametrize("attempt", range(3))
def test_a_save_racing_the_hand_in_is_either_marked_or_refused(app, round_path, attempt):
    tabs = [Api(app, "zju_staff"), Api(app, "zju_staff")]
    paper = tabs[0].post(round_path).get_json()
    right = {
        str(q["id"]): [o["key"] for o in q["options"] if o["text"] in RIGHT[q["type"]]]
        for q in paper["questions"]
    }
    saved, submitted = race(
        lambda: tabs[0].put(f"/attempts/{paper['id']}/answers", json={"answers": right}),
        lambda: tabs[1].post(f"/attempts/{paper['id']}/submit"),
    )
    assert submitted.status_code == 200
    if saved.status_code == 200:  # saved first: the mark counts it
        assert submitted.get_json()["score"] == 9
    else:
        check_error(saved, 409, "attempt_closed")
        assert submitted.get_json()["score"] == 0
    (stored,) = attempts()
    assert stored.status == "submitted" and float(stored.score) == submitted.get_json()["score"]
    assert bool(stored.answers) == (saved.status_code == 200)
