"""The grouped SQL of services.coverage gives what the pure rule (domain.coverage) gives, on random worlds.

Each world: 2–3 universities, about 50 staff (some inactive), competitions of both levels in two years,
entries in every status (approved ones approved inside and outside the competition's year), offline
participations in both years, with repeats. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from competition.domain.coverage import (
    Counted,
    StaffFact,
    compute_coverage,
    counting_date,
    covered_staff,
)
from competition.extensions import db
from competition.models import (
    Competition,
    CompetitionGroup,
    Department,
    Entry,
    OfflineParticipation,
    Staff,
    University,
)
from competition.pagination import PageRequest
from competition.services import coverage

YEARS = (2025, 2026)
CATEGORIES = ("teaching_research", "admin_logistics", "other")
STATUSES = ("pending", "approved", "rejected", "withdrawn")


@dataclass
class World:
    universities: list[University]
    staff: list[Staff]
    competitions: list[Competition]
    entries: list[Entry]
    offline: list[OfflineParticipation]


def moment(rng: random.Random, year: int) -> datetime:
    """Mostly inside ``year``; sometimes the December before or the January after (clamped by the rule)."""
    start = datetime(year - 1, 12, 1) if rng.random() < 0.15 else datetime(year, 1, 1)
    span = 400 if rng.random() < 0.1 else 364
    return start + timedelta(days=rng.randrange(span), hours=rng.randrange(24), minutes=rng.randrange(60))


def build_world(seed: int) -> World:
    rng = random.Random(seed)
    universities = [University(code=f"U{i}", name=f"第{i}大学") for i in range(rng.choice((2, 3)))]
    db.session.add_all(universities)
    staff = []
    for university in universities:
        departments = [Department(university=university, name=n) for n in ("文学院", "理学院", "后勤处")]
        db.session.add_all(departments)
        for n in range(rng.randrange(12, 22)):
            staff.append(
                Staff(
                    university=university,
                    staff_no=f"{university.code}-{n:03d}",
                    name=f"员工{n}",
                    department=rng.choice(departments),
                    category=rng.choice(CATEGORIES),
                    active=rng.random() > 0.15,
                )
            )
    db.session.add_all(staff)
    db.session.flush()  # ids for the offline participations below
    competitions = []
    for year in YEARS:
        for k in range(3):
            school = rng.random() < 0.5
            competition = Competition(
                name=f"{year}竞赛{k}",
                kind=rng.choice(("teaching", "drill")),
                level="school" if school else "provincial",
                university=rng.choice(universities) if school else None,
                year=year,
                eligible_categories=list(CATEGORIES),
                registration_opens=datetime(year, 1, 1),
                registration_closes=datetime(year, 2, 1),
                status="registration_closed",
            )
            competition.groups = [CompetitionGroup(name="组")]
            competitions.append(competition)
    db.session.add_all(competitions)
    entries = []
    for competition in competitions:
        for person in rng.sample(staff, k=len(staff) // 3):
            status = rng.choice(STATUSES)
            # A withdrawn or rejected entry may have been approved once: its approved_at must not count.
            approved = status == "approved" or rng.random() < 0.3
            entries.append(
                Entry(
                    competition=competition,
                    group=competition.groups[0],
                    staff=person,
                    university=person.university,
                    status=status,
                    approved_at=moment(rng, competition.year) if approved else None,
                )
            )
    db.session.add_all(entries)
    offline = []
    for _ in range(len(staff) // 2):
        person = rng.choice(staff)
        on = date(rng.choice(YEARS), rng.randrange(1, 13), rng.randrange(1, 29))
        for _repeat in range(rng.choice((1, 1, 2))):
            offline.append(
                OfflineParticipation(
                    university_id=person.university_id,
                    staff=person,
                    event=rng.choice(("读书会", "运动会")),
                    date=on,
                    year=on.year,
                )
            )
    db.session.add_all(offline)
    db.session.commit()
    return World(universities, staff, competitions, entries, offline)


def facts(world: World, university: University | None) -> list[StaffFact]:
    return [
        StaffFact(s.id, s.category, s.department.name, s.active)
        for s in world.staff
        if university is None or s.university_id == university.id
    ]


def counted(world: World, university: University | None, year: int) -> list[Counted]:
    """What counts, as the rule's callers pass it: approved entries of the year's competitions; offline."""
    mine = [
        Counted(e.staff_id, counting_date(year, e.approved_at))
        for e in world.entries
        if e.status == "approved"
        and e.competition.year == year
        and (university is None or e.university_id == university.id)
    ]
    mine += [
        Counted(o.staff_id, o.date)
        for o in world.offline
        if university is None or o.university_id == university.id
    ]
    return mine


def as_api(tally) -> dict:
    return {"headcount": tally.headcount, "covered": tally.covered, "rate": float(tally.rate)}


@pytest.fixture(params=[1, 2, 3, 4, 5])
def random_world(request, ctx) -> World:
    return build_world(request.param)


@pytest.mark.parametrize("year", YEARS)
def test_university_figures_equal_the_rule(random_world, year):
    for university in random_world.universities:
        rule = compute_coverage(
            facts(random_world, university), counted(random_world, university, year), year=year
        )
        sql = coverage.university_coverage(university=university, year=year)
        keys = {"total": rule.total, **rule.by_category}
        assert {k: sql["headcount"][k] for k in keys} == {k: t.headcount for k, t in keys.items()}
        assert {k: sql["covered"][k] for k in keys} == {k: t.covered for k, t in keys.items()}
        assert {k: sql["rate"][k] for k in keys} == {k: float(t.rate) for k, t in keys.items()}
        assert sql["departments"] == [{"name": n, **as_api(t)} for n, t in rule.by_department.items()]
        assert [(m["month"], m["covered"]) for m in sql["trend"]] == rule.trend


@pytest.mark.parametrize("year", YEARS)
def test_province_figures_and_trend_equal_the_rule(random_world, year):
    sql = coverage.province_coverage(year=year)
    assert [i["university"] for i in sql["items"]] == sorted(u.code for u in random_world.universities)
    for item in sql["items"]:
        university = next(u for u in random_world.universities if u.code == item["university"])
        rule = compute_coverage(
            facts(random_world, university), counted(random_world, university, year), year=year
        )
        assert item["headcount"]["total"] == rule.total.headcount
        assert item["covered"] == {
            "total": rule.total.covered,
            **{c: t.covered for c, t in rule.by_category.items()},
        }
    everyone = compute_coverage(facts(random_world, None), counted(random_world, None, year), year=year)
    assert sql["totals"] == as_api(everyone.total)
    assert [(m["month"], m["covered"]) for m in coverage.province_trend(year=year)] == everyone.trend


@pytest.mark.parametrize("year", YEARS)
def test_uncovered_staff_are_the_active_people_the_rule_leaves_out(random_world, year):
    for university in random_world.universities:
        people = facts(random_world, university)
        covered = covered_staff(people, counted(random_world, university, year), year=year)
        expected = {s.staff_id for s in people if s.active and s.staff_id not in covered}
        page = coverage.list_uncovered(
            university=university,
            year=year,
            filters=coverage.UncoveredFilters(),
            page=PageRequest(1, 500),
        )
        assert page.total == len(expected)
        assert {s.id for s in page.items} == expected
        for category in CATEGORIES:
            only = coverage.list_uncovered(
                university=university,
                year=year,
                filters=coverage.UncoveredFilters(category=category),
                page=PageRequest(1, 500),
            )
            assert {s.id for s in only.items} == {
                s.staff_id for s in people if s.staff_id in expected and s.category == category
            }


def test_the_competitions_of_a_year_count_approved_entries_of_the_university(random_world):
    for university in random_world.universities:
        rows = coverage.competitions_of_year(university=university, year=2026)
        assert {r["competition"].id for r in rows} == {
            c.id
            for c in random_world.competitions
            if c.year == 2026 and (c.level == "provincial" or c.university_id == university.id)
        }
        for row in rows:
            assert row["participants"] == sum(
                1
                for e in random_world.entries
                if e.competition_id == row["competition"].id
                and e.university_id == university.id
                and e.status == "approved"
            )
