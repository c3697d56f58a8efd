"""The API's session authentication: CSRF, log-in, log-out, /me, rate limiting, language, anonymous calls."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.support import Translations
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditLog, University, User
from tests.builders import PASSWORD, api_login_as, csrf_token, post_api_login
from tests.web.api_checks import check_error

CJK = re.compile(r"[\u4e00-\u9fff]")


def fresh_scalar(stmt):
    """A value read from the database as it is now, not from the test's session cache."""
    db.session.rollback()
    return db.session.scalar(stmt)


def zh_catalog(app) -> Translations:
    """The compiled Simplified Chinese catalogue (the conftest compiles it)."""
    folder = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    assert (folder / "zh_Hans_CN" / "LC_MESSAGES" / "messages.mo").exists()
    return Translations.load(str(folder), ["zh_Hans_CN"])


# --- CSRF --------------------------------------------------------------------------------------------------


def test_csrf_endpoint_gives_a_token_that_login_accepts(client, world):
    response = client.get("/api/v1/auth/csrf")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"csrf_token"}
    assert isinstance(body["csrf_token"], str) and len(body["csrf_token"]) > 20
    ok = client.post(
        "/api/v1/auth/login",
        json={"username": "org", "password": PASSWORD},
        headers={"X-CSRFToken": body["csrf_token"]},
    )
    assert ok.status_code == 200


def _roster_upload():
    return {"file": (io.BytesIO("工号,姓名,部门,岗位类别\nN1,新人,计算机学院,其他\n".encode()), "r.csv")}


# Every state-changing endpoint: (path, keyword arguments of client.post).
POSTS = {
    "login": ("/api/v1/auth/login", lambda: {"json": {"username": "org", "password": PASSWORD}}),
    "logout": ("/api/v1/auth/logout", dict),
    "universities": ("/api/v1/universities", lambda: {"json": {"code": "NBU", "name": "宁波大学"}}),
    "roster": ("/api/v1/universities/ZJU/roster", lambda: {"data": _roster_upload()}),
    "users": (
        "/api/v1/users",
        lambda: {
            "json": {"username": "newbie", "password": "Another-Pass-9", "roles": [{"role": "organizer"}]}
        },
    ),
}


def _bad_token_headers(app, kind: str) -> dict:
    if kind == "missing":
        return {}
    if kind == "garbage":
        return {"X-CSRFToken": "not-a-token"}
    # A genuine token, but of another session.
    return {"X-CSRFToken": csrf_token(app.test_client())}


def _nothing_written() -> None:
    assert fresh_scalar(select(func.count()).select_from(User)) == 5
    assert fresh_scalar(select(func.count()).select_from(University)) == 2
    assert fresh_scalar(select(func.count()).where(AuditLog.action != "user.login")) == 0


@pytest.mark.parametrize("token", ["missing", "garbage", "other_session"])
@pytest.mark.parametrize("endpoint", sorted(POSTS))
def test_post_without_a_valid_csrf_token_is_refused_when_anonymous(app, client, world, endpoint, token):
    path, kwargs = POSTS[endpoint]
    if token != "missing":
        csrf_token(client)  # the session has a token of its own, which the request does not send
    response = client.post(path, headers=_bad_token_headers(app, token), **kwargs())
    error = check_error(response, 400, "csrf_failed")
    assert error["details"] == []
    _nothing_written()
    assert check_error(client.get("/api/v1/me"), 401, "not_authenticated")


@pytest.mark.parametrize("token", ["missing", "garbage", "other_session"])
@pytest.mark.parametrize("endpoint", sorted(POSTS))
def test_post_without_a_valid_csrf_token_is_refused_when_logged_in(app, client, world, endpoint, token):
    api_login_as(client, "org")
    path, kwargs = POSTS[endpoint]
    response = client.post(path, headers=_bad_token_headers(app, token), **kwargs())
    check_error(response, 400, "csrf_failed")
    _nothing_written()
    # Not even log-out happened.
    assert client.get("/api/v1/me").get_json()["username"] == "org"


# --- log-in ------------------------------------------------------------------------------------------------

EXPECTED_ROLES = {
    "org": [{"role": "organizer"}],
    "zju_admin": [{"role": "university_admin", "university": "ZJU"}],
    "hzu_admin": [{"role": "university_admin", "university": "HZU"}],
    "zju_judge": [{"role": "judge", "university": "ZJU"}],
    "zju_staff": [{"role": "staff", "university": "ZJU", "staff_no": "00123"}],
}


@pytest.mark.parametrize("username", sorted(EXPECTED_ROLES))
def test_login_answers_the_user_and_roles(client, world, username):
    response = post_api_login(client, username)
    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == username
    assert body["display_name"] == username
    assert body["roles"] == EXPECTED_ROLES[username]
    assert "session=" in response.headers.get("Set-Cookie", "")
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.get_json() == body
    db.session.rollback()
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.login")).all()
    assert [(a.username, a.object_type) for a in audit] == [(username, "user")]


def test_login_accepts_surrounding_spaces_in_the_username(client, world):
    response = post_api_login(client, "  org ")
    assert response.status_code == 200
    assert response.get_json()["username"] == "org"


def _disable(username: str) -> None:
    user = db.session.scalar(select(User).where(User.username == username))
    user.enabled = False
    db.session.commit()


@pytest.mark.parametrize(
    ("username", "password", "disable"),
    [
        ("org", "Wrong-Password-1", False),
        ("org", "", False),
        ("org", PASSWORD.lower(), False),
        ("nobody", PASSWORD, False),
        ("ORG", PASSWORD, False),
        ("zju_admin", PASSWORD, True),
    ],
    ids=[
        "wrong-password",
        "empty-password",
        "wrong-case-password",
        "unknown-user",
        "wrong-case-user",
        "disabled",
    ],
)
def test_login_refusals_are_401_invalid_credentials(client, world, username, password, disable):
    if disable:
        _disable(username)
    error = check_error(post_api_login(client, username, password), 401, "invalid_credentials")
    assert error["details"] == []
    check_error(client.get("/api/v1/me"), 401, "not_authenticated")
    assert fresh_scalar(select(func.count()).select_from(AuditLog)) == 0


def test_wrong_password_and_unknown_user_answer_alike(client, world):
    wrong = post_api_login(client, "org", "Wrong-Password-1").get_json()
    unknown = post_api_login(client, "nobody", "Wrong-Password-1").get_json()
    assert wrong == unknown


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "username=org&password=x", "content_type": "application/x-www-form-urlencoded"},
        {"data": "not json", "content_type": "application/json"},
        {"json": ["org", PASSWORD]},
        {"json": {"username": "org"}},
        {"json": {"password": PASSWORD}},
        {"json": {"username": 1, "password": PASSWORD}},
        {"json": {"username": "org", "password": None}},
    ],
    ids=["form", "broken-json", "array", "no-password", "no-username", "number-username", "null-password"],
)
def test_malformed_login_is_400(client, world, kwargs):
    response = client.post("/api/v1/auth/login", headers={"X-CSRFToken": csrf_token(client)}, **kwargs)
    check_error(response, 400, "bad_request")
    check_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_a_disabled_account_loses_its_session(client, world):
    api_login_as(client, "zju_admin")
    assert client.get("/api/v1/me").status_code == 200
    _disable("zju_admin")
    check_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_too_many_login_attempts_give_429(app, client, world):
    previous = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        for _ in range(3):
            check_error(post_api_login(client, "org", "Wrong-Password-1"), 401, "invalid_credentials")
        # The right password does not help once the limit is reached.
        error = check_error(post_api_login(client, "org"), 429, "rate_limited")
        assert error["details"] == []
        check_error(client.get("/api/v1/me"), 401, "not_authenticated")
        english = post_api_login(client, "org", **{"Accept-Language": "en"})
        assert check_error(english, 429, "rate_limited")["message"] == (
            "Too many attempts. Please wait a minute and try again."
        )
    finally:
        app.config["LOGIN_RATE_LIMIT"] = previous


# --- log-out and /me ---------------------------------------------------------------------------------------


def test_logout_ends_the_session(client, world):
    token = api_login_as(client, "zju_admin")
    response = client.post("/api/v1/auth/logout", headers={"X-CSRFToken": token})
    assert response.status_code == 204
    assert response.get_data() == b""
    error = check_error(client.get("/api/v1/me"), 401, "not_authenticated")
    assert error["details"] == []
    check_error(client.get("/api/v1/universities"), 401, "not_authenticated")


def test_logout_when_anonymous_is_still_204(client, world):
    response = client.post("/api/v1/auth/logout", headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 204
    check_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_login_again_after_logout_as_someone_else(client, world):
    token = api_login_as(client, "org")
    client.post("/api/v1/auth/logout", headers={"X-CSRFToken": token})
    api_login_as(client, "zju_judge")
    assert client.get("/api/v1/me").get_json()["roles"] == [{"role": "judge", "university": "ZJU"}]


def test_me_reports_an_initial_password(client, world):
    user = db.session.scalar(select(User).where(User.username == "zju_judge"))
    user.must_change_password = True
    db.session.commit()
    api_login_as(client, "zju_judge")
    me = client.get("/api/v1/me")
    assert me.status_code == 200  # the API is not redirected to the password page
    assert me.get_json()["must_change_password"] is True


# --- anonymous ---------------------------------------------------------------------------------------------

ANONYMOUS = [
    ("GET", "/api/v1/me", dict),
    ("GET", "/api/v1/universities", dict),
    ("POST", "/api/v1/universities", lambda: {"json": {"code": "NBU", "name": "宁波大学"}}),
    ("POST", "/api/v1/universities/ZJU/roster", lambda: {"data": _roster_upload()}),
    ("POST", "/api/v1/universities/NOPE/roster", lambda: {"data": _roster_upload()}),
    ("GET", "/api/v1/universities/ZJU/staff", dict),
    ("GET", "/api/v1/universities/NOPE/staff", dict),
    (
        "POST",
        "/api/v1/users",
        lambda: {
            "json": {"username": "newbie", "password": "Another-Pass-9", "roles": [{"role": "organizer"}]}
        },
    ),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), ANONYMOUS, ids=[f"{m} {p}" for m, p, _ in ANONYMOUS])
def test_anonymous_calls_are_401(client, world, method, path, kwargs):
    headers = {"X-CSRFToken": csrf_token(client)} if method == "POST" else {}
    response = client.open(path, method=method, headers=headers, **kwargs())
    error = check_error(response, 401, "not_authenticated")
    assert error["details"] == []
    _nothing_written()


# --- language ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "english"),
    [(None, False), ("zh-CN,zh;q=0.9", False), ("en", True), ("en-US,en;q=0.8", True), ("fr", False)],
)
def test_invalid_credentials_message_follows_accept_language(app, client, world, accept_language, english):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    message = check_error(
        post_api_login(client, "org", "Wrong-Password-1", **headers), 401, "invalid_credentials"
    )["message"]
    if english:
        assert message == "Wrong username or password."
        return
    catalog = zh_catalog(app)
    assert message == catalog.gettext("Wrong username or password.")
    assert message != "Wrong username or password."
    assert CJK.search(message)


@pytest.mark.parametrize(("accept_language", "english"), [(None, False), ("en", True)])
def test_not_authenticated_message_follows_accept_language(app, client, world, accept_language, english):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    message = check_error(client.get("/api/v1/me", headers=headers), 401, "not_authenticated")["message"]
    if english:
        assert message == "Please log in."
        return
    catalog = zh_catalog(app)
    assert message == catalog.gettext("Please log in.")
    assert CJK.search(message)


def test_csrf_failure_message_is_english_on_request(client, world):
    response = client.post("/api/v1/auth/login", json={}, headers={"Accept-Language": "en"})
    assert check_error(response, 400, "csrf_failed")["message"] == (
        "The form has expired or lacks its security token. Reload the page and try again."
    )
