"""The API's entries: registration and its refusals, approval within the quota, lists, the draw, races."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from competition.domain.draw import draw_order
from competition.extensions import db
from competition.models import Competition, DrawRecord, Entry, Staff, User
from tests.builders import Api, in_days, make_competition
from tests.web.api_checks import check_error, race
from tests.web.test_api_competitions import add_entry, audit_rows, body, count, create, set_status

ENTRY_FIELDS = {"id", "group_id", "staff_no", "name", "university", "department", "status", "draw_no"}
# The contests of these tests are for teaching staff at most 40 on 1 September 2026.
AGE_LIMIT = {"max_age": 40, "age_reference_date": "2026-09-01"}


def staff(staff_no: str) -> Staff:
    db.session.rollback()
    return db.session.scalar(select(Staff).where(Staff.staff_no == staff_no))


def entry(entry_id: int) -> Entry:
    db.session.rollback()
    return db.session.get(Entry, entry_id)


def user_id(username: str) -> int:
    db.session.rollback()
    return db.session.scalar(select(User.id).where(User.username == username))


def register(api: Api, competition: dict, *, group: int = 0, headers: dict | None = None, **who):
    return api.post(
        f"/competitions/{competition['id']}/entries",
        {"group_id": competition["groups"][group]["id"], **who},
        **(headers or {}),
    )


def check_registered(response) -> dict:
    assert response.status_code == 201, response.get_data(as_text=True)
    got = response.get_json()
    assert got["status"] == "pending"
    return got


def refusal_fields(response) -> list[str]:
    error = check_error(response, 422, "not_eligible")
    assert all(set(d) == {"field", "message"} and d["message"] for d in error["details"])
    return [d["field"] for d in error["details"]]


def addressed(competition: Competition) -> dict:
    """The ids by which the requests here address a competition and its groups."""
    return {"id": competition.id, "groups": [{"id": group.id} for group in competition.groups]}


@pytest.fixture
def contest(world) -> dict:
    """An open provincial contest with three places per university."""
    return addressed(make_competition(**AGE_LIMIT, quota_per_university=3))


@pytest.fixture
def people(world, make):
    """More staff: ZJU 00200 周老师 and 00201 吴老师, HZU H002 钱老师 (teaching, young), and the accounts."""
    zju, hzu = world["zju"], world["hzu"]
    make.staff(zju, "00200", "周老师", department="数学学院")
    make.staff(zju, "00201", "吴老师")
    make.staff(hzu, "H002", "钱老师")
    make.user("zju_staff2", "staff", zju, staff=staff("00200"))
    make.user("hzu_staff", "staff", hzu, staff=staff("H001"))
    return world


# --- registering --------------------------------------------------------------------------------------------


def test_staff_member_registers_themselves(login, contest):
    me = login("zju_staff")
    response = register(me, contest, group=1)
    got = check_registered(response)
    assert got == {
        "id": got["id"],
        "competition_id": contest["id"],
        "group_id": contest["groups"][1]["id"],
        "staff_no": "00123",
        "name": "李老师",
        "university": "ZJU",
        "department": "计算机学院",
        "status": "pending",
        "draw_no": None,
        "reason": None,
        "created_at": got["created_at"],
    }
    assert set(got) >= ENTRY_FIELDS
    assert isinstance(got["id"], int)
    assert abs(datetime.fromisoformat(got["created_at"]) - datetime.now(UTC)) < timedelta(minutes=1)
    row = entry(got["id"])
    assert (row.competition_id, row.staff_id, row.status, row.created_by_id) == (
        contest["id"],
        staff("00123").id,
        "pending",
        user_id("zju_staff"),
    )
    assert row.university_id == staff("00123").university_id
    [audit] = audit_rows("entry.register")
    assert (audit.username, audit.object_id, audit.details["staff_no"]) == (
        "zju_staff",
        str(got["id"]),
        "00123",
    )
    assert audit.details["competition_id"] == contest["id"]


def test_staff_may_name_themselves(login, contest):
    check_registered(register(login("zju_staff"), contest, university="ZJU", staff_no="00123"))


REFUSALS = {
    # case: (competition overrides, status, staff category, birth date, arranged entries, expected field)
    "category": ({}, "registration_open", "admin_logistics", date(1990, 1, 1), [], "category"),
    "age-one-day-too-old": ({}, "registration_open", "teaching_research", date(1985, 9, 1), [], "age"),
    "age-unknown": ({}, "registration_open", "teaching_research", None, [], "age"),
    "before-opening": (
        {"registration_opens": 2, "registration_closes": 20},
        "registration_open",
        "teaching_research",
        date(1990, 1, 1),
        [],
        "window",
    ),
    "after-closing": (
        {"registration_opens": -20, "registration_closes": -1},
        "registration_open",
        "teaching_research",
        date(1990, 1, 1),
        [],
        "window",
    ),
    "closed-early": ({}, "registration_closed", "teaching_research", date(1990, 1, 1), [], "window"),
    "still-a-draft": ({}, "draft", "teaching_research", date(1990, 1, 1), [], "window"),
    "in-scoring": ({}, "scoring", "teaching_research", date(1990, 1, 1), [], "window"),
    "quota-full": (
        {"quota_per_university": 1},
        "registration_open",
        "teaching_research",
        date(1990, 1, 1),
        [("00201", "approved")],
        "quota",
    ),
    "already-pending": (
        {},
        "registration_open",
        "teaching_research",
        date(1990, 1, 1),
        [("Z900", "pending")],
        "duplicate",
    ),
    "already-approved": (
        {},
        "registration_open",
        "teaching_research",
        date(1990, 1, 1),
        [("Z900", "approved")],
        "duplicate",
    ),
    # A rejected entry still counts as the person's one entry (withdrawn ones do not: see below).
    "rejected-earlier": (
        {},
        "registration_open",
        "teaching_research",
        date(1990, 1, 1),
        [("Z900", "rejected")],
        "duplicate",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_name_exactly_one_field(org, people, make, case):
    over, status, category, birth, arranged, field = REFUSALS[case]
    over = {k: in_days(v) if k.startswith("registration_") else v for k, v in over.items()}
    competition = addressed(
        make_competition(status=status, **{**AGE_LIMIT, "quota_per_university": 3, **over})
    )
    make.staff(people["zju"], "Z900", "孙老师", category=category, birth_date=birth)
    for staff_no, entry_status in arranged:
        add_entry(competition, staff(staff_no), status=entry_status)
    before = count(Entry)
    response = register(org, competition, university="ZJU", staff_no="Z900")
    assert refusal_fields(response) == [field]
    assert count(Entry) == before
    assert audit_rows("entry.register") == []


def test_refusal_messages_give_the_reason(org, world, make):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=3))
    make.staff(world["zju"], "Z900", "孙老师", birth_date=date(1985, 9, 1))
    response = register(
        org, competition, university="ZJU", staff_no="Z900", headers={"Accept-Language": "en"}
    )
    [detail] = check_error(response, 422, "not_eligible")["details"]
    assert detail["field"] == "age"
    assert "41" in detail["message"] and "40" in detail["message"]
    assert detail["message"] in response.get_json()["error"]["message"]


def test_several_refusals_are_all_listed(org, world, make):
    competition = addressed(
        make_competition(status="registration_closed", **AGE_LIMIT, quota_per_university=3)
    )
    make.staff(world["zju"], "Z900", "孙老师", category="other", birth_date=date(1970, 1, 1))
    assert refusal_fields(register(org, competition, university="ZJU", staff_no="Z900")) == [
        "category",
        "age",
        "window",
    ]


@pytest.mark.parametrize(
    "birth",
    [date(1986, 9, 1), date(1985, 9, 2), date(2000, 1, 1)],
    ids=["40th-birthday-on-the-reference-date", "last-day-of-being-40", "young"],
)
def test_at_most_max_age_on_the_reference_date_is_accepted(org, world, make, birth):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=3))
    make.staff(world["zju"], "Z900", "孙老师", birth_date=birth)
    check_registered(register(org, competition, university="ZJU", staff_no="Z900"))


def test_no_age_limit_takes_anyone(org, world, make):
    competition = addressed(make_competition(max_age=None, age_reference_date=None, quota_per_university=3))
    make.staff(world["zju"], "Z900", "孙老师", birth_date=date(1962, 1, 1))
    check_registered(register(org, competition, university="ZJU", staff_no="Z900"))


def test_quota_counts_approved_entries_only(org, people, make):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=1))
    for staff_no in ("00200", "00201", "00123"):  # more pending entries than the quota
        check_registered(register(org, competition, university="ZJU", staff_no=staff_no))
    make.staff(people["zju"], "Z900", "孙老师")
    make.staff(people["zju"], "Z901", "冯老师")
    check_registered(register(org, competition, university="ZJU", staff_no="Z900"))
    zju_entry = check_registered(register(org, competition, university="ZJU", staff_no="Z901"))
    assert org.post(f"/entries/{zju_entry['id']}/approve").status_code == 200
    make.staff(people["zju"], "Z902", "褚老师")
    assert refusal_fields(register(org, competition, university="ZJU", staff_no="Z902")) == ["quota"]
    # The quota is per university: HZU is not affected.
    check_registered(register(org, competition, university="HZU", staff_no="H001"))


def test_admin_registers_their_own_staff(login, people):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=3))
    admin = login("zju_admin")
    got = check_registered(register(admin, competition, university="ZJU", staff_no="00200"))
    assert (got["staff_no"], got["university"], got["department"]) == ("00200", "ZJU", "数学学院")
    assert entry(got["id"]).created_by_id == user_id("zju_admin")
    assert audit_rows("entry.register")[0].username == "zju_admin"


@pytest.mark.parametrize(
    ("username", "who", "status", "field"),
    [
        # Staff out of the registrant's reach are "no such staff member" (422 on staff_no), like unknown ones.
        ("zju_admin", {"university": "HZU", "staff_no": "H001"}, 422, "staff_no"),
        ("zju_admin", {"university": "ZJU", "staff_no": "99999"}, 422, "staff_no"),
        ("zju_admin", {"staff_no": "00200"}, 422, "staff_no"),  # the university is needed too
        ("zju_admin", {"university": "ZJU", "staff_no": 200}, 422, "staff_no"),
        ("zju_admin", {}, 422, "staff_no"),  # an admin is nobody's staff member: they must say whom
        ("zju_judge", {}, 422, "staff_no"),
        ("zju_staff", {"university": "ZJU", "staff_no": "00200"}, 422, "staff_no"),
        ("hzu_admin", {"university": "ZJU", "staff_no": "00200"}, 422, "staff_no"),
    ],
)
def test_registering_someone_out_of_reach(login, people, username, who, status, field):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=3))
    response = register(login(username), competition, **who)
    error = check_error(response, status, "validation_failed")
    assert [d["field"] for d in error["details"]] == [field]
    assert count(Entry) == 0


def test_organizer_registers_anyone(org, people):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=3))
    for university, staff_no in (("ZJU", "00200"), ("HZU", "H001"), ("HZU", "H002")):
        got = check_registered(register(org, competition, university=university, staff_no=staff_no))
        assert (got["university"], got["staff_no"]) == (university, staff_no)
    assert count(Entry) == 3


def test_inactive_staff_cannot_be_registered(org, world, make):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=3))
    make.staff(world["zju"], "Z900", "孙老师", active=False)
    error = check_error(
        register(org, competition, university="ZJU", staff_no="Z900"), 422, "validation_failed"
    )
    assert [d["field"] for d in error["details"]] == ["staff_no"]
    assert count(Entry) == 0


def test_the_group_must_be_one_of_the_competitions(org, login, world):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=3))
    other = addressed(make_competition(**AGE_LIMIT, quota_per_university=3, name="另一场"))
    me = login("zju_staff")
    for group_id in (other["groups"][0]["id"], None, "1", 999999, 10**20, True):
        response = me.post(f"/competitions/{competition['id']}/entries", {"group_id": group_id})
        error = check_error(response, 422, "validation_failed")
        assert [d["field"] for d in error["details"]] == ["group_id"]
    assert count(Entry) == 0


def test_school_contests_take_their_own_university_only(org, login, people):
    zju_contest = addressed(
        make_competition(
            by="zju_admin",
            **AGE_LIMIT,
            level="school",
            university="ZJU",
            name="ZJU 2026年教学竞赛",
            quota_per_university=None,
        )
    )
    check_registered(register(login("zju_staff"), zju_contest))
    check_registered(register(login("zju_admin"), zju_contest, university="ZJU", staff_no="00200"))
    # Another university's staff do not see it; even an organizer cannot put them in.
    check_error(register(login("hzu_staff"), zju_contest), 404, "not_found")
    check_error(register(org, zju_contest, university="HZU", staff_no="H002"), 404, "not_found")
    assert count(Entry) == 2


def test_a_withdrawn_person_registers_again_with_the_same_entry(login, contest):
    me = login("zju_staff")
    first = check_registered(register(me, contest, group=0))
    withdrawn = me.post(f"/entries/{first['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    again = check_registered(register(me, contest, group=1))
    assert again["id"] == first["id"]
    assert (again["status"], again["group_id"], again["draw_no"], again["reason"]) == (
        "pending",
        contest["groups"][1]["id"],
        None,
        None,
    )
    assert count(Entry) == 1
    assert len(audit_rows("entry.register")) == 2 and len(audit_rows("entry.withdraw")) == 1
    refusal = register(me, contest)
    assert refusal_fields(refusal) == ["duplicate"]


# --- lists --------------------------------------------------------------------------------------------------


@pytest.fixture
def entries(org, people, contest):
    """Five entries: ZJU 00123 (zju_staff, group 0, pending), 00200 (group 1, approved), 00201 (group 0,
    rejected); HZU H001 (group 0, pending), H002 (group 1, withdrawn)."""
    made = {}
    for staff_no, group, status in (
        ("00123", 0, "pending"),
        ("00200", 1, "approved"),
        ("00201", 0, "rejected"),
        ("H001", 0, "pending"),
        ("H002", 1, "withdrawn"),
    ):
        made[staff_no] = add_entry(contest, staff(staff_no), group=group, status=status)
    return made


def listed(api: Api, competition: dict, **params) -> dict:
    response = api.get(f"/competitions/{competition['id']}/entries", **params)
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_json()
    assert set(page) == {"items", "total", "page", "per_page"}
    return page


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("org", {"00123", "00200", "00201", "H001", "H002"}),
        ("zju_admin", {"00123", "00200", "00201"}),
        ("hzu_admin", {"H001", "H002"}),
        ("zju_staff", {"00123"}),
        ("zju_staff2", {"00200"}),
        ("hzu_staff", {"H001"}),
        ("zju_judge", set()),
    ],
)
def test_entry_list_is_scoped(login, contest, entries, username, expected):
    page = listed(login(username), contest)
    assert {item["staff_no"] for item in page["items"]} == expected
    assert (page["total"], page["page"], page["per_page"]) == (len(expected), 1, 50)


def test_entry_items_carry_the_api_fields(org, contest, entries):
    items = {item["staff_no"]: item for item in listed(org, contest)["items"]}
    row = entry(entries["00201"])
    assert items["00201"] == {
        "id": entries["00201"],
        "competition_id": contest["id"],
        "group_id": contest["groups"][0]["id"],
        "staff_no": "00201",
        "name": "吴老师",
        "university": "ZJU",
        "department": "计算机学院",
        "status": "rejected",
        "draw_no": None,
        "reason": None,
        "created_at": row.created_at.isoformat() + "Z",
    }
    assert items["H001"]["university"] == "HZU" and items["H001"]["name"] == "赵老师"
    assert all(set(item) >= ENTRY_FIELDS for item in items.values())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"group_id": 0}, {"00123", "00201", "H001"}),
        ({"group_id": 1}, {"00200", "H002"}),
        ({"status": "pending"}, {"00123", "H001"}),
        ({"status": "approved"}, {"00200"}),
        ({"status": "withdrawn"}, {"H002"}),
        ({"group_id": 0, "status": "pending"}, {"00123", "H001"}),
        ({"group_id": 1, "status": "rejected"}, set()),
        ({"university": "HZU"}, {"H001", "H002"}),
    ],
)
def test_entry_list_filters(org, contest, entries, params, expected):
    if "group_id" in params:
        params = {**params, "group_id": contest["groups"][params["group_id"]]["id"]}
    page = listed(org, contest, **params)
    assert {item["staff_no"] for item in page["items"]} == expected
    assert page["total"] == len(expected)


def test_entry_list_filters_within_the_scope(login, contest, entries):
    page = listed(login("zju_admin"), contest, status="pending")
    assert [item["staff_no"] for item in page["items"]] == ["00123"]


def test_entry_list_pages(org, contest, entries):
    everything = listed(org, contest, per_page=500)["items"]
    assert len(everything) == 5
    pages = [listed(org, contest, per_page=2, page=p) for p in (1, 2, 3, 4)]
    assert [p["total"] for p in pages] == [5] * 4
    assert [p["per_page"] for p in pages] == [2] * 4 and [p["page"] for p in pages] == [1, 2, 3, 4]
    assert [item for p in pages for item in p["items"]] == everything
    assert pages[3]["items"] == []


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"status": "cancelled"}, 422, "validation_failed"),
        ({"group_id": "first"}, 400, "bad_request"),
        ({"page": 0}, 400, "bad_request"),
        ({"per_page": 501}, 400, "bad_request"),
        ({"group_id": 10**20}, 400, "bad_request"),
    ],
)
def test_entry_list_refuses_malformed_parameters(org, contest, entries, params, status, code):
    check_error(org.get(f"/competitions/{contest['id']}/entries", **params), status, code)


def test_entries_of_a_competition_out_of_scope_are_404(login, people):
    hzu_contest = addressed(
        make_competition(
            by="hzu_admin",
            **AGE_LIMIT,
            level="school",
            university="HZU",
            name="HZU 2026年教学竞赛",
            quota_per_university=None,
        )
    )
    check_error(login("zju_admin").get(f"/competitions/{hzu_contest['id']}/entries"), 404, "not_found")
    check_error(login("zju_staff").get(f"/competitions/{hzu_contest['id']}/entries"), 404, "not_found")
    assert listed(login("hzu_staff"), hzu_contest)["total"] == 0


# --- approve, reject, withdraw ------------------------------------------------------------------------------


def test_admin_approves_a_pending_entry(login, contest, entries):
    response = login("zju_admin").post(f"/entries/{entries['00123']}/approve")
    assert response.status_code == 200, response.get_data(as_text=True)
    got = response.get_json()
    assert (got["id"], got["status"], got["staff_no"]) == (entries["00123"], "approved", "00123")
    row = entry(entries["00123"])
    assert (row.status, row.decided_by_id) == ("approved", user_id("zju_admin"))
    assert row.approved_at is not None and row.decided_at is not None
    [audit] = audit_rows("entry.approve")
    assert (audit.username, audit.object_id) == ("zju_admin", str(entries["00123"]))


def test_organizer_approves_any_entry(org, contest, entries):
    assert org.post(f"/entries/{entries['H001']}/approve").get_json()["status"] == "approved"


def test_admin_rejects_with_a_reason(login, contest, entries):
    admin = login("zju_admin")
    response = admin.post(f"/entries/{entries['00123']}/reject", {"reason": "  请报名理科组  "})
    assert response.status_code == 200
    got = response.get_json()
    assert (got["status"], got["reason"]) == ("rejected", "请报名理科组")
    assert entry(entries["00123"]).reason == "请报名理科组"
    [audit] = audit_rows("entry.reject")
    assert audit.details["reason"] == "请报名理科组"
    # An approved entry (not yet drawn) can be rejected too, and loses its approval.
    response = admin.post(f"/entries/{entries['00200']}/reject", {"reason": "名额调整"})
    assert response.status_code == 200
    assert (entry(entries["00200"]).status, entry(entries["00200"]).approved_at) == ("rejected", None)


@pytest.mark.parametrize(
    "payload", [{}, {"reason": ""}, {"reason": "   "}, {"reason": 5}, {"reason": "长" * 501}]
)
def test_reject_needs_a_reason(login, contest, entries, payload):
    error = check_error(
        login("zju_admin").post(f"/entries/{entries['00123']}/reject", payload), 422, "validation_failed"
    )
    assert [d["field"] for d in error["details"]] == ["reason"]
    assert entry(entries["00123"]).status == "pending"
    assert audit_rows("entry.reject") == []


@pytest.mark.parametrize(
    ("action", "staff_no"),
    [
        ("approve", "00200"),  # approved already
        ("approve", "00201"),  # rejected
        ("approve", "H002"),  # withdrawn
        ("reject", "00201"),
        ("reject", "H002"),
        ("withdraw", "00201"),
        ("withdraw", "H002"),
    ],
)
def test_a_decision_in_the_wrong_state_is_409(org, contest, entries, action, staff_no):
    before = entry(entries[staff_no]).status
    response = org.post(f"/entries/{entries[staff_no]}/{action}", {"reason": "原因"})
    check_error(response, 409, "wrong_state")
    assert entry(entries[staff_no]).status == before


def test_the_entrant_withdraws_while_registration_is_open(login, contest, entries):
    response = login("zju_staff").post(f"/entries/{entries['00123']}/withdraw")
    assert response.status_code == 200
    assert response.get_json()["status"] == "withdrawn"
    assert entry(entries["00123"]).status == "withdrawn"
    [audit] = audit_rows("entry.withdraw")
    assert audit.username == "zju_staff"
    # An approved entry may be withdrawn too, by its university's admin.
    assert (
        login("zju_admin").post(f"/entries/{entries['00200']}/withdraw").get_json()["status"] == "withdrawn"
    )


def test_no_withdrawal_after_registration_closed(login, contest, entries):
    set_status(contest["id"], "registration_closed")
    check_error(login("zju_staff").post(f"/entries/{entries['00123']}/withdraw"), 409, "wrong_state")
    assert entry(entries["00123"]).status == "pending"


def test_no_withdrawal_once_the_window_has_passed(org, login, people):
    competition = addressed(
        make_competition(
            **AGE_LIMIT,
            quota_per_university=3,
            registration_opens=in_days(-9),
            registration_closes=in_days(-1 / 24),
        )
    )
    entry_id = add_entry(competition, staff("00123"))
    check_error(login("zju_staff").post(f"/entries/{entry_id}/withdraw"), 409, "wrong_state")


@pytest.mark.parametrize("status", ["scoring", "published"])
def test_no_decisions_once_scoring_started(org, contest, entries, status):
    set_status(contest["id"], status)
    check_error(org.post(f"/entries/{entries['00123']}/approve"), 409, "wrong_state")
    check_error(org.post(f"/entries/{entries['00123']}/reject", {"reason": "迟了"}), 409, "wrong_state")
    assert entry(entries["00123"]).status == "pending"


def test_approval_after_closing_is_still_possible(org, contest, entries):
    set_status(contest["id"], "registration_closed")
    assert org.post(f"/entries/{entries['00123']}/approve").get_json()["status"] == "approved"


def test_admin_approves_within_the_quota_and_is_refused_beyond_it(org, login, people, make):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=2))
    admin = login("zju_admin")
    ids = [
        check_registered(register(admin, competition, university="ZJU", staff_no=n))["id"]
        for n in ("00123", "00200", "00201")
    ]
    hzu = check_registered(register(org, competition, university="HZU", staff_no="H001"))
    for entry_id in ids[:2]:
        assert admin.post(f"/entries/{entry_id}/approve").status_code == 200
    response = admin.post(f"/entries/{ids[2]}/approve", **{"Accept-Language": "en"})
    [detail] = check_error(response, 422, "not_eligible")["details"]
    assert detail == {"field": "quota", "message": "The university's quota of 2 entries is full."}
    assert entry(ids[2]).status == "pending"
    assert len(audit_rows("entry.approve")) == 2
    # The organizer is held to the quota as well; another university is not.
    assert refusal_fields(org.post(f"/entries/{ids[2]}/approve")) == ["quota"]
    assert org.post(f"/entries/{hzu['id']}/approve").status_code == 200
    # A withdrawal frees a place.
    assert admin.post(f"/entries/{ids[0]}/withdraw").status_code == 200
    assert admin.post(f"/entries/{ids[2]}/approve").status_code == 200


@pytest.mark.parametrize(
    ("username", "staff_no", "action", "status"),
    [
        ("hzu_admin", "00123", "approve", 404),
        ("hzu_admin", "00123", "reject", 404),
        ("hzu_admin", "00123", "withdraw", 404),
        ("zju_judge", "00123", "approve", 404),
        ("zju_staff", "H001", "approve", 404),  # someone else's entry is out of the staff member's scope
        ("zju_staff2", "00123", "withdraw", 404),
        ("zju_staff", "00123", "approve", 403),  # their own entry: seen, but not theirs to decide
        ("zju_staff", "00123", "reject", 403),
    ],
)
def test_who_may_decide(login, contest, entries, username, staff_no, action, status):
    response = login(username).post(f"/entries/{entries[staff_no]}/{action}", {"reason": "原因"})
    check_error(response, status, {403: "forbidden", 404: "not_found"}[status])
    assert entry(entries[staff_no]).status == "pending"


def test_unknown_entry_is_404(org, contest):
    for action in ("approve", "reject", "withdraw"):
        check_error(org.post(f"/entries/999999/{action}", {"reason": "x"}), 404, "not_found")
        check_error(org.post(f"/entries/{10**20}/{action}", {"reason": "x"}), 404, "not_found")


# --- the draw -----------------------------------------------------------------------------------------------


@pytest.fixture
def closed(org, world, make):
    """Registration closed; group 0: 6 approved, 1 pending, 1 rejected, 1 withdrawn; group 1: 3 approved."""
    competition = addressed(
        make_competition(status="registration_closed", **AGE_LIMIT, quota_per_university=None)
    )
    made = {"approved": {0: [], 1: []}, "other": []}
    for i in range(9):
        university = world["zju"] if i % 2 else world["hzu"]
        member = make.staff(university, f"D{i:03d}", f"参赛者{i}")
        made["approved"][0 if i < 6 else 1].append(
            add_entry(competition, member, group=0 if i < 6 else 1, status="approved")
        )
    for i, status in enumerate(("pending", "rejected", "withdrawn")):
        member = make.staff(world["zju"], f"X{i:03d}", f"未通过{i}")
        made["other"].append(add_entry(competition, member, status=status))
    competition["entries"] = made
    return competition


def draw_numbers(competition: dict) -> dict[int, int | None]:
    db.session.rollback()
    rows = db.session.execute(
        select(Entry.id, Entry.draw_no).where(Entry.competition_id == competition["id"])
    )
    return {entry_id: draw_no for entry_id, draw_no in rows}


def test_the_draw_numbers_every_approved_entry_once_per_group(org, closed):
    response = org.post(f"/competitions/{closed['id']}/draw", {"seed": 20261125})
    assert response.status_code == 200, response.get_data(as_text=True)
    got = response.get_json()
    assert set(got) == {"seed", "items"} and got["seed"] == 20261125
    assert all(set(item) == {"entry_id", "group_id", "draw_no"} for item in got["items"])
    groups = [g["id"] for g in closed["groups"]]
    for index, group_id in enumerate(groups):
        items = [i for i in got["items"] if i["group_id"] == group_id]
        assert sorted(i["entry_id"] for i in items) == sorted(closed["entries"]["approved"][index])
        assert sorted(i["draw_no"] for i in items) == list(range(1, len(items) + 1))
        # Reproducible by anyone from the seed and the entries.
        assert {i["entry_id"]: i["draw_no"] for i in items} == draw_order(
            closed["entries"]["approved"][index], 20261125
        )
    numbers = draw_numbers(closed)
    assert {i["entry_id"]: i["draw_no"] for i in got["items"]} == {k: v for k, v in numbers.items() if v}
    assert all(numbers[entry_id] is None for entry_id in closed["entries"]["other"])
    # The entry list shows the numbers.
    listed_numbers = {i["id"]: i["draw_no"] for i in listed(org, closed, per_page=100)["items"]}
    assert listed_numbers == numbers

    records = db.session.scalars(select(DrawRecord).order_by(DrawRecord.group_id)).all()
    assert [(r.group_id, r.seed) for r in records] == [(g, 20261125) for g in sorted(groups)]
    assert {int(k): v for r in records for k, v in r.result.items()} == {
        i["entry_id"]: i["draw_no"] for i in got["items"]
    }
    [audit] = audit_rows("competition.draw")
    assert audit.details == {"seed": 20261125, "redraw": False, "entries": 9}


def test_the_same_seed_draws_alike_and_a_redraw_is_recorded(org, closed):
    first = org.post(f"/competitions/{closed['id']}/draw", {"seed": 7}).get_json()
    again = org.post(f"/competitions/{closed['id']}/draw", {"seed": 7}).get_json()
    assert again == first
    other = org.post(f"/competitions/{closed['id']}/draw", {"seed": 8}).get_json()
    assert other["seed"] == 8
    assert {i["entry_id"] for i in other["items"]} == {i["entry_id"] for i in first["items"]}
    assert other["items"] != first["items"]
    assert draw_numbers(closed) == {
        **dict.fromkeys(closed["entries"]["other"]),
        **{i["entry_id"]: i["draw_no"] for i in other["items"]},
    }
    assert [(a.details["seed"], a.details["redraw"]) for a in audit_rows("competition.draw")] == [
        (7, False),
        (7, True),
        (8, True),
    ]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(DrawRecord)) == 3 * 2


def test_a_draw_without_a_seed_chooses_and_reports_one(org, closed):
    response = org.post(f"/competitions/{closed['id']}/draw", {})
    seed = response.get_json()["seed"]
    assert isinstance(seed, int) and 0 <= seed < 2**31
    # Without a body at all, too.
    assert org.post(f"/competitions/{closed['id']}/draw").status_code == 200
    first = response.get_json()["items"]
    assert org.post(f"/competitions/{closed['id']}/draw", {"seed": seed}).get_json()["items"] == first


@pytest.mark.parametrize("seed", ["42", -1, 2**63, 1.5, True])
def test_a_malformed_seed_is_422(org, closed, seed):
    error = check_error(
        org.post(f"/competitions/{closed['id']}/draw", {"seed": seed}), 422, "validation_failed"
    )
    assert [d["field"] for d in error["details"]] == ["seed"]
    assert set(draw_numbers(closed).values()) == {None}


@pytest.mark.parametrize("payload", [[1], "seed", 42])
def test_a_draw_body_that_is_not_an_object_is_400(org, closed, payload):
    check_error(org.post(f"/competitions/{closed['id']}/draw", payload), 400, "bad_request")
    assert set(draw_numbers(closed).values()) == {None}


@pytest.mark.parametrize("status", ["draft", "registration_open", "scoring", "published"])
def test_the_draw_only_while_registration_is_closed(org, closed, status):
    set_status(closed["id"], status)
    check_error(org.post(f"/competitions/{closed['id']}/draw", {"seed": 1}), 409, "wrong_state")
    assert set(draw_numbers(closed).values()) == {None}
    assert audit_rows("competition.draw") == []


@pytest.mark.parametrize(
    ("username", "status"), [("zju_admin", 403), ("zju_staff", 403), ("zju_judge", 403), ("org", 200)]
)
def test_only_organizers_draw_a_provincial_contest(login, closed, username, status):
    response = login(username).post(f"/competitions/{closed['id']}/draw", {"seed": 1})
    assert response.status_code == status, response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "status"), [("zju_admin", 200), ("org", 200), ("hzu_admin", 404), ("zju_staff", 403)]
)
def test_a_school_contest_is_drawn_by_its_universitys_admin(login, people, username, status):
    competition = addressed(
        make_competition(
            status="registration_closed",
            by="zju_admin",
            **AGE_LIMIT,
            level="school",
            university="ZJU",
            name="ZJU 2026年教学竞赛",
            quota_per_university=None,
        )
    )
    entry_id = add_entry(competition, staff("00200"), status="approved")
    response = login(username).post(f"/competitions/{competition['id']}/draw", {"seed": 3})
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 200:
        assert response.get_json()["items"] == [
            {"entry_id": entry_id, "group_id": competition["groups"][0]["id"], "draw_no": 1}
        ]
        assert audit_rows("competition.draw")[0].username == username


def test_the_journey_of_issue_3(org, login, people, make):
    """The organizer opens a contest; a young teacher registers, an older one is refused; the admin approves
    within the quota; registration closes; the draw; scoring starts."""
    competition = create(org, body(quota_per_university=1))
    assert (
        org.post(f"/competitions/{competition['id']}/transition", {"to": "registration_open"}).status_code
        == 200
    )
    young = check_registered(register(login("zju_staff"), competition))
    make.staff(people["zju"], "Z950", "老教师", birth_date=date(1970, 3, 1))
    admin = login("zju_admin")
    assert refusal_fields(register(admin, competition, university="ZJU", staff_no="Z950")) == ["age"]
    second = check_registered(register(admin, competition, university="ZJU", staff_no="00200"))
    assert admin.post(f"/entries/{young['id']}/approve").status_code == 200
    assert refusal_fields(admin.post(f"/entries/{second['id']}/approve")) == ["quota"]
    assert admin.post(f"/entries/{second['id']}/reject", {"reason": "名额已满"}).status_code == 200
    assert (
        org.post(f"/competitions/{competition['id']}/transition", {"to": "registration_closed"}).status_code
        == 200
    )
    drawn = org.post(f"/competitions/{competition['id']}/draw", {"seed": 99}).get_json()
    assert drawn["items"] == [{"entry_id": young["id"], "group_id": young["group_id"], "draw_no": 1}]
    assert org.post(f"/competitions/{competition['id']}/transition", {"to": "scoring"}).status_code == 200
    mine = listed(login("zju_staff"), competition)["items"]
    assert [(i["id"], i["status"], i["draw_no"]) for i in mine] == [(young["id"], "approved", 1)]


# --- races (PostgreSQL) -------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_registering_twice_at_the_same_moment_makes_one_entry(app, postgresql, contest, attempt):
    tabs = [Api(app, "zju_staff"), Api(app, "zju_staff")]  # the same person in two browser tabs
    group_id = contest["groups"][0]["id"]
    path = f"/competitions/{contest['id']}/entries"
    responses = race(*(lambda tab=tab: tab.post(path, {"group_id": group_id}) for tab in tabs))
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([201, 422], [201, 201]), [r.get_data(as_text=True) for r in responses]
    if statuses == [201, 422]:
        loser = next(r for r in responses if r.status_code == 422)
        assert refusal_fields(loser) == ["duplicate"]
    else:  # both answered with the same entry
        assert responses[0].get_json()["id"] == responses[1].get_json()["id"]
    db.session.rollback()
    rows = db.session.scalars(select(Entry).where(Entry.competition_id == contest["id"])).all()
    assert len(rows) == 1 and rows[0].staff_id == staff("00123").id


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_two_approvals_racing_for_the_last_place(app, postgresql, org, people, attempt):
    competition = addressed(make_competition(**AGE_LIMIT, quota_per_university=1))
    first = add_entry(competition, staff("00123"))
    second = add_entry(competition, staff("00200"))
    admins = [Api(app, "zju_admin"), Api(app, "zju_admin")]
    responses = race(
        lambda: admins[0].post(f"/entries/{first}/approve"),
        lambda: admins[1].post(f"/entries/{second}/approve"),
    )
    assert sorted(r.status_code for r in responses) == [200, 422], [
        r.get_data(as_text=True) for r in responses
    ]
    assert refusal_fields(next(r for r in responses if r.status_code == 422)) == ["quota"]
    db.session.rollback()
    approved = db.session.scalar(
        select(func.count()).where(Entry.competition_id == competition["id"], Entry.status == "approved")
    )
    assert approved == 1
    assert len(audit_rows("entry.approve")) == 1
