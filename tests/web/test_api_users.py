"""The API's account creation: who may grant which role, validation, conflicts, and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditLog, RoleGrant, University, User
from tests.builders import api_login_as
from tests.web.api_checks import check_error

NEW_PASSWORD = "Fresh-Start-2026"


def create(client, token: str, body, **headers):
    return client.post("/api/v1/users", json=body, headers={"X-CSRFToken": token, **headers})


def account(username: str = "newbie", roles=None, **fields) -> dict:
    return {
        "username": username,
        "password": NEW_PASSWORD,
        "display_name": "新同事",
        "roles": roles,
        **fields,
    }


def user_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User))


def creations() -> list[AuditLog]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "user.create")))


def assert_nothing_created(before: int = 5) -> None:
    assert user_count() == before
    assert creations() == []
    assert db.session.scalar(select(User.id).where(User.username == "newbie")) is None


ORGANIZER = {"role": "organizer"}
ZJU_ADMIN = {"role": "university_admin", "university": "ZJU"}
ZJU_JUDGE = {"role": "judge", "university": "ZJU"}
HZU_JUDGE = {"role": "judge", "university": "HZU"}
ZJU_STAFF = {"role": "staff", "university": "ZJU", "staff_no": "00124"}
HZU_STAFF = {"role": "staff", "university": "HZU", "staff_no": "H001"}

# (roles given, universities the new user then sees)
ORGANIZER_GRANTS = [
    ([ORGANIZER], ["HZU", "ZJU"]),
    ([ZJU_ADMIN], ["ZJU"]),
    ([HZU_JUDGE], ["HZU"]),
    ([ZJU_STAFF], ["ZJU"]),
    ([HZU_STAFF], ["HZU"]),
    ([ZJU_JUDGE, {"role": "university_admin", "university": "HZU"}], ["HZU", "ZJU"]),
]


@pytest.mark.parametrize(("roles", "visible"), ORGANIZER_GRANTS, ids=lambda v: str(v)[:60])
def test_organizer_creates_every_role_and_the_user_can_log_in(app, client, world, roles, visible):
    token = api_login_as(client, "org")
    response = create(client, token, account(roles=roles))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["username"], body["display_name"], body["roles"]) == ("newbie", "新同事", roles)

    db.session.rollback()
    user = db.session.scalar(select(User).where(User.username == "newbie"))
    assert user.enabled and user.check_password(NEW_PASSWORD)
    assert NEW_PASSWORD not in user.password_hash
    assert [g.role for g in user.roles] == [r["role"] for r in roles]

    [entry] = creations()
    assert (entry.username, entry.object_type, entry.object_id) == ("org", "user", str(user.id))
    assert entry.details["username"] == "newbie"
    assert entry.details["roles"] == [r["role"] for r in roles]

    newcomer = app.test_client()
    api_login_as(newcomer, "newbie", NEW_PASSWORD)
    assert newcomer.get("/api/v1/me").get_json()["roles"] == roles
    assert [u["code"] for u in newcomer.get("/api/v1/universities").get_json()] == visible


@pytest.mark.parametrize(
    ("fields", "username", "display_name"),
    [
        ({"display_name": None}, "newbie", "newbie"),
        ({"display_name": "   "}, "newbie", "newbie"),
        ({"display_name": " 王 评委 "}, "newbie", "王 评委"),
        ({"username": "  newbie "}, "newbie", "新同事"),
        ({"username": "li.ming@zju-2"}, "li.ming@zju-2", "新同事"),
    ],
)
def test_names_are_trimmed_and_display_name_defaults_to_username(
    client, world, fields, username, display_name
):
    token = api_login_as(client, "org")
    response = create(client, token, {**account(roles=[ZJU_JUDGE]), **fields})
    assert response.status_code == 201
    assert (response.get_json()["username"], response.get_json()["display_name"]) == (username, display_name)
    db.session.rollback()
    assert db.session.scalar(select(User.display_name).where(User.username == username)) == display_name


def test_duplicate_username_is_409(client, world):
    token = api_login_as(client, "org")
    error = check_error(create(client, token, account("zju_judge", roles=[ZJU_JUDGE])), 409, "duplicate")
    assert "zju_judge" in error["message"]
    assert_nothing_created()
    # The existing account is untouched: its own password still works.
    api_login_as(client, "zju_judge")


def test_the_same_role_twice_is_granted_once(client, world):
    token = api_login_as(client, "org")
    response = create(client, token, account(roles=[ORGANIZER, ORGANIZER, ZJU_JUDGE, ZJU_JUDGE]))
    assert response.status_code == 201
    assert response.get_json()["roles"] == [ORGANIZER, ZJU_JUDGE]
    db.session.rollback()
    grants = db.session.scalars(
        select(RoleGrant.role).join(User).where(User.username == "newbie").order_by(RoleGrant.id)
    ).all()
    assert grants == ["organizer", "judge"]


def test_two_staff_members_in_one_account_are_refused(app, client, make, world):
    make.staff(world["zju"], "00300", "孙老师")
    token = api_login_as(client, "org")
    roles = [ZJU_STAFF, {"role": "staff", "university": "ZJU", "staff_no": "00300"}]
    response = create(client, token, account(roles=roles))
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "roles"


# --- a university admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("roles", [[ZJU_JUDGE], [ZJU_STAFF], [ZJU_JUDGE, ZJU_STAFF]], ids=str)
def test_university_admin_creates_judges_and_staff_of_their_own_university(app, client, world, roles):
    token = api_login_as(client, "zju_admin")
    response = create(client, token, account(roles=roles))
    assert response.status_code == 201
    assert response.get_json()["roles"] == roles
    [entry] = creations()
    assert entry.username == "zju_admin"
    assert entry.university_id == world["zju"].id
    newcomer = app.test_client()
    api_login_as(newcomer, "newbie", NEW_PASSWORD)
    assert newcomer.get("/api/v1/me").get_json()["roles"] == roles


@pytest.mark.parametrize(
    "roles",
    [
        [ZJU_ADMIN],
        [ORGANIZER],
        [{"role": "university_admin", "university": "HZU"}],
        [HZU_JUDGE],
        [HZU_STAFF],
        [ZJU_JUDGE, HZU_JUDGE],
        [ZJU_STAFF, ORGANIZER],
    ],
    ids=str,
)
def test_university_admin_may_not_grant_other_roles_or_universities(client, world, roles):
    token = api_login_as(client, "zju_admin")
    error = check_error(create(client, token, account(roles=roles)), 403, "forbidden")
    assert error["details"] == []
    assert_nothing_created()


@pytest.mark.parametrize("username", ["zju_judge", "zju_staff"])
@pytest.mark.parametrize("roles", [[ZJU_JUDGE], [ZJU_STAFF], [ORGANIZER]], ids=str)
def test_judges_and_staff_create_no_accounts(client, world, username, roles):
    token = api_login_as(client, username)
    check_error(create(client, token, account(roles=roles)), 403, "forbidden")
    assert_nothing_created()


# --- validation --------------------------------------------------------------------------------------------

INVALID = [
    ("short-password", {"password": "Ab-1"}, {"password"}),
    ("empty-password", {"password": ""}, {"password"}),
    ("no-password", {"password": None}, {"password"}),
    ("password-is-username", {"username": "newbie12", "password": "NEWBIE12"}, {"password"}),
    ("password-too-simple", {"password": "aaaaaaaa"}, {"password"}),
    ("number-password", {"password": 12345678}, {"password"}),
    ("one-letter-username", {"username": "a"}, {"username"}),
    ("space-in-username", {"username": "new bie"}, {"username"}),
    ("username-starts-with-dash", {"username": "-newbie"}, {"username"}),
    ("long-username", {"username": "n" * 65}, {"username"}),
    ("chinese-username", {"username": "新同事"}, {"username"}),
    ("no-username", {"username": None}, {"username"}),
    ("number-username", {"username": 123}, {"username"}),
    ("long-display-name", {"display_name": "名" * 101}, {"display_name"}),
    ("no-roles", {"roles": []}, {"roles"}),
    ("roles-missing", {"roles": None}, {"roles"}),
    ("roles-not-a-list", {"roles": "judge"}, {"roles"}),
    ("role-not-an-object", {"roles": ["judge"]}, {"roles"}),
    ("role-without-name", {"roles": [{"university": "ZJU"}]}, {"roles"}),
    ("unknown-role", {"roles": [{"role": "king"}]}, {"roles"}),
    ("admin-without-university", {"roles": [{"role": "university_admin"}]}, {"roles"}),
    ("staff-without-university", {"roles": [{"role": "staff", "staff_no": "00123"}]}, {"roles"}),
    ("unknown-university", {"roles": [{"role": "judge", "university": "NOPE"}]}, {"roles"}),
    ("number-university", {"roles": [{"role": "judge", "university": 5}]}, {"roles"}),
    ("unknown-staff-no", {"roles": [{"role": "staff", "university": "ZJU", "staff_no": "99999"}]}, {"roles"}),
    ("staff-without-staff-no", {"roles": [{"role": "staff", "university": "ZJU"}]}, {"roles"}),
    ("number-staff-no", {"roles": [{"role": "staff", "university": "ZJU", "staff_no": 124}]}, {"roles"}),
    ("staff-no-of-another-university", {"roles": [{**ZJU_STAFF, "staff_no": "H001"}]}, {"roles"}),
    (
        "everything-wrong",
        {"username": "a", "password": "short", "roles": []},
        {"username", "password", "roles"},
    ),
]


def test_organizer_creates_an_outside_expert_judge_of_no_university(client, world):
    token = api_login_as(client, "org")
    response = create(client, token, account("expert1", roles=[{"role": "judge"}]))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["roles"] == [{"role": "judge"}]
    user = db.session.scalar(select(User).where(User.username == "expert1"))
    assert [(g.role, g.university_id) for g in user.roles] == [("judge", None)]


def test_a_university_admin_may_not_create_an_outside_expert(client, world):
    token = api_login_as(client, "zju_admin")
    check_error(create(client, token, account("expert2", roles=[{"role": "judge"}])), 403, "forbidden")
    assert_nothing_created()


@pytest.mark.parametrize(("case", "changes", "fields"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_accounts_are_422_with_details(client, world, case, changes, fields):
    token = api_login_as(client, "org")
    body = {**account(roles=[ZJU_JUDGE]), **changes}
    error = check_error(create(client, token, body), 422, "validation_failed")
    assert {d["field"] for d in error["details"]} == fields
    assert all(isinstance(d["message"], str) and d["message"] for d in error["details"])
    assert_nothing_created()


def test_validation_messages_in_english_on_request(client, world):
    token = api_login_as(client, "org")
    body = {**account(roles=[]), "username": "a", "password": "short"}
    error = check_error(create(client, token, body, **{"Accept-Language": "en"}), 422, "validation_failed")
    assert error["message"] == "The account was not created."
    assert error["details"] == [
        {
            "field": "username",
            "message": "Use 2 to 64 letters, digits or . _ - @, starting with a letter or digit.",
        },
        {"field": "password", "message": "The password must have at least 8 characters."},
        {"field": "roles", "message": "Give the account at least one role."},
    ]


def test_unknown_university_names_the_code(client, world):
    token = api_login_as(client, "org")
    body = account(roles=[{"role": "judge", "university": "NOPE"}])
    error = check_error(create(client, token, body, **{"Accept-Language": "en"}), 422, "validation_failed")
    assert error["details"] == [{"field": "roles", "message": "No university has the code NOPE."}]


@pytest.mark.parametrize("username", ["org", "zju_admin"])
def test_a_staff_member_with_an_account_gets_no_second_one(client, world, username):
    token = api_login_as(client, username)
    roles = [{"role": "staff", "university": "ZJU", "staff_no": "00123"}]  # zju_staff's
    error = check_error(create(client, token, account(roles=roles)), 409, "duplicate")
    assert error["details"] == []
    assert_nothing_created()


@pytest.mark.parametrize("body", [["newbie"], "newbie", None], ids=["array", "string", "null"])
def test_body_must_be_a_json_object(client, world, body):
    token = api_login_as(client, "org")
    check_error(create(client, token, body), 400, "bad_request")
    assert_nothing_created()


def test_nothing_is_half_created_when_a_later_role_fails(client, world):
    token = api_login_as(client, "org")
    roles = [ZJU_JUDGE, {"role": "staff", "university": "ZJU", "staff_no": "99999"}]
    check_error(create(client, token, account(roles=roles)), 422, "validation_failed")
    assert_nothing_created()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(RoleGrant)) == 5
    assert db.session.scalar(select(func.count()).select_from(University)) == 2
