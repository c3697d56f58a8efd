"""A realistic province in miniature for demonstrations: ``flask --app wsgi demo``.

Six fictional universities of different sizes and kinds with about 3,000 staff, five competitions in every
state (one scoring with its big screen on, one published with its certificates), a drill whose written test is
being sat and a province-wide quiz (``demo.exams``), and a handful of accounts (organizer, one union admin and
two judges per university, outside experts, four staff members, one of them to sit the written test, and an
award winner) to click through the product; every other staff member has an account too, opened by their
union for the quiz. The log-ins file also says where the award winner's certificate, the big screen's secret
link and the written test are. The data follow from the seed; the passwords and the screen's secret never do:
they are drawn with ``secrets`` on every load.
"""

from __future__ import annotations

import os
import random
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app

from ..extensions import db
from ..services import audit
from .contests import load_demo_contests
from .coverage import load_demo_coverage
from .exams import load_demo_exams
from .judging import load_demo_judging
from .people import Login, add_accounts, add_staff, add_universities
from .results import load_demo_results

LOGINS_FILE = "demo-logins.txt"
URL = "http://127.0.0.1:5000"  # Flask's own default address, when nothing says otherwise
_OPEN_LINE = re.compile(r"^打开 Open (\S+) ", re.MULTILINE)


def server_url(host: str | None = None, port: str | int | None = None) -> str:
    """The address ``flask run`` serves on: ``host`` and ``port``, else the variables ``flask run`` reads
    (``FLASK_RUN_HOST``, ``FLASK_RUN_PORT``; ``make run PORT=8080`` sets them), else 127.0.0.1:5000. A server
    listening on every interface (0.0.0.0, ::) is opened on this computer as 127.0.0.1.

    ``server_url(port=8080) == "http://127.0.0.1:8080"`` (with no FLASK_RUN_HOST set).
    """
    host = (host or os.environ.get("FLASK_RUN_HOST") or "127.0.0.1").strip()
    port = str(port or os.environ.get("FLASK_RUN_PORT") or "5000").strip()
    if host in ("0.0.0.0", "::", "[::]", "*"):  # noqa: S104 (a listening address, opened as 127.0.0.1)
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


def with_url(text: str, url: str) -> str:
    """The saved log-ins ``text`` with the address it was written with replaced by ``url`` everywhere (the
    server may run on another port than when the demo was loaded)."""
    found = _OPEN_LINE.search(text)
    return text if found is None or found.group(1) == url else text.replace(found.group(1), url)


def load_demo(*, seed: int = 2026, url: str = URL) -> str:
    """Add the demo province to the session (the caller commits) and return the table of its log-ins, which
    name the pages at ``url`` (where the server runs: ``server_url()``)."""
    rng = random.Random(seed)
    universities = add_universities()
    staff_by_university = add_staff(universities, rng)
    logins = add_accounts(universities, staff_by_university, rng)
    load_demo_contests(rng=rng)
    logins = load_demo_judging(seed=seed, logins=logins)  # panels and sheets; the outside experts' log-ins
    results = load_demo_results(seed=seed, logins=logins, url=url)  # published; the award winner's log-in
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    load_demo_coverage(rng=rng, year=today.year, today=today)
    exams = load_demo_exams(seed=seed, logins=results.logins, url=url)  # a written test, a quiz for all

    total = sum(len(rows) for rows in staff_by_university.values())
    db.session.flush()
    audit.record(
        "demo.load", by=None, object_type="system", seed=seed, universities=len(universities), staff=total
    )
    notes = results.notes + exams.notes
    return _logins_text(exams.logins, universities=len(universities), staff=total, notes=notes, url=url)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _logins_text(logins: list[Login], *, universities: int, staff: int, notes: list[str], url: str) -> str:
    path = Path(current_app.instance_path) / LOGINS_FILE
    heading = ("用户名 Username", "密码 Password", "角色 Role", "高校 University", "姓名 Name")
    rows = [heading, *((x.username, x.password, x.role, x.university, x.name) for x in logins)]
    lines = [
        "演示账号 / Demo log-ins",
        "=======================",
        f"已载入 {universities} 所高校、{staff:,} 名教职工 / "
        f"Loaded {universities} universities and {staff:,} staff.",
        f"打开 Open {url} (flask --app wsgi run), 用下列账号登录 / log in with one of these accounts.",
        f"这些账号保存在 / They are kept in: {path}",
        "",
        *_table(rows),
        "",
        *notes,
        *([""] if notes else []),
        "密码为随机生成, 仅供演示 / The passwords are random and for demonstration only.",
    ]
    return "\n".join(lines) + "\n"
