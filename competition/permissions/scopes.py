"""What a user may see, as queries: the scope every list uses, and loaders that answer 404 outside it.

A nested object is loaded through its parent or its scope, so a forged id is a 404, never someone else's row.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from ..database import is_db_int
from ..enums import CompetitionLevel, CompetitionStatus
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..models import AuditLog, Competition, Entry, EntryMaterial, RoleGrant, University, User
from .roles import admin_university_ids, is_organizer, staff_ids, university_ids
from .rules import (
    can_manage_any_university,
    can_manage_competition,
    can_manage_university,
    can_see_entry,
    can_see_results,
    can_view_competition,
)

# --- universities -------------------------------------------------------------------------------------------


def scope_universities(stmt: Select, user: User) -> Select:
    """Restrict a query over ``University`` to the caller's scope: organizers see all, others their own."""
    if is_organizer(user):
        return stmt
    return stmt.where(University.id.in_(university_ids(user) or {-1}))


def visible_universities(user: User) -> list[University]:
    stmt = scope_universities(select(University).order_by(University.code), user)
    return list(db.session.scalars(stmt))


def owned_universities(user: User) -> list[University]:
    """Universities whose school-level competitions and staff the user runs."""
    if is_organizer(user):
        return visible_universities(user)
    mine = admin_university_ids(user)
    return [u for u in visible_universities(user) if u.id in mine]


def managed_university_or_404(code: str, user: User) -> University:
    """Load a university the user manages. A role that never manages one gets 403; one out of scope, 404."""
    if not can_manage_any_university(user):
        raise Forbidden(_("You are not allowed to do this."))
    university = db.session.scalar(select(University).where(University.code == code))
    if university is None or not can_manage_university(user, university):
        raise NotFound(_("No such university."))
    return university


# --- accounts and the audit log -----------------------------------------------------------------------------


def scope_users(stmt: Select, user: User) -> Select:
    """Accounts in reach: all for organizers, those with a role in their university for an admin."""
    if is_organizer(user):
        return stmt
    mine = admin_university_ids(user) or {-1}
    return stmt.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.university_id.in_(mine))))


def scope_audit_log(stmt: Select, user: User) -> Select:
    if is_organizer(user):
        return stmt
    return stmt.where(AuditLog.university_id.in_(admin_university_ids(user) or {-1}))


# --- competitions -------------------------------------------------------------------------------------------


def visible_competitions(user: User) -> Select:
    """The competitions ``can_view_competition`` allows, as one query."""
    stmt = select(Competition)
    if is_organizer(user):
        return stmt
    mine = university_ids(user) or {-1}
    managed = admin_university_ids(user) or {-1}
    draft = Competition.status == CompetitionStatus.DRAFT
    return stmt.where(
        or_(
            ~draft
            & or_(Competition.level == CompetitionLevel.PROVINCIAL, Competition.university_id.in_(mine)),
            draft & (Competition.level == CompetitionLevel.SCHOOL) & Competition.university_id.in_(managed),
        )
    )


def visible_competition(competition_id: int, user: User) -> Competition:
    competition = db.session.get(Competition, competition_id) if is_db_int(competition_id) else None
    if competition is None or not can_view_competition(user, competition):
        raise NotFound(_("No such competition."))
    return competition


def managed_competition(competition_id: int, user: User) -> Competition:
    competition = visible_competition(competition_id, user)
    if not can_manage_competition(user, competition):
        raise Forbidden(_("Only the organizers of this competition may do this."))
    return competition


def results_competition(competition_id: int, user: User) -> Competition:
    """A competition whose results the user may read: 403 when they see it but results are not published yet,
    404 when they do not see it at all."""
    competition = db.session.get(Competition, competition_id) if is_db_int(competition_id) else None
    if competition is None:
        raise NotFound(_("No such competition."))
    if can_see_results(user, competition):
        return competition
    if user.is_authenticated and can_view_competition(user, competition):
        raise Forbidden(_("The results are not published yet."))
    raise NotFound(_("No such competition."))


# --- entries and their files --------------------------------------------------------------------------------


def scope_entries(stmt: Select, user: User, competition: Competition) -> Select:
    """Organizers of the competition see all its entries; a university admin their university's; staff
    their own."""
    if can_manage_competition(user, competition):
        return stmt
    mine = admin_university_ids(user) or {-1}
    own = staff_ids(user) or {-1}
    return stmt.where(Entry.university_id.in_(mine) | Entry.staff_id.in_(own))


def visible_entry(entry_id: int, user: User) -> Entry:
    """An entry the user may see (``can_see_entry``); any other is a 404, as if it did not exist."""
    entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
    if entry is None or not can_see_entry(user, entry):
        raise NotFound(_("No such entry."))
    return entry


def visible_material(material_id: int, user: User) -> EntryMaterial:
    """A file of an entry the user may see and download; any other is a 404, as if it did not exist."""
    material = db.session.get(EntryMaterial, material_id) if is_db_int(material_id) else None
    if material is None or not can_see_entry(user, material.entry):
        raise NotFound(_("No such file."))
    return material
