"""Pages: who may open what (401 → log-in redirect, 403, 404), CSRF on forms, and what they show."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from competition.extensions import db
from competition.models import AuditLog, Staff, User
from tests.builders import PASSWORD, csrf_token, login_as

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


# (path, {user: expected status}); None = anonymous. 302 for anonymous means "sent to the log-in page".
MATRIX = [
    ("/", {None: 302, "org": 200, "zju_admin": 200, "zju_judge": 200, "zju_staff": 200}),
    ("/staff/", {None: 302, "org": 200, "zju_admin": 302, "zju_judge": 403, "zju_staff": 403}),
    ("/staff/ZJU/", {None: 302, "org": 200, "zju_admin": 200, "hzu_admin": 404, "zju_judge": 403}),
    ("/staff/NOPE/", {"org": 404, "zju_admin": 404}),
    ("/staff/ZJU/import", {None: 302, "org": 200, "zju_admin": 200, "hzu_admin": 404, "zju_staff": 403}),
    ("/staff/ZJU/export.xlsx", {"org": 200, "zju_admin": 200, "hzu_admin": 404, "zju_judge": 403}),
    ("/staff/ZJU/template.xlsx", {"zju_admin": 200, "hzu_admin": 404}),
    ("/admin/universities", {None: 302, "org": 200, "zju_admin": 403, "zju_judge": 403, "zju_staff": 403}),
    ("/admin/users", {None: 302, "org": 200, "zju_admin": 200, "zju_judge": 403, "zju_staff": 403}),
    ("/admin/audit", {None: 302, "org": 200, "zju_admin": 200, "zju_judge": 403, "zju_staff": 403}),
    ("/auth/password", {None: 302, "org": 200, "zju_staff": 200}),
]
CASES = [(path, user, status) for path, expected in MATRIX for user, status in expected.items()]


@pytest.mark.parametrize(("path", "user", "status"), CASES)
def test_permission_matrix(client, world, path, user, status):
    if user:
        login_as(client, user)
    response = client.get(path)
    assert response.status_code == status
    if user is None:
        assert "/auth/login" in response.headers["Location"]


def test_forms_refuse_a_missing_csrf_token(client, world):
    response = client.post("/auth/login", data={"username": "org", "password": PASSWORD})
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)
    login_as(client, "org")
    response = client.post("/admin/universities", data={"code": "NEW", "name": "新大学"})
    assert response.status_code == 400
    assert db.session.query(AuditLog).filter_by(action="university.create").count() == 0


def test_login_failure_says_why_in_chinese(client, world):
    token = csrf_token(client)
    page = client.post("/auth/login", data={"username": "org", "password": "wrong", "csrf_token": token})
    assert page.status_code == 200
    assert "用户名或密码错误" in page.get_data(as_text=True)


def test_next_redirect_stays_on_the_site(client, world):
    token = csrf_token(client)
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"username": "org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    token = csrf_token(client)
    response = client.post(
        "/auth/login?next=/staff/ZJU/", data={"username": "org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == "/staff/ZJU/"


def test_english_is_selectable_and_remembered(client, world):
    login_as(client, "org")
    page = client.get("/staff/ZJU/?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page and "Staff roster" in page
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page
    page = client.get("/?lang=zh_Hans_CN").get_data(as_text=True)
    assert 'lang="zh-CN"' in page and "教职工名册" in page


def test_security_headers(client, world):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)


def test_staff_list_filters_and_scoping(client, world, make):
    make.staff(world["zju"], "00999", "离职者", active=False)
    login_as(client, "zju_admin")
    page = client.get("/staff/ZJU/").get_data(as_text=True)
    assert "李老师" in page and "王会计" in page and "离职者" not in page and "赵老师" not in page
    page = client.get("/staff/ZJU/?category=admin_logistics").get_data(as_text=True)
    assert "王会计" in page and "李老师" not in page
    page = client.get("/staff/ZJU/?active=inactive").get_data(as_text=True)
    assert "离职者" in page and "李老师" not in page
    page = client.get("/staff/ZJU/?q=00123").get_data(as_text=True)
    assert "李老师" in page and "王会计" not in page
    page = client.get("/staff/ZJU/?department=财务处").get_data(as_text=True)
    assert "王会计" in page and "李老师" not in page


def _upload(client, token, path: Path, mode="merge"):
    return client.post(
        "/staff/ZJU/import",
        data={"csrf_token": token, "mode": mode, "file": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )


def test_import_preview_then_confirm(client, world):
    token = login_as(client, "zju_admin")
    before = db.session.query(Staff).count()
    preview = _upload(client, token, FIXTURES / "roster-hr-export.xlsx")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert db.session.query(Staff).count() == before, "a preview writes nothing"
    assert re.search(r'<div class="value">120</div>', html)
    pending = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', html).group(1)
    done = client.post(
        "/staff/ZJU/import/confirm", data={"csrf_token": token, "token": pending, "mode": "merge"}
    )
    assert done.status_code == 302
    assert db.session.query(Staff).filter_by(university_id=world["zju"].id).count() == 2 + 120
    assert db.session.query(AuditLog).filter_by(action="roster.import").one().details["created"] == 120
    # The same confirmation cannot be replayed: the stashed file is gone.
    again = client.post(
        "/staff/ZJU/import/confirm", data={"csrf_token": token, "token": pending, "mode": "merge"}
    )
    assert again.status_code == 302 and again.headers["Location"].endswith("/staff/ZJU/import")


def test_another_admin_cannot_confirm_someone_elses_preview(client, app, world, make):
    token = login_as(client, "zju_admin")
    html = _upload(client, token, FIXTURES / "roster-gbk.csv").get_data(as_text=True)
    pending = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', html).group(1)
    make.user("zju_admin2", "university_admin", world["zju"])
    other = app.test_client()
    other_token = login_as(other, "zju_admin2")
    response = other.post(
        "/staff/ZJU/import/confirm", data={"csrf_token": other_token, "token": pending, "mode": "merge"}
    )
    assert response.status_code == 302
    assert db.session.query(Staff).filter_by(university_id=world["zju"].id).count() == 2


def test_rejected_import_lists_every_problem_and_changes_nothing(client, world):
    token = login_as(client, "zju_admin")
    response = _upload(client, token, FIXTURES / "roster-with-errors.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    rows = re.findall(r'<tr><td class="num">(\d+)</td>', html)
    assert rows == ["3", "4", "5", "6", "7"]
    assert "宇航员" in html and "第 2 行重复" in html
    assert db.session.query(Staff).filter_by(university_id=world["zju"].id).count() == 2


def test_bulk_staff_accounts_download_once(client, world):
    token = login_as(client, "zju_admin")
    response = client.post("/staff/ZJU/accounts", data={"csrf_token": token})
    assert response.status_code == 200
    sheet = pd.read_excel(io.BytesIO(response.data), dtype=str, engine="calamine")
    # 00123 already has an account (zju_staff); only 00124 gets one.
    assert list(sheet["用户名"]) == ["ZJU00124"]
    password = sheet["初始密码"][0]
    user = db.session.query(User).filter_by(username="ZJU00124").one()
    assert user.must_change_password and user.check_password(password)
    # A second run issues nothing.
    again = client.post("/staff/ZJU/accounts", data={"csrf_token": token})
    assert again.status_code == 302


def test_initial_password_must_be_changed_first(client, world):
    token = login_as(client, "zju_admin")
    sheet = pd.read_excel(
        io.BytesIO(client.post("/staff/ZJU/accounts", data={"csrf_token": token}).data),
        dtype=str,
        engine="calamine",
    )
    staff_client = client.application.test_client()
    login_as(staff_client, "ZJU00124", sheet["初始密码"][0])
    assert staff_client.get("/").headers["Location"].endswith("/auth/password")
    token = csrf_token(staff_client)
    response = staff_client.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current": sheet["初始密码"][0],
            "new": "my-own-Secret-9",
            "confirm": "my-own-Secret-9",
        },
    )
    assert response.status_code == 302
    assert staff_client.get("/").status_code == 200


def test_organizer_creates_university_and_admin_in_the_ui(client, world):
    token = login_as(client, "org")
    response = client.post(
        "/admin/universities", data={"csrf_token": token, "code": "NBU", "name": "宁波大学"}
    )
    assert response.status_code == 302
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "nbu_admin",
            "display_name": "宁大工会",
            "password": "Union-Admin-88",
            "role": "university_admin",
            "university": "NBU",
        },
    )
    assert response.status_code == 302
    user = db.session.query(User).filter_by(username="nbu_admin").one()
    assert [(g.role, g.university.code) for g in user.roles] == [("university_admin", "NBU")]


def test_university_admin_may_not_create_an_organizer(client, world):
    token = login_as(client, "zju_admin")
    page = client.get("/admin/users").get_data(as_text=True)
    form_select = re.search(
        r'<select class="form-select" id="role" name="role">(.*?)</select>', page, re.S
    ).group(1)
    assert 'value="organizer"' not in form_select and 'value="judge"' in form_select
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "sneaky",
            "display_name": "x",
            "password": "Sneaky-Pass-77",
            "role": "organizer",
            "university": "",
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert db.session.query(User).filter_by(username="sneaky").count() == 0


def test_admin_resets_only_own_university_passwords(client, world):
    token = login_as(client, "zju_admin")
    judge = db.session.query(User).filter_by(username="zju_judge").one()
    other = db.session.query(User).filter_by(username="hzu_admin").one()
    page = client.post(f"/admin/users/{judge.id}/reset-password", data={"csrf_token": token})
    new_password = re.search(r'data-testid="password">(\w+)<', page.get_data(as_text=True)).group(1)
    db.session.refresh(judge)
    assert judge.check_password(new_password) and judge.must_change_password
    assert (
        client.post(f"/admin/users/{other.id}/reset-password", data={"csrf_token": token}).status_code == 404
    )


def test_audit_log_is_scoped(client, world):
    token = login_as(client, "org")
    client.post("/admin/universities", data={"csrf_token": token, "code": "NBU", "name": "宁波大学"})
    page = client.get("/admin/audit").get_data(as_text=True)
    assert 'data-action="university.create"' in page  # each line carries its code
    client.post("/auth/logout", data={"csrf_token": token})
    login_as(client, "hzu_admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert 'data-action="university.create"' not in page
