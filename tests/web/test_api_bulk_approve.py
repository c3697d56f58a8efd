"""POST /competitions/{id}/entries/approve: several entries at once, all or none, within each university's
quota, each approval audited as a single one is; ids out of the caller's reach are a 404 and change nothing.

Messages are asked for in English (Accept-Language), the msgids, whatever the state of the catalogue.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditLog, Entry
from competition.services import draw
from tests.builders import Api, advance, approve_entry, make_competition, make_entry, staff, user
from tests.web.api_checks import check_error, race

ZJU_MORE = (("00200", "周老师"), ("00201", "吴老师"), ("00202", "郑老师"))


def statuses(*ids: int) -> list[str]:
    db.session.expire_all()
    return [db.session.get(Entry, i).status for i in ids]


def approvals() -> list[tuple[str, str, int | None]]:
    """(object id, username, university id) of every entry.approve audit row, in order."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "entry.approve").order_by(AuditLog.id)
    )
    return [(r.object_id, r.username, r.university_id) for r in rows]


@pytest.fixture
def contest(world, make):
    """Open, provincial, three places per university; four pending ZJU entries and one of HZU."""
    competition = make_competition(quota_per_university=3)
    for no, name in ZJU_MORE:
        make.staff(world["zju"], no, name)
    zju = [make_entry(competition, staff(no)).id for no in ("00123", *(no for no, _ in ZJU_MORE))]
    hzu = make_entry(competition, staff("H001")).id
    return {"id": competition.id, "competition": competition, "zju": zju, "hzu": hzu, "world": world}


ENGLISH = {"Accept-Language": "en"}


def approve(api: Api, contest: dict, ids) -> object:
    return api.post(f"/competitions/{contest['id']}/entries/approve", {"entry_ids": ids}, **ENGLISH)


def test_an_admin_approves_several_within_the_quota(app, contest):
    chosen = contest["zju"][:3]
    response = approve(Api(app, "zju_admin"), contest, chosen)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [e["id"] for e in body["approved"]] == chosen
    assert {e["status"] for e in body["approved"]} == {"approved"}
    assert body["quota"] == [{"university": "ZJU", "approved": 3, "quota": 3, "left": 0}]
    assert statuses(*contest["zju"], contest["hzu"]) == ["approved"] * 3 + ["pending", "pending"]
    zju_id = contest["world"]["zju"].id
    assert approvals() == [(str(i), "zju_admin", zju_id) for i in chosen]


def test_the_organizer_approves_across_universities_each_within_its_quota(app, contest):
    chosen = [contest["zju"][0], contest["hzu"], contest["zju"][1]]
    response = approve(Api(app, "org"), contest, chosen)
    assert response.status_code == 200, response.get_data(as_text=True)
    quota = sorted(response.get_json()["quota"], key=lambda q: q["university"])
    assert quota == [
        {"university": "HZU", "approved": 1, "quota": 3, "left": 2},
        {"university": "ZJU", "approved": 2, "quota": 3, "left": 1},
    ]
    assert statuses(*chosen) == ["approved"] * 3
    assert len(approvals()) == 3


def test_a_selection_beyond_the_quota_is_refused_and_nothing_changes(app, contest):
    approve_entry(db.session.get(Entry, contest["zju"][0]))
    before = approvals()
    response = approve(Api(app, "zju_admin"), contest, contest["zju"][1:])
    error = check_error(response, 422, "not_eligible")
    message = "浙江大学: selected 3, places left 2 (approved 1 of a quota of 3)."
    assert error["details"] == [{"field": "quota", "message": message}]
    assert error["message"] == f"Nothing was approved: {message}"
    assert statuses(*contest["zju"]) == ["approved", "pending", "pending", "pending"]
    assert approvals() == before


def test_without_a_quota_any_number_is_approved(app, world):
    competition = make_competition()
    ids = [make_entry(competition, staff(no)).id for no in ("00123", "H001")]
    response = Api(app, "org").post(f"/competitions/{competition.id}/entries/approve", {"entry_ids": ids})
    assert response.status_code == 200
    quota = sorted(response.get_json()["quota"], key=lambda q: q["university"])
    assert quota == [
        {"university": "HZU", "approved": 1, "quota": None, "left": None},
        {"university": "ZJU", "approved": 1, "quota": None, "left": None},
    ]


def test_another_universitys_entries_are_not_found_and_nothing_changes(app, contest):
    response = approve(Api(app, "zju_admin"), contest, [contest["zju"][0], contest["hzu"]])
    check_error(response, 404, "not_found")
    assert statuses(contest["zju"][0], contest["hzu"]) == ["pending", "pending"]
    assert approvals() == []


def test_an_entry_of_another_competition_is_not_found(app, contest):
    elsewhere = make_competition(name="另一个竞赛")
    stray = make_entry(elsewhere, staff("00123")).id
    check_error(approve(Api(app, "org"), contest, [contest["zju"][0], stray]), 404, "not_found")
    assert statuses(contest["zju"][0], stray) == ["pending", "pending"]


def test_a_decided_entry_in_the_selection_refuses_all_of_it(app, contest):
    approve_entry(db.session.get(Entry, contest["zju"][0]))
    error = check_error(approve(Api(app, "zju_admin"), contest, contest["zju"][:2]), 409, "wrong_state")
    assert error["details"] == [
        {"field": "status", "message": "No longer pending (1 of the selection): 李老师."}
    ]
    assert statuses(*contest["zju"][:2]) == ["approved", "pending"]


def test_no_decisions_once_scoring_started(app, contest):
    competition = contest["competition"]
    approve_entry(db.session.get(Entry, contest["zju"][0]))
    advance(competition, "registration_closed")
    draw.run_draw(competition=competition, by=user("org"))
    db.session.commit()
    advance(competition, "scoring")
    error = check_error(approve(Api(app, "org"), contest, contest["zju"][1:2]), 409, "wrong_state")
    assert "registration is open or just closed" in error["message"]
    assert statuses(contest["zju"][1]) == ["pending"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"entry_ids": "1"},
        {"entry_ids": [1, "x"]},
        {"entry_ids": [True]},
        {"entry_ids": [0]},
        {"entry_ids": []},
    ],
    ids=["missing", "not-a-list", "not-a-number", "boolean", "zero", "empty"],
)
def test_a_malformed_selection_is_refused(app, contest, body):
    response = Api(app, "org").post(f"/competitions/{contest['id']}/entries/approve", body, **ENGLISH)
    error = check_error(response, 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == ["entry_ids"]
    assert approvals() == []


def test_duplicates_count_once(app, contest):
    first = contest["zju"][0]
    response = approve(Api(app, "zju_admin"), contest, [first, first, str(first)])
    assert response.status_code == 200
    assert [e["id"] for e in response.get_json()["approved"]] == [first]
    assert len(approvals()) == 1


def test_staff_and_judges_may_not(app, contest):
    for who in ("zju_staff", "zju_judge"):
        check_error(approve(Api(app, who), contest, contest["zju"][:1]), 403, "forbidden")
    assert approvals() == []


def test_the_csrf_token_is_required(app, contest):
    api = Api(app, "org")
    response = api.client.post(
        f"/api/v1/competitions/{contest['id']}/entries/approve", json={"entry_ids": contest["zju"][:1]}
    )
    assert response.status_code == 400
    assert statuses(contest["zju"][0]) == ["pending"]


# --- races (PostgreSQL) -------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_two_selections_racing_for_the_last_places(app, postgresql, contest, attempt):
    """Three places, two selections of two: one is approved whole, the other refused whole."""
    admins = [Api(app, "zju_admin"), Api(app, "zju_admin")]
    first, second = contest["zju"][:2], contest["zju"][2:]
    responses = race(lambda: approve(admins[0], contest, first), lambda: approve(admins[1], contest, second))
    assert sorted(r.status_code for r in responses) == [200, 422], [
        r.get_data(as_text=True) for r in responses
    ]
    refused = next(r for r in responses if r.status_code == 422).get_json()["error"]
    assert [d["field"] for d in refused["details"]] == ["quota"]
    winner = first if responses[0].status_code == 200 else second
    assert statuses(*winner) == ["approved", "approved"]
    assert sorted(statuses(*contest["zju"])) == ["approved", "approved", "pending", "pending"]
    assert len(approvals()) == 2


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_overlapping_selections_never_approve_an_entry_twice(app, postgresql, world, make, attempt):
    """No quota; two admins tick the same entry at once: it is approved (and audited) once."""
    competition = make_competition()
    members = [staff("00123"), *(make.staff(world["zju"], f"0030{i}", f"老师{i}") for i in range(2))]
    ids = [make_entry(competition, member).id for member in members]
    path = f"/competitions/{competition.id}/entries/approve"
    admins = [Api(app, "zju_admin"), Api(app, "zju_admin")]
    responses = race(
        lambda: admins[0].post(path, {"entry_ids": ids[:2]}, **ENGLISH),
        lambda: admins[1].post(path, {"entry_ids": ids[1:]}, **ENGLISH),
    )
    assert sorted(r.status_code for r in responses) == [200, 409], [
        r.get_data(as_text=True) for r in responses
    ]
    refused = next(r for r in responses if r.status_code == 409).get_json()["error"]
    assert refused["code"] == "wrong_state" and [d["field"] for d in refused["details"]] == ["status"]
    audited = [object_id for object_id, _, _ in approvals()]
    assert audited.count(str(ids[1])) == 1 and len(audited) == 2
    assert statuses(ids[1]) == ["approved"]
