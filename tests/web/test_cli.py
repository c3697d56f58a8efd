"""The ``flask`` commands: init-db, create-user, demo and backup."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from competition.demo import LOGINS_FILE, load_demo
from competition.demo.data import UNIVERSITIES
from competition.demo.people import _staff_rows
from competition.extensions import db
from competition.models import AuditLog, Department, RoleGrant, Staff, University, User
from competition.services import account_batches
from competition.services.accounts import INITIAL_PASSWORD_METHOD, authenticate
from tests.builders import api_login_as

STRONG = "Lantern-Orbit-73"


def refused(result, *needles: str) -> None:
    """The command stopped with click's error (not a crash) and said why."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Error" in result.output
    for needle in needles:
        assert needle in result.output, result.output


@pytest.fixture
def logins_file(app):
    path = Path(app.instance_path) / LOGINS_FILE
    path.unlink(missing_ok=True)
    yield path
    path.unlink(missing_ok=True)


def logins(text_: str) -> dict[str, str]:
    """username -> password, from the table that ``load_demo`` returns."""
    usernames = set(db.session.scalars(select(User.username)))
    found = {}
    for line in text_.splitlines():
        cells = line.split()
        if cells and cells[0] in usernames:
            found[cells[0]] = cells[1]
    return found


def empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


# --- init-db ---------------------------------------------------------------------------------------------


def test_init_db_is_idempotent(app, runner, ctx):
    head = ScriptDirectory(str(Path(app.root_path).parent / "migrations")).get_current_head()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "Database schema is up to date." in result.output
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == head
    assert db.session.scalar(select(func.count()).select_from(University)) == 0


# --- create-user -----------------------------------------------------------------------------------------


def test_create_organizer_then_log_in(runner, client, ctx):
    result = runner.invoke(args=["create-user", "chief", "--role", "organizer", "--password", STRONG])
    assert result.exit_code == 0, result.output
    assert "Created chief (organizer)." in result.output
    user = db.session.scalar(select(User).where(User.username == "chief"))
    assert [(g.role, g.university_id) for g in user.roles] == [("organizer", None)]
    assert user.password_hash.startswith("scrypt:")  # a chosen password gets the full-cost hash
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "user.create"))
    assert audit.user_id is None and audit.details["username"] == "chief"

    api_login_as(client, "chief", STRONG)
    me = client.get("/api/v1/me").get_json()
    assert me["username"] == "chief"
    assert me["roles"] == [{"role": "organizer"}]


def test_create_university_admin(runner, make):
    dhut = make.university("DHUT", "东湖理工大学")
    result = runner.invoke(
        args=["create-user", "dh_admin", "--role", "university_admin", "--university", "DHUT"],
        input=f"{STRONG}\n{STRONG}\n",  # the password is prompted for twice when not given
    )
    assert result.exit_code == 0, result.output
    assert "Created dh_admin (university_admin)." in result.output
    user = db.session.scalar(select(User).where(User.username == "dh_admin"))
    assert [(g.role, g.university_id) for g in user.roles] == [("university_admin", dhut.id)]
    assert user.check_password(STRONG)


def test_staff_needs_a_university(runner, ctx):
    result = runner.invoke(args=["create-user", "s1", "--role", "staff", "--password", STRONG])
    refused(result, "The role staff needs --university CODE.")
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_judge_without_a_university_is_an_outside_expert(runner, ctx):
    result = runner.invoke(args=["create-user", "expert1", "--role", "judge", "--password", STRONG])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "expert1"))
    assert [(g.role, g.university_id) for g in user.roles] == [("judge", None)]


def test_organizer_takes_no_university(runner, make):
    make.university("DHUT")
    args = ["create-user", "boss", "--role", "organizer", "--university", "DHUT", "--password", STRONG]
    refused(runner.invoke(args=args), "An organizer belongs to no university: drop --university.")
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_unknown_role_is_clicks_error(runner, ctx):
    result = runner.invoke(args=["create-user", "x1", "--role", "emperor", "--password", STRONG])
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert "'emperor' is not one of" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_unknown_university_code(runner, make):
    make.university("DHUT")
    args = ["create-user", "j1", "--role", "judge", "--university", "NOPE", "--password", STRONG]
    refused(runner.invoke(args=args), "NOPE")
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_too_short_password(runner, ctx):
    args = ["create-user", "chief", "--role", "organizer", "--password", "Ab3-x"]
    refused(runner.invoke(args=args), "8")
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_duplicate_username(runner, make):
    first = make.user("chief", "organizer")
    args = ["create-user", "chief", "--role", "organizer", "--password", STRONG]
    refused(runner.invoke(args=args), "chief")
    assert db.session.scalars(select(User.id)).all() == [first.id]


# --- demo ------------------------------------------------------------------------------------------------


def test_demo_loads_a_province(app, runner, ctx, logins_file):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    printed = result.output

    universities = db.session.scalars(select(University).order_by(University.id)).all()
    assert len(universities) >= 6
    assert len({u.code for u in universities}) == len(universities)
    total = db.session.scalar(select(func.count()).select_from(Staff))
    assert 2500 <= total <= 3500
    sizes = dict(
        db.session.execute(select(Staff.university_id, func.count()).group_by(Staff.university_id)).all()
    )
    assert max(sizes.values()) >= 3 * min(sizes.values())  # large and small schools

    per_category = dict(
        db.session.execute(select(Staff.category, func.count()).group_by(Staff.category)).all()
    )
    assert 0.55 <= per_category["teaching_research"] / total <= 0.65
    assert 0.27 <= per_category["admin_logistics"] / total <= 0.37
    assert 0.05 <= per_category["other"] / total <= 0.11
    inactive = db.session.scalar(select(func.count()).where(Staff.active.is_(False)))
    assert 0.005 * total <= inactive <= 0.04 * total

    categories = select(Staff.university_id, func.count(func.distinct(Staff.category))).group_by(
        Staff.university_id
    )
    assert dict(db.session.execute(categories).all()) == {u.id: 3 for u in universities}
    # Every department exists in a university and has people in it.
    staffed = select(Department.university_id, Department.name, func.count(Staff.id)).outerjoin(
        Staff, Staff.department_id == Department.id
    )
    rows = db.session.execute(
        staffed.group_by(Department.id, Department.university_id, Department.name)
    ).all()
    assert {r.university_id for r in rows} == {u.id for u in universities}
    assert all(count > 0 for _, _, count in rows), [r for r in rows if not r[2]]
    teaching_units = db.session.scalars(
        select(Department.name).join(Staff).where(Staff.category == "teaching_research").distinct()
    ).all()
    assert teaching_units and all(name.endswith(("学院", "部")) for name in teaching_units)

    members = db.session.scalars(select(Staff)).all()
    assert all(m.staff_no.isdigit() for m in members)
    assert any(m.staff_no.startswith("0") for m in members)  # 工号 keep their leading zeros
    assert all(2 <= len(m.name) <= 4 and m.phone.isdigit() and len(m.phone) == 11 for m in members)
    assert all(1960 <= m.birth_date.year <= 2002 and m.gender in ("male", "female") for m in members)
    assert {m.title for m in members if m.category == "teaching_research"} <= {
        "教授",
        "副教授",
        "讲师",
        "助教",
    }

    # Accounts: one organizer; per university one admin and two judges; four staff members of the largest
    # one (the fourth for the written test, demo.exams), and the winner of the published competition (NSMU);
    # and an account for every other active staff member, which the unions opened for the quiz.
    passwords = logins(printed)
    grants = db.session.execute(
        select(RoleGrant.role, RoleGrant.university_id, User.username).join(User)
    ).all()
    assert [g.username for g in grants if g.role == "organizer"] == ["organizer"]
    for university in universities:
        code = university.code.lower()
        assert [
            g.username for g in grants if g.role == "university_admin" and g.university_id == university.id
        ] == [f"admin_{code}"]
        judges = sorted(g.username for g in grants if g.role == "judge" and g.university_id == university.id)
        assert judges == [f"judge_{code}_1", f"judge_{code}_2"]
    largest = max(universities, key=lambda u: sizes[u.id])
    accounts = db.session.execute(
        select(User, Staff)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .join(Staff, RoleGrant.staff_id == Staff.id)
    ).all()
    active = db.session.scalar(select(func.count()).where(Staff.active.is_(True)))
    assert len(accounts) == active
    codes = {u.id: u.code for u in universities}
    for user, member in accounts:
        assert member.active
        assert user.username == f"{codes[member.university_id]}{member.staff_no}"
        assert user.display_name == member.name
    accounts = [(u, m) for u, m in accounts if u.username in passwords]
    assert len(accounts) == 5
    [winner] = [(u, m) for u, m in accounts if m.university_id != largest.id]
    assert codes[winner[1].university_id] == "NSMU"
    accounts = [(u, m) for u, m in accounts if m.university_id == largest.id]
    kinds = sorted((m.category, m.birth_date.year >= 1990, m.birth_date.year <= 1975) for _, m in accounts)
    assert kinds[0][0] == "admin_logistics"
    assert ("teaching_research", True, False) in kinds and ("teaching_research", False, True) in kinds

    users = db.session.scalars(select(User)).all()
    opened = [u for u in users if u.username not in passwords]  # staff accounts opened in bulk
    assert all(u.password_hash.startswith(account_batches.HASH_METHOD + "$") for u in opened)
    assert all(u.password_hash.startswith(INITIAL_PASSWORD_METHOD + "$") for u in users if u not in opened)
    assert all([g.role for g in u.roles] == ["staff"] for u in opened)
    users = [u for u in users if u.username in passwords]
    # three outside experts, one award winner, one for the written test
    assert len(users) == 1 + 3 * len(universities) + 3 + 3 + 1 + 1
    assert not any(u.must_change_password for u in users)
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "demo.load")).all()
    assert [(a.object_type, a.user_id, a.details["staff"]) for a in audit] == [("system", None, total)]

    # The printed table names every account with a password that works, and the file keeps the same text.
    assert "演示账号 / Demo log-ins" in printed and "http://127.0.0.1:5000" in printed
    assert "用户名 Username" in printed and "密码 Password" in printed
    assert set(passwords) == {u.username for u in users}
    assert len(set(passwords.values())) == len(passwords)
    for username, password in passwords.items():
        assert authenticate(username, password) is not None, username
        assert authenticate(username, password + "x") is None
    assert logins_file.read_text(encoding="utf-8").strip() == printed.strip()
    assert str(logins_file) in printed
    assert logins_file.stat().st_mode & 0o777 == 0o600

    again = runner.invoke(args=["demo"])
    refused(again, "already holds")
    quiet = runner.invoke(args=["demo", "--if-empty"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output.strip() == printed.strip()  # it shows the saved log-ins again
    assert db.session.scalar(select(func.count()).select_from(Staff)) == total
    assert db.session.scalar(select(func.count()).select_from(University)) == len(universities)
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "demo.load")) == 1


def test_demo_if_empty_leaves_a_used_database_alone(runner, ctx, logins_file):
    db.session.add(University(code="OWN", name="自有大学"))
    db.session.commit()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo data was not loaded" in result.output
    assert db.session.scalars(select(University.code)).all() == ["OWN"]
    assert not logins_file.exists()


def snapshot() -> list[tuple]:
    query = (
        select(University.code, Staff.staff_no, Staff.name, Department.name, Staff.category, Staff.birth_date)
        .join(University, Staff.university_id == University.id)
        .join(Department, Staff.department_id == Department.id)
        .order_by(University.code, Staff.staff_no)
    )
    return [tuple(row) for row in db.session.execute(query)]


def results_snapshot() -> list[tuple]:
    """The published results: per group, each entrant's draw number, judges' totals, final, rank and award."""
    from competition.models import Publication

    publication = db.session.scalar(select(Publication))
    return [
        (
            g["group"],
            i["draw_no"],
            [r["judge_totals"] for r in i["rounds"]],
            i["final_score"],
            i["rank"],
            i["award"],
        )
        for g in publication.snapshot["groups"]
        for i in g["items"]
    ]


def test_demo_is_deterministic_but_its_passwords_are_not(ctx):
    first_text = load_demo(seed=2026)
    db.session.commit()
    first, first_logins, first_results = snapshot(), logins(first_text), results_snapshot()
    empty_tables()

    second_text = load_demo(seed=2026)
    db.session.commit()
    assert snapshot() == first
    assert results_snapshot() == first_results and len(first_results) == 14
    second_logins = logins(second_text)
    assert sorted(second_logins) == sorted(first_logins)
    assert all(second_logins[u] != first_logins[u] for u in first_logins)

    # Another seed draws another province (checked on the generator alone: a full load is the slow part).
    departments = {
        name: i
        for i, name in enumerate(
            (*UNIVERSITIES[0].colleges, *UNIVERSITIES[0].offices, *UNIVERSITIES[0].support)
        )
    }
    same = _staff_rows(UNIVERSITIES[0], 1, departments, random.Random(5))
    assert _staff_rows(UNIVERSITIES[0], 1, departments, random.Random(5)) == same
    assert _staff_rows(UNIVERSITIES[0], 1, departments, random.Random(6)) != same


# --- backup ----------------------------------------------------------------------------------------------


@pytest.fixture
def sqlite_only(ctx):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("backup copies the embedded SQLite database")


def test_backup_copies_the_database(app, runner, make, sqlite_only, tmp_path):
    university = make.university("DHUT")
    for number in ("000101", "000102", "000103"):
        make.staff(university, number, f"员工{number[-1]}")
    target = tmp_path / "copies" / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Backed up to {target}" in result.output
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM staff").fetchone() == (3,)
        assert copy.execute("SELECT staff_no FROM staff ORDER BY staff_no").fetchall() == [
            ("000101",),
            ("000102",),
            ("000103",),
        ]
    finally:
        copy.close()

    # Without a target it goes to instance/backups/competition-<time>.db.
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    default = Path(result.output.strip().removeprefix("Backed up to "))
    try:
        assert default.parent == Path(app.instance_path) / "backups"
        assert default.name.startswith("competition-") and default.suffix == ".db"
        with sqlite3.connect(default) as second:
            assert second.execute("SELECT count(*) FROM staff").fetchone() == (3,)
        second.close()
    finally:
        default.unlink(missing_ok=True)


def test_backup_refuses_an_existing_target(runner, make, sqlite_only, tmp_path):
    make.university("DHUT")
    target = tmp_path / "taken.db"
    target.write_bytes(b"keep me")
    refused(runner.invoke(args=["backup", str(target)]), "exists already")
    assert target.read_bytes() == b"keep me"


def test_backup_on_postgresql_points_to_pg_dump(runner, ctx, tmp_path):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("PostgreSQL only")
    target = tmp_path / "backup.db"
    refused(runner.invoke(args=["backup", str(target)]), "pg_dump")
    assert not target.exists()


# --- demo competitions -----------------------------------------------------------------------------------


def test_demo_has_competitions_in_every_state(runner, ctx, logins_file):
    from datetime import UTC, datetime

    from competition.models import Competition, DrawRecord, Entry
    from competition.services.registration import refusals_for

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    now = datetime.now(UTC).replace(tzinfo=None)
    everything = db.session.scalars(select(Competition)).all()
    # demo.exams adds a drill with a written test and a province-wide quiz (tests/web/test_demo_exams.py).
    assert len(everything) == 7
    contests = [c for c in everything if not any(r.is_exam for r in c.rounds)]
    by_status = {c.status: c for c in contests}
    assert len(contests) == len(by_status) == 5
    assert set(by_status) == {"draft", "registration_open", "registration_closed", "scoring", "published"}
    shape = {
        status: (c.kind, c.level, c.university.code if c.university else None)
        for status, c in by_status.items()
    }
    assert shape == {
        "registration_open": ("teaching", "provincial", None),
        "registration_closed": ("drill", "provincial", None),
        "scoring": ("teaching", "school", "DHUT"),
        "draft": ("drill", "school", "LJNU"),
        "published": ("drill", "school", "NSMU"),
    }
    # A competition belongs to the year its registration opens in (this year, loaded in late November).
    assert all(c.year == c.registration_opens.year and str(c.year) in c.name for c in contests)

    def entries(competition) -> list[Entry]:
        return db.session.scalars(select(Entry).where(Entry.competition_id == competition.id)).all()

    def statuses(competition) -> dict[str, int]:
        counted: dict[str, int] = {}
        for entry in entries(competition):
            counted[entry.status] = counted.get(entry.status, 0) + 1
        return counted

    # Open now, for weeks yet; quota 8; pending and approved entries from several universities, one rejected.
    teaching = by_status["registration_open"]
    assert teaching.registration_opens < now < teaching.registration_closes
    assert (
        teaching.registration_closes - now > (teaching.registration_closes - teaching.registration_opens) / 2
    )
    assert teaching.quota_per_university == 8 and teaching.max_age == 40
    assert statuses(teaching) == {"pending": 9, "approved": 10, "rejected": 1}
    assert len({e.university_id for e in entries(teaching)}) >= 4
    approved_per_university: dict[int, int] = {}
    for entry in entries(teaching):
        assert teaching.registration_opens <= entry.created_at < now
        if entry.status == "approved":
            approved_per_university[entry.university_id] = (
                approved_per_university.get(entry.university_id, 0) + 1
            )
    assert len(approved_per_university) >= 3 and max(approved_per_university.values()) <= 8
    [rejected] = [e for e in entries(teaching) if e.status == "rejected"]
    assert rejected.reason
    assert all(e.draw_no is None for e in entries(teaching))

    # Closed in the past and drawn: every approved entry numbered 1..n within its group, nobody else.
    for status in ("registration_closed", "scoring", "published"):
        contest = by_status[status]
        assert contest.registration_opens < contest.registration_closes < now
        approved = [e for e in entries(contest) if e.status == "approved"]
        assert len(approved) >= 10
        assert all(e.draw_no is None for e in entries(contest) if e.status != "approved")
        for group_id in {e.group_id for e in approved}:
            numbers = sorted(e.draw_no for e in approved if e.group_id == group_id)
            assert numbers == list(range(1, len(numbers) + 1))
        assert db.session.scalar(select(func.count()).where(DrawRecord.competition_id == contest.id)) == len(
            contest.groups
        )
        for entry in entries(contest):
            assert contest.registration_opens <= entry.created_at < contest.registration_closes
            if entry.approved_at:
                assert entry.created_at <= entry.approved_at < contest.registration_closes
    assert statuses(by_status["registration_closed"]) == {"approved": 19, "rejected": 1}
    assert statuses(by_status["scoring"]) == {"approved": 16, "rejected": 2, "withdrawn": 1}
    assert statuses(by_status["published"]) == {"approved": 14, "rejected": 1}

    draft = by_status["draft"]
    assert entries(draft) == [] and now < draft.registration_opens

    # The history is audited: every transition, every draw, every entry's registration and decision.
    transitions = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "competition.transition")
    ).all()
    # draft 0, open 1, closed 2, scoring 3, published 4; the drill with a written test 2, the quiz 1
    assert len(transitions) == 0 + 1 + 2 + 3 + 4 + 2 + 1
    assert all(t.at < now for t in transitions)
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "competition.draw")) == 4
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "entry.register")) == sum(
        len(entries(c)) for c in everything
    )

    # The three DHUT demo accounts: the young teacher may still register for the open contest, the senior
    # one is refused by age, the admin and logistics person is in the provincial drill.
    dhut = by_status["scoring"].university_id
    listed = logins(result.output)  # every staff member has an account: those of the log-ins table
    [sitter] = [line.split()[0] for line in result.output.splitlines() if "(笔试演示" in line]
    accounts = {
        member.category + ("-young" if member.birth_date.year >= 1990 else ""): member
        for member, username in db.session.execute(
            select(Staff, User.username)
            .join(RoleGrant, RoleGrant.staff_id == Staff.id)
            .join(User, RoleGrant.user_id == User.id)
            .where(Staff.university_id == dhut)
        )
        if username in listed and username != sitter
    }
    young, senior, office = (
        accounts["teaching_research-young"],
        accounts["teaching_research"],
        accounts["admin_logistics"],
    )
    assert refusals_for(teaching, young) == []
    assert "age" in [r.field for r in refusals_for(teaching, senior)]
    assert not any(e.staff_id in (young.id, senior.id) for e in entries(teaching))
    [office_entry] = [e for e in entries(by_status["registration_closed"]) if e.staff_id == office.id]
    assert office_entry.status == "approved" and office_entry.draw_no is not None
    [young_entry] = [e for e in entries(by_status["scoring"]) if e.staff_id == young.id]
    assert young_entry.status == "approved" and young_entry.draw_no is not None


def test_demo_publishes_a_competition_with_certificates_and_drives_a_screen(app, runner, ctx, logins_file):
    import re
    from datetime import UTC, datetime

    from competition.clock import local_zone
    from competition.models import Certificate, Competition, Entry, Publication, ScoreSheet, StageState

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    now = datetime.now(UTC).replace(tzinfo=None)
    printed = logins_file.read_text(encoding="utf-8")

    # The spring competition: judged in full, published (公示) with its objection period and contact.
    published = db.session.scalar(select(Competition).where(Competition.status == "published"))
    publication = db.session.scalar(select(Publication).where(Publication.competition_id == published.id))
    assert publication.published_at == published.status_changed_at < now
    assert db.session.get(User, publication.published_by_id).username == "admin_nsmu"
    assert publication.objection_ends is not None and "南山医科大学工会" in publication.contact
    sheets = db.session.scalars(
        select(ScoreSheet).join(Entry).where(Entry.competition_id == published.id)
    ).all()
    assert sheets and {s.status for s in sheets} == {"submitted"}
    assert all(s.submitted_at < publication.published_at for s in sheets)
    groups = [g for g in publication.snapshot["groups"] if g["items"]]
    assert [g["group"] for g in groups] == ["化学化工类", "生物医学类"]
    assert all(g["complete"] for g in publication.snapshot["groups"])
    items = [item for g in groups for item in g["items"]]
    assert len(items) == 14 and all(item["final_score"] is not None and item["rank"] for item in items)
    # Five judges: the highest and the lowest dropped; the contestant a judge is recused from has four, kept.
    for item in items:
        for round_ in item["rounds"]:
            assert len(round_["judge_totals"]) in (4, 5)
            assert len(round_["dropped"]) == (2 if len(round_["judge_totals"]) == 5 else 0)
    assert sum(1 for item in items if len(item["rounds"][0]["judge_totals"]) == 4) == 1
    scores = [item["final_score"] for item in items]
    assert len(set(scores)) > 10  # varied
    biomedical = groups[1]["items"]
    assert [(i["rank"], i["award"]) for i in biomedical[:6]] == [
        (1, "一等奖"),
        (2, "二等奖"),
        (3, "二等奖"),
        (3, "二等奖"),  # a tie at the boundary takes the better award
        (5, "三等奖"),
        (6, "三等奖"),
    ]
    assert biomedical[2]["final_score"] == biomedical[3]["final_score"]
    # A certificate for every award, as the snapshot states it, issued on the day of publication.
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.competition_id == published.id)
    ).all()
    awarded = {item["entry_id"]: item for item in items if item["award"]}
    assert len(certificates) == len(awarded) == 8
    issued = publication.published_at.replace(tzinfo=UTC).astimezone(local_zone()).date()
    for certificate in certificates:
        item = awarded[certificate.entry_id]
        assert (certificate.name, certificate.award, certificate.issued) == (
            item["name"],
            item["award"],
            issued,
        )
        assert certificate.organizer == "南山医科大学工会" and certificate.competition_name == published.name
    assert all(row.at < now for row in db.session.scalars(select(AuditLog)) if row.action != "demo.load")

    # The award winner logs in and downloads their certificate; the log-ins file says where.
    winner = biomedical[0]
    username = f"NSMU{winner['staff_no']}"
    assert f"获奖教职工 / Award winner: {username} ({winner['name']})" in printed
    assert f"/results/entries/{winner['entry_id']}/certificate.pdf" in printed
    assert f"/results/{published.id}/public" in printed
    password = logins(printed)[username]
    api_login_as(client := app.test_client(), username, password)
    pdf = client.get(f"/api/v1/entries/{winner['entry_id']}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert client.get(f"/api/v1/competitions/{published.id}/results").get_json()["published"] is True

    # The competition in scoring: its live group's big screen opens by the link in the file, no account.
    scoring = db.session.scalar(select(Competition).where(Competition.status == "scoring"))
    state = db.session.scalar(select(StageState).where(StageState.competition_id == scoring.id))
    link = re.search(r"/results/(\d+)/screen\?group_id=(\d+)&token=(\S+)", printed)
    assert link is not None and link.groups() == (str(scoring.id), str(state.group_id), state.screen_token)
    assert state.updated_at < now
    screen = app.test_client()
    assert screen.get(link.group(0)).status_code == 200
    path = f"/api/v1/competitions/{scoring.id}/live?group_id={state.group_id}&token={state.screen_token}"
    answer = screen.get(path)
    assert answer.status_code == 200
    live = answer.get_json()
    assert live["screen"] == "scoring" and live["round"] == "课堂教学"
    on_stage = live["on_stage"]
    assert (on_stage["draw_no"], on_stage["submitted"], on_stage["expected"]) == (4, 3, 5)
    assert on_stage["score"] is None and on_stage["reveal"] is None  # nothing shown before the reveal
    assert sorted(item["draw_no"] for item in live["leaderboard"]) == [1, 2, 3]
    assert [item["rank"] for item in live["leaderboard"]] == [1, 2, 3]
    assert screen.get(path, headers={"If-None-Match": answer.headers["ETag"]}).status_code == 304
    assert screen.get(path.replace(state.screen_token, "not-the-token")).status_code == 403


def test_demo_coverage_ranges_from_far_behind_to_nearly_there(runner, ctx):
    """The dashboards have a story to tell after the README's first command."""
    from competition.clock import local_today
    from competition.services.coverage import province_coverage

    assert runner.invoke(args=["demo"]).exit_code == 0
    figures = province_coverage(year=local_today().year)
    rates = {item["university"]: item["rate"]["total"] for item in figures["items"]}
    assert max(rates.values()) > 0.9 and min(rates.values()) < 0.4
    assert len({round(r, 1) for r in rates.values()}) >= 4
    assert 0 < figures["totals"]["rate"] < 1
