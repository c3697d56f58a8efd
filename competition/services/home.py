"""What each role's home page leads to: the day's to-do first (entries to decide, sheets to score), then the
competitions by state and the coverage against the target.

Every figure is a grouped query over the whole scope (a province of 60 universities and 300 competitions is a
handful of round-trips, never one per competition or university). Coverage comes from ``services.coverage``
and is judged against the organizer's thresholds as the dashboards judge it (``services.reports.figure``);
a judge's queue is ``services.judge_queue``; a staff member's list is ``services.entries``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select

from ..domain.coverage import rate
from ..enums import DECIDING_STATUSES, CompetitionLevel, CompetitionStatus, EntryStatus, Role, SheetStatus
from ..extensions import db
from ..models import Competition, Entry, Staff, University, User
from ..permissions import admin_university_ids, is_organizer
from . import coverage, entries, judge_queue
from .reports import Figure, figure
from .settings import Thresholds, thresholds

SHOWN = 10  # lines of a to-do list on the home page; the rest are counted and linked


@dataclass(frozen=True)
class Pending:
    """A competition with entries waiting for a decision: how many, and the quota use of the scope."""

    competition: Competition
    pending: int
    universities: int  # universities with a pending entry in it
    approved: int  # approved entries of the scope (a university admin's: their university's)

    @property
    def quota_left(self) -> int | None:
        quota = self.competition.quota_per_university
        return None if quota is None else max(0, quota - self.approved)


@dataclass(frozen=True)
class StateCount:
    """Competitions of one level in one state (published ones: of ``year`` only)."""

    level: str
    status: str
    count: int


@dataclass(frozen=True)
class UniversityFigure:
    university: University
    figure: Figure


@dataclass
class AdminHome:
    universities: list[University]
    pending: list[Pending]
    states: list[StateCount]
    coverage: list[UniversityFigure]


@dataclass
class OrganizerHome:
    pending: list[Pending]
    states: list[StateCount]
    coverage: Figure
    below_warning: list[UniversityFigure]  # worst first
    universities: int
    without_roster: int


@dataclass(frozen=True)
class JudgeLine:
    competition_id: int
    name: str
    groups: list[str]
    sheets: int  # sheets the judge fills (round × contestant)
    submitted: int
    drafts: int
    reopened: int


@dataclass
class StaffHome:
    staff: Staff
    registrable: list[Competition]
    entries: list[Entry]  # standing and decided, not withdrawn, newest first


@dataclass
class Home:
    year: int
    thresholds: Thresholds
    organizer: OrganizerHome | None = None
    admin: AdminHome | None = None
    judge: list[JudgeLine] | None = None
    staff: StaffHome | None = None
    roles: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        """The account has no role that has a home section (a new account without a grant yet)."""
        return not (self.organizer or self.admin or self.judge is not None or self.staff)


# --- entries waiting for a decision -------------------------------------------------------------------------


def pending_entries(*, university_ids: set[int] | None = None, level: str | None = None) -> list[Pending]:
    """Competitions still taking decisions (registration open or just closed) with pending entries, closing
    soonest first. ``university_ids``: only those universities' entries (a university admin's); ``level``:
    only competitions of that level (the organizer's nominations: provincial)."""
    scope = [Entry.university_id.in_(university_ids)] if university_ids is not None else []
    deciding = select(Competition.id).where(Competition.status.in_(DECIDING_STATUSES))
    if level is not None:
        deciding = deciding.where(Competition.level == level)
    counts = (
        select(
            Entry.competition_id,
            func.count().label("pending"),
            func.count(distinct(Entry.university_id)).label("universities"),
        )
        .where(Entry.status == EntryStatus.PENDING, Entry.competition_id.in_(deciding), *scope)
        .group_by(Entry.competition_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Competition, counts.c.pending, counts.c.universities)
        .join(counts, counts.c.competition_id == Competition.id)
        .order_by(Competition.registration_closes, Competition.id)
    ).all()
    if not rows:
        return []
    approved = dict(
        db.session.execute(
            select(Entry.competition_id, func.count())
            .where(
                Entry.competition_id.in_([c.id for c, _, _ in rows]),
                Entry.status == EntryStatus.APPROVED,
                *scope,
            )
            .group_by(Entry.competition_id)
        ).all()
    )
    return [Pending(c, pending, universities, approved.get(c.id, 0)) for c, pending, universities in rows]


# --- competitions by state ----------------------------------------------------------------------------------


def competitions_by_state(*, year: int, university_ids: set[int] | None = None) -> list[StateCount]:
    """Counts per level and state, in life order; published ones of ``year`` only (the others of any year:
    a contest from last December still being scored is still work). ``university_ids``: those universities'
    school-level competitions only (a university admin's own)."""
    stmt = (
        select(Competition.level, Competition.status, func.count())
        .where((Competition.status != CompetitionStatus.PUBLISHED) | (Competition.year == year))
        .group_by(Competition.level, Competition.status)
    )
    if university_ids is not None:
        stmt = stmt.where(
            Competition.level == CompetitionLevel.SCHOOL, Competition.university_id.in_(university_ids)
        )
    found = {(level, status): n for level, status, n in db.session.execute(stmt)}
    levels = [CompetitionLevel.SCHOOL] if university_ids is not None else list(CompetitionLevel)
    return [StateCount(lv, s, found.get((lv, s), 0)) for lv in levels for s in CompetitionStatus]


# --- coverage -----------------------------------------------------------------------------------------------


def _figures(universities: list[University], year: int, limits: Thresholds) -> list[UniversityFigure]:
    """Each university's coverage in ``year`` against the target, with the people still to reach."""
    data = coverage.province_coverage(year=year, universities=universities)
    by_code = {u.code: u for u in universities}
    return [
        UniversityFigure(
            by_code[item["university"]],
            figure(
                "total",
                item["headcount"]["total"],
                item["covered"]["total"],
                item["rate"]["total"],
                limits,
            ),
        )
        for item in data["items"]
    ]


def _organizer(year: int, limits: Thresholds) -> OrganizerHome:
    universities = list(db.session.scalars(select(University).order_by(University.code)))
    lines = _figures(universities, year, limits)
    headcount = sum(u.figure.headcount for u in lines)
    covered = sum(u.figure.covered for u in lines)
    below = sorted(
        (u for u in lines if u.figure.status == "bad"), key=lambda u: (u.figure.rate, u.university.code)
    )
    return OrganizerHome(
        pending=pending_entries(level=CompetitionLevel.PROVINCIAL),
        states=competitions_by_state(year=year),
        coverage=figure("total", headcount, covered, float(rate(covered, headcount)), limits),
        below_warning=below,
        universities=len(lines),
        without_roster=sum(1 for u in lines if u.figure.status == "none"),
    )


# --- a judge's queue and a staff member's registrations -----------------------------------------------------


def judge_lines(judge: User) -> list[JudgeLine]:
    """Per competition being scored: the sheets the judge fills and how many are submitted, drafts or sent
    back (the queue the tablet page shows, counted)."""
    queue = judge_queue.judge_queue(judge)
    lines = []
    for c in queue["competitions"]:
        items = [i for i in queue["items"] if i["competition_id"] == c["id"]]
        status = [i["sheet_status"] for i in items]
        lines.append(
            JudgeLine(
                competition_id=c["id"],
                name=c["name"],
                groups=[g["name"] for g in c["groups"]],
                sheets=len(items),
                submitted=status.count(SheetStatus.SUBMITTED),
                drafts=status.count(SheetStatus.DRAFT),
                # a sheet sent back by the organizer is a draft again, with the reason kept
                reopened=sum(
                    1 for i in items if i["reopened_reason"] and i["sheet_status"] == SheetStatus.DRAFT
                ),
            )
        )
    return lines


def staff_home(user: User) -> StaffHome | None:
    """What ``/my/`` shows, in short: the competitions open to the person now and their entries."""
    person = entries.staff_of(user)
    if person is None:
        return None
    mine = entries.my_entries(user=user)
    offers = entries.offers_for(user=user, staff=person, entries=mine)
    return StaffHome(
        staff=person,
        registrable=[o.competition for o in offers if o.registrable],
        entries=[e for e in mine if e.status != EntryStatus.WITHDRAWN],
    )


# --- the page -----------------------------------------------------------------------------------------------


def home_of(*, user: User, year: int) -> Home:
    """Every section the user's roles call for; an organizer's province replaces a university admin's view."""
    limits = thresholds()
    home = Home(year=year, thresholds=limits, roles={g.role for g in user.roles})
    if is_organizer(user):
        home.organizer = _organizer(year, limits)
    elif mine := admin_university_ids(user):
        universities = list(
            db.session.scalars(select(University).where(University.id.in_(mine)).order_by(University.code))
        )
        home.admin = AdminHome(
            universities=universities,
            pending=pending_entries(university_ids=mine),
            states=competitions_by_state(year=year, university_ids=mine),
            coverage=_figures(universities, year, limits),
        )
    if Role.JUDGE in home.roles:
        home.judge = judge_lines(user)
    if Role.STAFF in home.roles:
        home.staff = staff_home(user)
    return home
