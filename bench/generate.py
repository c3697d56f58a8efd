"""A deterministic province at scale, for the benchmarks: ``generate(seed=2026, year=2026, scale=1.0)``.

At scale 1: 60 universities of very different sizes (a long tail: five with 6,000-8,000 staff, most with
1,000-2,500, a dozen small ones; 150,000 staff in all), each with 20-60 departments (学院 for the teaching
posts, offices for admin and logistics, 教辅 units for the rest); 300 competitions of the year (60 provincial,
the others school-level spread over the universities) with groups, rounds, criteria and awards, in all five
states, the largest provincial one with 5,000 entries; 200,000 entries in every status (about 70% approved,
15% pending, 8% rejected, 7% withdrawn) and about 40,000 offline participations, so that coverage ranges from
about 40% to nearly 100% between universities. Beside them (``province_accounts``, ``province_audit``,
``province_history``, ``province_contests``): about 104,000 accounts (organizers, union admins, judges of
every university, outside experts, and staff accounts for most staff except the largest university's), a year
of audit rows (about 370,000), 30 published competitions of the two years before, a provincial group of 500
entries scored by 9 judges on 10 criteria and a quiz of 100 questions with 20,000 submitted attempts.

Everything follows from the seed (but the shared password of the accounts, drawn with ``secrets``, and the
dates of the two contests built through the services). ``plan()`` computes the rows in memory (pure: no
database: ``province_words``, ``province_people``, ``province_plan`` and the modules above); ``generate()``
writes them with SQLAlchemy Core executemany in chunks, choosing the ids itself (after each table's current
maximum) so that nothing has to be read back, builds the two contests, then refreshes the planner's
statistics (ANALYZE), as one does after a bulk load. At scale 1 it takes about 1-3 minutes (most of it the
quiz's 20,000 attempts, drawn and marked in Python); ``bench/README.md`` has the figures.

The shape of the data:
- a competition's window lies in the year (more of them in the spring and autumn terms); its state follows
  from the window seen from the snapshot date (20 November): not open yet → draft (no entries), open → entries
  mostly pending, closed lately → registration_closed, then scoring, then published (draws done);
- school-level entries come from the owning university's staff only, provincial ones are nominated by every
  university (within the quota, when there is one); every entry is category- and age-eligible, one per
  (competition, staff member); approval dates fall inside or just after the registration window, so the
  monthly trend grows through the year;
- each university has an engagement rate (0.36-0.995); only its engaged staff get approved entries and offline
  participations, and every engaged person gets at least one, so that rate is about its coverage.

CLI: ``.venv/bin/python bench/generate.py [--seed N] [--scale X] [--database-url URL]``. Without
``--database-url`` it writes into the app's database (DATABASE_URL, else instance/competition.db), which must
hold no university yet: it refuses otherwise. ``flask --app wsgi demo --size province`` loads it too.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from province_plan import plan  # noqa: E402
from province_words import CHUNK, COLUMNS, TABLES, Plan, without_gc  # noqa: E402

__all__ = ["Plan", "generate", "plan"]


def _table(name: str):
    from competition.extensions import db

    return db.metadata.tables[name]


@without_gc
def _write(province: Plan) -> None:
    from sqlalchemy import text

    from competition.extensions import db

    connection = db.session.connection()
    for name in TABLES:
        table, columns, rows = _table(name), COLUMNS[name], province.rows[name]
        for start in range(0, len(rows), CHUNK):
            connection.execute(
                table.insert(), [dict(zip(columns, row, strict=True)) for row in rows[start : start + CHUNK]]
            )
    if connection.dialect.name == "postgresql":  # the ids were chosen here: move the sequences past them
        for name in TABLES:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM \"{name}\"))"
                )
            )
    db.session.commit()


def _logins(province: Plan, password: str) -> dict:
    """Who to log in as (the password is the same for all)."""
    accounts = province.accounts
    largest = next(r for r in province.rows["university"] if r[1] == province.counts["largest_university"])
    some_staff = next(iter(accounts.staff.values()), None)
    return {
        "password": password,
        "organizer": accounts.organizers[0].username,
        "largest_university_admin": accounts.admins[largest[0]][0].username,
        "judge": next(a for k, listed in accounts.judges.items() if k for a in listed).username,
        "expert": accounts.judges[None][0].username,
        "staff": some_staff.username if some_staff else None,
    }


def generate(
    *,
    seed: int = 2026,
    year: int = 2026,
    scale: float = 1.0,
    password: str | None = None,
    contests: bool = True,
) -> dict:
    """Write the province into the current app's database (migrated, without universities) and commit.

    Returns the counts of ``plan()`` plus ``seconds`` (the whole call) and its parts ``plan_seconds``,
    ``write_seconds`` and ``contests_seconds``, ``contests`` (``province_contests.Contests``, unless
    ``contests=False``) and ``logins`` (usernames by role, and the one ``password`` of every account: given,
    or drawn).
    """
    from sqlalchemy import func, select, text
    from werkzeug.security import generate_password_hash

    from competition.extensions import db
    from competition.services.accounts import INITIAL_PASSWORD_METHOD

    started = time.perf_counter()
    session = db.session
    if session.scalar(select(func.count()).select_from(_table("university"))):
        raise RuntimeError("generate() writes into an empty database: this one already has universities.")
    base = {t: session.scalar(select(func.coalesce(func.max(_table(t).c.id), 0))) for t in TABLES}
    password = password or secrets.token_urlsafe(12)
    digest = generate_password_hash(password, method=INITIAL_PASSWORD_METHOD)  # cheap to check, as issued
    province = plan(seed=seed, year=year, scale=scale, base=base, password_hash=digest)
    planned = time.perf_counter()
    _write(province)
    written = time.perf_counter()
    built = None
    if contests:
        from province_contests import add_contests

        judges = {k: [a.username for a in listed] for k, listed in province.accounts.judges.items()}
        built = add_contests(
            staff_rows=province.rows["staff"],
            judges=judges,
            organizer_id=province.accounts.organizers[0].id,
            year=year,
            scale=scale,
            seed=seed,
        )
    # Fresh statistics for the planners, as after any bulk load (PostgreSQL's autovacuum would get there too).
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    finished = time.perf_counter()
    return province.counts | {
        "seconds": finished - started,
        "plan_seconds": planned - started,
        "write_seconds": written - planned,
        "contests_seconds": finished - written,
        "contests": built,
        "logins": _logins(province, password),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: the app's database)")
    args = parser.parse_args()

    import logging

    from flask_migrate import upgrade

    from competition import create_app
    from competition.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url} if args.database_url else None)
    with app.app_context():
        logging.disable(logging.INFO)  # Alembic's "Running upgrade ..." lines
        upgrade(directory=str(ROOT / "migrations"))
        logging.disable(logging.NOTSET)
        try:
            counts = generate(seed=args.seed, year=args.year, scale=args.scale)
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
        url = db.engine.url.render_as_string(hide_password=True)
        db.engine.dispose()
    parts = {key: counts.pop(f"{key}_seconds") for key in ("plan", "write", "contests")}
    words = ", ".join(f"{key} {seconds:.1f} s" for key, seconds in parts.items())
    print(f"province written to {url} in {counts.pop('seconds'):.1f} s ({words})")
    for key, value in counts.items():
        print(f"  {key}: {value:,}" if isinstance(value, int) else f"  {key}: {value}")


if __name__ == "__main__":
    main()
