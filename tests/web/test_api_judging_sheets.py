"""The judging API, sheets: drafts, submission once, validation, the competition's state, publication."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import (
    AuditLog,
    ScoreSheet,
    ScoreValue,
)
from tests.builders import (
    Api,
    make_judge,
    make_sheet,
    staff,
    user,
)
from tests.web.api_checks import check_error
from tests.web.judging_checks import (
    FULL_DESIGN,
    FULL_LESSON,
    audit_rows,
    count,
    judged_contest,
    paper,
    put,
    sheet_path,
    sheet_row,
    snapshot,
    unlock,
)

# --- writing a sheet ----------------------------------------------------------------------------------------


def test_draft_then_submit_then_resubmit_is_one_sheet(app, contest):
    competition, (zju_entry, hzu_entry) = contest
    design = competition.rounds[0]
    api = Api(app, "expert")
    response = put(api, design, zju_entry, [35.5, None])
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "draft", "total": 35.5}
    response = put(api, design, zju_entry, [35.5, 50], submit=True)
    assert response.get_json() == {"status": "submitted", "total": 85.5}
    again = put(api, design, zju_entry, [35.5, 50], submit=True)
    assert again.status_code == 200 and again.get_json() == {"status": "submitted", "total": 85.5}
    other = put(api, design, zju_entry, [10, 10], submit=True, token="tok-2")
    check_error(other, 409, "already_submitted")
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1
    assert sorted(db.session.scalars(select(ScoreValue.tenths))) == [355, 500]
    sheet = api.get(f"/rounds/{design.id}/entries/{zju_entry.id}/sheet").get_json()
    assert sheet["status"] == "submitted" and sheet["total"] == 85.5
    assert (
        db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "sheet.submit"))
        == 1
    )


def test_a_repeated_submission_answers_the_first_and_changes_nothing(app, contest):
    competition, (zju_entry, _hzu) = contest
    lesson = competition.rounds[1]
    api = Api(app, "expert")
    first = put(api, lesson, zju_entry, [28, 27.5, 20, 12.1], submit=True, token="uuid-1")
    assert first.status_code == 200 and first.get_json() == {"status": "submitted", "total": 87.6}
    before = snapshot()
    # the tablet retries (even with what it changed since): the first submission's answer, nothing written
    for values in ([28, 27.5, 20, 12.1], [1, 1, 1, 1]):
        again = put(api, lesson, zju_entry, values, submit=True, token="uuid-1")
        assert again.status_code == 200 and again.get_json() == first.get_json()
    draft_again = put(api, lesson, zju_entry, [1, 1, 1, 1], token="uuid-1")
    assert draft_again.status_code == 200 and draft_again.get_json() == first.get_json()
    check_error(
        put(api, lesson, zju_entry, [1, 1, 1, 1], submit=True, token="uuid-2"), 409, "already_submitted"
    )
    check_error(put(api, lesson, zju_entry, [1, 1, 1, 1], token=None), 409, "already_submitted")
    assert snapshot() == before
    assert count(ScoreSheet) == 1 and len(audit_rows("sheet.submit")) == 1
    assert sheet_row("expert", lesson, zju_entry).client_token == "uuid-1"


def test_reading_a_sheet_in_each_state(app, contest, org):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    a, b = (str(c.id) for c in design.criteria)
    api = Api(app, "expert")
    assert api.get(sheet_path(design, zju_entry)).get_json() == {
        "status": "none",
        "scores": {},
        "total": 0,
        "reopened_reason": None,
    }
    put(api, design, zju_entry, [12.5, None])
    assert api.get(sheet_path(design, zju_entry)).get_json() == {
        "status": "draft",
        "scores": {a: 12.5},
        "total": 12.5,
        "reopened_reason": None,
    }
    put(api, design, zju_entry, [12.5, 60], submit=True)
    assert api.get(sheet_path(design, zju_entry)).get_json() == {
        "status": "submitted",
        "scores": {a: 12.5, b: 60},
        "total": 72.5,
        "reopened_reason": None,
    }
    assert unlock(org, design, zju_entry, "expert", "方法一项应为 50 分").status_code == 200
    assert api.get(sheet_path(design, zju_entry)).get_json() == {
        "status": "draft",
        "scores": {a: 12.5, b: 60},
        "total": 72.5,
        "reopened_reason": "方法一项应为 50 分",
    }


def test_emptying_a_criterion_of_a_draft_removes_its_value(app, contest):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    api = Api(app, "expert")
    put(api, design, zju_entry, [10, 20])
    assert put(api, design, zju_entry, [None, 20]).get_json() == {"status": "draft", "total": 20}
    assert put(api, design, zju_entry, ["", ""]).get_json() == {"status": "draft", "total": 0}
    assert count(ScoreValue) == 0 and sheet_row("expert", design, zju_entry).total_tenths == 0
    a = str(design.criteria[0].id)
    assert api.put(sheet_path(design, zju_entry), json={"scores": {a: 5}}).get_json() == {
        "status": "draft",
        "total": 5,
    }


@pytest.mark.parametrize(
    ("values", "field"),
    [([40.5, 1], 0), ([-1, 1], 0), ([8.25, 1], 0), (["abc", 1], 0)],
)
def test_a_rejected_value_changes_nothing(app, contest, values, field):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    api = Api(app, "expert")
    put(api, design, zju_entry, [20, 20])
    error = check_error(put(api, design, zju_entry, values), 422, "validation_failed")
    assert error["details"][0]["field"] == f"scores.{design.criteria[field].id}"
    assert sorted(db.session.scalars(select(ScoreValue.tenths))) == [200, 200]


INVALID_BODIES = {
    "above the maximum": ({"0": 40.1, "1": 1}, True, "tok", ["scores.0"]),
    "below 0": ({"0": -0.1, "1": 1}, False, "tok", ["scores.0"]),
    "two decimals": ({"0": 1, "1": 0.05}, False, "tok", ["scores.1"]),
    "text": ({"0": "八十", "1": 1}, False, "tok", ["scores.0"]),
    "true": ({"0": True, "1": 1}, False, "tok", ["scores.0"]),
    "a list": ({"0": [1], "1": 1}, False, "tok", ["scores.0"]),
    "exponent text": ({"0": "1e999", "1": 1}, False, "tok", ["scores.0"]),
    "submit with one missing": ({"0": 10}, True, "tok", ["scores.1"]),
    "submit with one empty": ({"0": 10, "1": None}, True, "tok", ["scores.1"]),
    "unknown criterion": ({"0": 10, "999999": 1}, False, "tok", ["scores.999999"]),
    "scores a list": ([10, 20], False, "tok", ["scores"]),
    "scores missing": (None, False, "tok", ["scores"]),
    "submit text": ({"0": 10, "1": 1}, "true", "tok", ["submit"]),
    "submit a number": ({"0": 10, "1": 1}, 1, "tok", ["submit"]),
    "token too long": ({"0": 10, "1": 1}, True, "x" * 65, ["client_token"]),
    "token empty": ({"0": 10, "1": 1}, True, "", ["client_token"]),
    "token a number": ({"0": 10, "1": 1}, True, 12345, ["client_token"]),
}


@pytest.mark.parametrize("case", INVALID_BODIES, ids=list(INVALID_BODIES))
def test_an_invalid_sheet_is_422_and_changes_nothing(app, contest, case):
    scores, submit, token, fields = INVALID_BODIES[case]
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    ids = [str(c.id) for c in design.criteria]
    if isinstance(scores, dict):
        scores = {ids[int(k)] if k in ("0", "1") else k: v for k, v in scores.items()}
        fields = [f"scores.{ids[int(f[7:])]}" if f[7:] in ("0", "1") else f for f in fields]
    api = Api(app, "expert")
    assert put(api, design, zju_entry, [20, None]).status_code == 200
    before = snapshot()
    body = {"scores": scores, "submit": submit, "client_token": token}
    error = check_error(api.put(sheet_path(design, zju_entry), json=body), 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == fields
    assert all(d["message"] for d in error["details"])
    assert snapshot() == before


def test_a_body_that_is_not_a_json_object_is_400(app, contest):
    competition, (zju_entry, _hzu) = contest
    api = Api(app, "expert")
    for body in ([], "x", None):
        check_error(api.put(sheet_path(competition.rounds[0], zju_entry), json=body), 400, "bad_request")
    assert count(ScoreSheet) == 0


def test_a_value_of_1e999_in_the_json_is_not_a_number(app, contest):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    a, b = (c.id for c in design.criteria)
    api = Api(app, "expert")
    raw = '{"scores": {"%d": 1e999, "%d": 1}, "submit": false}' % (a, b)  # noqa: UP031
    response = api.client.put(
        f"/api/v1{sheet_path(design, zju_entry)}",
        data=raw,
        content_type="application/json",
        headers={"X-CSRFToken": api.token},
    )
    error = check_error(response, 422, "validation_failed")
    assert error["details"] == [{"field": f"scores.{a}", "message": error["details"][0]["message"]}]
    assert count(ScoreSheet) == 0


def test_problems_are_worded_in_chinese(app, contest):
    competition, (zju_entry, _hzu) = contest
    lesson = competition.rounds[1]
    error = check_error(
        put(Api(app, "expert"), lesson, zju_entry, [30, 30, 25.6, 12.25], submit=True),
        422,
        "validation_failed",
    )
    messages = {d["field"]: d["message"] for d in error["details"]}
    assert "25.5" in messages[f"scores.{lesson.criteria[2].id}"]
    assert messages[f"scores.{lesson.criteria[3].id}"] == "最多保留一位小数，例如 8.5。"


def test_values_at_zero_and_at_the_maximum_are_exact(app, contest):
    competition, (zju_entry, _hzu) = contest
    lesson = competition.rounds[1]
    api = Api(app, "expert")
    answer = put(api, lesson, zju_entry, [0, "30", 25.5, "14.5"], submit=True)
    assert answer.get_json() == {"status": "submitted", "total": 70}
    assert sorted(db.session.scalars(select(ScoreValue.tenths))) == [0, 145, 255, 300]
    assert sheet_row("expert", lesson, zju_entry).total_tenths == 700


def test_unknown_rounds_and_entries(app, contest):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    api = Api(app, "expert")
    body = {"scores": {}, "submit": False}
    for round_id in (999999, 2**40):
        check_error(api.put(f"/rounds/{round_id}/entries/{zju_entry.id}/sheet", json=body), 404, "not_found")
        check_error(api.get(f"/rounds/{round_id}/entries/{zju_entry.id}/sheet"), 404, "not_found")
    for entry_id in (999999, 2**40):
        check_error(api.put(f"/rounds/{design.id}/entries/{entry_id}/sheet", json=body), 403, "forbidden")
        check_error(api.get(f"/rounds/{design.id}/entries/{entry_id}/sheet"), 403, "forbidden")
    assert count(ScoreSheet) == 0


def test_a_round_of_another_competition_is_not_scored_with_this_entry(app, contest):
    competition, (zju_entry, hzu_entry) = contest
    other, _entries = judged_contest(
        [staff("00124")], name="另一比赛", eligible_categories=["admin_logistics"]
    )
    round_ = other.rounds[0]
    api = Api(app, "expert")
    check_error(put(api, round_, hzu_entry, [1, 1]), 403, "forbidden")
    check_error(api.get(sheet_path(round_, hzu_entry)), 403, "forbidden")
    assert count(ScoreSheet) == 0


# --- the competition's state --------------------------------------------------------------------------------


def test_no_sheet_before_scoring(app, world):
    make_judge("expert")
    competition, (entry,) = judged_contest([staff("H001")], judges=["expert"], status="registration_closed")
    api = Api(app, "expert")
    before = snapshot()
    for round_, values in zip(competition.rounds, (FULL_DESIGN, FULL_LESSON), strict=True):
        check_error(put(api, round_, entry, values, submit=True), 409, "wrong_state")
        assert api.get(sheet_path(round_, entry)).get_json()["status"] == "none"
    check_error(
        paper(Api(app, "org"), competition.rounds[0], entry, "expert", FULL_DESIGN), 409, "wrong_state"
    )
    assert snapshot()["sheets"] == before["sheets"] == []


def test_after_publication_nothing_about_sheets_changes(app, world):
    make_judge("expert")
    competition, (entry,) = judged_contest([staff("H001")], judges=["expert"])
    design, lesson = competition.rounds
    make_sheet(user("expert"), design, entry, [40, 50])
    make_sheet(user("expert"), lesson, entry, [30, 30, 20, 10])
    org, judge = Api(app, "org"), Api(app, "expert")
    response = org.post(f"/competitions/{competition.id}/transition", json={"to": "published"})
    assert response.status_code == 200, response.get_json()
    before = snapshot()
    # every expected sheet is submitted by then: a tablet's retry gets its answer, anything else a 409
    assert put(judge, design, entry, [40, 50], submit=True, token="t").get_json() == {
        "status": "submitted",
        "total": 90,
    }
    check_error(put(judge, design, entry, [1, 1], submit=True, token="late"), 409, "already_submitted")
    check_error(unlock(org, design, entry, "expert"), 409, "wrong_state")
    check_error(paper(org, design, entry, "expert", [1, 1]), 409, "already_submitted")
    path = f"/competitions/{competition.id}"
    check_error(org.post(f"{path}/judges", json={"username": "expert", "group_ids": []}), 409, "wrong_state")
    check_error(
        org.post(f"{path}/conflicts", json={"username": "expert", "entry_id": entry.id}), 409, "wrong_state"
    )
    body = {
        "group_id": competition.groups[0].id,
        "round_id": design.id,
        "entry_id": entry.id,
        "screen": "next",
    }
    check_error(org.post(f"{path}/stage", json=body), 409, "wrong_state")
    assert snapshot() == before
    assert judge.get(sheet_path(design, entry)).get_json()["status"] == "submitted"
    assert judge.get("/judge/assignments").get_json() == []


def test_publication_waits_for_every_sheet(app, contest):
    competition, entries = contest
    org = Api(app, "org")
    error = check_error(
        org.post(f"/competitions/{competition.id}/transition", json={"to": "published"}),
        409,
        "sheets_missing",
    )
    # 2 rounds × (expert: 2 entries, judge_zju: 1, judge_hzu: 1)
    assert len(error["details"]) == 8
    progress = org.get(f"/competitions/{competition.id}/progress").get_json()
    assert [(p["sheets_expected"], p["sheets_submitted"]) for p in progress] == [
        (4, 0),
        (4, 0),
        (0, 0),
        (0, 0),
    ]
    assert user("org")


def test_sheets_missing_names_each_missing_sheet(app, contest, org):
    competition, (zju_entry, hzu_entry) = contest
    design, lesson = competition.rounds
    group = competition.groups[0].id
    make_sheet(user("expert"), design, zju_entry, [10, 10])
    make_sheet(user("expert"), lesson, zju_entry, [10, 10, 10, 10])
    make_sheet(user("expert"), design, hzu_entry, [10, None], submit=False)
    make_sheet(user("judge_hzu"), design, zju_entry, [10, 10])
    make_sheet(user("judge_hzu"), lesson, zju_entry, [10, 10, 10, 10])
    make_sheet(user("judge_zju"), design, hzu_entry, [10, 10])
    before = snapshot()
    error = check_error(
        org.post(f"/competitions/{competition.id}/transition", json={"to": "published"}),
        409,
        "sheets_missing",
    )
    assert sorted(
        (d["group_id"], d["round_id"], d["entry_id"], d["draw_no"], d["username"], d["status"])
        for d in error["details"]
    ) == sorted(
        [
            (group, design.id, hzu_entry.id, 2, "expert", "draft"),
            (group, lesson.id, hzu_entry.id, 2, "expert", "none"),
            (group, lesson.id, hzu_entry.id, 2, "judge_zju", "none"),
        ]
    )
    assert all(d["message"] for d in error["details"])
    assert snapshot() == before
    make_sheet(user("expert"), design, hzu_entry, [10, 10], token="t2")
    make_sheet(user("expert"), lesson, hzu_entry, [10, 10, 10, 10])
    make_sheet(user("judge_zju"), lesson, hzu_entry, [10, 10, 10, 10])
    response = org.post(f"/competitions/{competition.id}/transition", json={"to": "published"})
    assert response.status_code == 200 and response.get_json()["status"] == "published"
