"""One commit per request: a view's writes are kept when it succeeds, and nothing of them when it fails."""

from __future__ import annotations

import pytest
from flask import Blueprint, redirect
from sqlalchemy import func, select

from competition import create_app
from competition.errors import Conflict
from competition.extensions import db
from competition.feedback import flash_refusal
from competition.models import University
from competition.transaction import discard

probe = Blueprint("probe", __name__, url_prefix="/probe")


def _write(code: str) -> None:
    db.session.add(University(code=code, name=f"{code} 大学"))
    db.session.flush()  # written to the database inside the request's transaction


@probe.post("/ok/<code>")
def ok(code):
    _write(code)
    return "written"


@probe.post("/redirect/<code>")
def moved(code):
    _write(code)
    return redirect("/")


@probe.post("/raises/<code>")
def raises(code):
    _write(code)
    raise RuntimeError("after writing")


@probe.post("/refused/<code>")
def refused(code):
    _write(code)
    raise Conflict("refused after writing")


@probe.post("/invalid/<code>")
def invalid(code):
    _write(code)
    return "form with errors", 422


@probe.post("/discarded/<code>")
def discarded(code):
    _write(code)
    discard()
    return redirect("/")


@probe.post("/flashed/<code>")
def flashed(code):
    _write(code)
    flash_refusal("nope")
    return redirect("/")


@pytest.fixture(scope="module")
def probe_app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("probe")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'probe.db'}",
            "INSTANCE_PATH": str(instance),
            "WTF_CSRF_ENABLED": False,
        }
    )
    app.register_blueprint(probe)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def stored(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(University).where(University.code == code))


@pytest.mark.parametrize(("path", "status"), [("ok", 200), ("redirect", 302)])
def test_a_successful_view_is_committed(probe_app, path, status):
    code = f"OK{status}"
    assert probe_app.test_client().post(f"/probe/{path}/{code}").status_code == status
    assert stored(probe_app, code) == 1


@pytest.mark.parametrize(
    ("path", "status"), [("refused", 409), ("invalid", 422), ("discarded", 302), ("flashed", 302)]
)
def test_a_failed_view_leaves_nothing(probe_app, path, status):
    code = f"NO{path.upper()}"
    assert probe_app.test_client().post(f"/probe/{path}/{code}").status_code == status
    assert stored(probe_app, code) == 0


def test_a_view_that_raises_after_writing_leaves_nothing(probe_app):
    client = probe_app.test_client()
    with pytest.raises(RuntimeError, match="after writing"):  # TESTING propagates the error
        client.post("/probe/raises/RAISE1")
    assert stored(probe_app, "RAISE1") == 0


def test_an_unexpected_error_is_a_500_and_leaves_nothing(probe_app):
    probe_app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = probe_app.test_client().post("/probe/raises/RAISE2")
    finally:
        probe_app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert stored(probe_app, "RAISE2") == 0


def test_no_blueprint_commits_by_hand():
    """The request commits once (``competition.transaction``); views never call commit or rollback."""
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "competition"
    blueprints = [p for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    offenders = [
        f"{path.relative_to(package)}:{n}"
        for folder in blueprints
        if folder.name not in {"domain", "models", "services", "permissions", "demo", "data"}
        for path in folder.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "db.session.commit()" in line or "db.session.rollback()" in line
    ]
    assert offenders == []
