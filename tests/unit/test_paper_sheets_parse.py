"""The paper-sheet parser (domain.paper_sheets): every filled row checked, every problem located."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
import pytest

from competition.domain.paper_sheets import (
    Criterion,
    PaperFileError,
    PaperRules,
    criterion_label,
    draw_number,
    header_key,
    parse_paper_sheets,
    read_workbook,
)

HEADER = ["评委账号", "评委", "组别", "出场序号", "目标（满分40）", "方法（满分60）", "状态"]
# Judges wang (7) and li (8); 文科组 (1) has entries 101..103 drawn 1..3, 理科组 (2) has 201 drawn 1.
# li is recused from 101; wang sits on 文科组 only; wang's sheet for 103 is already submitted.
RULES = PaperRules(
    criteria=[Criterion(11, "目标", 400), Criterion(12, "方法", 600)],
    groups={"文科组": 1, "理科组": 2},
    entries={(1, 1): 101, (1, 2): 102, (1, 3): 103, (2, 1): 201},
    judges={"wang": 7, "li": 8},
    scorable=frozenset({(7, 101), (7, 102), (7, 103), (8, 102), (8, 103), (8, 201)}),
    recused=frozenset({(8, 101)}),
    submitted=frozenset({(7, 103)}),
)


def book(*rows, header=HEADER, name="王评委"):
    return [("说明", [["说明"], ["每位评委一张工作表"]]), (name, [list(header), *[list(r) for r in rows]])]


def problems(*rows, **kwargs):
    return [
        (p.worksheet, p.row, p.column, p.code)
        for p in parse_paper_sheets(book(*rows, **kwargs), RULES).problems
    ]


def test_a_filled_row_is_one_sheet_and_empty_rows_are_skipped():
    parsed = parse_paper_sheets(
        book(
            ["wang", "王", "文科组", 1, 35.5, 50, None],
            ["wang", "王", "文科组", 2, None, None, None],
            ["li", "李", "理科组", "1号", "38", 52.5, None],
            [None, None, None, None, None, None, None],
        ),
        RULES,
    )
    assert parsed.ok
    assert [(s.worksheet, s.row, s.judge_id, s.entry_id, s.total) for s in parsed.sheets] == [
        ("王评委", 2, 7, 101, Decimal("85.5")),
        ("王评委", 4, 8, 201, Decimal("90.5")),
    ]
    assert parsed.sheets[0].scores == {"11": 35.5, "12": 50}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["wang", "", "文科组", 1, 40.5, 50], [(2, "目标（满分40）", "above_max")]),
        (["wang", "", "文科组", 1, -1, 50], [(2, "目标（满分40）", "negative")]),
        (["wang", "", "文科组", 1, 8.25, 50], [(2, "目标（满分40）", "decimals")]),
        (["wang", "", "文科组", 1, "八", 50], [(2, "目标（满分40）", "not_a_number")]),
        (["wang", "", "文科组", 1, 30, None], [(2, "方法（满分60）", "missing")]),
        (["", "", "文科组", 1, 30, 50], [(2, "评委账号", "required")]),
        (["zhao", "", "文科组", 1, 30, 50], [(2, "评委账号", "unknown_judge")]),
        (["wang", "", "工科组", 1, 30, 50], [(2, "组别", "unknown_group")]),
        (["wang", "", "", 1, 30, 50], [(2, "组别", "required")]),
        (["wang", "", "文科组", "", 30, 50], [(2, "出场序号", "required")]),
        (["wang", "", "文科组", 2.5, 30, 50], [(2, "出场序号", "bad_draw_no")]),
        (["wang", "", "文科组", 9, 30, 50], [(2, "出场序号", "unknown_entry")]),
        (["li", "", "文科组", 1, 30, 50], [(2, "出场序号", "recused")]),
        (["wang", "", "理科组", 1, 30, 50], [(2, "出场序号", "not_assigned")]),
        (["wang", "", "文科组", 3, 30, 50], [(2, "出场序号", "already_submitted")]),
        (["WANG", "", " 文科组 ", "02", "30", "50.0"], []),
    ],
)
def test_each_problem_of_a_row_is_located_by_row_and_column(row, expected):
    assert problems([*row, None]) == [("王评委", r, column, code) for r, column, code in expected]


def test_every_problem_of_the_file_is_listed_and_nothing_is_returned_to_write():
    parsed = parse_paper_sheets(
        book(["wang", "", "文科组", 1, 30, 50, None], ["wang", "", "文科组", 2, 41, "x", None]), RULES
    )
    assert [(p.row, p.code) for p in parsed.problems] == [(3, "above_max"), (3, "not_a_number")]
    assert parsed.problems[0].params == {"max": Decimal("40.0")}
    assert not parsed.ok and [s.row for s in parsed.sheets] == [2]  # the caller writes nothing unless ok


def test_the_same_judge_and_entry_twice_is_a_duplicate_even_across_worksheets():
    first = ("甲", [HEADER, ["wang", "", "文科组", 1, 30, 50]])
    second = ("乙", [HEADER, ["wang", "", "文科组", 1, 31, 50]])
    parsed = parse_paper_sheets([first, second], RULES)
    (problem,) = parsed.problems
    assert (problem.worksheet, problem.row, problem.code) == ("乙", 2, "duplicate")
    assert problem.params["first_row"] == 2 and problem.params["first_sheet"] == "甲"


def test_the_header_is_found_below_title_rows_and_columns_may_move_or_be_renamed():
    rows = [
        ["2026年青年教师教学竞赛 纸质评分"],
        [],
        ["方法 (满分60)", "出场 序号", "账号", "分组", "目标"],
        [50, 1, "wang", "文科组", 35],
    ]
    parsed = parse_paper_sheets([("Sheet1", rows)], RULES)
    assert parsed.ok and [(s.row, s.entry_id, s.total) for s in parsed.sheets] == [(4, 101, Decimal("85.0"))]


def test_a_missing_criterion_column_or_no_template_at_all_is_a_problem_of_the_file():
    header = ["评委账号", "组别", "出场序号", "目标（满分40）"]
    assert problems(["wang", "文科组", 1, 30], header=header) == [
        ("王评委", 1, "方法（满分60）", "missing_column")
    ]
    parsed = parse_paper_sheets([("Sheet1", [["工号", "姓名"], ["001", "张三"]])], RULES)
    assert [(p.row, p.code) for p in parsed.problems] == [(None, "no_template")]


def test_with_one_group_the_group_column_may_be_left_out():
    rules = PaperRules(
        criteria=RULES.criteria,
        groups={"文科组": 1},
        entries={(1, 1): 101},
        judges={"wang": 7},
        scorable=frozenset({(7, 101)}),
    )
    rows = [["评委账号", "出场序号", "目标", "方法"], ["wang", 1, 40, 60]]
    assert [s.total for s in parse_paper_sheets([("x", rows)], rules).sheets] == [Decimal("100.0")]


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (5, 5),
        (5.0, 5),
        ("5", 5),
        ("05", 5),
        ("5号", 5),
        (" 12 ", 12),
        (0, None),
        (2.5, None),
        ("五", None),
        (True, None),
        (None, None),
        ("-3", None),
    ],
)
def test_draw_numbers_as_people_type_them(value, number):
    assert draw_number(value) == number


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("教学内容（满分30）", "教学内容"),
        ("教学内容 (满分30)", "教学内容"),
        ("出场 序号：", "出场序号"),
        ("Draw_No", "drawno"),
        ("语言(max 25.5)", "语言"),
    ],
)
def test_header_labels_are_compared_without_noise_or_their_maximum(label, key):
    assert header_key(label) == key


def test_criterion_labels_write_the_maximum_without_needless_zeros():
    assert criterion_label("目标", Decimal("40.0")) == "目标（满分40）"
    assert criterion_label("语言", Decimal("25.5")) == "语言（满分25.5）"


def _xlsx(frames: dict) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def test_a_workbook_is_read_sheet_by_sheet_with_excel_row_numbers():
    data = _xlsx(
        {
            "说明": pd.DataFrame({"说明": ["x"]}),
            "王": pd.DataFrame(
                [["wang", "文科组", 1, 35.5, 50]], columns=["评委账号", "组别", "出场序号", "目标", "方法"]
            ),
        }
    )
    workbook = read_workbook(data)
    assert [name for name, _rows in workbook] == ["说明", "王"]
    assert workbook[1][1][1] == ["wang", "文科组", 1, 35.5, 50]
    assert [s.row for s in parse_paper_sheets(workbook, RULES).sheets] == [2]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"%PDF-1.4", "not_spreadsheet"),
        (b"PK\x03\x04garbage", "not_spreadsheet"),
        (b"x" * 2048, "too_large"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(data, code):
    with pytest.raises(PaperFileError) as caught:
        read_workbook(data, max_bytes=1024)
    assert caught.value.code == code
