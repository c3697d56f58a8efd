"""Participation coverage of a university in a year: the rule, as a pure function (DESIGN.md §2 Coverage).

The rule:

* The **headcount** is the number of active staff. Inactive staff (gone from the roster) are outside both the
  headcount and the covered count, whatever they took part in.
* A staff member is **covered** when they have at least one *counted participation* in the year:
  an entry that is approved (not pending, rejected or withdrawn) in a competition of that year, school-level
  or provincial, or an offline participation (an event run outside the platform) dated in that year.
  Each person counts once, whatever the number of their participations.
* Every counted participation has a **counting date**: for an entry, the moment it was approved, clamped into
  the competition's year by ``counting_date`` (approved in December for a competition of the next year: it
  counts from 1 January); for an offline participation, its date.
* The **trend** gives, for each month of the year, how many people are covered by the end of that month: each
  person is counted from their *first* counting date, so the trend is cumulative, never decreases, and its
  December value is the total covered.
* Coverage is given overall, per post category (always the three categories, even when empty) and per
  department (every department with at least one active staff member, in pinyin order: 财务处 before
  文学院, as ``pinyin_order`` lists Chinese names). The **rate** is covered / headcount
  rounded half-up (四舍五入) to 4 places (0.3333 is 33.33%), 0 when the headcount is 0; the **gap** is the
  number of people still to reach.

Callers pass only what counts: the entries already filtered on status "approved" and on the competition's
year, offline participations as they are. Counted participations of an unknown or inactive staff member, or
dated outside the year, are ignored.

Worked example, year 2026. Staff: 1 (teaching_research, 文学院, active), 2 (teaching_research,
文学院, active), 3 (admin_logistics, 财务处, active), 4 (other, 财务处, inactive). Counted: staff 1 on
2026-03-10 and again on 2026-05-02 (two approved entries), staff 3 on 2026-05-20 (an offline event),
staff 4 on 2026-02-01. Then:
headcount 3 (staff 4 is inactive), covered 2 (staff 1 once, staff 3; staff 4 is ignored), rate 0.6667, gap 1;
teaching_research 1 of 2 (0.5000), admin_logistics 1 of 1 (1.0000), other 0 of 0 (rate 0); 财务处 1 of 1,
文学院 1 of 2; trend 0, 0, 1, 1, 2, 2, ..., 2 (staff 1 from March, staff 3 from May).

The coverage SQL queries of the services are tested against ``compute_coverage`` on random data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate

from competition.domain.pinyin_order import by_pinyin
from competition.enums import PostCategory

CATEGORIES: tuple[str, ...] = tuple(c.value for c in PostCategory)
RATE_PLACES = 4


@dataclass(frozen=True)
class StaffFact:
    """What coverage needs to know of one staff member."""

    staff_id: int
    category: str
    department: str
    active: bool


@dataclass(frozen=True)
class Counted:
    """One counted participation of a staff member, by its counting date (see ``counting_date``)."""

    staff_id: int
    on: date


@dataclass(frozen=True)
class Tally:
    headcount: int
    covered: int

    @property
    def rate(self) -> Decimal:
        """covered / headcount rounded half-up to 4 places; Decimal(0) when the headcount is 0."""
        return rate(self.covered, self.headcount)

    @property
    def gap(self) -> int:
        """The people still to reach: headcount - covered."""
        return self.headcount - self.covered


@dataclass(frozen=True)
class Coverage:
    year: int
    total: Tally
    by_category: dict[str, Tally]  # always the 3 post categories, in the order of CATEGORIES
    by_department: dict[str, Tally]  # departments with at least one active staff member, in pinyin order
    trend: list[tuple[str, int]]  # ("2026-01", covered by the end of January), ... 12 months, cumulative


def rate(covered: int, headcount: int) -> Decimal:
    """covered / headcount rounded half-up to 4 places, computed exactly on integers.

    ``rate(1, 3) == Decimal("0.3333")``, ``rate(2, 3) == Decimal("0.6667")``,
    ``rate(1, 8) == Decimal("0.1250")``, ``rate(0, 0) == Decimal(0)``. ValueError when a count is negative
    or covered exceeds the headcount.
    """
    if headcount < 0 or covered < 0 or covered > headcount:
        raise ValueError(f"impossible coverage: {covered} of {headcount}")
    if headcount == 0:
        return Decimal(0)
    scale = 10**RATE_PLACES
    # Half-up rounding of x >= 0 is floor(x + 1/2): exact on integers, with no binary or decimal division.
    units = (2 * covered * scale + headcount) // (2 * headcount)
    return Decimal(units).scaleb(-RATE_PLACES)


def counting_date(year: int, moment: date | datetime) -> date:
    """The date from which a participation counts in ``year``: its own date, clamped into the year.

    An entry approved on 2025-12-20 for a competition of 2026 counts from 2026-01-01; one approved on
    2027-01-05 (late) counts from 2026-12-31. A datetime is taken as its date as given: the caller converts
    it to the local time zone first if it needs to.
    """
    day = moment.date() if isinstance(moment, datetime) else moment
    first, last = date(year, 1, 1), date(year, 12, 31)
    return min(max(day, first), last)


def covered_staff(staff: Iterable[StaffFact], counted: Iterable[Counted], *, year: int) -> dict[int, date]:
    """Each covered active staff member's first counting date in ``year`` (the uncovered are absent)."""
    active = {s.staff_id for s in _checked(staff) if s.active}
    return _first_dates(active, counted, year)


def compute_coverage(staff: Iterable[StaffFact], counted: Iterable[Counted], *, year: int) -> Coverage:
    """Coverage of one university (or of any set of staff) in ``year``; the rule is in the module docstring.

    ValueError if a staff id is given twice or a category is not one of CATEGORIES.
    """
    people = [s for s in _checked(staff) if s.active]
    first = _first_dates({s.staff_id for s in people}, counted, year)
    headcount: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    for s in people:
        keys = ("", "category:" + s.category, "department:" + s.department)
        headcount.update(keys)
        if s.staff_id in first:
            covered.update(keys)

    def tally(key: str) -> Tally:
        return Tally(headcount[key], covered[key])

    departments = by_pinyin({s.department for s in people})
    months = Counter(d.month for d in first.values())
    trend = list(zip(_month_labels(year), accumulate(months[m] for m in range(1, 13)), strict=True))
    return Coverage(
        year=year,
        total=tally(""),
        by_category={c: tally("category:" + c) for c in CATEGORIES},
        by_department={d: tally("department:" + d) for d in departments},
        trend=trend,
    )


def _month_labels(year: int) -> list[str]:
    return [f"{year:04d}-{month:02d}" for month in range(1, 13)]


def _checked(staff: Iterable[StaffFact]) -> list[StaffFact]:
    people = list(staff)
    seen: set[int] = set()
    for s in people:
        if s.staff_id in seen:
            raise ValueError(f"staff id {s.staff_id} given twice")
        if s.category not in CATEGORIES:
            raise ValueError(f"unknown post category {s.category!r}")
        seen.add(s.staff_id)
    return people


def _first_dates(active: set[int], counted: Iterable[Counted], year: int) -> dict[int, date]:
    first: dict[int, date] = {}
    for c in counted:
        if c.staff_id not in active or c.on.year != year:
            continue
        if c.staff_id not in first or c.on < first[c.staff_id]:
            first[c.staff_id] = c.on
    return first
