"""GET /competitions/{id}/results (API.md, Results and live screen): the provisional board for those who run
the competition, who else may read it and when, the values with five judges, and which group is read."""

from __future__ import annotations

import pytest

from tests.builders import Api, make_competition, make_judge, make_scoring_contest, staff
from tests.web.api_checks import check_error
from tests.web.judging_checks import Anonymous
from tests.web.results_api_checks import (
    DESIGN,
    JUDGES,
    LESSON,
    by_draw,
    five_judge_contest,
    publish,
    results,
    sheet_of,
    submit,
)

ITEM_KEYS = {"entry_id", "draw_no", "final_score", "rank", "award", "complete", "rounds"}
NAME_KEYS = {"name", "university"}
PRIVATE_KEYS = {"staff_no", "department"}
ROUND_KEYS = {"round_id", "score", "complete", "judge_totals", "dropped"}


@pytest.fixture
def scored(world, make):
    """The five-judge contest (results_api_checks) with every sheet submitted."""
    contest = five_judge_contest(world, make)
    submit(contest)
    return contest


def test_organizer_sees_the_provisional_board_while_a_sheet_is_missing(world, make, org):
    contest = five_judge_contest(world, make)
    competition, entries = contest
    submit(contest, skip=(("j5", 1, LESSON),))
    sheet_of(contest, "j5", 1, LESSON, 70, submit=False)  # a draft counts for nothing
    body = results(org, competition).get_json()
    assert (body["competition_id"], body["group_id"]) == (competition.id, competition.groups[0].id)
    assert (body["published"], body["complete"]) == (False, False)
    first = by_draw(body)[1]
    assert (first["entry_id"], first["name"], first["university"]) == (entries[0].id, "李老师", "浙江大学")
    assert (first["staff_no"], first["department"], first["complete"]) == ("00123", "计算机学院", False)
    design, lesson = first["rounds"]
    assert (design["score"], design["complete"]) == (86.67, True)
    # Four sheets of five: fewer than trim_min_judges, nothing dropped; (90+85+80+75)/4 = 82.5.
    assert (lesson["score"], lesson["complete"]) == (82.5, False)
    assert sorted(lesson["judge_totals"]) == [75, 80, 85, 90] and lesson["dropped"] == []
    assert [s["username"] for s in lesson["sheets"]] == ["j1", "j2", "j3", "j4"]
    # 0.2 × 86.67 + 0.8 × 82.5 = 17.334 + 66 = 83.334 → 83.33, still below the 84.00 of 2号 and 3号.
    assert (first["final_score"], first["rank"], first["award"]) == (83.33, 3, None)
    assert all(item["complete"] for item in body["items"][:2])


def test_with_every_sheet_the_board_is_complete_with_trimmed_scores(org, scored):
    competition, entries = scored
    body = results(org, competition).get_json()
    assert (body["published"], body["complete"]) == (False, True)
    # Ordered by rank, then draw number: the tied 2号 and 3号 first.
    assert [(i["draw_no"], i["rank"], i["final_score"], i["award"]) for i in body["items"]] == [
        (2, 1, 84, "二等奖"),
        (3, 1, 84, "二等奖"),
        (1, 3, 81.33, None),
    ]
    first = by_draw(body)[1]
    assert set(first) == ITEM_KEYS | NAME_KEYS | PRIVATE_KEYS
    design, lesson = first["rounds"]
    assert [r["round_id"] for r in first["rounds"]] == [r.id for r in competition.rounds]
    assert (design["score"], sorted(design["judge_totals"]), sorted(design["dropped"])) == (
        86.67,
        [60, 80, 90, 90, 100],
        [60, 100],
    )
    assert (lesson["score"], sorted(lesson["judge_totals"]), sorted(lesson["dropped"])) == (
        80,
        [70, 75, 80, 85, 90],
        [70, 90],
    )
    # Each judge's sheet for the organizer, by seat, with the dropped ones marked.
    assert [(s["seat"], s["username"], s["total"], s["dropped"]) for s in design["sheets"]] == [
        (1, "j1", 100, "high"),
        (2, "j2", 90, None),
        (3, "j3", 90, None),
        (4, "j4", 80, None),
        (5, "j5", 60, "low"),
    ]
    # All five totals equal: one is still dropped at each end.
    tied = by_draw(body)[2]["rounds"][DESIGN]
    assert (tied["score"], tied["judge_totals"], tied["dropped"]) == (80, [80] * 5, [80, 80])
    assert sorted(s["dropped"] or "" for s in tied["sheets"]) == ["", "", "", "high", "low"]
    assert by_draw(body)[3]["name"] == "钱老师" and by_draw(body)[2]["university"] == "杭州大学"


@pytest.mark.parametrize("username", ["zju_judge", "j1", "zju_staff", "zju_admin", "hzu_admin"])
def test_no_one_else_reads_them_before_publication(app, scored, username):
    competition, _entries = scored
    check_error(results(Api(app, username), competition), 403, "forbidden")


def test_anonymous_is_asked_to_log_in_before_publication(app, scored):
    competition, _entries = scored
    anonymous = Anonymous(app)
    check_error(results(anonymous, competition), 401, "not_authenticated")
    check_error(anonymous.get(f"/competitions/{competition.id}/results.xlsx"), 401, "not_authenticated")
    check_error(anonymous.get("/competitions/999999/results"), 404, "not_found")


def test_a_school_contest_is_read_by_its_own_admin_only(app, world):
    make_judge("expert")
    competition, _entries = make_scoring_contest([staff("00123")], level="school", judges={"expert": [0]})
    for username in ("zju_admin", "org"):
        body = results(Api(app, username), competition).get_json()
        assert (body["published"], body["complete"]) == (False, False)
        assert [(i["name"], i["final_score"], i["rank"]) for i in body["items"]] == [("李老师", None, None)]
    check_error(results(Api(app, "hzu_admin"), competition), 404, "not_found")  # not even seen
    check_error(results(Api(app, "zju_staff"), competition), 403, "forbidden")


def test_after_publication_everyone_reads_names_but_no_sheets(app, org, scored):
    competition, _entries = scored
    before = results(org, competition).get_json()
    assert publish(org, competition).status_code == 200
    for api in (Anonymous(app), Api(app, "zju_staff"), Api(app, "hzu_admin"), Api(app, "j1")):
        response = results(api, competition)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert (body["published"], body["complete"]) == (True, True)
        assert [(i["draw_no"], i["name"], i["university"], i["rank"]) for i in body["items"]] == [
            (2, "赵老师", "杭州大学", 1),
            (3, "钱老师", "杭州大学", 1),
            (1, "李老师", "浙江大学", 3),
        ]
        for item in body["items"]:
            assert set(item) == ITEM_KEYS | NAME_KEYS
            assert all(set(r) == ROUND_KEYS for r in item["rounds"])
        first = by_draw(body)[1]
        assert sorted(first["rounds"][LESSON]["dropped"]) == [70, 90] and first["final_score"] == 81.33
    # The organizer still reads every sheet; the published figures are those of the board before.
    after = results(org, competition).get_json()
    assert after["published"] is True
    assert after["items"] == before["items"]
    assert len(by_draw(after)[1]["rounds"][DESIGN]["sheets"]) == len(JUDGES)


def test_the_group_asked_for(org, scored):
    competition, _entries = scored
    first, second = competition.groups
    default = org.get(f"/competitions/{competition.id}/results").get_json()
    assert default["group_id"] == first.id and len(default["items"]) == 3
    empty = results(org, competition, second.id).get_json()
    assert (empty["group_id"], empty["items"], empty["complete"]) == (second.id, [], True)
    check_error(results(org, competition, 999999), 404, "not_found")
    other = make_competition(status="scoring", name="2026年另一项竞赛")
    check_error(results(org, competition, other.groups[0].id), 404, "not_found")
    check_error(org.get("/competitions/999999/results"), 404, "not_found")
    for bad in ("abc", str(2**40)):
        response = org.get(f"/competitions/{competition.id}/results", group_id=bad)
        check_error(response, 400, "bad_request")
