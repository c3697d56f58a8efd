"""The cached coverage figures (services.coverage_cache) after every kind of change equal a fresh computation.

Each test fills the cache, makes one change the way the app makes it (a service, an import, an ORM edit),
commits, then reads the figures through the cache and again after emptying it: both must agree, and differ
from before the change. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import io
import random
import threading
from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy import delete, event, select

from competition.extensions import db
from competition.models import Department, Entry, OfflineParticipation, Setting
from competition.services import coverage, coverage_cache, participations, registration, roster
from tests.builders import make_competition, make_entry, staff, user

YEAR = 2026


def figures(world) -> dict:
    """Everything the cache serves, as the services give it (universities and competitions as their ids)."""
    zju, hzu = world["zju"], world["hzu"]
    return {
        "province": coverage.province_coverage(year=YEAR),
        "scoped": coverage.province_coverage(year=YEAR, universities=[hzu]),
        "trend": coverage.province_trend(year=YEAR),
        "zju": coverage.university_coverage(university=zju, year=YEAR),
        "hzu": coverage.university_coverage(university=hzu, year=YEAR),
        "participants": coverage.participants_by_competition(year=YEAR),
        "offline": [(u.code, *rest) for u, *rest in coverage.offline_events(year=YEAR)],
        "zju_competitions": [
            (row["competition"].id, row["participants"])
            for row in coverage.competitions_of_year(university=zju, year=YEAR)
        ],
    }


def fresh(world) -> dict:
    coverage_cache.clear()
    return figures(world)


class Statements:
    """Counts the grouped queries (the figures' own) that reach the database."""

    def __init__(self):
        self.grouped = 0

    def __call__(self, _conn, _cursor, statement, *_args):
        self.grouped += "GROUP BY" in statement


@pytest.fixture
def grouped(ctx):
    counter = Statements()
    event.listen(db.engine, "before_cursor_execute", counter)
    yield counter
    event.remove(db.engine, "before_cursor_execute", counter)


@pytest.fixture
def contest(world, make):
    """A 2026 provincial competition: ZJU's 李老师 approved; 王会计 (ZJU, 财务处) and 赵老师 (HZU) pending."""
    competition = make_competition(eligible_categories=["teaching_research", "admin_logistics"])
    approved = make_entry(competition, staff("00123"), status="approved")
    pending = make_entry(competition, staff("00124"))
    other = make_entry(competition, staff("H001"))
    return competition, approved, pending, other


def warmed(world, grouped) -> dict:
    """The figures, read twice: the second time wholly from the cache (no grouped query)."""
    db.session.commit()
    before = figures(world)
    grouped.grouped = 0
    assert figures(world) == before
    assert grouped.grouped == 0
    return before


def check_change(world, before: dict) -> dict:
    db.session.commit()
    after = figures(world)
    assert after == fresh(world)
    assert after != before
    return after


def test_approval_shows_and_leaves_other_universities_cached(world, contest, grouped):
    competition, _approved, pending, _other = contest
    before = warmed(world, grouped)
    hzu_piece = coverage_cache._cache[("categories", YEAR, world["hzu"].id)]
    registration.approve(entry=pending, by=user("zju_admin"))
    db.session.commit()
    after = figures(world)
    # The approval moved ZJU's version only: HZU's figures were served from the cache, not recomputed.
    assert coverage_cache._cache[("categories", YEAR, world["hzu"].id)] is hzu_piece
    assert check_change(world, before) == after
    assert after["zju"]["covered"]["admin_logistics"] == before["zju"]["covered"]["admin_logistics"] + 1
    assert after["participants"][competition.id] == before["participants"][competition.id] + 1


def test_rejection(world, contest, grouped):
    _competition, approved, _pending, _other = contest
    before = warmed(world, grouped)
    registration.reject(entry=approved, reason="材料不全", by=user("zju_admin"))
    after = check_change(world, before)
    assert after["zju"]["covered"]["total"] == before["zju"]["covered"]["total"] - 1


def test_withdrawal(world, contest, grouped):
    _competition, approved, _pending, _other = contest
    before = warmed(world, grouped)
    registration.withdraw(entry=approved, by=user("zju_admin"))
    after = check_change(world, before)
    assert after["trend"][-1]["covered"] == before["trend"][-1]["covered"] - 1


def versions() -> dict:
    return dict(db.session.execute(select(Setting.key, Setting.value)).all())


def test_a_pending_registration_moves_no_version(world, contest, grouped, make):
    competition, *_ = contest
    newcomer = make.staff(world["hzu"], "H002", "钱老师")
    before = warmed(world, grouped)
    tokens = versions()
    make_entry(competition, newcomer)
    assert versions() == tokens
    assert figures(world) == before == fresh(world)


def participation_file(rows) -> bytes:
    buffer = io.BytesIO()
    frame = pd.DataFrame(rows, columns=["工号", "活动名称", "日期"])
    frame.to_excel(buffer, index=False, engine="xlsxwriter")
    return buffer.getvalue()


def test_offline_import(world, contest, grouped):
    before = warmed(world, grouped)
    data = participation_file(
        [("00124", "后勤技能比武", f"{YEAR}-03-01"), ("00124", "读书会", f"{YEAR}-05-20")]
    )
    participations.run_import(
        university=world["zju"], data=data, filename="p.xlsx", by=user("zju_admin"), dry_run=False
    )
    after = check_change(world, before)
    assert after["zju"]["trend"][2]["covered"] == before["zju"]["trend"][2]["covered"] + 1  # from 1 March
    assert [row[:3] for row in after["offline"]] == [("ZJU", "后勤技能比武", 1), ("ZJU", "读书会", 1)]


def test_offline_participation_deleted(world, contest, grouped):
    data = participation_file([("00124", "读书会", f"{YEAR}-05-20")])
    participations.run_import(university=world["zju"], data=data, filename="p.xlsx", by=None, dry_run=False)
    before = warmed(world, grouped)
    db.session.delete(db.session.scalars(select(OfflineParticipation)).one())  # a correction, in the ORM
    after = check_change(world, before)
    assert after["offline"] == []


def roster_file(rows) -> bytes:
    lines = ["工号,姓名,部门,岗位类别", *(",".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_roster_replace_deactivates_through_bulk_statements(world, contest, grouped):
    before = warmed(world, grouped)
    rows = [("00123", "李老师", "计算机学院", "教学科研岗"), ("00125", "孙老师", "文学院", "其他")]
    roster.import_roster(
        university=world["zju"],
        data=roster_file(rows),
        filename="r.csv",
        mode="replace",
        dry_run=False,
        by=user("zju_admin"),
    )
    after = check_change(world, before)
    assert after["zju"]["headcount"]["admin_logistics"] == 0  # 王会计 is no longer on the roster
    assert after["zju"]["headcount"]["other"] == 1


def test_staff_deactivated_in_the_orm(world, contest, grouped):
    before = warmed(world, grouped)
    staff("00123").active = False
    after = check_change(world, before)
    assert after["zju"]["covered"]["total"] == before["zju"]["covered"]["total"] - 1


def test_category_changed(world, contest, grouped):
    before = warmed(world, grouped)
    staff("00123").category = "other"
    after = check_change(world, before)
    assert after["zju"]["covered"]["other"] == 1


def test_department_changed(world, contest, grouped, make):
    arts = make.department(world["zju"], "文学院")
    before = warmed(world, grouped)
    staff("00123").department = arts
    after = check_change(world, before)
    assert "文学院" in [d["name"] for d in after["zju"]["departments"]]


def test_a_draft_competitions_entries_and_its_year(world, contest, grouped):
    draft = make_competition(status="draft", name="草稿竞赛")
    before = warmed(world, grouped)
    # Not through the services (a draft takes no entries): what the rule would count, were it there.
    entry = Entry(
        competition=draft,
        group=draft.groups[0],
        staff=staff("H001"),
        university=world["hzu"],
        status="approved",
        approved_at=datetime(YEAR, 4, 2, 9),
    )
    db.session.add(entry)
    after = check_change(world, before)
    assert after["hzu"]["covered"]["total"] == 1
    draft.year = YEAR + 1  # every university's figures may change: the whole cache's version moves
    check_change(world, after)


def test_a_change_not_yet_committed_is_seen_by_its_own_transaction(world, contest, grouped):
    _competition, _approved, pending, _other = contest
    before = warmed(world, grouped)
    registration.approve(entry=pending, by=user("zju_admin"))
    during = figures(world)  # autoflushed, not committed: computed afresh, not served from the cache
    assert during["zju"]["covered"]["total"] == before["zju"]["covered"]["total"] + 1
    db.session.rollback()
    assert figures(world) == before == fresh(world)


def test_nothing_is_cached_without_a_version(world, contest, grouped):
    db.session.execute(delete(Setting).where(Setting.key.startswith(coverage_cache.KEY)))
    db.session.commit()
    first = figures(world)
    grouped.grouped = 0
    assert figures(world) == first
    assert grouped.grouped > 0


def test_bump_all_for_writes_that_bypass_the_session(world, contest, grouped):
    _competition, approved, _pending, _other = contest
    before = warmed(world, grouped)
    with db.engine.begin() as connection:  # psql, say: no session event sees it
        connection.execute(Entry.__table__.update().where(Entry.id == approved.id).values(status="rejected"))
    db.session.expire_all()
    assert figures(world) == before  # not seen yet: the versions did not move
    coverage_cache.bump_all()
    check_change(world, before)


def test_departments_of_one_name_read_afresh(world, contest, grouped):
    before = warmed(world, grouped)
    department = db.session.get(Department, staff("00123").department_id)
    department.name = "信息学院"
    after = check_change(world, before)
    assert "信息学院" in [d["name"] for d in after["zju"]["departments"]]


def test_concurrent_bumps_never_deadlock(app, world, postgresql):
    """Writers of one university, of several and of everything at once, each in its own transaction."""
    universities = [world["zju"].id, world["hzu"].id]
    failures = []

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        with app.app_context():
            for _ in range(40):
                scopes = set(rng.sample(universities, rng.randint(1, 2)))
                if rng.random() < 0.3:
                    scopes.add(coverage_cache.ALL)
                try:
                    coverage_cache._upsert(db.session.connection(), scopes)
                    db.session.commit()
                except Exception as error:  # noqa: BLE001 (collected, asserted below)
                    failures.append(repr(error))
                    db.session.rollback()
            db.session.remove()

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
