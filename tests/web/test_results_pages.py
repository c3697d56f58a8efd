"""The results pages: the organizer's leaderboard (provisional marks, its fragment, who may see it),
publication from the competition page, the public results (公示) and a staff member's own result."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from competition.clock import local_today
from competition.extensions import db
from competition.models import Certificate, Publication
from tests.builders import login_as, make_judge, make_scoring_contest, make_sheet, staff, user
from tests.web.results_checks import (
    AWARDS,
    FINALS,
    flashes,
    refresh,
    row_of,
    submit,
    text_of,
    words,
)


def board_url(competition, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/results/{competition.id}/" + (f"?{query}" if query else "")


def publish(client, token, competition, **form):
    data = {"csrf_token": token, "to": "published", "confirm": "yes", **form}
    return client.post(f"/competitions/{competition.id}/transition", data=data, follow_redirects=True)


# --- the leaderboard ----------------------------------------------------------------------------------------


def test_leaderboard_marks_what_is_provisional(client, contest):
    competition, entries = contest
    submit(competition, entries, [("expert", 0, 0), ("expert", 0, 1), ("judge_hzu", 0, 0), ("expert", 1, 0)])
    login_as(client, "org")
    response = client.get(board_url(competition, group_id=competition.groups[0].id, lang="en"))
    assert response.status_code == 200
    page = text_of(response)
    assert 'data-testid="board-provisional"' in page
    assert "Entries still missing sheets: 2 of 2" in page
    first, second = row_of(page, entries[0].id), row_of(page, entries[1].id)
    # 1号: 教学设计 complete (80, 84 → 82.00), 课堂教学 one sheet of two (86 → 86.00).
    assert "李老师" in first and "浙江大学" in first
    assert "82.00" in words(first) and "1/2 submitted" in words(first) and "Provisional" in words(first)
    # The seat grid: judge_hzu's 80.0 and expert's 84.0 in 教学设计; judge_zju recused from ZJU's entry.
    assert "80.0" in first and "84.0" in first and "Recused" in first
    # 2号: only the expert's 教学设计 sheet; 课堂教学 has none, so no final score yet and no rank.
    assert "0/2 submitted" in words(second) and "89.0" in second
    assert re.search(r'<td class="num col-rank rank">—</td>', second)
    assert "Not submitted yet" in second
    # Refreshes by itself while scoring.
    assert "data-board-poll" in page and "js/leaderboard.js" in page


def test_leaderboard_with_every_sheet_shows_finals_and_awards(client, contest):
    competition, entries = contest
    submit(competition, entries)
    login_as(client, "org")
    page = text_of(client.get(board_url(competition)))
    assert 'data-testid="board-complete"' in page and 'data-testid="board-provisional"' not in page
    assert "provisional-badge" not in page
    first, second = words(row_of(page, entries[1].id)), words(row_of(page, entries[0].id))
    # The final and the award come first, then each round's score (89.50, 90.25 and 82.00, 83.00).
    assert first.startswith(f"1 2 赵老师 杭州大学 {FINALS['赵老师']} {AWARDS['赵老师']} 89.50")
    assert "90.25" in first
    assert second.startswith(f"2 1 李老师 浙江大学 {FINALS['李老师']} {AWARDS['李老师']} 82.00")
    assert "83.00" in second
    # Rank 1 is listed first.
    assert page.index(f'data-entry="{entries[1].id}"') < page.index(f'data-entry="{entries[0].id}"')


def test_trimmed_totals_are_struck_through_and_anomalies_flagged(client, app, world):
    for name in ("e1", "e2", "e3"):
        make_judge(name)
    competition, entries = make_scoring_contest(
        [staff("00123")], judges={"e1": [0], "e2": [0], "e3": [0]}, scoring={"trim_min_judges": 3}
    )
    design, lesson = competition.rounds
    for judge, values in (("e1", [32, 48]), ("e2", [33, 49]), ("e3", [20, 40])):
        make_sheet(user(judge), design, entries[0], values, token=judge)
    login_as(client, "org")
    row = row_of(text_of(client.get(board_url(competition, lang="en"))), entries[0].id)
    # Totals 80, 82 and 60: the highest (82) and the lowest (60) are dropped, the score is 80.00; 60 is more
    # than 10 points from the median 80, so it is flagged too.
    assert "80.00" in words(row)
    assert re.search(r'title="Seat 2 · Highest score dropped"[^>]*data-state="high">\s*<s>82.0</s>', row)
    low = re.search(r'<span class="jt jt-dropped jt-low jt-anomaly" title="([^"]+)" data-state="low">', row)
    assert low and "Lowest score dropped" in low.group(1) and "anomaly" in low.group(1)
    assert "<s>60.0</s>" in row and "<s>80.0</s>" not in row


def test_the_fragment_is_the_board_alone(client, contest):
    competition, entries = contest
    submit(competition, entries, [("expert", 0, 0)])
    login_as(client, "org")
    response = client.get(board_url(competition, partial=1))
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "<nav" not in fragment
    assert fragment.lstrip().startswith('<div class="board-body"') or "data-board-body" in fragment
    assert 'data-published="0"' in fragment and f'data-entry="{entries[0].id}"' in fragment


def test_a_group_tab_per_group_and_another_competitions_group_is_404(client, contest):
    competition, _entries = contest
    login_as(client, "org")
    page = text_of(client.get(board_url(competition)))
    for group in competition.groups:
        assert f"group_id={group.id}" in page
    second = competition.groups[1]
    other = text_of(client.get(board_url(competition, group_id=second.id)))
    assert 'data-testid="board-empty"' in other
    assert client.get(board_url(competition, group_id=999999)).status_code == 404


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("org", 200),
        ("zju_admin", 403),
        ("hzu_admin", 403),
        ("zju_staff", 403),
        ("zju_judge", 403),
        ("judge_zju", 403),
    ],
)
def test_who_may_see_the_provincial_leaderboard(client, contest, username, status):
    competition, _entries = contest
    login_as(client, username)
    assert client.get(board_url(competition)).status_code == status
    assert client.get(f"/results/{competition.id}/results.xlsx").status_code == status


@pytest.mark.parametrize(("username", "status"), [("zju_admin", 200), ("org", 200), ("hzu_admin", 404)])
def test_a_school_contest_is_run_by_its_own_admin(client, world, username, status):
    make_judge("expert")
    competition, _entries = make_scoring_contest([staff("00123")], level="school", judges={"expert": [0]})
    login_as(client, username)
    assert client.get(board_url(competition)).status_code == status


def test_anonymous_is_sent_to_log_in(client, contest):
    competition, _entries = contest
    response = client.get(board_url(competition))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    response = client.get(f"/results/{competition.id}/results.xlsx")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# --- publication --------------------------------------------------------------------------------------------


def test_the_publish_form_asks_for_the_objection_period_and_a_confirmation(client, contest):
    competition, entries = contest
    login_as(client, "org")
    page = text_of(client.get(f"/competitions/{competition.id}"))
    form = page[page.index('data-testid="publish-form"') :]
    default = (local_today() + timedelta(days=7)).isoformat()
    assert f'name="objection_ends" type="date" value="{default}"' in form
    assert 'name="contact"' in form and 'name="confirm" value="yes" required' in form
    assert 'data-testid="publish-warning"' in form and "data-confirm" not in form[: form.index("</form>")]
    assert 'data-testid="sheets-missing"' in form  # nothing is submitted yet


def test_publishing_records_the_objection_period_and_contact(client, contest):
    competition, entries = contest
    submit(competition, entries)
    token = login_as(client, "org")
    ends = local_today() + timedelta(days=10)
    page = text_of(
        publish(client, token, competition, objection_ends=ends.isoformat(), contact="省教育工会 张老师")
    )
    competition = refresh(competition)
    assert competition.status == "published"
    publication = db.session.scalar(select(Publication).where(Publication.competition_id == competition.id))
    assert publication.objection_ends == ends and publication.contact == "省教育工会 张老师"
    assert publication.published_by_id is not None
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2
    # The competition page now tells when and by whom, the period, and links to the results.
    facts = page[page.index('data-testid="publication"') :]
    assert "org" in facts and "省教育工会 张老师" in facts
    assert f"{ends.year}年{ends.month}月{ends.day}日" in facts
    links = (
        f"/results/{competition.id}/public",
        f"/results/{competition.id}/",
        "results.xlsx",
        "certificates.pdf",
    )
    for url in links:
        assert url in facts
    assert 'data-testid="publish-form"' not in page


def test_publishing_with_sheets_missing_changes_nothing(client, contest):
    competition, entries = contest
    submit(competition, entries, [("expert", 0, 0)])
    token = login_as(client, "org")
    page = text_of(publish(client, token, competition, objection_ends="", contact="x"))
    messages = flashes(page)
    assert len(messages) == 1 and "还有评分表未提交" in messages[0]
    assert "judge_hzu" in messages[0] or "expert" in messages[0]  # the missing sheets are named
    assert refresh(competition).status == "scoring"
    assert db.session.scalar(select(func.count()).select_from(Publication)) == 0
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


@pytest.mark.parametrize(
    "form",
    [
        {"objection_ends": "2000-01-01", "contact": "x"},  # before today
        {"objection_ends": "not a date", "contact": "x"},
        {"objection_ends": "", "contact": "x", "confirm": ""},  # not confirmed
    ],
)
def test_a_bad_date_or_no_confirmation_is_refused(client, contest, form):
    competition, entries = contest
    submit(competition, entries)
    token = login_as(client, "org")
    page = text_of(publish(client, token, competition, **form))
    assert len(flashes(page)) == 1 and "alert-danger" in page
    assert refresh(competition).status == "scoring"
    assert db.session.scalar(select(func.count()).select_from(Publication)) == 0


def test_after_publication_the_leaderboard_is_the_frozen_snapshot(client, contest):
    competition, entries = contest
    submit(competition, entries)
    token = login_as(client, "org")
    publish(client, token, competition, objection_ends="", contact="")
    page = text_of(client.get(board_url(competition)))
    assert 'data-testid="board-final"' in page and "data-board-poll" not in page
    assert "js/leaderboard.js" not in page
    row = words(row_of(page, entries[1].id))
    assert row.startswith(f"1 2 赵老师 杭州大学 {FINALS['赵老师']} {AWARDS['赵老师']} 89.50")
    assert f"/results/{competition.id}/public" in page
    assert f"/results/{competition.id}/certificates.pdf" in page


# --- the public results (公示) ------------------------------------------------------------------------------


def test_public_results_are_404_before_publication(client, contest):
    competition, _entries = contest
    assert client.get(f"/results/{competition.id}/public").status_code == 404
    login_as(client, "zju_staff")
    assert client.get(f"/results/{competition.id}/public").status_code == 403


def test_organizers_get_a_note_before_publication(client, contest):
    competition, _entries = contest
    login_as(client, "org")
    response = client.get(f"/results/{competition.id}/public")
    assert response.status_code == 200
    page = text_of(response)
    assert 'data-testid="not-published"' in page and "李老师" not in page


def test_public_results_need_no_login_and_show_no_private_data(client, app, contest):
    competition, entries = contest
    submit(competition, entries)
    token = login_as(client, "org")
    ends = local_today() + timedelta(days=7)
    publish(client, token, competition, objection_ends=ends.isoformat(), contact="省教育工会 0571-1234")
    anonymous = app.test_client()
    response = anonymous.get(f"/results/{competition.id}/public")
    assert response.status_code == 200
    page = text_of(response)
    assert competition.name in page
    assert f"{ends.year}年{ends.month}月{ends.day}日" in page and "省教育工会 0571-1234" in page
    today = local_today()
    assert f"{today.year}年{today.month}月{today.day}日" in page  # the publication date
    group = page[page.index('data-testid="public-group"') :]
    body = group[group.index("<tbody>") : group.index("</tbody>")]
    assert [words(r) for r in re.findall(r"<tr>(.*?)</tr>", body)] == [
        f"1 赵老师 杭州大学 {FINALS['赵老师']} {AWARDS['赵老师']}",
        f"2 李老师 浙江大学 {FINALS['李老师']} {AWARDS['李老师']}",
    ]
    for private in ("00123", "H001", "judge_zju", "judge_hzu", "expert", "计算机学院"):
        assert private not in page
    assert "data-print" in page and "js/print.js" in page
    assert page.count('data-testid="public-group"') == len(competition.groups)


def test_the_public_page_reads_the_snapshot_not_the_sheets(client, contest):
    competition, entries = contest
    submit(competition, entries)
    token = login_as(client, "org")
    publish(client, token, competition)
    publication = db.session.scalar(select(Publication))
    snapshot = dict(publication.snapshot)
    snapshot["groups"] = [
        dict(g, items=[dict(i, name="快照中的名字") for i in g["items"]]) for g in snapshot["groups"]
    ]
    publication.snapshot = snapshot
    db.session.commit()
    page = text_of(client.get(f"/results/{competition.id}/public"))
    assert "快照中的名字" in page and "李老师" not in page


# --- the staff member's own pages ---------------------------------------------------------------------------


def test_staff_see_their_result_and_certificate_only_after_publication(client, app, contest):
    competition, entries = contest
    submit(competition, entries)
    staff_client = app.test_client()
    login_as(staff_client, "zju_staff")
    before = text_of(staff_client.get("/my/"))
    assert 'data-testid="result"' not in before and FINALS["李老师"] not in before
    entry_page = text_of(staff_client.get(f"/my/entries/{entries[0].id}"))
    assert 'data-testid="result"' not in entry_page and "三等奖" not in entry_page

    token = login_as(client, "org")
    publish(client, token, competition)
    for url in ("/my/", f"/my/entries/{entries[0].id}"):
        page = text_of(staff_client.get(url))
        result = page[page.index('data-testid="result"') :]
        assert AWARDS["李老师"] in result and FINALS["李老师"] in result
        assert f"/results/{competition.id}/public" in result
        assert f'href="/results/entries/{entries[0].id}/certificate.pdf"' in result


def test_no_certificate_link_without_an_award(client, app, contest):
    competition, entries = contest
    submit(competition, entries)
    token = login_as(client, "org")
    publish(client, token, competition)
    db.session.execute(Certificate.__table__.delete())
    db.session.commit()
    staff_client = app.test_client()
    login_as(staff_client, "zju_staff")
    page = text_of(staff_client.get("/my/"))
    assert 'data-testid="result"' in page and 'data-testid="certificate"' not in page


def test_an_unpublished_competition_shows_no_score_even_with_every_sheet(client, contest):
    competition, entries = contest
    submit(competition, entries)  # complete, but not published: the competition stays in scoring
    login_as(client, "zju_staff")
    page = text_of(client.get("/my/"))
    assert FINALS["李老师"] not in page and AWARDS["李老师"] not in page
