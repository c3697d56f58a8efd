"""Generated rosters: parsing never raises, and valid rosters read back exactly from CSV and xlsx."""

import csv
import io
from datetime import date, datetime

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competition.domain.roster import CATEGORY_ALIASES, RosterRow, parse_roster

TODAY = date(2026, 11, 25)
HEADER = ["序号", "工号", "姓名", "部门", "岗位类别", "性别", "出生日期", "职称", "手机"]
CODES = {
    "too_large",
    "empty_file",
    "not_spreadsheet",
    "no_data",
    "missing_column",
    "required",
    "duplicate_in_file",
    "unknown_category",
    "bad_date",
    "impossible_date",
    "future_date",
    "implausible_date",
    "bad_gender",
    "bad_phone",
    "too_long",
}
MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-", b"\xef\xbb\xbf", b"\xff\xfe"]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def check_shape(result) -> None:
    assert bool(result.rows) != bool(result.errors)
    assert result.ok == (not result.errors)
    assert {e.code for e in result.errors} <= CODES
    assert all(e.row is None or e.row >= 2 for e in result.errors)


# (1) arbitrary cells never make the parser raise ---------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=10), max_size=8), st.booleans())
def test_arbitrary_text_cells_never_raise(body, gbk):
    encoding = "gb18030" if gbk else "utf-8"
    check_shape(parse_roster(csv_bytes([HEADER] + body, encoding), "r.csv", today=TODAY))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(MAGIC), st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(prefix, body):
    check_shape(parse_roster(prefix + body, "r.xlsx", today=TODAY))


# (2) valid rosters round-trip ----------------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
LABELS = [(label, c) for c, labels in CATEGORY_ALIASES.items() for label in labels]
DATE_FORMATS = {
    "iso": lambda d: (d.isoformat(), d),
    "slash": lambda d: (f"{d.year}/{d.month}/{d.day}", d),
    "dot": lambda d: (f"{d.year}.{d.month}.{d.day}", d),
    "cn": lambda d: (f"{d.year}年{d.month}月{d.day}日", d),
    "compact": lambda d: (d.strftime("%Y%m%d"), d),
    "month": lambda d: (f"{d.year}.{d.month:02d}", d.replace(day=1)),
    "month_cn": lambda d: (f"{d.year}年{d.month}月", d.replace(day=1)),
    "cell": lambda d: (datetime(d.year, d.month, d.day), d),
    "blank": lambda d: ("", None),
}


@st.composite
def people(draw):
    staff_no = draw(st.from_regex(r"0{1,3}[0-9]{1,6}|[A-Z]{1,2}[0-9]{2,8}", fullmatch=True))
    chars = draw(st.text(CJK, min_size=2, max_size=4))
    pad = draw(st.sampled_from(["", " ", "\u3000", "\u00a0"]))
    gap = draw(st.sampled_from(["", " ", "\u3000"]))
    department = draw(st.sampled_from(["文学院", "化学学院", "后勤管理处", "School of Law", "图书馆"]))
    label, category = draw(st.sampled_from(LABELS))
    gender_label, gender = draw(
        st.sampled_from([("男", "male"), ("女", "female"), ("", None), ("F", "female")])
    )
    shown, birth = DATE_FORMATS[draw(st.sampled_from(sorted(DATE_FORMATS)))](
        draw(st.dates(date(1920, 1, 1), TODAY))
    )
    title = draw(st.sampled_from(["教授", "讲师", "", "副教授"]))
    phone = draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True) | st.just(""))
    name = pad + chars[0] + gap + chars[1:] + pad
    cells = [staff_no, name, department, label, gender_label, shown, title, phone]
    expected = RosterRow(
        0, staff_no, chars, department, category, gender, birth, title or None, phone or None
    )
    return cells, expected


ROSTERS = st.lists(people(), min_size=1, max_size=12, unique_by=lambda p: p[1].staff_no)


def expected_rows(roster, first_row):
    return [RosterRow(first_row + i, *list(vars(e).values())[1:]) for i, (_, e) in enumerate(roster)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROSTERS, st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_valid_rosters_round_trip_through_csv(roster, encoding):
    rows = [HEADER] + [
        [str(i + 1)] + [c.isoformat()[:10] if isinstance(c, datetime) else c for c in cells]
        for i, (cells, _) in enumerate(roster)
    ]
    result = parse_roster(csv_bytes(rows, encoding), "r.csv", today=TODAY)
    assert result.errors == []
    assert result.rows == expected_rows(roster, 2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROSTERS)
def test_valid_rosters_round_trip_through_xlsx(roster):
    rows = [["2026年教职工名册"], [], HEADER] + [[i + 1] + cells for i, (cells, _) in enumerate(roster)]
    result = parse_roster(xlsx_bytes(rows), "r.xlsx", today=TODAY)
    assert result.errors == []
    assert result.rows == expected_rows(roster, 4)
