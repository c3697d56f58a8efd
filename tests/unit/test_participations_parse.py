"""Offline participation files (工号, 活动名称, 日期): reading, every error code, and arbitrary cells."""

import csv
import io
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competition.domain import roster
from competition.domain.participations import (
    EARLIEST_DATE,
    EVENT_MAX_LENGTH,
    MAX_BYTES,
    PARTICIPATION_ALIASES,
    ParticipationResult,
    ParticipationRow,
    RowError,
    parse_participation_date,
    parse_participations,
)

TODAY = date(2026, 11, 25)
HEADER = ["工号", "活动名称", "日期"]
ROSTER = {"T001": True, "T002": True, "00123": True, "T900": False}
CODES = {
    "too_large",
    "empty_file",
    "not_spreadsheet",
    "no_data",
    "missing_column",
    "required",
    "too_long",
    "bad_date",
    "impossible_date",
    "future_date",
    "implausible_date",
    "unknown_staff",
    "duplicate_in_file",
}


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row] for row in rows]
    )
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    """A one-sheet workbook written by pandas with xlsxwriter: str cells are text, dates are date cells."""
    width = max((len(row) for row in rows), default=0)
    padded = [list(row) + [None] * (width - len(row)) for row in rows]
    out = io.BytesIO()
    pd.DataFrame(padded, dtype=object).to_excel(out, engine="xlsxwriter", header=False, index=False)
    return out.getvalue()


FORMATS = {
    "xlsx": xlsx_bytes,
    "csv-utf8": lambda rows: csv_bytes(rows, "utf-8"),
    "csv-utf8-bom": lambda rows: csv_bytes(rows, "utf-8-sig"),
    "csv-gbk": lambda rows: csv_bytes(rows, "gbk"),
}


@pytest.fixture(params=sorted(FORMATS))
def make(request):
    return FORMATS[request.param]


def parse(data: bytes, filename: str = "p.csv", **kwargs) -> ParticipationResult:
    kwargs.setdefault("roster", ROSTER)
    return parse_participations(data, filename, today=TODAY, **kwargs)


def file_error(code: str, **params) -> list[RowError]:
    return [RowError(None, None, code, params)]


def errors_of(make, *rows) -> list[tuple]:
    result = parse(make([HEADER, *rows]))
    assert result.rows == []
    return [(e.row, e.column, e.code, e.params) for e in result.errors]


def test_row_error_is_the_rosters():
    assert RowError is roster.RowError


# --- valid files -------------------------------------------------------------------------------------------


def test_a_valid_file_with_title_rows_and_extra_columns(make):
    rows = [
        ["XX大学2026年教职工校外活动参与登记表"],
        ["填报单位：校工会", None, None, None, "填报日期：2026-11-20"],
        ["序号", "职工号", "姓名", "部门", "活动名称", "参加日期", "备注"],
        ["1", "T001", "张三", "文学院", "校运动会  教工组", "2026-04-18", "x"],
        [],
        ["2", "00123", "李四", "财务处", "读书月 征文", "2026年3月5日", None],
        ["3", "T002", "王五", "图书馆", "Staff Choir", "2026/9/1", None],
    ]
    result = parse(make(rows))
    assert result.ok and result.errors == []
    assert result.rows == [
        ParticipationRow(4, "T001", "校运动会教工组", date(2026, 4, 18)),
        ParticipationRow(6, "00123", "读书月征文", date(2026, 3, 5)),
        ParticipationRow(7, "T002", "Staff Choir", date(2026, 9, 1)),
    ]


def test_leading_zeros_are_kept(make):
    result = parse(make([HEADER, ["00123", "合唱比赛", "2026-05-04"]]))
    assert [r.staff_no for r in result.rows] == ["00123"]


def test_a_numeric_staff_number_cell_reads_as_digits():
    result = parse(xlsx_bytes([HEADER, [123, "合唱比赛", "2026-05-04"]]), roster={"123": True})
    assert [r.staff_no for r in result.rows] == ["123"]


def test_excel_text_formula_keeps_leading_zeros_in_csv():
    result = parse('工号,活动,日期\r\n="00123",x,2026-1-2\r\n'.encode())
    assert result.rows == [ParticipationRow(2, "00123", "x", date(2026, 1, 2))]


def test_date_cells_and_excel_serials_in_a_workbook():
    rows = [
        HEADER,
        ["T001", "a", datetime(2026, 3, 5)],
        ["T001", "b", datetime(2026, 3, 6, 14, 30)],
        ["T001", "c", date(2026, 3, 7)],
        ["T001", "d", 46089],  # Excel's serial for 2026-03-08
        ["T001", "e", 20260309],
    ]
    result = parse(xlsx_bytes(rows))
    assert result.errors == []
    assert [(r.event, r.date) for r in result.rows] == [
        ("a", date(2026, 3, 5)),
        ("b", date(2026, 3, 6)),
        ("c", date(2026, 3, 7)),
        ("d", date(2026, 3, 8)),
        ("e", date(2026, 3, 9)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-05",
        "2026/3/5",
        "2026.3.5",
        "2026年3月5日",
        "2026年3月5号",
        "20260305",
        " 2026-03-05 ",
        "２０２６-03-05",
    ],
)
def test_dates_written_as_text(make, text):
    result = parse(make([HEADER, ["T001", "活动", text]]))
    assert result.rows == [ParticipationRow(2, "T001", "活动", date(2026, 3, 5))]


@pytest.mark.parametrize(
    ("field", "label"), [(f, label) for f, labels in PARTICIPATION_ALIASES.items() for label in labels]
)
def test_every_header_alias_is_recognised(field, label):
    header = {"staff_no": "工号", "event": "活动名称", "date": "日期"}
    header[field] = label
    result = parse(csv_bytes([list(header.values()), ["T001", "活动", "2026-03-05"]]))
    assert result.errors == []
    assert result.rows == [ParticipationRow(2, "T001", "活动", date(2026, 3, 5))]


@pytest.mark.parametrize("label", ["教工号", "Staff No", "* 工号（必填）", "staff_no"])
def test_staff_number_headers_are_the_rosters(label):
    result = parse(csv_bytes([[label, "Event Name", "Event Date"], ["T001", "Run", "2026-03-05"]]))
    assert result.rows == [ParticipationRow(2, "T001", "Run", date(2026, 3, 5))]


def test_the_columns_may_come_in_any_order(make):
    result = parse(make([["日期", "姓名", "活动", "工号"], ["2026-06-01", "张三", "合唱", "T001"]]))
    assert result.rows == [ParticipationRow(2, "T001", "合唱", date(2026, 6, 1))]


def test_the_same_person_in_several_events_or_days_is_fine():
    rows = [
        HEADER,
        ["T001", "合唱", "2026-06-01"],
        ["T001", "合唱", "2026-06-02"],
        ["T001", "长跑", "2026-06-01"],
    ]
    assert len(parse(csv_bytes(rows)).rows) == 3


def test_the_roster_importer_is_unchanged_by_the_new_columns():
    # a participation file is not a roster: its header is not found with the roster's columns
    result = roster.parse_roster(csv_bytes([HEADER, ["T001", "a", "2026-01-01"]]), "r.csv", today=TODAY)
    assert {e.code for e in result.errors} == {"missing_column"}


# --- file-level problems -----------------------------------------------------------------------------------


def test_too_large():
    data = csv_bytes([HEADER, ["T001", "x" * 50, "2026-01-01"]])
    assert parse(data, max_bytes=len(data) - 1).errors[0].code == "too_large"
    assert parse(b"x" * (MAX_BYTES + 1)).errors == file_error("too_large", max_mb=10)
    assert parse(data, max_bytes=len(data)).ok


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf", b",,,\r\n,,\r\n"])
def test_empty_file(data):
    assert parse(data).errors == file_error("empty_file")


def test_empty_workbook():
    assert parse(xlsx_bytes([[None, None]])).errors == file_error("empty_file")


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 not a table", b"\x89PNG\r\n\x1a\n....", b"PK\x03\x04 broken zip", b"\x00\x01\x02\x03" * 100],
)
def test_not_spreadsheet(data):
    assert parse(data, "p.xlsx").errors == file_error("not_spreadsheet")


def test_no_data(make):
    assert parse(make([["活动登记表"], HEADER])).errors == file_error("no_data")
    assert parse(make([HEADER, [None, None, None], ["", " ", ""]])).errors == file_error("no_data")


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["活动名称", "日期"], ["工号"]),
        (["工号", "日期", "姓名"], ["活动名称"]),
        (["工号", "活动名称", "部门"], ["日期"]),
        (["姓名", "部门", "岗位类别"], ["工号", "活动名称", "日期"]),
        (["工号", "姓名", "部门", "岗位类别"], ["活动名称", "日期"]),
    ],
)
def test_missing_column(make, header, missing):
    result = parse(make([header, ["T001", "x", "2026-01-01", "y"]]))
    assert result.rows == []
    assert result.errors == [RowError(None, label, "missing_column", {}) for label in missing]


# --- row problems ------------------------------------------------------------------------------------------


def test_required(make):
    assert errors_of(make, [None, "合唱", "2026-06-01"]) == [(2, "工号", "required", {})]
    assert errors_of(make, ["T001", " ", "2026-06-01"]) == [(2, "活动名称", "required", {})]
    assert errors_of(make, ["T001", "合唱", None]) == [(2, "日期", "required", {})]
    assert errors_of(make, ["T001", None, None], ["", "x", ""]) == [
        (2, "活动名称", "required", {}),
        (2, "日期", "required", {}),
        (3, "工号", "required", {}),
        (3, "日期", "required", {}),
    ]


def test_too_long_event(make):
    ok = "赛" * EVENT_MAX_LENGTH
    assert parse(make([HEADER, ["T001", ok, "2026-06-01"]])).rows[0].event == ok
    assert errors_of(make, ["T001", ok + "x", "2026-06-01"]) == [(2, "活动名称", "too_long", {"max": 200})]


@pytest.mark.parametrize(
    "text",
    ["下周", "2026", "2026.03", "2026-03", "2026/3", "2026年3月", "202603", "3/5/2026", "2026-03-05-01"],
)
def test_bad_date(make, text):
    assert errors_of(make, ["T001", "合唱", text]) == [(2, "日期", "bad_date", {"value": text})]


@pytest.mark.parametrize("number", [2026.03, 2026.1, 2026.12])
def test_a_year_and_month_typed_as_a_number_is_a_bad_date(number):
    errors = errors_of(xlsx_bytes, ["T001", "合唱", number])
    assert [(e[0], e[1], e[2]) for e in errors] == [(2, "日期", "bad_date")]


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026年4月31日", "20260230", "2026.0.5"])
def test_impossible_date(make, text):
    assert errors_of(make, ["T001", "合唱", text]) == [(2, "日期", "impossible_date", {"value": text})]


def test_future_date(make):
    assert parse(make([HEADER, ["T001", "合唱", "2026-11-25"]])).ok  # today is fine
    assert errors_of(make, ["T001", "合唱", "2026-11-26"]) == [
        (2, "日期", "future_date", {"value": "2026-11-26"})
    ]


def test_future_date_cell():
    assert errors_of(xlsx_bytes, ["T001", "合唱", datetime(2027, 1, 1)]) == [
        (2, "日期", "future_date", {"value": "2027-01-01"})
    ]


def test_implausible_date(make):
    assert parse(make([HEADER, ["T001", "合唱", "2000-01-01"]])).ok
    assert errors_of(make, ["T001", "合唱", "1999-12-31"]) == [
        (2, "日期", "implausible_date", {"value": "1999-12-31", "earliest": "2000-01-01"})
    ]


@pytest.mark.parametrize("staff_no", ["T404", "T900", "t001", "0123"])
def test_unknown_staff_absent_or_inactive(make, staff_no):
    assert errors_of(make, [staff_no, "合唱", "2026-06-01"]) == [
        (2, "工号", "unknown_staff", {"value": staff_no})
    ]


def test_unknown_staff_with_an_empty_roster(make):
    result = parse(make([HEADER, ["T001", "合唱", "2026-06-01"]]), roster={})
    assert [e.code for e in result.errors] == ["unknown_staff"]


def test_duplicate_in_file(make):
    rows = [
        ["T001", "合唱 比赛", "2026-06-01"],
        ["T002", "合唱比赛", "2026-06-01"],
        ["T001", "合唱比赛", "2026/6/1"],
        ["T001", "合唱比赛", "2026年6月1日"],
    ]
    assert errors_of(make, *rows) == [
        (4, "工号", "duplicate_in_file", {"first_row": 2}),
        (5, "工号", "duplicate_in_file", {"first_row": 2}),
    ]


def test_every_problem_is_reported_in_row_then_column_order(make):
    rows = [
        ["活动登记"],
        ["日期", "活动", "工号"],
        ["2026-02-30", "", "T404"],
        ["2026-06-01", "合唱", "T001"],
        ["1999-01-01", "x" * 201, "T900"],
        ["2026-06-01", "合唱", "T001"],
    ]
    result = parse(make(rows))
    assert result.rows == []
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "日期", "impossible_date"),
        (3, "活动", "required"),
        (3, "工号", "unknown_staff"),
        (5, "日期", "implausible_date"),
        (5, "活动", "too_long"),
        (5, "工号", "unknown_staff"),
        (6, "工号", "duplicate_in_file"),
    ]


def test_one_bad_row_empties_the_rows():
    rows = [HEADER, ["T001", "合唱", "2026-06-01"], ["T404", "合唱", "2026-06-01"]]
    result = parse(csv_bytes(rows))
    assert not result.ok and result.rows == []


# --- the date reader on its own ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        (" \u3000", (None, None)),
        (datetime(2026, 3, 5, 8), (date(2026, 3, 5), None)),
        (date(2026, 3, 5), (date(2026, 3, 5), None)),
        ("2026-03-05 08:30", (date(2026, 3, 5), None)),
        (20260305, (date(2026, 3, 5), None)),
        (46086, (date(2026, 3, 5), None)),
        (46086.5, (date(2026, 3, 5), None)),
        (2026, (None, "bad_date")),
        (2026.03, (None, "bad_date")),
        ("2026.03", (None, "bad_date")),
        (202603, (None, "bad_date")),
        (True, (None, "bad_date")),
        (float("nan"), (None, None)),
        (float("inf"), (None, "bad_date")),
        (-5, (None, "bad_date")),
        (EARLIEST_DATE, (EARLIEST_DATE, None)),
        (TODAY, (TODAY, None)),
    ],
)
def test_parse_participation_date(value, expected):
    assert parse_participation_date(value, TODAY) == expected


# --- properties --------------------------------------------------------------------------------------------


def check_shape(result: ParticipationResult) -> None:
    assert bool(result.rows) != bool(result.errors)
    assert result.ok == (not result.errors)
    assert {e.code for e in result.errors} <= CODES
    assert all(e.row is None or e.row >= 1 for e in result.errors)
    assert all(isinstance(e.params, dict) for e in result.errors)


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["T001", "00123", "T900", "2026-03-05", "2026.03", "合唱", "2026年2月30日", "46086"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=6), max_size=8), st.sampled_from(["utf-8", "gb18030"]))
def test_arbitrary_cell_text_in_a_csv_never_raises(body, encoding):
    check_shape(parse(csv_bytes([HEADER, *body], encoding)))
    check_shape(parse(csv_bytes(body, encoding)))


XLSX_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                XLSX_TEXT, st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False)
            ),
            max_size=5,
        ),
        max_size=6,
    )
)
def test_arbitrary_cells_in_a_workbook_never_raise(body):
    check_shape(parse(xlsx_bytes([HEADER, *body])))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]),
    st.binary(max_size=200),
)
def test_arbitrary_bytes_never_raise(prefix, body):
    check_shape(parse(prefix + body, "p.xlsx"))


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
SHOWN = {
    "iso": lambda d: d.isoformat(),
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dot": lambda d: f"{d.year}.{d.month}.{d.day}",
    "cn": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "compact": lambda d: d.strftime("%Y%m%d"),
}


@st.composite
def participations(draw):
    staff_no = draw(st.sampled_from(sorted(no for no, active in ROSTER.items() if active)))
    event = draw(st.text(CJK, min_size=1, max_size=20))
    day = draw(st.dates(EARLIEST_DATE, TODAY))
    shown = SHOWN[draw(st.sampled_from(sorted(SHOWN)))](day)
    return [staff_no, event, shown], (staff_no, event, day)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(participations(), min_size=1, max_size=10, unique_by=lambda p: p[1]),
    st.sampled_from(sorted(FORMATS)),
)
def test_valid_files_round_trip(items, fmt):
    rows = [["登记表"], ["序号", "姓名", *HEADER]] + [
        [str(i + 1), "某人", *cells] for i, (cells, _) in enumerate(items)
    ]
    result = parse(FORMATS[fmt](rows))
    assert result.errors == []
    assert result.rows == [ParticipationRow(3 + i, *expected) for i, (_, expected) in enumerate(items)]
