"""Paper score sheets: reading the filled-in Excel template of one round and checking every row of it.

The template (see ``services/paper_sheets.py``) has one worksheet per judge; each worksheet has a
header row with 评委账号, 组别, 出场序号 and one column per criterion of the round
("教学内容（满分30）"), then one row per entry the judge scores, in draw order. Any worksheet with such a
header is read, so several judges on one worksheet work too; worksheets without one (the 说明 sheet)
are skipped. A row whose criterion cells are all empty is a sheet not filled in yet and is skipped; any
other row is one submitted sheet, checked like the API checks a sheet (``scoring.check_sheet``) and
against the panel: the judge must score that entry (not recused, not off the panel), must not have
submitted it already, and must not appear twice for it in the file. Every problem is reported as a
``PaperProblem`` (worksheet, Excel row as the user sees it, column label as written in the file, code
and parameters); whether to write anything is the caller's decision.

Example: header ["评委账号", "组别", "出场序号", "目标（满分40）", "方法（满分60）"] on row 1 and
["wang", "文科组", 3, 35.5, 50] on row 2 give one sheet for (wang, entry 3 of 文科组) with the scores
{"<目标 id>": 35.5, "<方法 id>": 50}; [..., 41, 50] gives the problem (row 2, "目标（满分40）",
above_max).
"""

from __future__ import annotations

import datetime
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from .scoring import CriterionRule, check_sheet, to_score

MAX_BYTES = 10 * 1024 * 1024
UNPACKED_FACTOR = 20
HEADER_SCAN_ROWS = 30

JUDGE, GROUP, DRAW_NO = "judge", "group", "draw_no"
# The fixed columns as the template writes them, and the other labels accepted for them.
LABELS = {JUDGE: "评委账号", GROUP: "组别", DRAW_NO: "出场序号"}
ALIASES = {
    JUDGE: ("评委账号", "评委用户名", "账号", "用户名", "username", "judge"),
    GROUP: ("组别", "组", "分组", "group"),
    DRAW_NO: ("出场序号", "序号", "抽签号", "出场顺序", "drawno", "draw_no", "draw"),
}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_NOISE = re.compile(r"[\s_:*：]+")
_MAX_SUFFIX = re.compile(r"[(（](满分|max)[^)）]*[)）]$")
_DRAW_NO = re.compile(r"(\d{1,6})号?")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


class PaperFileError(Exception):
    """The file as a whole cannot be read: too_large, empty_file, not_spreadsheet."""

    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.params = params or {}


@dataclass(frozen=True)
class Criterion:
    id: int
    name: str
    max_tenths: int


@dataclass(frozen=True)
class PaperRules:
    """What the rows are checked against, as plain values.

    ``groups``: group name → id; ``entries``: (group id, draw number) → entry id; ``judges``: username
    in lower case → judge id; ``scorable``: the (judge id, entry id) pairs that owe a sheet;
    ``recused``: the pairs the judge is recused from; ``submitted``: the pairs whose sheet of this round
    is already submitted.
    """

    criteria: Sequence[Criterion]
    groups: Mapping[str, int]
    entries: Mapping[tuple[int, int], int]
    judges: Mapping[str, int]
    scorable: frozenset[tuple[int, int]]
    recused: frozenset[tuple[int, int]] = frozenset()
    submitted: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class PaperSheet:
    worksheet: str
    row: int
    judge_id: int
    entry_id: int
    scores: dict[str, object]  # criterion id as text → the value as read (checked)
    total_tenths: int

    @property
    def total(self):
        return to_score(self.total_tenths)


@dataclass(frozen=True)
class PaperProblem:
    """``row`` is the Excel row number (None for a problem of the whole file); ``column`` the label as written
    in the file (or the expected label of a missing column). Codes: no_template, missing_column, required,
    unknown_judge, unknown_group, bad_draw_no, unknown_entry, recused, not_assigned, duplicate,
    already_submitted, and the value codes of ``scoring.SheetProblem`` (not_a_number, negative, above_max,
    decimals, missing) with ``params["max"]``."""

    worksheet: str
    row: int | None
    column: str
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PaperParse:
    sheets: list[PaperSheet]
    problems: list[PaperProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading ------------------------------------------------------------------------------------------------


def read_workbook(data: bytes, *, max_bytes: int = MAX_BYTES) -> list[tuple[str, list[list[object]]]]:
    """Every worksheet of an Excel workbook (.xlsx or .xls, judged by content) as (name, rows of cells).

    Row ``i`` of a worksheet's cells is Excel row ``i + 1``. Raises PaperFileError.
    """
    if not data:
        raise PaperFileError("empty_file")
    if len(data) > max_bytes:
        raise PaperFileError("too_large", {"max_mb": max_bytes // (1024 * 1024)})
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except Exception as exc:  # BadZipFile, or an unknown zip version
            raise PaperFileError("not_spreadsheet") from exc
        if not {i.filename for i in infos} & {"xl/workbook.xml", "xl/workbook.bin"}:
            raise PaperFileError("not_spreadsheet")
        if sum(i.file_size for i in infos) > UNPACKED_FACTOR * max_bytes:
            raise PaperFileError("too_large", {"max_mb": max_bytes // (1024 * 1024)})
    elif not data.startswith(_OLE_MAGIC):
        raise PaperFileError("not_spreadsheet")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frames = pd.read_excel(
                io.BytesIO(data), sheet_name=None, engine="calamine", header=None, dtype=object
            )
    except BaseException as exc:  # calamine's errors, or a Rust panic (pyo3's PanicException)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise PaperFileError("not_spreadsheet") from exc
    book = [
        (str(name), [[None if _missing(v) else v for v in row] for row in frame.itertuples(index=False)])
        for name, frame in frames.items()
    ]
    if all(_blank(v) for _name, rows in book for row in rows for v in row):
        raise PaperFileError("empty_file")
    return book


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


# --- cells --------------------------------------------------------------------------------------------------


def text(value: object) -> str:
    """A cell as text: NFKC, invisible characters removed, stripped; a whole float without its ".0"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE).strip()


def _blank(value: object) -> bool:
    return text(value) == ""


def header_key(label: object) -> str:
    """A header label for comparison: ``header_key("教学内容 (满分30)") == "教学内容"``,
    ``header_key("出场 序号：") == "出场序号"``, ``header_key("Draw_No") == "drawno"``."""
    key = _NOISE.sub("", text(label)).lower()
    return _MAX_SUFFIX.sub("", key)


def criterion_label(name: str, max_score) -> str:
    """The template's header of a criterion column: ``criterion_label("目标", Decimal("40.0"))`` is
    "目标（满分40）", ``criterion_label("语言", Decimal("25.5"))`` is "语言（满分25.5）"."""
    plain = format(Decimal(str(max_score)).normalize(), "f")
    return f"{name}（满分{plain}）"


def draw_number(value: object) -> int | None:
    """A draw number as typed: 5, 5.0, "5", "05", "5号"; None for anything else (0, 2.5, "五")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    match = _DRAW_NO.fullmatch(text(value))
    number = int(match.group(1)) if match else 0
    return number or None


# --- the header ---------------------------------------------------------------------------------------------


def _find_header(rows: list[list[object]], criteria: Sequence[Criterion]):
    """(row index, column index by field or criterion id, label as written) of the first row that has both the
    judge and the draw-number columns; None when there is none."""
    fixed = {header_key(alias): f for f, aliases in ALIASES.items() for alias in aliases}
    by_name = {header_key(c.name): c.id for c in criteria}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[object, tuple[int, str]] = {}
        for j, cell in enumerate(row):
            key = header_key(cell)
            target = fixed.get(key, by_name.get(key))
            if key and target is not None and target not in columns:
                columns[target] = (j, str(cell).strip())
        if JUDGE in columns and DRAW_NO in columns:
            return index, columns
    return None


# --- checking -----------------------------------------------------------------------------------------------


def parse_paper_sheets(book: list[tuple[str, list[list[object]]]], rules: PaperRules) -> PaperParse:
    """Check every filled row of every worksheet with a header; see the module's docstring."""
    sheets: list[PaperSheet] = []
    problems: list[PaperProblem] = []
    seen: dict[tuple[int, int], tuple[str, int]] = {}
    found_header = False
    criteria = list(rules.criteria)
    groups = {header_key(name): group_id for name, group_id in rules.groups.items()}
    for name, rows in book:
        header = _find_header(rows, criteria)
        if header is None:
            continue
        found_header = True
        index, columns = header
        missing = [c for c in criteria if c.id not in columns]
        if GROUP not in columns and len(groups) > 1:
            problems.append(PaperProblem(name, index + 1, LABELS[GROUP], "missing_column"))
        for c in missing:
            label = criterion_label(c.name, to_score(c.max_tenths))
            problems.append(PaperProblem(name, index + 1, label, "missing_column"))
        if missing:
            continue
        for i in range(index + 1, len(rows)):
            row = rows[i]
            cells = {key: row[j] if j < len(row) else None for key, (j, _label) in columns.items()}
            if all(_blank(cells[c.id]) for c in criteria):
                continue
            sheet, found = _check_row(name, i + 1, cells, columns, rules, groups, seen)
            problems += found
            if sheet is not None:
                sheets.append(sheet)
    if not found_header:
        problems.append(PaperProblem("", None, "", "no_template"))
    return PaperParse(sheets, problems)


def _check_row(name, row_no, cells, columns, rules, groups, seen):
    """One filled row: its sheet (or None) and its problems."""
    problems: list[PaperProblem] = []

    def problem(key, code, **params):
        label = columns[key][1] if key in columns else LABELS[key]
        problems.append(PaperProblem(name, row_no, label, code, params))

    judge_id = entry_id = None
    username = text(cells[JUDGE])
    if not username:
        problem(JUDGE, "required")
    else:
        judge_id = rules.judges.get(username.lower())
        if judge_id is None:
            problem(JUDGE, "unknown_judge", value=username)
    group_name = text(cells.get(GROUP))
    group_id = None
    if group_name:
        group_id = groups.get(header_key(group_name))
        if group_id is None:
            problem(GROUP, "unknown_group", value=group_name)
    elif len(groups) == 1:
        group_id = next(iter(groups.values()))
    else:
        problem(GROUP, "required")
    raw_no = cells[DRAW_NO]
    draw_no = draw_number(raw_no)
    if _blank(raw_no):
        problem(DRAW_NO, "required")
    elif draw_no is None:
        problem(DRAW_NO, "bad_draw_no", value=text(raw_no))
    elif group_id is not None:
        entry_id = rules.entries.get((group_id, draw_no))
        if entry_id is None:
            problem(DRAW_NO, "unknown_entry", value=draw_no, group=group_name)
    if judge_id is not None and entry_id is not None:
        pair = (judge_id, entry_id)
        if pair in rules.recused:
            problem(DRAW_NO, "recused", value=draw_no, judge=username)
        elif pair not in rules.scorable:
            problem(DRAW_NO, "not_assigned", value=draw_no, judge=username)
        elif pair in rules.submitted:
            problem(DRAW_NO, "already_submitted", value=draw_no, judge=username)
        elif pair in seen:
            first_sheet, first_row = seen[pair]
            problem(DRAW_NO, "duplicate", value=draw_no, first_row=first_row, first_sheet=first_sheet)
        else:
            seen[pair] = (name, row_no)
    rubric = [CriterionRule(c.id, c.max_tenths) for c in rules.criteria]
    scores = {str(c.id): None if _blank(cells[c.id]) else cells[c.id] for c in rules.criteria}
    checked, found = check_sheet(rubric, scores, submit=True)
    for p in found:
        problem(int(p.criterion), p.code, max=p.max_score)
    if problems or checked is None:
        return None, problems
    return PaperSheet(name, row_no, judge_id, entry_id, scores, checked.total_tenths), []
