"""The staff list of a university, filtered and paged; one staff member's page: corrections and history."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from ..domain.roster import RowError
from ..domain.staff_edit import EDITABLE_FIELDS, plan_staff_edit
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..models import (
    AuditLog,
    Competition,
    Department,
    Entry,
    OfflineParticipation,
    RoleGrant,
    Staff,
    University,
    User,
)
from ..pagination import Page, PageRequest, page_of, paginate
from . import audit
from .messages import row_error_message

# The audit's object types (not roles: a "staff" object is a staff member's record).
_STAFF_OBJECT, _ENTRY_OBJECT, _USER_OBJECT = "staff", "entry", "user"


@dataclass(frozen=True)
class StaffFilters:
    category: str | None = None
    department: str | None = None
    q: str | None = None
    active: bool | None = True


def staff_query(university: University, filters: StaffFilters):
    stmt = (
        select(Staff)
        .join(Department, Staff.department_id == Department.id)
        .where(Staff.university_id == university.id)
    )
    if filters.category:
        stmt = stmt.where(Staff.category == filters.category)
    if filters.department:
        stmt = stmt.where(Department.name == filters.department)
    if filters.active is not None:
        stmt = stmt.where(Staff.active.is_(filters.active))
    if filters.q:
        term = filters.q.strip()
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            or_(
                Staff.staff_no == term,
                Staff.name.like(f"%{escaped}%", escape="\\"),
                Staff.staff_no.like(f"{escaped}%", escape="\\"),
            )
        )
    return stmt


def list_staff(*, university: University, filters: StaffFilters, page: PageRequest | None) -> Page:
    """One page of the filtered staff, ordered by 工号; ``page=None`` gives all of them (exports)."""
    stmt = staff_query(university, filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        paginate(stmt.options(contains_eager(Staff.department)).order_by(Staff.staff_no), page)
    ).all()
    return page_of(list(items), total or 0, page)


def departments_of(university: University) -> list[str]:
    return list(
        db.session.scalars(
            select(Department.name).where(Department.university_id == university.id).order_by(Department.name)
        )
    )


def active_counts(university_ids: list[int]) -> dict[int, int]:
    """Active staff per university, for the given universities (one grouped query)."""
    rows = db.session.execute(
        select(Staff.university_id, func.count())
        .where(Staff.active.is_(True), Staff.university_id.in_(university_ids))
        .group_by(Staff.university_id)
    )
    return dict(rows.all())


# --- one staff member -------------------------------------------------------------------------------------


def staff_member(university: University, staff_no: str) -> Staff:
    """The staff member with this 工号 at ``university`` (which the caller has loaded through its scope)."""
    member = db.session.scalar(
        select(Staff)
        .options(joinedload(Staff.department))
        .where(Staff.university_id == university.id, Staff.staff_no == staff_no)
    )
    if member is None:
        raise NotFound(_("No staff member has the staff number %(n)s.", n=staff_no))
    return member


def _field_labels() -> dict[str, str]:
    return {
        "department": _("Department"),
        "category": _("Post category"),
        "title": _("Title"),
        "phone": _("Phone"),
        "active": _("Left the university"),
    }


def update_staff(
    *,
    staff: Staff,
    department: str | None,
    category: str | None,
    title: str | None,
    phone: str | None,
    active: bool,
    by: User,
) -> dict[str, tuple[object, object]]:
    """Correct one staff member's department, post category, title, phone and active flag; the changes made.

    The values are checked as a roster file's cells are (``domain.staff_edit``); any problem refuses the
    whole form (``ValidationFailed`` with one detail per field) and changes nothing. A department name the
    university does not have yet is added. The changes are audited as ``staff.update`` with each field's
    before and after (``{"department": ["计算机学院", "数学学院"]}``); an unchanged form writes nothing.
    Who may: those who manage the university (the view loads it through ``managed_university_or_404``).
    """
    current = {
        "department": staff.department.name,
        "category": staff.category,
        "title": staff.title,
        "phone": staff.phone,
        "active": staff.active,
    }
    submitted = {"department": department, "category": category, "title": title, "phone": phone}
    plan = plan_staff_edit(current, {**submitted, "active": active})
    if not plan.ok:
        labels = _field_labels()
        raise ValidationFailed(
            _("Nothing was changed: please correct the marked fields."),
            details=[
                {"field": name, "message": row_error_message(RowError(None, labels[name], code, params))}
                for name, code, params in plan.problems
            ],
        )
    if not plan.changes:
        return {}
    if "department" in plan.changes:
        name = plan.changes["department"][1]
        target = db.session.scalar(
            select(Department).where(Department.university_id == staff.university_id, Department.name == name)
        )
        if target is None:
            target = Department(university_id=staff.university_id, name=name)
            db.session.add(target)
        staff.department = target
    for name in ("category", "title", "phone", "active"):
        if name in plan.changes:
            setattr(staff, name, plan.changes[name][1])
    db.session.flush()
    audit.record(
        "staff.update",
        by=by,
        object_type=_STAFF_OBJECT,
        object_id=staff.id,
        university_id=staff.university_id,
        staff_no=staff.staff_no,
        name=staff.name,
        changes={name: list(plan.changes[name]) for name in EDITABLE_FIELDS if name in plan.changes},
    )
    return plan.changes


@dataclass(frozen=True)
class PersonHistory:
    """What a staff member's page shows under their data."""

    entries: list[Entry]
    participations: list[OfflineParticipation]
    accounts: list[User]
    audit: list[AuditLog]  # newest first, at most HISTORY_LIMIT
    more: bool  # older lines exist


HISTORY_LIMIT = 100


def person_history(staff: Staff) -> PersonHistory:
    """Their entries in competitions, their offline activities, their account, and the audit lines about them:
    corrections of their data, their entries' registration and decisions, their account's changes (log-ins
    left out)."""
    entries = list(
        db.session.scalars(
            select(Entry)
            .options(joinedload(Entry.competition), joinedload(Entry.group))
            .join(Competition, Entry.competition_id == Competition.id)
            .where(Entry.staff_id == staff.id)
            .order_by(Entry.created_at.desc(), Entry.id.desc())
        )
    )
    participations = list(
        db.session.scalars(
            select(OfflineParticipation)
            .where(OfflineParticipation.staff_id == staff.id)
            .order_by(OfflineParticipation.date.desc(), OfflineParticipation.id.desc())
        )
    )
    accounts = list(
        db.session.scalars(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.staff_id == staff.id)
            .order_by(User.id)
        )
    )
    about = [and_(AuditLog.object_type == _STAFF_OBJECT, AuditLog.object_id == str(staff.id))]
    if entries:
        about.append(
            and_(AuditLog.object_type == _ENTRY_OBJECT, AuditLog.object_id.in_([str(e.id) for e in entries]))
        )
    if accounts:
        about.append(
            and_(
                AuditLog.object_type == _USER_OBJECT,
                AuditLog.object_id.in_([str(u.id) for u in accounts]),
                AuditLog.action != "user.login",
            )
        )
    lines = list(
        db.session.scalars(
            select(AuditLog)
            .where(or_(*about))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(HISTORY_LIMIT + 1)
        )
    )
    return PersonHistory(entries, participations, accounts, lines[:HISTORY_LIMIT], len(lines) > HISTORY_LIMIT)
