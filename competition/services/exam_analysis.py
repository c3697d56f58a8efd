"""Item analysis of an exam round (试题分析): each question over every entrant's first marked attempt."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from ..domain.item_analysis import ItemStats
from ..domain.item_packed import pack_outcome, packed_item_analysis
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


def first_attempt_outcomes(round_: Round) -> list[tuple[Decimal, bytes]]:
    """(score, packed outcome) of each entrant's first marked attempt, in attempt order: one query of two
    columns, no ORM objects and no JSON to decode (an attempt marked before outcomes were packed is packed
    here from its paper and answers)."""
    rows = db.session.execute(
        select(ExamAttempt.score, ExamAttempt.outcome, ExamAttempt.id)
        .where(
            ExamAttempt.round_id == round_.id,
            ExamAttempt.number == 1,
            ExamAttempt.status == AttemptStatus.SUBMITTED,
        )
        .order_by(ExamAttempt.id)
    ).all()
    unpacked = [attempt_id for _score, outcome, attempt_id in rows if outcome is None]
    packed = _pack_old(unpacked) if unpacked else {}
    return [
        (score, outcome if outcome is not None else packed[attempt_id]) for score, outcome, attempt_id in rows
    ]


def _pack_old(attempt_ids: list[int]) -> dict[int, bytes]:
    rows = db.session.execute(
        select(ExamAttempt.id, ExamAttempt.paper, ExamAttempt.answers, ExamAttempt.right).where(
            ExamAttempt.id.in_(attempt_ids)
        )
    )
    packed = {}
    for attempt_id, paper, answers, right in rows:
        answers, right = answers or {}, set(right or ())
        packed[attempt_id] = pack_outcome(
            (item[0], frozenset(answers.get(str(item[0]), ())), item[0] in right) for item in paper
        )
    return packed


def item_analysis_for(round_: Round) -> list[ItemRow]:
    """Every question of the bank with its statistics (those no paper drew have ``seen`` 0), in bank order."""
    close_expired(round_)
    questions = list(
        db.session.scalars(select(Question).where(Question.round_id == round_.id).order_by(Question.position))
    )
    outcomes = first_attempt_outcomes(round_)
    stats = {s.question_id: s for s in packed_item_analysis(outcomes, [q.id for q in questions])}
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
