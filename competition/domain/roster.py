"""Roster import rules: validate every row of a staff roster file and plan the changes it makes."""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from competition.enums import Gender, ImportMode, PostCategory

from .cells import SPACES, cell_text, clean_name, is_blank, parse_date_value
from .roster_read import (
    FIELD_LABELS,
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    RosterFileError,
    read_table,
)
from .roster_read import HEADER_ALIASES as HEADER_ALIASES  # re-exported for the docs

POST_CATEGORIES = tuple(PostCategory)
MAX_BYTES = 10 * 1024 * 1024
MAX_LENGTHS = {"staff_no": 32, "name": 50, "department": 100, "title": 50}
PHONE_MAX_LENGTH = 20  # characters, separators included (the column is 20 wide)
PHONE_DIGITS = (5, 20)

# Post-category labels, compared case-insensitively after NFKC and without spaces, "_" or "-".
# Anything else (宇航员, or 专技岗, which could be either) is an unknown_category.
CATEGORY_ALIASES: dict[PostCategory, tuple[str, ...]] = {
    PostCategory.TEACHING_RESEARCH: (
        "教学科研岗",
        "教学科研",
        "教研岗",
        "专任教师",
        "教师",
        "教学岗",
        "科研岗",
        "教学",
        "科研",
        PostCategory.TEACHING_RESEARCH,
        "teaching and research",
        "teaching",
    ),
    PostCategory.ADMIN_LOGISTICS: (
        "行政后勤岗",
        "行政后勤",
        "行政",
        "管理岗",
        "管理",
        "行政管理岗",
        "工勤岗",
        "工勤技能岗",
        "工勤",
        "后勤",
        "后勤岗",
        PostCategory.ADMIN_LOGISTICS,
        "admin",
        "administrative",
        "logistics",
    ),
    PostCategory.OTHER: ("其他", "其它", "教辅", "教辅岗", PostCategory.OTHER),
}
GENDER_ALIASES: dict[Gender, tuple[str, ...]] = {
    Gender.MALE: ("男", "男性", "m", Gender.MALE),
    Gender.FEMALE: ("女", "女性", "f", Gender.FEMALE),
}


@dataclass(frozen=True)
class RowError:
    """One problem: Excel row and column label as written (both None for the whole file), code, params."""

    row: int | None
    column: str | None
    code: str
    params: dict


@dataclass(frozen=True)
class RosterRow:
    row: int
    staff_no: str
    name: str
    department: str
    category: str
    gender: str | None
    birth_date: datetime.date | None
    title: str | None
    phone: str | None


@dataclass(frozen=True)
class ParseResult:
    rows: list[RosterRow]
    errors: list[RowError]
    columns: frozenset[str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class StaffSnapshot:
    staff_no: str
    name: str
    department: str
    category: str
    gender: str | None
    birth_date: datetime.date | None
    title: str | None
    phone: str | None
    active: bool


@dataclass(frozen=True)
class RosterPlan:
    create: list[RosterRow]
    update: list[RosterRow]
    unchanged: list[str]
    deactivate: list[str]


# The fields a preview shows before → after, in the order it shows them ("active" is the re-activation).
CHANGE_FIELDS = ("name", "department", "category", "gender", "birth_date", "title", "phone", "active")


@dataclass(frozen=True)
class FieldChange:
    """One field of one person: its stored value and the value the import would write."""

    field: str
    before: object
    after: object


@dataclass(frozen=True)
class RosterUpdate:
    """A person the import would update: the file's row, what is stored, and each field that would change."""

    row: RosterRow
    before: StaffSnapshot
    changes: tuple[FieldChange, ...]

    @property
    def renamed(self) -> bool:
        """The 姓名 under this 工号 would change: a correction, or another person (an HR-export slip)."""
        return any(c.field == "name" for c in self.changes)


# --- categories and genders -----------------------------------------------------------------------------

_PHONE = re.compile(r"[0-9 ()+\-]+")


def _label_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text).lower())


_CATEGORY_LOOKUP = {_label_key(a): c for c, aliases in CATEGORY_ALIASES.items() for a in aliases}
_GENDER_LOOKUP = {_label_key(a): g for g, aliases in GENDER_ALIASES.items() for a in aliases}


def category_of(label: object) -> PostCategory | None:
    """The post category of a label, or None if unknown: ``category_of("专任教师") is TEACHING_RESEARCH``.

    See CATEGORY_ALIASES; comparison ignores case, full-width forms, spaces, "_" and "-".
    """
    return _CATEGORY_LOOKUP.get(_label_key(cell_text(label)))


def gender_of(label: object) -> Gender | None:
    """Map 男/男性/m/male to Gender.MALE and 女/女性/f/female to Gender.FEMALE (any case), else None.

    ``gender_of("F") is Gender.FEMALE``, ``gender_of("未知") is None``.
    """
    return _GENDER_LOOKUP.get(_label_key(cell_text(label)))


# --- rows --------------------------------------------------------------------------------------------------


def _check(field: str, value: object, today: datetime.date) -> tuple[object, list[tuple[str, dict]]]:
    """The clean value of one cell and its problems (code, params)."""
    if field in ("staff_no", "name", "department"):
        text = cell_text(value) if field == "staff_no" else clean_name(value)
        if not text:
            return None, [("required", {})]
        too_long = len(text) > MAX_LENGTHS[field]
        return text, ([("too_long", {"max": MAX_LENGTHS[field]})] if too_long else [])
    if field == "category":
        text = cell_text(value)
        if not text:
            return None, [("required", {})]
        category = category_of(text)
        return category, ([] if category else [("unknown_category", {"value": text})])
    if field == "birth_date":
        birth, code = parse_date_value(value, today)
        return birth, ([(code, {"value": cell_text(value)})] if code else [])
    if field == "title":
        text = clean_name(value)
        too_long = len(text) > MAX_LENGTHS[field]
        return text or None, ([("too_long", {"max": MAX_LENGTHS[field]})] if too_long else [])
    if field == "gender":
        text = cell_text(value)
        gender = gender_of(text)
        return gender, ([("bad_gender", {"value": text})] if text and not gender else [])
    text = SPACES.sub(" ", cell_text(value))  # phone
    digits = sum(c.isdigit() for c in text)
    good = (
        _PHONE.fullmatch(text) is not None
        and PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]
        and len(text) <= PHONE_MAX_LENGTH
    )
    return text or None, ([("bad_phone", {"value": text})] if text and not good else [])


def parse_roster(
    data: bytes, filename: str, *, today: datetime.date, max_bytes: int = MAX_BYTES
) -> ParseResult:
    """Parse and validate a whole roster file; ``rows`` is empty unless there is no error at all.

    The file is judged by its content, not by ``filename``: .xlsx/.xls (first sheet) or CSV. The header is
    found among the first 30 rows (see roster_read.find_header), so rows are numbered as Excel shows them:
    with a title row above the header, the first person is on row 3. Blank rows are skipped, unknown columns
    ignored, and every problem of every row is reported, ordered by row then column, e.g. a row 5 with
    岗位类别 "宇航员" gives RowError(5, "岗位类别", "unknown_category", {"value": "宇航员"}).
    """
    try:
        table = read_table(data, max_bytes=max_bytes)
    except RosterFileError as exc:
        return ParseResult([], [RowError(None, None, exc.code, exc.params)], frozenset())
    columns = frozenset(table.columns)
    if table.missing or table.header_index is None:
        return ParseResult(
            [], [RowError(None, FIELD_LABELS[f], "missing_column", {}) for f in table.missing], columns
        )
    order = sorted(table.columns.items(), key=lambda item: item[1][0])
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    first_rows: dict[str, int] = {}
    for index in range(table.header_index + 1, len(table.cells)):
        cells = table.cells[index]
        raw = [(f, label, cells[j] if j < len(cells) else None) for f, (j, label) in order]
        if all(is_blank(value) for _, _, value in raw):
            continue
        row_no = index + 1
        values: dict[str, object] = dict.fromkeys(OPTIONAL_FIELDS)
        row_errors: list[RowError] = []
        for f, label, value in raw:
            clean, problems = _check(f, value, today)
            values[f] = clean
            if f == "staff_no" and clean is not None:
                first = first_rows.setdefault(str(clean), row_no)
                if first != row_no:
                    problems.append(("duplicate_in_file", {"first_row": first}))
            row_errors.extend(RowError(row_no, label, code, params) for code, params in problems)
        if row_errors:
            errors.extend(row_errors)
        elif not errors:
            rows.append(RosterRow(row=row_no, **values))
    if not rows and not errors:
        errors.append(RowError(None, None, "no_data", {}))
    return ParseResult([] if errors else rows, errors, columns)


# --- plan --------------------------------------------------------------------------------------------------


def plan_roster(
    existing: Mapping[str, StaffSnapshot], parsed: ParseResult, mode: ImportMode | str
) -> RosterPlan:
    """What an import would do, keyed by 工号; mode merge or replace (ValueError otherwise, or if not ok).

    A new 工号 is created; a known one is updated when a compared field differs or the person is inactive
    (re-activated), else unchanged. Compared: 姓名, 部门, 岗位类别 and the optional columns the file has (a
    file without 手机 keeps every stored phone). Replace also deactivates active staff absent from the file:
    existing {A, B (active), C (inactive)} and a file with A gives deactivate == ["B"].
    """
    if mode not in tuple(ImportMode):
        raise ValueError(f"unknown import mode: {mode!r}")
    if not parsed.ok:
        raise ValueError("a roster with errors cannot be imported")
    compared = compared_fields(parsed.columns)
    create: list[RosterRow] = []
    update: list[RosterRow] = []
    unchanged: list[str] = []
    for row in parsed.rows:
        stored = existing.get(row.staff_no)
        if stored is None:
            create.append(row)
        elif not stored.active or any(getattr(row, f) != getattr(stored, f) for f in compared):
            update.append(row)
        else:
            unchanged.append(row.staff_no)
    deactivate: list[str] = []
    if mode == ImportMode.REPLACE:
        listed = {row.staff_no for row in parsed.rows}
        deactivate = sorted(no for no, stored in existing.items() if stored.active and no not in listed)
    return RosterPlan(create, update, unchanged, deactivate)


def compared_fields(columns: Iterable[str]) -> tuple[str, ...]:
    """The fields an import compares and writes: the required ones and the optional columns the file has."""
    present = set(columns)
    return REQUIRED_FIELDS[1:] + tuple(f for f in OPTIONAL_FIELDS if f in present)


def describe_updates(
    existing: Mapping[str, StaffSnapshot], parsed: ParseResult, plan: RosterPlan
) -> list[RosterUpdate]:
    """Each update of ``plan`` with its changed fields, in CHANGE_FIELDS order, in the order of the file.

    A field is listed when the file's value differs from the stored one (optional columns the file lacks are
    never listed: they keep their stored values); a re-activated person also gets FieldChange("active",
    False, True). Stored 张三/文学院 and a row 张叁/文学院 give (FieldChange("name", "张三", "张叁"),).
    """
    compared = set(compared_fields(parsed.columns))
    described: list[RosterUpdate] = []
    for row in plan.update:
        stored = existing[row.staff_no]
        changes = [
            FieldChange(f, getattr(stored, f), getattr(row, f))
            for f in CHANGE_FIELDS[:-1]
            if f in compared and getattr(row, f) != getattr(stored, f)
        ]
        if not stored.active:
            changes.append(FieldChange("active", False, True))
        described.append(RosterUpdate(row, stored, tuple(changes)))
    return described


def plan_digest(plan: RosterPlan, updates: Iterable[RosterUpdate]) -> str:
    """A short fingerprint of everything an import would write, to confirm exactly what was previewed.

    Equal plans give equal digests; a person added, a change of value (before or after) or one more
    deactivation gives another, so a confirmation after someone else changed the roster can be refused.
    """
    digest = hashlib.sha256()
    for row in plan.create:
        digest.update(repr(("create", *(getattr(row, f) for f in RosterRow.__dataclass_fields__))).encode())
    for update in updates:
        changes = tuple((c.field, c.before, c.after) for c in update.changes)
        digest.update(repr(("update", update.row.staff_no, changes)).encode())
    for staff_no in plan.deactivate:
        digest.update(repr(("deactivate", staff_no)).encode())
    return digest.hexdigest()[:32]
