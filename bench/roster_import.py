"""Benchmark: roster import of N rows (default 50,000) through the service, on the configured database.

Prints the median wall time over repeated runs and the peak memory of the import (tracemalloc), beside the
bars of DESIGN.md §5 (15 s, 500 MB). Run: ``.venv/bin/python bench/roster_import.py [--rows N] [--repeat K]``
with DATABASE_URL set for PostgreSQL (a throw-away database: the bench empties the schema).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红春梅建国志文斌宇晨浩然欣怡子涵"
CATEGORIES = ["教学科研岗"] * 6 + ["行政后勤岗"] * 3 + ["其他"]


def roster_xlsx(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    departments = [f"第{i}学院" for i in range(1, 31)] + [
        "人事处",
        "财务处",
        "后勤保障处",
        "图书馆",
        "教务处",
    ]
    frame = pd.DataFrame(
        {
            "工号": [f"{i:06d}" for i in range(1, rows + 1)],
            "姓名": [
                rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))) for _ in range(rows)
            ],
            "部门": [rng.choice(departments) for _ in range(rows)],
            "岗位类别": [rng.choice(CATEGORIES) for _ in range(rows)],
            "性别": [rng.choice("男女") for _ in range(rows)],
            "出生日期": [
                date(rng.randint(1962, 2000), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(rows)
            ],
            "职称": [rng.choice(["教授", "副教授", "讲师", "科员", "工程师"]) for _ in range(rows)],
            "手机": [f"13{rng.randint(0, 999999999):09d}" for _ in range(rows)],
        }
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="xlsxwriter")
    return buffer.getvalue()


def bench_university(code: str = "BENCH"):
    """The university the benchmark imports into (created when missing), in the current app's database."""
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import University

    university = db.session.scalar(select(University).where(University.code == code))
    if university is None:
        university = University(code=code, name="基准大学")
        db.session.add(university)
        db.session.commit()
    return university


def import_once(university, data: bytes, rows: int, *, traced: bool = False) -> tuple[float, float | None]:
    """One import of ``data`` into ``university`` after removing its staff and departments (only its own: the
    database may hold a whole province): (wall seconds, peak traced MB when ``traced``, else None)."""
    from sqlalchemy import delete

    from competition.extensions import db
    from competition.models import Department, Staff
    from competition.services.roster import import_roster

    db.session.execute(delete(Staff).where(Staff.university_id == university.id))
    db.session.execute(delete(Department).where(Department.university_id == university.id))
    db.session.commit()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    result = import_roster(
        university=university, data=data, filename="bench.xlsx", mode="merge", dry_run=False, by=None
    )
    db.session.commit()
    elapsed = time.perf_counter() - start
    peak = None
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert result.created == rows, result
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import text

    from competition import create_app
    from competition.extensions import db

    instance = tempfile.mkdtemp(prefix="bench-roster-")
    app = create_app({"INSTANCE_PATH": instance})
    data = roster_xlsx(args.rows)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
        university = bench_university()
        times = [import_once(university, data, args.rows)[0] for _ in range(args.repeat)]
        # tracemalloc slows Python several times over: memory is measured in a run of its own, not timed.
        peak = import_once(university, data, args.rows, traced=True)[1]
    engine = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    print(
        f"roster import {args.rows} rows [{engine}]: median {statistics.median(times):.2f} s (bar 15 s), "
        f"peak traced memory {peak:.0f} MB (bar 500 MB), runs {[round(t, 2) for t in times]}"
    )


if __name__ == "__main__":
    main()
