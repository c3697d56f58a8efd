"""The ORM models, one module per aggregate."""

from .accounts import RoleGrant, User
from .audit import AuditLog
from .organisation import Department, University
from .people import Staff

__all__ = ["AuditLog", "Department", "RoleGrant", "Staff", "University", "User"]
