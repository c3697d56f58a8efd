"""The benchmarks' data generator (bench/generate.py) at scale 0.01, written into the test database: the
province of the year, its past, its accounts and audit log, and the two contests built by the services."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select, text

from competition.domain.eligibility import age_on
from competition.extensions import db
from competition.models import (
    AuditLog,
    Competition,
    CompetitionGroup,
    Department,
    Entry,
    ExamAttempt,
    JudgeAssignment,
    OfflineParticipation,
    RoleGrant,
    ScoreSheet,
    Staff,
    University,
    User,
)
from competition.services.accounts import authenticate
from competition.services.audit_log import describe

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


def _this_year(stmt):
    return stmt.join(Competition, Entry.competition_id == Competition.id).where(Competition.year == YEAR)


def test_counts_follow_the_scale(ctx):
    counts = bench.generate(scale=SCALE, year=YEAR, contests=False)

    assert counts["universities"] == _count(University) >= 4
    assert counts["staff"] == _count(Staff) == 1_500
    assert counts["entries"] == _count(_this_year(select(Entry.id)).subquery()) == 2_000
    assert counts["entries"] + counts["past_entries"] == _count(Entry)
    assert counts["offline_participations"] == _count(OfflineParticipation) == 400
    assert counts["competitions"] == _count(select(Competition.id).where(Competition.year == YEAR).subquery())
    assert counts["competitions"] + counts["past_competitions"] == _count(Competition) == 24
    per_university = db.session.execute(
        select(Department.university_id, func.count()).group_by(Department.university_id)
    ).all()
    assert all(20 <= n <= 60 for _, n in per_university)
    categories = Counter(db.session.scalars(select(Staff.category)))
    assert categories["teaching_research"] == pytest.approx(900, abs=6)
    assert categories["admin_logistics"] == pytest.approx(480, abs=6)
    inactive = _count(select(Staff.id).where(Staff.active.is_(False)).subquery())
    assert 0 < inactive < 0.05 * 1_500
    statuses = Counter(db.session.scalars(_this_year(select(Entry.status))))
    assert set(statuses) == {"approved", "pending", "rejected", "withdrawn"}
    assert statuses["approved"] == pytest.approx(1_400, abs=20)
    assert statuses["pending"] == pytest.approx(300, abs=20)
    levels = Counter(db.session.scalars(select(Competition.level).where(Competition.year == YEAR)))
    assert levels["provincial"] >= 3 and levels["school"] >= counts["universities"]
    assert set(db.session.scalars(select(Competition.year))) == {YEAR - 2, YEAR - 1, YEAR}
    # The largest provincial competition has 5,000 entries at scale 1 (50 here).
    largest = select(func.count()).where(Entry.competition_id == counts["largest_competition"])
    assert db.session.scalar(largest) == 50


def test_entries_are_eligible_unique_and_dated_in_their_year(ctx):
    bench.generate(scale=SCALE, year=YEAR, contests=False)
    rows = db.session.execute(
        select(Entry, Competition, Staff)
        .join(Competition, Entry.competition_id == Competition.id)
        .join(Staff, Entry.staff_id == Staff.id)
    ).all()
    pairs = Counter((entry.competition_id, entry.staff_id) for entry, _, _ in rows)
    assert max(pairs.values()) == 1
    groups = dict(db.session.execute(select(CompetitionGroup.id, CompetitionGroup.competition_id)).all())
    for entry, competition, person in rows:
        start, end = datetime(competition.year, 1, 1), datetime(competition.year + 1, 1, 1)
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
    assert {c.status for _, c, _ in rows if c.year < YEAR} == {"published"}
    assert drawn
    for numbers in drawn.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    # The trend grows: approvals in at least eight different months.
    months = {e.approved_at.month for e, c, _ in rows if c.year == YEAR and e.approved_at}
    assert len(months) >= 8


def test_offline_participations_and_coverage_spread(ctx):
    bench.generate(scale=SCALE, year=YEAR, contests=False)
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
    approved = _this_year(select(Entry.staff_id)).where(Entry.status == "approved")
    covered = set(db.session.scalars(approved)) | {person.id for *_, person in offline}
    active = db.session.execute(select(Staff.id, Staff.university_id).where(Staff.active.is_(True))).all()
    headcount, reached = Counter(), Counter()
    for staff_id, university_id in active:
        headcount[university_id] += 1
        reached[university_id] += staff_id in covered
    rates = [reached[u] / headcount[u] for u in headcount]
    assert 0 < min(rates) < 0.8 and max(rates) > 0.85


def test_the_same_seed_gives_the_same_province(ctx):
    first = bench.generate(seed=7, scale=SCALE, year=YEAR, contests=False)
    approved = _approved_per_university()
    with pytest.raises(RuntimeError, match="empty database"):
        bench.generate(seed=7, scale=SCALE, year=YEAR, contests=False)
    _empty_tables()
    second = bench.generate(seed=7, scale=SCALE, year=YEAR, contests=False)
    assert _approved_per_university() == approved
    same = ("staff", "entries", "entries_by_status", "competitions_by_status", "offline_participations")
    for key in (*same, "accounts", "audit_rows", "past_entries"):
        assert first[key] == second[key]
    assert first["logins"]["password"] != second["logins"]["password"]  # drawn, never from the seed
    # The plan itself (pure) is the same row for row, and another seed gives another province.
    assert bench.plan(seed=7, scale=SCALE).rows == bench.plan(seed=7, scale=SCALE).rows
    assert bench.plan(seed=8, scale=SCALE).rows["entry"] != bench.plan(seed=7, scale=SCALE).rows["entry"]


def test_accounts_of_every_role_and_staff_accounts_but_the_largest_university(ctx):
    counts = bench.generate(scale=SCALE, year=YEAR, contests=False)
    grants = db.session.execute(select(RoleGrant.role, RoleGrant.university_id, RoleGrant.staff_id)).all()
    assert counts["accounts"] == _count(User) == len(grants)
    universities = dict(db.session.execute(select(University.id, University.code)).all())
    roles = Counter(role for role, _, _ in grants)
    assert roles["organizer"] >= 1
    admins = Counter(u for role, u, _ in grants if role == "university_admin")
    assert set(admins) == set(universities) and set(admins.values()) == {2}
    judges = Counter(u for role, u, _ in grants if role == "judge")
    assert set(judges) == set(universities) | {None} and judges[None] >= 3  # None: outside experts
    staff_grants = [(u, s) for role, u, s in grants if role == "staff"]
    assert counts["staff_accounts"] == len(staff_grants)
    people = dict(
        db.session.execute(select(Staff.id, Staff.university_id).where(Staff.active.is_(True))).all()
    )
    assert all(people[s] == u for u, s in staff_grants)  # active staff of their own university
    opened = Counter(u for u, _ in staff_grants)
    headcount = Counter(people.values())
    without = next(i for i, code in universities.items() if code == counts["without_staff_accounts"])
    assert without not in opened and headcount[without] == max(headcount.values())
    assert all(0.4 < opened[u] / headcount[u] < 0.97 for u in universities if u != without)
    # Every account logs in with the one password (its hash is the cheap one of issued passwords).
    logins = counts["logins"]
    for key in ("organizer", "largest_university_admin", "judge", "expert", "staff"):
        assert authenticate(logins[key], logins["password"]) is not None
    db.session.rollback()


def test_a_year_of_audit_rows_naming_real_objects(ctx):
    counts = bench.generate(scale=SCALE, year=YEAR, contests=False)
    rows = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert counts["audit_rows"] == len(rows) > 3_000  # about 370,000 at scale 1
    actions = Counter(row.action for row in rows)
    assert actions.most_common(1)[0][0] == "user.login"
    for action in ("entry.register", "entry.approve", "entry.reject", "sheet.submit", "roster.import"):
        assert actions[action] > 0
    assert all(a.at <= b.at for a, b in zip(rows, rows[1:], strict=False))  # the ids grow with time
    assert datetime(YEAR, 1, 1) <= rows[0].at and rows[-1].at <= datetime(YEAR, 11, 20, 4, 0)
    assert len({row.at.month for row in rows}) >= 10
    users = dict(db.session.execute(select(User.id, User.username)).all())
    assert all(users[row.user_id] == row.username for row in rows)
    entries = {e.id: e for e in db.session.scalars(select(Entry))}
    for row in rows:
        if row.action == "entry.approve":
            entry = entries[int(row.object_id)]
            assert entry.status == "approved" and entry.approved_at == row.at
            assert row.university_id == entry.university_id
            assert row.details["competition_id"] == entry.competition_id
    # Every action reads as its own sentence, its objects named (no "—" for a missing one).
    organizer = db.session.scalar(select(User).where(User.username == counts["logins"]["organizer"]))
    sample = list({row.action: row for row in rows}.values())
    with current_app.test_request_context():
        lines = describe(sample, viewer=organizer)
    assert all(line.known and "—" not in line.sentence for line in lines)


def test_the_judged_group_and_the_quiz_among_the_province(ctx):
    counts = bench.generate(scale=SCALE, year=YEAR)
    built = counts["contests"]
    group = db.session.get(Competition, built.group_competition_id)
    quiz = db.session.get(Competition, built.quiz_competition_id)
    assert group.status == "scoring" and group.level == "provincial" and group.year == quiz.year == YEAR
    assert "岗位技能大赛" in group.name and "安全知识" in quiz.name
    entrants = db.session.execute(
        select(Entry.university_id, Staff.university_id, Staff.category)
        .join(Staff, Entry.staff_id == Staff.id)
        .where(Entry.competition_id == group.id)
    ).all()
    assert len(entrants) == built.entries == 5  # 500 at scale 1
    assert len({u for u, _, _ in entrants}) == 5 and all(u == s for u, s, _ in entrants)
    assert {c for _, _, c in entrants} == {"teaching_research"}
    panel = db.session.execute(
        select(RoleGrant.university_id)
        .join(JudgeAssignment, JudgeAssignment.judge_id == RoleGrant.user_id)
        .where(JudgeAssignment.competition_id == group.id, RoleGrant.role == "judge")
    ).all()
    judges = [u for (u,) in panel]  # 3 outside experts, 6 judges of 6 universities
    assert len(judges) == 9 and judges.count(None) == 3 and len(set(judges) - {None}) == 6
    group_entries = select(Entry.id).where(Entry.competition_id == group.id)
    sheets = db.session.scalars(select(ScoreSheet.status).where(ScoreSheet.entry_id.in_(group_entries))).all()
    assert len(sheets) == built.sheets > 0 and set(sheets) == {"submitted"}
    attempts = db.session.scalars(
        select(ExamAttempt.status).where(ExamAttempt.round_id == built.quiz_round_id)
    ).all()
    assert len(attempts) == built.attempts == 200 and set(attempts) == {"submitted"}  # 20,000 at scale 1
    sitters = db.session.scalars(
        select(func.count(func.distinct(Entry.university_id))).where(Entry.competition_id == quiz.id)
    ).one()
    assert sitters == counts["universities"]


def test_the_demo_command_loads_the_province(app, runner, ctx):
    result = runner.invoke(args=["demo", "--size", "province", "--scale", "0.01", "--seed", "7"])

    assert result.exit_code == 0, result.output
    assert _count(University) >= 4 and _count(Staff) == 1_500 and _count(ExamAttempt) == 200
    lines = result.output.splitlines()
    password = next(line.split()[1] for line in lines if line.startswith("organizer1 "))
    for username in ("organizer1", "expert01"):
        assert any(line.startswith(f"{username} ") for line in lines)
        assert authenticate(username, password) is not None
    assert "Province size" in result.output
    saved = (Path(app.instance_path) / "demo-logins.txt").read_text(encoding="utf-8")
    assert saved in result.output and password in saved
    again = runner.invoke(args=["demo", "--size", "province", "--scale", "0.01"])
    assert again.exit_code != 0 and "already holds universities" in again.output
