"""The staff list of a university, filtered and paged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Department, Staff, University
from ..pagination import Page, PageRequest, page_of, paginate


@dataclass(frozen=True)
class StaffFilters:
    category: str | None = None
    department: str | None = None
    q: str | None = None
    active: bool | None = True


def staff_query(university: University, filters: StaffFilters):
    stmt = (
        select(Staff)
        .join(Department, Staff.department_id == Department.id)
        .where(Staff.university_id == university.id)
    )
    if filters.category:
        stmt = stmt.where(Staff.category == filters.category)
    if filters.department:
        stmt = stmt.where(Department.name == filters.department)
    if filters.active is not None:
        stmt = stmt.where(Staff.active.is_(filters.active))
    if filters.q:
        term = filters.q.strip()
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            or_(
                Staff.staff_no == term,
                Staff.name.like(f"%{escaped}%", escape="\\"),
                Staff.staff_no.like(f"{escaped}%", escape="\\"),
            )
        )
    return stmt


def list_staff(*, university: University, filters: StaffFilters, page: PageRequest | None) -> Page:
    """One page of the filtered staff, ordered by 工号; ``page=None`` gives all of them (exports)."""
    stmt = staff_query(university, filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        paginate(stmt.options(contains_eager(Staff.department)).order_by(Staff.staff_no), page)
    ).all()
    return page_of(list(items), total or 0, page)


def departments_of(university: University) -> list[str]:
    return list(
        db.session.scalars(
            select(Department.name).where(Department.university_id == university.id).order_by(Department.name)
        )
    )


def active_counts(university_ids: list[int]) -> dict[int, int]:
    """Active staff per university, for the given universities (one grouped query)."""
    rows = db.session.execute(
        select(Staff.university_id, func.count())
        .where(Staff.active.is_(True), Staff.university_id.in_(university_ids))
        .group_by(Staff.university_id)
    )
    return dict(rows.all())
