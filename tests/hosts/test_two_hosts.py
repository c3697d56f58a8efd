"""Two hosts, proven (issue 12): two gunicorn processes on two ports serving the same code with one
SECRET_KEY, one PostgreSQL database and one Redis (conftest.py), driven over plain HTTP as browsers behind
one reverse proxy drive them. Each person comes from an address of their own, sent as the proxy's
X-Forwarded-For and believed because the hosts trust one proxy (TRUSTED_PROXIES=1), so each has a log-in
budget of their own.

Needs PostgreSQL and Redis: skipped with the reason without them, except in CI (REQUIRE_TWO_HOSTS).
"""

from __future__ import annotations

from tests.hosts.conftest import LOGIN_LIMIT
from tests.hosts.http import Person


def test_a_session_made_on_one_host_works_on_the_other(hosts):
    a, b = hosts
    someone = Person("198.51.100.10")
    assert someone.log_in(a, "org").status == 200
    assert "session" in someone.cookies  # set by A, sent to B
    me = someone.get(b + "/api/v1/me")
    assert me.status == 200 and me.json()["username"] == "org"
    # A write on B with the CSRF token that A issued: one key signs both.
    assert someone.post(b + "/api/v1/auth/logout").status == 204
    assert someone.get(a + "/api/v1/me").status == 401
    assert Person("198.51.100.11").get(b + "/api/v1/me").status == 401  # without the cookie, nobody


def test_the_log_in_limit_counts_on_both_hosts_together(hosts):
    a, b = hosts
    guesser = Person("198.51.100.20")
    tries = [guesser.log_in((a, b)[n % 2], "org", "not-the-password") for n in range(LOGIN_LIMIT)]
    assert [reply.status for reply in tries] == [401] * LOGIN_LIMIT
    # One counter in Redis: what is left goes down whichever host answers.
    assert [int(reply.headers["X-RateLimit-Remaining"]) for reply in tries] == list(
        range(LOGIN_LIMIT - 1, -1, -1)
    )
    assert guesser.log_in(a, "org", "not-the-password").status == 429
    assert guesser.log_in(b, "org").status == 429  # even the right password, until the minute is over
    # Another client behind the same proxy has a budget of its own.
    assert Person("198.51.100.21").log_in(b, "org", "not-the-password").status == 401


def test_a_sheet_submitted_on_one_host_shows_on_the_others_screen_and_leaderboard(hosts, world):
    a, b = hosts
    competition = f"/api/v1/competitions/{world.competition_id}"
    screen = f"{b}{competition}/live?group_id={world.group_id}&token={world.screen_token}"
    kiosk = Person("198.51.100.30")
    before = kiosk.get(screen)
    assert before.status == 200
    assert (before.json()["on_stage"]["submitted"], before.json()["on_stage"]["expected"]) == (0, 1)
    etag = before.headers["ETag"]
    assert kiosk.get(screen, **{"If-None-Match": etag}).status == 304

    judge = Person("198.51.100.31")
    assert judge.log_in(a, "judge_zju").status == 200
    sheet = f"{a}/api/v1/rounds/{world.practical_round_id}/entries/{world.entry_id}/sheet"
    body = {"scores": {str(world.criterion_id): 86.5}, "submit": True, "client_token": "two-hosts-1"}
    saved = judge.put(sheet, body)
    assert saved.status == 200 and saved.json() == {"status": "submitted", "total": 86.5}

    after = kiosk.get(screen, **{"If-None-Match": etag})
    assert after.status == 200 and after.headers["ETag"] != etag
    assert after.json()["on_stage"]["submitted"] == 1

    organizer = Person("198.51.100.32")
    assert organizer.log_in(b, "org").status == 200
    board = organizer.get(f"{b}{competition}/results?group_id={world.group_id}")
    assert board.status == 200
    (item,) = board.json()["items"]
    practical = next(r for r in item["rounds"] if r["round_id"] == world.practical_round_id)
    assert (item["entry_id"], practical["judge_totals"], practical["score"]) == (world.entry_id, [86.5], 86.5)

    # The organizer reveals the entry through host A; the screen polling B shows the judge's total.
    reveal = {
        "group_id": world.group_id,
        "round_id": world.practical_round_id,
        "entry_id": world.entry_id,
        "screen": "reveal",
    }
    assert organizer.post(f"{a}{competition}/stage", reveal).status == 200
    on_stage = kiosk.get(screen).json()["on_stage"]
    assert (on_stage["judge_totals"], on_stage["score"]) == ([86.5], 86.5)


def _answer_key(hosts_app, attempt_id: int) -> dict[str, list[str]]:
    """The right answers of the attempt's paper, as its keys, read in the test process."""
    from competition.extensions import db
    from competition.models import ExamAttempt
    from competition.services import exams

    with hosts_app.app_context():
        key = exams.answer_key(db.session.get(ExamAttempt, attempt_id))
        db.session.remove()
    return key


def test_a_quiz_attempt_started_on_one_host_continues_on_the_other(hosts, hosts_app, world):
    a, b = hosts
    sitter = Person("198.51.100.40")
    assert sitter.log_in(a, "zju_staff").status == 200
    started = sitter.post(f"{a}/api/v1/rounds/{world.exam_round_id}/attempts")
    assert started.status == 201
    attempt = started.json()
    assert attempt["saved"] == {} and len(attempt["questions"]) == attempt["question_count"] == 5
    key = _answer_key(hosts_app, attempt["id"])
    first, *rest = key.items()

    answers = f"/api/v1/attempts/{attempt['id']}/answers"
    assert sitter.put(b + answers, {"answers": dict([first])}).status == 200
    assert sitter.put(a + answers, {"answers": dict(rest)}).status == 200
    again = sitter.post(f"{b}/api/v1/rounds/{world.exam_round_id}/attempts")  # the phone reloaded, on B
    assert again.status == 200 and again.json()["id"] == attempt["id"]
    assert again.json()["questions"] == attempt["questions"]  # the same paper, options in the same order

    shown = sitter.get(f"{a}/api/v1/attempts/{attempt['id']}")
    assert shown.status == 200
    assert shown.json()["saved"] == key and shown.json()["answered"] == len(key)
    done = sitter.post(f"{b}/api/v1/attempts/{attempt['id']}/submit")
    assert done.status == 200
    assert (done.json()["status"], done.json()["score"]) == ("submitted", attempt["max_score"])
