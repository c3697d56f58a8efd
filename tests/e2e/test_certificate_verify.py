"""The page a certificate's QR code opens, on a phone, a tablet and a desktop: what the certificate states, or
that no such certificate exists."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from competition.enums import Role
from competition.extensions import db
from competition.models import Certificate
from tests.builders import Factory, advance, make_judge, make_scoring_contest, staff
from tests.web.test_certificates import score_everything

from .conftest import screenshots

pytestmark = pytest.mark.e2e


@pytest.fixture
def serial(app) -> str:
    """A published contest: 李老师 of 浙江大学 holds a certificate; its serial."""
    with app.app_context():
        make = Factory()
        zju, hzu = make.university("ZJU", "浙江大学"), make.university("HZU", "杭州大学")
        make.user("org", Role.ORGANIZER)
        make.staff(zju, "00123", "李老师")
        make.staff(hzu, "H001", "赵老师")
        make_judge("judge_zju", zju)
        make_judge("judge_hzu", hzu)
        make_judge("expert")
        competition, entries = make_scoring_contest(
            [staff("00123"), staff("H001")], judges={"judge_zju": [0], "judge_hzu": [0], "expert": [0]}
        )
        score_everything(competition, entries)
        advance(competition, "published")
        serial = db.session.scalar(select(Certificate.serial).where(Certificate.entry_id == entries[0].id))
        db.session.remove()
    return serial


def test_a_scanned_certificate_reads_well_on_a_phone(page: Page, live_server, serial, browser_log):
    browser_log.attach(page)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server}/results/certificates/{serial}?lang=en")
    card = page.locator(".verify-genuine")
    expect(card.get_by_role("heading", name="This certificate is genuine")).to_be_visible()
    expect(card.locator(".verify-name")).to_have_text("李老师")
    expect(card.locator(".verify-award")).to_contain_text("二等奖")
    expect(card.locator(".verify-serial")).to_have_text(serial)
    screenshots(page, "certificate-verify")

    page.goto(f"{live_server}/results/certificates/2026-0001-FORGED22?lang=en")
    expect(page.get_by_role("heading", name="No such certificate")).to_be_visible()
    expect(page.locator(".verify-unknown")).to_contain_text("2026-0001-FORGED22")
    screenshots(page, "certificate-unknown")
    browser_log.assert_clean()
