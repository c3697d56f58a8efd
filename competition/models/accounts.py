"""User accounts and the roles they hold."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..enums import Role
from ..extensions import db
from ._base import in_list, utcnow
from .organisation import University
from .people import Staff


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(default=True)
    # When the account was disabled (None while it is enabled).
    disabled_at: Mapped[datetime | None]
    # Part of every session's and remember-me cookie's id (``get_id``): raising it ends them all at once.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="RoleGrant.id"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.enabled

    def get_id(self) -> str:
        """What the session and the remember-me cookie hold: "id:version", so a raised version ends them."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Log this account out everywhere: every session and remember-me cookie issued so far stops."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str, *, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, role: Role | str) -> bool:
        return any(grant.role == role for grant in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(db.Model):
    """One role of one user; university admins and staff belong to one university, a judge to one or none."""

    __tablename__ = "role_grant"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "university_id"),
        CheckConstraint(in_list("role", Role), name="role"),
        CheckConstraint(
            "(role = 'organizer' AND university_id IS NULL AND staff_id IS NULL)"
            " OR (role = 'university_admin' AND university_id IS NOT NULL AND staff_id IS NULL)"
            # A judge of no university is an outside expert (省外专家).
            " OR (role = 'judge' AND staff_id IS NULL)"
            " OR (role = 'staff' AND university_id IS NOT NULL AND staff_id IS NOT NULL)",
            name="scope",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    university_id: Mapped[int | None] = mapped_column(ForeignKey("university.id"), index=True)
    # One account per staff member: the unique index makes a second grant for the same person fail.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)

    user: Mapped[User] = relationship(back_populates="roles")
    university: Mapped[University | None] = relationship(lazy="joined")
    staff: Mapped[Staff | None] = relationship()
