"""Coverage pages at a province's scale in a browser: 60 universities on one projector screen, screens that
advance and survive the minute's refresh, the province table that fits or scrolls in its box, the search box
above the chart, and charts whose screen-reader words are the data (no "NaN")."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import insert, select

from competition.enums import Role
from competition.extensions import db
from competition.models import Department, OfflineParticipation, Staff, University
from tests.builders import PASSWORD, Factory

from .conftest import ARTIFACTS, Account

pytestmark = pytest.mark.e2e

YEAR = date.today().year - 1
UNIVERSITIES = 60
NAMES = ["理工大学", "师范学院", "职业技术学院", "医科大学", "财经大学", "艺术学院"]


@pytest.fixture
def province(app) -> Account:
    """60 universities of 10 staff each, covered from 0 to 10 of them; an organizer."""
    with app.app_context():
        make = Factory()
        for n in range(UNIVERSITIES):
            university = make.university(f"U{n:02d}", f"第{n + 1}{NAMES[n % len(NAMES)]}")
            department = Department(university=university, name="教务处")
            db.session.add(department)
            db.session.flush()
            db.session.execute(
                insert(Staff),
                [
                    {
                        "university_id": university.id,
                        "department_id": department.id,
                        "staff_no": f"{n:02d}{i:03d}",
                        "name": f"教工{i}",
                        "category": "teaching_research",
                        "active": True,
                    }
                    for i in range(10)
                ],
            )
            staff = db.session.scalars(select(Staff.id).where(Staff.university_id == university.id)).all()
            for staff_id in staff[: n % 11]:
                db.session.add(
                    OfflineParticipation(
                        university_id=university.id,
                        staff_id=staff_id,
                        event="读书会",
                        date=date(YEAR, 5, 1),
                        year=YEAR,
                    )
                )
        db.session.commit()
        make.user("org", Role.ORGANIZER)
        db.session.remove()
    return Account("org", PASSWORD, "")


def log_in(page: Page, base: str, account: Account) -> None:
    page.goto(f"{base}/auth/login")
    page.fill('input[name="username"]', account.username)
    page.fill('input[name="password"]', account.password)
    page.locator('form button[type="submit"]').click()
    expect(page).to_have_url(f"{base}/")


def visible_tiles(page: Page) -> int:
    return page.evaluate(
        """() => [...document.querySelectorAll('.tile')].filter(t => {
              const r = t.getBoundingClientRect();
              return t.offsetParent !== null && r.top >= 0 && r.bottom <= window.innerHeight;
           }).length"""
    )


def test_sixty_universities_on_one_projector_screen(new_context, live_server, province, browser_log):
    page = new_context(viewport={"width": 1920, "height": 1080}).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province)
    page.goto(f"{live_server}/coverage/?year={YEAR}&mode=screen")
    expect(page.get_by_test_id("screen-pager")).to_be_visible()
    count = page.locator("[data-screen-count]")
    expect(count).to_have_text(re.compile(r"^(Screen|第) 1 "))
    # Every tile within the screen, above the pager, and nothing to scroll.
    assert visible_tiles(page) == UNIVERSITIES
    pager_top = page.get_by_test_id("screen-pager").bounding_box()["y"]
    last = page.locator(".tile").last.bounding_box()
    assert last["y"] + last["height"] <= pager_top
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('.tile-name, .tile-rate')]"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 24
    # Best first: the first tile is a university at 100%, the last one at 0%.
    expect(page.locator(".tile-rate").first).to_contain_text("100.0%")
    expect(page.locator(".tile-rate").last).to_contain_text("0.0%")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coverage-screen-60.png"))
    # The table's screens: rows cut to what fits, every university once over them.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    seen = 0
    total = int(re.search(r"(\d+)\D*$", count.inner_text()).group(1))
    for _ in range(total - 2):
        rows = page.locator("#universities-table tbody tr:visible")
        seen += rows.count()
        box = rows.last.bounding_box()
        assert box["y"] + box["height"] <= pager_top, "a table row under the pager"
        page.keyboard.press("ArrowRight")
    assert seen == UNIVERSITIES
    expect(count).to_have_text(re.compile(r"^(Screen|第) 1 "))  # round again
    browser_log.assert_clean()


def test_the_refresh_keeps_the_screen_shown(new_context, live_server, province, browser_log, app):
    page = new_context(viewport={"width": 1920, "height": 1080}).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province)
    page.clock.install()
    page.goto(f"{live_server}/coverage/?year={YEAR}&mode=screen")
    count = page.locator("[data-screen-count]")
    expect(count).to_have_text(re.compile(r"^(Screen|第) 1 "))
    page.clock.run_for(16_000)  # the screens advance by themselves
    expect(count).to_have_text(re.compile(r"^(Screen|第) 2 "))
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")  # paused on the table's first screen
    expect(page.locator("[data-screen-pause]")).to_have_attribute("aria-pressed", "true")
    shown = count.inner_text()
    first_row = page.locator("#universities-table tbody tr:visible").first
    expect(first_row).to_contain_text("100.0%")
    # New figures arrive: the university at 0% reaches 100%; the minute's refresh shows them in place.
    with app.app_context():
        u00 = db.session.scalar(select(University).where(University.code == "U00"))
        for staff_id in db.session.scalars(select(Staff.id).where(Staff.university_id == u00.id)):
            db.session.add(
                OfflineParticipation(
                    university_id=u00.id, staff_id=staff_id, event="运动会", date=date(YEAR, 6, 1), year=YEAR
                )
            )
        db.session.commit()
        db.session.remove()
    page.clock.run_for(61_000)
    # U00 was at 0%: its row now says 100%, on the same screen, still paused, not scrolled.
    expect(page.locator("[data-testid='row-U00'] [data-field='rate']").first).to_have_text("100.0%")
    expect(count).to_have_text(shown)
    expect(page.locator("[data-screen-pause]")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.scrollY") == 0
    browser_log.assert_clean()


@pytest.mark.parametrize("width", [1440, 1024, 375])
def test_the_province_table_fits_or_scrolls_in_its_box(
    new_context, live_server, province, browser_log, width
):
    page = new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province)
    page.goto(f"{live_server}/coverage/?year={YEAR}")
    table = page.locator("#universities-table")
    toggle = page.get_by_test_id("columns-toggle")
    expect(toggle).to_be_visible()
    fits = (
        "() => { const b = document.getElementById('universities-table-box');"
        " return b.scrollWidth <= b.clientWidth; }"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 1440:
        # Every column, without scrolling.
        expect(toggle).to_have_attribute("aria-pressed", "true")
        assert page.evaluate(fits)
    else:
        # Rates only per post category at first; the button brings the headcounts back, the box scrolls.
        expect(toggle).to_have_attribute("aria-pressed", "false")
        expect(table.locator("thead .detail-col").first).to_be_hidden()
        if width == 1024:
            assert page.evaluate(fits)
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        expect(table.locator("thead .detail-col").first).to_be_visible()
    # The name column stays in view while the box scrolls sideways.
    page.evaluate("document.getElementById('universities-table-box').scrollLeft = 400")
    name = table.locator("tbody tr").first.locator("td").first
    box = page.locator("#universities-table-box").bounding_box()
    assert abs(name.bounding_box()["x"] - box["x"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    browser_log.assert_clean()


def test_the_search_box_above_the_chart_finds_a_university(new_context, live_server, province, browser_log):
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province)
    page.goto(f"{live_server}/coverage/?year={YEAR}")
    search = page.locator("#find-university")
    assert search.bounding_box()["y"] < page.get_by_test_id("chart-universities").bounding_box()["y"]
    search.fill("第12")
    rows = page.locator("#universities-table tbody tr:visible")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("第12艺术学院")
    search.press("Enter")
    expect(page.locator("#universities")).to_be_in_viewport()
    assert page.url.endswith(f"/coverage/?year={YEAR}")  # filtered in the page, no request
    search.fill("")
    search.dispatch_event("input")
    expect(rows).to_have_count(UNIVERSITIES)
    # The jump link goes to the table too.
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_test_id("jump-to-table").click()
    expect(page.locator("#universities")).to_be_in_viewport()
    browser_log.assert_clean()


def test_the_charts_say_their_data_to_screen_readers(new_context, live_server, province, browser_log):
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province)
    page.goto(f"{live_server}/coverage/?year={YEAR}")
    bars = page.get_by_test_id("chart-universities")
    expect(bars.locator("canvas").first).to_be_visible()
    words = bars.get_attribute("aria-label")
    assert "NaN" not in words and words.count("%") == UNIVERSITIES + 1  # each university, and the target
    assert "第1理工大学 0.0%" in words and "第11财经大学 100.0%" in words
    trend = page.get_by_test_id("chart-trend").get_attribute("aria-label")
    assert "NaN" not in trend and "5月 285" in trend
    # The value labels stand in a column of their own right of the plot: never under the target line.
    layout = page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid="chart-universities"]');
            const option = echarts.getInstanceByDom(el).getOption();
            return {labels: option.series.map(s => Boolean(s.label && s.label.show)),
                    right: option.yAxis[1].position, count: option.yAxis[1].data.length};
        }"""
    )
    assert layout == {"labels": [False, False, False], "right": "right", "count": UNIVERSITIES}
    browser_log.assert_clean()
