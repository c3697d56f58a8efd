"""Score sheets: a judge's sheet read and written (draft, submit), reopened by an organizer, entered on paper.

Writing a sheet is the busiest request of a contest day, so it takes one statement that checks the judge's
right to the sheet and upserts it (``INSERT … SELECT … WHERE <assigned, not recused, on stage, scoring> ON
CONFLICT DO UPDATE … WHERE status = 'draft' RETURNING id``, SQL text compiled once) and one that upserts its
values. Only when that statement writes nothing does the service look at why, to answer 403, 409 or the
repeat of a submission.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Boolean, DateTime, bindparam, delete, select, text

from ..database import is_db_int
from ..domain.lifecycle import accepts_score_sheets
from ..domain.scoring import CheckedSheet, CriterionRule, SheetProblem, check_sheet, to_score, to_tenths
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, Role, RoundMode, SheetStatus
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..models import (
    Criterion,
    Entry,
    JudgeAssignment,
    JudgeConflict,
    RoleGrant,
    Round,
    ScoreSheet,
    ScoreValue,
    User,
)
from ..models._base import utcnow
from . import audit, live
from .messages import sheet_problem_message

MAX_TOKEN = 64


@dataclass(frozen=True)
class SheetAnswer:
    status: str  # none, draft, submitted
    total_tenths: int
    values: dict[int, int]
    reopened_reason: str | None = None

    @property
    def total(self):
        return to_score(self.total_tenths)


def criteria_of(round_id: int) -> list[CriterionRule]:
    """The round's rubric as (criterion id, maximum in tenths); an unknown round is a 404."""
    if not is_db_int(round_id):  # beyond the column's range: PostgreSQL would refuse the query (a 500)
        raise NotFound(_("No such round."))
    rows = db.session.execute(
        select(Criterion.id, Criterion.max_score)
        .where(Criterion.round_id == round_id)
        .order_by(Criterion.position)
    ).all()
    if not rows:
        raise NotFound(_("No such round."))
    return [CriterionRule(criterion_id, to_tenths(maximum)) for criterion_id, maximum in rows]


def rejection(problems: list[SheetProblem]) -> ValidationFailed:
    return ValidationFailed(
        _("The scores were not saved: please correct the marked values."),
        details=[{"field": f"scores.{p.criterion}", "message": sheet_problem_message(p)} for p in problems],
    )


# Writing a sheet in one statement: the row is inserted (or a draft updated) only where the judge may
# write it, that is where the competition is being scored, the entry is approved, the judge sits on its
# group's panel and is not recused (a declared conflict; their own university in a provincial competition),
# and, in a live round, the entry is on stage (not asked of a paper sheet an organizer enters: ``paper``).
# A submitted sheet is never updated, nor a reopened one by a late resend of the submission that was
# reopened (a draft without a token compares as NULL, hence its own term).
#
# Plain SQL text, because SQLAlchemy compiles its ``INSERT … ON CONFLICT`` constructs anew on every execution
# (the dialects' ``Insert`` has no cache key), which took more time than the rest of the request; a ``text()``
# is compiled once. The same text runs on SQLite (3.35 or later, for RETURNING) and PostgreSQL.
_UPSERT_SHEET = text(
    """
    INSERT INTO score_sheet (round_id, entry_id, judge_id, status, total_tenths, client_token, updated_at,
                             submitted_at, entered_by_id)
    SELECT :round_id, entry.id, :judge_id, :status, :total_tenths, :token, :now, :submitted_at, :entered_by_id
    FROM entry
    JOIN competition ON competition.id = entry.competition_id
    JOIN round ON round.id = :round_id AND round.competition_id = entry.competition_id
    WHERE entry.id = :entry_id
      AND entry.status = :approved
      AND competition.status = :scoring
      AND EXISTS (SELECT 1 FROM judge_assignment
                  WHERE judge_assignment.group_id = entry.group_id AND judge_assignment.judge_id = :judge_id)
      AND NOT EXISTS (SELECT 1 FROM judge_conflict
                      WHERE judge_conflict.judge_id = :judge_id AND judge_conflict.entry_id = entry.id)
      AND NOT (competition.level = :provincial AND entry.university_id IN (
               SELECT role_grant.university_id FROM role_grant
               WHERE role_grant.user_id = :judge_id AND role_grant.role = :judge_role
                 AND role_grant.university_id IS NOT NULL))
      AND (round.mode = :queue OR :paper OR EXISTS (
           SELECT 1 FROM stage_state WHERE stage_state.group_id = entry.group_id
             AND stage_state.round_id = :round_id AND stage_state.entry_id = entry.id))
    ON CONFLICT (judge_id, round_id, entry_id) DO UPDATE SET
      status = excluded.status, total_tenths = excluded.total_tenths, client_token = excluded.client_token,
      updated_at = excluded.updated_at, submitted_at = excluded.submitted_at,
      entered_by_id = excluded.entered_by_id
    WHERE score_sheet.status = :draft
      AND (score_sheet.reopened_token IS NULL OR excluded.client_token IS NULL
           OR score_sheet.reopened_token != excluded.client_token)
    RETURNING id
    """
).bindparams(
    bindparam("now", type_=DateTime()),
    bindparam("submitted_at", type_=DateTime()),
    bindparam("paper", type_=Boolean()),
)
_UPSERT_VALUE = text(
    "INSERT INTO score_value (sheet_id, criterion_id, tenths, max_tenths) "
    "VALUES (:sheet_id, :criterion_id, :tenths, :max_tenths) "
    "ON CONFLICT (sheet_id, criterion_id) DO UPDATE SET tenths = excluded.tenths"
)


def _upsert_sheet(
    *,
    judge_id: int,
    round_id: int,
    entry_id: int,
    checked: CheckedSheet,
    submit: bool,
    token: str | None,
    entered_by_id: int | None,
) -> int | None:
    """The one statement that checks the right to the sheet and writes it; the sheet's id, or None."""
    now = utcnow()
    params = {
        "round_id": round_id,
        "entry_id": entry_id,
        "judge_id": judge_id,
        "status": (SheetStatus.SUBMITTED if submit else SheetStatus.DRAFT).value,
        "total_tenths": checked.total_tenths,
        "token": token,
        "now": now,
        "submitted_at": now if submit else None,
        "entered_by_id": entered_by_id,
        "paper": entered_by_id is not None,
        "approved": EntryStatus.APPROVED.value,
        "scoring": CompetitionStatus.SCORING.value,
        "provincial": CompetitionLevel.PROVINCIAL.value,
        "judge_role": Role.JUDGE.value,
        "queue": RoundMode.QUEUE.value,
        "draft": SheetStatus.DRAFT.value,
    }
    return db.session.execute(_UPSERT_SHEET, params).scalar()


def _write_values(sheet_id: int, checked: CheckedSheet, criteria: list[CriterionRule]) -> None:
    maxima = {c.id: c.max_tenths for c in criteria}
    if checked.values:  # one statement run for every value (executemany)
        db.session.execute(
            _UPSERT_VALUE,
            [
                {"sheet_id": sheet_id, "criterion_id": cid, "tenths": tenths, "max_tenths": maxima[cid]}
                for cid, tenths in checked.values.items()
            ],
        )
    if len(checked.values) < len(criteria):  # a draft with criteria left (or made) empty
        db.session.execute(
            delete(ScoreValue).where(
                ScoreValue.sheet_id == sheet_id, ScoreValue.criterion_id.not_in(list(checked.values) or [-1])
            )
        )


def _why_not(*, judge_id: int, round_id: int, entry_id: int, token: str | None) -> SheetAnswer:
    """After the upsert wrote nothing: the same submission again (its answer), or the refusal that applies."""
    sheet = db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == judge_id, ScoreSheet.round_id == round_id, ScoreSheet.entry_id == entry_id
        )
    )
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        if token and token == sheet.client_token:
            return answer_of(sheet)
        raise Conflict(
            _("This sheet is already submitted: only an organizer can reopen it."), code="already_submitted"
        )
    if sheet is not None and token and token == sheet.reopened_token:
        raise Conflict(
            _("This submission was reopened by an organizer; the sheet is a draft again."), code="reopened"
        )
    entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
    round_ = db.session.get(Round, round_id) if is_db_int(round_id) else None
    if entry is None or round_ is None or round_.competition_id != entry.competition_id:
        raise Forbidden(_("You are not assigned to score this entry."))
    if not is_assigned(judge_id, entry):
        raise Forbidden(_("You are not assigned to score this entry."))
    if not accepts_score_sheets(entry.competition.status):
        raise Conflict(_("This competition is not being scored now."), code="wrong_state")
    if round_.mode == RoundMode.LIVE:
        raise Conflict(_("This contestant is not on stage: score the one on stage."), code="not_on_stage")
    raise Forbidden(_("You are not assigned to score this entry."))


def is_assigned(judge_id: int, entry: Entry) -> bool:
    """The judge sits on the entry's panel and is not recused from it (any state of the competition)."""
    if entry.status != EntryStatus.APPROVED:
        return False
    seated = db.session.scalar(
        select(JudgeAssignment.id).where(
            JudgeAssignment.group_id == entry.group_id, JudgeAssignment.judge_id == judge_id
        )
    )
    if seated is None:
        return False
    if db.session.scalar(
        select(JudgeConflict.id).where(JudgeConflict.judge_id == judge_id, JudgeConflict.entry_id == entry.id)
    ):
        return False
    if entry.competition.level == CompetitionLevel.PROVINCIAL:
        own = db.session.scalar(
            select(RoleGrant.id).where(
                RoleGrant.user_id == judge_id,
                RoleGrant.role == Role.JUDGE,
                RoleGrant.university_id == entry.university_id,
            )
        )
        return own is None
    return True


def answer_of(sheet: ScoreSheet | None) -> SheetAnswer:
    if sheet is None:
        return SheetAnswer(status="none", total_tenths=0, values={})
    return SheetAnswer(
        status=sheet.status,
        total_tenths=sheet.total_tenths,
        values={v.criterion_id: v.tenths for v in sheet.values},
        reopened_reason=sheet.reopened_reason,
    )


def _token(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_TOKEN:
        message = _("client_token must be text of at most %(n)d characters.", n=MAX_TOKEN)
        raise ValidationFailed(message, details=[{"field": "client_token", "message": message}])
    return value


def save_sheet(
    *,
    judge: User,
    round_id: int,
    entry_id: int,
    scores: object,
    submit: object,
    client_token: object,
    entered_by: User | None = None,
) -> SheetAnswer:
    """Write the judge's sheet as a draft, or submit it (locked from then on). Idempotent for a submission
    repeated with the same ``client_token``; a rejected value changes nothing."""
    if not isinstance(scores, dict):
        message = _("scores must map criterion ids to numbers.")
        raise ValidationFailed(message, details=[{"field": "scores", "message": message}])
    if not isinstance(submit, bool):
        message = _("submit must be true or false.")
        raise ValidationFailed(message, details=[{"field": "submit", "message": message}])
    token = _token(client_token)
    criteria = criteria_of(round_id)
    checked, problems = check_sheet(criteria, scores, submit=submit)
    if problems:
        raise rejection(problems)
    if not is_db_int(entry_id):  # no such entry (and beyond the column's range)
        raise Forbidden(_("You are not assigned to score this entry."))
    sheet_id = _upsert_sheet(
        judge_id=judge.id,
        round_id=round_id,
        entry_id=entry_id,
        checked=checked,
        submit=submit,
        token=token,
        entered_by_id=entered_by.id if entered_by else None,
    )
    if sheet_id is None:
        return _why_not(judge_id=judge.id, round_id=round_id, entry_id=entry_id, token=token)
    _write_values(sheet_id, checked, criteria)
    if submit:
        audit.record(
            "sheet.submit" if entered_by is None else "sheet.enter_on_paper",
            by=entered_by or judge,
            object_type="score_sheet",
            object_id=sheet_id,
            round_id=round_id,
            entry_id=entry_id,
            judge=judge.username,
            total=str(checked.total),
        )
    status = SheetStatus.SUBMITTED if submit else SheetStatus.DRAFT
    return SheetAnswer(status=status, total_tenths=checked.total_tenths, values=checked.values)


def read_sheet(*, judge: User, round_id: int, entry_id: int) -> SheetAnswer:
    """The judge's own sheet (status none when there is none yet); not assigned or recused → 403."""
    round_ = db.session.get(Round, round_id) if is_db_int(round_id) else None
    entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
    if round_ is None:
        raise NotFound(_("No such round."))
    if entry is None or round_.competition_id != entry.competition_id or not is_assigned(judge.id, entry):
        raise Forbidden(_("You are not assigned to score this entry."))
    sheet = db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == judge.id, ScoreSheet.round_id == round_id, ScoreSheet.entry_id == entry_id
        )
    )
    return answer_of(sheet)


def unlock_sheet(*, round_: Round, entry: Entry, judge: User, reason: object, by: User) -> ScoreSheet:
    """An organizer reopens a submitted sheet with a reason the judge reads; audited; never once published."""
    if entry.competition.status == CompetitionStatus.PUBLISHED:
        message = _("The results are published: sheets can no longer be reopened.")
        raise Conflict(message, code="wrong_state")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > 500:
        message = _("Give a reason (at most 500 characters): the judge will read it.")
        raise ValidationFailed(message, details=[{"field": "reason", "message": message}])
    sheet = db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == judge.id, ScoreSheet.round_id == round_.id, ScoreSheet.entry_id == entry.id
        )
    )
    if sheet is None or sheet.status != SheetStatus.SUBMITTED:
        raise Conflict(_("Only a submitted sheet can be reopened."), code="wrong_state")
    total = sheet.total_tenths
    sheet.status = SheetStatus.DRAFT
    sheet.reopened_token, sheet.client_token = sheet.client_token, None
    sheet.reopened_reason, sheet.reopened_at, sheet.submitted_at = reason, utcnow(), None
    live.bump(entry.competition_id)  # a revealed score may change: every big screen refetches
    audit.record(
        "sheet.unlock",
        by=by,
        object_type="score_sheet",
        object_id=sheet.id,
        university_id=entry.competition.university_id,
        competition_id=entry.competition_id,
        round_id=round_.id,
        entry_id=entry.id,
        judge=judge.username,
        reason=reason,
        total=str(to_score(total)),
    )
    return sheet
