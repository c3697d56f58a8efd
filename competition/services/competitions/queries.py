"""Reading competitions: the filtered list a user may see (whole, or a page of it), what they may copy,
entries per university."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ...extensions import db
from ...models import Competition, University, User
from ...pagination import Page, PageRequest, fetch_page
from ...permissions import can_manage_competition, visible_competitions

COMPETITIONS_PER_PAGE = 20  # the page's list (about 2,000 px of cards); the API's page size is its own
MAX_SEARCH_WORDS = 5


@dataclass(frozen=True)
class CompetitionFilters:
    year: int | None = None
    level: str | None = None
    kind: str | None = None
    university: str | None = None
    status: str | None = None
    # Words, each found in the name or in the university (name or code) of a school-level competition.
    q: str | None = None

    @property
    def any(self) -> bool:
        """True when some filter or search narrows the list."""
        return any((self.year, self.level, self.kind, self.university, self.status, self.q))


def _matching(user: User, filters: CompetitionFilters):
    """The competitions ``user`` may see that pass ``filters``, newest first, as one query."""
    stmt = visible_competitions(user)
    for word in (filters.q or "").split()[:MAX_SEARCH_WORDS]:
        school = select(University.id).where(
            or_(University.name.icontains(word, autoescape=True), func.upper(University.code) == word.upper())
        )
        stmt = stmt.where(
            or_(Competition.name.icontains(word, autoescape=True), Competition.university_id.in_(school))
        )
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
    return stmt.order_by(
        Competition.year.desc(), Competition.registration_opens.desc(), Competition.id.desc()
    )


def list_competitions(*, user: User, filters: CompetitionFilters) -> list[Competition]:
    """Every competition ``user`` may see that passes ``filters`` (the API's list), newest first."""
    return list(db.session.scalars(_matching(user, filters)))


def competition_page(*, user: User, filters: CompetitionFilters, page: PageRequest) -> Page:
    """One page of ``list_competitions`` with the count of all of them; a page beyond the last shows the last.
    (The page's universities are those the view loaded for its filter, already in the session.)"""
    return fetch_page(_matching(user, filters), page, clamp=True)


def copyable_competitions(*, user: User) -> list[Competition]:
    """What the user may copy as next year's draft: the competitions they run."""
    found = list_competitions(user=user, filters=CompetitionFilters())
    return [c for c in found if can_manage_competition(user, c)]
