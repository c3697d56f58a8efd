"""The organizer's exam pages: the question bank (counts, import, template, clearing), the live progress per
university, and the item analysis after the window closes (with its Excel export). Pages in English (?lang=en)
so the assertions hold before and after the Chinese catalogue has the new words."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from competition.domain.exam import displayed_key, paper_from_data
from competition.domain.question_bank import parse_bank
from competition.enums import Role
from competition.extensions import db
from competition.models import Question, Round
from competition.models._base import utcnow
from competition.services import exam_bank, exams
from tests.builders import (
    bank_questions,
    exam_round,
    login_as,
    make_competition,
    make_exam_contest,
    staff,
    user,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ALL_CATEGORIES = ["teaching_research", "admin_logistics", "other"]
# A bank the size of the builders' paper (2 single × 2, 1 multiple × 3, 2 true/false × 1 = 9): every paper
# has every question. RIGHT: the right answer of each (original option indexes).
RIGHT = {"单选题0": [0], "单选题1": [0], "多选题0": [0, 2], "判断题0": [0], "判断题1": [0]}


class Browser:
    """A test client logged in through the form, in English, posting forms with the CSRF token."""

    def __init__(self, app, username: str):
        self.client = app.test_client()
        self.token = login_as(self.client, username)
        self.client.get("/?lang=en")

    def get(self, path: str, **params):
        return self.client.get(path, query_string=params or None)

    def post(self, path: str, data=None, **kwargs):
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)


def words(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def section(page: str, attribute: str) -> str:
    """The words inside the first element whose start tag carries ``attribute`` (nested tags balanced)."""
    start = re.search(rf"<(\w+)[^>]*{attribute}[^>]*>", page)
    assert start, attribute
    tag, depth = start.group(1), 1
    for mark in re.finditer(rf"<(/?){tag}\b[^>]*>", page[start.end() :]):
        depth += -1 if mark.group(1) else 1
        if depth == 0:
            return words(page[start.end() : start.end() + mark.start()])
    raise AssertionError(f"{attribute} is not closed")


def bank_count(round_) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).where(Question.round_id == round_.id))


def base(competition, round_=None) -> str:
    return f"/exams/{competition.id}" + (f"/rounds/{round_.id}" if round_ is not None else "")


@pytest.fixture
def empty_round(app, world):
    """A provincial drill in registration with one exam round and an empty bank."""
    competition = make_competition(kind="drill", rounds=[exam_round()], eligible_categories=ALL_CATEGORIES)
    return competition, competition.rounds[0]


@pytest.fixture
def quiz(app, world, make):
    """Four approved entrants with accounts (ZJU: 00123 zju_staff, 00124 wang, 00125 chen; HZU: H001 zhao);
    one exam round with the five questions of RIGHT."""
    make.user("wang", Role.STAFF, world["zju"], staff=staff("00124"))
    make.user("zhao", Role.STAFF, world["hzu"], staff=staff("H001"))
    make.user("chen", Role.STAFF, world["zju"], staff=make.staff(world["zju"], "00125", "陈老师"))
    people = [staff(n) for n in ("00123", "00124", "00125", "H001")]
    competition, _entries = make_exam_contest(people, questions=bank_questions(2, 1, 2))
    return competition, competition.rounds[0]


def sit(round_: Round, username: str, answers: dict[str, list[int]] | None, *, submit: bool = True) -> None:
    """``username`` starts the test, answers (question text → original options) and hands in."""
    who = user(username)
    attempt, _created = exams.start_attempt(round_=round_, user=who)
    placed = {q.question_id: q.options for q in paper_from_data(attempt.paper)}
    ids = dict(
        db.session.execute(select(Question.text, Question.id).where(Question.round_id == round_.id)).all()
    )
    keys = {
        str(ids[t]): [displayed_key(placed[ids[t]], o) for o in chosen]
        for t, chosen in (answers or {}).items()
    }
    if keys:
        exams.save_answers(attempt=attempt, answers=keys, by=who)
    if submit:
        exams.submit_attempt(attempt=attempt, by=who)
    db.session.commit()


# --- the bank -----------------------------------------------------------------------------------------------


def test_the_bank_page_shows_the_rule_the_counts_by_type_and_tag_and_the_shortfall(app, world):
    paper = [{"type": "single", "count": 20, "points": 2}, {"type": "true_false", "count": 2, "points": 1}]
    tagged = [{**q, "tag": "消防安全"} for q in bank_questions(3, 0, 0)] + bank_questions(0, 2, 2)
    competition, _ = make_exam_contest([], rounds=[exam_round(paper=paper)], questions=tagged)
    round_ = competition.rounds[0]
    raw = Browser(app, "org").get(base(competition, round_) + "/bank").get_data(as_text=True)
    assert "a paper drawn at random: 22 questions, 42 points in all." in words(raw)
    assert section(raw, 'data-type="single"') == "Single choice 20 2 40 3 17 short"
    assert section(raw, 'data-type="multiple"') == "Multiple choice 0 — — 2 not on the paper"
    assert section(raw, 'data-type="true_false"') == "True or false 2 1 2 2 enough"
    assert section(raw, 'data-testid="bank-total"') == "7"
    assert "a paper needs 20 Single choice questions, the bank has only 3." in section(raw, "bank-shortfall")
    assert 'data-testid="bank-enough"' not in raw
    assert section(raw, 'data-tag="消防安全"') == "消防安全 3 0 0 3"
    assert section(raw, 'data-tag=""') == "No category 0 2 2 4"
    # Every question with its options, the right ones marked; 判断题 reads 正确 / 错误.
    first = section(raw, 'data-question="1"')
    assert first.startswith("Question 1 Single choice 消防安全 单选题0 A. 对的 right answer B. 错的")
    assert section(raw, 'data-question="6"').endswith("判断题0 正确 right answer 错误")


def test_a_big_enough_bank_says_so_and_the_list_is_paged_and_filtered(app, world):
    competition, _ = make_exam_contest([], questions=bank_questions(110, 5, 5))
    round_, org = competition.rounds[0], Browser(app, "org")
    raw = org.get(base(competition, round_) + "/bank").get_data(as_text=True)
    assert section(raw, 'data-testid="bank-enough"') == "The bank is big enough for the paper."
    assert raw.count("data-question=") == 50 and 'data-testid="pager"' in raw
    last = org.get(base(competition, round_) + "/bank", page=3).get_data(as_text=True)
    assert last.count("data-question=") == 20 and 'data-question="120"' in last
    multiples = org.get(base(competition, round_) + "/bank", type="multiple").get_data(as_text=True)
    assert re.findall(r'data-question="(\d+)"', multiples) == ["111", "112", "113", "114", "115"]
    assert section(multiples, "bank-shown") == "5 of 120 questions match"
    untagged = org.get(base(competition, round_) + "/bank", tag="__none__", type="true_false")
    assert untagged.get_data(as_text=True).count("data-question=") == 5


def test_importing_the_sample_bank_adds_its_40_questions(app, empty_round):
    competition, round_ = empty_round
    org = Browser(app, "org")
    with (FIXTURES / "question-bank.xlsx").open("rb") as f:
        response = org.post(base(competition, round_) + "/bank", {"file": (f, "question-bank.xlsx")})
    assert response.status_code == 302
    assert bank_count(round_) == 40
    types = dict(
        db.session.execute(
            select(Question.type, func.count()).where(Question.round_id == round_.id).group_by(Question.type)
        ).all()
    )
    assert types == {"single": 20, "multiple": 10, "true_false": 10}
    page = words(org.get(response.headers["Location"]).get_data(as_text=True))
    assert "40 questions imported; the bank now holds 40." in page


def test_a_bank_with_errors_lists_every_bad_row_and_writes_nothing(app, empty_round):
    competition, round_ = empty_round
    org = Browser(app, "org")
    with (FIXTURES / "question-bank-with-errors.xlsx").open("rb") as f:
        response = org.post(base(competition, round_) + "/bank", {"file": (f, "bank.xlsx")})
    assert response.status_code == 422
    raw = response.get_data(as_text=True)
    rows = {
        int(row): words(rest)
        for row, rest in re.findall(r'<tr><td class="num">(\d+)</td>(.*?)</tr>', section_html(raw))
    }
    assert sorted(rows) == [9, 10, 11, 12, 13, 14, 15]
    assert "“E”" in rows[9] and "at least two right options" in rows[10] and "简答题" in rows[11]
    assert "empty" in rows[12] and "row 3" in rows[13] and "待定" in rows[15]
    assert "Nothing was changed" in words(raw) and "bank.xlsx" in words(raw)
    assert bank_count(round_) == 0


def section_html(raw: str) -> str:
    return re.search(r'data-testid="import-errors">(.*?)</table>', raw, re.S).group(1)


def test_the_template_downloads_and_parses_back_into_three_questions(app, empty_round):
    competition, round_ = empty_round
    response = Browser(app, "org").get(base(competition, round_) + "/bank/template")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "%E9%A2%98%E5%BA%93%E6%A8%A1%E6%9D%BF.xlsx" in response.headers["Content-Disposition"]  # 题库模板
    parsed = parse_bank(response.data)
    assert parsed.ok and [q.type for q in parsed.questions] == ["single", "multiple", "true_false"]


def test_the_bank_is_emptied_after_a_confirmation_until_someone_sits_the_test(app, quiz):
    competition, round_ = quiz
    org, url = Browser(app, "org"), base(competition, round_) + "/bank/clear"
    confirm = org.get(url).get_data(as_text=True)
    assert "All 5 questions of 笔试 will be deleted." in section(confirm, 'data-testid="clear-confirm"')
    assert bank_count(round_) == 5  # asking deletes nothing
    response = org.post(url)
    assert response.status_code == 302 and bank_count(round_) == 0
    assert "5 questions deleted" in words(org.get(response.headers["Location"]).get_data(as_text=True))
    round_ = db.session.get(Round, round_.id)
    exam_bank.import_bank_json(round_=round_, items=bank_questions(2, 1, 2), by=user("org"))
    db.session.commit()
    sit(round_, "zju_staff", RIGHT)
    refused = org.post(url)
    assert refused.status_code == 302 and bank_count(round_) == 5
    page = words(org.get(refused.headers["Location"]).get_data(as_text=True))
    assert "Entrants have already sat this test: its questions can no longer be deleted." in page
    bank = org.get(base(competition, round_) + "/bank").get_data(as_text=True)
    assert 'data-testid="clear-link"' not in bank and 'data-testid="clear-refused"' in bank


# --- who may open the pages ---------------------------------------------------------------------------------

PAGES = ["/bank", "/bank/template", "/bank/clear", "/analysis", "/analysis.xlsx"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("who", ["zju_staff", "zju_judge", "zju_admin", "hzu_admin"])
def test_only_who_runs_the_competition_opens_the_round_pages(app, quiz, path, who):
    competition, round_ = quiz
    assert Browser(app, who).get(base(competition, round_) + path).status_code == 403
    assert Browser(app, who).post(base(competition, round_) + "/bank/clear").status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_a_round_of_another_competition_or_a_judged_round_is_404(app, quiz, path):
    competition, _round = quiz
    judged = make_competition(name="另一个比赛")
    other, _ = make_exam_contest([], name="第三个比赛")
    org = Browser(app, "org")
    assert org.get(base(competition, other.rounds[0]) + path).status_code == 404
    assert org.get(base(judged, judged.rounds[0]) + path).status_code == 404
    assert org.get(base(other, other.rounds[0]) + path).status_code in (200, 302)


def test_a_school_test_is_run_by_its_union_admin_and_unseen_by_another_university(app, world):
    competition, _ = make_exam_contest([], level="school", university="ZJU")
    round_ = competition.rounds[0]
    assert Browser(app, "zju_admin").get(base(competition, round_) + "/bank").status_code == 200
    assert Browser(app, "hzu_admin").get(base(competition, round_) + "/bank").status_code == 404
    assert Browser(app, "hzu_admin").get(base(competition) + "/progress").status_code == 404


# --- progress -----------------------------------------------------------------------------------------------


def test_progress_counts_who_started_and_handed_in_per_university(app, quiz):
    competition, round_ = quiz
    sit(round_, "zju_staff", RIGHT)
    sit(round_, "wang", {"单选题0": [1]}, submit=False)
    raw = Browser(app, "org").get(base(competition) + "/progress").get_data(as_text=True)
    assert section(raw, 'data-university="浙江大学"') == "浙江大学 3 2 1 1 33.3%"
    assert section(raw, 'data-university="杭州大学"') == "杭州大学 1 0 0 1 0.0%"
    assert "Total 4 2 1 2 25.0%" in words(raw)
    assert section(raw, "data-window=").startswith("Open now · 23 h")  # it closes in a day
    assert 'data-partial="/exams/' in raw and "exam_org.js" in raw
    fragment = Browser(app, "org").get(base(competition) + "/progress", partial=1).get_data(as_text=True)
    assert "<html" not in fragment and section(fragment, 'data-university="浙江大学"').endswith("33.3%")


def test_a_university_admin_sees_only_their_own_line_and_staff_are_refused(app, quiz):
    competition, round_ = quiz
    sit(round_, "zhao", RIGHT)
    raw = Browser(app, "hzu_admin").get(base(competition) + "/progress").get_data(as_text=True)
    assert section(raw, 'data-university="杭州大学"') == "杭州大学 1 1 1 0 100.0%"
    assert "浙江大学" not in raw and "/bank" not in raw
    assert Browser(app, "zju_staff").get(base(competition) + "/progress").status_code == 403
    assert Browser(app, "zju_judge").get(base(competition) + "/progress").status_code == 403


# --- item analysis ------------------------------------------------------------------------------------------


def test_the_analysis_waits_for_the_window_then_shows_rates_and_exports(app, quiz):
    competition, round_ = quiz
    sit(round_, "zju_staff", RIGHT)  # 9 points
    sit(round_, "wang", {**RIGHT, "单选题0": [1]})  # 7
    sit(round_, "chen", {**RIGHT, "单选题0": [1]})  # 7
    sit(round_, "zhao", {"判断题0": [0]})  # 1
    org, url = Browser(app, "org"), base(competition, round_) + "/analysis"
    waiting = org.get(url).get_data(as_text=True)
    assert "So far 4 of 4 approved entrants have handed in the test" in section(waiting, "analysis-wait")
    assert 'data-testid="analysis-table"' not in waiting
    db.session.get(Round, round_.id).exam_closes = utcnow() - timedelta(minutes=1)
    db.session.commit()
    raw = org.get(url).get_data(as_text=True)
    # 单选题0: right only by the best (25%; upper 27% right, lower wrong: 1.00); 判断题0: right by all (0.00).
    assert section(raw, 'data-item="1"').startswith("1 Single choice 单选题0")
    assert "3 / 4 25.0% 1.00 A 25% right answer B 50% C 0% D 0%" in section(raw, 'data-item="1"')
    assert "low correct rate" in section(raw, 'data-item="1"')
    assert "4 100.0% 0.00" in section(raw, 'data-item="4"')
    assert "low discrimination" in section(raw, 'data-item="4"')
    assert "3 / 4 75.0% 1.00" in section(raw, 'data-item="2"')  # the last did not answer it
    low_rate = org.get(url, filter="low_rate").get_data(as_text=True)
    assert re.findall(r'data-item="(\d+)"', low_rate) == ["1"]
    low_disc = org.get(url, filter="low_disc").get_data(as_text=True)
    assert re.findall(r'data-item="(\d+)"', low_disc) == ["4"]
    by_rate = org.get(url, sort="rate", dir="desc").get_data(as_text=True)
    assert re.findall(r'data-item="(\d+)"', by_rate) == ["4", "2", "3", "5", "1"]
    second = org.get(url, sort="rate", dir="desc", per_page=2, page=2).get_data(as_text=True)
    assert re.findall(r'data-item="(\d+)"', second) == ["3", "5"] and 'data-testid="pager"' in second
    export = org.get(url + ".xlsx")
    assert export.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(export.data)).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    line = dict(zip(header, rows[0], strict=True))
    assert (line["题号"], line["题目"], line["正确率(%)"], line["区分度"]) == (1, "单选题0", 25, 1)
    assert line["正确答案"] == "A"
    assert (line["B人数"], line["需检查"], len(rows)) == (2, "是", 5)
