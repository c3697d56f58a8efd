"""The big screen's page (大屏) and the live console that drives it: who may open the screen (its secret
link, or the organizer without one), the console's four screen buttons (亮分 with the count while judges
are missing) and its 大屏链接 panel (made by a POST, never by viewing; 更换链接 makes the old link fail)."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import func, select

from competition.enums import StageScreen
from competition.extensions import db
from competition.models import AuditLog, StageReveal, StageState
from competition.services import live
from tests.builders import login_as, make_judge, make_sheet, staff, user
from tests.web.judging_checks import LIVE_RUBRIC, judged_contest

JUDGES = ["expert1", "expert2", "expert3", "expert4", "expert5"]
# 实操 (live, one criterion of 100): five totals per entry; trimming drops one highest and one lowest.
SCORES = [88, 92.5, 79, 95, 90]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def stage_row() -> StageState | None:
    db.session.rollback()
    return db.session.scalar(select(StageState))


class Page:
    """A test client (logged in through the form unless anonymous) posting forms with the CSRF token, in
    English unless told (the words this change adds are translated when the catalogue is merged)."""

    def __init__(self, app, username: str | None, lang: str = "en"):
        self.client = app.test_client()
        self.client.get(f"/?lang={lang}")
        self.token = login_as(self.client, username) if username else None

    def get(self, path: str, **params):
        return self.client.get(path, query_string=params or None)

    def post(self, path: str, data=None):
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})})

    def follow(self, path: str, data=None) -> str:
        response = self.post(path, data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return text_of(self.client.get(response.headers["Location"]))


@pytest.fixture
def stage(app, world):
    """A provincial contest in scoring run by the organizer: 李老师 (1号, ZJU) and 赵老师 (2号, HZU) in
    文科组, a queue round 笔试 and a live round 实操, five outside experts on the panel."""
    for name in JUDGES:
        make_judge(name)
    competition, entries = judged_contest([staff("00123"), staff("H001")], judges=JUDGES, rounds=LIVE_RUBRIC)
    return competition, entries


@pytest.fixture
def org_page(app, world) -> Page:
    return Page(app, "org")


def screen_path(competition, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/results/{competition.id}/screen" + (f"?{query}" if query else "")


def make_token(competition) -> str:
    token = live.screen_token(competition, competition.groups[0], by=user("org"))
    db.session.commit()
    return token


def live_api(client, competition, token: str):
    group = competition.groups[0].id
    return client.get(
        f"/api/v1/competitions/{competition.id}/live", query_string={"group_id": group, "token": token}
    )


def screen_words(page: str) -> dict:
    raw = re.search(r'<script type="application/json" id="screen-words">(.*?)</script>', page, re.S).group(1)
    return json.loads(raw)


def stage_form(competition, entry, screen: str) -> dict:
    return {
        "group_id": competition.groups[0].id,
        "round_id": competition.rounds[1].id,
        "entry_id": entry.id if entry else "",
        "screen": screen,
    }


def console(competition) -> str:
    return f"/judging/{competition.id}/console"


def reveal_button(page: str) -> str:
    return re.search(r'<button[^>]*data-testid="screen-reveal".*?</button>', page, re.S).group(0)


def reveal_form(page: str) -> str:
    return re.search(r"<form[^>]*data-reveal-form[^>]*>", page, re.S).group(0)


# --- who may open the screen --------------------------------------------------------------------------------


def test_the_screen_opens_by_its_link_without_an_account(app, stage):
    competition, _entries = stage
    token = make_token(competition)
    group = competition.groups[0]
    response = app.test_client().get(screen_path(competition, group_id=group.id, token=token))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        f'data-live-url="/api/v1/competitions/{competition.id}/live?group_id={group.id}&amp;token={token}"'
        in page
    )
    assert 'data-poll-ms="1500"' in page and 'data-max-backoff-ms="10000"' in page
    assert f'data-competition-id="{competition.id}"' in page and f'data-group-id="{group.id}"' in page
    assert competition.name in page and f"<span data-group>{group.name}</span>" in page
    assert 'src="/static/js/screen.js"' in page and 'href="/static/css/screen.css"' in page
    assert "navbar" not in page and "<script>" not in page and " on" + "click" not in page
    assert 'data-testid="refused"' not in page
    words = screen_words(page)  # Chinese by default: the words that the catalogue already holds
    assert words["screens"] == {"next": "待上场", "scoring": "评分中", "reveal": "亮分", "top_ten": "前十名"}
    assert words["no"] == "{no}号" and words["seat"] == "{n}号评委" and words["waiting"] == "等待下一位选手"
    assert words["decimals"] == competition.decimals
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_wrong_or_rotated_link_is_refused_in_the_screens_style(app, stage):
    competition, _entries = stage
    group = competition.groups[0]
    client = app.test_client()
    refused = client.get(screen_path(competition, group_id=group.id, token="guessed"))
    assert refused.status_code == 403  # no link made yet: every token fails
    old = make_token(competition)
    for params in (
        {"group_id": group.id, "token": "guessed"},
        {"token": old},
        {"group_id": 99999, "token": old},
    ):
        response = client.get(screen_path(competition, **params))
        page = response.get_data(as_text=True)
        assert response.status_code == 403, params
        assert 'data-testid="refused"' in page and "data-live-url" not in page and "screen-words" not in page
        assert 'href="/static/css/screen.css"' in page and "navbar" not in page
    assert client.get(screen_path(competition, group_id=group.id, token=old)).status_code == 200
    new = live.screen_token(competition, group, rotate=True, by=user("org"))
    db.session.commit()
    assert new != old
    assert client.get(screen_path(competition, group_id=group.id, token=old)).status_code == 403
    assert client.get(screen_path(competition, group_id=group.id, token=new)).status_code == 200
    # a link of this competition opens no other one
    other, _ = judged_contest([staff("H001")], name="另一场比赛", rounds=LIVE_RUBRIC)
    assert client.get(screen_path(other, group_id=group.id, token=new)).status_code == 403


def test_the_organizer_opens_the_screen_without_a_token(app, stage, org_page):
    competition, _entries = stage
    group = competition.groups[0]
    response = org_page.get(screen_path(competition))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'data-live-url="/api/v1/competitions/{competition.id}/live?group_id={group.id}"' in page
    assert count(StageState) == 0  # opening the screen makes nothing
    answer = org_page.get(f"/api/v1/competitions/{competition.id}/live", group_id=group.id)
    assert answer.status_code == 200 and answer.get_json()["screen"] == StageScreen.NEXT


@pytest.mark.parametrize("username", ["zju_admin", "hzu_admin", "zju_staff", "zju_judge", None])
def test_without_a_token_others_are_refused(app, stage, username):
    competition, _entries = stage
    page = Page(app, username)
    response = page.get(screen_path(competition, group_id=competition.groups[0].id))
    body = response.get_data(as_text=True)
    assert response.status_code in (403, 404)
    assert 'data-testid="refused"' in body and "data-live-url" not in body
    if username is None:
        assert response.status_code == 403 and "/auth/login?next=" in body


# --- the console drives the screen --------------------------------------------------------------------------


def test_the_console_switches_the_screen_and_warns_before_a_partial_reveal(app, stage, org_page):
    competition, (first, second) = stage
    practical = competition.rounds[1]
    token = make_token(competition)
    kiosk = app.test_client()
    page = text_of(org_page.get(console(competition)))
    assert 'data-testid="screen-next"' in page and 'data-testid="screen-top_ten"' in page
    assert 'data-testid="screen-reveal"' not in page  # nobody on stage: nothing to reveal

    page = org_page.follow(console(competition) + "/stage", stage_form(competition, first, "scoring"))
    assert "No. 1 is on stage; the screen shows “Scoring”." in page
    for name, value in zip(JUDGES[:2], SCORES[:2], strict=True):
        make_sheet(user(name), practical, first, [value], token=name)
    page = text_of(org_page.get(console(competition)))
    button = reveal_button(page)
    assert "<span data-label>Reveal (submitted 2/5)</span>" in button and "btn-warning" in button
    assert 'data-label-partial="Reveal (submitted {n}/{of})"' in button
    assert 'data-confirm="Only 2 of 5 judges have submitted for No. 1: reveal a provisional score now?"' in (
        reveal_form(page)
    )
    before = live_api(kiosk, competition, token).get_json()
    assert before["on_stage"]["submitted"] == 2 and before["on_stage"]["score"] is None

    # a partial reveal is allowed (after the warning): it is recorded and the screen gets the totals
    page = org_page.follow(console(competition) + "/stage", stage_form(competition, first, "reveal"))
    assert "No. 1 is on stage; the screen shows “Reveal”." in page
    assert 'data-testid="screen-now"><i class="bi bi-eye" aria-hidden="true"></i> Reveal' in page
    assert count(StageReveal, StageReveal.entry_id == first.id, StageReveal.round_id == practical.id) == 1
    shown = live_api(kiosk, competition, token).get_json()
    assert shown["screen"] == StageScreen.REVEAL
    assert sorted(shown["on_stage"]["judge_totals"]) == [88.0, 92.5]
    assert shown["on_stage"]["score"] == 90.25 and shown["on_stage"]["complete"] is False

    # all five in: the button is plain, without a confirmation; a second reveal records nothing new
    for name, value in zip(JUDGES[2:], SCORES[2:], strict=True):
        make_sheet(user(name), practical, first, [value], token=name)
    page = text_of(org_page.get(console(competition)))
    assert "<span data-label>Reveal</span>" in reveal_button(page) and "data-confirm=" not in reveal_form(
        page
    )
    org_page.follow(console(competition) + "/stage", stage_form(competition, first, "reveal"))
    assert count(StageReveal) == 1
    shown = live_api(kiosk, competition, token).get_json()["on_stage"]
    assert shown["score"] == 90.17 and shown["complete"] is True  # (88 + 92.5 + 90) / 3, 79 and 95 dropped
    assert sorted(shown["dropped"]) == [79.0, 95.0]
    assert [(s["seat"], s["dropped"]) for s in shown["reveal"]] == [
        (1, None),
        (2, None),
        (3, "low"),
        (4, "high"),
        (5, None),
    ]

    # 前十名: the revealed entries only
    page = org_page.follow(console(competition) + "/stage", stage_form(competition, first, "top_ten"))
    assert "the screen shows “Top ten”" in page
    board = live_api(kiosk, competition, token).get_json()
    assert board["screen"] == StageScreen.TOP_TEN
    assert board["leaderboard"] == [{"draw_no": 1, "score": 90.17, "rank": 1}]

    # the next contestant: nothing of the first one's score is on the screen's state
    org_page.follow(console(competition) + "/stage", stage_form(competition, second, "scoring"))
    state = live_api(kiosk, competition, token).get_json()
    assert state["on_stage"]["draw_no"] == 2
    assert (state["on_stage"]["judge_totals"], state["on_stage"]["score"], state["on_stage"]["reveal"]) == (
        None,
        None,
        None,
    )
    assert count(AuditLog, AuditLog.action == "stage.set") == 5


def test_the_console_makes_and_changes_the_screen_link(app, stage, org_page):
    competition, _entries = stage
    group = competition.groups[0]
    page = text_of(org_page.get(console(competition)))
    assert 'data-testid="make-screen-link"' in page and 'data-testid="screen-url"' not in page
    assert count(StageState) == 0  # viewing the console makes no link
    form = {"group_id": group.id, "round_id": competition.rounds[1].id}
    page = org_page.follow(console(competition) + "/screen_link", form)
    assert f"The big-screen link of {group.name} is ready" in page
    old = stage_row().screen_token
    url = f"http://localhost/results/{competition.id}/screen?group_id={group.id}&token={old}"
    assert f'value="{url}"' in page and f'href="{url}"' in page and 'target="_blank"' in page
    assert 'data-testid="make-screen-link"' not in page and 'data-testid="rotate-screen-link"' in page
    assert "The old link stops working at once" in page
    kiosk = app.test_client()
    assert kiosk.get(url.removeprefix("http://localhost")).status_code == 200
    # making it again keeps the same link
    org_page.follow(console(competition) + "/screen_link", form)
    assert stage_row().screen_token == old

    page = org_page.follow(console(competition) + "/screen_link/rotate", form)
    assert f"The big-screen link of {group.name} was changed: the old link no longer works." in page
    new = stage_row().screen_token
    assert new != old and new in page and old not in page
    assert live_api(kiosk, competition, old).status_code == 403
    assert kiosk.get(screen_path(competition, group_id=group.id, token=old)).status_code == 403
    assert live_api(kiosk, competition, new).status_code == 200
    assert count(AuditLog, AuditLog.action == "screen.rotate") == 1


def test_only_those_who_run_it_make_or_change_the_link(app, stage):
    competition, _entries = stage
    form = {"group_id": competition.groups[0].id, "round_id": competition.rounds[1].id}
    for username in ("zju_admin", "hzu_admin", "zju_judge"):
        page = Page(app, username)
        for path in ("/screen_link", "/screen_link/rotate"):
            assert page.post(console(competition) + path, form).status_code in (403, 404)
    anonymous = Page(app, None)
    anonymous.token = anonymous.client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    response = anonymous.post(console(competition) + "/screen_link", form)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert count(StageState) == 0
    org = Page(app, "org")
    assert org.post(console(competition) + "/screen_link", {**form, "group_id": 99999}).status_code == 404
    assert count(StageState) == 0
