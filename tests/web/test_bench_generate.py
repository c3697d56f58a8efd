"""The benchmarks' data generator (bench/generate.py) at scale 0.01, written into the test database."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from competition.domain.eligibility import age_on
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

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import generate as bench  # noqa: E402

SCALE = 0.01
YEAR = 2026


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _approved_per_university() -> dict[str, int]:
    rows = db.session.execute(
        select(University.code, func.count(Entry.id))
        .join(Entry, Entry.university_id == University.id)
        .where(Entry.status == "approved")
        .group_by(University.code)
    ).all()
    return dict(rows)


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))


def test_counts_follow_the_scale(ctx):
    counts = bench.generate(scale=SCALE, year=YEAR)

    assert counts["universities"] == _count(University) >= 4
    assert counts["staff"] == _count(Staff) == 1_500
    assert counts["entries"] == _count(Entry) == 2_000
    assert counts["offline_participations"] == _count(OfflineParticipation) == 400
    assert counts["competitions"] == _count(Competition) == 20
    per_university = db.session.execute(
        select(Department.university_id, func.count()).group_by(Department.university_id)
    ).all()
    assert all(20 <= n <= 60 for _, n in per_university)
    categories = Counter(db.session.scalars(select(Staff.category)))
    assert categories["teaching_research"] == pytest.approx(900, abs=6)
    assert categories["admin_logistics"] == pytest.approx(480, abs=6)
    inactive = _count(select(Staff.id).where(Staff.active.is_(False)).subquery())
    assert 0 < inactive < 0.05 * 1_500
    statuses = Counter(db.session.scalars(select(Entry.status)))
    assert set(statuses) == {"approved", "pending", "rejected", "withdrawn"}
    assert statuses["approved"] == pytest.approx(1_400, abs=20)
    assert statuses["pending"] == pytest.approx(300, abs=20)
    levels = Counter(db.session.scalars(select(Competition.level)))
    assert levels["provincial"] >= 3 and levels["school"] >= counts["universities"]
    assert set(db.session.scalars(select(Competition.year))) == {YEAR}


def test_entries_are_eligible_unique_and_dated_in_the_year(ctx):
    bench.generate(scale=SCALE, year=YEAR)
    rows = db.session.execute(
        select(Entry, Competition, Staff)
        .join(Competition, Entry.competition_id == Competition.id)
        .join(Staff, Entry.staff_id == Staff.id)
    ).all()
    pairs = Counter((entry.competition_id, entry.staff_id) for entry, _, _ in rows)
    assert max(pairs.values()) == 1
    groups = dict(db.session.execute(select(CompetitionGroup.id, CompetitionGroup.competition_id)).all())
    start, end = datetime(YEAR, 1, 1), datetime(YEAR + 1, 1, 1)
    for entry, competition, person in rows:
        assert entry.university_id == person.university_id
        if competition.level == "school":
            assert person.university_id == competition.university_id
        assert person.category in competition.eligible_categories
        if competition.max_age is not None:
            assert age_on(person.birth_date, competition.age_reference_date) <= competition.max_age
        assert groups[entry.group_id] == competition.id
        assert competition.status != "draft"
        assert competition.registration_opens <= entry.created_at
        if entry.status == "approved":
            assert start <= entry.approved_at < end
            assert entry.approved_at >= entry.created_at
        else:
            assert entry.approved_at is None
        if entry.status == "pending":
            assert entry.decided_at is None
    # Drawn competitions: every approved entry has its number, 1..n within its group.
    drawn = {}
    for entry, competition, _ in rows:
        if competition.status in ("scoring", "published") and entry.status == "approved":
            drawn.setdefault(entry.group_id, []).append(entry.draw_no)
    assert drawn
    for numbers in drawn.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    # The trend grows: approvals in at least eight different months.
    assert len({entry.approved_at.month for entry, _, _ in rows if entry.approved_at}) >= 8


def test_offline_participations_and_coverage_spread(ctx):
    bench.generate(scale=SCALE, year=YEAR)
    offline = db.session.execute(
        select(
            OfflineParticipation.date, OfflineParticipation.year, OfflineParticipation.university_id, Staff
        ).join(Staff, OfflineParticipation.staff_id == Staff.id)
    ).all()
    assert offline
    for day, year, university_id, person in offline:
        assert date(YEAR, 1, 1) <= day <= date(YEAR, 12, 31) and year == YEAR
        assert university_id == person.university_id
    assert len({day.month for day, *_ in offline}) >= 6
    covered = set(db.session.scalars(select(Entry.staff_id).where(Entry.status == "approved"))) | {
        person.id for *_, person in offline
    }
    active = db.session.execute(select(Staff.id, Staff.university_id).where(Staff.active.is_(True))).all()
    headcount, reached = Counter(), Counter()
    for staff_id, university_id in active:
        headcount[university_id] += 1
        reached[university_id] += staff_id in covered
    rates = [reached[u] / headcount[u] for u in headcount]
    assert 0 < min(rates) < 0.8 and max(rates) > 0.85


def test_the_same_seed_gives_the_same_province(ctx):
    first = bench.generate(seed=7, scale=SCALE, year=YEAR)
    approved = _approved_per_university()
    with pytest.raises(RuntimeError, match="empty database"):
        bench.generate(seed=7, scale=SCALE, year=YEAR)
    _empty_tables()
    second = bench.generate(seed=7, scale=SCALE, year=YEAR)
    assert _approved_per_university() == approved
    for key in ("staff", "entries", "entries_by_status", "competitions_by_status", "offline_participations"):
        assert first[key] == second[key]
    # The plan itself (pure) is the same row for row, and another seed gives another province.
    assert bench.plan(seed=7, scale=SCALE).rows == bench.plan(seed=7, scale=SCALE).rows
    assert bench.plan(seed=8, scale=SCALE).rows["entry"] != bench.plan(seed=7, scale=SCALE).rows["entry"]
