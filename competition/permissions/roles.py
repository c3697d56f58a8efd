"""Who the user is: their roles, the universities they belong to, the staff records they are."""

from __future__ import annotations

from collections.abc import Iterable

from ..enums import Role
from ..models import User


def is_organizer(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ORGANIZER)


def university_ids(user: User, *roles: Role) -> set[int]:
    """Universities the user belongs to through any of ``roles`` (all roles when none given)."""
    if not user.is_authenticated:
        return set()
    return {g.university_id for g in user.roles if g.university_id and (not roles or g.role in roles)}


def admin_university_ids(user: User) -> set[int]:
    """Universities whose union the user runs."""
    return university_ids(user, Role.UNIVERSITY_ADMIN)


def is_university_admin(user: User) -> bool:
    return bool(admin_university_ids(user))


def staff_ids(user: User) -> set[int]:
    """The staff records the user is (through a staff role): whose entries are their own."""
    if not user.is_authenticated:
        return set()
    return {g.staff_id for g in user.roles if g.role == Role.STAFF and g.staff_id}


def is_staff_member(user: User, staff_id: int) -> bool:
    return staff_id in staff_ids(user)


def has_any_role(user: User, roles: Iterable[Role | str]) -> bool:
    return user.is_authenticated and any(user.has_role(r) for r in roles)
