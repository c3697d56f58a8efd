"""Accounts: disabling and enabling from the users list (within reach, never one's own), a disabled account
refused at log-in on the page and the API, its sessions and remember-me cookies ended; the new-account form's
defaults; the users list's university and status filters."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from competition.enums import Role
from competition.extensions import db
from competition.models import AuditLog, User
from tests.builders import PASSWORD, api_login_as, csrf_token, login_as, post_api_login, user
from tests.web.api_checks import check_error

DISABLED = "This account has been disabled. Ask the union office that manages your account to enable it."


def fresh(username: str) -> User:
    db.session.rollback()
    return user(username)


def audit_lines(*actions: str) -> list[tuple]:
    db.session.rollback()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action.in_(actions)).order_by(AuditLog.id))
    return [(a.action, a.username, a.object_type, a.object_id, a.university_id, a.details) for a in rows]


def flashes(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", m))).strip()
        for m in re.findall(r'<div class="alert alert-\w+ alert-dismissible[^>]*>(.*?)<button', page, re.S)
    ]


def post_disable(client, token: str, username: str, *, enable: bool = False, follow: bool = False, **form):
    verb = "enable" if enable else "disable"
    return client.post(
        f"/admin/users/{user(username).id}/{verb}",
        data={"csrf_token": token, **form},
        follow_redirects=follow,
    )


def logged_in_as(client) -> str | None:
    """Whom the client's session belongs to, as the API sees it (None: anonymous)."""
    response = client.get("/api/v1/me")
    return response.get_json()["username"] if response.status_code == 200 else None


def session_cookie(client) -> str:
    return client.get_cookie("session").value


# --- disabling and enabling ---------------------------------------------------------------------------------


def test_organizer_disables_an_account_and_it_is_audited(client, world):
    token = login_as(client, "org")
    client.get("/admin/users?lang=en")
    before = user("zju_staff").session_version
    response = post_disable(client, token, "zju_staff", follow=True)
    assert flashes(response.get_data(as_text=True)) == [
        "Account zju_staff disabled: zju_staff can no longer log in and has been logged out."
    ]
    account = fresh("zju_staff")
    assert account.enabled is False and account.disabled_at is not None
    assert account.session_version == before + 1
    assert audit_lines("user.disable") == [
        ("user.disable", "org", "user", str(account.id), world["zju"].id, {"username": "zju_staff"})
    ]
    row = re.search(r'<tr data-user="zju_staff">(.*?)</tr>', response.get_data(as_text=True), re.S).group(1)
    assert "disabled" in row and 'data-testid="enable"' in row and 'data-testid="disable"' not in row


def test_enabling_again_lets_the_person_log_in_with_the_same_password(client, world):
    token = login_as(client, "org")
    client.get("/admin/users?lang=en")
    post_disable(client, token, "zju_judge", follow=True)
    response = post_disable(client, token, "zju_judge", enable=True, follow=True)
    assert flashes(response.get_data(as_text=True)) == [
        "Account zju_judge enabled: zju_judge can log in again."
    ]
    account = fresh("zju_judge")
    assert account.enabled is True and account.disabled_at is None
    assert [line[0] for line in audit_lines("user.disable", "user.enable")] == ["user.disable", "user.enable"]
    other = client.application.test_client()
    login_as(other, "zju_judge")
    assert logged_in_as(other) == "zju_judge"


def test_disabling_twice_writes_one_line(client, world):
    token = login_as(client, "org")
    client.get("/admin/users?lang=en")
    post_disable(client, token, "zju_judge", follow=True)
    response = post_disable(client, token, "zju_judge", follow=True)
    assert flashes(response.get_data(as_text=True)) == ["Account zju_judge was already disabled."]
    assert len(audit_lines("user.disable")) == 1


def test_the_confirmation_names_the_account(client, world):
    login_as(client, "org")
    page = html.unescape(client.get("/admin/users?lang=en").get_data(as_text=True))
    row = re.search(r'<tr data-user="zju_judge">(.*?)</tr>', page, re.S).group(1)
    assert (
        'data-confirm="Disable the account zju_judge (zju_judge)? They can no longer log in and are '
        'logged out at once. You can enable it again later."' in row
    )


def test_nobody_disables_their_own_account(client, world):
    token = login_as(client, "org")
    client.get("/admin/users?lang=en")
    page = client.get("/admin/users").get_data(as_text=True)
    own_row = re.search(r'<tr data-user="org">(.*?)</tr>', page, re.S).group(1)
    assert "disable" not in own_row  # no button on one's own row
    response = post_disable(client, token, "org", follow=True)
    assert flashes(response.get_data(as_text=True)) == ["You cannot disable or enable your own account."]
    assert fresh("org").enabled is True and audit_lines("user.disable") == []
    assert logged_in_as(client) == "org"


def test_university_admin_disables_within_their_reach_only(client, world, make):
    make.user("zju_admin2", Role.UNIVERSITY_ADMIN, world["zju"])
    token = login_as(client, "zju_admin")
    client.get("/admin/users?lang=en")
    assert post_disable(client, token, "zju_judge").headers["Location"] == "/admin/users"
    client.get("/admin/users")  # read its message
    assert fresh("zju_judge").enabled is False
    # Another admin of the same university: in the list, but a role this admin may not grant.
    response = post_disable(client, token, "zju_admin2", follow=True)
    assert flashes(response.get_data(as_text=True)) == ["You may not change this account."]
    assert fresh("zju_admin2").enabled is True
    # Out of reach: another university's admin and the organizer do not exist for them.
    assert post_disable(client, token, "hzu_admin").status_code == 404
    assert post_disable(client, token, "org").status_code == 404
    assert fresh("hzu_admin").enabled is True and fresh("org").enabled is True
    assert [line[3] for line in audit_lines("user.disable")] == [str(user("zju_judge").id)]


@pytest.mark.parametrize("who", ["zju_judge", "zju_staff"])
def test_judges_and_staff_cannot_disable_anyone(client, world, who):
    token = login_as(client, who)
    assert post_disable(client, token, "hzu_admin").status_code == 403
    assert fresh("hzu_admin").enabled is True


def test_disable_without_csrf_token_is_refused(client, world):
    login_as(client, "org")
    response = client.post(f"/admin/users/{user('zju_judge').id}/disable")
    assert response.status_code == 400
    assert fresh("zju_judge").enabled is True


def test_next_returns_to_the_page_it_came_from_and_only_on_this_site(client, world):
    token = login_as(client, "org")
    response = post_disable(client, token, "zju_staff", next="/staff/ZJU/people/00123")
    assert response.headers["Location"] == "/staff/ZJU/people/00123"
    response = post_disable(client, token, "zju_staff", enable=True, next="https://evil.example/")
    assert response.headers["Location"] == "/admin/users"


# --- a disabled account cannot log in -----------------------------------------------------------------------


def _disable(username: str) -> None:
    """Disable through the service, as an organizer would."""
    from competition.services import accounts

    accounts.set_enabled(user=user(username), enabled=False, by=user("org"))
    db.session.commit()


def test_the_log_in_page_says_the_account_is_disabled(client, world):
    _disable("zju_staff")
    client.get("/auth/login?lang=en")
    token = csrf_token(client)
    response = client.post(
        "/auth/login", data={"username": "zju_staff", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 200
    assert flashes(response.get_data(as_text=True)) == [DISABLED]
    assert logged_in_as(client) is None
    assert fresh("zju_staff").last_login_at is None
    assert audit_lines("user.login") == []


def test_a_wrong_password_for_a_disabled_account_says_only_wrong_password(client, world):
    """Only someone who knows the password learns that the account exists and is disabled."""
    _disable("zju_staff")
    client.get("/auth/login?lang=en")
    token = csrf_token(client)
    response = client.post(
        "/auth/login", data={"username": "zju_staff", "password": "nope-nope", "csrf_token": token}
    )
    assert flashes(response.get_data(as_text=True)) == ["Wrong username or password."]


def test_the_api_refuses_a_disabled_account_with_401_invalid_credentials(client, world):
    _disable("zju_staff")
    error = check_error(
        post_api_login(client, "zju_staff", PASSWORD, **{"Accept-Language": "en"}), 401, "invalid_credentials"
    )
    assert error["message"] == DISABLED and error["details"] == []
    check_error(client.get("/api/v1/me"), 401, "not_authenticated")
    # A wrong password stays the plain refusal.
    error = check_error(
        post_api_login(client, "zju_staff", "nope-nope", **{"Accept-Language": "en"}),
        401,
        "invalid_credentials",
    )
    assert error["message"] == "Wrong username or password."


# --- its sessions end ---------------------------------------------------------------------------------------


def test_disabling_ends_the_persons_page_session_at_their_next_request(app, client, world):
    person = app.test_client()
    login_as(person, "zju_staff")
    assert person.get("/my/").status_code == 200
    old_cookie = session_cookie(person)
    token = login_as(client, "org")
    post_disable(client, token, "zju_staff")
    response = person.get("/my/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert logged_in_as(person) is None
    # The cookie copied before, replayed from elsewhere, does not work either, even once enabled again.
    post_disable(client, token, "zju_staff", enable=True)
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/my/").status_code == 302
    assert logged_in_as(replay) is None


def test_disabling_ends_api_sessions(app, client, world):
    person = app.test_client()
    api_login_as(person, "zju_judge")
    assert logged_in_as(person) == "zju_judge"
    token = login_as(client, "org")
    post_disable(client, token, "zju_judge")
    check_error(person.get("/api/v1/me"), 401, "not_authenticated")


def test_disabling_ends_remember_me_cookies(app, client, world):
    person = app.test_client()
    token = csrf_token(person)
    response = person.post(
        "/auth/login",
        data={"username": "zju_staff", "password": PASSWORD, "remember": "y", "csrf_token": token},
    )
    assert response.status_code == 302
    remember = person.get_cookie("remember_token").value
    # The browser was closed: only the remember-me cookie is left, and it logs the person in.
    closed = app.test_client()
    closed.set_cookie("remember_token", remember)
    assert logged_in_as(closed) == "zju_staff"
    token = login_as(client, "org")
    post_disable(client, token, "zju_staff")
    post_disable(client, token, "zju_staff", enable=True)  # enabled again: the old cookie stays dead
    again = app.test_client()
    again.set_cookie("remember_token", remember)
    assert logged_in_as(again) is None
    assert again.get("/my/").status_code == 302


def test_a_password_reset_ends_the_persons_sessions(app, client, world):
    person = app.test_client()
    login_as(person, "zju_judge")
    token = login_as(client, "zju_admin")
    client.post(f"/admin/users/{user('zju_judge').id}/reset-password", data={"csrf_token": token})
    assert logged_in_as(person) is None


def test_the_session_holds_id_and_version(app, client, world):
    login_as(client, "zju_judge")
    account = user("zju_judge")
    assert account.get_id() == f"{account.id}:{account.session_version}"
    with client.session_transaction() as session:
        assert session["_user_id"] == f"{account.id}:0"


@pytest.mark.parametrize(
    ("stored", "logged_in"),
    [
        ("{id}", True),
        ("{id}:0", True),
        ("{id}:1", False),
        ("{id}:x", False),
        ("x:0", False),
        ("99999999999999999999:0", False),
    ],
    ids=["legacy-bare-id", "current", "future-version", "bad-version", "bad-id", "huge-id"],
)
def test_the_loader_accepts_only_the_current_version(app, client, world, stored, logged_in):
    login_as(client, "zju_judge")
    account = user("zju_judge")
    with client.session_transaction() as session:
        session["_user_id"] = stored.format(id=account.id)
    assert logged_in_as(client) == ("zju_judge" if logged_in else None)


def test_other_accounts_keep_their_sessions(app, client, world):
    bystander = app.test_client()
    login_as(bystander, "zju_admin")
    token = login_as(client, "org")
    post_disable(client, token, "zju_staff")
    assert logged_in_as(bystander) == "zju_admin" and logged_in_as(client) == "org"


# --- the new-account form -----------------------------------------------------------------------------------


def _options(page: str, name: str) -> list[tuple[str, bool]]:
    """The (value, selected) of each option of the form's select ``name``."""
    block = re.search(rf'<select class="form-select" id="{name}" name="{name}">(.*?)</select>', page, re.S)
    return [
        (re.search(r'value="([^"]*)"', attrs).group(1), " selected" in f" {attrs}")
        for attrs in re.findall(r"<option ([^>]*)>", block.group(1))
    ]


def options(page: str, name: str) -> list[str]:
    return [value for value, _ in _options(page, name)]


def selected(page: str, name: str) -> list[str]:
    return [value for value, chosen in _options(page, name) if chosen]


def test_new_account_defaults_for_an_organizer(client, world):
    login_as(client, "org")
    page = client.get("/admin/users").get_data(as_text=True)
    assert selected(page, "role") == ["staff"]
    assert options(page, "role") == ["organizer", "university_admin", "judge", "staff"]
    assert options(page, "university") == ["", "HZU", "ZJU"] and selected(page, "university") == [""]


def test_new_account_defaults_for_a_university_admin(client, world):
    login_as(client, "zju_admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert selected(page, "role") == ["staff"]
    assert options(page, "role") == ["judge", "staff"]
    assert options(page, "university") == ["ZJU"] and selected(page, "university") == ["ZJU"]


def test_a_refused_new_account_keeps_what_was_chosen(client, world):
    token = login_as(client, "org")
    page = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "x",  # too short
            "display_name": "裁判",
            "password": "Judge-Pass-88",
            "role": "judge",
            "university": "HZU",
        },
    ).get_data(as_text=True)
    assert selected(page, "role") == ["judge"] and selected(page, "university") == ["HZU"]


# --- the users list's filters -------------------------------------------------------------------------------


def listed(page: str) -> list[str]:
    return re.findall(r'<tr data-user="([^"]+)">', page)


def test_organizer_filters_the_users_list_by_university(client, world):
    login_as(client, "org")
    assert listed(client.get("/admin/users").get_data(as_text=True)) == [
        "hzu_admin",
        "org",
        "zju_admin",
        "zju_judge",
        "zju_staff",
    ]
    page = client.get("/admin/users?university=HZU").get_data(as_text=True)
    assert listed(page) == ["hzu_admin"]
    assert re.search(r'<option value="HZU" selected>', page)
    assert listed(client.get("/admin/users?university=ZJU&role=judge").get_data(as_text=True)) == [
        "zju_judge"
    ]
    assert (
        len(listed(client.get("/admin/users?university=NOPE").get_data(as_text=True))) == 5
    )  # unknown: ignored


def test_university_admin_sees_only_theirs_whatever_the_filter(client, world):
    login_as(client, "zju_admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert listed(page) == ["zju_admin", "zju_judge", "zju_staff"]
    assert 'name="university" aria-label' not in page  # one university: no filter to choose
    assert listed(client.get("/admin/users?university=HZU").get_data(as_text=True)) == [
        "zju_admin",
        "zju_judge",
        "zju_staff",
    ]


def test_the_users_list_filters_by_status(client, world):
    token = login_as(client, "org")
    post_disable(client, token, "zju_judge")
    assert listed(client.get("/admin/users?state=disabled").get_data(as_text=True)) == ["zju_judge"]
    assert "zju_judge" not in listed(client.get("/admin/users?state=enabled").get_data(as_text=True))
    page = client.get("/admin/users?state=disabled&university=ZJU&lang=en").get_data(as_text=True)
    assert listed(page) == ["zju_judge"] and "1 accounts" in page
