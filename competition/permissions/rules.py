"""The ``can_*`` predicates: may this user do that to this object. Pure tests of the user's roles and the
object's fields; they never query and never raise. Templates use them to show buttons, views to decide."""

from __future__ import annotations

from ..domain.lifecycle import may_withdraw
from ..enums import CompetitionLevel, CompetitionStatus, Role
from ..models import Competition, Entry, Staff, University, User
from ..models._base import utcnow
from .roles import admin_university_ids, is_organizer, is_staff_member, university_ids

# --- universities and accounts ------------------------------------------------------------------------------


def can_manage_university(user: User, university: University) -> bool:
    """Roster, staff list and accounts of a university: organizers, and that university's admins."""
    return is_organizer(user) or university.id in admin_university_ids(user)


def can_manage_any_university(user: User) -> bool:
    return is_organizer(user) or bool(admin_university_ids(user))


def can_grant(actor: User, role: str, university_id: int | None) -> bool:
    """Organizers grant any role (a judge of no university is an outside expert); a university admin grants
    judge and staff roles of their own university."""
    if is_organizer(actor):
        return True
    return role in (Role.JUDGE, Role.STAFF) and university_id in admin_university_ids(actor)


def can_create_users(actor: User) -> bool:
    return can_manage_any_university(actor)


def can_read_audit_log(user: User) -> bool:
    """Organizers read all of it; a university admin what concerns their university."""
    return can_manage_any_university(user)


# --- competitions -------------------------------------------------------------------------------------------


def can_set_up_competitions(user: User) -> bool:
    """Organizers and university union admins set up competitions (what level and owner: ``can_own``)."""
    return can_manage_any_university(user)


def can_own(user: User, level: str, university_id: int | None) -> bool:
    """Provincial competitions belong to the organizers; a school-level one to its university's admins too."""
    if is_organizer(user):
        return True
    return level == CompetitionLevel.SCHOOL and university_id in admin_university_ids(user)


def can_manage_competition(user: User, competition: Competition) -> bool:
    """Provincial competitions: organizers. School level: organizers and that university's union admins."""
    return can_own(user, competition.level, competition.university_id)


def can_view_competition(user: User, competition: Competition) -> bool:
    """Everyone sees provincial competitions; a school-level one is seen inside its university only.

    A draft is seen only by those who may run it: its rules are not yet settled or announced.
    """
    if competition.status == CompetitionStatus.DRAFT:
        return can_manage_competition(user, competition)
    if is_organizer(user) or competition.level == CompetitionLevel.PROVINCIAL:
        return user.is_authenticated
    return competition.university_id in university_ids(user)


def can_see_entries(user: User, competition: Competition) -> bool:
    """Its managers see every entry; any university union admin sees their own university's."""
    return can_manage_competition(user, competition) or bool(admin_university_ids(user))


# --- entries ------------------------------------------------------------------------------------------------


def can_register_for(user: User, staff: Staff) -> bool:
    """Oneself; a university's admin for its staff; an organizer for anyone."""
    return (
        is_organizer(user)
        or staff.university_id in admin_university_ids(user)
        or is_staff_member(user, staff.id)
    )


def can_decide(user: User, entry: Entry) -> bool:
    """Approve or reject: the entry's university admin, or an organizer of the competition."""
    return can_manage_competition(user, entry.competition) or entry.university_id in admin_university_ids(
        user
    )


def is_entrant(user: User, entry: Entry) -> bool:
    return is_staff_member(user, entry.staff_id)


def can_see_entry(user: User, entry: Entry) -> bool:
    """Their own entry, their university's, or any as the competition's organizer."""
    return is_entrant(user, entry) or can_decide(user, entry)


def can_withdraw(user: User, entry: Entry) -> bool:
    """The entrant, or whoever decides on the entry, while ``domain.lifecycle.may_withdraw`` (a standing
    entry, registration open and its window not yet closed)."""
    competition = entry.competition
    return can_see_entry(user, entry) and may_withdraw(
        entry.status, competition.status, competition.registration_closes, utcnow()
    )


def can_change_materials(user: User, entry: Entry) -> bool:
    """Upload and delete files: the entrant and those who decide on the entry."""
    return can_see_entry(user, entry)


def can_download(user: User, entry: Entry) -> bool:
    return can_see_entry(user, entry)


# --- results and certificates -------------------------------------------------------------------------------


def can_see_results(user: User, competition: Competition) -> bool:
    """Those who run the competition always (the live, provisional board); everyone else, without an account
    too, once the results are published (公示)."""
    if competition.status == CompetitionStatus.PUBLISHED:
        return True
    return user.is_authenticated and can_manage_competition(user, competition)


def can_get_certificate(user: User, entry: Entry) -> bool:
    """The entrant, their university's union admin and those who run the competition."""
    return user.is_authenticated and can_see_entry(user, entry)
