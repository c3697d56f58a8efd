"""One staff member's page: who may open it, correcting department, category, title, phone and "left the
university" with each change audited and shown in the person's history, and nothing kept of a refused form."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditLog, Department, Staff
from tests.builders import login_as, make_competition, make_entry, staff, user

PAGE = "/staff/ZJU/people/00123"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def details(page: str) -> dict[str, str]:
    """The value of each ``data-field`` of the details list."""
    return {
        name: re.sub(r"\s+", " ", html.unescape(value)).strip()
        for name, value in re.findall(r'<dd data-field="(\w+)">(.*?)</dd>', page, re.S)
    }


def history(page: str) -> list[tuple[str, str]]:
    """The history lines, newest first: (action code, the sentence in words)."""
    block = re.search(r'data-testid="person-history">(.*?)</ol>', page, re.S)
    if block is None:
        return []
    return [
        (action, re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", sentence))).strip())
        for action, sentence in re.findall(
            r'<li data-action="([\w.]+)">.*?<p class="mb-0">(.*?)</p>', block.group(1), re.S
        )
    ]


def history_links(page: str) -> list[str]:
    block = re.search(r'data-testid="person-history">(.*?)</ol>', page, re.S)
    return re.findall(r'href="([^"]+)"', block.group(1))


def form_data(token: str, **values) -> dict:
    data = {
        "csrf_token": token,
        "department": "计算机学院",
        "category": "teaching_research",
        "title": "",
        "phone": "",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def fresh(staff_no: str) -> Staff:
    db.session.rollback()
    return staff(staff_no)


def staff_updates() -> list[AuditLog]:
    db.session.rollback()
    return list(
        db.session.scalars(select(AuditLog).where(AuditLog.action == "staff.update").order_by(AuditLog.id))
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("org", 200), ("zju_admin", 200), ("hzu_admin", 404), ("zju_judge", 403), ("zju_staff", 403)],
)
def test_who_may_open_a_person_page(client, world, who, status):
    login_as(client, who)
    response = client.get(PAGE)
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        shown = details(page)
        assert (shown["department"], shown["category"], shown["title"], shown["phone"]) == (
            "计算机学院",
            "教学科研岗",
            "—",
            "—",
        )


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_unknown_staff_number_and_other_universitys_person_are_404(client, world):
    login_as(client, "zju_admin")
    assert client.get("/staff/ZJU/people/99999").status_code == 404
    assert client.get("/staff/ZJU/people/H001").status_code == 404  # HZU's person, asked under ZJU
    assert client.get("/staff/HZU/people/H001").status_code == 404  # HZU is not theirs


def test_roster_list_links_each_person_to_their_page(client, world):
    login_as(client, "zju_admin")
    page = client.get("/staff/ZJU/?active=all").get_data(as_text=True)
    links = re.findall(r'<a href="(/staff/ZJU/people/[^"]+)">([^<]+)</a>', page)
    assert links == [("/staff/ZJU/people/00123", "李老师"), ("/staff/ZJU/people/00124", "王会计")]
    assert client.get(links[1][0]).status_code == 200


def test_the_page_shows_the_data_in_english(client, world):
    login_as(client, "zju_admin")
    page = client.get(PAGE + "?lang=en").get_data(as_text=True)
    assert details(page) == {
        "department": "计算机学院",
        "category": "Teaching & research post",
        "title": "—",
        "phone": "—",
        "active": "Works at the university",
    }
    assert 'value="计算机学院"' in page  # the form starts from the stored values
    assert re.search(r'<datalist id="department-names">\s*<option value="计算机学院">', page)
    account = re.search(r'data-testid="person-account">(.*?)</div>', page, re.S).group(1)
    assert "zju_staff" in account and "enabled" in account


def test_correcting_department_title_and_phone_is_saved_and_audited(client, world, make):
    make.department(world["zju"], "数学学院")
    token = login_as(client, "zju_admin")
    client.get(PAGE + "?lang=en")
    response = client.post(
        PAGE, data=form_data(token, department="数学学院", title=" 副教授 ", phone="0571-8795 1234")
    )
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    member = fresh("00123")
    assert (member.department.name, member.title, member.phone, member.active) == (
        "数学学院",
        "副教授",
        "0571-8795 1234",
        True,
    )
    [line] = staff_updates()
    assert (line.username, line.object_type, line.object_id, line.university_id) == (
        "zju_admin",
        "staff",
        str(member.id),
        world["zju"].id,
    )
    assert line.details == {
        "staff_no": "00123",
        "name": "李老师",
        "changes": {
            "department": ["计算机学院", "数学学院"],
            "title": [None, "副教授"],
            "phone": [None, "0571-8795 1234"],
        },
    }
    page = client.get(PAGE).get_data(as_text=True)
    assert "Saved: Department: 计算机学院 → 数学学院; Title: — → 副教授; Phone: — → 0571-8795 1234." in (
        html.unescape(page)
    )
    assert history(page)[0] == (
        "staff.update",
        "zju_admin corrected the data of 李老师 (浙江大学): Department: 计算机学院 → 数学学院; "
        "Title: — → 副教授; Phone: — → 0571-8795 1234",
    )
    assert details(page)["department"] == "数学学院"


def test_the_flash_names_every_change(client, world):
    token = login_as(client, "zju_admin")
    client.get(PAGE + "?lang=en")
    response = client.post(
        PAGE, data=form_data(token, category="admin_logistics", title="讲师"), follow_redirects=True
    )
    assert (
        "Saved: Post category: Teaching & research post → Administrative & logistics post; Title: — → 讲师."
        in (text_of(response))
    )


def test_a_new_department_name_is_added_to_the_university(client, world):
    token = login_as(client, "org")
    before = db.session.scalar(select(func.count()).select_from(Department))
    client.post(PAGE, data=form_data(token, department="  新 成立 学院 "))
    member = fresh("00123")
    assert member.department.name == "新成立学院"  # cleaned as an import cleans it
    assert member.department.university_id == world["zju"].id
    assert db.session.scalar(select(func.count()).select_from(Department)) == before + 1
    assert staff_updates()[0].details["changes"] == {"department": ["计算机学院", "新成立学院"]}


def test_left_the_university_and_back(client, world):
    token = login_as(client, "zju_admin")
    client.get(PAGE + "?lang=en")
    client.post(PAGE, data=form_data(token, left="y"))
    assert fresh("00123").active is False
    page = client.get(PAGE).get_data(as_text=True)
    assert details(page)["active"] == "Left the university"
    assert "disable the account if they should not" in page  # the account zju_staff still logs in
    client.post(PAGE, data=form_data(token))  # the box unticked: works here again
    assert fresh("00123").active is True
    assert [u.details["changes"] for u in staff_updates()] == [
        {"active": [True, False]},
        {"active": [False, True]},
    ]
    assert [h for h in history(client.get(PAGE).get_data(as_text=True)) if h[0] == "staff.update"] == [
        ("staff.update", "zju_admin corrected the data of 李老师 (浙江大学): marked as working there again"),
        (
            "staff.update",
            "zju_admin corrected the data of 李老师 (浙江大学): marked as having left the university",
        ),
    ]


def test_an_inactive_person_leaves_the_active_roster(client, world):
    token = login_as(client, "zju_admin")
    client.post(PAGE, data=form_data(token, left="y"))
    page = client.get("/staff/ZJU/").get_data(as_text=True)
    assert "/staff/ZJU/people/00123" not in page and "/staff/ZJU/people/00124" in page


def test_an_unchanged_form_writes_nothing(client, world):
    token = login_as(client, "zju_admin")
    response = client.post(PAGE, data=form_data(token), follow_redirects=True)
    assert response.status_code == 200
    assert staff_updates() == []


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"department": "  "}, "department", "Department is empty; it is required."),
        ({"department": "院" * 101}, "department", "Too long: at most 100 characters."),
        ({"title": "职" * 51}, "title", "Too long: at most 50 characters."),
        ({"phone": "call me"}, "phone", "“call me” is not a phone number."),
        (
            {"category": "astronaut"},
            "category",
            "Unknown post category “astronaut”: use 教学科研岗, 行政后勤岗 or 其他.",
        ),
    ],
    ids=["empty-department", "long-department", "long-title", "bad-phone", "bad-category"],
)
def test_a_refused_form_changes_nothing(client, world, values, field, message):
    token = login_as(client, "zju_admin")
    client.get(PAGE + "?lang=en")
    # Valid changes to the other fields are refused along with the bad one.
    data = form_data(token, **{"title": "副教授", "phone": "13800000000", "left": "y", **values})
    response = client.post(PAGE, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was changed: please correct the marked fields." in html.unescape(page)
    assert message in html.unescape(page)
    assert re.search(
        rf'id="{field}"[^>]*class="[^"]*is-invalid|class="[^"]*is-invalid[^"]*" id="{field}"', page
    )
    member = fresh("00123")
    assert (member.department.name, member.category, member.title, member.phone, member.active) == (
        "计算机学院",
        "teaching_research",
        None,
        None,
        True,
    )
    assert staff_updates() == []


def test_a_post_without_the_csrf_token_changes_nothing(client, world):
    login_as(client, "zju_admin")
    response = client.post(PAGE, data={"department": "数学学院", "category": "teaching_research"})
    assert response.status_code == 400
    assert fresh("00123").department.name == "计算机学院"


def test_another_universitys_admin_cannot_post(client, world):
    token = login_as(client, "hzu_admin")
    assert client.post(PAGE, data=form_data(token, title="教授")).status_code == 404
    assert fresh("00123").title is None and staff_updates() == []


def test_history_lists_entries_and_account_changes(app, client, world):
    competition = make_competition(name="2026年青年教师教学竞赛")
    entry = make_entry(competition, staff("00123"), status="approved")
    login_as(app.test_client(), "zju_staff")  # their log-ins are not part of the history
    token = login_as(client, "org")
    client.get(PAGE + "?lang=en")
    account = user("zju_staff")
    client.post(f"/admin/users/{account.id}/disable", data={"csrf_token": token, "next": PAGE})
    page = client.get(PAGE).get_data(as_text=True)
    entries = re.search(r'data-testid="person-entries">(.*?)</table>', page, re.S).group(1)
    assert f'href="/competitions/{competition.id}">2026年青年教师教学竞赛</a>' in entries
    assert f'href="/my/entries/{entry.id}"' in entries and "Approved" in entries
    assert history(page) == [
        ("user.disable", "org disabled the account zju_staff"),
        ("entry.approve", "org approved 李老师's entry (2026年青年教师教学竞赛)"),
        ("entry.register", "org registered 李老师 for 2026年青年教师教学竞赛"),
    ]
    links = history_links(page)
    assert f"/my/entries/{entry.id}" in links and f"/competitions/{competition.id}" in links
    assert "disabled" in re.search(r'data-testid="person-account">(.*?)</div>', page, re.S).group(1)


def test_a_staff_number_with_a_slash_has_a_page(client, world, make):
    make.staff(world["zju"], "T/007", "钱老师")
    token = login_as(client, "zju_admin")
    assert client.get("/staff/ZJU/people/T/007").status_code == 200
    client.post("/staff/ZJU/people/T/007", data=form_data(token, title="讲师"))
    assert fresh("T/007").title == "讲师"


def test_chinese_page(client, world):
    login_as(client, "zju_admin")
    page = client.get(PAGE).get_data(as_text=True)
    assert 'lang="zh-CN"' in page
    assert details(page)["category"] == "教学科研岗"
