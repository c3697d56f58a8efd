"""The written-test API after the sitting: the best attempt in results, the answer key, item analysis."""

from __future__ import annotations

from datetime import timedelta

import pytest

from competition.enums import Role
from competition.models._base import utcnow
from tests.builders import Api, bank_questions, exam_round, make_exam_contest, staff
from tests.web.api_checks import check_error

RIGHT = {"single": {"对的"}, "multiple": {"甲", "丙"}, "true_false": {"正确"}}


def keys_of(question: dict, texts: set[str]) -> list[str]:
    return [o["key"] for o in question["options"] if o["text"] in texts]


def sit(api: Api, round_, choices: dict[str, set[str]] | None = None) -> dict:
    """Start (or resume) and hand in, choosing by option text per question text (all right by default)."""
    paper = api.post(f"/rounds/{round_.id}/attempts").get_json()
    answers = {
        str(q["id"]): keys_of(q, RIGHT[q["type"]] if choices is None else choices.get(q["text"], set()))
        for q in paper["questions"]
    }
    assert api.put(f"/attempts/{paper['id']}/answers", json={"answers": answers}).status_code == 200
    return api.post(f"/attempts/{paper['id']}/submit").get_json()


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def test_with_two_attempts_the_best_counts_in_results(app, world, make):
    make.user("zju_staff2", Role.STAFF, world["zju"], staff=staff("00124"))
    competition, (entry, other) = make_exam_contest(
        [staff("00123"), staff("00124")], rounds=[exam_round(attempts=2)]
    )
    round_ = competition.rounds[0]
    api = Api(app, "zju_staff")
    best = sit(api, round_)
    assert (best["score"], best["max_score"]) == (9, 9)
    second = api.post(f"/rounds/{round_.id}/attempts")
    assert second.status_code == 201 and second.get_json()["id"] != best["id"]
    worse = sit(
        api, round_, {"单选题0": {"对的"}, "单选题1": {"对的"}}
    )  # the paper draws two of three singles
    assert worse["score"] in (2, 4) and worse["id"] == second.get_json()["id"]
    check_error(api.post(f"/rounds/{round_.id}/attempts"), 409, "already_submitted")
    sit(Api(app, "zju_staff2"), round_, {})  # hands in a blank paper
    results = Api(app, "org").get(f"/competitions/{competition.id}/results").get_json()
    rows = {item["entry_id"]: item["rounds"] for item in results["items"]}
    assert rows[entry.id] == [
        {
            "round_id": round_.id,
            "score": 9,
            "complete": False,
            "judge_totals": [],
            "dropped": [],
            "sheets": [],
        }
    ]
    assert rows[other.id][0]["score"] == 0 and rows[other.id][0]["judge_totals"] == []
    assert results["complete"] is False  # the window is still open
    assert [(i["entry_id"], i["final_score"], i["rank"]) for i in results["items"]] == [
        (entry.id, 9, 1),
        (other.id, 0, 2),
    ]


@pytest.mark.parametrize("show", [True, False])
def test_the_answer_key_is_shown_to_the_owner_only_after_the_window_closes(app, world, monkeypatch, show):
    competition, _ = make_exam_contest([staff("00123")], rounds=[exam_round(show_answers=show)])
    round_ = competition.rounds[0]
    clock = Clock(utcnow())
    monkeypatch.setattr("competition.services.exams.utcnow", clock)
    api = Api(app, "zju_staff")
    paper = api.post(f"/rounds/{round_.id}/attempts").get_json()
    sit(api, round_)
    assert "answer_key" not in api.get(f"/attempts/{paper['id']}").get_json()
    clock.now = round_.exam_closes + timedelta(seconds=1)
    shown = api.get(f"/attempts/{paper['id']}").get_json()
    assert shown["score"] == 9
    if show:
        assert shown["answer_key"] == {str(q["id"]): keys_of(q, RIGHT[q["type"]]) for q in paper["questions"]}
        assert shown["answer_key"] == shown["saved"]  # everything was answered right
    else:
        assert "answer_key" not in shown
    assert "answer_key" not in Api(app, "org").get(f"/attempts/{paper['id']}").get_json()


def test_item_analysis_after_some_attempts(app, world, make):
    zju = world["zju"]
    people = [staff("00123")]
    for n in range(2, 6):
        people.append(make.staff(zju, f"0020{n}", f"职工{n}", category="admin_logistics"))
        make.user(f"staff{n}", Role.STAFF, zju, staff=people[-1])
    # the bank is exactly the paper, so every paper holds every question
    competition, _ = make_exam_contest(people, questions=bank_questions(2, 1, 2))
    round_ = competition.rounds[0]
    s0, s1, m0, t0, t1 = "单选题0", "单选题1", "多选题0", "判断题0", "判断题1"
    scores = [
        sit(Api(app, "zju_staff"), round_),
        sit(
            Api(app, "staff2"),
            round_,
            {s0: {"对的"}, s1: {"错的"}, m0: {"甲", "丙"}, t0: {"正确"}, t1: {"错误"}},
        ),
        sit(Api(app, "staff3"), round_, {s0: {"对的"}, m0: {"乙"}, t0: {"错误"}, t1: {"正确"}}),
        sit(Api(app, "staff4"), round_, {s0: {"错的"}, t1: {"正确"}}),
    ]
    assert [s["score"] for s in scores] == [9, 6, 3, 1]
    Api(app, "staff5").post(f"/rounds/{round_.id}/attempts")  # still sitting: not counted
    response = Api(app, "org").get(f"/rounds/{round_.id}/item_analysis")
    assert response.status_code == 200
    items = response.get_json()
    texts = {q["id"]: q["text"] for q in Api(app, "org").get(f"/rounds/{round_.id}/questions").get_json()}
    by_text = {texts[item["question_id"]]: item for item in items}
    assert [texts[item["question_id"]] for item in items] == [s0, s1, m0, t0, t1]  # bank order
    # (seen, answered, correct rate, discrimination: the best attempt against the worst, 27% of 4 = 1 each)
    assert {
        t: (i["seen"], i["answered"], i["correct_rate"], i["discrimination"]) for t, i in by_text.items()
    } == {
        s0: (4, 4, 0.75, 1.0),
        s1: (4, 2, 0.25, 1.0),
        m0: (4, 3, 0.5, 1.0),
        t0: (4, 3, 0.5, 1.0),
        t1: (4, 4, 0.75, 0.0),
    }
    assert by_text[s0]["options"] == [
        {"option": "A", "chosen": 3},
        {"option": "B", "chosen": 1},
        {"option": "C", "chosen": 0},
        {"option": "D", "chosen": 0},
    ]
    assert by_text[m0]["options"][:3] == [
        {"option": "A", "chosen": 2},
        {"option": "B", "chosen": 1},
        {"option": "C", "chosen": 2},
    ]
    assert by_text[t1]["options"] == [{"option": "正确", "chosen": 3}, {"option": "错误", "chosen": 1}]
