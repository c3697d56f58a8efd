"""Roster cell values: dates, genders, phones and names, read from CSV text and from typed Excel cells."""

import csv
import io
from datetime import date, datetime, time

import pytest
import xlsxwriter

from competition.domain.roster import (
    CATEGORY_ALIASES,
    RowError,
    category_of,
    clean_name,
    gender_of,
    parse_date_value,
    parse_roster,
)

TODAY = date(2026, 11, 25)
HEADER = ["工号", "姓名", "部门", "岗位类别"]
GOOD = ["T001", "张三", "文学院", "教学科研岗"]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    formats = {
        datetime: book.add_format({"num_format": "yyyy-mm-dd"}),
        time: book.add_format({"num_format": "hh:mm"}),
    }
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime | time):
                sheet.write_datetime(r, c, value, formats[type(value)])
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def parse_one(column: str, value, *, xlsx: bool = False):
    rows = [HEADER + [column], GOOD + [value]]
    data = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    return parse_roster(data, "roster", today=TODAY)


def only_value(column: str, field: str, value, *, xlsx: bool = False):
    result = parse_one(column, value, xlsx=xlsx)
    assert result.errors == []
    return getattr(result.rows[0], field)


# --- dates -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-01", date(1990, 5, 1)),
        ("1990/5/1", date(1990, 5, 1)),
        ("1990.5.1", date(1990, 5, 1)),
        ("1990年5月1日", date(1990, 5, 1)),
        ("1990年05月01日", date(1990, 5, 1)),
        ("19900501", date(1990, 5, 1)),
        ("1990.05", date(1990, 5, 1)),
        ("1990.5", date(1990, 5, 1)),
        ("1990.1", date(1990, 1, 1)),
        ("1990.10", date(1990, 10, 1)),
        ("1990-05", date(1990, 5, 1)),
        ("1990/05", date(1990, 5, 1)),
        ("1990年5月", date(1990, 5, 1)),
        ("199005", date(1990, 5, 1)),
        ("32874", date(1990, 1, 1)),
        ("32874.0", date(1990, 1, 1)),
        ("1990-05-01 00:00:00", date(1990, 5, 1)),
        ("１９９０－０５－０１", date(1990, 5, 1)),
        (" 1990-05-01\u3000", date(1990, 5, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("1920-01-01", date(1920, 1, 1)),
        ("2026-11-25", TODAY),
        ("", None),
        ("  ", None),
    ],
)
def test_valid_date_texts(text, expected):
    assert only_value("出生日期", "birth_date", text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1993-02-30", "impossible_date"),
        ("1990-13-01", "impossible_date"),
        ("1990.13", "impossible_date"),
        ("1990-00-10", "impossible_date"),
        ("19901301", "impossible_date"),
        ("2023-02-29", "impossible_date"),
        ("1990年2月31日", "impossible_date"),
        ("1990-05-00", "impossible_date"),
        ("abc", "bad_date"),
        ("1990", "bad_date"),
        ("90-05-01", "bad_date"),
        ("1990/05-01", "bad_date"),
        ("1990-05-01-02", "bad_date"),
        ("明年", "bad_date"),
        ("1990年", "bad_date"),
        ("-5", "bad_date"),
        ("2026-11-26", "future_date"),
        ("2031-01-01", "future_date"),
        ("2027.01", "future_date"),
        ("1919-12-31", "implausible_date"),
        ("1800-01-01", "implausible_date"),
        ("1", "implausible_date"),
    ],
)
def test_bad_date_texts(text, code):
    assert parse_one("出生日期", text).errors == [RowError(2, "出生日期", code, {"value": text.strip()})]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(1983, 2, 18), date(1983, 2, 18)),
        (datetime(1983, 2, 18, 13, 30), date(1983, 2, 18)),
        (32874, date(1990, 1, 1)),
        (32874.75, date(1990, 1, 1)),
        (1990.05, date(1990, 5, 1)),
        (1990.5, date(1990, 5, 1)),
        (1990.12, date(1990, 12, 1)),
        (19900501, date(1990, 5, 1)),
        (199005, date(1990, 5, 1)),
        ("1990.05", date(1990, 5, 1)),
    ],
)
def test_excel_date_cells_and_numbers(cell, expected):
    assert only_value("出生日期", "birth_date", cell, xlsx=True) == expected


@pytest.mark.parametrize(
    ("cell", "code", "shown"),
    [
        (1990.1, "bad_date", "1990.1"),  # January, or 1990.10 with its zero dropped: ambiguous
        (datetime(2030, 1, 1), "future_date", "2030-01-01"),
        (datetime(1900, 3, 1), "implausible_date", "1900-03-01"),
        (True, "bad_date", "TRUE"),
        (1990, "bad_date", "1990"),
        (1990.13, "impossible_date", "1990.13"),
        (99999999, "impossible_date", "99999999"),
        (-3, "bad_date", "-3"),
    ],
)
def test_bad_excel_date_cells(cell, code, shown):
    assert parse_one("出生日期", cell, xlsx=True).errors == [RowError(2, "出生日期", code, {"value": shown})]


def test_parse_date_value_directly():
    assert parse_date_value("1990.05", TODAY) == (date(1990, 5, 1), None)
    assert parse_date_value(None, TODAY) == (None, None)
    assert parse_date_value(time(12, 0), TODAY) == (None, "bad_date")
    assert parse_date_value(3_000_000, TODAY) == (None, "bad_date")
    assert parse_date_value(float("nan"), TODAY) == (None, None)
    assert parse_date_value(date(2026, 11, 26), TODAY) == (None, "future_date")


# --- genders, phones, names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("男", "male"),
        ("男性", "male"),
        ("m", "male"),
        ("M", "male"),
        ("Male", "male"),
        ("Ｍ", "male"),
        ("女", "female"),
        ("女性", "female"),
        ("f", "female"),
        ("FEMALE", "female"),
        (" 女 ", "female"),
        ("", None),
    ],
)
def test_genders(text, expected):
    assert only_value("性别", "gender", text) == expected
    assert gender_of(text) == expected


@pytest.mark.parametrize("text", ["未知", "x", "男女", "1", "man"])
def test_bad_genders(text):
    assert parse_one("性别", text).errors == [RowError(2, "性别", "bad_gender", {"value": text})]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13912345678", "13912345678"),
        ("+86 139 1234 5678", "+86 139 1234 5678"),
        ("(0531) 8888-8888", "(0531) 8888-8888"),
        ("010-12345678", "010-12345678"),
        ("12345", "12345"),
        ("1" * 20, "1" * 20),
        ("+86\u3000139  1234", "+86 139 1234"),
        ("１３９１２３４５６７８", "13912345678"),
        ("", None),
    ],
)
def test_phones(text, expected):
    assert only_value("手机", "phone", text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1234",
        "1" * 21,
        "139-abc-5678",
        "phone",
        "13912345678 ext 1",
        "+86 (0531) 8888-8888 0",
        "139/1234/5678",
    ],
)
def test_bad_phones(text):
    assert parse_one("手机", text).errors == [RowError(2, "手机", "bad_phone", {"value": text})]


def test_numeric_phone_cell():
    assert only_value("手机", "phone", 13912345678, xlsx=True) == "13912345678"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张 三", "张三"),
        ("王　芳", "王芳"),
        (" 吴\u3000志强 ", "吴志强"),
        ("\u00a0李四\u00a0", "李四"),
        ("John  Smith", "John Smith"),
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("张\u200b三", "张三"),
        ("李 John", "李 John"),
        ("欧阳 \t 娜娜", "欧阳娜娜"),
        ("Mary\u00a0 Ann Lee", "Mary Ann Lee"),
    ],
)
def test_names_with_spaces(text, expected):
    result = parse_roster(csv_bytes([HEADER, ["T1", text, "文学院", "教师"]]), "r.csv", today=TODAY)
    assert [r.name for r in result.rows] == [expected]
    assert clean_name(text) == expected


def test_departments_and_titles_are_tidied_like_names():
    rows = [HEADER + ["职称"], ["T1", "张三", " 化学 学院 ", "教师", "副 教授"]]
    result = parse_roster(csv_bytes(rows), "r.csv", today=TODAY)
    assert [(r.department, r.title) for r in result.rows] == [("化学学院", "副教授")]


def test_blank_name_is_required():
    result = parse_roster(csv_bytes([HEADER, ["T1", "\u3000 ", "文学院", "教师"]]), "r.csv", today=TODAY)
    assert result.errors == [RowError(2, "姓名", "required", {})]


def test_category_of_directly():
    assert category_of("专任教师") == "teaching_research"
    assert category_of("工勤技能岗") == "admin_logistics"
    assert category_of("教辅") == "other"
    assert category_of("专技岗") is None
    assert category_of(None) is None


# --- value tables ----------------------------------------------------------------------------------------

CATEGORY_CASES = [(label, c) for c, labels in CATEGORY_ALIASES.items() for label in labels] + [
    (" 教辅岗 ", "other"),
    ("ＡＤＭＩＮ", "admin_logistics"),
    ("Teaching Research", "teaching_research"),
    ("TEACHING-RESEARCH", "teaching_research"),
    ("其 他", "other"),
]


@pytest.mark.parametrize(("label", "category"), CATEGORY_CASES)
def test_category_aliases(label, category):
    result = parse_roster(csv_bytes([HEADER, GOOD[:3] + [label]]), "r.csv", today=TODAY)
    assert [r.category for r in result.rows] == [category]


@pytest.mark.parametrize("label", ["宇航员", "专技岗", "teacher", "教学科研岗位", "学生", "0"])
def test_unknown_categories(label):
    assert parse_roster(csv_bytes([HEADER, GOOD[:3] + [label]]), "r.csv", today=TODAY).errors == [
        RowError(2, "岗位类别", "unknown_category", {"value": label})
    ]
