"""The audit log: who did what, to what, and when.

Its indexes follow how it is read, newest first: the whole log by time; one action, or one university's lines
(what a university's admins see), by time; and the history of one object (``object_id``, ``object_type``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import utcnow


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        # "action = x" or "university_id in (...)" newest first: the page's 50 lines straight from the index.
        Index("ix_audit_log_action_at", "action", "at"),
        Index("ix_audit_log_university_at", "university_id", "at"),
        # One object's history. The id leads: led by the type, the index would also serve "object_type = x"
        # alone, and the planners would read a name filter's OR through it (three times slower than a scan).
        Index("ix_audit_log_object", "object_id", "object_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The name is copied so the record still says who it was after an account is removed.
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    university_id: Mapped[int | None] = mapped_column(ForeignKey("university.id"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
