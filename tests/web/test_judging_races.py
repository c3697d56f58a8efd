"""Sheets and panels written at once (PostgreSQL): never a second sheet, a lost score, a shared seat."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditLog, JudgeAssignment, ScoreSheet, ScoreValue
from competition.models._base import utcnow
from tests.builders import Api, make_judge, make_scoring_contest, staff, user
from tests.web.api_checks import check_error, race

pytestmark = pytest.mark.postgres


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def sheet_body(round_, values, *, submit=True, token="tok"):  # noqa: S107
    scores = {str(c.id): v for c, v in zip(round_.criteria, values, strict=True)}
    return {"scores": scores, "submit": submit, "client_token": token}


def path_of(round_, entry) -> str:
    return f"/rounds/{round_.id}/entries/{entry.id}/sheet"


@pytest.fixture
def contest(app, postgresql, world):
    """HZU's 赵老师 in 文科组, scored by an outside expert."""
    make_judge("expert")
    competition, (entry,) = make_scoring_contest([staff("H001")], judges={"expert": [0]})
    return competition, entry


@pytest.mark.parametrize("attempt", range(3))
def test_one_sheet_submitted_from_two_tablets_at_once(app, contest, attempt):
    competition, entry = contest
    design = competition.rounds[0]
    tablets = [Api(app, "expert"), Api(app, "expert")]  # the same judge logged in twice
    bodies = [sheet_body(design, [30, 40], token="tab-a"), sheet_body(design, [35, 45.5], token="tab-b")]
    path = path_of(design, entry)  # ORM attributes are read here: the threads have no app context
    responses = race(
        *(lambda t=tablet, b=body: t.put(path, json=b) for tablet, body in zip(tablets, bodies, strict=True))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409], [r.get_data(as_text=True) for r in responses]
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    check_error(responses[1 - winner], 409, "already_submitted")
    expected_total = [70, 80.5][winner]
    assert responses[winner].get_json() == {"status": "submitted", "total": expected_total}
    db.session.rollback()
    (sheet,) = db.session.scalars(select(ScoreSheet)).all()
    assert (sheet.status, sheet.client_token, sheet.total_tenths) == (
        "submitted",
        ["tab-a", "tab-b"][winner],
        [700, 805][winner],
    )
    assert sorted(v.tenths for v in sheet.values) == [[300, 400], [350, 455]][winner]
    assert count(AuditLog, AuditLog.action == "sheet.submit") == 1


@pytest.mark.parametrize("attempt", range(3))
def test_a_submission_resent_while_the_first_is_in_flight_is_the_same_submission(app, contest, attempt):
    competition, entry = contest
    lesson = competition.rounds[1]
    tablets = [Api(app, "expert"), Api(app, "expert"), Api(app, "expert")]
    body, path = sheet_body(lesson, [28, 27.5, 20, 12.1], token="uuid-1"), path_of(lesson, entry)
    responses = race(*(lambda t=tablet: t.put(path, json=body) for tablet in tablets))
    assert [r.status_code for r in responses] == [200, 200, 200], [
        r.get_data(as_text=True) for r in responses
    ]
    assert all(r.get_json() == {"status": "submitted", "total": 87.6} for r in responses)
    assert count(ScoreSheet) == 1 and count(ScoreValue) == 4
    assert count(AuditLog, AuditLog.action == "sheet.submit") == 1


@pytest.mark.parametrize("attempt", range(3))
def test_a_draft_racing_a_submission_never_changes_the_submitted_values(app, contest, attempt):
    competition, entry = contest
    design = competition.rounds[0]
    tablets = [Api(app, "expert"), Api(app, "expert")]
    draft = sheet_body(design, [1, None], submit=False, token="draft")
    final = sheet_body(design, [39.5, 59.9], token="final")
    path = path_of(design, entry)
    responses = race(lambda: tablets[0].put(path, json=draft), lambda: tablets[1].put(path, json=final))
    assert responses[1].get_json() == {"status": "submitted", "total": 99.4}
    assert responses[0].status_code in (200, 409), responses[0].get_data(as_text=True)
    if responses[0].status_code == 409:
        check_error(responses[0], 409, "already_submitted")
    db.session.rollback()
    (sheet,) = db.session.scalars(select(ScoreSheet)).all()
    assert (sheet.status, sheet.total_tenths) == ("submitted", 994)
    assert sorted(v.tenths for v in sheet.values) == [395, 599]


def test_many_judges_submitting_many_sheets_at_once(app, postgresql, world, make):
    """8 judges, each on their own tablet, submit their sheets for 4 entries in both rounds at once."""
    hzu = world["hzu"]
    judges = [f"e{n}" for n in range(1, 9)]
    for name in judges:
        make_judge(name)
    people = [staff("H001")] + [make.staff(hzu, f"H10{n}", f"教师{n}") for n in range(3)]
    competition, entries = make_scoring_contest(people, judges={name: [0] for name in judges})
    design, lesson = competition.rounds

    def values_of(j: int, e: int) -> tuple[list, list]:
        """Distinct values per judge and entry, so a value written to the wrong sheet shows."""
        return [j + e / 10, 50 + j], [j, e, 20 + j / 10, 14.5]

    tablets = {name: Api(app, name) for name in judges}
    # every request prepared here: the threads have no app context to read ORM attributes in
    requests = {
        name: [
            (path_of(round_, entry), sheet_body(round_, values, token=f"{name}-{round_.id}-{entry.id}"))
            for e, entry in enumerate(entries)
            for round_, values in zip((design, lesson), values_of(j, e), strict=True)
        ]
        for j, name in enumerate(judges)
    }

    def submit_all(j: int, name: str):
        return [tablets[name].put(path, json=body) for path, body in requests[name]]

    started = utcnow()
    results = race(*(lambda j=j, name=name: submit_all(j, name) for j, name in enumerate(judges)))
    bad = [r.get_data(as_text=True) for answers in results for r in answers if r.status_code != 200]
    assert bad == []
    assert count(ScoreSheet) == 8 * 4 * 2 and count(ScoreSheet, ScoreSheet.status == "submitted") == 64
    assert count(ScoreValue) == 8 * 4 * (2 + 4)
    assert count(AuditLog, AuditLog.action == "sheet.submit", AuditLog.at >= started) == 64
    db.session.rollback()
    ids = {name: user(name).id for name in judges}
    for j, name in enumerate(judges):
        for e, entry in enumerate(entries):
            for round_, values in zip((design, lesson), values_of(j, e), strict=True):
                sheet = db.session.scalar(
                    select(ScoreSheet).where(
                        ScoreSheet.judge_id == ids[name],
                        ScoreSheet.round_id == round_.id,
                        ScoreSheet.entry_id == entry.id,
                    )
                )
                tenths = [round(v * 10) for v in values]
                assert [v.tenths for v in sheet.values] == tenths, (name, entry.id, round_.id)
                assert sheet.total_tenths == sum(tenths)
    progress = Api(app, "org").get(f"/competitions/{competition.id}/progress").get_json()
    assert [(p["sheets_expected"], p["sheets_submitted"]) for p in progress[:2]] == [(32, 32), (32, 32)]
    assert count(JudgeAssignment) == 8


@pytest.mark.parametrize("attempt", range(3))
def test_two_judges_added_to_a_panel_at_once_get_different_seats(app, contest, attempt):
    competition, _entry = contest
    for name in ("e1", "e2", "e3"):
        make_judge(name)
    organizers = [Api(app, "org"), Api(app, "org"), Api(app, "org")]
    path, group = f"/competitions/{competition.id}/judges", competition.groups[0].id
    responses = race(
        *(
            lambda api=api, name=name: api.post(path, json={"username": name, "group_ids": [group]})
            for api, name in zip(organizers, ("e1", "e2", "e3"), strict=True)
        )
    )
    assert [r.status_code for r in responses] == [200, 200, 200], [
        r.get_data(as_text=True) for r in responses
    ]
    db.session.rollback()
    seats = db.session.scalars(select(JudgeAssignment.seat).where(JudgeAssignment.group_id == group)).all()
    assert sorted(seats) == [1, 2, 3, 4]
