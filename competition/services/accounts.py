"""Accounts: authentication, creating users with roles, passwords, and staff accounts in bulk."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import is_db_int
from ..enums import Role
from ..errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from ..extensions import db
from ..models import RoleGrant, Staff, University, User
from ..models._base import utcnow
from ..pagination import Page, PageRequest, fetch_page
from ..permissions import can_grant, scope_users
from . import account_batches, audit
from .account_batches import IssuedPassword

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$")
MIN_PASSWORD_LENGTH = 8
# A reset's initial password is random (about 71 bits), so a cheaper hash is safe for it (those of a whole
# roster are longer and cheaper still: ``account_batches``). A password the user chooses always gets the
# full-cost default hash.
INITIAL_PASSWORD_METHOD = "pbkdf2:sha256:2000"  # noqa: S105 (a hash method, not a password)
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
# Compared against when the username does not exist, so that both cases take about as long.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass(frozen=True)
class RoleSpec:
    role: str
    university: str | None = None  # university code
    staff_no: str | None = None


def generate_password(length: int = 12) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def authenticate(username: str, password: str) -> User | None:
    """The account of these credentials, or None if they are wrong.

    A disabled account with the right password is refused in words (``Unauthorized``, code
    ``invalid_credentials`` as any refused log-in): the person knows to ask for it back, and only someone who
    knows the password learns that the account exists and is disabled.
    """
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password):
        return None
    if not user.enabled:
        raise Unauthorized(
            _("This account has been disabled. Ask the union office that manages your account to enable it."),
            code="invalid_credentials",
        )
    user.last_login_at = utcnow()
    return user


def password_problem(password: str, username: str = "") -> str | None:
    """The reason a chosen password is refused, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if password.lower() == username.lower() or len(set(password)) < 4:
        return _("This password is too easy to guess.")
    return None


def _resolve_grant(spec: RoleSpec, by: User | None) -> RoleGrant:
    if spec.role not in set(Role):
        raise ValidationFailed(
            _("Unknown role."), details=[{"field": "roles", "message": _("Unknown role: %(r)s", r=spec.role)}]
        )
    university = None
    if spec.role == Role.JUDGE and not spec.university:
        pass  # an outside expert (省外专家): a judge of no university
    elif spec.role != Role.ORGANIZER:
        if not spec.university:
            raise ValidationFailed(
                _("This role needs a university."),
                details=[{"field": "roles", "message": _("This role needs a university.")}],
            )
        university = db.session.scalar(select(University).where(University.code == spec.university))
        if university is None:
            raise ValidationFailed(
                _("No such university."),
                details=[
                    {"field": "roles", "message": _("No university has the code %(c)s.", c=spec.university)}
                ],
            )
    if by is not None and not can_grant(by, spec.role, university.id if university else None):
        raise Forbidden(_("You may not grant this role."))
    grant = RoleGrant(role=spec.role, university=university)
    if spec.role == Role.STAFF:
        staff = db.session.scalar(
            select(Staff).where(Staff.university_id == university.id, Staff.staff_no == (spec.staff_no or ""))
        )
        if staff is None:
            raise ValidationFailed(
                _("No such staff member."),
                details=[
                    {
                        "field": "roles",
                        "message": _("No staff member has the staff number %(n)s.", n=spec.staff_no or ""),
                    }
                ],
            )
        if db.session.scalar(select(RoleGrant.id).where(RoleGrant.staff_id == staff.id)):
            raise Conflict(_("This staff member already has an account."), code="duplicate")
        grant.staff = staff
    return grant


def create_user(
    *, username: str, password: str, display_name: str, roles: list[RoleSpec], by: User | None
) -> User:
    """Create an account with its roles; ``by`` is None only for the command line."""
    username = (username or "").strip()
    display_name = (display_name or "").strip() or username
    problems = []
    if not USERNAME_RE.match(username):
        problems.append(
            {
                "field": "username",
                "message": _("Use 2 to 64 letters, digits or . _ - @, starting with a letter or digit."),
            }
        )
    if (reason := password_problem(password or "", username)) is not None:
        problems.append({"field": "password", "message": reason})
    if len(display_name) > 100:
        problems.append({"field": "display_name", "message": _("At most 100 characters.")})
    if not roles:
        problems.append({"field": "roles", "message": _("Give the account at least one role.")})
    if sum(1 for spec in roles if spec.role == Role.STAFF) > 1:
        problems.append({"field": "roles", "message": _("An account belongs to one staff member only.")})
    if problems:
        raise ValidationFailed(_("The account was not created."), details=problems)
    grants = [_resolve_grant(spec, by) for spec in roles]
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(_("The username %(u)s is taken.", u=username), code="duplicate")
    user = User(username=username, display_name=display_name, roles=grants)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.create",
        by=by,
        object_type="user",
        object_id=user.id,
        university_id=next((g.university_id for g in grants if g.university_id), None),
        username=username,
        roles=[g.role for g in grants],
    )
    return user


def change_password(*, user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise ValidationFailed(
            _("The current password is wrong."),
            details=[{"field": "current", "message": _("The current password is wrong.")}],
        )
    if (reason := password_problem(new, user.username)) is not None:
        raise ValidationFailed(reason, details=[{"field": "new", "message": reason}])
    if new == current:
        raise ValidationFailed(_("Choose a password different from the current one."))
    user.set_password(new)
    user.must_change_password = False
    audit.record("user.password_change", by=user, object_type="user", object_id=user.id)


def create_staff_accounts(*, university: University, by: User) -> list[IssuedPassword]:
    """Every active staff member of ``university`` without an account gets one, in one step; the roster page
    goes in steps to show its progress (``account_batches``, which says how and who may)."""
    return account_batches.create_staff_accounts(university=university, by=by).issued


def _require_every_role_in_reach(user: User, by: User) -> None:
    """``by`` may change an account only if they could grant every role it holds."""
    for grant in user.roles:
        if not can_grant(by, grant.role, grant.university_id):
            raise Forbidden(_("You may not change this account."))


def _university_of(user: User) -> int | None:
    return next((g.university_id for g in user.roles if g.university_id), None)


def reset_password(*, user: User, by: User) -> str:
    """A new random initial password for ``user``, who must change it at next log-in; their sessions end."""
    _require_every_role_in_reach(user, by)
    password = generate_password()
    user.password_hash = generate_password_hash(password, method=INITIAL_PASSWORD_METHOD)
    user.must_change_password = True
    user.end_sessions()
    audit.record(
        "user.password_reset",
        by=by,
        object_type="user",
        object_id=user.id,
        university_id=_university_of(user),
    )
    return password


def set_enabled(*, user: User, enabled: bool, by: User) -> bool:
    """Disable or enable ``user``'s account; False if it already was so (nothing is written then).

    A disabled account cannot log in and every session it has ends at its next request
    (``User.end_sessions``); enabling it again lets the person log in with the same password. Who may: those
    who could grant every role the account holds (an organizer any; a university admin the judges and staff
    of their university), never on their own account.
    """
    if user.id == by.id:
        raise Forbidden(_("You cannot disable or enable your own account."))
    _require_every_role_in_reach(user, by)
    if user.enabled == enabled:
        return False
    user.enabled = enabled
    if enabled:
        user.disabled_at = None
    else:
        user.disabled_at = utcnow()
        user.end_sessions()
    audit.record(
        "user.enable" if enabled else "user.disable",
        by=by,
        object_type="user",
        object_id=user.id,
        university_id=_university_of(user),
        username=user.username,
    )
    return True


# --- reading ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserFilters:
    q: str | None = None
    role: str | None = None
    university: University | None = None  # accounts with a role at this university
    enabled: bool | None = None  # None: enabled and disabled alike


def list_users(*, user: User, filters: UserFilters, page: PageRequest | None) -> Page:
    """Accounts in the user's reach (``permissions.scope_users``) by username, filtered."""
    stmt = scope_users(select(User), user).order_by(User.username)
    if filters.q:
        q = filters.q
        stmt = stmt.where(
            or_(User.username.contains(q, autoescape=True), User.display_name.contains(q, autoescape=True))
        )
    grants = select(RoleGrant.user_id)
    if filters.role:
        grants = grants.where(RoleGrant.role == filters.role)
    if filters.university is not None:
        grants = grants.where(RoleGrant.university_id == filters.university.id)
    if filters.role or filters.university is not None:
        stmt = stmt.where(User.id.in_(grants))
    if filters.enabled is not None:
        stmt = stmt.where(User.enabled.is_(filters.enabled))
    return fetch_page(stmt, page)


def user_in_reach(user_id: int, by: User) -> User:
    """An account ``by`` may manage; any other is a 404, as if it did not exist."""
    user = (
        db.session.scalar(scope_users(select(User), by).where(User.id == user_id))
        if is_db_int(user_id)
        else None
    )
    if user is None:
        raise NotFound(_("No such account."))
    return user
