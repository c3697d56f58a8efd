"""Smoke: the main journey of issue 3 through the API (temporary; replaced by the full API tests)."""
from datetime import UTC, datetime, timedelta

from competition.extensions import db
from competition.models import Competition
from tests.conftest import api_login


def body(**over):
    now = datetime.now(UTC)
    data = {
        "name": "2026年青年教师教学竞赛", "kind": "teaching", "level": "provincial", "year": 2026,
        "eligible_categories": ["teaching_research"], "max_age": 40, "age_reference_date": "2026-09-01",
        "registration_opens": (now - timedelta(days=1)).isoformat(),
        "registration_closes": (now + timedelta(days=10)).isoformat(),
        "quota_per_university": 1, "anonymous_judging": True,
        "groups": [{"name": "文科组"}, {"name": "理科组"}],
        "rounds": [{"name": "教学设计", "weight": 0.2, "criteria": [{"name": "设计", "max_score": 100}]},
                   {"name": "课堂教学", "weight": 0.8, "criteria": [{"name": "内容", "max_score": 50},
                                                                   {"name": "组织", "max_score": 50}]}],
    }
    data.update(over)
    return data


def test_journey(client, app, world, make):
    token = api_login(client, "org")
    h = {"X-CSRFToken": token}
    r = client.post("/api/v1/competitions", json=body(), headers=h)
    assert r.status_code == 201, r.get_json()
    c = r.get_json()
    assert c["status"] == "draft" and len(c["groups"]) == 2 and c["rounds"][1]["criteria"][0]["max_score"] == 50
    assert c["awards"][0]["name"] == "一等奖"
    bad = client.post("/api/v1/competitions", json=body(rounds=[{"name": "x", "weight": 0.5, "criteria": [
        {"name": "a", "max_score": 10}]}]), headers=h)
    assert bad.status_code == 422 and any(d["field"] == "rounds" for d in bad.get_json()["error"]["details"])
    assert client.post(f"/api/v1/competitions/{c['id']}/transition", json={"to": "scoring"}, headers=h).status_code == 409
    r = client.post(f"/api/v1/competitions/{c['id']}/transition", json={"to": "registration_open"}, headers=h)
    assert r.status_code == 200 and r.get_json()["status"] == "registration_open"
    # the staff member registers themselves
    staff_client = app.test_client()
    st = api_login(staff_client, "zju_staff")
    g = c["groups"][0]["id"]
    r = staff_client.post(f"/api/v1/competitions/{c['id']}/entries", json={"group_id": g}, headers={"X-CSRFToken": st})
    assert r.status_code == 201, r.get_json()
    entry = r.get_json()
    r = staff_client.post(f"/api/v1/competitions/{c['id']}/entries", json={"group_id": g}, headers={"X-CSRFToken": st})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "not_eligible"
    assert r.get_json()["error"]["details"][0]["field"] == "duplicate"
    # an admin-logistics person is refused by category
    r = client.post(f"/api/v1/competitions/{c['id']}/entries", json={"group_id": g, "university": "ZJU",
                                                                      "staff_no": "00124"}, headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["details"][0]["field"] == "category"
    # the admin approves; quota 1 then refuses a second
    older = make.staff(world["zju"], "00200", "周老师")
    admin = app.test_client()
    at = api_login(admin, "zju_admin")
    r = admin.post(f"/api/v1/competitions/{c['id']}/entries", json={"group_id": g, "university": "ZJU",
                                                                     "staff_no": older.staff_no}, headers={"X-CSRFToken": at})
    assert r.status_code == 201
    second = r.get_json()
    assert admin.post(f"/api/v1/entries/{entry['id']}/approve", headers={"X-CSRFToken": at}).status_code == 200
    r = admin.post(f"/api/v1/entries/{second['id']}/approve", headers={"X-CSRFToken": at})
    assert r.status_code == 422 and r.get_json()["error"]["details"][0]["field"] == "quota"
    lst = admin.get(f"/api/v1/competitions/{c['id']}/entries").get_json()
    assert lst["total"] == 2 and {i["status"] for i in lst["items"]} == {"approved", "pending"}
    # draw only after closing
    assert client.post(f"/api/v1/competitions/{c['id']}/draw", json={}, headers=h).status_code == 409
    assert client.post(f"/api/v1/competitions/{c['id']}/transition", json={"to": "registration_closed"}, headers=h).status_code == 200
    r = client.post(f"/api/v1/competitions/{c['id']}/draw", json={"seed": 42}, headers=h)
    assert r.status_code == 200 and r.get_json()["seed"] == 42 and r.get_json()["items"][0]["draw_no"] == 1
    r2 = client.post(f"/api/v1/competitions/{c['id']}/draw", json={"seed": 42}, headers=h)
    assert r2.get_json()["items"] == r.get_json()["items"]
    r = client.post(f"/api/v1/competitions/{c['id']}/transition", json={"to": "scoring"}, headers=h)
    assert r.status_code == 200
    assert db.session.get(Competition, c["id"]).status == "scoring"
