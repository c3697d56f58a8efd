"""The judging API, the organizer's review: unlocking, paper sheets, progress and anomalies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from competition.extensions import db
from competition.models import (
    JudgeAssignment,
    ScoreSheet,
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

# --- unlocking ----------------------------------------------------------------------------------------------


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


def test_unlock_is_audited_with_the_total_and_the_reason(app, contest, org):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    make_sheet(user("expert"), design, zju_entry, [30, 45.5])
    response = unlock(org, design, zju_entry, "EXPERT", "  方法一项看错  ")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "status": "draft",
        "username": "expert",
        "round_id": design.id,
        "entry_id": zju_entry.id,
    }
    row = sheet_row("expert", design, zju_entry)
    assert (row.status, row.reopened_reason, row.client_token, row.submitted_at) == (
        "draft",
        "方法一项看错",
        None,
        None,
    )
    (entry,) = audit_rows("sheet.unlock")
    assert entry.username == "org"
    assert {k: entry.details[k] for k in ("judge", "reason", "total", "entry_id")} == {
        "judge": "expert",
        "reason": "方法一项看错",
        "total": "75.5",
        "entry_id": zju_entry.id,
    }


def test_after_an_unlock_the_judge_saves_drafts_without_a_token_and_submits_anew(app, contest, org):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    judge = Api(app, "expert")
    put(judge, design, zju_entry, [30, 40], submit=True, token="first")
    unlock(org, design, zju_entry, "expert")
    draft = put(judge, design, zju_entry, [30, 35], token=None)
    assert draft.status_code == 200 and draft.get_json() == {"status": "draft", "total": 65}
    final = put(judge, design, zju_entry, [30, 36], submit=True, token="second")
    assert final.get_json() == {"status": "submitted", "total": 66}
    assert len(audit_rows("sheet.submit")) == 2 and count(ScoreSheet) == 1


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/rounds/999999/entries/{e}/sheets/expert/unlock", {"reason": "x"}, 404, "not_found"),
        ("/rounds/1099511627776/entries/{e}/sheets/expert/unlock", {"reason": "x"}, 404, "not_found"),
        ("/rounds/{r}/entries/1099511627776/sheets/expert/unlock", {"reason": "x"}, 404, "not_found"),
        ("/rounds/{r}/entries/999999/sheets/expert/unlock", {"reason": "x"}, 404, "not_found"),
        ("/rounds/{r}/entries/{e}/sheets/nobody/unlock", {"reason": "x"}, 404, "not_found"),
        ("/rounds/{r}/entries/{e}/sheets/zju_staff/unlock", {"reason": "x"}, 404, "not_found"),
        ("/rounds/{r}/entries/{e}/sheets/judge_hzu/unlock", {"reason": "x"}, 409, "wrong_state"),
        ("/rounds/{r}/entries/{e}/sheets/expert/unlock", {"reason": "  "}, 422, "validation_failed"),
        ("/rounds/{r}/entries/{e}/sheets/expert/unlock", {}, 422, "validation_failed"),
        ("/rounds/{r}/entries/{e}/sheets/expert/unlock", {"reason": "x" * 501}, 422, "validation_failed"),
        ("/rounds/{r}/entries/{e}/sheets/expert/unlock", {"reason": ["x"]}, 422, "validation_failed"),
    ],
)
def test_unlock_refusals_change_nothing(app, contest, org, path, body, status, code):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    make_sheet(user("expert"), design, zju_entry, [30, 40])
    make_sheet(user("judge_hzu"), design, zju_entry, [30, None], submit=False)
    before = snapshot()
    check_error(org.post(path.format(r=design.id, e=zju_entry.id), json=body), status, code)
    assert snapshot() == before
    assert sheet_row("expert", design, zju_entry).status == "submitted"


# --- paper sheets -------------------------------------------------------------------------------------------


def test_an_organizer_enters_a_paper_sheet_for_a_judge(app, contest, org):
    competition, (zju_entry, _hzu) = contest
    lesson = competition.rounds[1]
    answer = paper(org, lesson, zju_entry, "expert", [25, 26.5, 20, 12])
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"status": "submitted", "total": 83.5}
    row = sheet_row("expert", lesson, zju_entry)
    assert (row.status, row.total_tenths, row.entered_by_id, row.judge_id) == (
        "submitted",
        835,
        user("org").id,
        user("expert").id,
    )
    (entry,) = audit_rows("sheet.enter_on_paper")
    assert entry.username == "org" and entry.details["judge"] == "expert" and entry.details["total"] == "83.5"
    assert audit_rows("sheet.submit") == []
    judge = Api(app, "expert")
    assert judge.get(sheet_path(lesson, zju_entry)).get_json()["status"] == "submitted"
    check_error(
        put(judge, lesson, zju_entry, [1, 1, 1, 1], submit=True, token="tablet"), 409, "already_submitted"
    )


def test_a_paper_sheet_is_checked_like_any_sheet(app, contest, org):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    make_sheet(user("expert"), design, zju_entry, [1, None], submit=False)
    before = snapshot()
    for values in ([41, 10], [10, None], [10, 8.25], [-1, 10]):
        check_error(paper(org, design, zju_entry, "expert", values), 422, "validation_failed")
    check_error(
        org.put(f"/rounds/{design.id}/entries/{zju_entry.id}/sheets/expert", json={"scores": "40"}),
        422,
        "validation_failed",
    )
    # a recused judge owes no sheet, on paper neither
    check_error(paper(org, design, zju_entry, "judge_zju", [10, 10]), 403, "forbidden")
    check_error(paper(org, design, zju_entry, "nobody", [10, 10]), 404, "not_found")
    check_error(paper(org, design, zju_entry, "zju_staff", [10, 10]), 404, "not_found")
    assert snapshot() == before


@pytest.mark.parametrize("who", ["expert", "judge_hzu", "zju_staff", "zju_admin"])
def test_only_organizers_enter_paper_sheets(app, contest, who):
    competition, (zju_entry, _hzu) = contest
    api = Api(app, who)
    before = snapshot()
    check_error(paper(api, competition.rounds[0], zju_entry, "expert", [10, 10]), 403, "forbidden")
    assert snapshot() == before


# --- progress -----------------------------------------------------------------------------------------------


def test_progress_flags_the_total_far_from_the_median(app, world, org):
    judges = [f"e{n}" for n in range(1, 6)]
    for name in judges:
        make_judge(name)
    competition, (entry,) = judged_contest([staff("H001")], judges=judges)
    design, lesson = competition.rounds
    lessons = {
        "e1": [30, 30, 25.5, 6.5],  # 92
        "e2": [30, 30, 25.5, 4.5],  # 90
        "e3": [30, 30, 25, 3],  # 88
        "e4": [30, 30, 25.5, 5.5],  # 91
        "e5": [20, 20, 20, 10],  # 70
    }
    for name, values in lessons.items():
        make_sheet(user(name), lesson, entry, values)
    make_sheet(user("e1"), design, entry, [40, 60])
    make_sheet(user("e2"), design, entry, [10, None], submit=False)
    progress = org.get(f"/competitions/{competition.id}/progress").get_json()
    groups = [g.id for g in competition.groups]
    assert progress == [
        {
            "group_id": groups[0],
            "round_id": design.id,
            "entries": 1,
            "sheets_expected": 5,
            "sheets_submitted": 1,
            "anomalies": [],
        },
        {
            "group_id": groups[0],
            "round_id": lesson.id,
            "entries": 1,
            "sheets_expected": 5,
            "sheets_submitted": 5,
            "anomalies": [{"entry_id": entry.id, "username": "e5", "total": 70, "median": 90}],
        },
        {
            "group_id": groups[1],
            "round_id": design.id,
            "entries": 0,
            "sheets_expected": 0,
            "sheets_submitted": 0,
            "anomalies": [],
        },
        {
            "group_id": groups[1],
            "round_id": lesson.id,
            "entries": 0,
            "sheets_expected": 0,
            "sheets_submitted": 0,
            "anomalies": [],
        },
    ]

    # a sixth judge joins while scoring: allowed, and owes every sheet
    make_judge("e6")
    added = org.post(
        f"/competitions/{competition.id}/judges", json={"username": "e6", "group_ids": [groups[0]]}
    )
    assert added.status_code == 200, added.get_json()
    assert (
        db.session.scalar(select(JudgeAssignment.seat).where(JudgeAssignment.judge_id == user("e6").id)) == 6
    )
    progress = org.get(f"/competitions/{competition.id}/progress").get_json()
    assert [(p["sheets_expected"], p["sheets_submitted"]) for p in progress[:2]] == [(6, 1), (6, 5)]
    error = check_error(
        org.post(f"/competitions/{competition.id}/transition", json={"to": "published"}),
        409,
        "sheets_missing",
    )
    missing = {(d["round_id"], d["username"], d["status"]) for d in error["details"]}
    assert (lesson.id, "e6", "none") in missing and (design.id, "e2", "draft") in missing
    assert {u for r, u, _s in missing if r == lesson.id} == {"e6"}
    assert len(missing) == 6  # design: e2..e6; lesson: e6


def test_the_anomaly_threshold_is_the_competitions(app, world, org):
    judges = [f"e{n}" for n in range(1, 4)]
    for name in judges:
        make_judge(name)
    competition, (entry,) = judged_contest(
        [staff("H001")], judges=judges, scoring={"anomaly_threshold": 0.15}
    )
    design = competition.rounds[0]
    for name, values in zip(judges, ([40, 50], [40, 50], [35, 40]), strict=True):  # 90, 90, 75: 15 away
        make_sheet(user(name), design, entry, values)
    assert org.get(f"/competitions/{competition.id}/progress").get_json()[0]["anomalies"] == []
    make_sheet(user("e3"), competition.rounds[1], entry, [0, 0, 0, 0])
    make_sheet(user("e1"), competition.rounds[1], entry, [30, 30, 0, 0])
    make_sheet(user("e2"), competition.rounds[1], entry, [30, 30, 0, 0.1])  # 60, 60.1 and 0
    flagged = org.get(f"/competitions/{competition.id}/progress").get_json()[1]["anomalies"]
    assert flagged == [{"entry_id": entry.id, "username": "e3", "total": 0, "median": 60}]
