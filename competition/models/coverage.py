"""Participation in events run outside the platform, imported by a university's union (offline)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow
from .people import Staff


class OfflineParticipation(db.Model):
    __tablename__ = "offline_participation"
    __table_args__ = (
        # Coverage reads a university's participations of a year; the staff page reads one person's.
        Index("ix_offline_participation_university_year", "university_id", "year"),
        Index("ix_offline_participation_staff_id", "staff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(ForeignKey("university.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(200))
    date: Mapped[date] = mapped_column(Date)
    # The year of ``date``, stored so that coverage filters on an indexed integer on every engine.
    year: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    staff: Mapped[Staff] = relationship()


class Setting(db.Model):
    """A province-wide setting that organizers change in the UI (e.g. the coverage thresholds)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
