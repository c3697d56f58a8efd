"""Universities and their departments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow


class University(db.Model):
    __tablename__ = "university"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    departments: Mapped[list[Department]] = relationship(
        back_populates="university", order_by="Department.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<University {self.code}>"


class Department(db.Model):
    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("university_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(ForeignKey("university.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))

    university: Mapped[University] = relationship(back_populates="departments")
