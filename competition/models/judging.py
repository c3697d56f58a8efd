"""Judging: judges assigned to groups, declared conflicts, score sheets with their values, the stage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import SheetStatus, StageScreen
from ..extensions import db
from ._base import in_list, utcnow
from .accounts import User
from .contests import CompetitionGroup, Entry


class JudgeAssignment(db.Model):
    """A judge on a group's panel (评委), with a seat number the tablet and the big screen show."""

    __tablename__ = "judge_assignment"
    __table_args__ = (
        UniqueConstraint("group_id", "judge_id"),
        UniqueConstraint("group_id", "seat"),
        CheckConstraint("seat >= 1", name="seat"),
        Index("ix_judge_assignment_judge", "judge_id", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("competition_group.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    seat: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    group: Mapped[CompetitionGroup] = relationship()
    judge: Mapped[User] = relationship(foreign_keys=[judge_id])


class JudgeConflict(db.Model):
    """A declared conflict (a relative, a student, a co-author): the judge neither sees nor scores it."""

    __tablename__ = "judge_conflict"
    __table_args__ = (UniqueConstraint("judge_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    judge: Mapped[User] = relationship(foreign_keys=[judge_id])
    entry: Mapped[Entry] = relationship()


class ScoreSheet(db.Model):
    """One judge's sheet for one entry in one round (评分表): a draft until submitted, then locked.

    Scores are kept in tenths of a point as integers (``total_tenths``, ``ScoreValue.tenths``): exact on every
    database, and one decimal by construction.
    """

    __tablename__ = "score_sheet"
    __table_args__ = (
        # One sheet per judge, round and entry: two tablets or a retried request can never make a second.
        UniqueConstraint("judge_id", "round_id", "entry_id", name="uq_score_sheet_judge_round_entry"),
        CheckConstraint(in_list("status", SheetStatus), name="status"),
        CheckConstraint("total_tenths >= 0", name="total"),
        Index("ix_score_sheet_round_entry", "round_id", "entry_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default=SheetStatus.DRAFT.value)
    total_tenths: Mapped[int] = mapped_column(default=0)
    # The tablet's token for the submission: the same token again is the same submission (answered alike).
    client_token: Mapped[str | None] = mapped_column(String(64))
    # The token of the submission an organizer reopened: a late resend of it must not submit the sheet again.
    reopened_token: Mapped[str | None] = mapped_column(String(64))
    reopened_reason: Mapped[str | None] = mapped_column(Text)
    reopened_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    # Set when an organizer entered the sheet for the judge (paper fallback).
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    values: Mapped[list[ScoreValue]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan", order_by="ScoreValue.criterion_id"
    )
    judge: Mapped[User] = relationship(foreign_keys=[judge_id])


class ScoreValue(db.Model):
    """One criterion's value on a sheet in tenths, checked against its maximum (kept here too)."""

    __tablename__ = "score_value"
    __table_args__ = (CheckConstraint("tenths >= 0 AND tenths <= max_tenths", name="range"),)

    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criterion.id", ondelete="CASCADE"), primary_key=True
    )
    tenths: Mapped[int]
    max_tenths: Mapped[int]

    sheet: Mapped[ScoreSheet] = relationship(back_populates="values")


class StageState(db.Model):
    """What is on stage in a group (live rounds, big screen); ``version`` grows with each change (ETag)."""

    __tablename__ = "stage_state"
    __table_args__ = (
        UniqueConstraint("competition_id", "group_id"),
        CheckConstraint(in_list("screen", StageScreen), name="screen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("competition_group.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="SET NULL"))
    screen: Mapped[str] = mapped_column(String(10), default=StageScreen.NEXT.value)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The secret of the group's screen link (a kiosk needs no account); rotating it ends the old link.
    screen_token: Mapped[str | None] = mapped_column(String(64))
