"""Written tests: an exam round's question bank and the entrants' attempts with their drawn papers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import AttemptStatus, QuestionType
from ..extensions import db
from ._base import in_list, utcnow
from .contests import Entry, Round


class Question(db.Model):
    """One question of an exam round's bank (题库): options as written, the answer as 0-based indexes."""

    __tablename__ = "question"
    __table_args__ = (
        CheckConstraint(in_list("type", QuestionType), name="type"),
        Index("ix_question_round_position", "round_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)  # [] for true/false: 正确, 错误
    answer: Mapped[list] = mapped_column(JSON, default=list)
    tag: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship()


class ExamAttempt(db.Model):
    """An entrant's sitting of an exam round: the paper drawn for them (kept, so a reload shows the same
    paper and an auditor can reproduce it), the answers saved so far and, once marked, the score."""

    __tablename__ = "exam_attempt"
    __table_args__ = (
        # Two tabs starting at once still make one attempt: the database decides.
        UniqueConstraint("round_id", "entry_id", "number"),
        CheckConstraint(in_list("status", AttemptStatus), name="status"),
        CheckConstraint("number >= 1", name="number"),
        # Progress and results read a round's attempts by status.
        Index("ix_exam_attempt_round_status", "round_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    seed: Mapped[int] = mapped_column(db.BigInteger)
    paper: Mapped[list] = mapped_column(JSON, default=list)  # domain.exam.paper_to_data
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # {"<question id>": [original option indexes]}
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime]
    saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS.value)
    closed_by: Mapped[str | None] = mapped_column(String(10))  # "submit" or "deadline"
    score: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    max_score: Mapped[Decimal] = mapped_column(Numeric(10, 4))
    right: Mapped[list | None] = mapped_column(JSON)  # question ids answered exactly right, once marked
    # The marked paper packed for item analysis (domain.item_packed): 20,000 attempts count in milliseconds.
    outcome: Mapped[bytes | None] = mapped_column(LargeBinary)

    round: Mapped[Round] = relationship()
    entry: Mapped[Entry] = relationship()

    @property
    def submitted(self) -> bool:
        return self.status == AttemptStatus.SUBMITTED
