"""Exam rounds in results and progress: each entry's best score; who started and handed in, per university."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from ..enums import AttemptStatus, EntryStatus
from ..extensions import db
from ..models import Competition, Entry, ExamAttempt, Round, University
from ..models._base import utcnow
from .exams import close_expired

ExamScores = dict[int, tuple[dict[int, tuple[Decimal | None, bool]], tuple[Decimal | None, bool]]]


def window_closed(round_: Round, now: datetime) -> bool:
    return round_.exam_closes is not None and now >= round_.exam_closes


def exam_scores(competition: Competition, group_id: int, now: datetime | None = None) -> ExamScores:
    """Per exam round: ({entry id: (score, complete)}, the default for an entry without a submitted attempt).

    The score is the best marked attempt's; once the window has closed every score is final (complete) and an
    entrant who never started scores 0. Attempts whose deadline has passed are marked first."""
    now = now or utcnow()
    result: ExamScores = {}
    for round_ in competition.rounds:
        if not round_.is_exam:
            continue
        close_expired(round_, now)
        closed = window_closed(round_, now)
        rows = db.session.execute(
            select(ExamAttempt.entry_id, func.max(ExamAttempt.score))
            .join(Entry, ExamAttempt.entry_id == Entry.id)
            .where(
                ExamAttempt.round_id == round_.id,
                ExamAttempt.status == AttemptStatus.SUBMITTED,
                Entry.group_id == group_id,
                Entry.status == EntryStatus.APPROVED,
            )
            .group_by(ExamAttempt.entry_id)
        )
        scores = {entry_id: (Decimal(score), closed) for entry_id, score in rows}
        result[round_.id] = (scores, (Decimal(0), True) if closed else (None, False))
    return result


def open_exam_rounds(competition: Competition, now: datetime | None = None) -> int:
    """Exam rounds whose window has not closed yet: publication waits for them."""
    now = now or utcnow()
    return sum(1 for r in competition.rounds if r.is_exam and not window_closed(r, now))


# --- progress -----------------------------------------------------------------------------------------------


@dataclass
class UniversityProgress:
    university: str
    approved: int = 0
    started: int = 0  # entrants with at least one attempt
    submitted: int = 0  # entrants with a marked attempt

    @property
    def rate(self) -> float:
        return self.submitted / self.approved if self.approved else 0.0


@dataclass
class ExamProgress:
    round: Round
    closed: bool
    universities: list[UniversityProgress] = field(default_factory=list)

    @property
    def approved(self) -> int:
        return sum(u.approved for u in self.universities)

    @property
    def started(self) -> int:
        return sum(u.started for u in self.universities)

    @property
    def submitted(self) -> int:
        return sum(u.submitted for u in self.universities)


def exam_progress(competition: Competition, university_ids: set[int] | None = None) -> list[ExamProgress]:
    """Per exam round and university: approved entrants, how many started, how many handed in (two grouped
    queries per round). ``university_ids`` limits it to those universities (a university admin's view)."""
    now = utcnow()
    items = []
    approved_q = (
        select(Entry.university_id, func.count())
        .where(Entry.competition_id == competition.id, Entry.status == EntryStatus.APPROVED)
        .group_by(Entry.university_id)
    )
    approved = dict(db.session.execute(approved_q).all())
    names = dict(db.session.execute(select(University.id, University.name)).all())
    for round_ in competition.rounds:
        if not round_.is_exam:
            continue
        close_expired(round_, now)
        rows = db.session.execute(
            select(
                Entry.university_id,
                func.count(func.distinct(ExamAttempt.entry_id)),
                func.count(func.distinct(ExamAttempt.entry_id)).filter(
                    ExamAttempt.status == AttemptStatus.SUBMITTED
                ),
            )
            .join(Entry, ExamAttempt.entry_id == Entry.id)
            .where(ExamAttempt.round_id == round_.id)
            .group_by(Entry.university_id)
        )
        counts = {uid: (started, submitted) for uid, started, submitted in rows}
        lines = [
            UniversityProgress(names.get(uid, "?"), approved.get(uid, 0), *counts.get(uid, (0, 0)))
            for uid in sorted(set(approved) | set(counts), key=lambda u: names.get(u, ""))
            if university_ids is None or uid in university_ids
        ]
        items.append(ExamProgress(round_, window_closed(round_, now), lines))
    return items
