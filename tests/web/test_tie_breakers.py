"""Tie-breakers (DESIGN.md §2): round names kept with the competition, returned by the API, set in the form,
told on the detail page, copied with the competition, and used by the results to separate equal finals."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from competition.extensions import db
from competition.models import Competition
from tests.builders import (
    competition_body,
    login_as,
    make_competition,
    make_judge,
    make_scoring_contest,
    make_sheet,
    staff,
    user,
)
from tests.web.api_checks import check_error
from tests.web.test_competition_pages import full_form


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# Values per round of RUBRIC (教学设计 40 + 60, weight 0.2; 课堂教学 30 + 30 + 25.5 + 14.5, weight 0.8):
# 1号 100 and 50 → 20 + 40 = 60; 2号 60 and 60 → 12 + 48 = 60. Equal finals; 2号 is better in 课堂教学,
# 1号 in 教学设计.
SHEETS = {0: ([40, 60], [15, 15, 10, 10]), 1: ([20, 40], [20, 20, 10, 10])}


def scored_contest(world, tie_breakers: list[str]):
    """The web conftest's contest with ``tie_breakers``, every expected sheet submitted."""
    make_judge("judge_zju", world["zju"])
    make_judge("judge_hzu", world["hzu"])
    make_judge("expert")
    competition, entries = make_scoring_contest(
        [staff("00123"), staff("H001")],
        judges={"judge_zju": [0], "judge_hzu": [0], "expert": [0]},
        scoring={"tie_breakers": tie_breakers},
    )
    design, lesson = competition.rounds
    for n, entry in enumerate(entries):
        for judge in ("judge_hzu" if n == 0 else "judge_zju", "expert"):  # each recused from their own
            for round_, values in zip((design, lesson), SHEETS[n], strict=True):
                make_sheet(user(judge), round_, entry, values, token=f"{judge}-{entry.id}-{round_.id}")
    return competition, entries


@pytest.mark.parametrize(
    ("tie_breakers", "ranks", "awards"),
    [
        ([], {1: 1, 2: 1}, {1: "二等奖", 2: "二等奖"}),
        (["课堂教学"], {2: 1, 1: 2}, {2: "二等奖", 1: "三等奖"}),
        (["教学设计"], {1: 1, 2: 2}, {1: "二等奖", 2: "三等奖"}),
        (["课堂教学", "教学设计"], {2: 1, 1: 2}, {2: "二等奖", 1: "三等奖"}),
    ],
)
def test_tie_breakers_are_stored_returned_and_separate_equal_finals(world, org, tie_breakers, ranks, awards):
    competition, _ = scored_contest(world, tie_breakers)
    assert db.session.get(Competition, competition.id).tie_breakers == tie_breakers
    got = org.get(f"/competitions/{competition.id}").get_json()
    assert got["scoring"]["tie_breakers"] == tie_breakers

    body = org.get(f"/competitions/{competition.id}/results", group_id=competition.groups[0].id).get_json()
    assert body["complete"] is True
    items = body["items"]
    assert [i["final_score"] for i in items] == [60, 60]
    assert [(i["draw_no"], i["rank"]) for i in items] == list(ranks.items())  # by rank, then draw number
    assert {i["draw_no"]: i["award"] for i in items} == awards
    # 2 ranked entries: c = half-up(0.15 × 2) = 0, half-up(0.40 × 2) = 1, half-up(0.75 × 2) = 2.


def test_a_school_admin_sets_tie_breakers_through_the_api_and_a_copy_keeps_them(login, world):
    admin = login("zju_admin")
    rounds = [
        {"name": "教学设计", "weight": 0.5, "criteria": [{"name": "设计", "max_score": 100}]},
        {"name": "课堂教学", "weight": 0.5, "criteria": [{"name": "教学", "max_score": 100}]},
    ]
    data = competition_body(
        level="school", university="ZJU", rounds=rounds, scoring={"tie_breakers": ["课堂教学", "教学设计"]}
    )
    created = admin.post("/competitions", data)
    assert created.status_code == 201, created.get_json()
    source = created.get_json()
    assert source["scoring"]["tie_breakers"] == ["课堂教学", "教学设计"]
    copy = admin.post(f"/competitions/{source['id']}/copy", {"year": 2027})
    assert copy.status_code == 201, copy.get_json()
    assert copy.get_json()["scoring"]["tie_breakers"] == ["课堂教学", "教学设计"]
    assert db.session.get(Competition, copy.get_json()["id"]).tie_breakers == ["课堂教学", "教学设计"]

    # Editing the draft replaces them (here: none).
    data["scoring"] = {"tie_breakers": []}
    edited = admin.put(f"/competitions/{source['id']}", data)
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["scoring"]["tie_breakers"] == []


@pytest.mark.parametrize(
    ("tie_breakers", "fields"),
    [
        (["说课"], ["scoring.tie_breakers[0]"]),
        (["课堂教学", "课堂教学"], ["scoring.tie_breakers[1]"]),
        ("课堂教学", ["scoring.tie_breakers"]),
        ([1], ["scoring.tie_breakers[0]"]),
    ],
)
def test_bad_tie_breakers_are_refused_with_their_path(org, tie_breakers, fields):
    response = org.post("/competitions", competition_body(scoring={"tie_breakers": tie_breakers}))
    error = check_error(response, 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == fields
    assert db.session.scalar(select(Competition.id)) is None


# --- the set-up form and the detail page --------------------------------------------------------------------


def test_the_form_stores_the_chosen_rounds_in_order_and_shows_them_again(client, world):
    token = login_as(client, "zju_admin")
    form = full_form(
        token,
        **{"scoring-tie_breakers-0": "实操", "scoring-tie_breakers-1": "", "scoring-tie_breakers-2": "笔试"},
    )
    response = client.post("/competitions/new?blank=1", data=form)
    assert response.status_code == 302, text_of(response)
    competition = db.session.scalar(select(Competition))
    assert competition.tie_breakers == ["实操", "笔试"]

    page = text_of(client.get(f"/competitions/{competition.id}/edit"))
    selects = re.findall(r'<select[^>]*name="(scoring-tie_breakers-\d)"[^>]*>(.*?)</select>', page, re.S)
    assert [name for name, _ in selects] == [f"scoring-tie_breakers-{i}" for i in range(3)]
    chosen = [re.findall(r'<option value="([^"]*)"\s*selected', options) for _, options in selects]
    assert chosen == [["实操"], ["笔试"], []]
    offered = re.findall(r'<option value="([^"]*)"', selects[2][1])
    assert offered == ["", "笔试", "实操"]

    detail = re.sub(r"\s+", " ", text_of(client.get(f"/competitions/{competition.id}?lang=en")))
    assert "Equal final scores: the higher score in 实操、笔试 ranks first, compared in this order;" in detail


def test_a_round_not_in_the_form_is_shown_at_its_select(client, world):
    token = login_as(client, "org")
    form = full_form(token, **{"scoring-tie_breakers-0": "笔试", "scoring-tie_breakers-1": "说课"})
    response = client.post("/competitions/new?blank=1&lang=en", data=form)
    page = text_of(response)
    assert response.status_code == 422
    assert db.session.scalar(select(Competition.id)) is None
    assert re.search(
        r'<select class="form-select is-invalid" id="f-scoring-tie_breakers-1"[^>]*>.*?'
        r'<option value="说课" selected>说课</option>\s*</select>\s*<div class="invalid-feedback d-block">',
        page,
        re.S,
    )
    assert '<details class="card shadow-sm mb-3 advanced" id="f-scoring" open>' in page
    assert re.search(r'href="#f-scoring-tie_breakers-1" class="alert-link">Scoring · Tie-breaker 2</a>', page)


def test_without_tie_breakers_the_detail_page_says_equal_scores_share_a_rank(client, world):
    competition = make_competition()
    login_as(client, "org")
    detail = text_of(client.get(f"/competitions/{competition.id}?lang=en"))
    assert 'data-testid="tie-breakers">Equal final scores share a rank.</span>' in detail
