"""The staff member's registration pages (/my/): what they see, register, withdraw, who may open what."""

from __future__ import annotations

import io
from datetime import UTC, date

import pytest
from sqlalchemy import select

from competition.domain.eligibility import Refusal
from competition.extensions import db
from competition.models import Competition, Entry
from competition.services import competitions, draw, registration
from competition.services.messages import refusal_message
from tests.builders import csrf_token, in_days, login_as, make_competition, user


def entries_of(competition: Competition) -> list[Entry]:
    db.session.expire_all()
    return list(db.session.scalars(select(Entry).where(Entry.competition_id == competition.id)))


def words(refusal: Refusal, app) -> str:
    """What the page says for a refusal, in Chinese (whatever the catalogue's state)."""
    with app.test_request_context("/"):
        return refusal_message(refusal)


def test_a_young_teacher_registers(client, world):
    competition = make_competition(max_age=40, age_reference_date="2026-09-01", requires_materials=True)
    login_as(client, "zju_staff")
    page = client.get("/my/").get_data(as_text=True)
    assert competition.name in page and 'data-testid="register"' in page
    assert "教学比赛" in page and "省级" in page and "文科组" in page
    form = client.get(f"/my/competitions/{competition.id}/register").get_data(as_text=True)
    assert 'type="radio"' in form and "理科组" in form and "上传" in form  # materials are announced
    group = competition.groups[1]
    response = client.post(
        f"/my/competitions/{competition.id}/register",
        data={"group_id": group.id, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    [entry] = entries_of(competition)
    assert entry.status == "pending" and entry.group_id == group.id
    assert response.headers["Location"] == f"/my/entries/{entry.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "报名成功" in page and "待审核" in page and "理科组" in page
    page = client.get("/my/").get_data(as_text=True)
    assert "待审核" in page and 'data-testid="withdraw"' in page
    home = client.get("/").get_data(as_text=True)
    assert "当前可报名的比赛：0" in home and "我的报名：1" in home


def test_an_older_teacher_sees_the_age_limit_in_words(client, world, make, app):
    older = make.staff(world["zju"], "00300", "周老师", birth_date=date(1974, 3, 2))
    make.user("old_teacher", "staff", world["zju"], staff=older)
    make_competition(max_age=40, age_reference_date="2026-09-01")
    login_as(client, "old_teacher")
    page = client.get("/my/").get_data(as_text=True)
    reason = words(Refusal("age", "too_old", {"age": 52, "max_age": 40, "reference_date": "2026-09-01"}), app)
    assert reason in page and "52" in reason and "40" in reason and "2026年9月1日" in reason
    assert 'data-testid="register"' not in page
    home = client.get("/").get_data(as_text=True)
    assert "当前可报名的比赛：0" in home


def test_admin_logistics_staff_cannot_enter_a_teaching_contest_but_can_a_drill(client, world, make, app):
    clerk = db.session.scalar(select(registration.Staff).where(registration.Staff.staff_no == "00124"))
    make.user("clerk", "staff", world["zju"], staff=clerk)
    teaching = make_competition()
    drill = make_competition(
        name="2026年公文写作岗位练兵", kind="drill", eligible_categories=["admin_logistics"]
    )
    login_as(client, "clerk")
    page = client.get("/my/").get_data(as_text=True)
    reason = words(Refusal("category", "category_not_eligible", {"category": "admin_logistics"}), app)
    assert reason in page and "行政后勤岗" in reason
    assert page.count('data-testid="register"') == 1 and "岗位练兵" in page
    refused = client.get(f"/my/competitions/{teaching.id}/register").get_data(as_text=True)
    assert reason in refused and 'type="radio"' not in refused
    response = client.post(
        f"/my/competitions/{drill.id}/register",
        data={"group_id": drill.groups[0].id, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert [e.status for e in entries_of(drill)] == ["pending"] and entries_of(teaching) == []


def test_a_competition_not_yet_open_shows_when_it_opens(client, world, app):
    competition = make_competition(registration_opens=in_days(3), registration_closes=in_days(20))
    login_as(client, "zju_staff")
    page = client.get("/my/").get_data(as_text=True)
    opens = competition.registration_opens.replace(tzinfo=UTC).isoformat()
    reason = words(Refusal("window", "not_yet_open", {"opens": opens}), app)
    assert reason in page and "年" in reason and 'data-testid="register"' not in page


def test_drafts_and_closed_windows_are_not_listed(client, world):
    draft = make_competition(name="草稿比赛", status="draft")
    make_competition(name="已截止比赛", registration_opens=in_days(-10), registration_closes=in_days(-1))
    login_as(client, "zju_staff")
    page = client.get("/my/").get_data(as_text=True)
    assert "草稿比赛" not in page and "已截止比赛" not in page
    assert client.get(f"/my/competitions/{draft.id}/register").status_code == 404


def test_a_forged_second_registration_is_refused_in_words(client, world, app):
    competition = make_competition()
    login_as(client, "zju_staff")
    group = competition.groups[0].id
    first = client.post(
        f"/my/competitions/{competition.id}/register",
        data={"group_id": group, "csrf_token": csrf_token(client)},
    )
    assert first.status_code == 302
    second = client.post(
        f"/my/competitions/{competition.id}/register",
        data={"group_id": group, "csrf_token": csrf_token(client)},
    )
    assert second.status_code == 422
    assert words(Refusal("duplicate", "already_registered", {}), app) in second.get_data(as_text=True)
    assert len(entries_of(competition)) == 1


def test_registration_needs_a_group_and_the_csrf_token(client, world):
    competition = make_competition()
    login_as(client, "zju_staff")
    response = client.post(
        f"/my/competitions/{competition.id}/register", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 422 and "请选择组别" in response.get_data(as_text=True)
    response = client.post(
        f"/my/competitions/{competition.id}/register", data={"group_id": competition.groups[0].id}
    )
    assert response.status_code == 400
    assert entries_of(competition) == []


def _register(client, competition: Competition) -> Entry:
    client.post(
        f"/my/competitions/{competition.id}/register",
        data={"group_id": competition.groups[0].id, "csrf_token": csrf_token(client)},
    )
    [entry] = entries_of(competition)
    return entry


def test_withdraw_while_open_and_register_again(client, world):
    competition = make_competition()
    login_as(client, "zju_staff")
    entry = _register(client, competition)
    response = client.post(f"/my/entries/{entry.id}/withdraw", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/my/"
    assert entries_of(competition)[0].status == "withdrawn"
    page = client.get("/my/").get_data(as_text=True)
    assert "已退出" in page and 'data-testid="register"' in page and 'data-testid="withdraw"' not in page


def test_withdraw_is_refused_after_registration_closes(client, world):
    competition = make_competition()
    login_as(client, "zju_staff")
    entry = _register(client, competition)
    competitions.transition(competition=competition, to="registration_closed", by=user("org"))
    db.session.commit()
    page = client.get("/my/").get_data(as_text=True)
    assert 'data-testid="withdraw"' not in page and competition.name in page
    response = client.post(f"/my/entries/{entry.id}/withdraw", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert entries_of(competition)[0].status == "pending"
    assert "报名已截止" in client.get("/my/").get_data(as_text=True)


def test_a_rejected_entry_shows_its_reason(client, world):
    competition = make_competition()
    login_as(client, "zju_staff")
    entry = _register(client, competition)
    registration.reject(
        entry=db.session.get(Entry, entry.id), reason="教学大纲未按要求盖章", by=user("zju_admin")
    )
    db.session.commit()
    for path in ("/my/", f"/my/entries/{entry.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "未通过" in page and "教学大纲未按要求盖章" in page


def test_the_draw_number_shows_once_drawn(client, world):
    competition = make_competition()
    login_as(client, "zju_staff")
    entry = _register(client, competition)
    assert 'data-testid="draw-no"' not in client.get("/my/").get_data(as_text=True)
    org = user("org")
    registration.approve(entry=db.session.get(Entry, entry.id), by=user("zju_admin"))
    competitions.transition(
        competition=db.session.get(Competition, competition.id), to="registration_closed", by=org
    )
    draw.run_draw(competition=db.session.get(Competition, competition.id), by=org, seed=7)
    db.session.commit()
    for path in ("/my/", f"/my/entries/{entry.id}"):
        page = client.get(path).get_data(as_text=True)
        assert (
            "已通过" in page
            and "出场序号" in page
            and '<span class="draw-no" data-testid="draw-no">01</span>' in page
        )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        (None, 302),
        ("zju_staff", 200),
        ("other_staff", 404),
        ("zju_admin", 200),
        ("hzu_admin", 404),
        ("org", 200),
        ("zju_judge", 404),
    ],
)
def test_who_may_open_an_entry(client, world, make, username, status):
    other = make.staff(world["zju"], "00400", "钱老师")
    make.user("other_staff", "staff", world["zju"], staff=other)
    competition = make_competition()
    login_as(client, "zju_staff")
    entry = _register(client, competition)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    if username:
        login_as(client, username)
    response = client.get(f"/my/entries/{entry.id}")
    assert response.status_code == status
    if username is None:
        assert "/auth/login" in response.headers["Location"]
    if status == 200 and username != "zju_staff":
        assert "李老师" in response.get_data(as_text=True)  # the admin sees whose entry it is


@pytest.mark.parametrize("username", ["org", "zju_admin", "zju_judge"])
def test_accounts_without_a_staff_role_get_a_friendly_page(client, world, username):
    competition = make_competition()
    login_as(client, username)
    for path in ("/my/", f"/my/competitions/{competition.id}/register"):
        response = client.get(path)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'data-testid="not-staff"' in page and 'href="/"' in page
    assert "/my/" not in client.get("/").get_data(as_text=True)  # no nav entry for them


def test_anonymous_is_sent_to_log_in(client, world):
    for path in ("/my/", "/my/competitions/1/register", "/my/materials/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_nav_and_home_lead_staff_to_their_registrations(client, world):
    make_competition()
    login_as(client, "zju_staff")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/my/"' in home and "我的报名" in home
    assert "当前可报名的比赛：1" in home and "我的报名：0" in home


def test_materials_on_the_entry_page(client, world):
    competition = make_competition(requires_materials=True)
    login_as(client, "zju_staff")
    entry = _register(client, competition)
    page = client.get(f"/my/entries/{entry.id}").get_data(as_text=True)
    assert 'accept=".pdf,.docx,.pptx,.mp4"' in page and "200 MB" in page and "尚未上传文件" in page
    pdf = b"%PDF-1.4\n" + b"x" * 3000
    response = client.post(
        f"/my/entries/{entry.id}/materials",
        data={"file": (io.BytesIO(pdf), "教学设计.pdf"), "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已上传：教学设计.pdf" in page and "3 KB" in page and "PDF" in page
    [material] = entries_of(competition)[0].materials
    assert f"/my/materials/{material.id}" in page and f"/my/materials/{material.id}/delete" in page
    assert "1 个文件" in client.get("/my/").get_data(as_text=True)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    refused = client.post(
        f"/my/entries/{entry.id}/materials",
        data={"file": (io.BytesIO(png), "照片.pdf"), "csrf_token": csrf_token(client)},
    )
    assert refused.status_code == 422
    assert 'data-testid="upload-problem"' in refused.get_data(as_text=True)
    empty = client.post(f"/my/entries/{entry.id}/materials", data={"csrf_token": csrf_token(client)})
    assert empty.status_code == 422 and "请选择要上传的文件" in empty.get_data(as_text=True)
    response = client.post(f"/my/materials/{material.id}/delete", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert entries_of(competition)[0].materials == []


def test_files_are_locked_once_scoring_starts(client, world):
    competition = make_competition()
    login_as(client, "zju_staff")
    entry = _register(client, competition)
    client.post(
        f"/my/entries/{entry.id}/materials",
        data={"file": (io.BytesIO(b"%PDF-1.4\n..."), "a.pdf"), "csrf_token": csrf_token(client)},
    )
    org = user("org")
    registration.approve(entry=db.session.get(Entry, entry.id), by=user("zju_admin"))
    fresh = db.session.get(Competition, competition.id)
    competitions.transition(competition=fresh, to="registration_closed", by=org)
    draw.run_draw(competition=fresh, by=org, seed=3)
    competitions.transition(competition=fresh, to="scoring", by=org)
    db.session.commit()
    page = client.get(f"/my/entries/{entry.id}").get_data(as_text=True)
    assert 'type="file"' not in page and "/delete" not in page and "评审已开始" in page
    response = client.post(
        f"/my/entries/{entry.id}/materials",
        data={"file": (io.BytesIO(b"%PDF-1.4\n..."), "b.pdf"), "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 409 and len(entries_of(competition)[0].materials) == 1
