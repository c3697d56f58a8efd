"""The judge's tablet in Chromium at 1024 × 768 (touch): scoring through a network cut and a reload with
nothing lost or doubled, a resend whose answer was lost, and a live round whose tablet follows the stage."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from competition.enums import Role, RoundMode, SheetStatus
from competition.extensions import db
from competition.models import AuditLog, Competition, Entry, Round, ScoreSheet
from competition.services import sheets, stage
from tests.builders import PASSWORD, Factory, make_judge, make_scoring_contest, user

from .conftest import ARTIFACTS, Account
from .test_roster_journey import log_in

pytestmark = [
    pytest.mark.e2e,
    # These tests cut the network under the browser on purpose: the development server then drops a static
    # file half sent and Python reports the file it could not close. Only that warning is let through here.
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <_io\.(FileIO|BufferedReader):pytest.PytestUnraisableExceptionWarning",
        "ignore:unclosed file <_io.BufferedReader:ResourceWarning",
    ),
]
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
NAMES = ["李青", "王明", "赵雪", "陈晨"]
# 课堂教学: 教学内容 30, 教学组织 30, 教学语言与教态 25.5, 教学特色 14.5
DESCRIPTIONS = ["内容科学准确，重点突出，联系实际。", "", "语言清晰流畅，教态自然大方。", "教学方法有创新。"]
JUDGE = Account("judge_a", PASSWORD, "HZU")


@pytest.fixture
def contest(app) -> dict:
    """A provincial contest in scoring: four ZJU teachers drawn 1–4 in 文科组, judged by an HZU judge."""
    with app.app_context():
        make = Factory()
        zju = make.university("ZJU", "浙江大学")
        hzu = make.university("HZU", "杭州大学")
        make.user("org", Role.ORGANIZER)
        people = [make.staff(zju, f"Z{n:03d}", name) for n, name in enumerate(NAMES)]
        make_judge(JUDGE.username, hzu)
        competition, entries = make_scoring_contest(people, judges={JUDGE.username: [0]})
        lesson = competition.rounds[1]
        for criterion, text in zip(lesson.criteria, DESCRIPTIONS, strict=True):
            criterion.description = text
        db.session.commit()
        arranged = {
            "id": competition.id,
            "group": competition.groups[0].id,
            "round": lesson.id,
            "entries": [e.id for e in entries],
        }
        db.session.remove()
    return arranged


def sheets_of(app, round_id: int) -> dict[int, tuple[str, int]]:
    """entry id → (status, total in tenths) of the judge's sheets in the round."""
    with app.app_context():
        rows = db.session.execute(
            select(ScoreSheet.entry_id, ScoreSheet.status, ScoreSheet.total_tenths).where(
                ScoreSheet.round_id == round_id
            )
        ).all()
        db.session.remove()
    return {entry: (status, total) for entry, status, total in rows}


def submissions(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).where(AuditLog.action == "sheet.submit"))
        db.session.remove()
    return count


def open_tablet(page: Page, base: str) -> None:
    log_in(page, base, JUDGE)
    expect(page.locator(".navbar")).to_contain_text("评分")
    page.goto(f"{base}/judge/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def fill_sheet(page: Page, values: list[str]) -> None:
    for n, value in enumerate(values, 1):
        page.get_by_test_id(f"score-{n}").fill(value)


def submit(page: Page, draw: str, total: str) -> None:
    page.get_by_test_id("submit").click()
    dialog = page.get_by_test_id("confirm")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("confirm-no")).to_have_text(draw)
    expect(dialog.get_by_test_id("confirm-total")).to_have_text(total)
    dialog.get_by_test_id("confirm-ok").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()


def tile(page: Page, n: int):
    return page.get_by_test_id(f"tile-{n}")


def shoot(page: Page, name: str) -> None:
    """Screenshots in landscape and portrait (1024 × 768, 768 × 1024), then back to the size it had; the page
    never gets wider than the screen."""
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    for width, height in ((1024, 768), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} px wide at {width} px"
    page.set_viewport_size(original)


def test_scoring_through_a_network_cut_and_a_reload_loses_and_doubles_nothing(
    new_context, live_server, contest, app, browser_log
):
    context = new_context(**TABLET)
    page = context.new_page()
    browser_log.attach(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    open_tablet(page, live_server)

    # the queue of 课堂教学 by draw number, never a name
    page.locator(".t-track", has_text="课堂教学").click()
    for n in range(1, 5):
        expect(tile(page, n)).to_contain_text(f"0{n}号")
        expect(tile(page, n)).to_contain_text("未评")
    text = page.locator("main").inner_text()
    assert not any(name in text for name in NAMES) and "浙江大学" not in text
    expect(page.get_by_test_id("draw")).to_have_text("评分队列")
    shoot(page, "tablet-queue")

    # the first sheet: nothing pre-filled, refusals on the spot, the running total
    tile(page, 1).click()
    expect(page.get_by_test_id("draw")).to_have_text("01号")
    expect(page.get_by_test_id("score-1")).to_have_value("")
    expect(page.get_by_test_id("score-1")).to_have_attribute("inputmode", "decimal")
    expect(page.get_by_test_id("score-1")).to_have_attribute("placeholder", "未评")
    expect(page.locator(".t-crit.is-empty")).to_have_count(4)
    expect(page.get_by_test_id("submit")).to_be_disabled()
    expect(page.get_by_test_id("why")).to_have_text("还有4项未评分")
    page.get_by_test_id("score-1").fill("31")
    expect(page.locator(".t-crit").first).to_contain_text("此评分项最高 30 分")
    expect(page.get_by_test_id("why")).to_have_text("有1项数值无效")
    page.get_by_test_id("score-1").fill("8.55")
    expect(page.locator(".t-crit").first).to_contain_text("最多保留一位小数")
    page.get_by_test_id("score-1").fill("-2")
    expect(page.locator(".t-crit").first).to_contain_text("分数不能小于 0")
    page.get_by_test_id("score-1").fill("27.5")
    page.get_by_test_id("score-2").fill("26")
    expect(page.get_by_test_id("total")).to_have_text("53.5")
    expect(page.get_by_test_id("why")).to_have_text("还有2项未评分")
    page.locator(".t-crit").nth(2).get_by_role("button", name="说明").click()
    expect(page.locator(".t-crit").nth(2)).to_contain_text("语言清晰流畅")
    expect(page.get_by_test_id("pill")).to_contain_text(re.compile("已存本机|已同步"))
    shoot(page, "tablet-sheet-half")
    page.locator(".t-crit").nth(2).locator('[data-step="10"]').click()  # +1 from empty: 1.0
    page.get_by_test_id("score-3").fill("22.5")
    page.locator(".t-crit").nth(3).get_by_role("button", name="满分").click()  # 14.5
    expect(page.get_by_test_id("total")).to_have_text("90.5")
    expect(page.get_by_test_id("submit")).to_be_enabled()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("confirm")).to_contain_text("教学语言与教态")
    shoot(page, "tablet-confirm")
    page.get_by_test_id("confirm-back").click()  # 返回修改 first: nothing is sent
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    submit(page, "01号", "90.5")
    expect(page.get_by_test_id("pill")).to_contain_text("已提交·已锁定")
    entries, lesson = contest["entries"], contest["round"]
    assert sheets_of(app, lesson)[entries[0]] == (SheetStatus.SUBMITTED, 905)

    # the network goes; two more contestants are scored
    context.set_offline(True)
    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("draw")).to_have_text("02号")
    expect(page.get_by_test_id("banner")).to_contain_text("网络已断开")
    expect(page.get_by_test_id("pill")).to_contain_text("网络已断开")
    fill_sheet(page, ["20", "21.5", "18", "10"])
    expect(page.get_by_test_id("pill")).to_contain_text("已存本机")
    shoot(page, "tablet-offline")
    submit(page, "02号", "69.5")
    expect(page.get_by_test_id("receipt")).to_contain_text("待发送")
    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("draw")).to_have_text("03号")
    fill_sheet(page, ["25", "25", "20", "12.5"])
    submit(page, "03号", "82.5")
    assert set(sheets_of(app, lesson)) == {entries[0]}

    # a reload without network still shows the unsent sheets
    page.reload()
    expect(page.get_by_test_id("receipt")).to_contain_text("待发送")
    assert "beforeunload" in dialogs, "leaving with unsent sheets asks first"
    page.get_by_role("button", name="返回队列").click()
    expect(tile(page, 2)).to_contain_text("待发送")
    expect(tile(page, 3)).to_contain_text("待发送")
    expect(page.get_by_test_id("pill")).to_contain_text("待发送 2 份")
    shoot(page, "tablet-offline-queue")
    assert set(sheets_of(app, lesson)) == {entries[0]}

    # the network returns: everything goes out by itself, each sheet once
    context.set_offline(False)
    expect(tile(page, 2)).to_contain_text("已提交", timeout=15000)
    expect(tile(page, 3)).to_contain_text("已提交")
    expect(page.get_by_test_id("banner")).to_be_hidden()
    expect(page.get_by_test_id("pill")).to_contain_text("全部已同步")
    held = sheets_of(app, lesson)
    assert held == {
        entries[0]: (SheetStatus.SUBMITTED, 905),
        entries[1]: (SheetStatus.SUBMITTED, 695),
        entries[2]: (SheetStatus.SUBMITTED, 825),
    }
    assert submissions(app) == 3

    # the answer to a submission is lost on the way back: the tablet resends the same token, accepted once
    lost = []

    def lose_the_first_answer(route):
        if route.request.method == "PUT" and not lost and json.loads(route.request.post_data)["submit"]:
            route.fetch()  # the server writes it
            lost.append(route.request.post_data)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/rounds/*/entries/*/sheet", lose_the_first_answer)
    tile(page, 4).click()
    fill_sheet(page, ["30", "30", "25.5", "14.5"])
    submit(page, "04号", "100.0")
    expect(page.get_by_test_id("receipt")).to_contain_text("评分表已提交", timeout=15000)
    assert lost, "the first answer was dropped"
    assert sheets_of(app, lesson)[entries[3]] == (SheetStatus.SUBMITTED, 1000)
    assert submissions(app) == 4
    page.unroute("**/api/v1/rounds/*/entries/*/sheet")
    expect(page.get_by_test_id("receipt")).to_contain_text("本轮选手已全部评完")
    browser_log.assert_clean()


def test_a_live_round_follows_the_stage_and_the_server_refuses_the_others(
    new_context, live_server, contest, app, browser_log
):
    with app.app_context():
        competition = db.session.get(Competition, contest["id"])
        competition.rounds[1].mode = RoundMode.LIVE
        db.session.commit()

        def put_on_stage(entry_id: int) -> None:
            stage.set_stage(
                competition=db.session.get(Competition, contest["id"]),
                group_id=contest["group"],
                round_id=contest["round"],
                entry_id=entry_id,
                screen="scoring",
                by=user("org"),
            )
            db.session.commit()

        put_on_stage(contest["entries"][0])
    context = new_context(**TABLET, service_workers="block")  # the page works without it (plain HTTP)
    page = context.new_page()
    browser_log.attach(page)
    open_tablet(page, live_server)

    # the tablet opens the contestant on stage by itself
    expect(page.get_by_test_id("draw")).to_have_text("01号")
    expect(page.locator(".t-round")).to_contain_text("课堂教学")
    page.evaluate("window.__sameDocument = true")

    # the server refuses a sheet for anyone not on stage
    answer = page.evaluate(
        """async ([round, entry]) => {
            const config = JSON.parse(document.getElementById("tablet-config").textContent);
            const r = await fetch(`/api/v1/rounds/${round}/entries/${entry}/sheet`, {
                method: "PUT", headers: {"Content-Type": "application/json", "X-CSRFToken": config.csrf},
                body: JSON.stringify({scores: {}, submit: false, client_token: "probe"})});
            return [r.status, (await r.json()).error.code];
        }""",
        [contest["round"], contest["entries"][1]],
    )
    assert answer == [409, "not_on_stage"]

    fill_sheet(page, ["28", "27", "24", "13"])
    submit(page, "01号", "92.0")
    expect(page.get_by_test_id("receipt")).to_contain_text("评分表已提交")
    expect(page.get_by_test_id("receipt").get_by_test_id("wait-next")).to_contain_text("等待下一位选手")
    page.get_by_role("button", name="返回队列").click()
    expect(page.get_by_test_id("queue").get_by_test_id("wait-next")).to_contain_text("等待下一位选手")
    expect(tile(page, 2)).to_be_disabled()
    expect(tile(page, 1)).to_contain_text("已提交")
    shoot(page, "tablet-live-waiting")

    # while nothing changes the poll costs a 304; then the organizer moves the stage on and the tablet
    # follows without a reload
    unchanged = lambda r: r.url.endswith("/judge/stage") and r.status == 304  # noqa: E731
    page.wait_for_event("response", unchanged, timeout=8000)
    with app.app_context():
        put_on_stage(contest["entries"][1])
        db.session.remove()
    expect(page.get_by_test_id("draw")).to_have_text("02号", timeout=8000)
    expect(page.get_by_test_id("score-1")).to_be_enabled()
    assert page.evaluate("window.__sameDocument") is True
    fill_sheet(page, ["20", "20", "20", "10"])
    submit(page, "02号", "70.0")
    expect(page.get_by_test_id("receipt")).to_contain_text("评分表已提交")
    sheets = sheets_of(app, contest["round"])
    assert sheets[contest["entries"][0]] == (SheetStatus.SUBMITTED, 920)
    assert sheets[contest["entries"][1]] == (SheetStatus.SUBMITTED, 700)
    assert contest["entries"][2] not in sheets
    shoot(page, "tablet-live-receipt")
    browser_log.assert_clean()


def test_two_tablets_of_one_judge_make_one_sheet(new_context, live_server, contest, app, browser_log):
    first = new_context(**TABLET)
    second = new_context(**TABLET)
    a, b = first.new_page(), second.new_page()
    browser_log.attach(a)
    browser_log.attach(b)
    a.on("dialog", lambda d: d.accept())
    for page in (a, b):
        open_tablet(page, live_server)
        page.locator(".t-track", has_text="课堂教学").click()
        tile(page, 1).click()
        expect(page.get_by_test_id("draw")).to_have_text("01号")

    # tablet A submits without network; tablet B, online, submits other values first
    first.set_offline(True)
    fill_sheet(a, ["10", "10", "10", "10"])
    submit(a, "01号", "40.0")
    expect(a.get_by_test_id("receipt")).to_contain_text("待发送")
    fill_sheet(b, ["29", "28", "25", "14"])
    submit(b, "01号", "96.0")
    expect(b.get_by_test_id("receipt")).to_contain_text("评分表已提交")

    # A's resend is refused: the server's sheet shows, and nothing waits any more
    first.set_offline(False)
    expect(a.get_by_test_id("receipt")).to_contain_text("评分表已提交", timeout=15000)
    expect(a.locator(".t-notices")).to_contain_text("已在另一台设备上提交")
    expect(a.get_by_test_id("receipt-total")).to_have_text("96.0")
    expect(a.get_by_test_id("pill")).to_contain_text("已提交·已锁定")
    assert sheets_of(app, contest["round"]) == {contest["entries"][0]: (SheetStatus.SUBMITTED, 960)}
    assert submissions(app) == 1

    # the organizer reopens it with a reason: the queue says so, the judge corrects and submits again
    with app.app_context():
        round_ = db.session.get(Round, contest["round"])
        entry = db.session.get(Entry, contest["entries"][0])
        sheets.unlock_sheet(
            round_=round_, entry=entry, judge=user(JUDGE.username), reason="教学特色请复核", by=user("org")
        )
        db.session.commit()
        db.session.remove()
    b.get_by_role("button", name="返回队列").click()
    b.reload()
    expect(tile(b, 1)).to_contain_text("已退回")
    expect(tile(b, 1)).to_contain_text("教学特色请复核")
    tile(b, 1).click()
    expect(b.locator(".t-notices")).to_contain_text("组织者退回修改：教学特色请复核")
    expect(b.get_by_test_id("score-4")).to_have_value("14")
    b.get_by_test_id("score-4").fill("12")
    submit(b, "01号", "94.0")
    expect(b.get_by_test_id("receipt")).to_contain_text("评分表已提交")
    assert sheets_of(app, contest["round"]) == {contest["entries"][0]: (SheetStatus.SUBMITTED, 940)}
    assert submissions(app) == 2
    browser_log.assert_clean()
