"""Competition pages: who may open what, the set-up form, life cycle, entries, Excel export and the draw."""

from __future__ import annotations

import html
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import event, func, select

from competition.extensions import db
from competition.models import AuditLog, Competition, DrawRecord, Entry
from tests.builders import (
    advance,
    approve_entry,
    csrf_token,
    login_as,
    make_competition,
    make_entry,
    staff,
    user,
)

# The contest of these pages: the builders' one with an age limit and two weighted rounds.
CONTEST = {
    "max_age": 40,
    "age_reference_date": "2026-09-01",
    "rounds": [
        {"name": "教学设计", "weight": 0.2, "criteria": [{"name": "设计", "max_score": 100}]},
        {
            "name": "课堂教学",
            "weight": 0.8,
            "criteria": [{"name": "内容", "max_score": 50}, {"name": "组织", "max_score": 50}],
        },
    ],
}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def flashes(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<div class="alert alert-\w+ alert-dismissible[^>]*>(.*?)<button', page, re.S)
    ]


@pytest.fixture
def school(world):
    return make_competition(
        status="draft", **CONTEST, name="浙江大学2026年青年教师教学竞赛", level="school", university="ZJU"
    )


@pytest.fixture
def provincial(world):
    return make_competition(status="draft", **CONTEST)


# --- who may open what ------------------------------------------------------------------------------------

# {school} and {provincial} are drafts; the "_open" ones accept registrations.
MATRIX = [
    ("/competitions/", {None: 302, "org": 200, "zju_admin": 200, "zju_judge": 200, "zju_staff": 200}),
    ("/competitions/new", {None: 302, "org": 200, "zju_admin": 200, "zju_judge": 403, "zju_staff": 403}),
    ("/competitions/new?blank=1", {"org": 200, "zju_admin": 200, "zju_staff": 403}),
    ("/competitions/new?template=nope", {"org": 404}),
    ("/competitions/{school}", {None: 302, "org": 200, "zju_admin": 200, "hzu_admin": 404}),
    ("/competitions/{school_open}", {"zju_staff": 200, "zju_judge": 200, "hzu_admin": 404}),
    ("/competitions/{school}/edit", {"org": 200, "zju_admin": 200, "hzu_admin": 404}),
    ("/competitions/{school_open}/edit", {"org": 409, "zju_admin": 409, "hzu_admin": 404, "zju_staff": 403}),
    (
        "/competitions/{school_open}/entries",
        {"org": 200, "zju_admin": 200, "hzu_admin": 404, "zju_judge": 403},
    ),
    ("/competitions/{school_open}/entries.xlsx", {"zju_admin": 200, "hzu_admin": 404, "zju_staff": 403}),
    ("/competitions/{school_open}/draw", {"org": 200, "zju_admin": 200, "hzu_admin": 404, "zju_staff": 403}),
    ("/competitions/{provincial_open}", {None: 302, "org": 200, "hzu_admin": 200, "zju_staff": 200}),
    ("/competitions/{provincial}/edit", {"org": 200}),
    ("/competitions/{provincial_open}/edit", {"org": 409, "zju_admin": 403, "zju_staff": 403}),
    ("/competitions/{provincial_open}/draw", {"org": 200, "hzu_admin": 403, "zju_judge": 403}),
    ("/competitions/{provincial_open}/entries", {None: 302, "org": 200, "hzu_admin": 200, "zju_staff": 403}),
    ("/competitions/{provincial_open}/entries.xlsx", {"org": 200, "zju_admin": 200, "zju_judge": 403}),
    ("/competitions/99999", {"org": 404, "zju_staff": 404}),
]
CASES = [(path, who, status) for path, expected in MATRIX for who, status in expected.items()]


@pytest.fixture
def opened(world):
    school_open = make_competition(**CONTEST, name="浙江大学2026年岗位练兵", level="school", university="ZJU")
    provincial_open = make_competition(**CONTEST, name="2026年全省青年教师教学竞赛")
    return {"school_open": school_open.id, "provincial_open": provincial_open.id}


@pytest.mark.parametrize(("path", "who", "status"), CASES)
def test_permission_matrix(client, school, provincial, opened, path, who, status):
    if who:
        login_as(client, who)
    response = client.get(path.format(school=school.id, provincial=provincial.id, **opened))
    assert response.status_code == status
    if who is None:
        assert "/auth/login" in response.headers["Location"]


POSTS = ["/transition", "/copy", "/draw"]


@pytest.mark.parametrize("action", POSTS)
def test_manager_actions_are_refused_to_other_universities_and_staff(client, app, opened, action):
    school, provincial = opened["school_open"], opened["provincial_open"]
    token = login_as(client, "hzu_admin")
    assert client.post(f"/competitions/{provincial}{action}", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/competitions/{school}{action}", data={"csrf_token": token}).status_code == 404
    staff_client = app.test_client()
    token = login_as(staff_client, "zju_staff")
    assert staff_client.post(f"/competitions/{school}{action}", data={"csrf_token": token}).status_code == 403
    assert db.session.get(Competition, school).status == "registration_open"
    assert db.session.scalar(select(func.count()).select_from(Competition)) == 2
    assert db.session.scalar(select(func.count()).select_from(DrawRecord)) == 0


def test_state_changes_need_the_csrf_token(client, provincial):
    login_as(client, "org")
    response = client.post(f"/competitions/{provincial.id}/transition", data={"to": "registration_open"})
    assert response.status_code == 400
    assert db.session.get(Competition, provincial.id).status == "draft"


# --- the list ---------------------------------------------------------------------------------------------


def test_list_shows_kind_level_window_and_status_in_words(client, world, school):
    make_competition(
        **CONTEST, name="2025年岗位练兵", kind="drill", year=2025, eligible_categories=["admin_logistics"]
    )
    login_as(client, "org")
    page = text_of(client.get("/competitions/"))
    assert "浙江大学2026年青年教师教学竞赛" in page and "2025年岗位练兵" in page
    assert "教学比赛" in page and "岗位练兵" in page and "校级 · 浙江大学" in page and "省级" in page
    assert re.search(
        r'status-registration_open"><i class="bi bi-door-open" aria-hidden="true"></i> 报名中', page
    )
    assert re.search(r'status-draft"><i class="bi bi-pencil-square" aria-hidden="true"></i> 草稿', page)
    assert "新建比赛" in page
    filtered = text_of(client.get("/competitions/?kind=drill"))
    assert "2025年岗位练兵" in filtered and "浙江大学2026年" not in filtered
    assert "浙江大学2026年" in text_of(client.get("/competitions/?status=draft&level=school&year=2026"))
    assert "2025年岗位练兵" not in text_of(client.get("/competitions/?year=2026"))


def test_list_is_scoped_and_staff_get_no_create_button(client, school, opened):
    login_as(client, "hzu_admin")
    page = text_of(client.get("/competitions/"))
    assert "2026年全省青年教师教学竞赛" in page and "浙江大学" not in page
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    login_as(client, "zju_staff")
    page = text_of(client.get("/competitions/"))
    assert "浙江大学2026年岗位练兵" in page and "新建比赛" not in page


def test_list_asks_a_fixed_number_of_queries(client, app, world, make):
    """No query per row: the universities of school-level competitions are loaded at once."""
    for code in ("A1", "A2", "A3"):
        university = make.university(code, f"{code}大学")
        make_competition(
            status="draft", **CONTEST, name=f"{code}校赛", level="school", university=university.code
        )
    login_as(client, "org")
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = text_of(client.get("/competitions/"))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert "A1大学" in page and "A3大学" in page
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 5, statements


# --- the set-up form --------------------------------------------------------------------------------------


def full_form(token: str, **over) -> dict:
    """A complete set-up form as the browser posts it (row numbers need not be consecutive)."""
    data = {
        "csrf_token": token,
        "name": "2026年行政后勤岗位练兵",
        "description": "笔试与实操",
        "kind": "drill",
        "level": "school",
        "university": "ZJU",
        "year": "2026",
        "eligible_categories": ["admin_logistics", "other"],
        "max_age": "45",
        "age_reference_date": "2026-09-01",
        "registration_opens": "2026-09-01T09:00",
        "registration_closes": "2026-09-30T17:30",
        "quota_per_university": "12",
        "requires_materials": "1",
        "groups-0-name": "财务组",
        "groups-1-name": "",
        "groups-2-name": "图书组",
        "rounds-0-name": "笔试",
        "rounds-0-weight": "40",
        "rounds-0-mode": "queue",
        "rounds-0-criteria-0-name": "岗位知识",
        "rounds-0-criteria-0-max_score": "60",
        "rounds-0-criteria-0-description": "业务知识",
        "rounds-0-criteria-1-name": "法规与安全",
        "rounds-0-criteria-1-max_score": "40",
        "rounds-0-criteria-1-description": "",
        "rounds-3-name": "实操",
        "rounds-3-weight": "60",
        "rounds-3-mode": "live",
        "rounds-3-criteria-0-name": "操作规范",
        "rounds-3-criteria-0-max_score": "70.5",
        "rounds-3-criteria-0-description": "",
        "rounds-3-criteria-1-name": "时间效率",
        "rounds-3-criteria-1-max_score": "29.5",
        "rounds-3-criteria-1-description": "",
        "scoring-trim_highest": "2",
        "scoring-trim_lowest": "2",
        "scoring-trim_min_judges": "7",
        "scoring-decimals": "3",
        "scoring-final": "last_round",
        "scoring-anomaly_threshold": "15",
        "awards-0-name": "一等奖",
        "awards-0-ratio": "10",
        "awards-1-name": "二等奖",
        "awards-1-ratio": "20",
        "awards-2-name": "",
        "awards-2-ratio": "",
    }
    data.update(over)
    return data


def test_form_round_trip_stores_exactly_what_was_entered(client, world):
    token = login_as(client, "zju_admin")
    response = client.post("/competitions/new?blank=1", data=full_form(token))
    assert response.status_code == 302, text_of(response)
    c = db.session.scalar(select(Competition))
    assert response.headers["Location"] == f"/competitions/{c.id}"
    assert (c.name, c.description, c.kind, c.level, c.university.code, c.year, c.status) == (
        "2026年行政后勤岗位练兵", "笔试与实操", "drill", "school", "ZJU", 2026, "draft",
    )  # fmt: skip
    assert c.eligible_categories == ["admin_logistics", "other"]
    assert (c.max_age, c.age_reference_date, c.quota_per_university) == (45, date(2026, 9, 1), 12)
    # Local Beijing time in the form, UTC in the database.
    assert c.registration_opens == datetime(2026, 9, 1, 1, 0)
    assert c.registration_closes == datetime(2026, 9, 30, 9, 30)
    assert c.anonymous_judging is False and c.requires_materials is True
    assert [g.name for g in c.groups] == ["财务组", "图书组"]
    assert [(r.name, r.weight, r.mode) for r in c.rounds] == [
        ("笔试", Decimal("0.4"), "queue"),
        ("实操", Decimal("0.6"), "live"),
    ]
    assert [(k.name, k.max_score, k.description) for k in c.rounds[0].criteria] == [
        ("岗位知识", Decimal("60"), "业务知识"),
        ("法规与安全", Decimal("40"), ""),
    ]
    assert [k.max_score for k in c.rounds[1].criteria] == [Decimal("70.5"), Decimal("29.5")]
    assert (c.trim_highest, c.trim_lowest, c.trim_min_judges, c.decimals, c.final_mode) == (
        2,
        2,
        7,
        3,
        "last_round",
    )
    assert c.anomaly_threshold == Decimal("0.15")
    assert [(a.name, a.ratio) for a in c.awards] == [("一等奖", Decimal("0.1")), ("二等奖", Decimal("0.2"))]
    assert (
        db.session.scalar(select(AuditLog).where(AuditLog.action == "competition.create")).username
        == "zju_admin"
    )
    # The stored competition fills the edit form with the same values, ratios as percentages.
    page = text_of(client.get(f"/competitions/{c.id}/edit"))
    assert 'name="rounds-1-weight" id="f-rounds-1-weight" value="60"' in page
    assert 'name="rounds-1-criteria-0-max_score" id="f-rounds-1-criteria-0-max_score" value="70.5"' in page
    assert 'name="awards-1-ratio" id="f-awards-1-ratio" value="20"' in page
    assert 'name="registration_closes" type="datetime-local" value="2026-09-30T17:30"' in page
    assert re.search(
        r'id="f-scoring-anomaly_threshold" name="scoring-anomaly_threshold"[^>]* value="15"', page
    )


def test_weights_not_adding_up_are_shown_next_to_the_rounds_and_nothing_is_saved(client, world):
    token = login_as(client, "org")
    response = client.post("/competitions/new?blank=1", data=full_form(token, **{"rounds-3-weight": "50"}))
    page = text_of(response)
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Competition)) == 0
    rounds = page[page.index('id="f-rounds"') : page.index('id="f-awards"')]
    feedback = re.findall(r'<div class="invalid-feedback d-block">(.*?)</div>', rounds)
    assert len(feedback) == 1 and "0.9" in feedback[0]
    summary = page[page.index('data-testid="form-errors"') : page.index("data-competition-form")]
    assert 'href="#f-rounds"' in summary and "0.9" in summary
    # What was typed is shown again, the blank rows dropped and the rest renumbered.
    assert 'name="rounds-1-name" id="f-rounds-1-name" value="实操"' in page
    assert 'name="groups-1-name" id="f-groups-1-name" value="图书组"' in page


def test_each_error_sits_next_to_its_input(client, world):
    token = login_as(client, "org")
    form = full_form(token, **{"rounds-3-criteria-0-max_score": "-3", "scoring-decimals": "9", "name": ""})
    page = text_of(client.post("/competitions/new?blank=1", data=form))
    assert re.search(
        r'id="f-rounds-1-criteria-0-max_score" value="-3">\s*<div class="invalid-feedback d-block">', page
    )
    assert re.search(
        r'id="f-scoring-decimals" name="scoring-decimals"[^>]*>\s*<div class="invalid-feedback', page
    )
    assert 'class="form-control is-invalid" id="f-name"' in page
    assert '<details class="card shadow-sm mb-3 advanced" id="f-scoring" open>' in page
    assert "第2轮 · 第1项评分项 · 满分" in page


def test_template_prefills_the_form(client, world):
    login_as(client, "org")
    page = text_of(client.get("/competitions/new?template=young-teachers-teaching&level=provincial"))
    assert 'value="教学设计"' in page and 'value="课堂教学"' in page and 'value="教学反思"' in page
    assert 'name="rounds-1-weight" id="f-rounds-1-weight" value="75"' in page
    assert 'value="教学语言与教态"' in page and 'value="思想政治课专项组"' in page
    assert '<option value="provincial" selected>' in page


def test_university_admin_sets_up_only_their_own_school_level(client, world):
    token = login_as(client, "zju_admin")
    start = text_of(client.get("/competitions/new"))
    assert "青年教师教学竞赛" in start and 'name="university" value="ZJU"' in start
    assert 'name="level"' not in start
    page = text_of(client.get("/competitions/new?blank=1&university=HZU"))
    assert '<input type="hidden" name="level" value="school">' in page
    assert '<option value="ZJU" selected>' in page and '<option value="HZU"' not in page
    forged = client.post("/competitions/new?blank=1", data=full_form(token, level="provincial"))
    assert forged.status_code == 403
    other = client.post("/competitions/new?blank=1", data=full_form(token, university="HZU"))
    assert other.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Competition)) == 0


def test_edit_works_on_a_draft_only(client, school):
    token = login_as(client, "zju_admin")
    form = full_form(token, name="改名后的比赛")
    response = client.post(f"/competitions/{school.id}/edit", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Competition, school.id).name == "改名后的比赛"
    advance(db.session.get(Competition, school.id), "registration_open")
    page = client.get(f"/competitions/{school.id}/edit")
    assert page.status_code == 409 and "只有草稿" in text_of(page)
    refused = client.post(f"/competitions/{school.id}/edit", data=full_form(token, name="再次改名"))
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(Competition, school.id).name == "改名后的比赛"
    assert f"/competitions/{school.id}/edit" not in text_of(client.get(f"/competitions/{school.id}"))


def test_copy_as_next_year_opens_the_copy_for_editing(client, school):
    token = login_as(client, "zju_admin")
    response = client.post(f"/competitions/{school.id}/copy", data={"csrf_token": token, "year": "2027"})
    copy = db.session.scalar(select(Competition).where(Competition.id != school.id))
    assert response.headers["Location"] == f"/competitions/{copy.id}/edit"
    assert (copy.name, copy.year, copy.copied_from_id, copy.status) == (
        "浙江大学2027年青年教师教学竞赛", 2027, school.id, "draft",
    )  # fmt: skip
    assert copy.age_reference_date == date(2027, 9, 1)
    assert [r.name for r in copy.rounds] == ["教学设计", "课堂教学"]
    bad = client.post(f"/competitions/{school.id}/copy", data={"csrf_token": token, "year": "明年"})
    assert bad.status_code == 302 and db.session.scalar(select(func.count()).select_from(Competition)) == 2
    chosen = client.post(
        "/competitions/new/copy", data={"csrf_token": token, "source": school.id, "year": "2028"}
    )
    assert chosen.status_code == 302
    assert db.session.scalar(select(Competition).where(Competition.year == 2028)).copied_from_id == school.id


# --- detail and life cycle --------------------------------------------------------------------------------


def test_detail_explains_the_rules_and_the_next_step(client, provincial):
    login_as(client, "org")
    page = text_of(client.get(f"/competitions/{provincial.id}"))
    assert re.search(r'class="step current"\s+aria-current="step">.*?草稿', page, re.S)
    assert 'name="to" value="registration_open"' in page and "data-confirm=" in page
    assert "开放报名" in page
    assert "2026年9月1日" in page and "40" in page  # the age limit in words
    assert "教学设计" in page and "20%" in page and "80%" in page and "一等奖" in page and "15%" in page
    assert "复制为新一届" in page and f"/competitions/{provincial.id}/edit" in page


def test_staff_see_the_definition_without_manager_buttons(client, provincial):
    advance(provincial, "registration_open")
    login_as(client, "zju_staff")
    page = text_of(client.get(f"/competitions/{provincial.id}"))
    assert "课堂教学" in page and "2026年9月1日" in page
    assert 'name="to"' not in page and "/draw" not in page and "/entries" not in page


def test_every_step_forward_works_and_is_audited(client, provincial):
    token = login_as(client, "org")
    steps = ["registration_open", "registration_closed", "scoring", "published"]
    for step in steps:
        response = client.post(
            f"/competitions/{provincial.id}/transition",
            data={"csrf_token": token, "to": step, "confirm": "yes"},
        )
        assert response.headers["Location"] == f"/competitions/{provincial.id}"
        db.session.expire_all()
        assert db.session.get(Competition, provincial.id).status == step
    page = text_of(client.get(f"/competitions/{provincial.id}"))
    assert "成绩已发布" in page and 'name="to"' not in page
    audited = db.session.scalars(select(AuditLog).where(AuditLog.action == "competition.transition")).all()
    assert [a.details["to"] for a in audited] == steps and {a.username for a in audited} == {"org"}


def test_a_forged_skip_is_refused_with_the_reason(client, provincial):
    token = login_as(client, "org")
    response = client.post(
        f"/competitions/{provincial.id}/transition",
        data={"csrf_token": token, "to": "scoring"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    messages = flashes(text_of(response))
    assert len(messages) == 1 and "草稿" in messages[0] and "报名中" in messages[0]
    db.session.expire_all()
    assert db.session.get(Competition, provincial.id).status == "draft"
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "competition.transition")
        )
        == 0
    )


def test_scoring_cannot_start_before_the_draw(client, provincial):
    advance(provincial, "registration_open")
    make_entry(provincial, staff("00123"), status="approved")
    advance(provincial, "registration_closed")
    token = login_as(client, "org")
    response = client.post(
        f"/competitions/{provincial.id}/transition",
        data={"csrf_token": token, "to": "scoring"},
        follow_redirects=True,
    )
    assert flashes(text_of(response)) == ["开始评分前请先抽签确定出场顺序。"]
    db.session.expire_all()
    assert db.session.get(Competition, provincial.id).status == "registration_closed"


def test_quota_table_counts_entries_per_university(client, world, make):
    competition = make_competition(**CONTEST, quota_per_university=1)
    make.staff(world["zju"], "00200", "周老师")
    first = make_entry(competition, staff("00123"))
    make_entry(competition, staff("00200"))
    make_entry(competition, staff("H001"))
    approve_entry(first)
    login_as(client, "org")
    page = text_of(client.get(f"/competitions/{competition.id}"))
    table = page[page.index('data-testid="quota-table"') :]
    rows = re.findall(
        r"<tr>\s*<td>(.*?)</td>\s*<td class=\"num\">(\d+)</td>\s*<td class=\"num\">(\d+)</td>", table
    )
    assert rows == [("杭州大学", "1", "0"), ("浙江大学", "1", "1")]
    assert "已满" in table


# --- entries ----------------------------------------------------------------------------------------------


@pytest.fixture
def contest(world, make):
    """Open, one place per university; ZJU has a second young teacher, 00200 周老师."""
    competition = make_competition(**CONTEST, quota_per_university=1)
    make.staff(world["zju"], "00200", "周老师")
    return competition


def test_admin_approves_within_the_quota_and_is_refused_beyond(client, contest):
    first, second = make_entry(contest, staff("00123")), make_entry(contest, staff("00200"))
    token = login_as(client, "zju_admin")
    base = f"/competitions/{contest.id}/entries"
    page = text_of(client.get(base))
    assert "李老师" in page and "周老师" in page and "待审核" in page
    assert f'action="{base}/{first.id}/approve"' in page
    response = client.post(f"{base}/{first.id}/approve", data={"csrf_token": token}, follow_redirects=True)
    assert "李老师已通过审核" in flashes(text_of(response))[0]
    response = client.post(
        f"{base}/{second.id}/approve", data={"csrf_token": token, "next": f"{base}?status=pending"}
    )
    assert response.headers["Location"] == f"{base}?status=pending"
    refused = flashes(text_of(client.get(f"{base}?status=pending")))
    assert len(refused) == 1 and refused[0].startswith("周老师未获通过") and "1" in refused[0]
    db.session.expire_all()
    assert [db.session.get(Entry, e.id).status for e in (first, second)] == ["approved", "pending"]


def test_reject_needs_a_reason_and_stores_it(client, contest):
    entry = make_entry(contest, staff("00123"))
    token = login_as(client, "zju_admin")
    url = f"/competitions/{contest.id}/entries/{entry.id}/reject"
    response = client.post(url, data={"csrf_token": token, "reason": "  "}, follow_redirects=True)
    assert "李老师未被驳回" in flashes(text_of(response))[0]
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).status == "pending"
    response = client.post(url, data={"csrf_token": token, "reason": "不在教学一线"}, follow_redirects=True)
    page = text_of(response)
    assert "已驳回" in page and "不在教学一线" in page
    db.session.expire_all()
    stored = db.session.get(Entry, entry.id)
    assert (stored.status, stored.reason) == ("rejected", "不在教学一线")
    assert (
        db.session.scalar(select(AuditLog).where(AuditLog.action == "entry.reject")).username == "zju_admin"
    )


def test_another_universitys_admin_cannot_decide(client, contest):
    entry = make_entry(contest, staff("00123"))
    token = login_as(client, "hzu_admin")
    url = f"/competitions/{contest.id}/entries/{entry.id}/approve"
    assert client.post(url, data={"csrf_token": token}).status_code == 404
    page = text_of(client.get(f"/competitions/{contest.id}/entries"))
    assert "李老师" not in page
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).status == "pending"


def test_register_on_behalf_with_refusals_in_words(client, contest):
    token = login_as(client, "zju_admin")
    base = f"/competitions/{contest.id}/entries"
    page = text_of(client.get(base))
    assert 'name="university" value="ZJU"' in page and "文科组" in page
    group = contest.groups[1].id
    refused = client.post(
        base, data={"csrf_token": token, "university": "ZJU", "staff_no": "00124", "group_id": group}
    )
    messages = flashes(text_of(client.get(refused.headers["Location"])))
    assert len(messages) == 1 and "00124未能报名" in messages[0] and "行政后勤岗" in messages[0]
    unknown = client.post(
        base, data={"csrf_token": token, "university": "ZJU", "staff_no": "77777", "group_id": group},
        follow_redirects=True,
    )  # fmt: skip
    assert "77777" in flashes(text_of(unknown))[0]
    done = client.post(
        base, data={"csrf_token": token, "university": "ZJU", "staff_no": "00123", "group_id": group},
        follow_redirects=True,
    )  # fmt: skip
    assert "李老师（00123）已报名理科组" in flashes(text_of(done))[0]
    entry = db.session.scalar(select(Entry))
    assert (entry.status, entry.group_id, entry.created_by_id) == ("pending", group, user("zju_admin").id)
    # Another university's staff number is not found through this admin.
    other = client.post(
        base, data={"csrf_token": token, "university": "HZU", "staff_no": "H001", "group_id": group},
        follow_redirects=True,
    )  # fmt: skip
    assert "H001未能报名" in flashes(text_of(other))[0]
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 1


def test_entries_filters_and_pages(client, contest):
    first = make_entry(contest, staff("00123"), group=0)
    make_entry(contest, staff("00200"), group=1)
    make_entry(contest, staff("H001"), group=1)
    approve_entry(first)
    login_as(client, "org")
    base = f"/competitions/{contest.id}/entries"
    assert re.search(r'data-testid="entry-total">\D*3\D', text_of(client.get(base)))
    page = text_of(client.get(f"{base}?status=approved"))
    assert "李老师" in page and "周老师" not in page
    page = text_of(client.get(f"{base}?group_id={contest.groups[1].id}&university=HZU"))
    assert "赵老师" in page and "周老师" not in page
    page = text_of(client.get(f"{base}?q=00200"))
    assert "周老师" in page and "李老师" not in page
    first = text_of(client.get(f"{base}?per_page=2"))
    assert first.count("<tr data-entry=") == 2 and "第 1 / 2 页" in first
    second = text_of(client.get(f"{base}?per_page=2&page=2"))
    assert second.count("<tr data-entry=") == 1


def test_excel_export_has_every_entry_in_scope(client, contest):
    first = make_entry(contest, staff("00123"))
    make_entry(contest, staff("00200"))
    make_entry(contest, staff("H001"))
    approve_entry(first)
    login_as(client, "zju_admin")
    response = client.get(f"/competitions/{contest.id}/entries.xlsx?per_page=1")
    assert response.status_code == 200
    assert f"entries-{contest.id}.xlsx" in response.headers["Content-Disposition"]
    sheet = pd.read_excel(io.BytesIO(response.data), dtype=str, engine="calamine")
    assert list(sheet.columns)[:5] == ["出场序号", "组别", "高校", "工号", "姓名"]
    assert sorted(sheet["工号"]) == ["00123", "00200"]  # not HZU's entry, and not only one page
    assert set(sheet["状态"]) == {"已通过", "待审核"}
    assert set(sheet["高校"]) == {"浙江大学"}


# --- the draw ---------------------------------------------------------------------------------------------


def test_draw_before_and_after_and_redraw(client, world, make):
    competition = make_competition(**CONTEST)
    for no, name in (("00201", "甲"), ("00202", "乙"), ("00203", "丙")):
        make.staff(world["zju"], no, name)
    for no, group in (("00123", 0), ("00201", 0), ("00202", 0), ("00203", 1)):
        make_entry(competition, staff(no), group=group, status="approved")
    token = login_as(client, "org")
    url = f"/competitions/{competition.id}/draw"
    early = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "报名截止之后" in flashes(text_of(early))[0]
    assert db.session.scalar(select(func.count()).select_from(DrawRecord)) == 0
    advance(competition, "registration_closed")
    before = text_of(client.get(url))
    assert re.findall(r'data-testid="group-count">(.*?)<', before) == ["3 人已通过", "1 人已通过"]
    assert 'type="submit"><i class="bi bi-shuffle" aria-hidden="true"></i> 抽签' in before
    assert "data-print" not in before
    done = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    page = text_of(done)
    record = db.session.scalar(select(DrawRecord))
    assert "抽签完成" in flashes(page)[0] and str(record.seed) in page
    numbers = db.session.execute(select(Entry.group_id, Entry.draw_no)).all()
    by_group = {}
    for group_id, number in numbers:
        by_group.setdefault(group_id, []).append(number)
    assert sorted(by_group[competition.groups[0].id]) == [1, 2, 3] and by_group[competition.groups[1].id] == [
        1
    ]
    first = [m for m in re.findall(r'<td class="num draw-no">(\d+)</td><td>(.*?)</td>', page)]
    assert [n for n, _ in first] == ["1", "2", "3", "1"]
    assert "data-print" in page and "重新抽签" in page and "现有出场顺序将被新的顺序替换" in page
    again = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "抽签完成" in flashes(text_of(again))[0]
    assert db.session.scalar(select(func.count()).select_from(DrawRecord)) == 4  # two draws of two groups
    draws = db.session.scalars(select(AuditLog).where(AuditLog.action == "competition.draw")).all()
    assert [d.details["redraw"] for d in draws] == [False, True]
    advance(competition, "scoring")
    late = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert len(flashes(text_of(late))) == 1
    assert db.session.scalar(select(func.count()).select_from(DrawRecord)) == 4


def test_pages_speak_english_too(client, contest):
    make_entry(contest, staff("00123"))
    login_as(client, "org")
    client.get("/competitions/?lang=en")
    base = f"/competitions/{contest.id}"
    assert "Registration open" in text_of(client.get("/competitions/"))
    assert "Close registration" in text_of(client.get(base))
    assert "Weights add up to" in text_of(client.get("/competitions/new?blank=1"))
    assert "exactly 100%." in text_of(client.get("/competitions/new?template=young-teachers-teaching"))
    assert "Pending" in text_of(client.get(f"{base}/entries"))
    assert "Order of appearance" in text_of(client.get(f"{base}/draw"))
