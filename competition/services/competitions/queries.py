"""Reading competitions: the filtered list a user may see, what they may copy, entries per university."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import Competition, Entry, University, User
from ...permissions import can_manage_competition, visible_competitions


@dataclass(frozen=True)
class CompetitionFilters:
    year: int | None = None
    level: str | None = None
    kind: str | None = None
    university: str | None = None
    status: str | None = None


def list_competitions(*, user: User, filters: CompetitionFilters) -> list[Competition]:
    stmt = visible_competitions(user)
    if filters.year:
        stmt = stmt.where(Competition.year == filters.year)
    if filters.level:
        stmt = stmt.where(Competition.level == filters.level)
    if filters.kind:
        stmt = stmt.where(Competition.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(Competition.status == filters.status)
    if filters.university:
        stmt = stmt.join(University, Competition.university_id == University.id).where(
            University.code == filters.university
        )
    stmt = stmt.order_by(
        Competition.year.desc(), Competition.registration_opens.desc(), Competition.id.desc()
    )
    return list(db.session.scalars(stmt))


def copyable_competitions(*, user: User) -> list[Competition]:
    """What the user may copy as next year's draft: the competitions they run."""
    found = list_competitions(user=user, filters=CompetitionFilters())
    return [c for c in found if can_manage_competition(user, c)]


def staff_count_by_university(competition: Competition) -> dict[int, dict[str, int]]:
    """Entries per university and status, for the quota table."""
    rows = db.session.execute(
        select(Entry.university_id, Entry.status, func.count())
        .where(Entry.competition_id == competition.id)
        .group_by(Entry.university_id, Entry.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for university_id, status, n in rows:
        counts.setdefault(university_id, {})[status] = n
    return counts


def quota_rows(competition: Competition) -> list[dict]:
    """One row per university with entries: the university and its counts per status, by code."""
    counts = staff_count_by_university(competition)
    universities = db.session.scalars(
        select(University).where(University.id.in_(counts)).order_by(University.code)
    )
    return [{"university": u, "counts": counts[u.id]} for u in universities]
