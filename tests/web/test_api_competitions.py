"""The API's competitions: set-up and validation, scoping, editing drafts, copies, and the life cycle."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import (
    AuditLog,
    AwardLevel,
    Competition,
    CompetitionGroup,
    Criterion,
    Entry,
    Round,
    Staff,
)
from tests.builders import Api, competition_body, csrf_token, in_days
from tests.web.api_checks import check_error

STATUSES = ("draft", "registration_open", "registration_closed", "scoring", "published")
# The fields API.md names for a competition (the stored body plus id and status).
COMPETITION_FIELDS = {
    "id",
    "status",
    "name",
    "kind",
    "level",
    "university",
    "year",
    "eligible_categories",
    "max_age",
    "age_reference_date",
    "registration_opens",
    "registration_closes",
    "quota_per_university",
    "anonymous_judging",
    "groups",
    "rounds",
    "scoring",
    "awards",
}
DEFAULT_SCORING = {
    "trim_highest": 1,
    "trim_lowest": 1,
    "trim_min_judges": 5,
    "decimals": 2,
    "final": "weighted",
    "anomaly_threshold": 0.1,
    "tie_breakers": [],
}
DEFAULT_AWARDS = [("一等奖", 0.15), ("二等奖", 0.25), ("三等奖", 0.35)]


# --- helpers shared with test_api_entries -------------------------------------------------------------------

# The contest of these tests: the builders' one with an age limit, a quota of three and three weighted rounds.
CONTEST = {
    "max_age": 40,
    "age_reference_date": "2026-09-01",
    "quota_per_university": 3,
    "rounds": [
        {
            "name": "教学设计",
            "weight": 0.2,
            "criteria": [{"name": "教学目标", "max_score": 50}, {"name": "教学过程", "max_score": 50}],
        },
        {
            "name": "课堂教学",
            "weight": 0.75,
            "criteria": [
                {"name": "教学内容", "max_score": 30},
                {"name": "教学组织", "max_score": 30},
                {"name": "教学语言与教态", "max_score": 25.5},
                {"name": "教学特色", "max_score": 14.5},
            ],
        },
        {"name": "教学反思", "weight": 0.05, "criteria": [{"name": "反思深度", "max_score": 100}]},
    ],
}


def body(**over) -> dict:
    """A valid provincial young teachers' contest, open now for ten days, quota 3; ``over`` replaces keys."""
    return competition_body(**{**CONTEST, **over})


def school(code: str = "ZJU", **over) -> dict:
    """A valid school-level contest of ``code``, without a quota."""
    return body(
        **{
            "level": "school",
            "university": code,
            "name": f"{code} 2026年教学竞赛",
            "quota_per_university": None,
            **over,
        }
    )


def create(api: Api, data: dict | None = None) -> dict:
    response = api.post("/competitions", data if data is not None else body())
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def set_status(competition_id: int, status: str) -> None:
    """Put a competition in a state directly (arranging a test, not what is under test)."""
    db.session.rollback()
    db.session.get(Competition, competition_id).status = status
    db.session.commit()


def add_entry(
    competition: dict, staff: Staff, *, group: int = 0, status: str = "pending", draw_no=None
) -> int:
    """An entry row made directly, for arranging; returns its id."""
    db.session.rollback()
    entry = Entry(
        competition_id=competition["id"],
        group_id=competition["groups"][group]["id"],
        staff_id=staff.id,
        university_id=staff.university_id,
        status=status,
        draw_no=draw_no,
    )
    db.session.add(entry)
    db.session.commit()
    return entry.id


def audit_rows(action: str) -> list[AuditLog]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def stored(competition_id: int) -> Competition:
    db.session.rollback()
    return db.session.get(Competition, competition_id)


# --- create -------------------------------------------------------------------------------------------------


def test_organizer_creates_a_provincial_competition(org):
    sent = body()
    response = org.post("/competitions", sent)
    assert response.status_code == 201, response.get_data(as_text=True)
    got = response.get_json()

    assert set(got) >= COMPETITION_FIELDS
    assert isinstance(got["id"], int)
    assert got["status"] == "draft"
    for key in (
        "name",
        "kind",
        "level",
        "year",
        "eligible_categories",
        "max_age",
        "age_reference_date",
        "quota_per_university",
        "anonymous_judging",
    ):
        assert got[key] == sent[key], key
    assert got["university"] is None
    for key in ("registration_opens", "registration_closes"):
        assert datetime.fromisoformat(got[key]) == datetime.fromisoformat(sent[key])
    assert [g["name"] for g in got["groups"]] == ["文科组", "理科组"]
    assert all(isinstance(g["id"], int) for g in got["groups"])
    assert [(r["name"], r["weight"], r["mode"]) for r in got["rounds"]] == [
        ("教学设计", 0.2, "queue"),
        ("课堂教学", 0.75, "queue"),
        ("教学反思", 0.05, "queue"),
    ]
    assert [[(c["name"], c["max_score"]) for c in r["criteria"]] for r in got["rounds"]] == [
        [("教学目标", 50), ("教学过程", 50)],
        [("教学内容", 30), ("教学组织", 30), ("教学语言与教态", 25.5), ("教学特色", 14.5)],
        [("反思深度", 100)],
    ]
    ids = [r["id"] for r in got["rounds"]] + [c["id"] for r in got["rounds"] for c in r["criteria"]]
    assert all(isinstance(i, int) for i in ids) and len(set(ids[:3])) == 3
    # Omitted scoring and awards take the defaults of DESIGN.md.
    assert got["scoring"] == DEFAULT_SCORING
    assert [(a["name"], a["ratio"]) for a in got["awards"]] == DEFAULT_AWARDS
    assert all(isinstance(a["id"], int) for a in got["awards"])

    competition = stored(got["id"])
    assert (competition.status, competition.level, competition.university_id) == ("draft", "provincial", None)
    assert competition.registration_opens == datetime.fromisoformat(sent["registration_opens"]).replace(
        tzinfo=None
    )
    assert [r.weight for r in competition.rounds] == [Decimal("0.2"), Decimal("0.75"), Decimal("0.05")]
    assert sum((r.weight for r in competition.rounds), Decimal(0)) == 1
    assert [c.max_score for c in competition.rounds[1].criteria] == [30, 30, Decimal("25.5"), Decimal("14.5")]
    assert [(a.name, a.ratio) for a in competition.awards] == [
        ("一等奖", Decimal("0.15")),
        ("二等奖", Decimal("0.25")),
        ("三等奖", Decimal("0.35")),
    ]
    assert (competition.trim_highest, competition.trim_lowest, competition.trim_min_judges) == (1, 1, 5)
    assert (competition.decimals, competition.final_mode, competition.anomaly_threshold) == (
        2,
        "weighted",
        Decimal("0.1"),
    )
    assert (count(CompetitionGroup), count(Round), count(Criterion), count(AwardLevel)) == (2, 3, 7, 3)
    [row] = audit_rows("competition.create")
    assert (row.username, row.object_type, row.object_id) == ("org", "competition", str(got["id"]))
    assert row.details["name"] == "2026年青年教师教学竞赛"

    # What POST answered is what GET answers.
    assert org.get(f"/competitions/{got['id']}").get_json() == got


def test_given_scoring_and_awards_are_kept(org):
    scoring = {
        "trim_highest": 2,
        "trim_lowest": 2,
        "trim_min_judges": 7,
        "decimals": 3,
        "final": "last_round",
        "anomaly_threshold": 0.2,
        "tie_breakers": ["课堂教学", "教学反思"],
    }
    awards = [
        {"name": "一等奖", "ratio": 0.1},
        {"name": "二等奖", "ratio": 0.3},
        {"name": "优秀奖", "ratio": 0.6},
    ]
    got = create(org, body(scoring=scoring, awards=awards))
    assert got["scoring"] == scoring
    assert [(a["name"], a["ratio"]) for a in got["awards"]] == [
        ("一等奖", 0.1),
        ("二等奖", 0.3),
        ("优秀奖", 0.6),
    ]
    # A partial scoring object: the missing keys take their defaults.
    got = create(org, body(name="另一场", scoring={"decimals": 1}))
    assert got["scoring"] == {**DEFAULT_SCORING, "decimals": 1}
    # No awards at all is allowed when said so.
    got = create(org, body(name="无奖项", awards=[]))
    assert got["awards"] == []


def test_university_admin_creates_a_school_competition_of_their_own_university(login):
    admin = login("zju_admin")
    got = create(admin, school("ZJU"))
    assert (got["level"], got["university"], got["status"]) == ("school", "ZJU", "draft")
    assert stored(got["id"]).university.code == "ZJU"
    [row] = audit_rows("competition.create")
    assert row.username == "zju_admin" and row.university_id == stored(got["id"]).university_id


@pytest.mark.parametrize(
    ("username", "data"),
    [
        ("zju_admin", school("HZU")),
        ("zju_admin", body()),
        ("hzu_admin", school("ZJU")),
        ("zju_staff", school("ZJU")),
        ("zju_staff", body()),
        ("zju_judge", school("ZJU")),
        ("zju_judge", body()),
    ],
    ids=[
        "admin-other-school",
        "admin-provincial",
        "other-admin",
        "staff-school",
        "staff-prov",
        "judge-school",
        "judge-prov",
    ],
)
def test_who_may_not_create_gets_403(login, username, data):
    response = login(username).post("/competitions", data)
    check_error(response, 403, "forbidden")
    assert count(Competition) == 0
    assert audit_rows("competition.create") == []


def test_anonymous_gets_401(client, world):
    token = csrf_token(client)
    response = client.post("/api/v1/competitions", json=body(), headers={"X-CSRFToken": token})
    check_error(response, 401, "not_authenticated")
    check_error(client.get("/api/v1/competitions"), 401, "not_authenticated")


def test_school_competition_of_an_unknown_university_is_422(org):
    error = check_error(org.post("/competitions", school("NOPE")), 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == ["university"]
    assert count(Competition) == 0


def _rounds(*weights, max_score=100) -> list[dict]:
    return [
        {"name": f"第{i + 1}轮", "weight": w, "criteria": [{"name": "评分项", "max_score": max_score}]}
        for i, w in enumerate(weights)
    ]


INVALID = [
    ("weights-sum-0.95", {"rounds": _rounds(0.2, 0.7, 0.05)}, {"rounds"}),
    ("weights-sum-1.1", {"rounds": _rounds(0.5, 0.6)}, {"rounds"}),
    ("weight-zero", {"rounds": _rounds(0, 1)}, {"rounds[0].weight"}),
    ("max-score-zero", {"rounds": _rounds(1, max_score=0)}, {"rounds[0].criteria[0].max_score"}),
    ("max-score-negative", {"rounds": _rounds(1, max_score=-5)}, {"rounds[0].criteria[0].max_score"}),
    ("max-score-two-decimals", {"rounds": _rounds(1, max_score=9.25)}, {"rounds[0].criteria[0].max_score"}),
    ("no-group", {"groups": []}, {"groups"}),
    ("groups-missing", {"groups": None}, {"groups"}),
    ("group-without-name", {"groups": [{"name": "文科组"}, {"name": " "}]}, {"groups[1].name"}),
    ("duplicate-group", {"groups": [{"name": "文科组"}, {"name": "文科组"}]}, {"groups[1].name"}),
    ("no-round", {"rounds": []}, {"rounds"}),
    ("no-criterion", {"rounds": [{"name": "笔试", "weight": 1, "criteria": []}]}, {"rounds[0].criteria"}),
    (
        "closes-before-opens",
        {"registration_opens": in_days(5), "registration_closes": in_days(4)},
        {"registration_closes"},
    ),
    (
        "closes-when-opens",
        {"registration_opens": in_days(5), "registration_closes": in_days(5)},
        {"registration_closes"},
    ),
    (
        "ratios-over-1",
        {"awards": [{"name": "一等奖", "ratio": 0.5}, {"name": "二等奖", "ratio": 0.6}]},
        {"awards"},
    ),
    ("ratio-zero", {"awards": [{"name": "一等奖", "ratio": 0}]}, {"awards[0].ratio"}),
    ("ratio-negative", {"awards": [{"name": "一等奖", "ratio": -0.1}]}, {"awards[0].ratio"}),
    ("max-age-without-date", {"age_reference_date": None}, {"age_reference_date"}),
    ("school-without-university", {"level": "school"}, {"university"}),
    ("provincial-with-university", {"university": "ZJU"}, {"university"}),
    (
        "unknown-category",
        {"eligible_categories": ["teaching_research", "professor"]},
        {"eligible_categories[1]"},
    ),
    ("no-category", {"eligible_categories": []}, {"eligible_categories"}),
    ("unknown-kind", {"kind": "contest"}, {"kind"}),
    ("unknown-level", {"level": "national"}, {"level"}),
    (
        "weight-as-word",
        {"rounds": [{"name": "笔试", "weight": "heavy", "criteria": [{"name": "a", "max_score": 1}]}]},
        {"rounds[0].weight"},
    ),
    (
        "weight-as-bool",
        {"rounds": [{"name": "笔试", "weight": True, "criteria": [{"name": "a", "max_score": 1}]}]},
        {"rounds[0].weight"},
    ),
    ("max-score-as-word", {"rounds": _rounds(1, max_score="ten")}, {"rounds[0].criteria[0].max_score"}),
    ("year-as-word", {"year": "twenty"}, {"year"}),
    ("quota-as-list", {"quota_per_university": [3]}, {"quota_per_university"}),
    ("quota-zero", {"quota_per_university": 0}, {"quota_per_university"}),
    ("anonymous-as-text", {"anonymous_judging": "yes"}, {"anonymous_judging"}),
    ("opens-not-a-date", {"registration_opens": "tomorrow"}, {"registration_opens"}),
    ("groups-as-text", {"groups": "文科组"}, {"groups"}),
    ("max-age-too-low", {"max_age": 5}, {"max_age"}),
    ("decimals-too-many", {"scoring": {"decimals": 9}}, {"scoring.decimals"}),
    ("unknown-final", {"scoring": {"final": "median"}}, {"scoring.final"}),
    ("name-missing", {"name": ""}, {"name"}),
    # The columns keep four decimal places: five would be rounded (weights summing to 1 would no longer).
    ("weights-five-places", {"rounds": _rounds(0.33333, 0.66667)}, {"rounds[0].weight", "rounds[1].weight"}),
    ("ratio-five-places", {"awards": [{"name": "一等奖", "ratio": 0.15001}]}, {"awards[0].ratio"}),
    ("threshold-five-places", {"scoring": {"anomaly_threshold": 0.00001}}, {"scoring.anomaly_threshold"}),
    ("quota-beyond-the-column", {"quota_per_university": 10**12}, {"quota_per_university"}),
    ("several", {"name": None, "groups": [], "rounds": _rounds(0.5, 0.4)}, {"name", "groups", "rounds"}),
]


@pytest.mark.parametrize(
    ("over", "fields"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_invalid_competition_is_422_with_a_detail_per_field(org, over, fields):
    response = org.post("/competitions", body(**over))
    error = check_error(response, 422, "validation_failed")
    assert {d["field"] for d in error["details"]} == fields
    assert all(set(d) == {"field", "message"} and d["message"] for d in error["details"])
    assert count(Competition) == 0
    assert count(CompetitionGroup) == count(Round) == count(AwardLevel) == 0
    assert audit_rows("competition.create") == []


def test_validation_messages_say_what_is_wrong(org):
    response = org.post("/competitions", body(rounds=_rounds(0.2, 0.7, 0.05)), **{"Accept-Language": "en"})
    [detail] = check_error(response, 422, "validation_failed")["details"]
    assert detail == {
        "field": "rounds",
        "message": "The round weights add up to 0.95; they must add up to exactly 1.",
    }
    window = body(registration_opens=in_days(5), registration_closes=in_days(4))
    [detail] = check_error(
        org.post("/competitions", window, **{"Accept-Language": "en"}), 422, "validation_failed"
    )["details"]
    assert detail == {"field": "registration_closes", "message": "Registration must close after it opens."}


def test_more_decimal_places_than_stored_are_refused_in_words(org):
    response = org.post("/competitions", body(rounds=_rounds(0.33333, 0.66667)))
    error = check_error(response, 422, "validation_failed")
    assert error["details"] == [
        {"field": "rounds[0].weight", "message": "最多保留 4 位小数。"},
        {"field": "rounds[1].weight", "message": "最多保留 4 位小数。"},
    ]
    response = org.post("/competitions", body(quota_per_university=10**12), **{"Accept-Language": "en"})
    [detail] = check_error(response, 422, "validation_failed")["details"]
    assert detail == {"field": "quota_per_university", "message": "Must be between 1 and 100000."}


def test_four_decimal_places_are_kept_exactly(org):
    got = create(
        org,
        body(
            rounds=_rounds(0.3333, 0.6667),
            awards=[{"name": "一等奖", "ratio": 0.1234}],
            scoring={"anomaly_threshold": 0.0525},
        ),
    )
    assert [r["weight"] for r in got["rounds"]] == [0.3333, 0.6667]
    assert (got["awards"][0]["ratio"], got["scoring"]["anomaly_threshold"]) == (0.1234, 0.0525)
    assert sum((r.weight for r in stored(got["id"]).rounds), Decimal(0)) == 1


def test_a_body_that_is_not_an_object_is_400(org):
    check_error(org.post("/competitions", [body()]), 400, "bad_request")
    assert count(Competition) == 0


# --- list and detail ----------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(org, login):
    """Five competitions: two provincial (2026 teaching, 2025 drill), and school ones of ZJU (2) and HZU."""
    made = {
        "prov": create(org, body()),
        "prov_2025": create(
            org,
            body(
                name="2025年行政后勤岗位练兵",
                kind="drill",
                year=2025,
                max_age=None,
                age_reference_date=None,
                eligible_categories=["admin_logistics"],
            ),
        ),
        "zju": create(login("zju_admin"), school("ZJU")),
        "zju_drill": create(org, school("ZJU", name="ZJU 公文写作练兵", kind="drill", max_age=None)),
        "hzu": create(login("hzu_admin"), school("HZU")),
    }
    return {key: c["id"] for key, c in made.items()}


@pytest.fixture
def announced(catalogue):
    """The catalogue with registration open: drafts are seen only by those who run them."""
    for competition_id in catalogue.values():
        set_status(competition_id, "registration_open")
    return catalogue


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("org", {"prov", "zju", "hzu"}),
        ("zju_admin", {"zju"}),
        ("hzu_admin", {"hzu"}),
        ("zju_staff", set()),
        ("zju_judge", set()),
    ],
)
def test_drafts_are_seen_only_by_those_who_run_them(org, login, username, expected):
    drafts = {
        "prov": create(org, body())["id"],
        "zju": create(login("zju_admin"), school("ZJU"))["id"],
        "hzu": create(login("hzu_admin"), school("HZU"))["id"],
    }
    api = login(username)
    assert sorted(c["id"] for c in api.get("/competitions").get_json()) == sorted(drafts[k] for k in expected)
    for key, competition_id in drafts.items():
        assert api.get(f"/competitions/{competition_id}").status_code == (200 if key in expected else 404)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("org", {"prov", "prov_2025", "zju", "zju_drill", "hzu"}),
        ("zju_admin", {"prov", "prov_2025", "zju", "zju_drill"}),
        ("hzu_admin", {"prov", "prov_2025", "hzu"}),
        ("zju_staff", {"prov", "prov_2025", "zju", "zju_drill"}),
        ("zju_judge", {"prov", "prov_2025", "zju", "zju_drill"}),
    ],
)
def test_list_is_scoped(login, announced, username, expected):
    response = login(username).get("/competitions")
    assert response.status_code == 200
    items = response.get_json()
    assert sorted(c["id"] for c in items) == sorted(announced[k] for k in expected)
    assert all(set(c) >= COMPETITION_FIELDS for c in items)


@pytest.mark.parametrize(
    ("username", "params", "expected"),
    [
        ("org", {"year": 2025}, {"prov_2025"}),
        ("org", {"year": 2026}, {"prov", "zju", "zju_drill", "hzu"}),
        ("org", {"level": "provincial"}, {"prov", "prov_2025"}),
        ("org", {"level": "school"}, {"zju", "zju_drill", "hzu"}),
        ("org", {"kind": "drill"}, {"prov_2025", "zju_drill"}),
        ("org", {"university": "HZU"}, {"hzu"}),
        ("org", {"university": "ZJU", "kind": "teaching"}, {"zju"}),
        ("org", {"year": 2026, "level": "provincial", "kind": "teaching"}, {"prov"}),
        ("org", {"university": "NOPE"}, set()),
        ("zju_staff", {"level": "school"}, {"zju", "zju_drill"}),
        ("zju_staff", {"university": "HZU"}, set()),  # a filter never widens the scope
        ("hzu_admin", {"kind": "teaching"}, {"prov", "hzu"}),
    ],
)
def test_list_filters(login, announced, username, params, expected):
    catalogue = announced
    response = login(username).get("/competitions", **params)
    assert response.status_code == 200
    assert {c["id"] for c in response.get_json()} == {catalogue[k] for k in expected}


def test_a_malformed_year_filter_is_400(login, catalogue):
    check_error(login("org").get("/competitions", year="next"), 400, "bad_request")


def test_detail_shape(org):
    created = create(
        org,
        body(
            rounds=[
                {"name": "笔试", "weight": 0.4, "criteria": [{"name": "岗位知识", "max_score": 100}]},
                {
                    "name": "实操",
                    "weight": 0.6,
                    "mode": "live",
                    "criteria": [
                        {"name": "操作规范", "max_score": 60},
                        {"name": "完成质量", "max_score": 40},
                    ],
                },
            ]
        ),
    )
    got = org.get(f"/competitions/{created['id']}").get_json()
    assert got["status"] == "draft"
    assert [set(g) for g in got["groups"]] == [{"id", "name"}] * 2
    assert [g["name"] for g in got["groups"]] == ["文科组", "理科组"]
    [written, practical] = got["rounds"]
    assert {"id", "name", "weight", "mode", "criteria"} <= set(written)
    assert (written["name"], written["weight"], written["mode"]) == ("笔试", 0.4, "queue")
    assert (practical["name"], practical["weight"], practical["mode"]) == ("实操", 0.6, "live")
    assert all({"id", "name", "max_score"} <= set(c) for c in written["criteria"] + practical["criteria"])
    assert [(c["name"], c["max_score"]) for c in practical["criteria"]] == [
        ("操作规范", 60),
        ("完成质量", 40),
    ]
    db.session.rollback()
    assert [
        g.id for g in db.session.scalars(select(CompetitionGroup).order_by(CompetitionGroup.position))
    ] == [g["id"] for g in got["groups"]]
    criteria = db.session.scalars(select(Criterion).where(Criterion.round_id == practical["id"])).all()
    assert sorted(c.id for c in criteria) == sorted(c["id"] for c in practical["criteria"])


@pytest.mark.parametrize(
    ("username", "key", "status"),
    [
        ("zju_staff", "hzu", 404),
        ("zju_admin", "hzu", 404),
        ("zju_judge", "hzu", 404),
        ("hzu_admin", "zju", 404),
        ("zju_staff", "zju", 200),
        ("hzu_admin", "hzu", 200),
        ("zju_staff", "prov", 200),
        ("org", "hzu", 200),
    ],
)
def test_detail_out_of_scope_is_404(login, announced, username, key, status):
    catalogue = announced
    response = login(username).get(f"/competitions/{catalogue[key]}")
    if status == 404:
        check_error(response, 404, "not_found")
    else:
        assert response.status_code == 200 and response.get_json()["id"] == catalogue[key]


def test_unknown_competition_is_404(org):
    check_error(org.get("/competitions/999999"), 404, "not_found")
    check_error(org.get(f"/competitions/{10**20}"), 404, "not_found")  # beyond the id column: still a 404
    check_error(org.get("/competitions", year=10**20), 400, "bad_request")


# --- edit a draft -------------------------------------------------------------------------------------------


def test_put_replaces_a_draft(org):
    created = create(org)
    new = body(
        name="2026年青年教师教学竞赛（修订）",
        quota_per_university=5,
        groups=[{"name": "文科组"}, {"name": "理科组"}, {"name": "工科组"}],
        rounds=[{"name": "课堂教学", "weight": 1, "criteria": [{"name": "教学内容", "max_score": 75}]}],
        awards=[{"name": "一等奖", "ratio": 0.2}],
    )
    response = org.put(f"/competitions/{created['id']}", new)
    assert response.status_code == 200, response.get_data(as_text=True)
    got = response.get_json()
    assert got["id"] == created["id"] and got["status"] == "draft"
    assert (got["name"], got["quota_per_university"]) == ("2026年青年教师教学竞赛（修订）", 5)
    assert [g["name"] for g in got["groups"]] == ["文科组", "理科组", "工科组"]
    assert [
        (r["name"], r["weight"], [(c["name"], c["max_score"]) for c in r["criteria"]]) for r in got["rounds"]
    ] == [("课堂教学", 1, [("教学内容", 75)])]
    assert [(a["name"], a["ratio"]) for a in got["awards"]] == [("一等奖", 0.2)]
    # A full replacement: the old rows are gone, not kept beside the new ones.
    assert (
        count(Competition),
        count(CompetitionGroup),
        count(Round),
        count(Criterion),
        count(AwardLevel),
    ) == (
        1,
        3,
        1,
        1,
        1,
    )
    assert org.get(f"/competitions/{created['id']}").get_json() == got
    [row] = audit_rows("competition.update")
    assert (row.username, row.object_id) == ("org", str(created["id"]))


def test_put_with_an_invalid_body_changes_nothing(org):
    created = create(org)
    error = check_error(org.put(f"/competitions/{created['id']}", body(groups=[])), 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == ["groups"]
    assert org.get(f"/competitions/{created['id']}").get_json() == created
    assert audit_rows("competition.update") == []


@pytest.mark.parametrize("status", STATUSES[1:])
def test_put_after_the_draft_is_409_not_editable(org, status):
    created = create(org)
    set_status(created["id"], status)
    check_error(org.put(f"/competitions/{created['id']}", body(name="改名")), 409, "not_editable")
    assert stored(created["id"]).name == "2026年青年教师教学竞赛"
    assert count(Round) == 3


@pytest.mark.parametrize(
    ("username", "key", "status"),
    [
        ("zju_admin", "prov", 404),  # a draft is seen only by those who run it
        ("zju_staff", "zju", 404),
        ("hzu_admin", "zju", 404),
        ("zju_admin", "zju", 200),
    ],
)
def test_who_may_edit(login, catalogue, username, key, status):
    data = body(name="改名") if key == "prov" else school("ZJU", name="改名")
    response = login(username).put(f"/competitions/{catalogue[key]}", data)
    assert response.status_code == status, response.get_data(as_text=True)
    assert (stored(catalogue[key]).name == "改名") is (status == 200)


def test_a_university_admin_cannot_turn_their_draft_provincial(login, catalogue):
    response = login("zju_admin").put(f"/competitions/{catalogue['zju']}", body())
    check_error(response, 403, "forbidden")
    assert stored(catalogue["zju"]).level == "school"


# --- copy ---------------------------------------------------------------------------------------------------


def test_copy_makes_next_years_draft(org):
    source = create(org, body(awards=[{"name": "一等奖", "ratio": 0.1}], scoring={"decimals": 1}))
    set_status(source["id"], "published")
    response = org.post(f"/competitions/{source['id']}/copy", {"year": 2027})
    assert response.status_code == 201, response.get_data(as_text=True)
    copy = response.get_json()
    assert copy["id"] != source["id"]
    assert (copy["status"], copy["year"], copy["name"]) == ("draft", 2027, "2027年青年教师教学竞赛")
    assert copy["age_reference_date"] == "2027-09-01"
    for key in ("registration_opens", "registration_closes"):
        before, after = datetime.fromisoformat(source[key]), datetime.fromisoformat(copy[key])
        assert after == before.replace(year=before.year + 1), key

    def rubric(c):
        return [
            (r["name"], r["weight"], r["mode"], [(x["name"], x["max_score"]) for x in r["criteria"]])
            for r in c["rounds"]
        ]

    assert rubric(copy) == rubric(source)
    assert [g["name"] for g in copy["groups"]] == [g["name"] for g in source["groups"]]
    assert {g["id"] for g in copy["groups"]}.isdisjoint(g["id"] for g in source["groups"])
    for key in (
        "kind",
        "level",
        "eligible_categories",
        "max_age",
        "quota_per_university",
        "anonymous_judging",
        "scoring",
    ):
        assert copy[key] == source[key], key
    assert [(a["name"], a["ratio"]) for a in copy["awards"]] == [("一等奖", 0.1)]
    assert stored(copy["id"]).copied_from_id == source["id"]
    assert stored(source["id"]).status == "published"  # the original is untouched
    [_, row] = audit_rows("competition.create")
    assert row.details["copied_from"] == source["id"]


def test_copy_needs_a_year_and_the_right_to_create(login, catalogue):
    org = login("org")
    error = check_error(org.post(f"/competitions/{catalogue['prov']}/copy", {}), 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == ["year"]
    for year in ("2027", 1999, 2101, 10**6, -5):
        error = check_error(
            org.post(f"/competitions/{catalogue['prov']}/copy", {"year": year}), 422, "validation_failed"
        )
        assert [d["field"] for d in error["details"]] == ["year"]
    before = count(Competition)
    check_error(
        login("zju_admin").post(f"/competitions/{catalogue['prov']}/copy", {"year": 2027}), 404, "not_found"
    )
    check_error(
        login("hzu_admin").post(f"/competitions/{catalogue['zju']}/copy", {"year": 2027}), 404, "not_found"
    )
    assert count(Competition) == before
    # A university admin copies their own school's contest.
    response = login("zju_admin").post(f"/competitions/{catalogue['zju']}/copy", {"year": 2027})
    assert response.status_code == 201
    assert (response.get_json()["university"], response.get_json()["year"]) == ("ZJU", 2027)


# --- life cycle ---------------------------------------------------------------------------------------------


def test_the_whole_life_cycle(org):
    created = create(org)
    for status in STATUSES[1:]:
        response = org.post(f"/competitions/{created['id']}/transition", {"to": status})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["status"] == status
        assert response.get_json()["id"] == created["id"]
        assert org.get(f"/competitions/{created['id']}").get_json()["status"] == status
        assert stored(created["id"]).status == status
    rows = audit_rows("competition.transition")
    assert [(r.details["from"], r.details["to"]) for r in rows] == list(
        zip(STATUSES, STATUSES[1:], strict=False)
    )
    assert all(r.username == "org" and r.object_id == str(created["id"]) for r in rows)


NOT_NEXT = [
    (current, target) for i, current in enumerate(STATUSES) for j, target in enumerate(STATUSES) if j != i + 1
]


@pytest.mark.parametrize(("current", "target"), NOT_NEXT, ids=[f"{c}->{t}" for c, t in NOT_NEXT])
def test_skipping_or_going_back_is_409(org, current, target):
    created = create(org)
    set_status(created["id"], current)
    response = org.post(f"/competitions/{created['id']}/transition", {"to": target})
    check_error(response, 409, "invalid_transition")
    assert stored(created["id"]).status == current
    assert audit_rows("competition.transition") == []


def test_unknown_or_missing_target(org):
    created = create(org)
    check_error(
        org.post(f"/competitions/{created['id']}/transition", {"to": "archived"}), 409, "invalid_transition"
    )
    error = check_error(org.post(f"/competitions/{created['id']}/transition", {}), 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == ["to"]
    assert stored(created["id"]).status == "draft"


def test_scoring_needs_the_draw(org, world, make):
    created = create(org)
    set_status(created["id"], "registration_closed")
    teacher = db.session.scalar(select(Staff).where(Staff.staff_no == "00123"))
    add_entry(created, teacher, status="approved")
    add_entry(
        created, make.staff(world["hzu"], "H002", "钱老师"), status="pending"
    )  # pending: no draw needed
    check_error(org.post(f"/competitions/{created['id']}/transition", {"to": "scoring"}), 409, "draw_missing")
    assert stored(created["id"]).status == "registration_closed"
    assert org.post(f"/competitions/{created['id']}/draw", {"seed": 1}).status_code == 200
    response = org.post(f"/competitions/{created['id']}/transition", {"to": "scoring"})
    assert response.status_code == 200 and response.get_json()["status"] == "scoring"


def test_scoring_without_any_entry_is_allowed(org):
    created = create(org)
    set_status(created["id"], "registration_closed")
    assert org.post(f"/competitions/{created['id']}/transition", {"to": "scoring"}).status_code == 200


@pytest.mark.parametrize(
    ("username", "key", "status"),
    [
        ("zju_admin", "prov", 404),  # drafts are invisible to those who do not run them
        ("zju_staff", "prov", 404),
        ("zju_judge", "prov", 404),
        ("zju_staff", "zju", 404),
        ("hzu_admin", "zju", 404),
        ("zju_admin", "zju", 200),
        ("org", "hzu", 200),
    ],
)
def test_only_managers_move_a_competition(login, catalogue, username, key, status):
    response = login(username).post(f"/competitions/{catalogue[key]}/transition", {"to": "registration_open"})
    assert response.status_code == status, response.get_data(as_text=True)
    assert stored(catalogue[key]).status == ("registration_open" if status == 200 else "draft")
    assert len(audit_rows("competition.transition")) == (status == 200)


def test_registration_window_is_stored_in_utc(org):
    """A naive datetime is local time (Asia/Shanghai, UTC+8); an aware one keeps its instant."""
    got = create(
        org, body(registration_opens="2026-03-01T09:00", registration_closes="2026-03-20T17:00+08:00")
    )
    assert datetime.fromisoformat(got["registration_opens"]) == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
    assert datetime.fromisoformat(got["registration_closes"]) == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    competition = stored(got["id"])
    assert competition.registration_opens == datetime(2026, 3, 1, 1, 0)
    assert competition.age_reference_date == date(2026, 9, 1)
