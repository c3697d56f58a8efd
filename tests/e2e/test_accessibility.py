"""The main pages audited with axe-core (WCAG 2.1 A and AA rules) for each role, at 1440 and 375 px, and the
top navigation measured at the widths where it is tightest: contrast and layout cannot slip back unnoticed.

axe-core is vendored in tests/e2e/vendor (see its README): it is injected through the DevTools protocol, which
the pages' Content-Security-Policy does not govern, so the pages are audited as they are served.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from competition.enums import Role
from competition.extensions import db
from competition.models import OfflineParticipation
from tests.builders import (
    PASSWORD,
    Factory,
    make_competition,
    make_entry,
    make_judge,
    make_scoring_contest,
    make_sheet,
)

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
YEAR = date.today().year
# The pages each role uses every day ({scoring}, {open}: the contests of the fixture; {year}: this year).
PAGES = {
    "org": [
        "/",
        "/competitions/",
        "/competitions/{scoring}",
        "/competitions/{open}",
        "/competitions/{open}/entries",
        "/staff/ZJU/",
        "/coverage/?year={year}",
        "/coverage/ZJU?year={year}",
        "/admin/audit",
        "/admin/users",
        "/results/{scoring}/",
    ],
    "zju_admin": [
        "/",
        "/competitions/",
        "/competitions/{open}/entries",
        "/staff/ZJU/",
        "/coverage/ZJU?year={year}",
        "/admin/users",
        "/admin/audit",
    ],
    "zju_staff": ["/", "/my/", "/coverage/me", "/competitions/{open}"],
    "expert": ["/judge/"],  # the judge's tablet: its queue of entries to score
}


@pytest.fixture
def province(app) -> dict:
    """ZJU (12 teachers) and HZU (8); a contest in scoring with sheets, one open for registration with entries
    pending and approved, coverage this year; accounts for every role (password builders.PASSWORD)."""
    with app.app_context():
        make = Factory()
        zju = make.university("ZJU", "浙江大学")
        hzu = make.university("HZU", "杭州大学")
        departments = ["计算机学院", "文学院", "财务处"]
        people = {
            university.code: [
                make.staff(university, f"{university.code[0]}{n:03d}", name, department=departments[n % 3])
                for n, name in enumerate(names)
            ]
            for university, names in (
                (
                    zju,
                    [
                        "李青",
                        "王明",
                        "赵雪",
                        "陈晨",
                        "周航",
                        "吴迪",
                        "郑洁",
                        "孙磊",
                        "钱芳",
                        "冯涛",
                        "蒋文",
                        "韩梅",
                    ],
                ),
                (hzu, ["杨帆", "朱琳", "秦川", "许诺", "何静", "吕博", "施然", "张弛"]),
            )
        }
        make.user("org", Role.ORGANIZER)
        make.user("zju_admin", Role.UNIVERSITY_ADMIN, zju)
        make.user("zju_staff", Role.STAFF, zju, staff=people["ZJU"][0])
        make.user("hzu_admin", Role.UNIVERSITY_ADMIN, hzu)
        expert = make_judge("expert")
        scoring, entries = make_scoring_contest(
            [people["ZJU"][1], people["ZJU"][2], people["HZU"][1], people["HZU"][2]],
            judges={"expert": [0]},
            name=f"{YEAR}年全省高校青年教师教学竞赛",
        )
        design = scoring.rounds[0]
        for entry, values in zip(entries[:3], ([36, 52], [31.5, 48], [38, 55]), strict=True):
            make_sheet(expert, design, entry, values, token=f"a11y-{entry.id}")
        opened = make_competition(name=f"{YEAR}年全省高校教学创新大赛", quota_per_university=3)
        make_entry(opened, people["ZJU"][0])
        make_entry(opened, people["ZJU"][3], status="approved")
        make_entry(opened, people["ZJU"][4])
        make_entry(opened, people["HZU"][3], status="approved", by="hzu_admin")
        for code, covered in (("ZJU", 9), ("HZU", 3)):
            for n, member in enumerate(people[code][:covered]):
                db.session.add(
                    OfflineParticipation(
                        university_id=member.university_id,
                        staff_id=member.id,
                        event="教职工岗位练兵",
                        date=date(YEAR, 1 + n % 6, 10),
                        year=YEAR,
                    )
                )
        db.session.commit()
        arranged = {"scoring": scoring.id, "open": opened.id, "year": YEAR}
        db.session.remove()
    return arranged


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').click()
    expect(page).not_to_have_url(re.compile(r"/auth/login"))


def audit(page: Page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands: rule, impact and the elements."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE)
    return page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const result = await axe.run(document, options);
            return result.violations.map(v => ({
                rule: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' '))
            }));
        }""",
        WCAG_21_AA,
    )


def settle(page: Page, path: str) -> None:
    """Wait until the page's own scripts have drawn it (charts, the tablet's queue)."""
    page.wait_for_load_state("networkidle")
    if path.startswith("/judge/"):
        expect(page.get_by_test_id("tile-1")).to_be_visible()
    for chart in page.locator("[data-chart]").all():
        expect(chart.locator("canvas").first).to_be_attached()


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for path, violations in found.items():
        for v in violations:
            lines.append(f"{path}: {v['rule']} ({v['impact']}) {v['help']}")
            lines.extend(f"    {node[:300]}" for node in v["nodes"][:8])
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("username", "width", "lang"),
    [
        ("org", 1440, "zh_Hans_CN"),
        ("org", 1024, "en"),
        ("org", 375, "zh_Hans_CN"),  # collapsed menu, tables scrolling in their boxes
        ("zju_admin", 1440, "zh_Hans_CN"),
        ("zju_staff", 375, "zh_Hans_CN"),  # staff use their phones
        ("expert", 1024, "zh_Hans_CN"),  # the judges' tablets
    ],
)
def test_the_main_pages_meet_wcag_21_aa(
    new_context, live_server, province, browser_log, username, width, lang
):
    page = new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500).new_page()
    browser_log.attach(page)
    log_in(page, live_server, username)
    found: dict[str, list[dict]] = {}
    for n, pattern in enumerate(PAGES[username]):
        path = pattern.format(**province)
        if n == 0:  # the choice of language is remembered from then on
            path += ("&" if "?" in path else "?") + f"lang={lang}"
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, (path, response and response.status)
        settle(page, path)
        violations = audit(page)
        if violations:
            found[path] = violations
    contrast = {path: [v for v in vs if v["rule"] == "color-contrast"] for path, vs in found.items()}
    assert not any(contrast.values()), "colour contrast below WCAG AA:\n" + report(contrast)
    assert found == {}, "WCAG 2.1 AA violations:\n" + report(found)
    browser_log.assert_clean()


# Hovered and pressed looks that axe cannot see on a page at rest: (page, element) to hover, then audit.
HOVERED = [
    ("/competitions/{open}", "nav .nav-link[data-section='home']"),
    ("/competitions/{open}", "nav .nav-link[aria-current='page']"),
    ("/competitions/{open}", "main .btn-outline-primary"),
    ("/competitions/{open}", "main .btn-primary"),
    ("/staff/ZJU/", "main .btn-outline-secondary"),
    ("/competitions/{open}/entries", "main a:not(.btn):not(.nav-link)"),
]


def test_hovered_controls_keep_their_contrast(new_context, live_server, province):
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    log_in(page, live_server, "org")
    found = {}
    for pattern, selector in HOVERED:
        page.goto(live_server + pattern.format(**province))
        element = page.locator(selector).locator("visible=true").first
        expect(element).to_be_visible()
        element.hover()
        page.wait_for_timeout(300)  # Bootstrap's colour transitions (.15 s) have ended
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(AXE)
        failures = element.evaluate(
            """async (el) => {
                const result = await axe.run(el, {runOnly: ['color-contrast'], resultTypes: ['violations']});
                return result.violations.flatMap(v => v.nodes.map(n => n.failureSummary));
            }"""
        )
        if failures:
            found[f"{pattern} {selector}"] = failures
    assert found == {}


# --- the top navigation at the widths where it is tightest -------------------------------------------------

MEASURE = """() => {
    const nav = document.querySelector('nav.navbar');
    const shown = e => e.offsetParent !== null;
    const parts = [...nav.querySelectorAll('.navbar-brand, .navbar-nav > .nav-item, .navbar-toggler')]
        .filter(shown);
    const box = e => e.getBoundingClientRect();
    return {
        lines: [...new Set(parts.map(e => Math.round(box(e).top + box(e).height / 2)))],
        right: Math.max(...parts.map(e => box(e).right)),
        page: document.documentElement.scrollWidth,
        current: [...nav.querySelectorAll('[aria-current="page"]')].filter(shown)
            .map(e => e.textContent.trim()),
        toggler: shown(nav.querySelector('.navbar-toggler')),
        brand: nav.querySelector('.navbar-brand').innerText.trim(),
    };
}"""


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_the_organizers_menu_fits_on_one_line_from_992_px(new_context, live_server, province, lang):
    """The longest menu (an organizer's seven sections, the language and the name) stays expanded on one line
    from 992 px (a 1366 px laptop at 125% zoom is 1093 px wide); on a phone the brand and the menu button
    share the bar."""
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    log_in(page, live_server, "org")
    page.goto(f"{live_server}/admin/audit?lang={lang}")
    current = "Audit log" if lang == "en" else "操作日志"
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (992, 1024, 1100, 1199, 1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        measured = page.evaluate(MEASURE)
        assert not measured["toggler"], f"collapsed at {width} px"
        assert len(measured["lines"]) == 1, f"the menu wraps at {width} px ({lang}): {measured}"
        assert measured["right"] <= width and measured["page"] <= width, (
            f"overflows at {width} px: {measured}"
        )
        assert measured["current"] == [current]
        if width in (992, 1024, 1440):
            page.screenshot(
                path=str(ARTIFACTS / f"nav-{lang}-{width}.png"),
                clip={"x": 0, "y": 0, "width": width, "height": 80},
            )
    page.set_viewport_size({"width": 375, "height": 812})
    measured = page.evaluate(MEASURE)
    assert measured["toggler"] and len(measured["lines"]) == 1, f"the menu button is pushed down: {measured}"
    assert measured["page"] <= 375
    assert measured["brand"] == ("Skills Competitions" if lang == "en" else "教职工技能竞赛")
    page.locator(".navbar-toggler").click()
    current_link = page.locator('nav .nav-link[aria-current="page"]')
    expect(current_link).to_be_visible()
    expect(current_link).to_have_text(current)
    page.screenshot(path=str(ARTIFACTS / f"nav-{lang}-375-open.png"))
