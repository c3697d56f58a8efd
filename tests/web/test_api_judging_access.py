"""The judging API: the stage and live rounds, and who may call what."""

from __future__ import annotations

import pytest

from tests.builders import (
    Api,
    make_sheet,
    user,
)
from tests.web.api_checks import check_error
from tests.web.judging_checks import (
    FULL_DESIGN,
    Anonymous,
    audit_rows,
    call,
    paper,
    put,
    scores_for,
    sheet_row,
    snapshot,
)


def test_in_a_live_round_judges_score_only_the_entry_on_stage(app, live, org):
    competition, (first, second) = live
    written, practical = competition.rounds
    assert practical.mode == "live"
    judge = Api(app, "expert")
    before = snapshot()
    check_error(put(judge, practical, first, [80], submit=True), 409, "not_on_stage")
    assert snapshot() == before
    # a queue round of the same competition takes any entry
    assert put(judge, written, second, [77], submit=True).status_code == 200
    body = {
        "group_id": competition.groups[0].id,
        "round_id": practical.id,
        "entry_id": first.id,
        "screen": "scoring",
    }
    staged = org.post(f"/competitions/{competition.id}/stage", json=body)
    assert staged.status_code == 200, staged.get_json()
    state = staged.get_json()
    assert state["screen"] == "scoring" and state["leaderboard"] == []
    assert state["on_stage"] == {
        "entry_id": first.id,
        "draw_no": 1,
        "submitted": 0,
        "expected": 1,
        "judge_totals": None,
        "dropped": None,
        "score": None,
        "seats": [{"seat": 1, "submitted": False}],
        "reveal": None,
    }
    assert put(judge, practical, first, [80], submit=True).get_json() == {"status": "submitted", "total": 80}
    check_error(put(judge, practical, second, [70], submit=True), 409, "not_on_stage")
    assert sheet_row("expert", practical, second) is None
    # on paper, an organizer may enter any entry's sheet of a live round
    assert paper(org, practical, second, "expert", [70]).get_json() == {"status": "submitted", "total": 70}
    body["entry_id"] = second.id
    assert (
        org.post(f"/competitions/{competition.id}/stage", json=body).get_json()["on_stage"]["submitted"] == 1
    )
    row = audit_rows("stage.set")[-1]
    assert row.details["entry_id"] == second.id and row.details["screen"] == "scoring"


def test_the_judges_stage_answers_304_while_it_is_unchanged(app, live, org):
    competition, (first, second) = live
    practical = competition.rounds[1]
    judge = Api(app, "expert")
    assert judge.get("/judge/stage").get_json() == {"stages": []}
    body = {
        "group_id": competition.groups[0].id,
        "round_id": practical.id,
        "entry_id": first.id,
        "screen": "next",
    }
    org.post(f"/competitions/{competition.id}/stage", json=body)
    response = judge.get("/judge/stage")
    assert response.get_json()["stages"] == [
        {
            "competition_id": competition.id,
            "group_id": competition.groups[0].id,
            "round_id": practical.id,
            "entry_id": first.id,
            "version": 1,
        }
    ]
    etag = response.headers["ETag"]
    unchanged = judge.client.get("/api/v1/judge/stage", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    org.post(f"/competitions/{competition.id}/stage", json={**body, "entry_id": second.id})
    changed = judge.client.get("/api/v1/judge/stage", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["stages"][0]["version"] == 2
    queue = judge.get("/judge/queue").get_json()
    on_stage = [(i["round_id"], i["entry_id"]) for i in queue["items"] if i["on_stage"]]
    assert on_stage == [(practical.id, second.id)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"screen": "dance"}, "screen"),
        ({"screen": ["next"]}, "screen"),
        ({"screen": {"next": 1}}, "screen"),
        ({"screen": None}, "screen"),
        ({"group_id": 999999}, "group_id"),
        ({"group_id": "1"}, "group_id"),
        ({"round_id": 999999}, "round_id"),
        ({"round_id": None}, "round_id"),
        ({"entry_id": 999999}, "entry_id"),
        ({"entry_id": "x"}, "entry_id"),
        ({"entry_id": 2**40}, "entry_id"),
        ({"group_id": 2**40}, "group_id"),
    ],
)
def test_an_invalid_stage_is_422_and_changes_nothing(app, live, org, change, field):
    competition, (first, _second) = live
    body = {
        "group_id": competition.groups[0].id,
        "round_id": competition.rounds[1].id,
        "entry_id": first.id,
        "screen": "scoring",
        **change,
    }
    before = snapshot()
    error = check_error(
        org.post(f"/competitions/{competition.id}/stage", json=body), 422, "validation_failed"
    )
    assert [d["field"] for d in error["details"]] == [field]
    assert snapshot() == before


def test_an_entry_of_another_group_cannot_go_on_stage(app, live, org):
    competition, (first, _second) = live
    body = {"group_id": competition.groups[1].id, "round_id": competition.rounds[1].id, "entry_id": first.id}
    before = snapshot()
    error = check_error(
        org.post(f"/competitions/{competition.id}/stage", json=body), 422, "validation_failed"
    )
    assert error["details"][0]["field"] == "entry_id"
    assert snapshot() == before
    nobody = org.post(
        f"/competitions/{competition.id}/stage", json={**body, "entry_id": None, "screen": "top_ten"}
    )
    assert nobody.status_code == 200 and nobody.get_json()["on_stage"] is None


# --- who may call what --------------------------------------------------------------------------------------


def endpoints(competition, entry) -> dict[str, list[tuple[str, str, dict | None]]]:
    """Every judging endpoint with a valid request on ``entry`` (scored by the expert, who submitted its
    教学设计 sheet), by who may call it."""
    design = competition.rounds[0]
    c, g, r, e = competition.id, competition.groups[0].id, design.id, entry.id
    scores = scores_for(design, FULL_DESIGN)
    return {
        "organizer": [
            (
                "post",
                f"/competitions/{c}/judges",
                {"username": "expert", "group_ids": [g, competition.groups[1].id]},
            ),
            ("get", f"/competitions/{c}/judges", None),
            ("post", f"/rounds/{r}/entries/{e}/sheets/expert/unlock", {"reason": "录错"}),
            ("post", f"/competitions/{c}/conflicts", {"username": "expert", "entry_id": e}),
            ("put", f"/rounds/{r}/entries/{e}/sheets/judge_hzu", {"scores": scores}),
            ("get", f"/competitions/{c}/progress", None),
            (
                "post",
                f"/competitions/{c}/stage",
                {"group_id": g, "round_id": r, "entry_id": e, "screen": "next"},
            ),
        ],
        "judge": [
            ("get", "/judge/assignments", None),
            ("get", "/judge/queue", None),
            ("get", "/judge/stage", None),
            ("get", f"/rounds/{r}/entries/{e}/sheet", None),
            (
                "put",
                f"/rounds/{r}/entries/{e}/sheet",
                {"scores": scores, "submit": True, "client_token": "z"},
            ),
        ],
    }


@pytest.mark.parametrize(
    ("who", "kinds", "status", "code"),
    [
        (None, ("organizer", "judge"), 401, "not_authenticated"),
        ("zju_staff", ("organizer", "judge"), 403, "forbidden"),
        ("zju_admin", ("organizer", "judge"), 403, "forbidden"),
        ("judge_hzu", ("organizer",), 403, "forbidden"),
        ("org", ("judge",), 403, "forbidden"),
    ],
)
def test_who_may_not_call_what(app, contest, who, kinds, status, code):
    competition, (zju_entry, _hzu) = contest
    make_sheet(user("expert"), competition.rounds[0], zju_entry, FULL_DESIGN)
    api = Anonymous(app) if who is None else Api(app, who)
    calls = endpoints(competition, zju_entry)
    before = snapshot()
    for kind in kinds:
        for method, path, body in calls[kind]:
            response = call(api, method, path, body)
            assert response.status_code == status, (method, path, response.get_data(as_text=True))
            check_error(response, status, code)
    assert snapshot() == before


def test_the_allowed_callers_succeed_on_the_same_requests(app, contest):
    """The refusals above are about the caller, not the requests: the right roles get 200."""
    competition, (zju_entry, _hzu) = contest
    make_sheet(user("expert"), competition.rounds[0], zju_entry, FULL_DESIGN)
    calls = endpoints(competition, zju_entry)
    org, judge = Api(app, "org"), Api(app, "judge_hzu")
    for method, path, body in calls["judge"]:
        response = call(judge, method, path, body)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
    for method, path, body in calls["organizer"]:
        response = call(org, method, path, body)
        if "/sheets/judge_hzu" in path:  # judge_hzu submitted through the tablet just now
            check_error(response, 409, "already_submitted")
            continue
        assert response.status_code == 200, (path, response.get_data(as_text=True))
