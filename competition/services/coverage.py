"""Participation coverage (参与全覆盖) by grouped SQL: per university, category, department and month.

The rule is ``domain.coverage.compute_coverage`` (tests check these queries against it on random data):
headcount = active staff; covered = active staff with at least one counted participation in the year — an
approved entry in a competition of that year, or an offline participation dated in it; each person once.

Query shapes (why they are fast at 150,000 staff and 200,000 entries):
- the covered set is one ``UNION`` (which also de-duplicates) of approved entries of the year's competitions
  (``ix_entry_competition_university_status``) and offline participations of the year
  (``ix_offline_participation_university_year``), joined once to active staff and grouped by university and
  category (``ix_staff_university_active_category``): one round-trip for the whole province;
- a university's figures add the same filter on ``university_id`` to every branch, so only its rows are read.

Departments are listed in pinyin order (``domain.pinyin_order``): in Python for the figures, and through a
``CASE`` of each department's rank for the paged list of uncovered staff (SQL collations differ between
databases).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, case, cast, extract, func, literal, select, union, union_all

from ..domain.coverage import rate
from ..domain.pinyin_order import by_pinyin, pinyin_ranks
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, PostCategory
from ..extensions import db
from ..models import Competition, Department, Entry, OfflineParticipation, Staff, University
from ..pagination import Page, PageRequest

CATEGORIES = [c.value for c in PostCategory]


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


def _month(column, year: int):
    """The counting month of a moment, clamped into ``year`` (approved last December → January)."""
    return case(
        (extract("year", column) < year, literal(1)),
        (extract("year", column) > year, literal(12)),
        else_=cast(extract("month", column), Integer),
    )


def _tally(headcount: int, covered: int) -> dict:
    return {"headcount": headcount, "covered": covered, "rate": float(rate(covered, headcount))}


def _item(university: University, rows: dict[str, tuple[int, int]]) -> dict:
    headcount = {c: rows.get(c, (0, 0))[0] for c in CATEGORIES}
    covered = {c: rows.get(c, (0, 0))[1] for c in CATEGORIES}
    headcount["total"], covered["total"] = sum(headcount.values()), sum(covered.values())
    return {
        "university": university.code,
        "name": university.name,
        "headcount": headcount,
        "covered": covered,
        "rate": {k: float(rate(covered[k], headcount[k])) for k in headcount},
    }


def _by_university_category(
    year: int, university_id: int | None = None
) -> dict[int, dict[str, tuple[int, int]]]:
    covered = covered_ids(year, university_id)
    stmt = (
        select(Staff.university_id, Staff.category, func.count(), func.count(covered.c.staff_id))
        .select_from(Staff)
        .outerjoin(covered, covered.c.staff_id == Staff.id)
        .where(Staff.active.is_(True))
        .group_by(Staff.university_id, Staff.category)
    )
    if university_id is not None:
        stmt = stmt.where(Staff.university_id == university_id)
    result: dict[int, dict[str, tuple[int, int]]] = {}
    for university, category, headcount, n_covered in db.session.execute(stmt):
        result.setdefault(university, {})[category] = (headcount, n_covered)
    return result


def province_coverage(*, year: int, universities: list[University] | None = None) -> dict:
    """Every university (or those given: a university admin's scope) with totals: API ``GET /coverage``."""
    if universities is None:
        universities = list(db.session.scalars(select(University).order_by(University.code)))
    only = universities[0].id if len(universities) == 1 else None
    figures = _by_university_category(year, only)
    items = [_item(u, figures.get(u.id, {})) for u in universities]
    headcount = sum(i["headcount"]["total"] for i in items)
    covered = sum(i["covered"]["total"] for i in items)
    return {"year": year, "items": items, "totals": _tally(headcount, covered)}


def _departments(university: University, year: int) -> list[dict]:
    covered = covered_ids(year, university.id)
    rows = db.session.execute(
        select(Department.name, func.count(), func.count(covered.c.staff_id))
        .select_from(Staff)
        .join(Department, Staff.department_id == Department.id)
        .outerjoin(covered, covered.c.staff_id == Staff.id)
        .where(Staff.university_id == university.id, Staff.active.is_(True))
        .group_by(Department.name)
    )
    return [
        {"name": name, **_tally(headcount, n)} for name, headcount, n in by_pinyin(rows, key=lambda r: r[0])
    ]


def _trend(university_id: int | None, year: int) -> list[dict]:
    """Cumulative covered staff at the end of each month, counting each person from their first month."""
    entries = select(Entry.staff_id.label("staff_id"), _month(Entry.approved_at, year).label("month")).where(
        Entry.status == EntryStatus.APPROVED, Entry.competition_id.in_(_year_competitions(year))
    )
    offline = select(
        OfflineParticipation.staff_id.label("staff_id"),
        cast(extract("month", OfflineParticipation.date), Integer).label("month"),
    ).where(OfflineParticipation.year == year)
    if university_id is not None:
        entries = entries.where(Entry.university_id == university_id)
        offline = offline.where(OfflineParticipation.university_id == university_id)
    counted = union_all(entries, offline).subquery("counted")
    first = (
        select(counted.c.staff_id, func.min(counted.c.month).label("month"))
        .join(Staff, Staff.id == counted.c.staff_id)
        .where(Staff.active.is_(True))
        .group_by(counted.c.staff_id)
    )
    if university_id is not None:  # lets the planner read only this university's staff
        first = first.where(Staff.university_id == university_id)
    first = first.subquery("first")
    per_month = dict(db.session.execute(select(first.c.month, func.count()).group_by(first.c.month)).all())
    trend, running = [], 0
    for month in range(1, 13):
        running += per_month.get(month, 0)
        trend.append({"month": f"{year}-{month:02d}", "covered": running})
    return trend


def university_coverage(*, university: University, year: int) -> dict:
    """One university with its departments and monthly trend: API ``GET /universities/{code}/coverage``."""
    item = _item(university, _by_university_category(year, university.id).get(university.id, {}))
    item["year"] = year
    item["departments"] = _departments(university, year)
    item["trend"] = _trend(university.id, year)
    return item


def province_trend(*, year: int) -> list[dict]:
    return _trend(None, year)


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
    participants in each."""
    counts = (
        select(Entry.competition_id, func.count().label("n"))
        .where(Entry.university_id == university.id, Entry.status == EntryStatus.APPROVED)
        .group_by(Entry.competition_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Competition, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.competition_id == Competition.id)
        .where(
            Competition.year == year,
            Competition.status != CompetitionStatus.DRAFT,
            (Competition.level == CompetitionLevel.PROVINCIAL) | (Competition.university_id == university.id),
        )
        .order_by(Competition.registration_opens, Competition.id)
    )
    return [{"competition": c, "participants": n} for c, n in rows]
