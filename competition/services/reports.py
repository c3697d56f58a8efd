"""The coverage report upward: figures against the target and the events held (Excel: report_workbooks).

Every coverage figure comes from ``services.coverage`` (grouped SQL); this module only arranges it: the status
against the organizer's thresholds, the people still to reach, and the events with their participant counts.
Universities and departments are listed in pinyin order (``domain.pinyin_order``), as on paper; a
competition still in draft is not an event held, so it is in no list here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import distinct, select
from sqlalchemy.orm import joinedload

from ..clock import local_today
from ..domain.coverage import rate
from ..domain.pinyin_order import by_pinyin, pinyin_key
from ..enums import CompetitionStatus
from ..extensions import db
from ..models import Competition, OfflineParticipation, University
from . import coverage
from .settings import Thresholds, thresholds

CATEGORIES = coverage.CATEGORIES


def people_to_target(covered: int, headcount: int, target: Decimal) -> int:
    """The people still to reach before the rate meets ``target``; 0 once it does.

    The least n with ``rate(covered + n, headcount) >= target``, on the same rounded rate that the status is
    judged on: a 90% target with 30 of 41 covered needs 7 more (36/41 is 87.80%, 37/41 is 90.24%).
    """
    if headcount == 0:
        return 0
    needed = min(headcount, math.ceil(target * headcount))
    while needed > 0 and rate(needed - 1, headcount) >= target:
        needed -= 1
    return max(0, needed - covered)


@dataclass(frozen=True)
class Figure:
    """Headcount, covered and rate of one scope (everyone, a post category, a department, a university)."""

    key: str
    headcount: int
    covered: int
    rate: float
    status: str  # ok / warn / bad against the thresholds; none when nobody is on the roster
    to_target: int

    @property
    def gap(self) -> int:
        """Staff not yet covered (the gap to 100%)."""
        return self.headcount - self.covered


def figure(key: str, headcount: int, covered: int, value: float, limits: Thresholds) -> Figure:
    status = "none" if headcount == 0 else limits.status(value)
    return Figure(key, headcount, covered, value, status, people_to_target(covered, headcount, limits.target))


def _figures(item: dict, limits: Thresholds) -> tuple[Figure, dict[str, Figure]]:
    def one(key: str) -> Figure:
        return figure(key, item["headcount"][key], item["covered"][key], item["rate"][key], limits)

    return one("total"), {c: one(c) for c in CATEGORIES}


@dataclass(frozen=True)
class UniversityLine:
    code: str
    name: str
    total: Figure
    categories: dict[str, Figure]


@dataclass(frozen=True)
class Event:
    """An event held in the year: a competition on the platform or an offline event, with its participants."""

    kind: str  # competition / offline
    name: str
    participants: int
    host: str  # the university that ran it, or "" for a provincial competition
    level: str | None = None
    first: date | None = None
    last: date | None = None
    imported_at: datetime | None = None


@dataclass
class Report:
    """What a dashboard, the printable summary and the workbook show for one scope and year."""

    year: int
    as_of: datetime
    thresholds: Thresholds
    total: Figure
    categories: dict[str, Figure]
    trend: list[dict]
    university: University | None = None
    universities: list[UniversityLine] = field(default_factory=list)  # in pinyin order of their names
    departments: list[tuple[str, Figure]] = field(default_factory=list)  # in pinyin order
    competitions: list[Event] = field(default_factory=list)
    offline: list[Event] = field(default_factory=list)

    @property
    def lines(self) -> list[tuple[str, Figure]]:
        """The rows under the totals: a university's departments, or the universities best rate first (equal
        rates in pinyin order)."""
        if self.university is not None:
            return self.departments
        ranked = sorted(self.universities, key=lambda u: (-u.total.rate, pinyin_key(u.name)))
        return [(u.name, u.total) for u in ranked]

    @property
    def meeting(self) -> int:
        """Universities meeting the target."""
        return sum(1 for u in self.universities if u.total.status == "ok")


def shown_months(trend: list[dict], year: int) -> list[dict]:
    """The months of the trend up to this one: a month still to come has no figure yet."""
    today = local_today()
    if year != today.year:
        return trend
    return trend[: today.month]


def province_report(*, year: int) -> Report:
    limits = thresholds()
    data = coverage.province_coverage(year=year)
    lines = []
    headcount = {c: 0 for c in CATEGORIES}
    covered = {c: 0 for c in CATEGORIES}
    for item in data["items"]:
        total, categories = _figures(item, limits)
        lines.append(UniversityLine(item["university"], item["name"], total, categories))
        for c in CATEGORIES:
            headcount[c] += item["headcount"][c]
            covered[c] += item["covered"][c]
    totals = data["totals"]
    return Report(
        year=year,
        as_of=datetime.now(UTC),
        thresholds=limits,
        total=figure("total", totals["headcount"], totals["covered"], totals["rate"], limits),
        categories={
            c: figure(c, headcount[c], covered[c], float(rate(covered[c], headcount[c])), limits)
            for c in CATEGORIES
        },
        trend=shown_months(coverage.province_trend(year=year), year),
        universities=by_pinyin(lines, key=lambda u: u.name),
        competitions=province_competitions(year=year),
        offline=offline_events(year=year),
    )


def university_report(*, university: University, year: int) -> Report:
    limits = thresholds()
    data = coverage.university_coverage(university=university, year=year)
    total, categories = _figures(data, limits)
    return Report(
        year=year,
        as_of=datetime.now(UTC),
        thresholds=limits,
        total=total,
        categories=categories,
        trend=shown_months(data["trend"], year),
        university=university,
        departments=[
            (d["name"], figure(d["name"], d["headcount"], d["covered"], d["rate"], limits))
            for d in data["departments"]
        ],
        competitions=[
            _competition_event(row["competition"], row["participants"])
            for row in coverage.competitions_of_year(university=university, year=year)
        ],
        offline=offline_events(year=year, university=university),
    )


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _competition_event(competition: Competition, participants: int) -> Event:
    return Event(
        kind="competition",
        name=competition.name,
        participants=participants,
        host=competition.university.name if competition.university else "",
        level=competition.level,
        first=_local_date(competition.registration_opens),
        last=_local_date(competition.registration_closes),
    )


def province_competitions(*, year: int) -> list[Event]:
    """Every competition of the year held (not a draft) with its approved entries from all universities (the
    counts from ``coverage``'s cache: they change when entries are approved, not per request)."""
    counts = coverage.participants_by_competition(year=year)
    held = db.session.scalars(
        select(Competition)
        .options(joinedload(Competition.university))
        .where(Competition.year == year, Competition.status != CompetitionStatus.DRAFT)
        .order_by(Competition.registration_opens, Competition.id)
    )
    return [_competition_event(c, counts.get(c.id, 0)) for c in held]


def offline_events(*, year: int, university: University | None = None) -> list[Event]:
    """Offline events of the year by university and name: distinct participants, dates and last import, in
    order of their first date (from ``coverage``'s cache, like the coverage they count in)."""
    rows = coverage.offline_events(year=year, universities=None if university is None else [university])
    return [
        Event("offline", event, n, host.name, first=first, last=last, imported_at=at)
        for host, event, n, first, last, at in rows
    ]


def available_years() -> list[int]:
    """The years that have competitions or offline participations, and this year; newest first."""
    years = set(db.session.scalars(select(distinct(Competition.year))))
    years |= set(db.session.scalars(select(distinct(OfflineParticipation.year))))
    years.add(local_today().year)
    return sorted(years, reverse=True)
