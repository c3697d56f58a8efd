"""Offline participations: validate every row of a file of events run outside the platform.

A university's union imports who took part in what and when (columns 工号, 活动名称, 日期); each valid
row is one counted participation for coverage (see coverage.py). The file is read like a roster (roster_read:
xlsx, xls or CSV judged by content, header found among the first 30 rows below any title rows, unknown
columns such as 姓名 or 部门 ignored) and every problem is reported like the roster's, as a ``RowError`` with
the Excel row and the column label as written in the file. Whether to write anything is the caller's
decision (the service imports all or nothing).
"""

from __future__ import annotations

import datetime
import hashlib
import numbers
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

# The roster's cell cleaning and date reading, shared so that both imports read a cell the same way.
from .cells import FULL_DATES, MONTHS, SPACES, TIME_SUFFIX, cell_text, clean_name, date_from
from .roster import RowError
from .roster_read import HEADER_ALIASES, RosterFileError, read_table

__all__ = [
    "EARLIEST_DATE",
    "EVENT_MAX_LENGTH",
    "FIELD_LABELS",
    "EventSummary",
    "MAX_BYTES",
    "PARTICIPATION_ALIASES",
    "REQUIRED_FIELDS",
    "ParticipationPlan",
    "ParticipationResult",
    "ParticipationRow",
    "RowError",
    "event_summaries",
    "parse_participation_date",
    "parse_participations",
    "plan_digest",
    "plan_participations",
]

MAX_BYTES = 10 * 1024 * 1024
EVENT_MAX_LENGTH = 200  # the width of offline_participation.event
EARLIEST_DATE = datetime.date(2000, 1, 1)

REQUIRED_FIELDS = ("staff_no", "event", "date")
FIELD_LABELS = {"staff_no": "工号", "event": "活动名称", "date": "日期"}
# Header labels recognised for each column, compared after roster_read.header_key() (NFKC, lower case, no
# spaces, underscores, colons or asterisks, no trailing "(必填)"); 工号 has the roster's aliases.
PARTICIPATION_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_no": HEADER_ALIASES["staff_no"],
    "event": (
        "活动名称",
        "活动",
        "项目",
        "项目名称",
        "比赛名称",
        "竞赛名称",
        "赛事名称",
        "活动项目",
        "event",
        "event name",
        "activity",
        "activity name",
    ),
    "date": ("日期", "活动日期", "参加日期", "参赛日期", "比赛日期", "时间", "date", "event date"),
}


@dataclass(frozen=True)
class ParticipationRow:
    row: int
    staff_no: str
    event: str
    date: datetime.date


@dataclass(frozen=True)
class ParticipationResult:
    rows: list[ParticipationRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ParticipationPlan:
    """What an import would do: the rows to add, and the rows already imported (skipped), in file order."""

    create: list[ParticipationRow]
    already: list[ParticipationRow]


@dataclass(frozen=True)
class EventSummary:
    """One event of the rows to add: its first and last dates, its rows and the people in them."""

    event: str
    first: datetime.date
    last: datetime.date
    rows: int
    people: int


def parse_participation_date(value: object, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    """Read the date of a participation; return (date, None), (None, None) for a blank cell, or (None, code).

    Accepted as for a roster's birth date: a date cell, 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日,
    20260305, an Excel serial number; but a participation happened on a day, so a month alone (2026.03,
    2026-03, 2026年3月, 202603, or the number 2026.03) is a bad_date. Codes: bad_date, impossible_date
    (2026-02-30), future_date (after ``today``), implausible_date (before 2000-01-01).
    """
    if _month_only(value):
        return None, "bad_date"
    result = date_from(value)
    if result is None or isinstance(result, str):
        return None, result
    if result > today:
        return None, "future_date"
    if result < EARLIEST_DATE:
        return None, "implausible_date"
    return result, None


def _month_only(value: object) -> bool:
    if isinstance(value, bool | datetime.date) or not isinstance(value, str | numbers.Real):
        return False
    if isinstance(value, numbers.Real):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            return False
        if not number.is_integer() and 1900 < number < 2100:
            return True  # 2026.03 typed as a number: a year and a month
    text = SPACES.sub("", TIME_SUFFIX.sub("", cell_text(value)))
    full = any(p.fullmatch(text) for p in FULL_DATES)
    return not full and any(p.fullmatch(text) for p in MONTHS)


def _check(
    field: str, value: object, today: datetime.date, roster: Mapping[str, bool]
) -> tuple[object, list[tuple[str, dict]]]:
    """The clean value of one cell and its problems (code, params)."""
    if field == "staff_no":
        text = cell_text(value)
        if not text:
            return None, [("required", {})]
        return text, ([] if roster.get(text) is True else [("unknown_staff", {"value": text})])
    if field == "event":
        text = clean_name(value)
        if not text:
            return None, [("required", {})]
        too_long = len(text) > EVENT_MAX_LENGTH
        return text, ([("too_long", {"max": EVENT_MAX_LENGTH})] if too_long else [])
    day, code = parse_participation_date(value, today)
    if code is None:
        return day, ([("required", {})] if day is None else [])
    params = {"value": cell_text(value)}
    if code == "implausible_date":
        params["earliest"] = EARLIEST_DATE.isoformat()
    return None, [(code, params)]


def parse_participations(
    data: bytes,
    filename: str,
    *,
    today: datetime.date,
    roster: Mapping[str, bool],
    max_bytes: int = MAX_BYTES,
) -> ParticipationResult:
    """Parse and validate a whole participation file; ``rows`` is empty unless there is no error at all.

    ``roster`` maps each 工号 of the university to whether that person is active: a 工号 missing from it, or
    of an inactive person, is an ``unknown_staff`` error. The file is judged by its content, not by
    ``filename``. File-level codes (row and column None, except missing_column whose column is 工号, 活动名称
    or 日期): too_large {"max_mb"}, empty_file, not_spreadsheet, no_data, missing_column. Row codes: required,
    too_long {"max": 200} (活动名称), bad_date / impossible_date / future_date / implausible_date {"value"}
    (日期), unknown_staff {"value": 工号}, duplicate_in_file {"first_row"} (on 工号) when the same
    (工号, 活动名称, 日期) is on an earlier row. Blank rows are skipped; errors are ordered by row, then by
    column as in the file. Example: a row 4 of "T009, 读书会, 2026年3月5日" where T009 has left gives
    RowError(4, "工号", "unknown_staff", {"value": "T009"}).
    """
    try:
        table = read_table(data, max_bytes=max_bytes, aliases=PARTICIPATION_ALIASES, required=REQUIRED_FIELDS)
    except RosterFileError as exc:
        return ParticipationResult([], [RowError(None, None, exc.code, exc.params)])
    if table.missing or table.header_index is None:
        return ParticipationResult(
            [], [RowError(None, FIELD_LABELS[f], "missing_column", {}) for f in table.missing]
        )
    order = sorted(table.columns.items(), key=lambda item: item[1][0])
    rows: list[ParticipationRow] = []
    errors: list[RowError] = []
    first_rows: dict[tuple[object, ...], int] = {}
    for index in range(table.header_index + 1, len(table.cells)):
        cells = table.cells[index]
        raw = [(f, label, cells[j] if j < len(cells) else None) for f, (j, label) in order]
        if all(not cell_text(value) for _, _, value in raw):
            continue
        row_no = index + 1
        values: dict[str, object] = {}
        problems: dict[str, list[tuple[str, dict]]] = {}
        for f, _, value in raw:
            values[f], problems[f] = _check(f, value, today, roster)
        key = tuple(values[f] for f in REQUIRED_FIELDS)
        if None not in key:
            first = first_rows.setdefault(key, row_no)
            if first != row_no:
                problems["staff_no"].append(("duplicate_in_file", {"first_row": first}))
        row_errors = [
            RowError(row_no, label, code, params) for f, label, _ in raw for code, params in problems[f]
        ]
        if row_errors:
            errors.extend(row_errors)
        elif not errors:
            rows.append(ParticipationRow(row=row_no, **values))
    if not rows and not errors:
        errors.append(RowError(None, None, "no_data", {}))
    return ParticipationResult([] if errors else rows, errors)


def plan_participations(
    known: Collection[tuple[str, str, datetime.date]], parsed: ParticipationResult
) -> ParticipationPlan:
    """Split a valid file into rows to add and rows already imported; ValueError if it has errors.

    ``known`` holds the (工号, 活动名称, 日期) already stored for the university: such a row is skipped, so a
    file imported twice adds nothing the second time (a file never repeats a row: that is duplicate_in_file).
    """
    if not parsed.ok:
        raise ValueError("a participation file with errors cannot be imported")
    create: list[ParticipationRow] = []
    already: list[ParticipationRow] = []
    for row in parsed.rows:
        (already if (row.staff_no, row.event, row.date) in known else create).append(row)
    return ParticipationPlan(create, already)


def event_summaries(rows: Iterable[ParticipationRow]) -> list[EventSummary]:
    """The events of ``rows``, by first date then name: 读书会 on 3-05 and 3-06 for 00123 and 00124 gives
    EventSummary("读书会", 3-05, 3-06, rows=2, people=2)."""
    dates: dict[str, list[datetime.date]] = {}
    people: dict[str, set[str]] = {}
    for row in rows:
        dates.setdefault(row.event, []).append(row.date)
        people.setdefault(row.event, set()).add(row.staff_no)
    summaries = [EventSummary(e, min(d), max(d), len(d), len(people[e])) for e, d in dates.items()]
    return sorted(summaries, key=lambda s: (s.first, s.event))


def plan_digest(plan: ParticipationPlan) -> str:
    """A short fingerprint of the rows an import would add, to confirm exactly what was previewed."""
    digest = hashlib.sha256()
    for row in plan.create:
        digest.update(repr((row.row, row.staff_no, row.event, row.date.isoformat())).encode())
    return digest.hexdigest()[:32]
