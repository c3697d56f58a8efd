"""Record state changes that matter in the audit log, and read it back."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import AuditLog, User
from ..pagination import Page, PageRequest, fetch_page
from ..permissions import scope_audit_log


def record(
    action: str,
    *,
    by: User | None,
    object_type: str,
    object_id: str | int | None = None,
    university_id: int | None = None,
    **details,
) -> AuditLog:
    """Add one audit entry to the current transaction (it commits, or rolls back, with the change itself)."""
    entry = AuditLog(
        user_id=by.id if by is not None else None,
        username=by.username if by is not None else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        university_id=university_id,
        details=details,
    )
    db.session.add(entry)
    return entry


def list_entries(*, user: User, page: PageRequest | None) -> Page:
    """The audit log in the user's scope (``permissions.scope_audit_log``), newest first."""
    stmt = scope_audit_log(select(AuditLog), user).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    return fetch_page(stmt, page)
