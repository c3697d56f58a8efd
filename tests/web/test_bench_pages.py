"""The whole-page benchmarks (bench/pages.py) and the final table (bench/table.py) on a province at scale
0.01: every page answers as its user gets it and is timed; the bulk accounts leave nothing behind. No time is
asserted."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditLog, RoleGrant, Staff, University, User

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import generate as bench  # noqa: E402
import pages  # noqa: E402
import table  # noqa: E402

SCALE = 0.01
YEAR = 2026


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_every_page_answers_and_is_timed(app, ctx):
    counts = bench.generate(scale=SCALE, year=YEAR, contests=False)
    before = (_count(User), _count(RoleGrant), _count(AuditLog))

    rows, timings = pages.measure(app, counts, engine="sqlite", runs=2, year=YEAR)

    assert [row.name for row in rows if row.failed] == []
    names = [t.page.name for t in timings]
    for words in ("provincial dashboard", "dashboard of", "audit log", "competitions list", "entries Excel",
                  "report workbook", "bulk accounts, one request", "bulk accounts in steps"):  # fmt: skip
        assert sum(words in name for name in names) == 1, words
    assert all(len(t.times_ms) == 2 and min(t.times_ms) > 0 for t in timings)
    assert {t.page.bar_ms for t in timings} == {100, 150, 300, 1000, 3000}
    assert all(row.verdict in ("OK", "OVER") and row.engine == "sqlite" for row in rows)
    # The 50 entries of the largest provincial competition, the audit rows of the year: in the names.
    assert any("(50 entries)" in name for name in names)
    assert any(f"({counts['audit_rows'] + 2:,} rows)" in name for name in names)  # and the 2 log-ins
    # Every run of the bulk accounts created them all; what they wrote was deleted after each.
    db.session.remove()
    after = (_count(User), _count(RoleGrant), _count(AuditLog))
    assert after == (before[0], before[1], before[2] + 2)  # the 2 log-ins stay


def test_bulk_accounts_create_an_account_for_each_active_staff_member_without_one(app, ctx):
    counts = bench.generate(scale=SCALE, year=YEAR, contests=False)
    code = counts["without_staff_accounts"]
    university = db.session.scalar(select(University).where(University.code == code))
    active = _count(select(Staff.id).where(Staff.university_id == university.id, Staff.active).subquery())
    admin = pages.Session(app, counts["logins"]["largest_university_admin"], counts["logins"]["password"])
    page = next(p for p in pages.pages(app, counts, YEAR) if "one request" in p.name)

    response, body = page.fetch(admin)

    assert body[:2] == b"PK" and "spreadsheetml" in response.content_type
    db.session.remove()
    opened = select(RoleGrant.id).where(RoleGrant.university_id == university.id, RoleGrant.role == "staff")
    assert _count(opened.subquery()) == active > 0
    assert f"({active:,} staff)" in page.name


def test_a_wrong_answer_fails_the_page(app, ctx):
    counts = bench.generate(scale=SCALE, year=YEAR, contests=False)
    admin = pages.Session(app, counts["logins"]["largest_university_admin"], counts["logins"]["password"])
    response, _ = admin.request("GET", "/admin/audit", pages.HTML)  # the admin's own scope
    assert response.status_code == 200
    with pytest.raises(pages.PageFailed, match="403"):
        admin.request("GET", "/coverage/report.xlsx", pages.XLSX)  # the province's workbook: organizers only
    with pytest.raises(pages.PageFailed, match="could not log in"):
        pages.Session(app, counts["logins"]["organizer"], "not the password")


def test_the_table_has_a_line_per_measurement_with_its_verdict(capsys):
    rows = [
        table.timed("provincial coverage", "sqlite", [120.0, 90.5, 310.0], 300),
        table.timed("page: audit log", "postgresql", [151.0, 160.0, 170.0], 150),
        table.ratio("judging: sheet submission", "sqlite", 0.42, 0.30, "420 vs ping 1,000 req/s"),
        table.latency("judging: p99", "sqlite", 20.0, 80.0, 260.0, 250.0),
        table.memory("roster import, peak memory", "sqlite", 180.0, 500),
        table.failed("pages", "postgresql"),
    ]

    table.print_table(rows, "Every measurement (2 cores, load average 0.9):")

    out = capsys.readouterr().out.splitlines()
    assert out[1] == "Every measurement (2 cores, load average 0.9):"
    assert out[2].split() == ["measurement", "engine", "median", "spread", "(min", "–", "max)", "bar"]
    lines = out[4:]
    assert len(lines) == len(rows)
    assert lines[0].split()[-1] == "OK" and "120 ms" in lines[0] and "90.5 ms – 310 ms (3 runs)" in lines[0]
    assert lines[1].split()[-1] == "OVER" and "160 ms" in lines[1]
    assert "0.42 of ping" in lines[2] and "≥ 0.30" in lines[2] and lines[2].endswith("OK")
    assert "p99 260 ms" in lines[3] and lines[3].endswith("OVER")
    assert "180 MB" in lines[4] and lines[4].endswith("OK")
    assert lines[5].endswith("FAILED")
