"""Publication through the API (the transition to ``published``): refused while sheets are missing or with a
bad objection date, and then nothing is written; otherwise the Publication, the certificates and the audit
row, and from then on a frozen snapshot. Certificates: the public verification and a non-awarded entry."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from competition.clock import local_today
from competition.extensions import db
from competition.models import AuditLog, Certificate, Competition, Publication
from tests.builders import Api, make_judge, make_scoring_contest, make_sheet, staff, user
from tests.web.api_checks import check_error
from tests.web.judging_checks import Anonymous, audit_rows
from tests.web.results_api_checks import (
    DESIGN,
    LESSON,
    by_draw,
    five_judge_contest,
    publish,
    results,
    set_total,
    sheet_of,
    submit,
    unlock,
)

SERIAL = re.compile(r"2026-\d{4}-[2-9A-HJ-NP-Z]{8}")


@pytest.fixture
def scored(world, make):
    contest = five_judge_contest(world, make)
    submit(contest)
    return contest


def written() -> tuple[int, int, int, str]:
    """Publications, certificates, publish audit rows, and the competition's status."""
    db.session.rollback()
    count = lambda model, *where: db.session.scalar(select(func.count()).select_from(model).where(*where))  # noqa: E731
    return (
        count(Publication),
        count(Certificate),
        count(AuditLog, AuditLog.action == "competition.publish"),
        db.session.scalar(select(Competition.status)),
    )


def test_sheets_missing_refuse_publication_and_name_each_sheet(world, make, org):
    contest = five_judge_contest(world, make)
    competition, entries = contest
    submit(contest, skip=(("j5", 1, LESSON), ("j4", 2, DESIGN)))
    sheet_of(contest, "j4", 2, DESIGN, 80, submit=False)
    error = check_error(publish(org, competition, objection_ends="2099-01-01"), 409, "sheets_missing")
    details = sorted(error["details"], key=lambda d: d["draw_no"])
    assert [{k: v for k, v in d.items() if k != "message"} for d in details] == [
        {
            "group_id": competition.groups[0].id,
            "round_id": competition.rounds[LESSON].id,
            "entry_id": entries[0].id,
            "draw_no": 1,
            "username": "j5",
            "status": "none",
        },
        {
            "group_id": competition.groups[0].id,
            "round_id": competition.rounds[DESIGN].id,
            "entry_id": entries[1].id,
            "draw_no": 2,
            "username": "j4",
            "status": "draft",
        },
    ]
    assert all(d["message"] for d in details)
    assert written() == (0, 0, 0, "scoring")
    assert audit_rows("competition.transition")[-1].details["to"] == "scoring"


def test_with_every_sheet_publication_freezes_and_issues_certificates(org, scored):
    competition, entries = scored
    ends = local_today() + timedelta(days=7)
    response = publish(org, competition, objection_ends=ends.isoformat(), contact=" 省教育工会 0571-1234 ")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"id": competition.id, "status": "published"}
    assert written() == (1, 2, 1, "published")
    publication = db.session.scalar(select(Publication))
    assert (publication.competition_id, publication.objection_ends) == (competition.id, ends)
    assert (publication.contact, publication.published_by_id) == ("省教育工会 0571-1234", user("org").id)
    assert publication.published_at is not None
    [group, empty] = publication.snapshot["groups"]
    assert (group["group_id"], group["group"], group["complete"], empty["items"]) == (
        competition.groups[0].id,
        "文科组",
        True,
        [],
    )
    assert [(i["draw_no"], i["final_score"], i["award"]) for i in group["items"]] == [
        (2, 84, "二等奖"),
        (3, 84, "二等奖"),
        (1, 81.33, None),
    ]
    assert [r["name"] for r in publication.snapshot["rounds"]] == ["教学设计", "课堂教学"]
    # A certificate for each awarded entry (2号 and 3号), none for 1号.
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.name)).all()
    assert {c.entry_id for c in certificates} == {entries[1].id, entries[2].id}
    zhao = next(c for c in certificates if c.name == "赵老师")
    assert (zhao.university, zhao.competition_name, zhao.group_name, zhao.award) == (
        "杭州大学",
        competition.name,
        "文科组",
        "二等奖",
    )
    assert (zhao.organizer, zhao.issued, zhao.competition_id) == ("省教育工会", local_today(), competition.id)
    assert all(SERIAL.fullmatch(c.serial) for c in certificates)
    assert len({c.serial for c in certificates}) == 2
    [row] = audit_rows("competition.publish")
    assert (row.username, row.object_type, row.object_id) == ("org", "competition", str(competition.id))
    assert row.details == {"objection_ends": ends.isoformat(), "certificates": 2}


def test_objection_period_and_contact_are_optional(org, scored):
    competition, _entries = scored
    assert publish(org, competition).status_code == 200
    publication = db.session.scalar(select(Publication))
    assert (publication.objection_ends, publication.contact) == (None, "")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"objection_ends": "下周五"}, "objection_ends"),
        ({"objection_ends": "2000-01-01"}, "objection_ends"),  # before today
        ({"objection_ends": 20990101}, "objection_ends"),
        ({"contact": ["省教育工会"]}, "contact"),
        ({"contact": "电" * 501}, "contact"),
    ],
)
def test_a_bad_objection_period_or_contact_is_422_and_nothing_changes(org, scored, extra, field):
    competition, _entries = scored
    error = check_error(publish(org, competition, **extra), 422, "validation_failed")
    assert [d["field"] for d in error["details"]] == [field]
    assert written() == (0, 0, 0, "scoring")


def test_the_objection_period_may_end_today(org, scored):
    competition, _entries = scored
    assert publish(org, competition, objection_ends=local_today().isoformat()).status_code == 200
    assert db.session.scalar(select(Publication.objection_ends)) == local_today()


@pytest.mark.parametrize("username", ["zju_admin", "zju_staff", "j1"])
def test_only_the_organizer_publishes(app, scored, username):
    competition, _entries = scored
    check_error(publish(Api(app, username), competition), 403, "forbidden")
    assert written() == (0, 0, 0, "scoring")


def test_after_publication_the_results_are_frozen(org, scored):
    contest = scored
    competition, _entries = contest
    assert publish(org, competition).status_code == 200
    before = results(org, competition).get_json()
    # A total changed behind the application's back does not reach the published results.
    set_total(contest, "j2", 1, LESSON, 1000)
    assert results(org, competition).get_json() == before
    # Sheets can no longer be reopened, and nothing changes.
    check_error(unlock(org, contest, "j1", 1, DESIGN), 409, "wrong_state")
    after = results(org, competition).get_json()
    assert after == before
    assert by_draw(after)[1]["rounds"][LESSON]["score"] == 80
    # Publishing again is no step at all.
    check_error(publish(org, competition), 409, "invalid_transition")
    assert written() == (1, 2, 1, "published")


# --- certificates -------------------------------------------------------------------------------------------


def test_a_certificate_is_verified_without_logging_in(app, org, scored):
    competition, entries = scored
    assert publish(org, competition).status_code == 200
    certificate = db.session.scalar(select(Certificate).where(Certificate.entry_id == entries[1].id))
    anonymous = Anonymous(app)
    response = anonymous.get(f"/certificates/{certificate.serial}")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "serial": certificate.serial,
        "name": "赵老师",
        "university": "杭州大学",
        "competition": competition.name,
        "group": "文科组",
        "award": "二等奖",
        "issued": local_today().isoformat(),
        "organizer": "省教育工会",
    }
    assert date.fromisoformat(response.get_json()["issued"]) == local_today()
    # The serial as read off the paper, in lower case, finds the same certificate.
    lower = anonymous.get(f"/certificates/{certificate.serial.lower()}")
    assert lower.get_json()["serial"] == certificate.serial
    for unknown in ("2026-0001-ABCDEFGH", certificate.serial[:-1] + "X", "x" * 60):
        check_error(anonymous.get(f"/certificates/{unknown}"), 404, "not_found")


def test_a_school_contests_certificates_name_its_union(app, world):
    make_judge("expert")
    competition, [entry] = make_scoring_contest([staff("00123")], level="school", judges={"expert": [0]})
    design, lesson = competition.rounds
    make_sheet(user("expert"), design, entry, [30, 50], token="a")
    make_sheet(user("expert"), lesson, entry, [25, 25, 20, 10], token="b")
    response = publish(Api(app, "zju_admin"), competition)
    assert response.status_code == 200, response.get_json()
    # One ranked entry: c = 0, 0, half-up(0.75) = 1, so rank 1 gets 三等奖.
    certificate = db.session.scalar(select(Certificate))
    assert (certificate.name, certificate.award, certificate.organizer) == (
        "李老师",
        "三等奖",
        "浙江大学工会",
    )
    assert db.session.scalar(select(Publication.published_by_id)) == user("zju_admin").id


def test_a_non_awarded_entry_has_no_certificate(app, org, scored):
    competition, entries = scored
    assert publish(org, competition).status_code == 200
    # 1号 (李老师, rank 3) has no award: neither the organizer nor 李老师 (zju_staff) gets a certificate.
    for api in (org, Api(app, "zju_staff")):
        check_error(api.get(f"/entries/{entries[0].id}/certificate.pdf"), 404, "not_found")
