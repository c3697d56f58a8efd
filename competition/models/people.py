"""Staff members (教职工) of a university, as imported from its roster."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import Gender, PostCategory
from ..extensions import db
from ._base import in_list, utcnow
from .organisation import Department, University


class Staff(db.Model):
    __tablename__ = "staff"
    __table_args__ = (
        UniqueConstraint("university_id", "staff_no"),
        CheckConstraint(in_list("category", PostCategory), name="category"),
        CheckConstraint(f"gender IS NULL OR {in_list('gender', Gender)}", name="gender"),
        # Coverage and the staff list filter a university's active staff by category.
        Index("ix_staff_university_active_category", "university_id", "active", "category"),
        Index("ix_staff_department_id", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(ForeignKey("university.id", ondelete="CASCADE"))
    staff_no: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(50))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    category: Mapped[str] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(10))
    birth_date: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    university: Mapped[University] = relationship()
    department: Mapped[Department] = relationship()

    def __repr__(self) -> str:
        return f"<Staff {self.staff_no} {self.name}>"
