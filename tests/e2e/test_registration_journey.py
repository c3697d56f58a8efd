"""Registration in a browser: a young teacher registers on a phone, an older one is told why not, the admin
approves on a desktop."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from competition.enums import Role
from competition.extensions import db
from competition.models import Entry, User
from competition.services import competition_templates
from tests.builders import PASSWORD, Factory, in_days, make_competition

from .conftest import Account, screenshots
from .test_roster_journey import log_in

pytestmark = pytest.mark.e2e
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def contest(app):
    """ZJU with its admin, a young and an older teacher with accounts, and an open provincial contest."""
    with app.app_context():
        make = Factory()
        zju = make.university("ZJU", "浙江大学")
        make.user("zju_admin", Role.UNIVERSITY_ADMIN, zju)
        young = make.staff(zju, "00123", "李青", birth_date=date(1994, 3, 1))
        older = make.staff(zju, "00456", "王长", birth_date=date(1970, 3, 1))
        make.user("zju_young", Role.STAFF, zju, staff=young)
        make.user("zju_older", Role.STAFF, zju, staff=older)
        organizer = make.user("org", Role.ORGANIZER)
        now = datetime.now(UTC)
        body = competition_templates.template_body(
            "young-teachers-teaching", year=now.year, level="provincial", university=None, today=now.date()
        )
        body.update(
            name="青年教师教学竞赛（测试）",
            registration_opens=in_days(-1),
            registration_closes=in_days(20),
            quota_per_university=5,
        )
        competition = make_competition(status="registration_open", by=organizer, **body)
        contest_id, group = competition.id, competition.groups[1].name
        db.session.remove()
    return {"id": contest_id, "group": group}


def test_a_young_teacher_registers_on_a_phone_and_the_admin_approves(
    new_context, live_server, contest, browser_log, app
):
    phone = new_context(**PHONE).new_page()
    browser_log.attach(phone)
    log_in(phone, live_server, Account("zju_young", PASSWORD, "ZJU"))
    phone.goto(f"{live_server}/my/")
    card = phone.locator(".card", has_text="青年教师教学竞赛（测试）").first
    expect(card.get_by_test_id("register")).to_be_visible()
    screenshots(phone, "my-competitions")
    card.get_by_test_id("register").click()
    phone.locator("label", has_text=contest["group"]).click()
    phone.locator('form button[type="submit"]').last.click()
    expect(phone.locator("main")).to_contain_text("待审核")
    screenshots(phone, "my-entry")
    browser_log.assert_clean()

    older = new_context(**PHONE).new_page()
    log_in(older, live_server, Account("zju_older", PASSWORD, "ZJU"))
    older.goto(f"{live_server}/my/")
    card = older.locator(".card", has_text="青年教师教学竞赛（测试）").first
    expect(card.get_by_test_id("register")).to_have_count(0)
    expect(card).to_contain_text("年龄上限 40 岁")

    desk = new_context(viewport={"width": 1440, "height": 900}).new_page()
    browser_log.attach(desk)
    log_in(desk, live_server, Account("zju_admin", PASSWORD, "ZJU"))
    desk.goto(f"{live_server}/competitions/{contest['id']}/entries")
    row = desk.locator("main tr", has_text="李青")
    expect(row).to_contain_text("待审核")
    row.locator('form[action$="/approve"] button[type="submit"]').click()
    expect(desk.locator("main tr", has_text="李青")).to_contain_text("已通过")
    screenshots(desk, "entries-approved")
    browser_log.assert_clean()
    with app.app_context():
        young = db.session.query(User).filter_by(username="zju_young").one()
        entry = db.session.query(Entry).filter_by(staff_id=young.roles[0].staff_id).one()
        assert entry.status == "approved" and entry.decided_by_id is not None
        db.session.remove()
