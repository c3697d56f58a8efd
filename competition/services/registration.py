"""Entries: register (oneself or on someone's behalf), approve within the quota, reject, withdraw.

Access is checked by the views (``permissions``: load through a scope, then a ``can_*`` predicate); these
verbs check the state of the competition and the entry, and the eligibility rules.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..database import is_db_int
from ..domain import lifecycle
from ..domain.eligibility import Candidate, Refusal, Rules, check_approval, check_registration
from ..enums import STANDING_ENTRY_STATUSES, CompetitionLevel, EntryStatus
from ..errors import Conflict, NotFound, ValidationFailed
from ..extensions import db
from ..models import Competition, CompetitionGroup, Entry, Staff
from ..models._base import utcnow
from ..models.accounts import User
from . import audit
from .messages import refusal_message


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
                Entry.status == EntryStatus.APPROVED,
            )
        )
        or 0
    )


def existing_entry(competition: Competition, staff: Staff) -> Entry | None:
    return db.session.scalar(
        select(Entry).where(Entry.competition_id == competition.id, Entry.staff_id == staff.id)
    )


def refusals_given(
    competition: Competition, staff: Staff, *, entry: Entry | None, approved_of_university: int
) -> list[Refusal]:
    """Every reason this person may not register now (empty: they may), from counts already at hand."""
    refusals = check_registration(
        rules_of(competition),
        Candidate(category=staff.category, birth_date=staff.birth_date),
        now=utcnow(),
        approved_of_university=approved_of_university,
        already_registered=entry is not None and entry.status != EntryStatus.WITHDRAWN,
    )
    # A rejected entry stands (one entry per person and competition): say so, with the union's reason.
    if entry is not None and entry.status == EntryStatus.REJECTED:
        refusals = [
            Refusal("duplicate", "rejected", {"reason": entry.reason or ""}) if r.field == "duplicate" else r
            for r in refusals
        ]
    return refusals


def refusals_for(competition: Competition, staff: Staff) -> list[Refusal]:
    """Every reason this person may not register now (empty: they may). Used by pages to explain."""
    return refusals_given(
        competition,
        staff,
        entry=existing_entry(competition, staff),
        approved_of_university=approved_count(competition, staff.university_id),
    )


def not_eligible(refusals: list[Refusal]) -> ValidationFailed:
    details = [{"field": r.field, "message": refusal_message(r)} for r in refusals]
    return ValidationFailed(
        _("Registration refused: %(reasons)s", reasons=" ".join(d["message"] for d in details)),
        code="not_eligible",
        details=details,
    )


def register(*, competition: Competition, group_id: int, staff: Staff, by: User) -> Entry:
    """A pending entry, or a clear refusal. Twice at once (two tabs) still makes one entry: the unique
    (competition, staff) constraint decides, and the loser gets the same 'already registered' refusal.

    Whom ``by`` may register is settled before (``permissions.can_register_for``, through ``find_staff``).
    """
    if competition.level == CompetitionLevel.SCHOOL and staff.university_id != competition.university_id:
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
        entry.group_id, entry.status, entry.reason, entry.draw_no = group.id, EntryStatus.PENDING, None, None
        entry.created_at, entry.created_by_id, entry.decided_at, entry.decided_by_id = now, by.id, None, None
        entry.approved_at = None
    else:
        entry = Entry(
            competition_id=competition.id,
            group_id=group.id,
            staff_id=staff.id,
            university_id=staff.university_id,
            status=EntryStatus.PENDING,
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
    if competition.auto_approve:
        _approve_at_once(entry, competition, by=by, now=now)
    return entry


def _approve_at_once(entry: Entry, competition: Competition, *, by: User, now) -> None:
    """A competition that approves automatically (全员答题): eligibility was checked above; within the quota
    the entry is approved now, beyond it it stays pending for the union to decide."""
    if not lifecycle.accepts_decisions(competition.status):
        return
    lock_competition(competition)
    if check_approval(
        rules_of(competition), approved_of_university=approved_count(competition, entry.university_id)
    ):
        return
    db.session.flush()
    mark_approved(entry, by=by, now=now, automatic=True)


# --- decisions ----------------------------------------------------------------------------------------------


def lock_competition(competition: Competition) -> None:
    """Serialise approvals of one competition (PostgreSQL row lock; SQLite serialises writers anyway)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(Competition.id).where(Competition.id == competition.id).with_for_update())


def approve(*, entry: Entry, by: User) -> Entry:
    competition = entry.competition
    if not lifecycle.accepts_decisions(competition.status):
        raise Conflict(
            _("Entries can be approved only while registration is open or just closed."), code="wrong_state"
        )
    if entry.status != EntryStatus.PENDING:
        raise Conflict(_("Only a pending entry can be approved."), code="wrong_state")
    lock_competition(competition)
    refusals = check_approval(
        rules_of(competition), approved_of_university=approved_count(competition, entry.university_id)
    )
    if refusals:
        raise not_eligible(refusals)
    mark_approved(entry, by=by, now=utcnow())
    return entry


def mark_approved(entry: Entry, *, by: User, now, automatic: bool = False) -> None:
    """The approval itself and its audit row: one per entry, whether approved alone or with others."""
    entry.status, entry.decided_at, entry.decided_by_id, entry.approved_at, entry.reason = (
        EntryStatus.APPROVED,
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
        competition_id=entry.competition_id,
        **({"automatic": True} if automatic else {}),
    )


def reject(*, entry: Entry, reason: str, by: User) -> Entry:
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed(
            _("Give a reason (at most 500 characters): the staff member will read it."),
            details=[{"field": "reason", "message": _("Give a reason (at most 500 characters).")}],
        )
    if not lifecycle.accepts_decisions(entry.competition.status):
        raise Conflict(
            _("Entries can be rejected only while registration is open or just closed."), code="wrong_state"
        )
    if entry.status not in STANDING_ENTRY_STATUSES or entry.draw_no is not None:
        raise Conflict(
            _("Only a pending or approved entry, not yet drawn, can be rejected."), code="wrong_state"
        )
    entry.status, entry.reason, entry.decided_at, entry.decided_by_id = (
        EntryStatus.REJECTED,
        reason,
        utcnow(),
        by.id,
    )
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
    competition = entry.competition
    now = utcnow()
    if not lifecycle.withdrawal_open(competition.status, competition.registration_closes, now):
        raise Conflict(
            _("Registration has closed: the entry can no longer be withdrawn."), code="wrong_state"
        )
    if entry.status not in STANDING_ENTRY_STATUSES:
        raise Conflict(_("Only a pending or approved entry can be withdrawn."), code="wrong_state")
    entry.status, entry.decided_at, entry.decided_by_id, entry.approved_at = (
        EntryStatus.WITHDRAWN,
        now,
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
