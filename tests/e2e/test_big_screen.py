"""The big screen (大屏) in Chromium at 1920 × 1080, opened by its secret link and driven from the organizer's
live console: nothing of a score before the reveal, the judges' totals seat by seat, the highest and lowest
struck out, the score, the top ten, and the last frame kept (with a stale dot) when the network goes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from competition.enums import Role, RoundMode
from competition.extensions import db
from competition.models import Competition, Entry
from competition.services import live, stage
from tests.builders import PASSWORD, Factory, make_judge, make_scoring_contest, make_sheet, user

from .conftest import ARTIFACTS, Account, screenshots
from .test_roster_journey import log_in

pytestmark = [
    pytest.mark.e2e,
    # The network is cut under the browser on purpose (see test_tablet.py): the development server may then
    # drop a static file half sent, and Python reports the file it could not close.
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <_io\.(FileIO|BufferedReader):pytest.PytestUnraisableExceptionWarning",
        "ignore:unclosed file <_io.BufferedReader:ResourceWarning",
    ),
]
SCREEN = {"viewport": {"width": 1920, "height": 1080}}
NAME = "2026年浙江省高校青年教师教学技能大赛"
JUDGES = [f"judge{n}" for n in range(1, 8)]
# 课堂教学 (30, 30, 25.5, 14.5), seats 1–7. 01号: 92, 100, 70, 88, 88, 95, 82 → 100 and 70 dropped → 89.00.
FIRST = [[28, 27, 24, 13], [30, 30, 25.5, 14.5], [20, 20, 20, 10], [27, 26, 23, 12], [26, 27, 22, 13],
         [29, 28, 24, 14], [25, 25, 21, 11]]  # fmt: skip
FIRST_TOTALS = ["92.00", "100.00", "70.00", "88.00", "88.00", "95.00", "82.00"]
# 02号: 80, 85, 90, 75, 88, 84, 86 → 90 and 75 dropped → 84.60.
SECOND = [[24, 24, 21, 11], [25, 26, 22, 12], [27, 27, 23, 13], [22, 23, 20, 10], [27, 26, 23, 12],
          [25, 25, 22, 12], [26, 26, 22, 12]]  # fmt: skip
ORG = Account("org", PASSWORD, "")

# Records, while the screen reveals, each new step it shows: totals shown, totals struck, score shown.
RECORD_STEPS = """() => {
    window.__steps = [];
    const body = document.querySelector("[data-body]");
    const snap = () => {
        const reveal = body.querySelector(".sc-reveal");
        if (!reveal) { return; }
        const shown = [...reveal.querySelectorAll("[data-testid=total]")].filter(t => t.textContent).length;
        const struck = reveal.querySelectorAll(".sc-total.is-dropped").length;
        const score = reveal.querySelector("[data-testid=score]").textContent ? 1 : 0;
        const step = `${shown}/${struck}/${score}`;
        if (window.__steps[window.__steps.length - 1] !== step) { window.__steps.push(step); }
    };
    new MutationObserver(snap).observe(body, {subtree: true, childList: true, characterData: true,
                                              attributes: true, attributeFilter: ["class"]});
}"""

# Whatever the canvas shows must lie inside it, and every number must fit its box.
OVERFLOW = """() => {
    const canvas = document.querySelector("[data-canvas]").getBoundingClientRect();
    const out = [];
    for (const node of document.querySelectorAll("[data-canvas] *")) {
        const r = node.getBoundingClientRect();
        if (!r.width || !r.height || node.closest("[hidden]")) { continue; }
        if (r.right > canvas.right + 1 || r.bottom > canvas.bottom + 1 || r.left < canvas.left - 1) {
            out.push(`${node.className || node.tagName} outside the canvas`);
        }
    }
    for (const node of document.querySelectorAll(".sc-total-value, .sc-score, .sc-no, .sc-comp, .sc-where")) {
        if (node.scrollWidth > node.clientWidth + 1) { out.push(`${node.className} overflows its box`); }
    }
    return out;
}"""


@pytest.fixture
def contest(app) -> dict:
    """A provincial contest in scoring whose 课堂教学 is live: three ZJU teachers drawn 1–3 in 文科组, seven
    outside experts on the panel (so trimming applies), and the group's screen link."""
    with app.app_context():
        make = Factory()
        zju = make.university("ZJU", "浙江大学")
        make.university("HZU", "杭州大学")
        make.user("org", Role.ORGANIZER)
        people = [make.staff(zju, f"Z{n:03d}", name) for n, name in enumerate(["李青", "王明", "赵雪"])]
        for name in JUDGES:
            make_judge(name)
        competition, entries = make_scoring_contest(people, judges={j: [0] for j in JUDGES}, name=NAME)
        lesson = competition.rounds[1]
        lesson.mode = RoundMode.LIVE
        db.session.commit()
        token = live.screen_token(competition, competition.groups[0], by=user("org"))
        db.session.commit()
        arranged = {
            "id": competition.id,
            "group": competition.groups[0].id,
            "round": lesson.id,
            "entries": [e.id for e in entries],
            "token": token,
        }
        db.session.remove()
    return arranged


def set_stage(app, contest: dict, entry: int | None, screen: str) -> None:
    with app.app_context():
        stage.set_stage(
            competition=db.session.get(Competition, contest["id"]),
            group_id=contest["group"],
            round_id=contest["round"],
            entry_id=entry,
            screen=screen,
            by=user("org"),
        )
        db.session.commit()
        db.session.remove()


def sheets(app, contest: dict, entry_index: int, values: list[list], seats: range) -> None:
    with app.app_context():
        competition = db.session.get(Competition, contest["id"])
        lesson = competition.rounds[1]
        entry = db.session.get(Entry, contest["entries"][entry_index])
        for seat in seats:
            make_sheet(user(JUDGES[seat]), lesson, entry, values[seat], token=f"s{entry.id}-{seat}")
        db.session.remove()


def shoot(page: Page, name: str) -> None:
    """Screenshots at 1920 × 1080 and 1280 × 720 (the canvas scaled): nothing outside the canvas, no number
    wider than its box, no scroll bar; then back to 1920 × 1080."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1920, 1080), (1280, 720)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(
            "w => Math.abs(document.querySelector('[data-canvas]').getBoundingClientRect().width - w) < 2",
            arg=width,
        )
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
        assert page.evaluate(OVERFLOW) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size(SCREEN["viewport"])


def canvas_text(page: Page) -> str:
    return page.get_by_test_id("canvas").inner_text()


def test_the_big_screen_reveals_a_score_with_nothing_before(
    new_context, live_server, contest, app, browser_log
):
    context = new_context(**SCREEN)
    page = context.new_page()
    browser_log.attach(page)
    link = (
        f"{live_server}/results/{contest['id']}/screen?group_id={contest['group']}&token={contest['token']}"
    )
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("competition")).to_have_text(NAME)
    expect(page.get_by_test_id("where")).to_contain_text("文科组")
    expect(page.get_by_test_id("screen-next")).to_contain_text("等待下一位选手")
    assert page.locator(".navbar").count() == 0
    shoot(page, "screen-waiting")

    # 01号 on stage: the draw number, the count and a chip per seat; no score anywhere, even with 5 sheets in
    set_stage(app, contest, contest["entries"][0], "scoring")
    expect(page.get_by_test_id("draw")).to_have_text("01号")
    expect(page.get_by_test_id("where")).to_contain_text("课堂教学")
    expect(page.get_by_test_id("count")).to_contain_text("0/7")
    expect(page.locator(".sc-chip")).to_have_count(7)
    sheets(app, contest, 0, FIRST, range(5))
    expect(page.get_by_test_id("count")).to_contain_text("5/7")
    expect(page.locator('.sc-chip[data-submitted="true"]')).to_have_count(5)
    html = page.content()
    assert not any(total in html for total in FIRST_TOTALS + ["89.00", "89.0"])
    assert not any(n in canvas_text(page) for n in ("92", "100", "70", "88", "95", "82", "89"))
    shoot(page, "screen-scoring")

    # the organizer's console: 亮分 carries the count while two judges are missing
    console = context.new_page()
    browser_log.attach(console)
    log_in(console, live_server, ORG)
    console.goto(f"{live_server}/judging/{contest['id']}/console")
    expect(console.get_by_test_id("on-stage")).to_have_text("1号")
    expect(console.get_by_test_id("screen-reveal")).to_contain_text("5/7")
    expect(console.get_by_test_id("screen-url")).to_have_value(link)
    screenshots(console, "console-screen")
    sheets(app, contest, 0, FIRST, range(5, 7))
    expect(console.get_by_test_id("screen-reveal")).not_to_contain_text("5/7", timeout=10000)
    expect(page.get_by_test_id("count")).to_contain_text("7/7")

    # the reveal, pressed on the console: the totals seat by seat, then the two struck, then the score
    page.evaluate(RECORD_STEPS)
    console.get_by_test_id("screen-reveal").click()
    expect(console.get_by_test_id("screen-now")).to_contain_text("亮分")
    expect(page.get_by_test_id("score")).to_have_text("89.00", timeout=15000)
    steps = page.evaluate("window.__steps")
    assert steps == [f"{n}/0/0" for n in range(8)] + ["7/2/0", "7/2/1"]
    expect(page.get_by_test_id("total")).to_have_text(FIRST_TOTALS)
    high, low = page.locator('[data-dropped="high"]'), page.locator('[data-dropped="low"]')
    expect(high).to_have_count(1)
    expect(low).to_have_count(1)
    expect(high.get_by_test_id("total")).to_have_text("100.00")
    expect(low.get_by_test_id("total")).to_have_text("70.00")
    assert high.locator(".sc-total-note").inner_text() and low.locator(".sc-total-note").inner_text()
    assert high.locator(".sc-total-note").inner_text() != low.locator(".sc-total-note").inner_text()
    struck = high.locator(".sc-total-value").evaluate("e => getComputedStyle(e, '::after').content")
    assert struck == '""'  # the strike line is drawn
    shoot(page, "screen-reveal")

    # held, and never replayed: further polls keep the frame; a second 亮分 shows it at once
    page.wait_for_event("response", lambda r: "/live?" in r.url and r.status == 304, timeout=8000)
    assert page.evaluate("window.__steps.length") == 10
    console.get_by_test_id("screen-reveal").click()
    expect(page.locator(".sc-reveal.is-static")).to_have_count(1, timeout=8000)
    expect(page.get_by_test_id("score")).to_have_text("89.00")

    # 02号 on stage: nothing of 01号's score stays on the screen
    set_stage(app, contest, contest["entries"][1], "scoring")
    expect(page.get_by_test_id("draw")).to_have_text("02号")
    assert "89.00" not in page.content() and "100.00" not in page.content()
    sheets(app, contest, 1, SECOND, range(7))
    expect(page.get_by_test_id("count")).to_contain_text("7/7")
    assert "84.60" not in page.content()
    set_stage(app, contest, contest["entries"][1], "reveal")
    expect(page.get_by_test_id("score")).to_have_text("84.60", timeout=15000)

    # 前十名 from the console: the revealed entries ranked
    console.reload()
    console.get_by_test_id("screen-top_ten").click()
    expect(console.get_by_test_id("screen-now")).to_contain_text("前十名")
    rows = page.get_by_test_id("top-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("01号")
    expect(rows.nth(0)).to_contain_text("89.00")
    expect(rows.nth(1)).to_contain_text("02号")
    expect(rows.nth(1)).to_contain_text("84.60")
    expect(page.locator(".sc-table tbody tr")).to_have_count(10)
    shoot(page, "screen-top-ten")

    # the network goes: the stale dot shows and the last frame stays; it comes back by itself
    expect(page.get_by_test_id("stale")).to_be_hidden()
    context.set_offline(True)
    expect(page.get_by_test_id("stale")).to_be_visible(timeout=10000)
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("89.00")
    page.screenshot(path=str(ARTIFACTS / "screen-stale-1920.png"))
    context.set_offline(False)
    expect(page.get_by_test_id("stale")).to_be_hidden(timeout=15000)
    expect(rows.nth(1)).to_contain_text("84.60")
    console.close()
    browser_log.assert_clean()


def test_a_rotated_link_shows_the_refusal_in_the_screens_style(
    new_context, live_server, contest, app, browser_log
):
    with app.app_context():
        competition = db.session.get(Competition, contest["id"])
        live.screen_token(competition, competition.groups[0], rotate=True, by=user("org"))
        db.session.commit()
        db.session.remove()
    page = new_context(**SCREEN).new_page()
    browser_log.attach(page)
    link = (
        f"{live_server}/results/{contest['id']}/screen?group_id={contest['group']}&token={contest['token']}"
    )
    response = page.goto(link)
    assert response.status == 403
    expect(page.get_by_test_id("refused")).to_be_visible()
    assert page.locator(".navbar").count() == 0
    page.screenshot(path=str(ARTIFACTS / "screen-refused-1920.png"))
    browser_log.assert_clean()
