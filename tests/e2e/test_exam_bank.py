"""The organizer's exam pages in a browser: a bank file with errors is refused with its rows listed, the good
one imported and counted; the live progress refreshes itself; the item analysis once the window has closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from competition.enums import Role
from competition.extensions import db
from competition.models import Round
from competition.models._base import utcnow
from tests.builders import PASSWORD, Factory, bank_questions, exam_round, make_competition, make_exam_contest
from tests.web.test_exam_org_pages import ALL_CATEGORIES, RIGHT, sit

from .conftest import ARTIFACTS, FIXTURES, screenshots

pytestmark = pytest.mark.e2e


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').click()
    expect(page).to_have_url(f"{base}/")


def shoot(page: Page, name: str) -> None:
    """The page at 1280 and 768 px (it must fit), then at the suite's widths."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 900), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshots(page, name)


def import_file(page: Page, name: str) -> None:
    page.set_input_files('[data-testid="bank-import"] input[type="file"]', str(FIXTURES / name))
    page.locator('[data-testid="bank-import"] button[type="submit"]').click()


def test_the_organizer_imports_a_bank_with_errors_then_the_good_one(
    page: Page, live_server, zju_admin, browser_log, app
):
    browser_log.attach(page)
    with app.app_context():
        competition = make_competition(
            level="school",
            university="ZJU",
            by="zju_admin",
            kind="drill",
            rounds=[exam_round(paper=[{"type": "single", "count": 20, "points": 2}])],
            eligible_categories=ALL_CATEGORIES,
        )
        url = f"{live_server}/exams/{competition.id}/rounds/{competition.rounds[0].id}/bank"
        db.session.remove()
    log_in(page, live_server, zju_admin.username)
    page.goto(url)
    expect(page.get_by_test_id("bank-empty")).to_be_visible()
    expect(page.get_by_test_id("bank-shortfall")).to_contain_text("20")

    import_file(page, "question-bank-with-errors.xlsx")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("tbody tr")).to_have_count(7)
    assert errors.locator("tbody tr td:first-child").all_inner_texts() == [str(n) for n in range(9, 16)]
    expect(errors.locator("tbody tr").nth(2)).to_contain_text("简答题")
    expect(page.get_by_test_id("bank-total")).to_have_text("0")
    shoot(page, "exam-bank-errors")

    import_file(page, "question-bank.xlsx")
    expect(page).to_have_url(url)
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    expect(page.locator(".alert-success").first).to_contain_text("40")
    expect(page.get_by_test_id("bank-total")).to_have_text("40")
    for type_, count in (("single", "20"), ("multiple", "10"), ("true_false", "10")):
        expect(page.locator(f'[data-type="{type_}"] [data-have]')).to_have_text(count)
    expect(page.get_by_test_id("bank-enough")).to_be_visible()
    expect(page.get_by_test_id("bank-questions").locator("[data-question]")).to_have_count(40)
    page.select_option('select[name="type"]', "multiple")  # the filter submits itself
    expect(page.get_by_test_id("bank-questions").locator("[data-question]")).to_have_count(10)
    page.goto(url)
    shoot(page, "exam-bank")
    browser_log.assert_clean()


def test_progress_refreshes_itself_and_the_analysis_follows_the_close(
    page: Page, live_server, browser_log, app
):
    browser_log.attach(page)
    with app.app_context():
        make = Factory()
        zju, hzu = make.university("ZJU", "浙江大学"), make.university("HZU", "杭州大学")
        make.user("org", Role.ORGANIZER)
        people = []
        for i, university in enumerate([zju] * 5 + [hzu] * 3):
            person = make.staff(university, f"S{i:03d}", f"员工{i}")
            make.user(f"s{i}", Role.STAFF, university, staff=person)
            people.append(person)
        competition, _ = make_exam_contest(
            people, questions=bank_questions(2, 1, 2), name="2026年安全知识竞赛"
        )
        round_ = competition.rounds[0]
        wrong = {**RIGHT, "单选题0": [1]}  # 单选题0 ends up right for one in six: flagged below 30%
        sittings = {"s0": RIGHT, "s1": wrong, "s2": {"判断题0": [0]}, "s5": wrong, "s6": {}}
        for who, answers in sittings.items():
            sit(round_, who, answers)
        progress = f"{live_server}/exams/{competition.id}/progress"
        analysis = f"{live_server}/exams/{competition.id}/rounds/{round_.id}/analysis"
        db.session.remove()
    log_in(page, live_server, "org")
    page.goto(progress)
    zju_line = page.locator('[data-university="浙江大学"]')
    expect(zju_line.locator("[data-submitted]")).to_have_text("3")
    with app.app_context():
        sit(db.session.get(Round, round_.id), "s3", {**RIGHT, "单选题0": [2]})
        db.session.remove()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # what a returning tab does
    expect(zju_line.locator("[data-submitted]")).to_have_text("4")
    expect(page.locator("[data-poll-status] span")).to_contain_text(":")  # "last update 14:05:10"
    shoot(page, "exam-progress")

    page.goto(analysis)
    expect(page.get_by_test_id("analysis-wait")).to_be_visible()
    with app.app_context():
        db.session.get(Round, round_.id).exam_closes = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()
    page.goto(analysis)
    table = page.get_by_test_id("analysis-table")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(page.locator('[data-item="1"]')).to_have_class("table-warning")
    expect(page.locator('[data-item="1"] [data-rate]')).to_have_text("16.7%")
    page.locator('[data-item="1"] summary').click()
    expect(page.locator('[data-item="1"] details')).to_have_attribute("open", "")
    shoot(page, "exam-analysis")
    browser_log.assert_clean()
