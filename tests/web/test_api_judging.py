"""The judging API: panels and recusal, the judge's queue and sheets, unlock, progress, publication."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditLog, ScoreSheet, ScoreValue
from tests.builders import Api, make_judge, make_scoring_contest, staff, user
from tests.web.api_checks import check_error


@pytest.fixture
def contest(app, world, make):
    """ZJU's 李老师 (1号) and HZU's 赵老师 (2号) in 文科组; judges: ZJU's, HZU's and an outside expert."""
    zju, hzu = world["zju"], world["hzu"]
    make_judge("judge_zju", zju)
    make_judge("judge_hzu", hzu)
    make_judge("expert")
    people = [staff("00123"), staff("H001")]
    competition, entries = make_scoring_contest(
        people, judges={"judge_zju": [0], "judge_hzu": [0], "expert": [0]}
    )
    return competition, entries


def scores_for(round_, values) -> dict:
    return {str(c.id): v for c, v in zip(round_.criteria, values, strict=True)}


def put(api: Api, round_, entry, values, *, submit=False, token="tok-1", **extra):  # noqa: S107
    body = {"scores": scores_for(round_, values), "submit": submit, "client_token": token, **extra}
    return api.put(f"/rounds/{round_.id}/entries/{entry.id}/sheet", json=body)


def test_the_judge_of_a_contestants_university_never_sees_that_contestant(app, contest):
    competition, (zju_entry, hzu_entry) = contest
    items = Api(app, "judge_zju").get("/judge/assignments").get_json()
    assert {i["entry_id"] for i in items} == {hzu_entry.id}
    assert all("name" not in i and "university" not in i for i in items)
    expert = Api(app, "expert").get("/judge/assignments").get_json()
    assert {i["entry_id"] for i in expert} == {zju_entry.id, hzu_entry.id}
    assert {i["sheet_status"] for i in expert} == {"none"}


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


def test_recused_or_unassigned_judges_get_403(app, contest):
    competition, (zju_entry, _hzu) = contest
    check_error(put(Api(app, "judge_zju"), competition.rounds[0], zju_entry, [1, 1]), 403, "forbidden")
    check_error(put(Api(app, "zju_judge"), competition.rounds[0], zju_entry, [1, 1]), 403, "forbidden")
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0


def test_unlock_reopens_with_a_reason_and_the_old_token_is_spent(app, contest):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    judge = Api(app, "expert")
    put(judge, design, zju_entry, [30, 40], submit=True)
    org = Api(app, "org")
    response = org.post(
        f"/rounds/{design.id}/entries/{zju_entry.id}/sheets/expert/unlock",
        json={"reason": "教学设计分数录错"},
    )
    assert response.status_code == 200, response.get_json()
    sheet = judge.get(f"/rounds/{design.id}/entries/{zju_entry.id}/sheet").get_json()
    assert sheet["status"] == "draft" and sheet["reopened_reason"] == "教学设计分数录错"
    check_error(put(judge, design, zju_entry, [30, 40], submit=True), 409, "reopened")
    assert put(judge, design, zju_entry, [31, 40], submit=True, token="tok-9").get_json()["total"] == 71


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
