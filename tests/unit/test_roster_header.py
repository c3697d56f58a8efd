"""Roster parsing: finding the header row, its aliases, and the CSV encodings and separators."""

import csv
import io
from datetime import date

import pytest
import xlsxwriter

from competition.domain.roster import HEADER_ALIASES, ParseResult, RosterRow, RowError, parse_roster

TODAY = date(2026, 11, 25)
HEADER = ["工号", "姓名", "部门", "岗位类别"]
GOOD = ["T001", "张三", "文学院", "教学科研岗"]


def csv_bytes(rows, encoding="utf-8", delimiter=",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def parse(data: bytes, filename: str = "roster.csv") -> ParseResult:
    return parse_roster(data, filename, today=TODAY)


# --- header detection and layout -------------------------------------------------------------------------


def test_title_rows_above_the_header_are_skipped_and_rows_numbered_as_excel_shows():
    rows = [
        ["XX大学教职工名册"],
        ["填报单位：校工会", "", "", "填报日期：2026-03-01"],
        ["序号"] + HEADER + ["备注"],
        ["1"] + GOOD + ["x"],
        [],
        ["2", "T002", "李四", "财务处", "管理岗"],
        ["3"],
        ["", "", "", "", ""],
    ]
    for data in (csv_bytes(rows), xlsx_bytes(rows)):
        result = parse(data)
        assert [(r.row, r.staff_no, r.category) for r in result.rows] == [
            (4, "T001", "teaching_research"),
            (6, "T002", "admin_logistics"),
        ]
        assert result.columns == {"staff_no", "name", "department", "category"}


def test_header_is_searched_in_the_first_30_rows_only():
    padding = [[f"说明 {i}"] for i in range(29)]
    assert [r.row for r in parse(csv_bytes(padding + [HEADER, GOOD])).rows] == [31]
    result = parse(csv_bytes(padding + [[""], HEADER, GOOD]))
    assert [e.code for e in result.errors] == ["missing_column"] * 4


def test_duplicate_header_columns_use_the_first():
    result = parse(csv_bytes([HEADER + ["职工号", "单位"], GOOD + ["X9", "别处"]]))
    assert (result.rows[0].staff_no, result.rows[0].department) == ("T001", "文学院")


def test_errors_name_the_column_as_written():
    header = ["职工号（必填）", "姓 名", "所在部门", "岗位类型"]
    result = parse(csv_bytes([header, ["", "", "文学院", "专技岗"]]))
    assert result.errors == [
        RowError(2, "职工号（必填）", "required", {}),
        RowError(2, "姓 名", "required", {}),
        RowError(2, "岗位类型", "unknown_category", {"value": "专技岗"}),
    ]


HEADER_CASES = [(f, alias) for f, aliases in HEADER_ALIASES.items() for alias in aliases] + [
    ("staff_no", "工号（必填）"),
    ("staff_no", "Staff_No"),
    ("staff_no", "* 工号"),
    ("name", "ＮＡＭＥ"),
    ("department", "部门："),
    ("birth_date", "Date Of Birth"),
    ("category", "岗位 类别"),
    ("phone", "手机号码(选填)"),
    ("name", "姓名\n(必填)"),
    ("staff_no", "EMPLOYEE_ID"),
]
CANONICAL = {
    "staff_no": "工号",
    "name": "姓名",
    "department": "部门",
    "category": "岗位类别",
    "gender": "性别",
    "birth_date": "出生日期",
    "title": "职称",
    "phone": "手机",
}
VALUES = {
    "staff_no": "T001",
    "name": "张三",
    "department": "文学院",
    "category": "教学科研岗",
    "gender": "女",
    "birth_date": "1990-05-01",
    "title": "教授",
    "phone": "13912345678",
}
EXPECTED = {
    "staff_no": "T001",
    "name": "张三",
    "department": "文学院",
    "category": "teaching_research",
    "gender": "female",
    "birth_date": date(1990, 5, 1),
    "title": "教授",
    "phone": "13912345678",
}


@pytest.mark.parametrize(("field", "alias"), HEADER_CASES)
def test_header_aliases(field, alias):
    header = [alias if f == field else CANONICAL[f] for f in CANONICAL]
    result = parse(csv_bytes([header, list(VALUES.values())]))
    assert result.errors == []
    assert result.columns == set(CANONICAL)
    assert getattr(result.rows[0], field) == EXPECTED[field]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "prefix"),
    [
        ("utf-8", ",", b""),
        ("utf-8-sig", ",", b""),
        ("gb18030", ",", b""),
        ("gbk", "\t", b""),
        ("utf-16", "\t", b""),
        ("utf-8", ";", b""),
        ("utf-8", ";", b"sep=;\r\n"),
        ("gbk", "\t", b"sep=\t\n"),
    ],
)
def test_csv_encodings_and_separators(encoding, delimiter, prefix):
    data = prefix + csv_bytes(
        [HEADER + ["出生日期"], ["00123", "王　芳", "化学学院", "教辅", "1988/7/3"]], encoding, delimiter
    )
    result = parse(data)
    expected = RosterRow(2, "00123", "王芳", "化学学院", "other", None, date(1988, 7, 3), None, None)
    assert result.rows == [expected]


def test_lf_line_ends_and_quoted_multiline_cells():
    data = '工号,姓名,部门,岗位类别,职称\n1,"张三",文学院,教师,"副\n教授"\n2,李四,文学院,教师,\n'.encode()
    rows = parse(data).rows
    assert [(r.row, r.staff_no, r.title) for r in rows] == [(2, "1", "副教授"), (3, "2", None)]
