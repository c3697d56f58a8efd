"""Fixtures for the web and e2e tests: one app per session on SQLite or, with TEST_DATABASE_URL, PostgreSQL.

The schema is built through the migrations (so they are tested too); each test starts with empty tables.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from competition import create_app
from competition.enums import Role
from competition.extensions import db, limiter
from competition.models import Department, RoleGrant, Staff, University, User

PASSWORD = "Correct-Horse-42"


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


def csrf_token(client) -> str:
    return client.get("/api/v1/auth/csrf").get_json()["csrf_token"]


def api_login(client, username: str, password: str = PASSWORD):
    """Log in through the API; returns the CSRF token to send with later writes."""
    token = csrf_token(client)
    response = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return token


class Factory:
    """Builds rows directly (commits each), for arranging a test's world."""

    def university(self, code: str = "ZJU", name: str | None = None) -> University:
        university = University(code=code, name=name or f"{code} 大学")
        db.session.add(university)
        db.session.commit()
        return university

    def department(self, university: University, name: str = "计算机学院") -> Department:
        existing = db.session.query(Department).filter_by(university_id=university.id, name=name).first()
        if existing:
            return existing
        department = Department(university=university, name=name)
        db.session.add(department)
        db.session.commit()
        return department

    def staff(
        self,
        university: University,
        staff_no: str = "0001",
        name: str = "张三",
        *,
        department: str = "计算机学院",
        category: str = "teaching_research",
        active: bool = True,
        birth_date: date | None = date(1990, 5, 1),
        gender: str | None = "male",
    ) -> Staff:
        member = Staff(
            university=university,
            staff_no=staff_no,
            name=name,
            department=self.department(university, department),
            category=category,
            active=active,
            birth_date=birth_date,
            gender=gender,
        )
        db.session.add(member)
        db.session.commit()
        return member

    def user(
        self,
        username: str,
        role: str | Role,
        university: University | None = None,
        staff: Staff | None = None,
        password: str = PASSWORD,
    ) -> User:
        user = User(
            username=username,
            display_name=username,
            roles=[RoleGrant(role=str(role), university=university, staff=staff)],
        )
        user.set_password(password, method="pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()
        return user


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
