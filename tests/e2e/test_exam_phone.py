"""The written test on a 375 × 812 phone in Chromium: the start page, one question per screen, the network
lost for two answers (the red banner) and back (both 已保存 by themselves), the grid, 交卷 with its
confirmation, the receipt with the score of the right answers, and the server holding exactly what was
chosen; the deadline reached on the page; a failed save kept through a reload."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from competition.enums import Role
from competition.extensions import db
from competition.models import ExamAttempt, Round
from competition.models._base import utcnow
from competition.services import exams
from tests.builders import PASSWORD, Factory, exam_round, make_exam_contest

from .conftest import ARTIFACTS, Account
from .test_roster_journey import log_in

pytestmark = [
    pytest.mark.e2e,
    # The network is cut under the browser on purpose (see test_tablet.py): only that warning is let through.
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <_io\.(FileIO|BufferedReader):pytest.PytestUnraisableExceptionWarning",
        "ignore:unclosed file <_io.BufferedReader:ResourceWarning",
    ),
]
PHONE = {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True}
STAFF = Account("li", PASSWORD, "ZJU")
# 2 single × 2, 1 multiple × 3, 2 true/false × 1 (tests.builders.EXAM_PAPER): max 9. bank_questions()'s right
# options are 对的 (single), 甲 and 丙 (multiple), 正确 (true/false).
RIGHT = {"single": {"对的"}, "multiple": {"甲", "丙"}, "true_false": {"正确"}}
POINTS = {"single": 2, "multiple": 3, "true_false": 1}


@pytest.fixture
def sitting(app) -> dict:
    """李老师 (account li), approved in a drill whose 笔试 is open since yesterday (30 minutes)."""
    with app.app_context():
        make = Factory()
        zju = make.university("ZJU", "浙江大学")
        make.user("org", Role.ORGANIZER)
        teacher = make.staff(zju, "00123", "李老师")
        make.user(STAFF.username, Role.STAFF, zju, staff=teacher)
        competition, _ = make_exam_contest([teacher], rounds=[exam_round("笔试", minutes=30)])
        arranged = {"round": competition.rounds[0].id}
        db.session.remove()
    return arranged


def shoot(page: Page, name: str) -> None:
    """The screen as the person sees it (not the full page) on a phone and a portrait tablet; the page never
    gets wider than the screen and the countdown is on it."""
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    for width, height in ((375, 812), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"exam-phone-{name}-{width}.png"))
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{name} is {wide} px wide at {width}"
    page.set_viewport_size(original)


def answer(page: Page, n: int, wrong: bool = False) -> list[str]:
    """Choose the right option(s) of question n (shown now), or a wrong one; the keys chosen."""
    card = page.get_by_test_id(f"question-{n}")
    expect(card).to_be_visible()
    kind = card.get_attribute("data-type")
    keys = []
    for label in card.locator("label.ex-opt").all():
        text = label.locator(".ex-opt-text").inner_text()
        if (text in RIGHT[kind]) != wrong:
            label.click()
            keys.append(label.locator("input").get_attribute("value"))
            if wrong:
                break
    return sorted(keys)


def test_a_phone_sits_the_test_through_a_network_cut(new_context, live_server, sitting, app, browser_log):
    context = new_context(**PHONE)
    page = context.new_page()
    browser_log.attach(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    log_in(page, live_server, STAFF)
    round_id = sitting["round"]

    # home leads to the test; the start page states the rules and the window
    page.get_by_test_id("home-exams").scroll_into_view_if_needed()
    shoot(page, "home")
    page.get_by_test_id("exam-start").click()
    expect(page).to_have_url(f"{live_server}/exams/{round_id}/")
    expect(page.get_by_test_id("rules").locator("li")).to_have_count(11)
    shoot(page, "start")
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("question-1")).to_be_visible()
    expect(page.get_by_test_id("question-2")).to_be_hidden()  # one question per screen
    attempt_id = int(page.url.split("/attempts/")[1].split("#")[0])
    clock = page.get_by_test_id("clock")
    expect(clock).to_contain_text(":")
    seconds = [int(x) for x in clock.locator("[data-remaining]").inner_text().split(":")]
    assert 28 * 60 < seconds[0] * 60 + seconds[1] <= 30 * 60

    chosen, score = {}, 0
    types = {}
    for n in range(1, 6):
        types[n] = page.get_by_test_id(f"question-{n}").get_attribute("data-type")
        if n == 4:  # the network goes for questions 4 and 5
            context.set_offline(True)
        wrong = n == 5 and types[n] != "multiple"
        chosen[n] = answer(page, n, wrong=wrong)
        score += 0 if wrong else POINTS[types[n]]
        state = page.get_by_test_id(f"state-{n}")
        if n < 4:
            expect(state).to_have_attribute("data-status", "saved")
            if n == 1:
                shoot(page, "question")
        else:
            expect(state).to_have_attribute("data-status", "local")
            expect(page.get_by_test_id("banner")).to_be_visible()
        if n < 5:
            page.get_by_test_id("next").click()
    page.get_by_test_id("mark-5").click()
    expect(page.get_by_test_id("mark-5")).to_have_attribute("aria-pressed", "true")
    shoot(page, "offline")
    assert "beforeunload" not in dialogs

    # back online: the two answers kept on the phone are sent by themselves
    context.set_offline(False)
    expect(page.get_by_test_id("state-5")).to_have_attribute("data-status", "saved", timeout=15000)
    expect(page.get_by_test_id("state-4")).to_have_attribute("data-status", "saved")
    expect(page.get_by_test_id("banner")).to_be_hidden()

    # the grid: every number answered, the fifth marked for review; it jumps back
    page.get_by_test_id("grid-toggle").click()
    expect(page.get_by_test_id("grid")).to_be_visible()
    for n in range(1, 6):
        expect(page.get_by_test_id(f"cell-{n}")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("cell-5")).to_have_class("ex-cell is-done is-marked is-current")
    shoot(page, "grid")
    page.get_by_test_id("cell-2").click()
    expect(page.get_by_test_id("question-2")).to_be_visible()
    expect(page.get_by_test_id("grid")).to_be_hidden()

    # the server holds exactly what was chosen
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        paper = [q["id"] for q in exams.phone_paper(attempt)]
        saved = exams.saved_keys(attempt)
        db.session.remove()
    assert saved == {str(paper[n - 1]): chosen[n] for n in range(1, 6)}

    # 交卷: the confirmation counts what is unanswered; back first, then hand in
    page.get_by_test_id("submit").click()
    dialog = page.get_by_test_id("confirm")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("confirm-unanswered")).to_have_class("ex-confirm-count")  # none unanswered
    shoot(page, "confirm")
    dialog.get_by_test_id("confirm-back").click()
    expect(dialog).to_have_count(0)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm").get_by_test_id("confirm-ok").click()
    expect(page).to_have_url(f"{live_server}/exams/attempts/{attempt_id}/receipt")
    expect(page.get_by_test_id("score")).to_have_text(f"{score:.2f}")
    expect(page.get_by_test_id("max-score")).to_have_text("9")
    shoot(page, "result")
    with app.app_context():
        held = db.session.scalar(select(ExamAttempt).where(ExamAttempt.id == attempt_id))
        assert held.status == "submitted" and held.closed_by == "submit" and float(held.score) == score
        db.session.remove()
    browser_log.assert_clean()


def test_at_the_deadline_the_page_shows_the_mark(new_context, live_server, sitting, app, browser_log):
    """The window closes seconds after the start: the device's countdown reaches 0, the server marks what it
    holds, and the page says so with the score; nothing is submitted by the page itself."""
    with app.app_context():
        round_ = db.session.get(Round, sitting["round"])
        round_.exam_closes = utcnow() + timedelta(seconds=12)
        db.session.commit()
        db.session.remove()
    context = new_context(**PHONE)
    page = context.new_page()
    browser_log.attach(page)
    log_in(page, live_server, STAFF)
    page.goto(f"{live_server}/exams/{sitting['round']}/")
    page.get_by_test_id("start").click()
    kept = answer(page, 1)
    expect(page.get_by_test_id("state-1")).to_have_attribute("data-status", "saved")
    seconds = page.get_by_test_id("clock").locator("[data-remaining]").inner_text()
    assert seconds.startswith("00:") and int(seconds[3:]) <= 12
    end = page.get_by_test_id("end")
    expect(end).to_be_visible(timeout=20000)
    expect(page.get_by_test_id("paper")).to_be_hidden()
    expect(page.get_by_test_id("end-score")).to_contain_text("2.00")  # question 1 (2 points) was right
    shoot(page, "time-up")
    attempt_id = int(page.url.split("/attempts/")[1].split("#")[0])
    with app.app_context():
        held = db.session.get(ExamAttempt, attempt_id)
        assert held.closed_by == "deadline" and float(held.score) == 2
        assert list(exams.saved_keys(held).values()) == [kept]
        db.session.remove()
    browser_log.assert_clean()


def test_an_answer_the_server_never_confirmed_survives_a_reload(new_context, live_server, sitting, app):
    """Saves that fail are kept on the phone: leaving asks first, a reload shows the choice still waiting, and
    it is sent as soon as the server answers again."""
    context = new_context(**PHONE)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    log_in(page, live_server, STAFF)
    page.route("**/answers", lambda route: route.abort())  # before the paper opens: no save gets through
    page.goto(f"{live_server}/exams/{sitting['round']}/")
    page.get_by_test_id("start").click()
    expect(page).to_have_url(re.compile(r"/exams/attempts/\d+"))
    kept = answer(page, 1)
    expect(page.get_by_test_id("state-1")).to_have_attribute("data-status", "local")
    expect(page.get_by_test_id("banner")).to_be_visible()
    page.reload()
    assert "beforeunload" in dialogs, "leaving with unsent answers asks first"
    card = page.get_by_test_id("question-1")
    checked = sorted(i.get_attribute("value") for i in card.locator("input:checked").all())
    assert checked == kept
    expect(page.get_by_test_id("state-1")).to_have_attribute("data-status", "local")
    page.unroute("**/answers")
    expect(page.get_by_test_id("state-1")).to_have_attribute("data-status", "saved", timeout=20000)
    attempt_id = int(page.url.split("/attempts/")[1].split("#")[0])
    with app.app_context():
        held = db.session.get(ExamAttempt, attempt_id)
        assert list(exams.saved_keys(held).values()) == [kept]
        db.session.remove()


def test_without_javascript_the_whole_paper_is_a_form(new_context, live_server, sitting, app):
    context = new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, STAFF)
    page.goto(f"{live_server}/exams/{sitting['round']}/")
    page.get_by_test_id("start").click()
    for n in range(1, 6):
        expect(page.get_by_test_id(f"question-{n}")).to_be_visible()
    expect(page.get_by_test_id("grid-toggle")).to_be_hidden()
    kept = answer(page, 1)
    page.get_by_test_id("hand-in-all").click()
    expect(page).to_have_url(re.compile(r"/exams/attempts/\d+/receipt$"))
    expect(page.get_by_test_id("score")).to_have_text("2.00")
    attempt_id = int(page.url.split("/attempts/")[1].split("/")[0])
    with app.app_context():
        held = db.session.get(ExamAttempt, attempt_id)
        assert held.closed_by == "submit" and list(exams.saved_keys(held).values()) == [kept]
        db.session.remove()
