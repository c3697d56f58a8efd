"""Staff accounts in bulk, in steps (services.account_batches): every active staff member without an account
gets exactly one, a second run creates none, each step reports its counts and cursor, the password sheet
lists what the steps gave, a taken username is skipped, two batches at once are refused, and nobody outside
the university runs it. Behaviour only: the speed is measured by the benchmark, never asserted here."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from competition.enums import Role
from competition.extensions import db
from competition.models import AuditLog, RoleGrant, Staff, User
from competition.services import account_batches
from tests.builders import csrf_token, login_as, staff

STEP_URL = "/staff/ZJU/accounts/step"
SHEET_URL = "/staff/ZJU/accounts/sheet"


@pytest.fixture
def roster(world, make):
    """ZJU: 00123 (has an account, zju_staff), 00124 and five more active, one inactive; HZU's H001."""
    zju = world["zju"]
    for no in ("00125", "00126", "00127", "00128", "00129"):
        make.staff(zju, no, f"老师{no[-2:]}", department="机械学院")
    make.staff(zju, "00130", "退休老师", active=False)
    return world


def step(client, token: str, after: str = "", size: int | None = None):
    data = {"csrf_token": token, "after": after}
    if size is not None:
        data["size"] = str(size)
    return client.post(STEP_URL, data=data)


def run_batch(client, token: str, size: int) -> list[dict]:
    """Step after step as the page does; each step's JSON."""
    answers, after = [], ""
    while True:
        response = step(client, token, after, size)
        assert response.status_code == 200, response.get_data(as_text=True)
        answers.append(response.get_json())
        if answers[-1]["done"]:
            return answers
        after = answers[-1]["after"]


def staff_accounts() -> dict[str, User]:
    db.session.rollback()
    rows = db.session.execute(
        select(Staff.staff_no, User).join(RoleGrant, RoleGrant.staff_id == Staff.id).join(User)
    ).all()
    return {no: user for no, user in rows}


def test_every_active_staff_member_gets_exactly_one_account_and_a_rerun_creates_none(client, roster):
    token = login_as(client, "zju_admin")
    answers = run_batch(client, token, size=2)
    # 6 to create (00124-00129; 00123 has one, 00130 is inactive), 2 a step: counts, cursor and what is left.
    assert [len(a["accounts"]) for a in answers] == [2, 2, 2]
    assert [a["after"] for a in answers] == ["00125", "00127", "00129"]
    assert [a["remaining"] for a in answers] == [4, 2, 0]
    assert [a["done"] for a in answers] == [False, False, True]
    issued = {a["username"]: a["password"] for answer in answers for a in answer["accounts"]}
    assert sorted(issued) == [f"ZJU0012{n}" for n in range(4, 10)]

    accounts = staff_accounts()
    assert sorted(accounts) == [f"0012{n}" for n in range(3, 10)]
    assert accounts["00123"].username == "zju_staff"  # untouched
    grants = db.session.scalars(select(RoleGrant).where(RoleGrant.staff_id.is_not(None))).all()
    assert len(grants) == len({g.staff_id for g in grants}) == 7
    assert {(g.role, g.university_id) for g in grants} == {(Role.STAFF, roster["zju"].id)}
    for no in (f"0012{n}" for n in range(4, 10)):
        user = accounts[no]
        assert user.username == f"ZJU{no}" and user.must_change_password and user.enabled
        assert user.display_name == db.session.scalar(select(Staff.name).where(Staff.staff_no == no))
        assert user.password_hash.startswith(account_batches.HASH_METHOD + "$")
        assert user.check_password(issued[user.username]) and not user.check_password("wrong")

    again = run_batch(client, token, size=2)
    assert again == [{"accounts": [], "skipped": [], "after": None, "remaining": 0, "done": True}]
    assert len(staff_accounts()) == 7


def test_one_step_by_default_and_one_audit_line_a_step_with_its_count(client, roster):
    token = login_as(client, "zju_admin")
    [answer] = run_batch(client, token, size=None)
    assert len(answer["accounts"]) == 6 and answer["done"] and answer["remaining"] == 0
    run_batch(client, token, size=4)  # nothing left: no line for it
    lines = db.session.execute(
        select(AuditLog.username, AuditLog.object_id, AuditLog.university_id, AuditLog.details).where(
            AuditLog.action == "user.bulk_create_staff"
        )
    ).all()
    assert lines == [("zju_admin", "ZJU", roster["zju"].id, {"count": 6})]


def test_steps_of_an_interrupted_batch_stay_and_pressing_again_creates_the_rest(client, roster):
    token = login_as(client, "zju_admin")
    first = step(client, token, size=4).get_json()  # the page stops here (closed, connection lost)
    assert len(first["accounts"]) == 4 and first["remaining"] == 2
    assert len(staff_accounts()) == 5
    rest = run_batch(client, token, size=4)  # pressed again: from the start, only the rest is created
    assert [a["username"] for a in rest[0]["accounts"]] == ["ZJU00128", "ZJU00129"]
    assert len(staff_accounts()) == 7


def test_the_password_sheet_lists_what_the_steps_gave(client, roster, make):
    token = login_as(client, "zju_admin")
    answers = run_batch(client, token, size=4)
    accounts = [a for answer in answers for a in answer["accounts"]]
    # Left out: another university's staff account, an account of ZJU that is not a staff member's, nonsense.
    make.user("HZUH001", Role.STAFF, roster["hzu"], staff=staff("H001"))
    make.user("ZJUX1", Role.JUDGE, roster["zju"])
    others = [{"username": u, "password": "x"} for u in ("HZUH001", "ZJUX1", "ZJU", "nobody")]
    sent = [*reversed(accounts), *others]
    response = client.post(SHEET_URL, json={"accounts": sent}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''accounts-ZJU-")
    sheet = pd.read_excel(io.BytesIO(response.data), dtype=str, engine="calamine", sheet_name="账号")
    assert list(sheet.columns) == ["工号", "姓名", "部门", "用户名", "初始密码"]
    assert list(sheet["工号"]) == [f"0012{n}" for n in range(4, 10)]  # by 工号
    assert list(sheet["用户名"]) == [f"ZJU0012{n}" for n in range(4, 10)]
    assert list(sheet["部门"]) == ["财务处"] + ["机械学院"] * 5
    assert sheet.iloc[1]["姓名"] == "老师25"
    passwords = {a["username"]: a["password"] for a in accounts}
    assert list(sheet["初始密码"]) == [passwords[u] for u in sheet["用户名"]]

    for body in ({"accounts": "all"}, {"accounts": [{"username": 1, "password": "p"}]}, [1]):
        assert client.post(SHEET_URL, json=body, headers={"X-CSRFToken": token}).status_code == 400
    assert client.post(SHEET_URL, json={"accounts": accounts}).status_code == 400  # no CSRF token


def test_the_page_without_javascript_still_downloads_the_whole_sheet_at_once(client, roster):
    token = login_as(client, "zju_admin")
    response = client.post("/staff/ZJU/accounts", data={"csrf_token": token})
    assert response.status_code == 200
    sheet = pd.read_excel(io.BytesIO(response.data), dtype=str, engine="calamine")
    assert list(sheet["用户名"]) == [f"ZJU0012{n}" for n in range(4, 10)]
    users = staff_accounts()
    assert all(users[n].check_password(p) for n, p in zip(sheet["工号"], sheet["初始密码"], strict=True))
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "user.bulk_create_staff")) == 1


def test_the_roster_page_offers_the_steps_and_their_progress(client, roster):
    login_as(client, "zju_admin")
    page = client.get("/staff/ZJU/").get_data(as_text=True)
    assert 'data-accounts-step="/staff/ZJU/accounts/step"' in page
    assert 'data-accounts-sheet="/staff/ZJU/accounts/sheet"' in page
    assert "data-accounts-progress hidden" in page and "js/staff_accounts.js" in page
    assert 'action="/staff/ZJU/accounts"' in page  # the form still posts without JavaScript


def test_a_username_another_account_has_is_skipped_and_reported(client, roster, make):
    make.user("ZJU00126", Role.JUDGE, roster["zju"])
    token = login_as(client, "zju_admin")
    answers = run_batch(client, token, size=2)
    assert [a["skipped"] for a in answers] == [[], ["ZJU00126"], []]
    assert [len(a["accounts"]) for a in answers] == [2, 1, 2]
    accounts = staff_accounts()
    assert "00126" not in accounts and len(accounts) == 6
    judge = db.session.scalar(select(User).where(User.username == "ZJU00126"))
    assert [g.role for g in judge.roles] == [Role.JUDGE]  # never given the staff member's grant


def test_a_second_batch_at_the_same_moment_is_refused_and_writes_nothing(client, roster, monkeypatch):
    # Two batches at once both see 00124 without an account; the one that writes second breaks the unique
    # username. Here the second's check for taken usernames is made blind, which is what it sees.
    token = login_as(client, "zju_admin")
    assert len(step(client, token, size=1).get_json()["accounts"]) == 1
    monkeypatch.setattr(
        account_batches, "_without_account", _also_with_account(account_batches._without_account)
    )
    monkeypatch.setattr(account_batches, "_taken", lambda university, window: set())
    response = step(client, token, size=3)
    assert response.status_code == 409
    assert "另一批次正在创建这些账号" in response.get_data(as_text=True)
    assert len(staff_accounts()) == 2
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "user.bulk_create_staff")) == 1


def _also_with_account(original):
    def conditions(university, after):
        return [c for c in original(university, after) if "EXISTS" not in str(c)]

    return conditions


@pytest.mark.parametrize("who", ["hzu_admin", "zju_judge", "zju_staff"])
def test_nobody_outside_the_university_runs_it_or_gets_its_sheet(app, roster, who):
    client = app.test_client()
    token = login_as(client, who)
    assert step(client, token).status_code in (403, 404)
    assert client.post("/staff/ZJU/accounts", data={"csrf_token": token}).status_code in (403, 404)
    sheet = client.post(SHEET_URL, json={"accounts": []}, headers={"X-CSRFToken": token})
    assert sheet.status_code in (403, 404)
    assert len(staff_accounts()) == 1


def test_a_step_refuses_a_malformed_cursor_or_size_and_needs_the_token(client, roster):
    token = login_as(client, "zju_admin")
    assert step(client, token, after="9" * 33).status_code == 400
    for size in (0, account_batches.STEP + 1):
        assert step(client, token, size=size).status_code == 400
    assert client.post(STEP_URL, data={"after": ""}).status_code == 400
    assert client.post(STEP_URL, data={"csrf_token": csrf_token(client), "size": "x"}).status_code == 400
    assert len(staff_accounts()) == 1


def test_initial_passwords_are_uniform_symbols_in_four_groups_and_check_with_werkzeug():
    passwords = account_batches.initial_passwords(2000)
    assert len(set(passwords)) == 2000
    for password in passwords[:50]:
        groups = password.split("-")
        assert [len(g) for g in groups] == [5, 5, 5, 5]
        assert set("".join(groups)) <= set(account_batches.ALPHABET)
    used = {c for p in passwords for c in p.replace("-", "")}
    assert used == set(account_batches.ALPHABET)  # every symbol occurs (40,000 draws of 56)
    digest = account_batches.hash_initial_password(passwords[0])
    assert digest.startswith("pbkdf2:sha256:1$") and digest != account_batches.hash_initial_password(
        passwords[0]
    )
    assert check_password_hash(digest, passwords[0]) and not check_password_hash(digest, passwords[1])
    assert account_batches.initial_passwords(0) == []
