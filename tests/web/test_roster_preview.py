"""The roster import preview: counts, before → after of every changed field, the name-change warning,
deactivations with names and departments, the Excel of all changes; confirm writes exactly what was shown."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pandas as pd
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditLog, Department, Staff
from competition.services import roster as roster_service
from tests.builders import login_as

HEADER = ["工号", "姓名", "部门", "岗位类别"]


class Tables(HTMLParser):
    """The rows (cell texts) of every table inside an element with a ``data-testid``, keyed by that id.

    Visually hidden text is skipped, so a change reads "财务处→审计处" as it looks on screen.
    """

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.stack: list[tuple[str, str | None, bool]] = []  # tag, testid, hidden
        self.cell: list[str] | None = None

    def _testid(self) -> str | None:
        return next((t for _, t, _ in reversed(self.stack) if t), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = "visually-hidden" in (attrs.get("class") or "")
        if tag in ("input", "br", "img", "link", "meta"):
            return
        self.stack.append((tag, attrs.get("data-testid"), hidden))
        if tag == "tr" and self._testid():
            self.tables.setdefault(self._testid(), []).append([])
        elif tag == "td" and self._testid():
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.tables[self._testid()][-1].append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.cell is not None and not any(h for _, _, h in self.stack):
            self.cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(page)
    return {k: [r for r in v if r] for k, v in parser.tables.items()}


def counts(page: str) -> list[str]:
    block = page.split('data-testid="preview-counts"', 1)[1].split("data-testid", 1)[0]
    return re.findall(r'<div class="value">([\d,]+)</div>', block)


def csv_file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def english(client, username="zju_admin") -> str:
    """Log in and read the pages in English (the Chinese of new words comes with the catalogue)."""
    token = login_as(client, username)
    client.get("/?lang=en")
    return token


def upload(client, token, data: bytes, mode="merge", name="名册.csv"):
    return client.post(
        "/staff/ZJU/import",
        data={"csrf_token": token, "mode": mode, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm(client, token, page: str, **extra):
    fields = dict(re.findall(r'<input id="(token|mode|plan)" name="\1" type="hidden" value="([^"]*)"', page))
    return client.post("/staff/ZJU/import/confirm", data={"csrf_token": token, **fields, **extra})


def zju_staff() -> dict[str, tuple]:
    rows = db.session.execute(
        select(Staff.staff_no, Staff.name, Department.name, Staff.category, Staff.active)
        .join(Department, Staff.department_id == Department.id)
        .where(Staff.university.has(code="ZJU"))
    ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


# 00123 李老师 (计算机学院) and 00124 王会计 (财务处) are in the world; 00125 张明 (机械学院) is added.
MERGE = [
    ["00123", "王小明", "计算机学院", "教学科研岗"],  # row 2: another name under 00123
    ["00124", "王会计", "审计处", "行政后勤岗"],  # row 3: another department
    ["00200", "陈新", "外国语学院", "教师"],  # row 4: new
]


def test_a_merge_preview_shows_counts_the_name_warning_and_each_change(client, world, make):
    make.staff(world["zju"], "00125", "张明", department="机械学院")
    token = english(client)
    before = zju_staff()
    response = upload(client, token, csv_file(MERGE))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert zju_staff() == before, "a preview writes nothing"
    # to add, to update, to mark inactive, unchanged
    assert counts(page) == ["1", "2", "0", "0"]
    found = tables(page)
    # The warning comes first, with the Excel row, the 工号 and the name before → after.
    assert page.index('data-testid="rename-warning"') < page.index('id="confirm-form"')
    assert "1 person would get another name under the same staff number" in page
    assert found["renamed-table"] == [["2", "00123", "李老师→ 王小明", "—"]]
    assert 'name="names_checked"' in page and "required" in page.split('name="names_checked"')[1][:80]
    # The other update shows its department before → after; the renamed one is not listed twice.
    assert found["update-list"] == [["3", "00124", "王会计", "Department 财务处→ 审计处"]]
    assert found["create-list"] == [["4", "00200", "陈新", "外国语学院", "Teaching & research post", ""]]
    assert "deactivate-list" not in found  # merge keeps 00125


def test_every_changed_field_is_shown_before_and_after(client, world, make):
    make.staff(world["zju"], "00125", "张明", department="机械学院", active=False, gender="male")
    token = english(client)
    header = [*HEADER, "性别", "出生日期", "职称", "手机"]
    rows = [["00125", "张明", "机械学院", "其他", "女", "1991-02-03", "讲师", "13812345678"]]
    page = upload(client, token, csv_file(rows, header)).get_data(as_text=True)
    assert counts(page) == ["0", "1", "0", "0"]
    assert 'data-testid="rename-warning"' not in page
    [[row, staff_no, name, changes]] = tables(page)["update-list"]
    assert (row, staff_no, name) == ("2", "00125", "张明")
    assert changes == (
        "Post Teaching & research post→ Other post Gender Male→ Female "
        "Birth date May 1, 1990→ Feb 3, 1991 Title —→ 讲师 Phone —→ 13812345678 "
        "On the roster Inactive→ Active"
    )


def test_replace_lists_deactivations_with_names_and_departments(client, world, make):
    make.staff(world["zju"], "00125", "张明", department="机械学院")
    make.staff(world["zju"], "00126", "刘芳", department="财务处", category="admin_logistics")
    make.staff(world["zju"], "00127", "已离职", active=False)
    token = english(client)
    rows = [["00123", "李老师", "计算机学院", "教学科研岗"]]
    page = upload(client, token, csv_file(rows), mode="replace").get_data(as_text=True)
    assert counts(page) == ["0", "0", "3", "1"]
    # By department, then 工号; the inactive 00127 is not listed again.
    assert tables(page)["deactivate-list"] == [
        ["00124", "王会计", "财务处", "Administrative & logistics post"],
        ["00126", "刘芳", "财务处", "Administrative & logistics post"],
        ["00125", "张明", "机械学院", "Teaching & research post"],
    ]
    assert 'data-confirm="3 staff will be marked inactive. Go on?"' in page
    assert zju_staff()["00125"][3] is True


def test_confirm_writes_exactly_what_was_previewed(client, world, make):
    make.staff(world["zju"], "00125", "张明", department="机械学院")
    token = english(client)
    page = upload(client, token, csv_file(MERGE), mode="replace").get_data(as_text=True)
    assert counts(page) == ["1", "2", "1", "0"]
    # Without ticking the name change, nothing is written and the preview comes back.
    refused = confirm(client, token, page)
    assert refused.status_code == 409
    assert 'data-testid="preview-notice"' in refused.get_data(as_text=True)
    assert zju_staff()["00123"][0] == "李老师"
    done = confirm(client, token, page, names_checked="y")
    assert done.status_code == 302 and done.headers["Location"].endswith("/staff/ZJU/")
    assert zju_staff() == {
        "00123": ("王小明", "计算机学院", "teaching_research", True),
        "00124": ("王会计", "审计处", "admin_logistics", True),
        "00125": ("张明", "机械学院", "teaching_research", False),
        "00200": ("陈新", "外国语学院", "teaching_research", True),
    }
    details = db.session.scalars(select(AuditLog).filter_by(action="roster.import")).one().details
    assert (details["created"], details["updated"], details["deactivated"]) == (1, 2, 1)


def test_a_roster_changed_since_the_preview_is_not_overwritten(client, world, make):
    token = english(client)
    page = upload(client, token, csv_file(MERGE)).get_data(as_text=True)
    # Someone adds 00200 before the confirmation: the plan is no longer the one previewed.
    make.staff(world["zju"], "00200", "陈新", department="外国语学院")
    response = confirm(client, token, page, names_checked="y")
    again = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The roster has changed since this preview." in again
    assert counts(again) == ["0", "2", "0", "1"]
    assert zju_staff()["00123"][0] == "李老师" and zju_staff()["00124"][1] == "财务处"
    # The new preview can be confirmed.
    assert confirm(client, token, again, names_checked="y").status_code == 302
    assert zju_staff()["00124"][1] == "审计处"


def test_cancel_writes_nothing(client, world):
    token = english(client)
    before = zju_staff()
    page = upload(client, token, csv_file(MERGE)).get_data(as_text=True)
    cancel = re.search(r'<a class="btn btn-outline-secondary btn-lg ms-auto" href="([^"]+)">', page).group(1)
    assert cancel == "/staff/ZJU/import"
    assert client.get(cancel).status_code == 200
    assert zju_staff() == before
    assert db.session.scalars(select(AuditLog).filter_by(action="roster.import")).all() == []


def test_long_lists_show_the_first_rows_and_the_excel_has_every_change(client, world, monkeypatch):
    monkeypatch.setattr(roster_service, "PREVIEW_LIMIT", 3)
    token = english(client)
    rows = [["00124", "王会计", "审计处", "行政后勤岗"]] + [
        [f"1{i:04d}", f"新人{i}", "文学院", "教师"] for i in range(1, 1201)
    ]
    page = upload(client, token, csv_file(rows)).get_data(as_text=True)
    assert counts(page) == ["1,200", "1", "0", "0"]
    assert len(tables(page)["create-list"]) == 3
    assert "1,200" in page.split('data-testid="more-rows"')[1].split("</p>")[0]
    link = re.search(r'href="(/staff/ZJU/import/[0-9a-f]{32}/changes\.xlsx\?mode=merge)"', page).group(1)
    response = client.get(link)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    sheets = pd.read_excel(io.BytesIO(response.data), sheet_name=None, dtype=str, engine="calamine")
    assert list(sheets) == ["Changed staff", "New staff", "To mark inactive"]
    changed = sheets["Changed staff"]
    assert changed.values.tolist() == [["2", "00124", "王会计", "Department", "财务处", "审计处"]]
    assert len(sheets["New staff"]) == 1200 and sheets["New staff"]["Staff number"].iloc[-1] == "11200"
    assert sheets["To mark inactive"].empty
    # Someone else's token gives nothing.
    token_in_link = re.search(r"[0-9a-f]{32}", link).group(0)
    assert client.get(link.replace(token_in_link, "0" * 32)).status_code == 302


def test_the_excel_lists_name_changes_first(client, world):
    token = english(client)
    page = upload(client, token, csv_file(MERGE)).get_data(as_text=True)
    link = re.search(r'href="(/staff/ZJU/import/[0-9a-f]{32}/changes\.xlsx\?mode=merge)"', page).group(1)
    sheets = pd.read_excel(io.BytesIO(client.get(link).data), sheet_name=None, dtype=str, engine="calamine")
    assert list(sheets)[0] == "Name changes"
    assert sheets["Name changes"].fillna("").values.tolist() == [["2", "00123", "李老师", "王小明", ""]]


def test_the_import_page_names_every_format_it_reads(client, world):
    english(client)
    page = client.get("/staff/ZJU/import").get_data(as_text=True)
    assert "Roster file (.xlsx, .xls or .csv, at most 10 MB)" in page
    assert 'accept=".xlsx,.xls,.csv"' in page


def test_a_workbook_named_xls_is_read_by_its_content(client, world):
    """The upload does not judge by the extension: a workbook saved as .xls is previewed."""
    out = io.BytesIO()
    pd.DataFrame([["00300", "周一", "文学院", "教师"]], columns=HEADER).to_excel(
        out, index=False, engine="xlsxwriter"
    )
    token = english(client)
    page = upload(client, token, out.getvalue(), name="名册.xls").get_data(as_text=True)
    assert counts(page) == ["1", "0", "0", "0"]
    assert tables(page)["create-list"][0][:3] == ["2", "00300", "周一"]
