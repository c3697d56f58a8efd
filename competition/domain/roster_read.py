"""Reading a roster file (xlsx, xls or CSV) into a grid of cells and finding its header row.

The roster's columns are the defaults; another import (offline participations) passes its own ``aliases`` and
``required`` fields to ``read_table`` and ``find_header`` and gets the same reading and header detection.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

REQUIRED_FIELDS = ("staff_no", "name", "department", "category")
OPTIONAL_FIELDS = ("gender", "birth_date", "title", "phone")

# The canonical Chinese column names (used for a missing column and in templates).
FIELD_LABELS = {
    "staff_no": "工号",
    "name": "姓名",
    "department": "部门",
    "category": "岗位类别",
    "gender": "性别",
    "birth_date": "出生日期",
    "title": "职称",
    "phone": "手机",
}

# Header labels recognised for each field, compared after header_key() (NFKC, lower case, no spaces,
# underscores, colons or asterisks, no trailing "(必填)"/"(选填)").
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_no": (
        "工号",
        "职工号",
        "教工号",
        "员工号",
        "人员编号",
        "工作证号",
        "职工编号",
        "staff_no",
        "staffno",
        "staff id",
        "employee id",
        "employee no",
        "id",
    ),
    "name": ("姓名", "名字", "职工姓名", "教职工姓名", "name", "full name"),
    "department": (
        "部门",
        "所在部门",
        "单位",
        "所在单位",
        "院系",
        "所在院系",
        "学院",
        "部门名称",
        "二级单位",
        "department",
        "dept",
        "unit",
    ),
    "category": (
        "岗位类别",
        "岗位类型",
        "岗位",
        "类别",
        "人员类别",
        "岗位性质",
        "category",
        "post category",
        "post",
    ),
    "gender": ("性别", "gender", "sex"),
    "birth_date": (
        "出生日期",
        "出生年月",
        "出生年月日",
        "生日",
        "birth_date",
        "birthdate",
        "date of birth",
        "dob",
        "birthday",
    ),
    "title": ("职称", "专业技术职务", "职务职称", "title"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "phone", "mobile", "telephone"),
}

HEADER_SCAN_ROWS = 30
# A workbook is a zip: refuse one that would unpack to more than this many times the upload limit.
UNPACKED_FACTOR = 20

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Formats that are never a spreadsheet, whatever the file is called.
_FOREIGN_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_HEADER_NOISE = re.compile(r"[\s_:*]+")
_HEADER_SUFFIX = re.compile(r"\((必填|选填)\)$")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_EXCEL_TEXT = re.compile(r'="(.*)"', re.DOTALL)  # ="00123", how some exports keep leading zeros in a CSV


class RosterFileError(Exception):
    """A problem with the file as a whole (code and message parameters as in ``RowError``)."""

    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.params = params or {}


@dataclass(frozen=True)
class Table:
    """The cells of the first sheet and where the header is.

    ``header_index`` is the 0-based index of the header row in ``cells`` (None when no row has at least two
    required columns); ``columns`` maps each recognised field to (column index, label as written).
    """

    cells: list[list[object]]
    header_index: int | None
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    required: tuple[str, ...] = REQUIRED_FIELDS

    @property
    def missing(self) -> list[str]:
        return [f for f in self.required if f not in self.columns]


def header_key(label: object) -> str:
    """Normalise a header label for comparison with the aliases.

    NFKC, lower case, spaces/underscores/colons/asterisks removed, a trailing "(必填)" dropped:
    ``header_key("* 职工号（必填）") == "职工号"``, ``header_key("Staff_No") == "staffno"``.
    """
    text = unicodedata.normalize("NFKC", str(label)).lower()
    text = _HEADER_NOISE.sub("", text)
    return _HEADER_SUFFIX.sub("", text)


Aliases = Mapping[str, Sequence[str]]


def _header_lookup(aliases: Aliases) -> dict[str, str]:
    return {header_key(alias): f for f, labels in aliases.items() for alias in labels}


_HEADER_LOOKUP = _header_lookup(HEADER_ALIASES)


def _lookup_for(aliases: Aliases) -> dict[str, str]:
    return _HEADER_LOOKUP if aliases is HEADER_ALIASES else _header_lookup(aliases)


def field_for_header(label: object, aliases: Aliases = HEADER_ALIASES) -> str | None:
    """The field a header label stands for, or None: ``field_for_header("所在部门") == "department"``."""
    return _field_for(label, _lookup_for(aliases))


def _field_for(label: object, lookup: Mapping[str, str]) -> str | None:
    if label is None or not isinstance(label, str):
        return None
    return lookup.get(header_key(label))


def find_header(
    cells: list[list[object]],
    *,
    aliases: Aliases = HEADER_ALIASES,
    required: Sequence[str] = REQUIRED_FIELDS,
) -> tuple[int | None, dict[str, tuple[int, str]]]:
    """Find the header among the first 30 rows: the row with the most recognised required columns.

    Ties go to the first such row, and at least two required columns are needed; title rows above it
    ("XX大学教职工名册", "填报单位：…") are thereby skipped. Two columns for one field: the first wins.
    Example: rows ["名册"], ["序号", "职工号", "姓名", "所在部门", "岗位类型"] give index 1 and
    {"staff_no": (1, "职工号"), "name": (2, "姓名"), ...}. Without a header the best partial match is returned
    with index None, so the caller can say which columns are missing. ``aliases`` and ``required`` default
    to the roster's (HEADER_ALIASES, REQUIRED_FIELDS).
    """
    lookup = _lookup_for(aliases)
    best_index: int | None = None
    best_columns: dict[str, tuple[int, str]] = {}
    best_count = 0
    for i, row in enumerate(cells[:HEADER_SCAN_ROWS]):
        columns: dict[str, tuple[int, str]] = {}
        for j, value in enumerate(row):
            f = _field_for(value, lookup)
            if f is not None and f not in columns:
                columns[f] = (j, str(value).strip())
        count = sum(f in columns for f in required)
        if count > best_count:
            best_index, best_columns, best_count = i, columns, count
    return (best_index if best_count >= 2 else None), best_columns


def read_table(
    data: bytes,
    *,
    max_bytes: int,
    aliases: Aliases = HEADER_ALIASES,
    required: Sequence[str] = REQUIRED_FIELDS,
) -> Table:
    """Read the first sheet of a workbook, or a CSV, judged by content (never by the file name).

    Raises RosterFileError: too_large, empty_file, not_spreadsheet (a PDF or PNG renamed .xlsx, a zip that is
    not a workbook, binary data) or empty_file when no cell has a value. A CSV may be UTF-8 (with or without
    BOM), GB18030/GBK or UTF-16 with BOM, separated by commas, tabs or semicolons. The header is found with
    ``aliases`` and ``required`` (the roster's by default), see find_header.
    """
    required = tuple(required)
    if len(data) > max_bytes:
        raise RosterFileError("too_large", {"max_mb": _megabytes(max_bytes)})
    if not data:
        raise RosterFileError("empty_file")
    if data.startswith(_ZIP_MAGIC):
        _check_workbook_zip(data, max_bytes)
        table = _from_cells(_read_excel(data), aliases, required)
    elif data.startswith(_OLE_MAGIC):
        table = _from_cells(_read_excel(data), aliases, required)
    elif data.startswith(_FOREIGN_MAGIC):
        raise RosterFileError("not_spreadsheet")
    else:
        table = _read_csv(_decode(data), aliases, required)
    if all(_blank(v) for row in table.cells for v in row):
        raise RosterFileError("empty_file")
    return table


def _megabytes(n: int) -> int | float:
    mb = n / (1024 * 1024)
    return int(mb) if mb.is_integer() else round(mb, 1)


def _check_workbook_zip(data: bytes, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # BadZipFile, or NotImplementedError for an unknown zip version
        raise RosterFileError("not_spreadsheet") from exc
    names = {info.filename for info in infos}
    if not names & {"xl/workbook.xml", "xl/workbook.bin"}:
        raise RosterFileError("not_spreadsheet")
    if sum(info.file_size for info in infos) > UNPACKED_FACTOR * max_bytes:
        raise RosterFileError("too_large", {"max_mb": _megabytes(max_bytes)})


def _read_excel(data: bytes) -> list[list[object]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.read_excel(
                io.BytesIO(data), sheet_name=0, engine="calamine", header=None, dtype=object
            )
    except BaseException as exc:  # calamine's own errors, or a Rust panic (pyo3's PanicException)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise RosterFileError("not_spreadsheet") from exc
    return [[None if _missing(v) else v for v in row] for row in frame.itertuples(index=False, name=None)]


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)


def _blank(value: object) -> bool:
    return _missing(value) or (isinstance(value, str) and not value.strip())


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        text = text.lstrip("\ufeff").rstrip("\x1a")
        # Binary data that happens to decode is still binary; HTML/XML "xls" exports are not readable here.
        if "\x00" in text or len(_CONTROL.findall(text)) > len(text) // 100 or text.lstrip().startswith("<"):
            break
        return text
    raise RosterFileError("not_spreadsheet")


def _read_csv(text: str, aliases: Aliases, required: tuple[str, ...]) -> Table:
    if not text.strip():
        raise RosterFileError("empty_file")
    delimiters = [",", "\t", ";"]
    first_line, _, rest = text.partition("\n")
    hint = re.fullmatch(r"sep=(.)\r?", first_line)
    if hint:  # Excel's "sep=;" line: not shown as a row by Excel, so not counted either
        text = rest
        delimiters.insert(0, hint.group(1))
    best: Table | None = None
    for delimiter in delimiters:
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            cells: list[list[object]] = [[_unwrap(v) for v in row] for row in reader]
        except csv.Error as exc:
            raise RosterFileError("not_spreadsheet") from exc
        table = _from_cells(cells, aliases, required)
        if not table.missing:
            return table
        if best is None or len(table.missing) < len(best.missing):
            best = table
    assert best is not None
    return best


def _unwrap(value: str) -> str:
    match = _EXCEL_TEXT.fullmatch(value)
    return match.group(1) if match else value


def _from_cells(cells: list[list[object]], aliases: Aliases, required: tuple[str, ...]) -> Table:
    index, columns = find_header(cells, aliases=aliases, required=required)
    return Table(cells=cells, header_index=index, columns=columns, required=required)
