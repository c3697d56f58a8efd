"""Command-line tasks: ``flask --app wsgi init-db | create-user | demo | backup``."""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import select

from .enums import Role
from .errors import ServiceError
from .extensions import db
from .models import University, User
from .services.accounts import RoleSpec, create_user


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema through the migrations."""
    upgrade(directory=str(Path(current_app.root_path).parent / "migrations"))
    click.echo("Database schema is up to date.")


@click.command("create-user")
@click.argument("username")
@click.option(
    "--password", prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters."
)
@click.option("--role", "role", required=True, type=click.Choice([r.value for r in Role]))
@click.option(
    "--university", default=None, help="University code (none for a judge who is an outside expert)."
)
@click.option("--staff-no", default=None, help="工号 of the staff member (staff role).")
@click.option("--display-name", default=None)
def create_user_command(username, password, role, university, staff_no, display_name) -> None:
    """Create an account; the first organizer is made this way (there is no default password)."""
    if role == Role.ORGANIZER and university:
        _fail("An organizer belongs to no university: drop --university.")
    if role not in (Role.ORGANIZER, Role.JUDGE) and not university:
        _fail(f"The role {role} needs --university CODE.")
    try:
        user = create_user(
            username=username,
            password=password,
            display_name=display_name or username,
            roles=[RoleSpec(role=role, university=university, staff_no=staff_no)],
            by=None,
        )
    except ServiceError as error:
        db.session.rollback()
        reasons = " ".join(d["message"] for d in error.details if d.get("message") != error.message)
        _fail(f"{error.message} {reasons}".strip())
    db.session.commit()
    click.echo(f"Created {user.username} ({role}).")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds universities.")
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option(
    "--size",
    type=click.Choice(["small", "province"]),
    default="small",
    show_default=True,
    help="small: six universities to click through; province: the benchmarks' province of bench/generate.py "
    "(60 universities, 150,000 staff, 200,000 entries, a year of audit log; a few minutes).",
)
@click.option(
    "--scale", default=1.0, show_default=True, type=float, help="The province's size (--size province)."
)
@click.option(
    "--url",
    default=None,
    help="Where the server runs, for the printed links (default: from FLASK_RUN_HOST and FLASK_RUN_PORT, "
    "else http://127.0.0.1:5000).",
)
def demo_command(if_empty: bool, seed: int, size: str, scale: float, url: str | None) -> None:
    """Load a realistic province in miniature (or at full size) and print the demo log-ins."""
    from .demo import LOGINS_FILE, load_demo
    from .demo.loader import server_url, with_url

    url = (url or server_url()).rstrip("/")
    logins_path = Path(current_app.instance_path) / LOGINS_FILE
    if db.session.scalar(select(University.id).limit(1)) is not None:
        if if_empty:
            if logins_path.exists():  # printed again, with the links of the server about to run
                saved = logins_path.read_text(encoding="utf-8")
                text = with_url(saved, url)
                if text != saved:
                    logins_path.write_text(text, encoding="utf-8")
                click.echo(text)
            else:
                click.echo("The database already holds data; demo data was not loaded.")
            return
        _fail("The database already holds universities: the demo loads only into an empty database.")
    text = load_demo(seed=seed, url=url) if size == "small" else _load_province(seed, scale, url)
    db.session.commit()
    logins_path.write_text(text, encoding="utf-8")
    logins_path.chmod(0o600)
    click.echo(text)


def _load_province(seed: int, scale: float, url: str) -> str:
    """The benchmarks' province (``bench/generate.py`` of the source tree beside the app: one generator for
    both), of this year; its log-ins, which share one random password."""
    from .clock import local_today
    from .demo.loader import _logins_text
    from .demo.people import Login
    from .services import audit

    bench = Path(current_app.root_path).parent / "bench"
    if not (bench / "generate.py").is_file():
        _fail(
            f"--size province needs the benchmarks' generator {bench / 'generate.py'} (from the repository)."
        )
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    from generate import generate

    click.echo("Generating the province (at scale 1 this takes a few minutes)...")
    counts = generate(seed=seed, year=local_today().year, scale=scale)
    logins = counts["logins"]
    rows = []
    for key, role in (
        ("organizer", "organizer"),
        ("largest_university_admin", "university_admin"),
        ("judge", "judge"),
        ("expert", "judge"),
        ("staff", "staff"),
    ):
        user = db.session.scalar(select(User).where(User.username == logins[key])) if logins[key] else None
        if user is not None:
            own = next((g.university for g in user.roles if g.university), None)
            where = f"{own.name} {own.code}" if own else "-"
            rows.append(Login(user.username, logins["password"], role, where, user.display_name))
    size = {"universities": counts["universities"], "staff": counts["staff"], "size": "province"}
    audit.record("demo.load", by=None, object_type="system", seed=seed, **size)
    notes = [
        f"全省规模 / Province size: {counts['entries']:,} entries, {counts['accounts']:,} accounts (each "
        f"with the password above), {counts['audit_rows']:,} audit rows; the staff of "
        f"{counts['without_staff_accounts']} have no accounts yet (its staff page creates them in bulk). "
        f"Generated in {counts['seconds']:.0f} s."
    ]
    return _logins_text(
        rows,
        universities=counts["universities"],
        staff=counts["staff"],
        notes=notes,
        url=url,
    )


@click.command("backup")
@click.argument("target", required=False)
def backup_command(target: str | None) -> None:
    """Copy the SQLite database consistently while the app runs (SQLite's online backup)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        _fail("backup copies the embedded SQLite database; for PostgreSQL use pg_dump.")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    destination = (
        Path(target) if target else Path(current_app.instance_path) / "backups" / f"competition-{stamp}.db"
    )
    if destination.exists():
        _fail(f"{destination} exists already; choose another name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(url.database)
    copy = sqlite3.connect(destination)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()
    click.echo(f"Backed up to {destination}")


def register(app: Flask) -> None:
    for command in (init_db, create_user_command, demo_command, backup_command):
        app.cli.add_command(command)
