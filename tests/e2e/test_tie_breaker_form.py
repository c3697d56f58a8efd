"""The set-up form's tie-breaker selects in a browser: they offer the rounds' names as they are typed, a
chosen round follows its renaming and is cleared when its round is removed; the choice is kept in order."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from competition.extensions import db
from competition.models import Competition

from .conftest import screenshots

pytestmark = pytest.mark.e2e


def options(page: Page, n: int) -> list[str]:
    return page.locator(f"#f-scoring-tie_breakers-{n} option").evaluate_all("els => els.map(e => e.value)")


def test_tie_breakers_follow_the_rounds(page: Page, live_server, zju_admin, browser_log, app):
    browser_log.attach(page)
    page.goto(f"{live_server}/auth/login")
    page.fill('input[name="username"]', zju_admin.username)
    page.fill('input[name="password"]', zju_admin.password)
    page.locator('form button[type="submit"]').click()
    page.goto(f"{live_server}/competitions/new?blank=1")
    page.fill("#f-name", "2026年青年教师教学竞赛")
    page.check("#f-cat-teaching_research")
    page.fill("#f-groups-0-name", "文科组")
    page.fill("#f-rounds-0-name", "教学设计")
    page.fill("#f-rounds-0-weight", "20")
    page.fill("#f-rounds-0-criteria-0-name", "设计")
    page.fill("#f-rounds-0-criteria-0-max_score", "100")
    page.locator('[data-add-row="tpl-round"]').click()
    page.fill("#f-rounds-1-name", "课堂")
    page.fill("#f-rounds-1-weight", "80")
    page.fill("#f-rounds-1-criteria-0-name", "教学")
    page.fill("#f-rounds-1-criteria-0-max_score", "100")
    page.locator("#f-scoring summary").click()
    assert options(page, 0) == ["", "教学设计", "课堂"]

    page.select_option("#f-scoring-tie_breakers-0", "课堂")
    page.select_option("#f-scoring-tie_breakers-1", "教学设计")
    page.fill("#f-rounds-1-name", "课堂教学")  # the chosen round is renamed: it stays chosen
    expect(page.locator("#f-scoring-tie_breakers-0")).to_have_value("课堂教学")
    assert options(page, 2) == ["", "教学设计", "课堂教学"]
    page.locator("#f-scoring-tie_breakers-0").scroll_into_view_if_needed()
    screenshots(page, "tie-breakers-form")

    page.locator('[data-add-row="tpl-round"]').click()
    page.fill("#f-rounds-2-name", "反思")
    page.select_option("#f-scoring-tie_breakers-2", "反思")
    page.locator("#f-rounds-2 [data-remove-row]").first.click()  # its round goes: the choice is cleared
    expect(page.locator("#f-scoring-tie_breakers-2")).to_have_value("")
    assert options(page, 2) == ["", "教学设计", "课堂教学"]

    page.locator('form.competition-form button[type="submit"]').click()
    page.wait_for_url(f"{live_server}/competitions/*")
    with app.app_context():
        competition = db.session.scalar(db.select(Competition))
        assert competition.tie_breakers == ["课堂教学", "教学设计"]
        db.session.remove()
    browser_log.assert_clean()
