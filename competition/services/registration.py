"""Entries: register (oneself or on someone's behalf), approve within the quota, reject, withdraw, list."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from ..domain.eligibility import Candidate, Refusal, Rules, check_approval, check_registration
from ..enums import Role
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..models import Competition, CompetitionGroup, Department, Entry, Staff, University, User
from ..models._base import utcnow
from ..pagination import Page, PageRequest, page_of, paginate
from ..permissions import is_organizer, university_ids
from . import audit
from .competitions import can_manage, is_db_int
from .messages import refusal_message

ACTIVE_STATUSES = ("pending", "approved")
ENTRY_STATUSES = ("pending", "approved", "rejected", "withdrawn")


def rules_of(competition: Competition) -> Rules:
    return Rules(
        eligible_categories=frozenset(competition.eligible_categories),
        max_age=competition.max_age,
        age_reference_date=competition.age_reference_date,
        registration_opens=competition.registration_opens,
        registration_closes=competition.registration_closes,
        quota_per_university=competition.quota_per_university,
        status=competition.status,
    )


def approved_count(competition: Competition, university_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Entry)
            .where(
                Entry.competition_id == competition.id,
                Entry.university_id == university_id,
                Entry.status == "approved",
            )
        )
        or 0
    )


def existing_entry(competition: Competition, staff: Staff) -> Entry | None:
    return db.session.scalar(
        select(Entry).where(Entry.competition_id == competition.id, Entry.staff_id == staff.id)
    )


def refusals_for(competition: Competition, staff: Staff) -> list[Refusal]:
    """Every reason this person may not register now (empty: they may). Used by pages to explain."""
    entry = existing_entry(competition, staff)
    refusals = check_registration(
        rules_of(competition),
        Candidate(category=staff.category, birth_date=staff.birth_date),
        now=utcnow(),
        approved_of_university=approved_count(competition, staff.university_id),
        already_registered=entry is not None and entry.status != "withdrawn",
    )
    # A rejected entry stands (one entry per person and competition): say so, with the union's reason.
    if entry is not None and entry.status == "rejected":
        refusals = [
            Refusal("duplicate", "rejected", {"reason": entry.reason or ""}) if r.field == "duplicate" else r
            for r in refusals
        ]
    return refusals


def not_eligible(refusals: list[Refusal]) -> ValidationFailed:
    details = [{"field": r.field, "message": refusal_message(r)} for r in refusals]
    return ValidationFailed(
        _("Registration refused: %(reasons)s", reasons=" ".join(d["message"] for d in details)),
        code="not_eligible",
        details=details,
    )


def can_register_for(user: User, staff: Staff) -> bool:
    """Oneself; a university's admin for its staff; an organizer for anyone."""
    if is_organizer(user) or staff.university_id in university_ids(user, Role.UNIVERSITY_ADMIN):
        return True
    return any(g.role == Role.STAFF and g.staff_id == staff.id for g in user.roles)


def register(*, competition: Competition, group_id: int, staff: Staff, by: User) -> Entry:
    """A pending entry, or a clear refusal. Twice at once (two tabs) still makes one entry: the unique
    (competition, staff) constraint decides, and the loser gets the same 'already registered' refusal."""
    if not can_register_for(by, staff):
        raise Forbidden(_("You may not register this person."))
    if competition.level == "school" and staff.university_id != competition.university_id:
        raise NotFound(_("No such competition."))
    group = db.session.get(CompetitionGroup, group_id) if is_db_int(group_id) else None
    if group is None or group.competition_id != competition.id:
        raise ValidationFailed(
            _("Choose one of the competition's groups."),
            details=[{"field": "group_id", "message": _("Choose one of the competition's groups.")}],
        )
    if not staff.active:
        raise ValidationFailed(
            _("This staff member is not active in the roster."),
            details=[{"field": "staff_no", "message": _("This staff member is not active in the roster.")}],
        )
    refusals = refusals_for(competition, staff)
    if refusals:
        raise not_eligible(refusals)
    entry = existing_entry(competition, staff)
    now = utcnow()
    if entry is not None:  # withdrawn earlier: the same row comes back as a new registration
        entry.group_id, entry.status, entry.reason, entry.draw_no = group.id, "pending", None, None
        entry.created_at, entry.created_by_id, entry.decided_at, entry.decided_by_id = now, by.id, None, None
        entry.approved_at = None
    else:
        entry = Entry(
            competition_id=competition.id,
            group_id=group.id,
            staff_id=staff.id,
            university_id=staff.university_id,
            status="pending",
            created_at=now,
            created_by_id=by.id,
        )
        savepoint = db.session.begin_nested()
        db.session.add(entry)
        try:
            savepoint.commit()
        except IntegrityError:
            savepoint.rollback()
            raise not_eligible([Refusal("duplicate", "already_registered", {})]) from None
    audit.record(
        "entry.register",
        by=by,
        object_type="entry",
        object_id=entry.id,
        university_id=staff.university_id,
        competition_id=competition.id,
        staff_no=staff.staff_no,
    )
    return entry


# --- decisions ----------------------------------------------------------------------------------------------


def can_decide(user: User, entry: Entry) -> bool:
    """The entry's university admin, or an organizer of the competition."""
    return can_manage(user, entry.competition) or entry.university_id in university_ids(
        user, Role.UNIVERSITY_ADMIN
    )


def get_entry(entry_id: int, user: User) -> Entry:
    """An entry the user may see (their own, their university's, or any as the competition's organizer)."""
    entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
    if entry is None:
        raise NotFound(_("No such entry."))
    own = any(g.role == Role.STAFF and g.staff_id == entry.staff_id for g in user.roles)
    if not (own or can_decide(user, entry)):
        raise NotFound(_("No such entry."))
    return entry


def _lock_competition(competition: Competition) -> None:
    """Serialise approvals of one competition (PostgreSQL row lock; SQLite serialises writers anyway)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(Competition.id).where(Competition.id == competition.id).with_for_update())


def approve(*, entry: Entry, by: User) -> Entry:
    if not can_decide(by, entry):
        raise Forbidden(_("You may not decide on this entry."))
    competition = entry.competition
    if competition.status not in ("registration_open", "registration_closed"):
        raise Conflict(
            _("Entries can be approved only while registration is open or just closed."), code="wrong_state"
        )
    if entry.status != "pending":
        raise Conflict(_("Only a pending entry can be approved."), code="wrong_state")
    _lock_competition(competition)
    refusals = check_approval(
        rules_of(competition), approved_of_university=approved_count(competition, entry.university_id)
    )
    if refusals:
        raise not_eligible(refusals)
    now = utcnow()
    entry.status, entry.decided_at, entry.decided_by_id, entry.approved_at, entry.reason = (
        "approved",
        now,
        by.id,
        now,
        None,
    )
    audit.record(
        "entry.approve",
        by=by,
        object_type="entry",
        object_id=entry.id,
        university_id=entry.university_id,
        competition_id=competition.id,
    )
    return entry


def reject(*, entry: Entry, reason: str, by: User) -> Entry:
    if not can_decide(by, entry):
        raise Forbidden(_("You may not decide on this entry."))
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed(
            _("Give a reason (at most 500 characters): the staff member will read it."),
            details=[{"field": "reason", "message": _("Give a reason (at most 500 characters).")}],
        )
    if entry.competition.status not in ("registration_open", "registration_closed"):
        raise Conflict(
            _("Entries can be rejected only while registration is open or just closed."), code="wrong_state"
        )
    if entry.status not in ACTIVE_STATUSES or entry.draw_no is not None:
        raise Conflict(
            _("Only a pending or approved entry, not yet drawn, can be rejected."), code="wrong_state"
        )
    entry.status, entry.reason, entry.decided_at, entry.decided_by_id = "rejected", reason, utcnow(), by.id
    entry.approved_at = None
    audit.record(
        "entry.reject",
        by=by,
        object_type="entry",
        object_id=entry.id,
        university_id=entry.university_id,
        competition_id=entry.competition_id,
        reason=reason,
    )
    return entry


def withdraw(*, entry: Entry, by: User) -> Entry:
    own = any(g.role == Role.STAFF and g.staff_id == entry.staff_id for g in by.roles)
    if not (own or can_decide(by, entry)):
        raise Forbidden(_("You may not withdraw this entry."))
    competition = entry.competition
    if competition.status != "registration_open" or utcnow() >= competition.registration_closes:
        raise Conflict(
            _("Registration has closed: the entry can no longer be withdrawn."), code="wrong_state"
        )
    if entry.status not in ACTIVE_STATUSES:
        raise Conflict(_("Only a pending or approved entry can be withdrawn."), code="wrong_state")
    entry.status, entry.decided_at, entry.decided_by_id, entry.approved_at = (
        "withdrawn",
        utcnow(),
        by.id,
        None,
    )
    audit.record(
        "entry.withdraw",
        by=by,
        object_type="entry",
        object_id=entry.id,
        university_id=entry.university_id,
        competition_id=competition.id,
    )
    return entry


# --- lists --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryFilters:
    group_id: int | None = None
    status: str | None = None
    university: str | None = None
    q: str | None = None


def entries_query(*, competition: Competition, user: User, filters: EntryFilters):
    """Organizers of the competition see all; a university admin their university's; staff their own."""
    stmt = (
        select(Entry)
        .join(Staff, Entry.staff_id == Staff.id)
        .join(Department, Staff.department_id == Department.id)
        .join(University, Entry.university_id == University.id)
        .join(CompetitionGroup, Entry.group_id == CompetitionGroup.id)
        .where(Entry.competition_id == competition.id)
        .options(
            contains_eager(Entry.staff).contains_eager(Staff.department),
            contains_eager(Entry.university),
            contains_eager(Entry.group),
        )
    )
    if not can_manage(user, competition):
        mine = university_ids(user, Role.UNIVERSITY_ADMIN)
        own_staff = [g.staff_id for g in user.roles if g.role == Role.STAFF]
        stmt = stmt.where((Entry.university_id.in_(mine or {-1})) | (Entry.staff_id.in_(own_staff or [-1])))
    if filters.group_id:
        stmt = stmt.where(Entry.group_id == filters.group_id)
    if filters.status:
        stmt = stmt.where(Entry.status == filters.status)
    if filters.university:
        stmt = stmt.where(University.code == filters.university)
    if filters.q:
        stmt = stmt.where((Staff.name.contains(filters.q, autoescape=True)) | (Staff.staff_no == filters.q))
    return stmt


def list_entries(
    *, competition: Competition, user: User, filters: EntryFilters, page: PageRequest | None
) -> Page:
    """One page of the entries in scope, by group and draw order; ``page=None`` gives all (exports)."""
    stmt = entries_query(competition=competition, user=user, filters=filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    ordered = stmt.order_by(
        CompetitionGroup.position, Entry.draw_no.is_(None), Entry.draw_no, University.code, Staff.staff_no
    )
    items = db.session.scalars(paginate(ordered, page)).all()
    return page_of(list(items), total or 0, page)


def my_entries(*, user: User) -> list[Entry]:
    own_staff = [g.staff_id for g in user.roles if g.role == Role.STAFF]
    if not own_staff:
        return []
    return list(
        db.session.scalars(
            select(Entry).where(Entry.staff_id.in_(own_staff)).order_by(Entry.created_at.desc())
        )
    )


def staff_of(user: User) -> Staff | None:
    grant = next((g for g in user.roles if g.role == Role.STAFF), None)
    return grant.staff if grant else None


def find_staff(*, university_code: str, staff_no: str, by: User) -> Staff:
    """The staff member an admin or organizer registers on someone's behalf."""
    staff = db.session.scalar(
        select(Staff)
        .join(University, Staff.university_id == University.id)
        .where(University.code == university_code, Staff.staff_no == staff_no)
    )
    if staff is None or not can_register_for(by, staff):
        raise ValidationFailed(
            _("No such staff member."),
            details=[
                {"field": "staff_no", "message": _("No staff member has the staff number %(n)s.", n=staff_no)}
            ],
        )
    return staff
