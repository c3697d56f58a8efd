"""Who may do what: ``can_*`` predicates, the scoping helpers every list uses, and a role decorator.

Templates use the same predicates to show buttons; hiding a button is never the check.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from .enums import Role
from .errors import Forbidden, NotFound
from .extensions import db
from .models import University, User


def is_organizer(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ORGANIZER)


def university_ids(user: User, *roles: Role) -> set[int]:
    """Universities the user belongs to through any of ``roles`` (all roles when none given)."""
    if not user.is_authenticated:
        return set()
    return {g.university_id for g in user.roles if g.university_id and (not roles or g.role in roles)}


def is_university_admin(user: User) -> bool:
    return bool(university_ids(user, Role.UNIVERSITY_ADMIN))


def can_manage_university(user: User, university: University) -> bool:
    """Roster, staff list and accounts of a university: organizers, and that university's admins."""
    return is_organizer(user) or university.id in university_ids(user, Role.UNIVERSITY_ADMIN)


def can_manage_any_university(user: User) -> bool:
    return is_organizer(user) or is_university_admin(user)


def can_grant(actor: User, role: str, university_id: int | None) -> bool:
    """Organizers grant any role; a university admin grants judge and staff roles of their own university."""
    if is_organizer(actor):
        return True
    return role in (Role.JUDGE, Role.STAFF) and university_id in university_ids(actor, Role.UNIVERSITY_ADMIN)


def can_create_users(actor: User) -> bool:
    return can_manage_any_university(actor)


def scope_universities(stmt: Select, user: User) -> Select:
    """Restrict a query over ``University`` to the caller's scope: organizers see all, others their own."""
    if is_organizer(user):
        return stmt
    return stmt.where(University.id.in_(university_ids(user) or {-1}))


def visible_universities(user: User) -> list[University]:
    stmt = scope_universities(select(University).order_by(University.code), user)
    return list(db.session.scalars(stmt))


def managed_university_or_404(code: str, user: User) -> University:
    """Load a university the user manages. A role that never manages one gets 403; one out of scope, 404."""
    if not can_manage_any_university(user):
        raise Forbidden(_("You are not allowed to do this."))
    university = db.session.scalar(select(University).where(University.code == code))
    if university is None or not can_manage_university(user, university):
        raise NotFound(_("No such university."))
    return university


def role_required(*roles: Role | str, api: bool = False):
    """Require one of ``roles``; 403 otherwise (the login requirement comes first, so anonymous is 401)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not any(current_user.has_role(r) for r in roles):
                raise Forbidden(_("You are not allowed to do this."))
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator


def has_any_role(user: User, roles: Iterable[Role | str]) -> bool:
    return user.is_authenticated and any(user.has_role(r) for r in roles)
