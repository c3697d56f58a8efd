"""The written-test API, sitting: a paper without answers, resuming, saving, handing in, the deadline."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from competition.enums import Role
from competition.extensions import db
from competition.models import ExamAttempt
from competition.models._base import utcnow
from tests.builders import Api, bank_questions, csrf_token, exam_round, make_exam_contest, staff
from tests.web.api_checks import check_error

# bank_questions(): the right options are 对的 (single), 甲 and 丙 (multiple), 正确 (true/false).
RIGHT = {"single": {"对的"}, "multiple": {"甲", "丙"}, "true_false": {"正确"}}
BANK_TEXTS = {"single": ["对的", "错的", "也错", "还错"], "multiple": ["甲", "乙", "丙", "丁"]}
SECRET_KEYS = {"answer", "answers", "correct", "right", "answer_key", "is_right"}


def keys_of(question: dict, texts: set[str]) -> list[str]:
    return [o["key"] for o in question["options"] if o["text"] in texts]


def all_right(paper: dict) -> dict:
    return {str(q["id"]): keys_of(q, RIGHT[q["type"]]) for q in paper["questions"]}


def all_keys(value) -> set[str]:
    """Every key of every object anywhere inside a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def sitting(app, world, make):
    """An exam contest (2 single × 2, 1 multiple × 3, 2 true/false × 1: max 9) open since yesterday, with
    李老师 (zju_staff) and 王会计 (zju_staff2) approved; ``sitting(**exam settings)`` makes it."""
    make.user("zju_staff2", Role.STAFF, world["zju"], staff=staff("00124"))

    def build(questions=None, **settings):
        competition, _ = make_exam_contest(
            [staff("00123"), staff("00124")], rounds=[exam_round(**settings)], questions=questions
        )
        return competition.rounds[0]

    return build


def start(api: Api, round_) -> tuple[int, dict]:
    response = api.post(f"/rounds/{round_.id}/attempts")
    return response.status_code, response.get_json()


def test_the_paper_has_shuffled_keyed_options_and_never_an_answer(app, sitting):
    round_ = sitting()
    status, paper = start(Api(app, "zju_staff"), round_)
    assert status == 201
    assert paper["status"] == "in_progress" and paper["max_score"] == 9
    assert paper["saved"] == {} and 1790 <= paper["seconds_left"] <= 1800
    assert [q["type"] for q in paper["questions"]] == [
        "single",
        "single",
        "multiple",
        "true_false",
        "true_false",
    ]
    for question in paper["questions"]:
        assert set(question) == {"id", "type", "text", "options"}
        assert [o["key"] for o in question["options"]] == list("ABCDEF"[: len(question["options"])])
        texts = [o["text"] for o in question["options"]]
        assert sorted(texts) == sorted(BANK_TEXTS.get(question["type"], ["正确", "错误"]))
        if question["type"] == "true_false":
            assert texts == ["正确", "错误"]
    assert not all_keys(paper) & SECRET_KEYS
    # A second entrant's paper: the choice questions' options are not all in the bank's order on both.
    _, other = start(Api(app, "zju_staff2"), round_)
    orders = [
        [o["text"] for o in q["options"]]
        for p in (paper, other)
        for q in p["questions"]
        if q["type"] != "true_false"
    ]
    assert any(order not in BANK_TEXTS.values() for order in orders)


def test_resuming_gives_the_same_paper_and_two_tabs_share_one_attempt(app, sitting):
    round_ = sitting()
    tab1, tab2 = Api(app, "zju_staff"), Api(app, "zju_staff")
    _, paper = start(tab1, round_)
    first = paper["questions"][0]
    saved = tab1.put(f"/attempts/{paper['id']}/answers", json={"answers": {str(first["id"]): ["C"]}})
    assert saved.status_code == 200 and saved.get_json()["saved"] == 1
    status, again = start(tab2, round_)
    assert status == 200
    assert again["id"] == paper["id"] and again["questions"] == paper["questions"]
    assert again["deadline"] == paper["deadline"]
    assert again["saved"] == {str(first["id"]): ["C"]}
    # the second tab answers another question; the first tab sees both
    second = paper["questions"][1]
    tab2.put(f"/attempts/{paper['id']}/answers", json={"answers": {str(second["id"]): ["A"]}})
    shown = tab1.get(f"/attempts/{paper['id']}").get_json()
    assert shown["saved"] == {str(first["id"]): ["C"], str(second["id"]): ["A"]}
    assert shown["answered"] == 2 and shown["status"] == "in_progress" and "score" not in shown
    assert db.session.scalar(select(func.count()).select_from(ExamAttempt)) == 1


def test_saving_merges_clears_and_a_rejected_answer_changes_nothing(app, sitting):
    round_ = sitting()
    api = Api(app, "zju_staff")
    _, paper = start(api, round_)
    single, multiple = paper["questions"][0], paper["questions"][2]
    path = f"/attempts/{paper['id']}/answers"
    ok = api.put(path, json={"answers": {str(single["id"]): ["B"], str(multiple["id"]): ["A", "D"]}})
    assert ok.status_code == 200
    assert ok.get_json()["saved"] == 2 and 1790 <= ok.get_json()["seconds_left"] <= 1800
    before = api.get(f"/attempts/{paper['id']}").get_json()["saved"]
    assert before == {str(single["id"]): ["B"], str(multiple["id"]): ["A", "D"]}
    bad = [
        ({str(single["id"]): ["Z"]}, f"answers.{single['id']}"),  # not a key of the question
        ({str(single["id"]): ["A", "B"]}, f"answers.{single['id']}"),  # two keys on a single choice
        ({"999999": ["A"]}, "answers.999999"),  # not on the paper
        ({str(single["id"]): "A"}, f"answers.{single['id']}"),  # not a list
        ({str(multiple["id"]): ["C"], str(single["id"]): ["Q"]}, f"answers.{single['id']}"),  # one bad of two
    ]
    for answers, field in bad:
        error = check_error(api.put(path, json={"answers": answers}), 422, "validation_failed")
        assert [d["field"] for d in error["details"]] == [field]
    error = check_error(api.put(path, json={"answers": ["A"]}), 422, "validation_failed")
    assert error["details"][0]["field"] == "answers"
    check_error(api.put(path, json=["A"]), 400, "bad_request")
    assert api.get(f"/attempts/{paper['id']}").get_json()["saved"] == before
    cleared = api.put(path, json={"answers": {str(multiple["id"]): []}})
    assert cleared.status_code == 200
    assert api.get(f"/attempts/{paper['id']}").get_json()["saved"] == {str(single["id"]): ["B"]}


def test_only_the_owner_answers_and_others_get_404(app, sitting):
    round_ = sitting()
    owner, other = Api(app, "zju_staff"), Api(app, "zju_staff2")
    _, paper = start(owner, round_)
    start(other, round_)
    attempt = f"/attempts/{paper['id']}"
    answers = {"answers": {str(paper["questions"][0]["id"]): ["A"]}}
    for api in (other, Api(app, "hzu_admin"), Api(app, "zju_judge"), Api(app, "zju_admin")):
        check_error(api.get(attempt), 404, "not_found")
        check_error(api.put(attempt + "/answers", json=answers), 404, "not_found")
        check_error(api.post(attempt + "/submit"), 404, "not_found")
    org = Api(app, "org")
    seen = org.get(attempt)
    assert seen.status_code == 200 and seen.get_json()["id"] == paper["id"]
    check_error(org.put(attempt + "/answers", json=answers), 403, "forbidden")
    check_error(org.post(attempt + "/submit"), 403, "forbidden")
    anonymous = app.test_client()
    check_error(anonymous.get("/api/v1" + attempt), 401, "not_authenticated")
    header = {"X-CSRFToken": csrf_token(anonymous)}
    check_error(
        anonymous.put(f"/api/v1{attempt}/answers", json=answers, headers=header), 401, "not_authenticated"
    )
    check_error(anonymous.post(f"/api/v1{attempt}/submit", headers=header), 401, "not_authenticated")
    for missing in (987654, 2**63):  # the second does not fit the database's integers
        check_error(owner.get(f"/attempts/{missing}"), 404, "not_found")
        check_error(owner.post(f"/attempts/{missing}/submit"), 404, "not_found")
    assert (
        owner.get(attempt).get_json()["saved"] == {}
        and owner.get(attempt).get_json()["status"] == "in_progress"
    )


def test_who_may_start_and_when(app, sitting, make, world):
    round_ = sitting()
    check_error(Api(app, "org").post(f"/rounds/{round_.id}/attempts"), 403, "forbidden")
    check_error(Api(app, "zju_admin").post(f"/rounds/{round_.id}/attempts"), 403, "forbidden")
    make.user("hzu_staff", Role.STAFF, world["hzu"], staff=staff("H001"))  # eligible but never entered
    check_error(Api(app, "hzu_staff").post(f"/rounds/{round_.id}/attempts"), 403, "forbidden")
    for missing in (987654, 2**63):
        check_error(Api(app, "zju_staff").post(f"/rounds/{missing}/attempts"), 404, "not_found")
    anonymous = app.test_client()
    token = csrf_token(anonymous)
    refused = anonymous.post(f"/api/v1/rounds/{round_.id}/attempts", headers={"X-CSRFToken": token})
    check_error(refused, 401, "not_authenticated")
    api = Api(app, "zju_staff")
    no_token = api.client.post(f"/api/v1/rounds/{round_.id}/attempts")
    check_error(no_token, 400, "csrf_failed")
    assert db.session.scalar(select(func.count()).select_from(ExamAttempt)) == 0


@pytest.mark.parametrize(
    ("settings", "questions", "code"),
    [
        ({"opens": 1, "closes": 2}, None, "exam_closed"),  # not yet open
        ({"opens": -2, "closes": -1}, None, "exam_closed"),  # over
        ({}, bank_questions(1, 1, 3), "bank_too_small"),  # 1 single for a paper of 2
    ],
)
def test_starting_refused_with_409(app, sitting, settings, questions, code):
    round_ = sitting(questions=questions, **settings)
    check_error(Api(app, "zju_staff").post(f"/rounds/{round_.id}/attempts"), 409, code)
    assert db.session.scalar(select(func.count()).select_from(ExamAttempt)) == 0


def test_submit_marks_once_and_then_answers_are_refused(app, sitting):
    round_ = sitting()
    api = Api(app, "zju_staff")
    _, paper = start(api, round_)
    right = all_right(paper)
    wrong_tf = next(q for q in paper["questions"] if q["type"] == "true_false")
    right[str(wrong_tf["id"])] = keys_of(wrong_tf, {"错误"})
    assert api.put(f"/attempts/{paper['id']}/answers", json={"answers": right}).get_json()["saved"] == 5
    done = api.post(f"/attempts/{paper['id']}/submit")
    assert done.status_code == 200
    body = done.get_json()
    assert (body["id"], body["status"], body["score"], body["max_score"]) == (paper["id"], "submitted", 8, 9)
    assert body["closed_by"] == "submit" and body["seconds_left"] == 0
    again = api.post(f"/attempts/{paper['id']}/submit")
    assert again.status_code == 200 and again.get_json() == body
    late = api.put(f"/attempts/{paper['id']}/answers", json={"answers": all_right(paper)})
    check_error(late, 409, "attempt_closed")
    assert api.get(f"/attempts/{paper['id']}").get_json()["score"] == 8
    check_error(api.post(f"/rounds/{round_.id}/attempts"), 409, "already_submitted")


@pytest.mark.parametrize(("partial", "score"), [(0.5, 5.5), (0, 4)])
def test_multiple_partial_marks_a_strict_subset(app, sitting, partial, score):
    round_ = sitting(multiple_partial=partial)
    api = Api(app, "zju_staff")
    _, paper = start(api, round_)
    answers = all_right(paper)  # 2 + 2 + 3 + 1 + 1
    multiple = next(q for q in paper["questions"] if q["type"] == "multiple")
    answers[str(multiple["id"])] = keys_of(multiple, {"甲"})  # a strict subset: 3 × partial
    for tf in (q for q in paper["questions"] if q["type"] == "true_false"):
        answers[str(tf["id"])] = []  # unanswered: 0
    api.put(f"/attempts/{paper['id']}/answers", json={"answers": answers})
    assert api.post(f"/attempts/{paper['id']}/submit").get_json()["score"] == score


def test_a_wrong_option_in_a_subset_scores_nothing_whatever_partial_is(app, sitting):
    round_ = sitting(multiple_partial=0.5)
    api = Api(app, "zju_staff")
    _, paper = start(api, round_)
    multiple = next(q for q in paper["questions"] if q["type"] == "multiple")
    api.put(
        f"/attempts/{paper['id']}/answers",
        json={"answers": {str(multiple["id"]): keys_of(multiple, {"甲", "乙"})}},
    )
    assert api.post(f"/attempts/{paper['id']}/submit").get_json()["score"] == 0


def test_the_deadline_closes_the_attempt_with_what_was_saved(app, sitting, monkeypatch):
    round_ = sitting(minutes=30)
    clock = Clock(round_.exam_closes - timedelta(seconds=5))  # the window closes 5 s after the start
    monkeypatch.setattr("competition.services.exams.utcnow", clock)
    api = Api(app, "zju_staff")
    _, paper = start(api, round_)
    assert paper["seconds_left"] == 5 and paper["deadline"].startswith(round_.exam_closes.isoformat())
    single = next(q for q in paper["questions"] if q["type"] == "single")
    saved = api.put(
        f"/attempts/{paper['id']}/answers", json={"answers": {str(single["id"]): keys_of(single, {"对的"})}}
    )
    assert saved.get_json() == {"saved": 1, "seconds_left": 5}
    clock.now = round_.exam_closes + timedelta(seconds=1)
    late = api.put(f"/attempts/{paper['id']}/answers", json={"answers": all_right(paper)})
    check_error(late, 409, "attempt_closed")
    # no client needed: whoever reads it next (here the organizer) finds it marked with what was saved
    shown = Api(app, "org").get(f"/attempts/{paper['id']}").get_json()
    assert (shown["status"], shown["score"], shown["closed_by"]) == ("submitted", 2, "deadline")
    assert shown["seconds_left"] == 0
    attempt = db.session.get(ExamAttempt, paper["id"])
    assert attempt.answers == {str(single["id"]): [0]} and attempt.submitted_at == round_.exam_closes
    check_error(api.post(f"/rounds/{round_.id}/attempts"), 409, "exam_closed")  # the window is over


def test_the_deadline_on_the_real_clock(app, sitting):
    round_ = sitting(minutes=30)
    round_.exam_closes = utcnow() + timedelta(seconds=2)
    db.session.commit()
    api = Api(app, "zju_staff")
    _, paper = start(api, round_)
    assert paper["seconds_left"] <= 2
    tf = next(q for q in paper["questions"] if q["type"] == "true_false")
    assert (
        api.put(f"/attempts/{paper['id']}/answers", json={"answers": {str(tf["id"]): ["A"]}}).status_code
        == 200
    )
    time.sleep(max(0.0, (round_.exam_closes - utcnow()).total_seconds()) + 0.2)
    check_error(
        api.put(f"/attempts/{paper['id']}/answers", json={"answers": all_right(paper)}), 409, "attempt_closed"
    )
    shown = api.get(f"/attempts/{paper['id']}").get_json()
    assert (shown["status"], shown["score"]) == ("submitted", 1)
