"""The staff member's written-test pages: the start page with the rules, starting and resuming, the sitting
page (never an answer in it, nobody else's), the form that saves and hands in without JavaScript, the
receipt, and the links from the entry page and home."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from competition.enums import Role
from competition.extensions import db
from competition.models import Entry, ExamAttempt, Round
from competition.models._base import utcnow
from competition.services import exams
from tests.builders import bank_questions, exam_round, login_as, make_exam_contest, staff

# bank_questions(): the right options are 对的 (single), 甲 and 丙 (multiple), 正确 (true/false).
RIGHT = {"single": {"对的"}, "multiple": {"甲", "丙"}, "true_false": {"正确"}}


@pytest.fixture
def open_round(app, world, make):
    """An exam (2 single × 2, 1 multiple × 3, 2 true/false × 1: max 9, 30 minutes) open since yesterday,
    with 李老师 (zju_staff) and 王会计 (zju_staff2) approved; ``open_round(**settings)`` builds it."""
    make.user("zju_staff2", Role.STAFF, world["zju"], staff=staff("00124"))

    def build(questions=None, **settings):
        competition, _ = make_exam_contest(
            [staff("00123"), staff("00124")], rounds=[exam_round(**settings)], questions=questions
        )
        return competition.rounds[0].id

    return build


def start(client, round_id: int) -> int:
    """POST 开始答题 as the logged-in client; the attempt id the redirect leads to."""
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    response = client.post(f"/exams/{round_id}/start", data={"csrf_token": token})
    assert response.status_code == 302
    match = re.search(r"/exams/attempts/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def right_form(attempt_id: int) -> dict[str, list[str]]:
    """The no-JavaScript form's fields answering every question right: q<id> → displayed keys."""
    attempt = db.session.get(ExamAttempt, attempt_id)
    return {
        f"q{q['id']}": [o["key"] for o in q["options"] if o["text"] in RIGHT[q["type"]]]
        for q in exams.phone_paper(attempt)
    }


def page_config(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="exam-config">(.*?)</script>', html, re.S)
    return json.loads(found[1])


def test_the_start_page_states_the_rules_and_the_window(client, open_round):
    round_id = open_round(minutes=30, multiple_partial=0.5, attempts=2)
    login_as(client, "zju_staff")
    html = client.get(f"/exams/{round_id}/").get_data(as_text=True)
    assert 'data-state="open"' in html
    rules = re.search(r'data-testid="rules">(.*?)</ul>', html, re.S)[1]
    items = re.findall(r"<li[^>]*>.*?</li>", rules, re.S)
    assert len(items) >= 9  # total, three types, time, server clock, marking, multiple choice, attempts, ...
    text = " ".join(re.sub(r"<[^>]+>", " ", item) for item in items)
    assert "5" in text and "9" in text and "30" in text  # 5 questions, 9 points in all, 30 minutes
    assert "bi-ui-checks" in rules  # how multiple choice is marked
    assert 'data-testid="start"' in html and 'data-testid="resume"' not in html


def test_someone_without_an_approved_entry_gets_403(client, open_round, make, world):
    round_id = open_round()
    make.user("hzu_staff", Role.STAFF, world["hzu"], staff=staff("H001"))
    login_as(client, "hzu_staff")
    assert client.get(f"/exams/{round_id}/").status_code == 403
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    assert client.post(f"/exams/{round_id}/start", data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ExamAttempt)) == 0


def test_a_round_that_is_no_test_is_404(client, open_round):
    round_id = open_round()
    login_as(client, "zju_staff")
    assert client.get(f"/exams/{round_id + 999}/").status_code == 404


def test_starting_twice_resumes_the_same_attempt(client, open_round):
    round_id = open_round()
    login_as(client, "zju_staff")
    first = start(client, round_id)
    second = start(client, round_id)
    assert first == second
    assert db.session.scalar(select(func.count()).select_from(ExamAttempt)) == 1
    html = client.get(f"/exams/{round_id}/").get_data(as_text=True)
    assert 'data-testid="resume"' in html and 'data-testid="start"' not in html


def test_another_persons_attempt_is_404(client, app, open_round):
    round_id = open_round()
    other = app.test_client()
    login_as(other, "zju_staff2")
    theirs = start(other, round_id)
    login_as(client, "zju_staff")
    assert client.get(f"/exams/attempts/{theirs}").status_code == 404
    assert client.get(f"/exams/attempts/{theirs}/receipt").status_code == 404
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    assert client.post(f"/exams/attempts/{theirs}", data={"csrf_token": token}).status_code == 404


def test_the_sitting_page_never_reveals_the_answer(client, open_round):
    questions = bank_questions(singles=2, multiples=1, true_false=2)
    questions[0]["options"] = ["唯一正确的选项", "第二个", "第三个", "第四个"]
    round_id = open_round(questions=questions)
    login_as(client, "zju_staff")
    attempt_id = start(client, round_id)
    html = client.get(f"/exams/attempts/{attempt_id}").get_data(as_text=True)
    assert "唯一正确的选项" in html or "单选题1" in html  # the paper draws 2 of the 2 singles
    for secret in ("data-correct", "data-answer", "data-right", "is-right", "answer_key"):
        assert secret not in html
    for fieldset in re.findall(r"<fieldset.*?</fieldset>", html, re.S):
        labels = re.findall(r'<label class="ex-opt">\s*<input ([^>]*)>', fieldset)
        shapes = {re.sub(r'value="[A-F]"', "", tag).strip() for tag in labels}
        assert len(shapes) == 1, shapes  # every option is drawn alike: none is marked
    config = page_config(html)
    assert config["saved"] == {} and config["seconds_left"] > 29 * 60
    assert set(config) == {"attempt", "user", "csrf", "seconds_left", "decimals", "saved", "urls", "words"}


def test_the_form_saves_then_hands_in_without_javascript(client, open_round):
    round_id = open_round()
    login_as(client, "zju_staff")
    attempt_id = start(client, round_id)
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    fields = right_form(attempt_id)
    first = next(iter(fields))
    saved = client.post(
        f"/exams/attempts/{attempt_id}", data={first: fields[first], "action": "save", "csrf_token": token}
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/exams/attempts/{attempt_id}")
    attempt = db.session.get(ExamAttempt, attempt_id)
    assert list(attempt.answers) == [first[1:]] and attempt.status == "in_progress"
    page = client.get(f"/exams/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count(" checked") == len(fields[first])  # the saved choice shows again

    handed = client.post(
        f"/exams/attempts/{attempt_id}", data={**fields, "action": "submit", "csrf_token": token}
    )
    assert handed.headers["Location"].endswith(f"/exams/attempts/{attempt_id}/receipt")
    db.session.expire_all()
    attempt = db.session.get(ExamAttempt, attempt_id)
    assert attempt.status == "submitted" and attempt.closed_by == "submit" and float(attempt.score) == 9
    receipt = client.get(handed.headers["Location"]).get_data(as_text=True)
    assert re.search(r'data-testid="score">9\.00<', receipt)
    assert re.search(r'data-testid="max-score">9<', receipt)
    # the sitting page of a handed-in attempt is its receipt
    again = client.get(f"/exams/attempts/{attempt_id}")
    assert again.status_code == 302 and again.headers["Location"].endswith("/receipt")


def test_after_the_deadline_the_form_hands_in_what_was_saved(client, open_round, monkeypatch):
    round_id = open_round(minutes=10)
    login_as(client, "zju_staff")
    attempt_id = start(client, round_id)
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    fields = right_form(attempt_id)
    later = utcnow() + timedelta(minutes=11)
    monkeypatch.setattr("competition.services.exams.utcnow", lambda: later)
    form = {**fields, "action": "submit", "csrf_token": token}
    response = client.post(f"/exams/attempts/{attempt_id}", data=form)
    assert response.headers["Location"].endswith("/receipt")
    attempt = db.session.get(ExamAttempt, attempt_id)
    assert attempt.closed_by == "deadline" and attempt.answers == {} and float(attempt.score) == 0
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="time-up"' in receipt


def test_a_test_not_yet_open_cannot_be_started(client, open_round):
    round_id = open_round(opens=1, closes=2)
    login_as(client, "zju_staff")
    html = client.get(f"/exams/{round_id}/").get_data(as_text=True)
    assert 'data-state="not_yet"' in html and 'data-testid="not-yet"' in html
    assert 'data-testid="start"' not in html
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    refused = client.post(f"/exams/{round_id}/start", data={"csrf_token": token})
    assert refused.status_code == 302 and refused.headers["Location"].endswith(f"/exams/{round_id}/")
    assert db.session.scalar(select(func.count()).select_from(ExamAttempt)) == 0


def test_the_entry_page_and_home_lead_to_the_test(client, open_round):
    round_id = open_round()
    login_as(client, "zju_staff")
    entry_id = db.session.scalar(select(Entry.id).where(Entry.staff_id == staff("00123").id))
    link = f'href="/exams/{round_id}/" data-testid="exam-start"'
    assert link in client.get("/").get_data(as_text=True)
    assert link in client.get(f"/my/entries/{entry_id}").get_data(as_text=True)
    attempt_id = start(client, round_id)
    resume = f'href="/exams/attempts/{attempt_id}" data-testid="exam-resume"'
    assert resume in client.get("/").get_data(as_text=True)
    assert resume in client.get(f"/my/entries/{entry_id}").get_data(as_text=True)


def test_the_receipt_shows_the_answers_only_after_the_window_closes(client, open_round, monkeypatch):
    round_id = open_round(show_answers=True)
    login_as(client, "zju_staff")
    attempt_id = start(client, round_id)
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    form = {**right_form(attempt_id), "action": "submit", "csrf_token": token}
    receipt = client.post(f"/exams/attempts/{attempt_id}", data=form).headers["Location"]
    before = client.get(receipt).get_data(as_text=True)
    assert 'data-testid="review"' not in before and "is-right" not in before
    later = db.session.get(Round, round_id).exam_closes + timedelta(minutes=1)
    monkeypatch.setattr("competition.services.exams.utcnow", lambda: later)
    after = client.get(receipt).get_data(as_text=True)
    assert 'data-testid="review"' in after
    # 2 singles, 1 multiple with 2 right options, 2 true/false: 6 right options, each chosen
    assert after.count('class="is-right is-mine"') == 6
