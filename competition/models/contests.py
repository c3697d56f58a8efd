"""Competitions: groups, rounds with their rubrics, award levels, entries, materials and draws."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.exam import PaperPart, PaperRule
from ..enums import (
    CompetitionKind,
    CompetitionLevel,
    CompetitionStatus,
    EntryStatus,
    FinalMode,
    RoundKind,
    RoundMode,
)
from ..extensions import db
from ._base import in_list, utcnow
from .organisation import University
from .people import Staff


class Competition(db.Model):
    __tablename__ = "competition"
    __table_args__ = (
        CheckConstraint(in_list("kind", CompetitionKind), name="kind"),
        CheckConstraint(in_list("level", CompetitionLevel), name="level"),
        CheckConstraint(in_list("status", CompetitionStatus), name="status"),
        CheckConstraint(in_list("final_mode", FinalMode), name="final_mode"),
        CheckConstraint(
            "(level = 'school' AND university_id IS NOT NULL)"
            " OR (level = 'provincial' AND university_id IS NULL)",
            name="owner",
        ),
        CheckConstraint("registration_closes > registration_opens", name="window"),
        # Coverage counts a year's competitions; lists filter by year and level.
        Index("ix_competition_year_level", "year", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    university_id: Mapped[int | None] = mapped_column(ForeignKey("university.id"), index=True)
    year: Mapped[int]
    eligible_categories: Mapped[list] = mapped_column(JSON, default=list)
    max_age: Mapped[int | None]
    age_reference_date: Mapped[date | None] = mapped_column(Date)
    registration_opens: Mapped[datetime]
    registration_closes: Mapped[datetime]
    quota_per_university: Mapped[int | None]
    anonymous_judging: Mapped[bool] = mapped_column(default=True)
    requires_materials: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(30), default=CompetitionStatus.DRAFT.value)
    trim_highest: Mapped[int] = mapped_column(default=1)
    trim_lowest: Mapped[int] = mapped_column(default=1)
    trim_min_judges: Mapped[int] = mapped_column(default=5)
    decimals: Mapped[int] = mapped_column(default=2)
    final_mode: Mapped[str] = mapped_column(String(20), default=FinalMode.WEIGHTED.value)
    anomaly_threshold: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal("0.10"))
    # Round names whose scores separate equal finals, in order (higher first); what they cannot separate ties.
    tie_breakers: Mapped[list] = mapped_column(JSON, default=list)
    # Eligible registrations are approved at once, within the quota (a quiz for everyone, 全员答题).
    auto_approve: Mapped[bool] = mapped_column(default=False)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("competition.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    university: Mapped[University | None] = relationship()
    groups: Mapped[list[CompetitionGroup]] = relationship(
        back_populates="competition", order_by="CompetitionGroup.position", cascade="all, delete-orphan"
    )
    rounds: Mapped[list[Round]] = relationship(
        back_populates="competition", order_by="Round.position", cascade="all, delete-orphan"
    )
    awards: Mapped[list[AwardLevel]] = relationship(
        back_populates="competition", order_by="AwardLevel.position", cascade="all, delete-orphan"
    )

    @property
    def judged_rounds(self) -> list[Round]:
        """The rounds judges score (an exam round is marked automatically: no sheets, no panel work)."""
        return [r for r in self.rounds if not r.is_exam]

    def __repr__(self) -> str:
        return f"<Competition {self.id} {self.name}>"


class CompetitionGroup(db.Model):
    """A group (组别) within which entries are drawn, judged and ranked."""

    __tablename__ = "competition_group"
    __table_args__ = (UniqueConstraint("competition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)

    competition: Mapped[Competition] = relationship(back_populates="groups")


class Round(db.Model):
    __tablename__ = "round"
    __table_args__ = (
        UniqueConstraint("competition_id", "name"),
        CheckConstraint(in_list("mode", RoundMode), name="mode"),
        CheckConstraint("weight > 0 AND weight <= 1", name="weight"),
        CheckConstraint(in_list("kind", RoundKind), name="kind"),
        CheckConstraint(
            "kind = 'judged' OR (exam_minutes > 0 AND exam_closes > exam_opens AND exam_attempts >= 1)",
            name="exam",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    mode: Mapped[str] = mapped_column(String(10), default=RoundMode.QUEUE.value)
    kind: Mapped[str] = mapped_column(String(10), default=RoundKind.JUDGED.value)
    # An exam round's settings (笔试): time limit, sitting window (naive UTC), attempts, the share of a
    # multiple-choice question's points a strict subset earns, and the paper rule [{"type","count","points"}].
    exam_minutes: Mapped[int | None]
    exam_opens: Mapped[datetime | None]
    exam_closes: Mapped[datetime | None]
    exam_show_answers: Mapped[bool] = mapped_column(default=False)
    exam_attempts: Mapped[int] = mapped_column(default=1)
    exam_multiple_partial: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal(0))
    exam_paper: Mapped[list | None] = mapped_column(JSON)

    competition: Mapped[Competition] = relationship(back_populates="rounds")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="round", order_by="Criterion.position", cascade="all, delete-orphan"
    )

    @property
    def is_exam(self) -> bool:
        return self.kind == RoundKind.EXAM

    @property
    def paper_rule(self) -> PaperRule:
        return PaperRule(
            tuple(
                PaperPart(part["type"], int(part["count"]), Decimal(str(part["points"])))
                for part in self.exam_paper or ()
            )
        )

    @property
    def max_total(self) -> Decimal:
        if self.is_exam:
            return self.paper_rule.maximum
        return sum((c.max_score for c in self.criteria), Decimal(0))


class Criterion(db.Model):
    """One line of a round's rubric (评分项) with its maximum score."""

    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("round_id", "name"),
        CheckConstraint("max_score > 0", name="max_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    max_score: Mapped[Decimal] = mapped_column(Numeric(7, 1))
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="criteria")


class AwardLevel(db.Model):
    __tablename__ = "award_level"
    __table_args__ = (
        UniqueConstraint("competition_id", "name"),
        CheckConstraint("ratio > 0 AND ratio <= 1", name="ratio"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    ratio: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    position: Mapped[int] = mapped_column(default=0)

    competition: Mapped[Competition] = relationship(back_populates="awards")


class Entry(db.Model):
    """A staff member's entry (报名) in one group of a competition; one per person and competition."""

    __tablename__ = "entry"
    __table_args__ = (
        # The database, not only the service, makes a double registration (two tabs at once) impossible.
        UniqueConstraint("competition_id", "staff_id"),
        UniqueConstraint("group_id", "draw_no"),
        CheckConstraint(in_list("status", EntryStatus), name="status"),
        CheckConstraint("draw_no IS NULL OR draw_no >= 1", name="draw_no"),
        # Quota counts and the admin's lists: a university's entries in a competition by status.
        Index("ix_entry_competition_university_status", "competition_id", "university_id", "status"),
        # Coverage: a staff member's approved entries.
        Index("ix_entry_staff_status", "staff_id", "status"),
        # Coverage of one university: its approved entries' staff, read from the index alone.
        Index("ix_entry_university_status_staff", "university_id", "status", "staff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("competition_group.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    # Copied from the staff member so that quotas and scoping need no join.
    university_id: Mapped[int] = mapped_column(ForeignKey("university.id"))
    status: Mapped[str] = mapped_column(String(20), default=EntryStatus.PENDING.value)
    reason: Mapped[str | None] = mapped_column(String(500))
    draw_no: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # When the entry was (last) approved: coverage's monthly trend counts from here.
    approved_at: Mapped[datetime | None]

    competition: Mapped[Competition] = relationship()
    group: Mapped[CompetitionGroup] = relationship()
    staff: Mapped[Staff] = relationship()
    university: Mapped[University] = relationship()
    materials: Mapped[list[EntryMaterial]] = relationship(
        back_populates="entry", order_by="EntryMaterial.id", cascade="all, delete-orphan"
    )


class EntryMaterial(db.Model):
    """An uploaded file (教学设计, slides, video) stored under ``instance/materials`` with a random name."""

    __tablename__ = "entry_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    entry: Mapped[Entry] = relationship(back_populates="materials")


class DrawRecord(db.Model):
    """Each draw of a group, with its seed and the entries it covered, so an auditor can reproduce it."""

    __tablename__ = "draw_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("competition_group.id", ondelete="CASCADE"))
    seed: Mapped[int] = mapped_column(db.BigInteger)
    result: Mapped[dict] = mapped_column(JSON, default=dict)  # {"entry_id": draw_no}
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
