"""The big screen's poll, GET /competitions/{id}/live (API.md, Results and live screen): who may read it, the
ETag and its 304 answered from one row without the ORM, what changes the ETag, the secret screen link and its
rotation, and nothing shown before the organizer reveals an entry."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event

from competition.extensions import db
from tests.builders import Api
from tests.web.api_checks import check_error
from tests.web.judging_checks import Anonymous
from tests.web.results_api_checks import LESSON, five_judge_contest, sheet_of, submit, unlock


@pytest.fixture
def contest(world, make):
    """The five-judge contest with every sheet but j5's of 1号 in 课堂教学."""
    contest = five_judge_contest(world, make)
    submit(contest, skip=(("j5", 1, LESSON),))
    return contest


def live_path(competition, group_id=None, token=None) -> str:
    path = f"/api/v1/competitions/{competition.id}/live?group_id={group_id or competition.groups[0].id}"
    return path + (f"&token={token}" if token is not None else "")


def link(api: Api, competition, group_id=None, *, rotate=False) -> str:
    """The group's screen token, from the screen link the organizer reads (or rotates)."""
    path = f"/competitions/{competition.id}/screen_link"
    group_id = group_id or competition.groups[0].id
    response = api.post(path + f"?group_id={group_id}") if rotate else api.get(path, group_id=group_id)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    url = urlsplit(body["url"])
    assert url.path == f"/results/{competition.id}/screen" and body["group_id"] == group_id
    query = parse_qs(url.query)
    assert query["group_id"] == [str(group_id)]
    return query["token"][0]


def stage(api: Api, contest, draw_no: int | None, screen: str, round_index: int = LESSON):
    competition, entries = contest
    body = {
        "group_id": competition.groups[0].id,
        "round_id": competition.rounds[round_index].id,
        "entry_id": entries[draw_no - 1].id if draw_no else None,
        "screen": screen,
    }
    response = api.post(f"/competitions/{competition.id}/stage", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def poll(client, competition, token, etag=None, group_id=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(live_path(competition, group_id, token), headers=headers)


# --- who may poll -------------------------------------------------------------------------------------------


def test_without_a_token_only_the_organizer_reads_the_screen(app, org, contest):
    competition, _entries = contest
    stage(org, contest, 1, "scoring")
    response = org.client.get(live_path(competition))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["screen"], body["group"], body["round"]) == ("scoring", "文科组", "课堂教学")
    assert (body["on_stage"]["draw_no"], body["on_stage"]["submitted"], body["on_stage"]["expected"]) == (
        1,
        4,
        5,
    )
    check_error(Anonymous(app).client.get(live_path(competition)), 401, "not_authenticated")
    for username in ("zju_staff", "j1", "zju_admin"):
        check_error(Api(app, username).client.get(live_path(competition)), 403, "forbidden")


def test_the_screen_link_is_the_organizers(app, org, contest):
    competition, _entries = contest
    token = link(org, competition)
    assert link(org, competition) == token  # stable until rotated
    for username in ("zju_staff", "zju_admin"):
        api = Api(app, username)
        path = f"/competitions/{competition.id}/screen_link"
        check_error(api.get(path, group_id=competition.groups[0].id), 403, "forbidden")
        check_error(api.post(path + f"?group_id={competition.groups[0].id}"), 403, "forbidden")
    anonymous = Anonymous(app)
    check_error(
        anonymous.get(f"/competitions/{competition.id}/screen_link", group_id=competition.groups[0].id),
        401,
        "not_authenticated",
    )
    assert link(org, competition) == token  # the refusals changed nothing


def test_a_token_opens_its_group_only_and_rotation_ends_the_old_one(app, org, contest):
    competition, _entries = contest
    first, second = competition.groups
    token_a, token_b = link(org, competition, first.id), link(org, competition, second.id)
    assert token_a != token_b
    kiosk = app.test_client()
    assert poll(kiosk, competition, token_a).status_code == 200
    assert poll(kiosk, competition, token_b, group_id=second.id).status_code == 200
    check_error(poll(kiosk, competition, token_a, group_id=second.id), 403, "forbidden")
    check_error(poll(kiosk, competition, "not-the-token"), 403, "forbidden")
    check_error(poll(kiosk, competition, ""), 403, "forbidden")
    rotated = link(org, competition, first.id, rotate=True)
    assert rotated not in (token_a, link(org, competition, second.id))
    check_error(poll(kiosk, competition, token_a), 403, "forbidden")
    assert poll(kiosk, competition, rotated).status_code == 200
    assert poll(kiosk, competition, token_b, group_id=second.id).status_code == 200  # the other group's stays


# --- the ETag -----------------------------------------------------------------------------------------------


def test_an_unchanged_screen_is_a_304_until_something_changes(app, org, contest):
    competition, _entries = contest
    token = link(org, competition)
    stage(org, contest, 1, "scoring")
    kiosk = app.test_client()
    first = poll(kiosk, competition, token)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    assert etag
    same = poll(kiosk, competition, token, etag)
    assert (same.status_code, same.get_data(), same.headers["ETag"]) == (304, b"", etag)
    # A sheet of the round on stage is submitted: 4 → 5 of 5.
    sheet_of(contest, "j5", 1, LESSON, 70)
    after_sheet = poll(kiosk, competition, token, etag)
    assert after_sheet.status_code == 200 and after_sheet.headers["ETag"] != etag
    assert after_sheet.get_json()["on_stage"]["submitted"] == 5
    etag = after_sheet.headers["ETag"]
    assert poll(kiosk, competition, token, etag).status_code == 304
    # The organizer changes the stage.
    stage(org, contest, 2, "scoring")
    after_stage = poll(kiosk, competition, token, etag)
    assert after_stage.status_code == 200 and after_stage.headers["ETag"] != etag
    assert after_stage.get_json()["on_stage"]["draw_no"] == 2
    # Rotating the link changes it too (for the new link's holder).
    etag = after_stage.headers["ETag"]
    rotated = link(org, competition, rotate=True)
    assert poll(kiosk, competition, rotated, etag).status_code == 200


def test_the_304_reads_one_row_and_loads_no_orm_object(app, org, contest):
    """A kiosk (no account, no session) polling an unchanged screen: the poll row, nothing else."""
    competition, _entries = contest
    token = link(org, competition)
    stage(org, contest, 1, "scoring")
    kiosk = app.test_client()
    etag = poll(kiosk, competition, token).headers["ETag"]
    path = live_path(competition, token=token)
    db.session.commit()  # the test's own session has nothing to say during the request
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = kiosk.get(path, headers={"If-None-Match": etag})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 304
    assert len(statements) == 1, statements
    assert "stage_state" in statements[0] and "user_account" not in statements[0]


# --- nothing before the reveal ------------------------------------------------------------------------------


def test_scores_show_only_once_revealed(app, org, contest):
    competition, _entries = contest
    sheet_of(contest, "j5", 1, LESSON, 70)
    token = link(org, competition)
    kiosk = app.test_client()
    stage(org, contest, 1, "scoring")
    hidden = poll(kiosk, competition, token).get_json()
    on_stage = hidden["on_stage"]
    assert (on_stage["submitted"], on_stage["expected"]) == (5, 5)
    assert (on_stage["judge_totals"], on_stage["dropped"], on_stage["score"]) == (None, None, None)
    assert on_stage["reveal"] is None and hidden["leaderboard"] == []
    assert [s["seat"] for s in on_stage["seats"]] == [1, 2, 3, 4, 5]
    assert all(s["submitted"] for s in on_stage["seats"])

    state = stage(org, contest, 1, "reveal")
    shown = poll(kiosk, competition, token).get_json()
    assert shown == {**state, "version": shown["version"]}  # the console sees what the screen sees
    assert shown["screen"] == "reveal"
    on_stage = shown["on_stage"]
    assert sorted(on_stage["judge_totals"]) == [70, 75, 80, 85, 90]
    assert sorted(on_stage["dropped"]) == [70, 90] and on_stage["score"] == 80
    assert [(r["seat"], r["total"], r["dropped"]) for r in on_stage["reveal"]] == [
        (1, 90, "high"),
        (2, 85, None),
        (3, 80, None),
        (4, 75, None),
        (5, 70, "low"),
    ]
    assert shown["leaderboard"] == [{"draw_no": 1, "score": 80, "rank": 1}]

    # The next contestant: nothing of theirs shows, the leaderboard keeps the revealed one only.
    stage(org, contest, 2, "scoring")
    next_up = poll(kiosk, competition, token).get_json()
    assert next_up["on_stage"]["score"] is None and next_up["on_stage"]["judge_totals"] is None
    assert next_up["leaderboard"] == [{"draw_no": 1, "score": 80, "rank": 1}]
    stage(org, contest, 2, "reveal")
    stage(org, contest, None, "top_ten")
    board = poll(kiosk, competition, token).get_json()
    assert board["on_stage"] is None and board["screen"] == "top_ten"
    assert board["leaderboard"] == [
        {"draw_no": 2, "score": 85, "rank": 1},
        {"draw_no": 1, "score": 80, "rank": 2},
    ]


def test_unlocking_a_revealed_sheet_bumps_the_version(app, org, contest):
    competition, _entries = contest
    sheet_of(contest, "j5", 1, LESSON, 70)
    token = link(org, competition)
    kiosk = app.test_client()
    stage(org, contest, 1, "reveal")
    before = poll(kiosk, competition, token)
    version, etag = before.get_json()["version"], before.headers["ETag"]
    assert unlock(org, contest, "j1", 1, LESSON).status_code == 200
    sheet_of(contest, "j1", 1, LESSON, 88)  # resubmitted: as many sheets as before, a new total
    after = poll(kiosk, competition, token, etag)
    assert after.status_code == 200 and after.headers["ETag"] != etag
    body = after.get_json()
    assert body["version"] == version + 1
    assert sorted(body["on_stage"]["judge_totals"]) == [70, 75, 80, 85, 88]
    assert sorted(body["on_stage"]["dropped"]) == [70, 88] and body["on_stage"]["score"] == 80


def test_a_conflict_declared_during_scoring_makes_the_screens_refetch(app, org, contest):
    """The judges an entry expects change with the panel: the screen's 已提交 n/m must follow."""
    competition, entries = contest
    token = link(org, competition)
    stage(org, contest, 1, "scoring")
    kiosk = app.test_client()
    first = poll(kiosk, competition, token)
    expected = first.get_json()["on_stage"]["expected"]
    body = {"username": "j5", "entry_id": entries[0].id, "reason": "师生关系"}
    assert org.post(f"/competitions/{competition.id}/conflicts", json=body).status_code == 200
    after = poll(kiosk, competition, token, first.headers["ETag"])
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert after.get_json()["on_stage"]["expected"] == expected - 1
