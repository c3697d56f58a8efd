"""Participation coverage (参与全覆盖) by grouped SQL: per university, category, department and month.

The rule is ``domain.coverage.compute_coverage`` (tests check these queries against it on random data):
headcount = active staff; covered = active staff with at least one counted participation in the year — an
approved entry in a competition of that year, or an offline participation dated in it; each person once.

Query shapes (why they are fast at 150,000 staff and 200,000 entries):
- every figure of the dashboards (per category, per department, the monthly trend) comes from one grouped
  query, ``_counts``: each counted participation with its month (approved entries of the year's
  competitions, offline participations of the year), each person's first month, joined once to active staff
  and grouped by university, category (and department, for one university's dashboard) and that month
  (0: not covered) — one round-trip for the whole province, or for the universities asked. The trend and
  the figures together cost what the trend alone did (it was a second query over the same rows);
- a university's figures add the same filter on ``university_id`` to every branch, so only its rows are read;
- the events held (``_events``: approved entries per competition, offline events) in two grouped queries;
- all of these are cached per process and university while that university's data is unchanged
  (``services.coverage_cache``: versions bumped by the writers' session events, read in one query), so an
  approval recomputes one university, not the province.

Departments are listed in pinyin order (``domain.pinyin_order``): in Python for the figures, and through a
``CASE`` of each department's rank for the paged list of uncovered staff (SQL collations differ between
databases).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from sqlalchemy import Date, case, distinct, func, literal, select, union, union_all

from ..domain.coverage import rate
from ..domain.pinyin_order import by_pinyin, pinyin_ranks
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, PostCategory
from ..extensions import db
from ..models import Competition, Department, Entry, OfflineParticipation, Staff, University
from ..pagination import Page, PageRequest
from . import coverage_cache

CATEGORIES = [c.value for c in PostCategory]


# A university's active staff by (post category, department id or None, month covered or 0) → how many.
Figures = dict[tuple[str, int | None, int], int]


def _year_competitions(year: int):
    return select(Competition.id).where(Competition.year == year)


def covered_ids(year: int, university_id: int | None = None):
    """The staff ids with a counted participation in ``year`` (distinct), optionally of one university."""
    entries = select(Entry.staff_id.label("staff_id")).where(
        Entry.status == EntryStatus.APPROVED, Entry.competition_id.in_(_year_competitions(year))
    )
    offline = select(OfflineParticipation.staff_id.label("staff_id")).where(OfflineParticipation.year == year)
    if university_id is not None:
        entries = entries.where(Entry.university_id == university_id)
        offline = offline.where(OfflineParticipation.university_id == university_id)
    return union(entries, offline).subquery("covered")


def _month(moment, year: int, first: int = 1, last: int = 12):
    """The counting month (1-12) of a moment or a date, clamped into ``year`` (approved last December →
    January), by comparing it with the first days of months, halving the range each time: at most 4
    comparisons a row, cheaper on SQLite than extracting the month (a third) or testing month after month
    (a tenth), and the same on both engines (a date compares as its midnight)."""
    if first == last:
        return literal(first)
    middle = (first + last + 1) // 2
    return case(
        (moment < literal(date(year, middle, 1), Date()), _month(moment, year, first, middle - 1)),
        else_=_month(moment, year, middle, last),
    )


def _counts(year: int, university_ids: list[int] | None, *, departments: bool) -> dict[int, Figures]:
    """Each university's active staff by (category, department id or None, month of their first counted
    participation in ``year`` or 0 when none): one grouped query gives the category, department and trend
    figures. ``departments=False`` for the province: the staff index then covers the query (no row reads).

    Every counted participation gives its month; each person's first month is the least; active staff are
    joined once, so the headcount and the covered count come from the same rows.
    """
    entries = select(Entry.staff_id.label("staff_id"), _month(Entry.approved_at, year).label("month")).where(
        Entry.status == EntryStatus.APPROVED, Entry.competition_id.in_(_year_competitions(year))
    )
    op = OfflineParticipation
    offline = select(op.staff_id.label("staff_id"), _month(op.date, year).label("month"))
    offline = offline.where(op.year == year)
    if university_ids is not None:  # lets the planner read only these universities' rows
        entries = entries.where(Entry.university_id.in_(university_ids))
        offline = offline.where(op.university_id.in_(university_ids))
    counted = union_all(entries, offline).subquery("counted")
    first = (
        select(counted.c.staff_id, func.min(counted.c.month).label("month"))
        .group_by(counted.c.staff_id)
        .subquery("first")
    )
    groups = [
        Staff.university_id,
        Staff.category,
        *([Staff.department_id] if departments else []),
        first.c.month,
    ]
    stmt = (
        select(*groups, func.count())
        .select_from(Staff)
        .outerjoin(first, first.c.staff_id == Staff.id)
        .where(Staff.active.is_(True))
        .group_by(*groups)
    )
    if university_ids is not None:
        stmt = stmt.where(Staff.university_id.in_(university_ids))
    result: dict[int, Figures] = {}
    for university_id, category, *department, month, n in db.session.execute(stmt):
        key = (category, department[0] if department else None, month or 0)
        result.setdefault(university_id, {})[key] = n
    return result


def _figures(year: int, university_ids: list[int], *, departments: bool = False) -> dict[int, Figures]:
    """``_counts`` of these universities, from the per-process cache while their data is unchanged."""
    return coverage_cache.by_university(
        "departments" if departments else "categories",
        year,
        university_ids,
        lambda ids: _counts(year, ids, departments=departments),
    )


def _tally(headcount: int, covered: int) -> dict:
    return {"headcount": headcount, "covered": covered, "rate": float(rate(covered, headcount))}


def _item(university: University, figures: Figures) -> dict:
    headcount = dict.fromkeys(CATEGORIES, 0)
    covered = dict.fromkeys(CATEGORIES, 0)
    for (category, _department, month), n in figures.items():
        headcount[category] += n
        if month:
            covered[category] += n
    headcount["total"], covered["total"] = sum(headcount.values()), sum(covered.values())
    return {
        "university": university.code,
        "name": university.name,
        "headcount": headcount,
        "covered": covered,
        "rate": {k: float(rate(covered[k], headcount[k])) for k in headcount},
    }


def _all_universities() -> list[University]:
    return list(db.session.scalars(select(University).order_by(University.code)))


def province_coverage(*, year: int, universities: list[University] | None = None) -> dict:
    """Every university (or those given: a university admin's scope) with totals: API ``GET /coverage``."""
    if universities is None:
        universities = _all_universities()
    figures = _figures(year, [u.id for u in universities])
    items = [_item(u, figures[u.id]) for u in universities]
    headcount = sum(i["headcount"]["total"] for i in items)
    covered = sum(i["covered"]["total"] for i in items)
    return {"year": year, "items": items, "totals": _tally(headcount, covered)}


def _departments(figures: Figures) -> list[dict]:
    ids = {department_id for _category, department_id, _month in figures}
    rows = db.session.execute(select(Department.id, Department.name).where(Department.id.in_(ids)))
    names = dict(rows.all())
    tallies: dict[str, list[int]] = {}
    for (_category, department_id, month), n in figures.items():
        tally = tallies.setdefault(names[department_id], [0, 0])
        tally[0] += n
        tally[1] += n if month else 0
    return [{"name": name, **_tally(*tallies[name])} for name in by_pinyin(tallies)]


def _trend(figures: list[Figures], year: int) -> list[dict]:
    """Cumulative covered staff at the end of each month, counting each person from their first month."""
    per_month = [0] * 13
    for one in figures:
        for (_category, _department, month), n in one.items():
            per_month[month] += n
    return [
        {"month": f"{year}-{month:02d}", "covered": covered}
        for month, covered in zip(range(1, 13), accumulate(per_month[1:]), strict=True)
    ]


def university_coverage(*, university: University, year: int) -> dict:
    """One university with its departments and monthly trend: API ``GET /universities/{code}/coverage``."""
    figures = _figures(year, [university.id], departments=True)[university.id]
    item = _item(university, figures)
    item["year"] = year
    item["departments"] = _departments(figures)
    item["trend"] = _trend([figures], year)
    return item


def province_trend(*, year: int) -> list[dict]:
    figures = _figures(year, [u.id for u in _all_universities()])
    return _trend(list(figures.values()), year)


def _events(year: int, university_ids: list[int] | None) -> dict[int, dict]:
    """Each university's approved entries per competition of ``year``, and its offline events of the year
    (event name → distinct participants, first and last date, last import): two grouped queries."""
    result: dict[int, dict] = {}

    def one(university_id: int) -> dict:
        return result.setdefault(university_id, {"competitions": {}, "offline": {}})

    entries = (
        select(Entry.university_id, Entry.competition_id, func.count())
        .where(Entry.status == EntryStatus.APPROVED, Entry.competition_id.in_(_year_competitions(year)))
        .group_by(Entry.competition_id, Entry.university_id)  # the entry index's order: SQLite needs no sort
    )
    op = OfflineParticipation
    offline = (
        select(
            op.university_id,
            op.event,
            func.count(distinct(op.staff_id)),
            func.min(op.date),
            func.max(op.date),
            func.max(op.imported_at),
        )
        .where(op.year == year)
        .group_by(op.university_id, op.event)
    )
    if university_ids is not None:
        entries = entries.where(Entry.university_id.in_(university_ids))
        offline = offline.where(op.university_id.in_(university_ids))
    for university_id, competition_id, n in db.session.execute(entries):
        one(university_id)["competitions"][competition_id] = n
    for university_id, event, *figures in db.session.execute(offline):
        one(university_id)["offline"][event] = tuple(figures)
    return result


def participants_by_competition(*, year: int, universities: list[University] | None = None) -> dict[int, int]:
    """Approved entries per competition of ``year`` (id → count), of every university or of those given."""
    ids = [u.id for u in (universities if universities is not None else _all_universities())]
    total: dict[int, int] = {}
    for events in coverage_cache.by_university(
        "events", year, ids, lambda some: _events(year, some)
    ).values():
        for competition_id, n in events.get("competitions", {}).items():
            total[competition_id] = total.get(competition_id, 0) + n
    return total


def offline_events(*, year: int, universities: list[University] | None = None) -> list[tuple]:
    """Offline events of ``year`` per university and name, in order of their first date and name: tuples
    (university, event, distinct participants, first date, last date, last import)."""
    universities = universities if universities is not None else _all_universities()
    found = coverage_cache.by_university(
        "events", year, [u.id for u in universities], lambda some: _events(year, some)
    )
    rows = [
        (university, event, *figures)
        for university in universities
        for event, figures in found[university.id].get("offline", {}).items()
    ]
    return sorted(rows, key=lambda row: (row[3], row[1]))


SEARCH_MAX = 50


@dataclass(frozen=True)
class UncoveredFilters:
    """The uncovered list's filters: a post category, a department (its name), and ``search``: part of a
    name or of a 工号 (case-insensitive for the 工号)."""

    category: str | None = None
    department: str | None = None
    search: str | None = None

    def __post_init__(self):
        text = (self.search or "").strip()[:SEARCH_MAX]
        object.__setattr__(self, "search", text or None)


def department_order(university: University):
    """An ORDER BY expression that lists the university's staff by their department's pinyin order."""
    names = dict(
        db.session.execute(
            select(Department.id, Department.name).where(Department.university_id == university.id)
        ).all()
    )
    if not names:
        return literal(0)
    ranks = pinyin_ranks(names.values())
    return case(
        {id_: ranks[name] for id_, name in names.items()}, value=Staff.department_id, else_=len(ranks)
    )


def uncovered_query(*, university: University, year: int, filters: UncoveredFilters):
    covered = covered_ids(year, university.id)
    stmt = (
        select(Staff)
        .join(Department, Staff.department_id == Department.id)
        .where(
            Staff.university_id == university.id,
            Staff.active.is_(True),
            Staff.id.not_in(select(covered.c.staff_id)),
        )
    )
    if filters.category:
        stmt = stmt.where(Staff.category == filters.category)
    if filters.department:
        stmt = stmt.where(Department.name == filters.department)
    if filters.search:
        stmt = stmt.where(
            Staff.name.contains(filters.search, autoescape=True)
            | Staff.staff_no.icontains(filters.search, autoescape=True)
        )
    return stmt


def list_uncovered(
    *, university: University, year: int, filters: UncoveredFilters, page: PageRequest
) -> Page:
    from sqlalchemy.orm import contains_eager

    stmt = uncovered_query(university=university, year=year, filters=filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        stmt.options(contains_eager(Staff.department))
        .order_by(department_order(university), Staff.staff_no)
        .offset(page.offset)
        .limit(page.per_page)
    ).all()
    return Page(items=list(items), total=total or 0, page=page.page, per_page=page.per_page)


def competitions_of_year(*, university: University, year: int) -> list[dict]:
    """The year's competitions open to this university (not drafts: they are not held), with its approved
    participants in each (``participants_by_competition``: cached while its entries are unchanged)."""
    counts = participants_by_competition(year=year, universities=[university])
    competitions = db.session.scalars(
        select(Competition)
        .where(
            Competition.year == year,
            Competition.status != CompetitionStatus.DRAFT,
            (Competition.level == CompetitionLevel.PROVINCIAL) | (Competition.university_id == university.id),
        )
        .order_by(Competition.registration_opens, Competition.id)
    )
    return [{"competition": c, "participants": counts.get(c.id, 0)} for c in competitions]
