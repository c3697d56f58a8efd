"""Item analysis of an exam round (试题分析): each question over every entrant's first marked attempt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..domain.item_analysis import AttemptOutcome, ItemStats, item_analysis
from ..enums import AttemptStatus
from ..extensions import db
from ..models import ExamAttempt, Question, Round
from .exam_bank import option_texts
from .exams import close_expired


@dataclass(frozen=True)
class ItemRow:
    question: Question
    stats: ItemStats

    def option_share(self) -> list[tuple[str, str, int, bool]]:
        """(letter as in the bank, option text, times chosen, is right) for each option of the question."""
        texts = option_texts(self.question)
        letters = ("正确", "错误") if self.question.type == "true_false" else "ABCDEF"
        right = set(self.question.answer)
        return [
            (letters[i], text, self.stats.option_counts.get(i, 0), i in right) for i, text in enumerate(texts)
        ]


def first_attempt_outcomes(round_: Round) -> list[AttemptOutcome]:
    """Each entrant's first attempt once marked, in attempt order, as item analysis reads it: one query of
    four columns (the paper, the answers, what was right, the score), no ORM objects."""
    rows = db.session.execute(
        select(ExamAttempt.score, ExamAttempt.paper, ExamAttempt.answers, ExamAttempt.right)
        .where(
            ExamAttempt.round_id == round_.id,
            ExamAttempt.number == 1,
            ExamAttempt.status == AttemptStatus.SUBMITTED,
        )
        .order_by(ExamAttempt.id)
    )
    outcomes = []
    for score, paper, answers, right in rows:
        answers = answers or {}
        outcomes.append(
            AttemptOutcome(
                score=score,
                seen=[item[0] for item in paper],
                answered=[int(qid) for qid, chosen in answers.items() if chosen],
                right=right or (),
                choices=[(int(qid), option) for qid, chosen in answers.items() for option in chosen],
            )
        )
    return outcomes


def item_analysis_for(round_: Round) -> list[ItemRow]:
    """Every question of the bank with its statistics (those no paper drew have ``seen`` 0), in bank order."""
    close_expired(round_)
    questions = list(
        db.session.scalars(select(Question).where(Question.round_id == round_.id).order_by(Question.position))
    )
    outcomes = first_attempt_outcomes(round_)
    stats = {s.question_id: s for s in item_analysis(outcomes, [q.id for q in questions])}
    return [ItemRow(q, stats[q.id]) for q in questions if q.id in stats]


def item_dict(row: ItemRow) -> dict:
    """``GET /rounds/{id}/item_analysis`` (API.md) plus ``seen`` and the options chosen."""
    s = row.stats
    return {
        "question_id": s.question_id,
        "answered": s.answered,
        "correct_rate": None if s.correct_rate is None else float(s.correct_rate),
        "discrimination": None if s.discrimination is None else float(s.discrimination),
        "seen": s.seen,
        "options": [{"option": letter, "chosen": n} for letter, _text, n, _right in row.option_share()],
    }
