"""Helpers of the judging API tests: arranging contests, calling the endpoints, and a snapshot of every row a
judging write could touch (to show that a refused one changed nothing)."""

from __future__ import annotations

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import (
    AuditLog,
    Competition,
    JudgeAssignment,
    JudgeConflict,
    ScoreSheet,
    ScoreValue,
    StageState,
)
from competition.services import panels
from tests.builders import (
    RUBRIC,
    Api,
    advance,
    csrf_token,
    make_competition,
    make_entry,
    user,
)

# The two rounds of RUBRIC: 教学设计 (目标 40, 方法 60) and 课堂教学 (30, 30, 25.5, 14.5), each out of 100.
FULL_DESIGN, FULL_LESSON = [40, 60], [30, 30, 25.5, 14.5]
LIVE_RUBRIC = [
    {"name": "笔试", "weight": 0.3, "criteria": [{"name": "得分", "max_score": 100}]},
    {"name": "实操", "weight": 0.7, "mode": "live", "criteria": [{"name": "操作", "max_score": 100}]},
]


def judged_contest(entrants, *, judges=(), status="scoring", by="org", rounds=RUBRIC, **overrides):
    """Like ``make_scoring_contest`` with chosen ``rounds``, set up and run by ``by``, left at ``status``:
    ``entrants`` approved in group 0 and drawn 1..n, ``judges`` on group 0's panel."""
    if overrides.get("level") == "school":
        overrides.setdefault("university", entrants[0].university.code)
    competition = make_competition(status="registration_open", by=by, rounds=rounds, **overrides)
    entries = [make_entry(competition, person, status="approved", by=by) for person in entrants]
    advance(competition, "registration_closed", by=by)
    for n, entry in enumerate(entries, 1):
        entry.draw_no = n
    for username in judges:
        panels.assign_judge(
            competition=competition, username=username, group_ids=[competition.groups[0].id], by=user(by)
        )
    db.session.commit()
    advance(competition, status, by=by)
    return competition, entries


class Anonymous(Api):
    """A client that is not logged in but holds a CSRF token (so a write reaches the log-in check)."""

    def __init__(self, app):
        self.username = None
        self.client = app.test_client()
        self.token = csrf_token(self.client)


def scores_for(round_, values) -> dict:
    return {str(c.id): v for c, v in zip(round_.criteria, values, strict=True)}


def sheet_path(round_, entry) -> str:
    return f"/rounds/{round_.id}/entries/{entry.id}/sheet"


def put(api: Api, round_, entry, values, *, submit=False, token="tok-1", **extra):  # noqa: S107
    body = {"scores": scores_for(round_, values), "submit": submit, "client_token": token, **extra}
    return api.put(sheet_path(round_, entry), json=body)


def paper(api: Api, round_, entry, judge: str, values, **extra):
    body = {"scores": scores_for(round_, values), **extra}
    return api.put(f"/rounds/{round_.id}/entries/{entry.id}/sheets/{judge}", json=body)


def unlock(api: Api, round_, entry, judge: str, reason="分数录错"):
    return api.post(f"/rounds/{round_.id}/entries/{entry.id}/sheets/{judge}/unlock", json={"reason": reason})


def call(api: Api, method: str, path: str, body):
    return api.get(path) if method == "get" else getattr(api, method)(path, json=body)


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audit_rows(action: str) -> list[AuditLog]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def sheet_row(judge: str, round_, entry) -> ScoreSheet | None:
    db.session.rollback()
    return db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == user(judge).id,
            ScoreSheet.round_id == round_.id,
            ScoreSheet.entry_id == entry.id,
        )
    )


def snapshot() -> dict:
    """Every row a judging write could touch, to show that a refused one changed nothing."""
    db.session.rollback()

    def rows(*columns):
        return sorted(tuple(str(v) for v in row) for row in db.session.execute(select(*columns)))

    return {
        "sheets": rows(
            ScoreSheet.id,
            ScoreSheet.judge_id,
            ScoreSheet.round_id,
            ScoreSheet.entry_id,
            ScoreSheet.status,
            ScoreSheet.total_tenths,
            ScoreSheet.client_token,
            ScoreSheet.reopened_reason,
            ScoreSheet.entered_by_id,
        ),
        "values": rows(ScoreValue.sheet_id, ScoreValue.criterion_id, ScoreValue.tenths),
        "panel": rows(JudgeAssignment.judge_id, JudgeAssignment.group_id, JudgeAssignment.seat),
        "conflicts": rows(JudgeConflict.judge_id, JudgeConflict.entry_id, JudgeConflict.reason),
        "stage": rows(StageState.group_id, StageState.round_id, StageState.entry_id, StageState.version),
        "audit": rows(AuditLog.id),
        "competitions": rows(Competition.id, Competition.status),
    }


def entry_ids(api: Api) -> set[int]:
    return {i["entry_id"] for i in api.get("/judge/assignments").get_json()}
