"""Results: the entries revealed on the big screen, the publication (公示) with its frozen snapshot, and the
certificates (获奖证书) written at that moment."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow
from .contests import Competition, Entry


class StageReveal(db.Model):
    """An entry whose score of a round the organizer revealed on the big screen (亮分): the screen's running
    leaderboard lists these only, so nothing shows before its reveal."""

    __tablename__ = "stage_reveal"
    __table_args__ = (
        UniqueConstraint("round_id", "entry_id"),
        Index("ix_stage_reveal_group_round", "group_id", "round_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("competition_group.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    revealed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Publication(db.Model):
    """The publication (公示) of a competition's results: who and when, the objection period and contact, and
    the snapshot of every group's results that public pages, certificates and exports read from then on."""

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), unique=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    objection_ends: Mapped[date | None] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(Text, default="")
    # {"groups": [{"group_id", "name", "complete", "items": [...]}], "rounds": [...], "decimals": 2}
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)

    competition: Mapped[Competition] = relationship()


class Certificate(db.Model):
    """A certificate (获奖证书) issued at publication: what it states is kept here, so the public verification
    page shows exactly that, and a forged or altered paper is caught."""

    __tablename__ = "certificate"
    __table_args__ = (UniqueConstraint("entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    university: Mapped[str] = mapped_column(String(200))
    competition_name: Mapped[str] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(String(100))
    award: Mapped[str] = mapped_column(String(50))
    organizer: Mapped[str] = mapped_column(String(200))
    issued: Mapped[date] = mapped_column(Date)

    entry: Mapped[Entry] = relationship()
