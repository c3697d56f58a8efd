"""Roster parsing: the sample files, file-level problems, staff numbers and row-level problems."""

import csv
import io
import random
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from competition.domain.roster import MAX_BYTES, ParseResult, RosterRow, RowError, parse_roster

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = date(2026, 11, 25)
HEADER = ["工号", "姓名", "部门", "岗位类别"]
GOOD = ["T001", "张三", "文学院", "教学科研岗"]


def csv_bytes(rows, encoding="utf-8", delimiter=",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    """A one-sheet workbook; str cells are text, numbers numeric, datetimes real date cells."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def parse(data: bytes, filename: str = "roster.csv", **kwargs) -> ParseResult:
    return parse_roster(data, filename, today=TODAY, **kwargs)


def fixture(name: str, today: date = TODAY) -> ParseResult:
    return parse_roster((FIXTURES / name).read_bytes(), name, today=today)


def file_error(code: str, **params) -> list[RowError]:
    return [RowError(None, None, code, params)]


# --- the sample files ------------------------------------------------------------------------------------


def test_hr_export_accepts_all_120_people_below_the_title_rows():
    result = fixture("roster-hr-export.xlsx")
    assert result.ok and result.errors == []
    assert len(result.rows) == 120
    assert [r.row for r in result.rows] == list(range(4, 124))
    assert result.rows[0] == RosterRow(
        row=4,
        staff_no="000001",
        name="张丽娟",
        department="图书馆",
        category="other",
        gender="male",
        birth_date=date(1974, 7, 1),
        title="讲师",
        phone=None,
    )
    assert result.columns == {"staff_no", "name", "department", "category", "gender", "birth_date", "title"}


def test_hr_export_keeps_leading_zeros_and_reads_year_month_as_first_day():
    by_no = {r.staff_no: r for r in fixture("roster-hr-export.xlsx").rows}
    assert by_no["000002"].birth_date == date(1997, 4, 1)
    assert by_no["300004"].birth_date == date(1990, 1, 1)
    assert by_no["500120"].row == 123 and by_no["500120"].birth_date == date(1989, 6, 1)
    assert all(r.birth_date.day == 1 for r in by_no.values())
    assert sum(no.startswith("0") for no in by_no) >= 2


def test_hr_export_maps_every_category_label():
    sheet = openpyxl.load_workbook(FIXTURES / "roster-hr-export.xlsx").worksheets[0]
    labels = {row[1]: row[6] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}
    expected = {
        "专任教师": "teaching_research",
        "教学科研岗": "teaching_research",
        "管理岗": "admin_logistics",
        "工勤技能岗": "admin_logistics",
        "教辅": "other",
    }
    assert set(labels.values()) == set(expected)
    rows = fixture("roster-hr-export.xlsx").rows
    assert all(r.category == expected[labels[r.staff_no]] for r in rows)
    assert Counter(r.category for r in rows) == Counter(expected[label] for label in labels.values())
    by_no = {r.staff_no: r for r in rows}
    assert (by_no["000001"].category, by_no["000002"].category) == ("other", "teaching_research")
    assert (by_no["600003"].category, by_no["300008"].category) == ("admin_logistics", "admin_logistics")
    assert by_no["300117"].category == "teaching_research"  # 教学科研岗


def test_english_headers_with_date_cells_and_spaced_names():
    result = fixture("roster-english-dates.xlsx")
    assert result.errors == [] and len(result.rows) == 40
    assert [r.row for r in result.rows] == list(range(2, 42))
    assert not any(ch.isspace() for r in result.rows for ch in r.name)
    by_no = {r.staff_no: r for r in result.rows}
    assert by_no["E0007"].name == "吴志强"
    assert by_no["E0001"] == RosterRow(
        row=2,
        staff_no="E0001",
        name="吴娜",
        department="School of Law",
        category="teaching_research",
        gender="female",
        birth_date=date(1983, 2, 18),
        title=None,
        phone="13914760628",
    )
    assert by_no["E0040"].birth_date == date(1991, 6, 4) and by_no["E0040"].category == "other"
    assert "title" not in result.columns and "phone" in result.columns


def test_gbk_csv_keeps_chinese_names():
    result = fixture("roster-gbk.csv")
    assert result.errors == []
    assert [(r.row, r.staff_no, r.name, r.department) for r in result.rows] == [
        (2, "G001", "赵海燕", "机械工程学院"),
        (3, "G002", "钱志强", "保卫处"),
        (4, "G003", "孙丽娟", "档案馆"),
    ]
    assert [r.birth_date for r in result.rows] == [date(1988, 7, 3), date(1979, 11, 21), date(1985, 1, 9)]
    assert [r.category for r in result.rows] == ["teaching_research", "admin_logistics", "other"]


def test_errors_sample_lists_exactly_the_five_problems():
    result = fixture("roster-with-errors.xlsx")
    assert result.rows == [] and not result.ok
    assert result.errors == [
        RowError(3, "出生日期", "impossible_date", {"value": "1993-02-30"}),
        RowError(4, "姓名", "required", {}),
        RowError(5, "岗位类别", "unknown_category", {"value": "宇航员"}),
        RowError(6, "工号", "duplicate_in_file", {"first_row": 2}),
        RowError(7, "出生日期", "future_date", {"value": "2031-01-01"}),
    ]


def test_errors_sample_future_date_depends_on_today():
    result = fixture("roster-with-errors.xlsx", today=date(2031, 1, 1))
    assert [(e.row, e.code) for e in result.errors] == [
        (3, "impossible_date"),
        (4, "required"),
        (5, "unknown_category"),
        (6, "duplicate_in_file"),
    ]


# --- file-level problems ---------------------------------------------------------------------------------


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b" \r\n \r\n", "empty_file"),
        (b",,,\r\n,,,\r\n", "empty_file"),
        (xlsx_bytes([]), "empty_file"),
        (csv_bytes([HEADER]), "no_data"),
        (csv_bytes([HEADER, ["", "", "", ""], []]), "no_data"),
        (xlsx_bytes([["名册"], HEADER]), "no_data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)), "not_spreadsheet"),
        (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
            "not_spreadsheet",
        ),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "not_spreadsheet"),
        (zip_bytes({"readme.txt": b"hello"}), "not_spreadsheet"),
        (
            zip_bytes({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}),
            "not_spreadsheet",
        ),
        (zip_bytes({"xl/workbook.xml": b"not xml at all"}), "not_spreadsheet"),
        (b"PK\x03\x04" + b"\x00" * 100, "not_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "not_spreadsheet"),
        (random.Random(7).randbytes(4000), "not_spreadsheet"),
        (b"<html><table><tr><td>\xe5\xb7\xa5\xe5\x8f\xb7</td></tr></table></html>", "not_spreadsheet"),
        (b"a,b\x00,c\n" * 10, "not_spreadsheet"),
    ],
    ids=[
        "empty",
        "blank-text",
        "only-commas",
        "empty-sheet",
        "header-only-csv",
        "header-blank-rows",
        "header-only-xlsx",
        "png",
        "pdf",
        "jpeg",
        "zip",
        "docx",
        "broken-xlsx",
        "bad-zip",
        "ole-garbage",
        "random-bytes",
        "html-xls",
        "nul-bytes",
    ],
)
def test_file_level_problems(data, code):
    for filename in ("roster.xlsx", "roster.csv", "roster.xls"):
        result = parse(data, filename)
        assert result.errors == file_error(code) and result.rows == [] and not result.ok


def test_too_large_is_checked_first():
    result = parse(b"a" * (MAX_BYTES + 1))
    assert result.errors == file_error("too_large", max_mb=10)
    data = csv_bytes([HEADER, GOOD])
    assert parse(data, max_bytes=len(data)).ok
    assert parse(data, max_bytes=len(data) - 1).errors[0].code == "too_large"


def test_workbook_that_unpacks_too_far_is_too_large():
    data = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\x00" * 200_000})
    assert len(data) < 2_000
    assert parse(data, "r.xlsx", max_bytes=2_000).errors == file_error("too_large", max_mb=0)


def test_each_missing_required_column_is_reported():
    result = parse(csv_bytes([["工号", "职称"], ["T1", "教授"]]))
    assert result.errors == [
        RowError(None, "姓名", "missing_column", {}),
        RowError(None, "部门", "missing_column", {}),
        RowError(None, "岗位类别", "missing_column", {}),
    ]
    result = parse(xlsx_bytes([["序号", "工号", "姓名", "部门"], [1, "T1", "张三", "文学院"]]), "r.xlsx")
    assert result.errors == [RowError(None, "岗位类别", "missing_column", {})]
    assert result.columns == {"staff_no", "name", "department"}


def test_no_header_at_all_reports_all_four_columns():
    result = parse(csv_bytes([["a", "b"], ["1", "2"]]))
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (None, "工号", "missing_column"),
        (None, "姓名", "missing_column"),
        (None, "部门", "missing_column"),
        (None, "岗位类别", "missing_column"),
    ]


# --- staff numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "xlsx", "expected"),
    [
        ("00123", False, "00123"),
        ("00123", True, "00123"),
        (1001, True, "1001"),
        (1001.0, True, "1001"),
        ('="00123"', False, "00123"),
        ("Ｅ００１", False, "E001"),
        (" X001\u3000", True, "X001"),
        (20240001, True, "20240001"),
    ],
)
def test_staff_numbers_stay_text(cell, xlsx, expected):
    rows = [HEADER, [cell] + GOOD[1:]]
    result = parse(xlsx_bytes(rows), "r.xlsx") if xlsx else parse(csv_bytes(rows))
    assert [r.staff_no for r in result.rows] == [expected]


def test_too_long_values():
    ok = parse(csv_bytes([HEADER + ["职称"], ["9" * 32, "名" * 50, "部" * 100, "教辅", "职" * 50]]))
    assert ok.errors == []
    result = parse(csv_bytes([HEADER + ["职称"], ["9" * 33, "名" * 51, "部" * 101, "教辅", "职" * 51]]))
    assert result.errors == [
        RowError(2, "工号", "too_long", {"max": 32}),
        RowError(2, "姓名", "too_long", {"max": 50}),
        RowError(2, "部门", "too_long", {"max": 100}),
        RowError(2, "职称", "too_long", {"max": 50}),
    ]


def test_every_problem_of_every_row_in_row_then_column_order():
    header = ["手机", "性别"] + HEADER + ["出生日期"]
    rows = [
        header,
        ["12", "x", "A1", "", "文学院", "宇航员", "1990-02-30"],
        ["139 1234 5678", "男"] + GOOD + [""],
        ["", "", "A1", "李四", "", "管理", "abc"],
        ["", "", "A1", "王五", "财务处", "管理", ""],
    ]
    result = parse(csv_bytes(rows))
    assert result.rows == []
    assert [(e.row, e.column, e.code, e.params) for e in result.errors] == [
        (2, "手机", "bad_phone", {"value": "12"}),
        (2, "性别", "bad_gender", {"value": "x"}),
        (2, "姓名", "required", {}),
        (2, "岗位类别", "unknown_category", {"value": "宇航员"}),
        (2, "出生日期", "impossible_date", {"value": "1990-02-30"}),
        (4, "工号", "duplicate_in_file", {"first_row": 2}),
        (4, "部门", "required", {}),
        (4, "出生日期", "bad_date", {"value": "abc"}),
        (5, "工号", "duplicate_in_file", {"first_row": 2}),
    ]
