"""The set-up form's written-test round in a browser: the kind shows its own part, the paper's maximum follows
the questions and points as they are typed, an added round is renumbered, and the exam round is saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from competition.extensions import db
from competition.models import Competition

from .conftest import ARTIFACTS, screenshots

pytestmark = pytest.mark.e2e


def test_an_exam_round_is_set_up_in_the_browser(page: Page, live_server, zju_admin, browser_log, app):
    browser_log.attach(page)
    page.goto(f"{live_server}/auth/login")
    page.fill('input[name="username"]', zju_admin.username)
    page.fill('input[name="password"]', zju_admin.password)
    page.locator('form button[type="submit"]').click()
    page.goto(f"{live_server}/competitions/new?blank=1")
    page.fill("#f-name", "2026年后勤岗位练兵")
    page.check("#f-cat-admin_logistics")
    page.check("#f-auto_approve")
    page.fill("#f-groups-0-name", "后勤组")
    # A judged round shows its rubric only.
    expect(page.locator("#f-rounds-0 [data-judged-part]")).to_be_visible()
    expect(page.locator("#f-rounds-0-exam")).to_be_hidden()

    page.fill("#f-rounds-0-name", "笔试")
    page.fill("#f-rounds-0-weight", "40")
    page.select_option("#f-rounds-0-kind", "exam")
    expect(page.locator("#f-rounds-0 [data-judged-part]")).to_be_hidden()
    expect(page.locator("#f-rounds-0-exam")).to_be_visible()
    expect(page.locator("#f-rounds-0-exam [data-paper-max]")).to_have_text("100")
    page.fill("#f-rounds-0-exam-paper-1-points", "3")  # 20 × 2 + 10 × 3 + 10 × 2
    expect(page.locator("#f-rounds-0-exam [data-paper-max]")).to_have_text("90")
    page.fill("#f-rounds-0-exam-paper-2-points", "1")
    expect(page.locator("#f-rounds-0-exam [data-paper-max]")).to_have_text("80")
    page.fill("#f-rounds-0-exam-multiple_partial", "50")

    page.locator('[data-add-row="tpl-round"]').click()
    page.fill("#f-rounds-1-name", "实操")
    page.fill("#f-rounds-1-weight", "60")
    page.fill("#f-rounds-1-criteria-0-name", "操作规范")
    page.fill("#f-rounds-1-criteria-0-max_score", "100")
    expect(page.locator("#f-rounds-1-exam")).to_be_hidden()
    expect(page.locator("#f-rounds-1-exam-paper-0-count")).to_have_attribute(
        "name", "rounds-1-exam-paper-0-count"
    )

    round_box = page.locator("#f-rounds-0")
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 900), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        round_box.screenshot(path=str(ARTIFACTS / f"exam-round-form-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshots(page, "exam-round-form")

    page.locator('form.competition-form button[type="submit"]').click()
    page.wait_for_url(f"{live_server}/competitions/*")
    expect(page.locator('[data-testid="exam-words"]')).to_contain_text("= 80")
    with app.app_context():
        competition = db.session.scalar(db.select(Competition))
        exam, judged = competition.rounds
        assert (competition.auto_approve, exam.kind, judged.kind) == (True, "exam", "judged")
        assert [(p["count"], float(p["points"])) for p in exam.exam_paper] == [(20, 2), (10, 3), (10, 1)]
        assert str(exam.exam_multiple_partial.normalize()) == "0.5" and exam.criteria == []
        db.session.remove()
    browser_log.assert_clean()
