"""Sitting a written test: start (or resume) an attempt, save answers, submit, and marking at the deadline.

The server's clock rules: the deadline is fixed when the attempt starts (start + time limit, capped by the
window's close); answers are refused from then on, and an attempt still in progress is marked with what was
saved whenever anyone next reads it or the round's results (no client is needed for that).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..database import is_db_int
from ..domain import exam
from ..domain.item_packed import pack_outcome
from ..enums import AttemptStatus, CompetitionStatus, EntryStatus, QuestionType
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..models import Entry, ExamAttempt, Question, Round, User
from ..models._base import utcnow
from ..permissions import can_manage_competition
from ..permissions.roles import staff_ids
from .exam_bank import option_texts

SITTING_STATUSES = frozenset(
    {CompetitionStatus.REGISTRATION_OPEN, CompetitionStatus.REGISTRATION_CLOSED, CompetitionStatus.SCORING}
)
MAX_ANSWERS_PER_SAVE = 500


def _lock(statement):
    """Serialise writers of a row on PostgreSQL (two tabs of one person); SQLite serialises writers."""
    return statement.with_for_update() if db.engine.dialect.name == "postgresql" else statement


def entrant_entry(round_: Round, user: User) -> Entry | None:
    """The user's approved entry in the round's competition (None when they have none)."""
    ids = staff_ids(user)
    if not ids:
        return None
    return db.session.scalar(
        select(Entry).where(
            Entry.competition_id == round_.competition_id,
            Entry.staff_id.in_(ids),
            Entry.status == EntryStatus.APPROVED,
        )
    )


def window_open(round_: Round, now: datetime) -> bool:
    return (
        round_.competition.status in SITTING_STATUSES
        and round_.exam_opens is not None
        and round_.exam_opens <= now < round_.exam_closes
    )


def attempts_of(round_: Round, entry: Entry, *, lock: bool = False) -> list[ExamAttempt]:
    statement = (
        select(ExamAttempt)
        .where(ExamAttempt.round_id == round_.id, ExamAttempt.entry_id == entry.id)
        .order_by(ExamAttempt.number)
    )
    return list(db.session.scalars(_lock(statement) if lock else statement))


def _bank(round_: Round) -> list[exam.BankQuestion]:
    rows = db.session.execute(
        select(Question.id, Question.type, Question.options).where(Question.round_id == round_.id)
    )
    return [
        exam.BankQuestion(
            qid,
            qtype,
            exam.TRUE_FALSE_OPTIONS if qtype == QuestionType.TRUE_FALSE else len(options),
            frozenset() if qtype == QuestionType.TRUE_FALSE else exam.pinned_options(options),
        )
        for qid, qtype, options in rows
    ]


def start_attempt(*, round_: Round, user: User, now: datetime | None = None) -> tuple[ExamAttempt, bool]:
    """The attempt in progress (resumed: the same paper), or a new one with a paper drawn for this entrant.

    Refusals: not an exam round (404), no approved entry (403), outside the window or the competition not open
    for it (409 exam_closed), no attempt left (409 already_submitted), the bank smaller than the paper (409
    bank_too_small)."""
    now = now or utcnow()
    if not round_.is_exam:
        raise NotFound(_("This round is not a written test."))
    entry = entrant_entry(round_, user)
    if entry is None:
        raise Forbidden(_("Only entrants whose entry is approved can sit this test."))
    earlier = attempts_of(round_, entry, lock=True)
    for attempt in earlier:
        if attempt.status == AttemptStatus.IN_PROGRESS:
            if exam.accepts_answers(now, attempt.deadline):
                return attempt, False
            mark(attempt, now=now, closed_by="deadline")
    if not window_open(round_, now):
        raise Conflict(_("This test is not open now."), code="exam_closed")
    if len(earlier) >= round_.exam_attempts:
        raise Conflict(_("You have already handed in this test."), code="already_submitted")
    rule = round_.paper_rule
    bank = _bank(round_)
    missing = exam.bank_shortfall(rule, {t: sum(1 for q in bank if q.type == t) for t in exam.TYPE_ORDER})
    if missing:
        raise Conflict(
            _("The question bank has fewer questions than the paper needs: ask the organizer."),
            code="bank_too_small",
        )
    seed = secrets.randbits(62)  # recorded with the paper: the draw can be reproduced
    attempt = ExamAttempt(
        round_id=round_.id,
        entry_id=entry.id,
        user_id=user.id,
        number=len(earlier) + 1,
        seed=seed,
        paper=exam.paper_to_data(exam.draw_paper(bank, rule, seed)),
        answers={},
        started_at=now,
        deadline=exam.deadline(now, round_.exam_minutes, round_.exam_closes),
        status=AttemptStatus.IN_PROGRESS,
        max_score=rule.maximum,
    )
    savepoint = db.session.begin_nested()
    db.session.add(attempt)
    try:
        savepoint.commit()
    except IntegrityError:  # another tab started the same attempt a moment ago: that one is ours
        savepoint.rollback()
        existing = next((a for a in attempts_of(round_, entry) if a.number == len(earlier) + 1), None)
        if existing is None:
            raise
        return existing, False
    return attempt, True


# --- the paper as the phone gets it -----------------------------------------------------------------------


def paper_questions(
    attempt: ExamAttempt, bank: dict[int, Question] | None = None
) -> list[tuple[exam.PaperQuestion, Question]]:
    """The paper's questions in its order; ``bank`` (id → question) spares the query when marking many."""
    paper = exam.paper_from_data(attempt.paper)
    if bank is None:
        ids = [q.question_id for q in paper]
        bank = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
    return [(q, bank[q.question_id]) for q in paper if q.question_id in bank]


def phone_paper(attempt: ExamAttempt) -> list[dict]:
    """The questions in the paper's order with their options under the displayed keys: never an answer."""
    items = []
    for placed, question in paper_questions(attempt):
        texts = option_texts(question)
        items.append(
            {
                "id": question.id,
                "type": question.type,
                "text": question.text,
                "options": [{"key": exam.KEYS[k], "text": texts[o]} for k, o in enumerate(placed.options)],
            }
        )
    return items


def saved_keys(attempt: ExamAttempt) -> dict[str, list[str]]:
    """The saved answers as the keys the phone shows: {"17": ["B", "D"]}."""
    options = {q.question_id: q.options for q in exam.paper_from_data(attempt.paper)}
    keys = {}
    for qid, chosen in (attempt.answers or {}).items():
        shown = options.get(int(qid))
        if shown is not None and chosen:
            keys[qid] = sorted(exam.displayed_key(shown, o) for o in chosen)
    return keys


def answer_key(attempt: ExamAttempt) -> dict[str, list[str]]:
    """The right answers as this paper's keys (shown after the window closes when the round allows it)."""
    return {
        str(question.id): sorted(exam.displayed_key(placed.options, o) for o in question.answer)
        for placed, question in paper_questions(attempt)
    }


# --- saving, submitting, marking --------------------------------------------------------------------------


def _locked(attempt: ExamAttempt) -> ExamAttempt:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(ExamAttempt.id).where(ExamAttempt.id == attempt.id).with_for_update())
        db.session.refresh(attempt)
    return attempt


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": field, "message": message}])


def save_answers(*, attempt: ExamAttempt, answers: object, by: User, now: datetime | None = None) -> int:
    """Merge ``{"<question id>": ["B", "D"]}`` into what is saved (an empty list clears a question); resending
    the same answer is harmless. Refused after the deadline or submission (409 attempt_closed); a question or
    key not on the paper is a 422 and nothing is saved."""
    now = now or utcnow()
    attempt = _locked(attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS or not exam.accepts_answers(now, attempt.deadline):
        raise Conflict(
            _("Time is up or the test was handed in: answers can no longer change."), code="attempt_closed"
        )
    if not isinstance(answers, dict):
        raise _bad("answers", _("“answers” must map question ids to lists of option letters."))
    if len(answers) > MAX_ANSWERS_PER_SAVE:
        raise _bad("answers", _("Too many answers in one request."))
    paper = {q.question_id: q.options for q in exam.paper_from_data(attempt.paper)}
    types = dict(db.session.execute(select(Question.id, Question.type).where(Question.id.in_(paper))).all())
    merged = dict(attempt.answers or {})
    for raw_id, keys in answers.items():
        field = f"answers.{str(raw_id)[:20]}"
        qid = int(raw_id) if isinstance(raw_id, str) and raw_id.isdigit() and len(raw_id) < 19 else None
        if qid not in paper:
            raise _bad(field, _("This question is not on your paper."))
        if (
            not isinstance(keys, list)
            or not all(isinstance(k, str) for k in keys)
            or len(keys) > len(exam.KEYS)
        ):
            raise _bad(field, _('An answer is a list of option letters, such as ["B"].'))
        chosen = exam.chosen_options(paper[qid], keys)
        if chosen is None:
            raise _bad(field, _("This option is not on the question."))
        if len(chosen) > 1 and types.get(qid) != QuestionType.MULTIPLE:
            raise _bad(field, _("Only one option can be chosen for this question."))
        if chosen:
            merged[str(qid)] = sorted(chosen)
        else:
            merged.pop(str(qid), None)
    attempt.answers = merged
    attempt.saved_at = now
    db.session.flush()
    return len(answers)


def mark(
    attempt: ExamAttempt, *, now: datetime, closed_by: str, bank: dict[int, Question] | None = None
) -> ExamAttempt:
    """Mark what is saved and close the attempt (at the deadline with no client, or on 交卷)."""
    round_ = attempt.round
    keys, right, outcome = [], [], []
    answers = {int(qid): frozenset(chosen) for qid, chosen in (attempt.answers or {}).items()}
    for _placed, question in paper_questions(attempt, bank):
        correct = frozenset(question.answer)
        keys.append(exam.AnswerKey(question.id, question.type, correct))
        chosen = answers.get(question.id, frozenset())
        if chosen == correct:
            right.append(question.id)
        outcome.append((question.id, chosen, chosen == correct))
    marked = exam.mark_attempt(
        keys, answers, round_.paper_rule, round_.exam_multiple_partial, round_.competition.decimals
    )
    attempt.score, attempt.right, attempt.outcome = marked.total, right, pack_outcome(outcome)
    attempt.status, attempt.closed_by = AttemptStatus.SUBMITTED, closed_by
    attempt.submitted_at = min(now, attempt.deadline)
    db.session.flush()
    return attempt


def submit_attempt(*, attempt: ExamAttempt, by: User, now: datetime | None = None) -> ExamAttempt:
    """交卷: mark it now (again: the same answer); after the deadline it is marked as the deadline left it."""
    now = now or utcnow()
    attempt = _locked(attempt)
    if attempt.status == AttemptStatus.SUBMITTED:
        return attempt
    closed_by = "submit" if exam.accepts_answers(now, attempt.deadline) else "deadline"
    return mark(attempt, now=now, closed_by=closed_by)


def close_if_expired(attempt: ExamAttempt, now: datetime | None = None) -> ExamAttempt:
    now = now or utcnow()
    if attempt.status == AttemptStatus.IN_PROGRESS and not exam.accepts_answers(now, attempt.deadline):
        mark(_locked(attempt), now=now, closed_by="deadline")
    return attempt


def close_expired(round_: Round, now: datetime | None = None) -> int:
    """Mark every attempt of the round whose deadline has passed; how many there were."""
    now = now or utcnow()
    expired = list(
        db.session.scalars(
            _lock(
                select(ExamAttempt).where(
                    ExamAttempt.round_id == round_.id,
                    ExamAttempt.status == AttemptStatus.IN_PROGRESS,
                    ExamAttempt.deadline <= now,
                )
            )
        )
    )
    if expired:  # the bank once for all of them: a quiz's deadline may close thousands at once
        bank = {q.id: q for q in db.session.scalars(select(Question).where(Question.round_id == round_.id))}
        for attempt in expired:
            mark(attempt, now=now, closed_by="deadline", bank=bank)
    return len(expired)


def attempt_for(attempt_id: int, user: User, now: datetime | None = None) -> ExamAttempt:
    """The attempt for its owner or those who run the competition; anyone else gets a 404 (not a 403)."""
    attempt = db.session.get(ExamAttempt, attempt_id) if is_db_int(attempt_id) else None
    if attempt is None or not (
        attempt.user_id == user.id or can_manage_competition(user, attempt.round.competition)
    ):
        raise NotFound(_("No such attempt."))
    return close_if_expired(attempt, now)


def _utc(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat()


def attempt_dict(attempt: ExamAttempt, now: datetime | None = None) -> dict:
    """``GET /attempts/{id}`` (API.md) plus ``seconds_left``, ``closed_by`` and ``answered``."""
    now = now or utcnow()
    item = {
        "id": attempt.id,
        "status": attempt.status,
        "deadline": _utc(attempt.deadline),
        "seconds_left": exam.seconds_left(now, attempt.deadline) if not attempt.submitted else 0,
        "max_score": float(attempt.max_score),
        "answered": len(attempt.answers or {}),
        "question_count": len(attempt.paper or []),
    }
    if attempt.submitted:
        item.update(score=float(attempt.score), closed_by=attempt.closed_by)
    return item
