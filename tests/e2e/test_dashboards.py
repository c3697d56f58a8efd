"""The coverage dashboards in a browser: charts on a desktop, a phone and a projector; bars drill down."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from competition.enums import Role
from competition.extensions import db
from competition.models import OfflineParticipation
from tests.builders import PASSWORD, Factory

from .conftest import ARTIFACTS, Account, screenshots

pytestmark = pytest.mark.e2e

YEAR = date.today().year - 1
# (code, name, staff, covered): one university meets a 90% target, one is on the way, one is far from it.
UNIVERSITIES = [("ZJU", "浙江大学", 20, 19), ("HZU", "杭州大学", 10, 7), ("NBU", "宁波大学", 12, 3)]
DEPARTMENTS = ["计算机学院", "文学院", "财务处"]
CATEGORIES = ["teaching_research", "teaching_research", "admin_logistics", "other"]


@pytest.fixture
def province(app) -> dict[str, Account]:
    """Three universities with varied coverage in YEAR; an organizer and ZJU's admin."""
    with app.app_context():
        make = Factory()
        made = {}
        for code, name, headcount, covered in UNIVERSITIES:
            university = made[code] = make.university(code, name)
            for n in range(headcount):
                member = make.staff(
                    university,
                    f"{code}{n:03d}",
                    f"教工{n}",
                    department=DEPARTMENTS[n % 3],
                    category=CATEGORIES[n % 4],
                )
                if n < covered:
                    db.session.add(
                        OfflineParticipation(
                            university_id=university.id,
                            staff_id=member.id,
                            event="教职工岗位练兵",
                            date=date(YEAR, 1 + n % 12, 10),
                            year=YEAR,
                        )
                    )
            db.session.commit()
        make.user("org", Role.ORGANIZER)
        make.user("zju_admin", Role.UNIVERSITY_ADMIN, made["ZJU"])
        db.session.remove()
    return {"org": Account("org", PASSWORD, ""), "zju_admin": Account("zju_admin", PASSWORD, "ZJU")}


def log_in(page: Page, base: str, account: Account) -> None:
    page.goto(f"{base}/auth/login")
    page.fill('input[name="username"]', account.username)
    page.fill('input[name="password"]', account.password)
    page.locator('form button[type="submit"]').click()
    expect(page).to_have_url(f"{base}/")


def assert_chart_drawn(page: Page, testid: str) -> None:
    """The ECharts container holds a canvas of nonzero size."""
    canvas = page.get_by_test_id(testid).locator("canvas").first
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, (testid, box)


def assert_clean(log) -> None:
    log.assert_clean()
    assert log.console_errors == [], log.console_errors


@pytest.mark.parametrize("width", [1440, 375])
def test_the_provincial_dashboard(new_context, live_server, province, browser_log, width):
    page = new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province["org"])
    page.goto(f"{live_server}/coverage/?year={YEAR}")
    assert_chart_drawn(page, "chart-universities")
    assert_chart_drawn(page, "chart-trend")
    expect(page.get_by_test_id("meeting")).to_have_text("1")
    if width == 1440:
        screenshots(page, "coverage-province")
        # The table sorts by a column heading, without any hover.
        names = page.get_by_test_id("universities-table").locator("tbody tr td:first-child")
        expect(names).to_have_text(["浙江大学", "杭州大学", "宁波大学"])
        page.get_by_test_id("universities-table").locator('button[data-sort-col="4"]').first.click()
        expect(names).to_have_text(["宁波大学", "杭州大学", "浙江大学"])
    assert_clean(browser_log)


def bar_point(page: Page, testid: str, row: int) -> dict[str, float]:
    """Where the middle of the row-th bar is drawn, in viewport coordinates (ECharts converts it)."""
    return page.evaluate(
        """([testid, row]) => {
            const el = document.querySelector(`[data-testid="${testid}"]`);
            const chart = echarts.getInstanceByDom(el);
            const value = JSON.parse(el.getAttribute("data-chart")).rows[row].value;
            const [x, y] = chart.convertToPixel({gridIndex: 0}, [value / 2, row]);
            const box = el.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y};
        }""",
        [testid, row],
    )


@pytest.mark.parametrize("width", [1440, 375])
def test_a_click_on_a_bar_drills_down(new_context, live_server, province, browser_log, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province["org"])
    page.goto(f"{live_server}/coverage/?year={YEAR}")
    assert_chart_drawn(page, "chart-universities")
    page.get_by_test_id("chart-universities").scroll_into_view_if_needed()
    point = bar_point(page, "chart-universities", 1)  # 杭州大学, second best
    page.mouse.click(point["x"], point["y"])
    expect(page).to_have_url(re.compile(rf"/coverage/HZU\?year={YEAR}$"))
    expect(page.get_by_test_id("scope")).to_have_text("杭州大学")
    assert_chart_drawn(page, "chart-departments")
    assert_clean(browser_log)


@pytest.mark.parametrize("width", [1440, 375])
def test_the_university_dashboard(new_context, live_server, province, browser_log, width):
    page = new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province["zju_admin"])
    page.goto(f"{live_server}/coverage/?year={YEAR}")  # an admin lands on their own university
    expect(page).to_have_url(re.compile(rf"/coverage/ZJU\?year={YEAR}$"))
    assert_chart_drawn(page, "chart-departments")
    assert_chart_drawn(page, "chart-trend")
    expect(page.get_by_test_id("card-total-rate")).to_have_text("95.0%")
    if width == 1440:
        screenshots(page, "coverage-university")
    # A department's bar leads to its staff not yet covered.
    page.get_by_test_id("chart-departments").scroll_into_view_if_needed()
    point = bar_point(page, "chart-departments", 0)
    page.mouse.click(point["x"], point["y"])
    expect(page).to_have_url(re.compile(r"/coverage/ZJU/uncovered\?"))
    assert_clean(browser_log)


@pytest.mark.parametrize("path", ["/coverage/", "/coverage/ZJU"])
def test_projector_mode_on_a_1920_screen(new_context, live_server, province, browser_log, path):
    page = new_context(viewport={"width": 1920, "height": 1080}).new_page()
    browser_log.attach(page)
    log_in(page, live_server, province["org"])
    page.goto(f"{live_server}{path}?year={YEAR}&mode=screen")
    # Screens that advance by themselves: every row as a tile first, then the cards and the trend.
    expect(page.get_by_test_id("screen-tiles")).to_be_visible()
    page.keyboard.press("ArrowRight")
    assert_chart_drawn(page, "chart-trend")
    expect(page.locator("nav.navbar")).to_be_hidden()
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.coverage-screen td, .coverage-screen .stat-card .gap,'
                + ' .coverage-screen .status-badge, .coverage-screen .as-of')]
            .map(e => parseFloat(getComputedStyle(e).fontSize))"""
    )
    assert sizes and min(sizes) >= 24, sizes
    assert page.locator("[data-refresh]").get_attribute("data-refresh") == "60"
    ARTIFACTS.mkdir(exist_ok=True)
    name = "province" if path == "/coverage/" else "university"
    page.screenshot(path=str(ARTIFACTS / f"coverage-screen-{name}.png"))
    assert_clean(browser_log)
