"""Exports write text as text (issue 13, item 10): a cell that looks like a link (``https://…``, ``mailto:…``)
stays a plain string, never a hyperlink, in every workbook; and the lists written without pandas keep what
pandas wrote: numbers as numbers, dates as dates, empty cells empty, formulas neutralised, the entries list in
the page's order with its words in Chinese."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from competition.services import excel, registration
from tests.builders import approve_entry, login_as, make_competition, make_entry, staff, user
from tests.web.test_api_coverage import YEAR, add_offline, build_covered_world, staff_no
from tests.web.test_competition_pages import CONTEST

LINK = "https://pan.example.com/s/1aB2"
MAIL = "mailto:union@example.edu.cn"


def cells(data: bytes, sheet: str | None = None) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for row in (book[sheet] if sheet else book.active).iter_rows() for cell in row]


def as_text(data: bytes, value: str, sheet: str | None = None) -> list[openpyxl.cell.Cell]:
    """The cells holding ``value``; each must be a plain string without a hyperlink."""
    found = [cell for cell in cells(data, sheet) if cell.value == value]
    assert found, value
    for cell in found:
        assert cell.data_type == "s" and cell.hyperlink is None, (cell.coordinate, cell.hyperlink)
    return found


def test_a_frame_keeps_links_as_text_and_its_types(ctx):
    frame = pd.DataFrame(
        {
            "链接": [LINK, MAIL, "=1+1"],
            "数": [3, 2.5, float("nan")],
            "日期": [date(2026, 5, 20), None, None],
            "时间": [datetime(2026, 5, 20, 9, 30), None, None],
            "是否": [True, False, None],
        }
    )
    data = excel.to_xlsx({"表": frame})
    as_text(data, LINK)
    as_text(data, MAIL)
    as_text(data, "'=1+1")  # neutralised, never a formula
    sheet = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert [c.value for c in sheet[1]] == ["链接", "数", "日期", "时间", "是否"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert (sheet["B2"].value, sheet["B3"].value, sheet["B4"].value) == (3, 2.5, None)
    assert sheet["C2"].value == datetime(2026, 5, 20) and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].value == datetime(2026, 5, 20, 9, 30)
    assert (sheet["E2"].value, sheet["E3"].value) == (True, False)
    empty = excel.to_xlsx({"空": pd.DataFrame(columns=["工号", "姓名"])})
    assert [c.value for c in cells(empty)] == ["工号", "姓名"]


@pytest.fixture
def contest(world, make):
    competition = make_competition(**CONTEST)
    make.staff(world["zju"], "00200", "周老师")
    return competition


def test_the_entries_list_writes_a_link_as_text(client, contest):
    rejected = make_entry(contest, staff("00200"))
    registration.reject(entry=rejected, reason=LINK, by=user("org"))
    approve_entry(make_entry(contest, staff("00123")))
    login_as(client, "org")
    data = client.get(f"/competitions/{contest.id}/entries.xlsx").data
    as_text(data, LINK)
    sheet = pd.read_excel(io.BytesIO(data), dtype=str, engine="calamine")
    assert list(sheet.columns) == excel_columns()
    by_no = sheet.set_index("工号")
    assert by_no.loc["00200", ["姓名", "状态", "说明"]].tolist() == ["周老师", "已驳回", LINK]
    assert by_no.loc["00123", "岗位类别"] == "教学科研岗"
    assert all(len(moment) == 16 for moment in sheet["报名时间"])  # 2026-12-01 09:30, local time


def excel_columns() -> list[str]:
    return ["出场序号", "组别", "高校", "工号", "姓名", "部门", "岗位类别", "状态", "说明", "报名时间"]


def test_the_province_report_writes_a_link_as_text(client, world, make):
    build_covered_world(world, make)
    add_offline(staff_no("00125"), event=LINK)
    login_as(client, "org")
    data = client.get(f"/coverage/report.xlsx?year={YEAR}").data
    assert data[:2] == b"PK"  # a workbook, not an error page
    as_text(data, LINK, "活动")
