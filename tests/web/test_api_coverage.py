"""The coverage API: scoping, the exact shape of API.md, the uncovered list, and the participation import."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import (
    Competition,
    CompetitionGroup,
    Entry,
    OfflineParticipation,
    Staff,
    University,
)
from tests.builders import api_login_as

YEAR = date.today().year - 1  # a past year: every date of the tests is a real, past one
KEYS = {"total", "teaching_research", "admin_logistics", "other"}


def add_competition(
    name: str = "青年教师教学竞赛",
    *,
    year: int = YEAR,
    level: str = "provincial",
    university: University | None = None,
) -> Competition:
    """A competition row with one group (the coverage figures need nothing else of it)."""
    competition = Competition(
        name=name,
        kind="teaching",
        level=level,
        university=university,
        year=year,
        eligible_categories=["teaching_research", "admin_logistics", "other"],
        registration_opens=datetime(year, 3, 1),
        registration_closes=datetime(year, 4, 1),
        status="registration_closed",
    )
    competition.groups = [CompetitionGroup(name="文科组")]
    db.session.add(competition)
    db.session.commit()
    return competition


def add_entry(competition: Competition, staff: Staff, status: str = "approved", approved_at=None) -> Entry:
    if status == "approved" and approved_at is None:
        approved_at = datetime(competition.year, 3, 15, 10, 0)
    entry = Entry(
        competition=competition,
        group=competition.groups[0],
        staff=staff,
        university_id=staff.university_id,
        status=status,
        approved_at=approved_at,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def add_offline(staff: Staff, event: str = "教职工读书会", on: date = date(YEAR, 5, 20)) -> None:
    db.session.add(
        OfflineParticipation(
            university_id=staff.university_id, staff=staff, event=event, date=on, year=on.year
        )
    )
    db.session.commit()


def staff_no(number: str) -> Staff:
    return db.session.scalar(select(Staff).where(Staff.staff_no == number))


@pytest.fixture
def covered_world(world, make):
    return build_covered_world(world, make)


def build_covered_world(world, make):
    """ZJU: 4 active (2 covered: one by two entries, one offline) and 1 inactive covered; HZU: 1 of 2."""
    zju, hzu = world["zju"], world["hzu"]
    make.staff(zju, "00125", "孙老师", department="文学院", category="teaching_research")
    make.staff(zju, "00126", "周师傅", department="后勤处", category="other")
    gone = make.staff(zju, "00127", "离职者", department="文学院", active=False)
    make.staff(hzu, "H002", "钱老师")
    provincial = add_competition("省青年教师教学竞赛")
    school = add_competition("浙大岗位练兵", level="school", university=zju)
    add_entry(provincial, staff_no("00123"), approved_at=datetime(YEAR, 3, 10, 9, 0))
    add_entry(school, staff_no("00123"), approved_at=datetime(YEAR, 6, 1, 9, 0))
    add_entry(provincial, staff_no("00125"), status="pending")
    add_entry(school, staff_no("00126"), status="withdrawn")
    add_entry(provincial, gone)
    add_entry(provincial, staff_no("H001"), approved_at=datetime(YEAR, 4, 2, 9, 0))
    add_offline(staff_no("00124"), on=date(YEAR, 5, 20))
    return world


def get(client, user: str, path: str):
    api_login_as(client, user)
    return client.get("/api/v1" + path)


def test_province_for_an_organizer_every_university(client, covered_world):
    body = get(client, "org", f"/coverage?year={YEAR}").get_json()
    assert set(body) == {"year", "items", "totals"}
    assert body["year"] == YEAR
    assert [i["university"] for i in body["items"]] == ["HZU", "ZJU"]
    zju = body["items"][1]
    assert set(zju) == {"university", "name", "headcount", "covered", "rate"}
    assert zju["name"] == "浙江大学"
    for key in ("headcount", "covered", "rate"):
        assert set(zju[key]) == KEYS
    assert zju["headcount"] == {"total": 4, "teaching_research": 2, "admin_logistics": 1, "other": 1}
    assert zju["covered"] == {"total": 2, "teaching_research": 1, "admin_logistics": 1, "other": 0}
    assert zju["rate"] == {"total": 0.5, "teaching_research": 0.5, "admin_logistics": 1.0, "other": 0.0}
    assert body["totals"] == {"headcount": 6, "covered": 3, "rate": 0.5}


def test_rates_are_rounded_to_four_places(client, world, make):
    make.staff(world["zju"], "00125", "孙老师")
    add_offline(staff_no("00123"))
    body = get(client, "org", f"/coverage?year={YEAR}").get_json()
    zju = next(i for i in body["items"] if i["university"] == "ZJU")
    assert zju["rate"]["total"] == 0.3333
    assert zju["rate"]["teaching_research"] == 0.5
    assert body["totals"]["rate"] == 0.25


def test_a_university_admin_sees_only_their_own(client, covered_world):
    body = get(client, "zju_admin", f"/coverage?year={YEAR}").get_json()
    assert [i["university"] for i in body["items"]] == ["ZJU"]
    assert body["totals"] == {"headcount": 4, "covered": 2, "rate": 0.5}


@pytest.mark.parametrize("user", ["zju_judge", "zju_staff"])
def test_judges_and_staff_may_not(client, covered_world, user):
    response = get(client, user, "/coverage")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_anonymous_is_401(client, covered_world):
    assert client.get("/api/v1/coverage").status_code == 401
    assert client.get("/api/v1/universities/ZJU/coverage").status_code == 401


def test_a_bad_year_is_400(client, covered_world):
    assert get(client, "org", "/coverage?year=soon").status_code == 400


def test_one_university_with_departments_and_trend(client, covered_world):
    body = get(client, "zju_admin", f"/universities/ZJU/coverage?year={YEAR}").get_json()
    assert set(body) == {"university", "name", "year", "headcount", "covered", "rate", "departments", "trend"}
    assert body["covered"]["total"] == 2
    assert body["departments"] == [  # in pinyin order: cai, hou, ji, wen
        {"name": "财务处", "headcount": 1, "covered": 1, "rate": 1.0},
        {"name": "后勤处", "headcount": 1, "covered": 0, "rate": 0.0},
        {"name": "计算机学院", "headcount": 1, "covered": 1, "rate": 1.0},
        {"name": "文学院", "headcount": 1, "covered": 0, "rate": 0.0},
    ]
    # 00123 from March (first of two entries), 00124 from May (offline); cumulative, never decreasing.
    assert [m["month"] for m in body["trend"]] == [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    assert [m["covered"] for m in body["trend"]] == [0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]


def test_another_year_is_empty(client, covered_world):
    body = get(client, "org", f"/universities/ZJU/coverage?year={YEAR - 1}").get_json()
    assert body["covered"]["total"] == 0 and body["headcount"]["total"] == 4
    assert all(m["covered"] == 0 for m in body["trend"])


@pytest.mark.parametrize(("user", "status"), [("hzu_admin", 404), ("zju_judge", 403), ("zju_staff", 403)])
def test_one_university_is_scoped(client, covered_world, user, status):
    assert get(client, user, "/universities/ZJU/coverage").status_code == status


def test_unknown_university_is_404(client, covered_world):
    assert get(client, "org", "/universities/NOPE/coverage").status_code == 404


def test_uncovered_staff_page(client, covered_world):
    body = get(client, "zju_admin", f"/universities/ZJU/uncovered?year={YEAR}").get_json()
    assert set(body) == {"items", "total", "page", "per_page"}
    assert body["total"] == 2 and body["page"] == 1 and body["per_page"] == 50
    assert [s["staff_no"] for s in body["items"]] == ["00126", "00125"]  # by department, then 工号
    assert set(body["items"][0]) >= {"staff_no", "name", "department", "category", "active"}
    only = client.get(f"/api/v1/universities/ZJU/uncovered?year={YEAR}&category=other").get_json()
    assert [s["staff_no"] for s in only["items"]] == ["00126"]
    paged = client.get(f"/api/v1/universities/ZJU/uncovered?year={YEAR}&per_page=1&page=2").get_json()
    assert paged["total"] == 2 and [s["staff_no"] for s in paged["items"]] == ["00125"]
    assert client.get("/api/v1/universities/ZJU/uncovered?category=chef").status_code == 422


@pytest.mark.parametrize(("user", "status"), [("hzu_admin", 404), ("zju_judge", 403)])
def test_uncovered_is_scoped(client, covered_world, user, status):
    assert get(client, user, "/universities/ZJU/uncovered").status_code == status


def participation_file(rows, header=("工号", "活动名称", "日期")) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame(list(rows), columns=list(header)).to_excel(buffer, index=False, engine="xlsxwriter")
    return buffer.getvalue()


def post_file(client, token: str, code: str, data: bytes, name: str = "participations.xlsx"):
    return client.post(
        f"/api/v1/universities/{code}/participations",
        data={"file": (io.BytesIO(data), name)},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )


def offline_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OfflineParticipation))


GOOD = [("00125", "教职工读书会", f"{YEAR}-05-20"), ("00126", "后勤技能比武", f"{YEAR}/6/3")]


def test_import_participations_counts_toward_coverage(client, world, make):
    make.staff(world["zju"], "00125", "孙老师", department="文学院")
    make.staff(world["zju"], "00126", "周师傅", department="后勤处", category="other")
    token = api_login_as(client, "zju_admin")
    response = post_file(client, token, "ZJU", participation_file(GOOD))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"created": 2}
    assert offline_count() == 2
    body = client.get(f"/api/v1/universities/ZJU/coverage?year={YEAR}").get_json()
    assert body["covered"] == {"total": 2, "teaching_research": 1, "admin_logistics": 0, "other": 1}
    assert body["trend"][4]["covered"] == 1 and body["trend"][5]["covered"] == 2
    # The same file again adds nothing.
    again = post_file(client, token, "ZJU", participation_file(GOOD))
    assert again.get_json() == {"created": 0}
    assert offline_count() == 2


def test_import_is_all_or_nothing(client, world, make):
    make.staff(world["zju"], "00125", "孙老师")
    token = api_login_as(client, "zju_admin")
    rows = [*GOOD[:1], ("H001", "读书会", f"{YEAR}-05-20"), ("00124", "读书会", "2099-01-01")]
    response = post_file(client, token, "ZJU", participation_file(rows))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    problems = [(d["row"], d["column"]) for d in error["details"]]
    assert problems == [(3, "工号"), (4, "日期")]
    assert all(isinstance(d["message"], str) and d["message"] for d in error["details"])
    assert offline_count() == 0


def test_import_needs_a_file(client, world):
    token = api_login_as(client, "zju_admin")
    response = client.post("/api/v1/universities/ZJU/participations", data={}, headers={"X-CSRFToken": token})
    assert response.status_code == 422


def test_import_needs_the_csrf_token(client, world):
    api_login_as(client, "zju_admin")
    response = client.post(
        "/api/v1/universities/ZJU/participations",
        data={"file": (io.BytesIO(participation_file(GOOD)), "p.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert offline_count() == 0


@pytest.mark.parametrize(("user", "status"), [("hzu_admin", 404), ("zju_staff", 403), ("zju_judge", 403)])
def test_import_is_scoped(client, world, user, status):
    token = api_login_as(client, user)
    response = post_file(client, token, "ZJU", participation_file([("00123", "读书会", f"{YEAR}-05-20")]))
    assert response.status_code == status
    assert offline_count() == 0


def test_an_organizer_imports_for_any_university(client, world):
    token = api_login_as(client, "org")
    response = post_file(client, token, "HZU", participation_file([("H001", "读书会", f"{YEAR}-05-20")]))
    assert response.get_json() == {"created": 1}
