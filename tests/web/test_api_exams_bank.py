"""The written-test API, the question bank: JSON and file imports (all or nothing), the list, who may."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from competition.enums import Role
from tests.builders import Api, bank_questions, csrf_token, exam_round, make_exam_contest
from tests.web.api_checks import check_error

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PRACTICAL = {"name": "实操", "weight": 0.6, "criteria": [{"name": "操作规范", "max_score": 100}]}


@pytest.fixture
def drill(app, world):
    """A drill: 笔试 (exam, 40%, the 8-question ``bank_questions`` bank) and 实操 (judged, 60%)."""
    competition, _ = make_exam_contest([], rounds=[exam_round("笔试", 0.4), PRACTICAL])
    return competition


def upload(api: Api, round_id: int, name: str, data: bytes | None = None):
    content = data if data is not None else (FIXTURES / name).read_bytes()
    return api.client.post(
        f"/api/v1/rounds/{round_id}/questions",
        data={"file": (io.BytesIO(content), name)},
        headers={"X-CSRFToken": api.token},
        content_type="multipart/form-data",
    )


def total(api: Api, round_id: int) -> int:
    return len(api.get(f"/rounds/{round_id}/questions").get_json())


def test_json_questions_are_added_and_listed_with_their_answers(org, drill):
    exam = drill.rounds[0]
    new = [
        {
            "type": "single",
            "text": "火警电话是",
            "options": ["110", "119", "120"],
            "answer": [1],
            "tag": "消防",
        },
        {"type": "true_false", "text": "电梯可用于火灾逃生。", "answer": [1]},
        {
            "type": "multiple",
            "text": "灭火的方法有",
            "options": ["冷却", "窒息", "隔离", "助燃"],
            "answer": [0, 1, 2],
        },
    ]
    response = org.post(f"/rounds/{exam.id}/questions", json={"questions": new})
    assert response.status_code == 200
    assert response.get_json() == {"created": 3, "total": 11}
    listed = org.get(f"/rounds/{exam.id}/questions").get_json()
    assert len(listed) == 11
    assert all(set(q) == {"id", "type", "text", "options", "answer", "tag"} for q in listed)
    assert [q["text"] for q in listed[:3]] == ["单选题0", "单选题1", "单选题2"]
    assert [{k: v for k, v in q.items() if k != "id"} for q in listed[8:]] == [
        {
            "type": "single",
            "text": "火警电话是",
            "options": ["110", "119", "120"],
            "answer": [1],
            "tag": "消防",
        },
        {"type": "true_false", "text": "电梯可用于火灾逃生。", "options": [], "answer": [1], "tag": None},
        {
            "type": "multiple",
            "text": "灭火的方法有",
            "options": ["冷却", "窒息", "隔离", "助燃"],
            "answer": [0, 1, 2],
            "tag": None,
        },
    ]
    assert len({q["id"] for q in listed}) == 11


def test_invalid_json_questions_are_all_listed_and_nothing_is_written(org, drill):
    exam = drill.rounds[0]
    bad = [
        {"type": "single", "text": "好题", "options": ["甲", "乙"], "answer": [0]},
        {"type": "single", "text": "答案越界", "options": ["甲", "乙"], "answer": [5]},
        {"type": "multiple", "text": "只有一个答案", "options": ["甲", "乙", "丙"], "answer": [1]},
        {"type": "essay", "text": "简答题", "answer": [0]},
        {"type": "true_false", "text": "", "answer": [0]},
    ]
    error = check_error(
        org.post(f"/rounds/{exam.id}/questions", json={"questions": bad}), 422, "validation_failed"
    )
    fields = [d["field"] for d in error["details"]]
    assert all(d["message"] for d in error["details"])
    assert [f.split(".")[0] for f in fields] == [
        "questions[1]",
        "questions[2]",
        "questions[3]",
        "questions[4]",
    ]
    assert fields[0] == "questions[1].answer" and fields[3] == "questions[4].text"
    # a question already in the bank is a duplicate; a body without questions is refused
    again = org.post(f"/rounds/{exam.id}/questions", json={"questions": bank_questions(1, 0, 0)})
    assert check_error(again, 422, "validation_failed")["details"][0]["field"] == "questions[0].text"
    assert check_error(org.post(f"/rounds/{exam.id}/questions", json={}), 422, "validation_failed")["details"]
    check_error(org.post(f"/rounds/{exam.id}/questions", json=[1]), 400, "bad_request")
    assert total(org, exam.id) == 8


def test_bank_files_are_imported_whole_or_refused_with_their_rows(org, world):
    competition, _ = make_exam_contest([], rounds=[exam_round("笔试一", 0.5), exam_round("笔试二", 0.5)])
    one, two = (r.id for r in competition.rounds)
    first = upload(org, one, "question-bank.xlsx")
    assert first.status_code == 200 and first.get_json() == {"created": 40, "total": 48}
    second = upload(org, two, "question-bank-gbk.csv")
    assert second.status_code == 200 and second.get_json() == {"created": 5, "total": 13}
    fire = next(q for q in org.get(f"/rounds/{two}/questions").get_json() if q["text"] == "火警报警电话是")
    assert (fire["options"], fire["answer"], fire["tag"]) == (["110", "119", "120", "122"], [1], "消防安全")
    listed = {q["text"]: q for q in org.get(f"/rounds/{one}/questions").get_json()}
    lab = listed["实验室发生火灾时，首先应当采取的措施是"]  # the title row skipped, 分类 as the tag
    assert (lab["type"], lab["answer"], lab["tag"]) == ("single", [1], "消防安全")
    assert sum(q["type"] == "true_false" for q in listed.values()) == 3 + 10
    error = check_error(upload(org, one, "question-bank-with-errors.xlsx"), 422, "validation_failed")
    assert [(d["row"], d["column"]) for d in error["details"]] == [
        (9, "答案"),
        (10, "答案"),
        (11, "题型"),
        (12, "题干"),
        (13, "题干"),
        (14, "答案"),
        (15, "答案"),
    ]
    assert all(d["message"] for d in error["details"])
    # four of the CSV's five questions are in the Excel bank already: the whole file is refused
    twice = check_error(upload(org, one, "question-bank-gbk.csv"), 422, "validation_failed")
    assert [d["row"] for d in twice["details"]] == [2, 3, 4, 5]
    not_a_bank = check_error(
        upload(org, one, "notes.xlsx", b"\x00\x01 not a spreadsheet"), 422, "validation_failed"
    )
    assert not_a_bank["details"]
    assert (total(org, one), total(org, two)) == (48, 13)


def test_a_missing_file_is_a_422_naming_the_field(org, drill):
    response = org.client.post(
        f"/api/v1/rounds/{drill.rounds[0].id}/questions",
        data={"other": "x"},
        headers={"X-CSRFToken": org.token},
        content_type="multipart/form-data",
    )
    assert check_error(response, 422, "validation_failed")["details"][0]["field"] == "file"
    assert total(org, drill.rounds[0].id) == 8


def test_a_judged_round_has_no_bank(org, drill):
    practical = drill.rounds[1]
    check_error(
        org.post(f"/rounds/{practical.id}/questions", json={"questions": bank_questions(1, 0, 0)}),
        409,
        "not_exam",
    )
    check_error(upload(org, practical.id, "question-bank.xlsx"), 409, "not_exam")
    check_error(org.get(f"/rounds/{practical.id}/questions"), 409, "not_exam")
    check_error(org.get(f"/rounds/{practical.id}/item_analysis"), 409, "not_exam")
    check_error(org.get("/rounds/987654/questions"), 404, "not_found")
    check_error(org.get(f"/rounds/{2**63}/item_analysis"), 404, "not_found")
    assert total(org, drill.rounds[0].id) == 8


@pytest.mark.parametrize("username", ["zju_staff", "zju_judge", "zju_admin", "hzu_admin"])
def test_only_who_runs_the_competition_sees_or_changes_the_bank(app, drill, username):
    exam = drill.rounds[0]
    api = Api(app, username)
    check_error(api.get(f"/rounds/{exam.id}/questions"), 403, "forbidden")
    check_error(api.get(f"/rounds/{exam.id}/item_analysis"), 403, "forbidden")
    check_error(
        api.post(f"/rounds/{exam.id}/questions", json={"questions": bank_questions(0, 0, 1)}),
        403,
        "forbidden",
    )
    check_error(upload(api, exam.id, "question-bank-gbk.csv"), 403, "forbidden")
    assert total(Api(app, "org"), exam.id) == 8


def test_anonymous_callers_and_forged_requests_are_refused(app, drill):
    exam = drill.rounds[0]
    anonymous = app.test_client()
    check_error(anonymous.get(f"/api/v1/rounds/{exam.id}/questions"), 401, "not_authenticated")
    check_error(anonymous.get(f"/api/v1/rounds/{exam.id}/item_analysis"), 401, "not_authenticated")
    posted = anonymous.post(
        f"/api/v1/rounds/{exam.id}/questions",
        json={"questions": bank_questions(0, 0, 1)},
        headers={"X-CSRFToken": csrf_token(anonymous)},
    )
    check_error(posted, 401, "not_authenticated")
    org = Api(app, "org")
    forged = org.client.post(
        f"/api/v1/rounds/{exam.id}/questions", json={"questions": bank_questions(0, 0, 1)}
    )
    check_error(forged, 400, "csrf_failed")
    assert total(org, exam.id) == 8


def test_a_school_contest_bank_is_its_university_admins(app, world, make):
    make.user("hzu_admin2", Role.UNIVERSITY_ADMIN, world["hzu"])
    competition, _ = make_exam_contest([], level="school", university="HZU")
    exam = competition.rounds[0]
    check_error(Api(app, "zju_admin").get(f"/rounds/{exam.id}/questions"), 404, "not_found")
    hzu = Api(app, "hzu_admin")
    added = hzu.post(
        f"/rounds/{exam.id}/questions",
        json={"questions": [{"type": "true_false", "text": "新题", "answer": [0]}]},
    )
    assert added.status_code == 200 and added.get_json() == {"created": 1, "total": 9}
    assert len(Api(app, "hzu_admin2").get(f"/rounds/{exam.id}/questions").get_json()) == 9
