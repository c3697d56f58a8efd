"""A university union admin imports the roster in a browser: a clean HR export, then a file with errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from .conftest import FIXTURES, ROOT, Account, screenshots

pytestmark = pytest.mark.e2e

ZH_CATALOGUE = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
CJK_FONT = re.compile(r"CJK|WenQuanYi|Micro ?Hei|Noto Sans SC|Droid Sans Fallback|AR PL", re.IGNORECASE)
ZERO = re.compile(r"(?<!\d)0(?!\d)")


def log_in(page: Page, base: str, account: Account, *, shoot: bool = False) -> None:
    page.goto(f"{base}/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    if shoot:
        screenshots(page, "login")
    page.fill('input[name="username"]', account.username)
    page.fill('input[name="password"]', account.password)
    page.locator('form button[type="submit"]').click()
    expect(page).to_have_url(f"{base}/")


def open_import_page(page: Page, base: str) -> None:
    """From the roster, the import button (导入 in the Chinese interface) leads to the import page."""
    link = page.locator('main a[href$="/staff/ZJU/import"]')
    if ZH_CATALOGUE.exists():
        expect(link).to_contain_text("导入")
    link.click()
    expect(page).to_have_url(f"{base}/staff/ZJU/import")
    assert "工号" in page.inner_text("main")
    assert_chinese_glyphs(page, "h1")


def assert_chinese_glyphs(page: Page, selector: str) -> None:
    """The element's Chinese text is drawn with a CJK font, not as empty boxes (as Chromium reports it)."""
    page.wait_for_load_state("load")
    for attempt in range(3):  # node ids go stale if the document changes between the two DevTools calls
        cdp = page.context.new_cdp_session(page)
        try:
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
        finally:
            cdp.detach()
    families = [f["familyName"] for f in fonts]
    assert any(CJK_FONT.search(name) for name in families), f"no CJK font renders {selector}: {families}"


def upload(page: Page, name: str) -> None:
    page.set_input_files('input[name="file"]', str(FIXTURES / name))
    page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()


def test_admin_imports_the_hr_export_on_a_desktop(new_context, live_server, zju_admin, browser_log):
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    browser_log.attach(page)
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, live_server, zju_admin, shoot=True)
    page.goto(f"{live_server}/staff/ZJU/")
    expect(page.get_by_test_id("staff-total")).to_have_text(ZERO)
    open_import_page(page, live_server)

    upload(page, "roster-hr-export.xlsx")
    # to add, to update, to mark inactive, unchanged
    expect(page.get_by_test_id("preview-counts").locator(".value")).to_have_text(["120", "0", "0", "0"])
    assert_chinese_glyphs(page, "tbody tr td:nth-child(3)")
    screenshots(page, "import-preview")

    page.locator('form[action$="/import/confirm"] button[type="submit"]').click()
    expect(page).to_have_url(f"{live_server}/staff/ZJU/")
    expect(page.get_by_test_id("staff-total")).to_contain_text("120")
    expect(page.locator("main table tbody tr")).to_have_count(50)
    screenshots(page, "roster")

    # 工号 keep their leading zeros and the year.month birth date is read as the first of the month.
    page.fill('input[name="q"]', "000001")
    page.press('input[name="q"]', "Enter")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("000001")
    expect(rows.first).to_contain_text("张丽娟")
    expect(rows.first).to_contain_text("1974")
    browser_log.assert_clean()


def test_a_file_with_errors_is_rejected_whole_on_a_phone(new_context, live_server, zju_admin, browser_log):
    page = new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True).new_page()
    browser_log.attach(page)
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, live_server, zju_admin)
    page.goto(f"{live_server}/staff/ZJU/")
    open_import_page(page, live_server)

    upload(page, "roster-with-errors.xlsx")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("roster-with-errors.xlsx")
    listed_rows = errors.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted({int(r) for r in listed_rows}) == [3, 4, 5, 6, 7], listed_rows
    assert len(listed_rows) == 5, listed_rows
    screenshots(page, "import-errors")

    page.goto(f"{live_server}/staff/ZJU/")
    expect(page.get_by_test_id("staff-total")).to_have_text(ZERO)
    expect(page.locator("main table tbody tr")).to_have_count(1)  # the "no staff yet" line
    screenshots(page, "roster-empty")
    browser_log.assert_clean()
