"""The judging API, panels: the judge's queue, recusal at both levels, declared conflicts, panel changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import (
    JudgeAssignment,
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
    entry_ids,
    judged_contest,
    paper,
    put,
    sheet_path,
    sheet_row,
    snapshot,
)

# --- the judge's queue and recusal --------------------------------------------------------------------------


def test_the_judge_of_a_contestants_university_never_sees_that_contestant(app, contest):
    competition, (zju_entry, hzu_entry) = contest
    items = Api(app, "judge_zju").get("/judge/assignments").get_json()
    assert {i["entry_id"] for i in items} == {hzu_entry.id}
    assert all("name" not in i and "university" not in i for i in items)
    expert = Api(app, "expert").get("/judge/assignments").get_json()
    assert {i["entry_id"] for i in expert} == {zju_entry.id, hzu_entry.id}
    assert {i["sheet_status"] for i in expert} == {"none"}


def test_the_assignment_list_has_one_item_per_round_and_entry_in_draw_order(app, contest):
    competition, (zju_entry, hzu_entry) = contest
    design, lesson = competition.rounds
    expert = Api(app, "expert")
    put(expert, design, hzu_entry, [20, None])
    put(expert, lesson, hzu_entry, FULL_LESSON, submit=True)
    items = expert.get("/judge/assignments").get_json()
    assert [
        (i["competition_id"], i["round_id"], i["group_id"], i["entry_id"], i["draw_no"], i["sheet_status"])
        for i in items
    ] == [
        (competition.id, design.id, competition.groups[0].id, zju_entry.id, 1, "none"),
        (competition.id, lesson.id, competition.groups[0].id, zju_entry.id, 1, "none"),
        (competition.id, design.id, competition.groups[0].id, hzu_entry.id, 2, "draft"),
        (competition.id, lesson.id, competition.groups[0].id, hzu_entry.id, 2, "submitted"),
    ]


def test_names_are_shown_to_judges_only_when_judging_is_not_anonymous(app, world):
    make_judge("expert")
    judged_contest([staff("00123"), staff("H001")], judges=["expert"], anonymous_judging=False)
    items = Api(app, "expert").get("/judge/assignments").get_json()
    assert {(i["draw_no"], i["name"], i["university"]) for i in items} == {
        (1, "李老师", "浙江大学"),
        (2, "赵老师", "杭州大学"),
    }


def test_no_assignments_before_scoring(app, world):
    make_judge("expert")
    judged_contest([staff("H001")], judges=["expert"], status="registration_closed")
    assert Api(app, "expert").get("/judge/assignments").get_json() == []


def test_assigning_a_judge_answers_what_they_are_recused_from(app, contest, org):
    competition, (zju_entry, hzu_entry) = contest
    groups = [g.id for g in competition.groups]
    path = f"/competitions/{competition.id}/judges"
    answer = org.post(path, json={"username": "judge_zju", "group_ids": groups})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {
        "username": "judge_zju",
        "group_ids": sorted(groups),
        "recused_entry_ids": [zju_entry.id],
    }
    assert org.post(path, json={"username": "JUDGE_HZU", "group_ids": [groups[0]]}).get_json() == {
        "username": "judge_hzu",
        "group_ids": [groups[0]],
        "recused_entry_ids": [hzu_entry.id],
    }
    assert (
        org.post(path, json={"username": "expert", "group_ids": [groups[0]]}).get_json()["recused_entry_ids"]
        == []
    )
    seats = db.session.execute(
        select(JudgeAssignment.group_id, JudgeAssignment.seat).where(
            JudgeAssignment.judge_id == user("judge_zju").id
        )
    ).all()
    assert sorted(seats) == sorted([(groups[0], 1), (groups[1], 1)])
    panel = org.get(path).get_json()
    zju_seat = next(j for j in panel if j["username"] == "judge_zju" and j["group_id"] == groups[0])
    assert zju_seat["entries"] == 1
    assert zju_seat["recused"] == [{"entry_id": zju_entry.id, "reason": "same_university", "note": ""}]
    assert audit_rows("judging.assign")[-1].details["judge"] == "expert"


def test_a_recused_judge_can_neither_read_nor_write_the_sheet(app, contest):
    competition, (zju_entry, _hzu) = contest
    judge = Api(app, "judge_zju")
    before = snapshot()
    for round_ in competition.rounds:
        check_error(judge.get(sheet_path(round_, zju_entry)), 403, "forbidden")
        values = FULL_DESIGN if round_ is competition.rounds[0] else FULL_LESSON
        check_error(put(judge, round_, zju_entry, values, submit=True), 403, "forbidden")
    assert snapshot() == before


def test_recused_or_unassigned_judges_get_403(app, contest):
    competition, (zju_entry, _hzu) = contest
    check_error(put(Api(app, "judge_zju"), competition.rounds[0], zju_entry, [1, 1]), 403, "forbidden")
    check_error(put(Api(app, "zju_judge"), competition.rounds[0], zju_entry, [1, 1]), 403, "forbidden")
    check_error(Api(app, "zju_judge").get(sheet_path(competition.rounds[0], zju_entry)), 403, "forbidden")
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0


def test_school_level_a_university_admin_runs_the_panel_and_own_judges_score_colleagues(app, world):
    make_judge("expert")
    make_judge("judge_hzu", world["hzu"])
    competition, (teacher, accountant) = judged_contest(
        [staff("00123"), staff("00124")],
        level="school",
        by="zju_admin",
        eligible_categories=["teaching_research", "admin_logistics"],
    )
    admin = Api(app, "zju_admin")
    group = competition.groups[0].id
    path = f"/competitions/{competition.id}/judges"
    answer = admin.post(path, json={"username": "zju_judge", "group_ids": [group]})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["recused_entry_ids"] == []
    assert admin.post(path, json={"username": "expert", "group_ids": [group]}).status_code == 200
    # HZU's judges do not judge ZJU's school contest, and HZU's admin does not even see it
    outsider = Api(app, "hzu_admin")
    before = snapshot()
    error = check_error(
        admin.post(path, json={"username": "judge_hzu", "group_ids": [group]}), 422, "validation_failed"
    )
    assert error["details"][0]["field"] == "username"
    check_error(outsider.post(path, json={"username": "expert", "group_ids": [group]}), 404, "not_found")
    check_error(outsider.get(f"/competitions/{competition.id}/progress"), 404, "not_found")
    check_error(
        outsider.post(
            f"/competitions/{competition.id}/conflicts", json={"username": "expert", "entry_id": teacher.id}
        ),
        404,
        "not_found",
    )
    check_error(paper(outsider, competition.rounds[0], teacher, "expert", FULL_DESIGN), 404, "not_found")
    assert snapshot() == before

    judge = Api(app, "zju_judge")
    assert entry_ids(judge) == {teacher.id, accountant.id}
    response = put(judge, competition.rounds[0], teacher, [36, 55], submit=True)
    assert response.get_json() == {"status": "submitted", "total": 91}
    # only declared conflicts apply at school level
    declared = admin.post(
        f"/competitions/{competition.id}/conflicts",
        json={"username": "zju_judge", "entry_id": accountant.id, "reason": "同一科室"},
    )
    assert declared.status_code == 200, declared.get_json()
    assert entry_ids(judge) == {teacher.id}
    check_error(put(judge, competition.rounds[0], accountant, [1, 1]), 403, "forbidden")
    panel = {j["username"]: j for j in admin.get(path).get_json()}
    assert panel["zju_judge"]["recused"] == [
        {"entry_id": accountant.id, "reason": "declared", "note": "同一科室"}
    ]
    assert panel["expert"]["recused"] == []
    progress = admin.get(f"/competitions/{competition.id}/progress").get_json()
    assert [(p["round_id"], p["sheets_expected"], p["sheets_submitted"]) for p in progress[:2]] == [
        (competition.rounds[0].id, 3, 1),
        (competition.rounds[1].id, 3, 0),
    ]


def test_a_provincial_declared_conflict_removes_the_entry_and_its_sheets_but_the_audit_keeps_them(
    app, contest, org
):
    competition, (zju_entry, hzu_entry) = contest
    design, lesson = competition.rounds
    expert = Api(app, "expert")
    assert put(expert, design, zju_entry, [30, 45.5], submit=True).status_code == 200
    assert put(expert, lesson, zju_entry, [10, None, None, None]).status_code == 200
    assert put(expert, design, hzu_entry, [1, 2], submit=True, token="other").status_code == 200
    answer = org.post(
        f"/competitions/{competition.id}/conflicts",
        json={"username": "expert", "entry_id": zju_entry.id, "reason": "亲属"},
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"username": "expert", "entry_id": zju_entry.id, "reason": "亲属"}
    assert entry_ids(expert) == {hzu_entry.id}
    check_error(put(expert, design, zju_entry, [1, 1], token="new"), 403, "forbidden")
    check_error(expert.get(sheet_path(design, zju_entry)), 403, "forbidden")
    assert sheet_row("expert", design, zju_entry) is None and sheet_row("expert", lesson, zju_entry) is None
    assert sheet_row("expert", design, hzu_entry).total_tenths == 30
    assert count(ScoreValue) == 2  # only the hzu sheet's values remain
    (row,) = audit_rows("judging.conflict")
    assert row.username == "org" and row.details["judge"] == "expert" and row.details["reason"] == "亲属"
    assert sorted(
        (s["round_id"], s["status"], s["total_tenths"]) for s in row.details["removed_sheets"]
    ) == sorted([(design.id, "submitted", 755), (lesson.id, "draft", 100)])
    # the submission itself stays in the audit log with its total
    assert [
        r.details["total"] for r in audit_rows("sheet.submit") if r.details["entry_id"] == zju_entry.id
    ] == ["75.5"]
    progress = org.get(f"/competitions/{competition.id}/progress").get_json()
    assert progress[0]["sheets_expected"] == 3 and progress[0]["sheets_submitted"] == 1


# --- panels: invalid requests -------------------------------------------------------------------------------


def test_invalid_panel_changes_are_422_and_change_nothing(app, contest, org):
    competition, (zju_entry, _hzu) = contest
    other, (other_entry,) = judged_contest(
        [staff("00124")], name="另一比赛", eligible_categories=["admin_logistics"]
    )
    path = f"/competitions/{competition.id}"
    group = competition.groups[0].id
    before = snapshot()
    cases = [
        ("judges", {"username": "expert", "group_ids": [other.groups[0].id]}, "group_ids"),
        ("judges", {"username": "expert", "group_ids": [group, other.groups[1].id]}, "group_ids"),
        ("judges", {"username": "expert", "group_ids": group}, "group_ids"),
        ("judges", {"username": "expert", "group_ids": [str(group)]}, "group_ids"),
        ("judges", {"username": "expert", "group_ids": [True]}, "group_ids"),
        ("judges", {"username": "expert"}, "group_ids"),
        ("judges", {"username": "nobody", "group_ids": [group]}, "username"),
        ("judges", {"username": "zju_staff", "group_ids": [group]}, "username"),
        ("judges", {"group_ids": [group]}, "username"),
        ("conflicts", {"username": "expert", "entry_id": other_entry.id}, "entry_id"),
        ("conflicts", {"username": "expert", "entry_id": 999999}, "entry_id"),
        ("conflicts", {"username": "expert", "entry_id": 2**40}, "entry_id"),
        ("judges", {"username": "expert", "group_ids": [2**40]}, "group_ids"),
        ("conflicts", {"username": "expert", "entry_id": str(zju_entry.id)}, "entry_id"),
        ("conflicts", {"username": "expert", "entry_id": zju_entry.id, "reason": "x" * 201}, "reason"),
        ("conflicts", {"username": "nobody", "entry_id": zju_entry.id}, "username"),
    ]
    for endpoint, body, field in cases:
        error = check_error(org.post(f"{path}/{endpoint}", json=body), 422, "validation_failed")
        assert [d["field"] for d in error["details"]] == [field], (endpoint, body)
    assert snapshot() == before


@pytest.mark.parametrize("competition_id", [999999, 2**40])
def test_an_unknown_competition_is_404(app, contest, org, competition_id):
    path = f"/competitions/{competition_id}"
    before = snapshot()
    check_error(org.post(f"{path}/judges", json={"username": "expert", "group_ids": []}), 404, "not_found")
    check_error(org.get(f"{path}/judges"), 404, "not_found")
    check_error(org.post(f"{path}/conflicts", json={"username": "expert", "entry_id": 1}), 404, "not_found")
    check_error(org.get(f"{path}/progress"), 404, "not_found")
    check_error(org.post(f"{path}/stage", json={"screen": "next"}), 404, "not_found")
    assert snapshot() == before


def test_a_judge_who_has_scored_in_a_group_is_not_taken_off_it(app, contest, org):
    competition, (zju_entry, _hzu) = contest
    make_sheet(user("expert"), competition.rounds[0], zju_entry, [10, None], submit=False)
    before = snapshot()
    response = org.post(
        f"/competitions/{competition.id}/judges", json={"username": "expert", "group_ids": []}
    )
    check_error(response, 409, "has_sheets")
    assert snapshot() == before
