"""Fixtures for the web and e2e tests: one app per session on SQLite or, with TEST_DATABASE_URL, PostgreSQL.

The schema is built through the migrations (so they are tested too); each test starts with empty tables.
The builders the fixtures use (and the tests import) are in ``tests/builders.py``.
"""

from __future__ import annotations

import os

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from competition import create_app
from competition.enums import Role
from competition.extensions import db, limiter
from tests.builders import Api, Factory


def _compile_catalogues() -> None:
    """Compile .po to .mo when stale, so a bare ``pytest`` sees the same Chinese pages as ``make test``."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).resolve().parents[1] / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


_compile_catalogues()


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Flask reuses an app context that a test holds open (the ``ctx`` fixture), which would share ``g`` (the
    logged-in user, the CSRF token) and the database session between requests and clients. The test's own
    session is committed first, so that it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.db'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(instance),
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "SERVER_NAME": "localhost",
        }
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        from flask_migrate import upgrade

        upgrade(directory=str(app.root_path + "/../migrations"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that used the app (unit tests never touch it)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(
                    text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
                )
            else:
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))
        limiter.reset()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(ctx):
    return Factory()


@pytest.fixture
def world(make):
    """Two universities, each with an admin, a judge and a staff account; one organizer."""
    zju = make.university("ZJU", "浙江大学")
    hzu = make.university("HZU", "杭州大学")
    make.user("org", Role.ORGANIZER)
    make.user("zju_admin", Role.UNIVERSITY_ADMIN, zju)
    make.user("hzu_admin", Role.UNIVERSITY_ADMIN, hzu)
    make.user("zju_judge", Role.JUDGE, zju)
    teacher = make.staff(zju, "00123", "李老师")
    make.staff(zju, "00124", "王会计", department="财务处", category="admin_logistics", gender="female")
    make.staff(hzu, "H001", "赵老师")
    make.user("zju_staff", Role.STAFF, zju, staff=teacher)
    return {"zju": zju, "hzu": hzu}


@pytest.fixture
def login(app, world):
    """``login(username)``: an API client logged in as that account of the world."""
    return lambda username: Api(app, username)


@pytest.fixture
def org(login) -> Api:
    return login("org")
