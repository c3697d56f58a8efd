"""Reading entries: lists in a user's scope, a staff member's own, what is open to them, the Excel list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from ..clock import local_zone
from ..domain.eligibility import Refusal
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, Role
from ..errors import ValidationFailed
from ..extensions import db
from ..labels import CATEGORY_LABELS, ENTRY_DECISION_LABELS, label
from ..models import Competition, CompetitionGroup, Department, Entry, Staff, University, User
from ..models._base import utcnow
from ..pagination import Page, PageRequest, page_of, paginate
from ..permissions import can_register_for, scope_entries, staff_ids, visible_competitions
from . import excel
from .registration import refusals_given


@dataclass(frozen=True)
class EntryFilters:
    group_id: int | None = None
    status: str | None = None
    university: str | None = None
    q: str | None = None


def entries_query(*, competition: Competition, user: User, filters: EntryFilters):
    """The competition's entries in the user's scope (``permissions.scope_entries``), filtered."""
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
    stmt = scope_entries(stmt, user, competition)
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


def entries_workbook(*, competition: Competition, user: User, filters: EntryFilters) -> bytes:
    """The entries in scope as an Excel list (报名名单), in the page's order, times in local time."""
    everyone = list_entries(competition=competition, user=user, filters=filters, page=None)
    zone = local_zone()
    columns = ["出场序号", "组别", "高校", "工号", "姓名", "部门", "岗位类别", "状态", "说明", "报名时间"]
    frame = pd.DataFrame(
        [
            [
                e.draw_no if e.draw_no is not None else "",
                e.group.name,
                e.university.name,
                e.staff.staff_no,
                e.staff.name,
                e.staff.department.name,
                label(CATEGORY_LABELS, e.staff.category),
                label(ENTRY_DECISION_LABELS, e.status),
                e.reason or "",
                e.created_at.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            ]
            for e in everyone.items
        ],
        columns=columns,
    )
    return excel.to_xlsx({"报名名单": frame})


# --- a staff member's own -----------------------------------------------------------------------------------


def my_entries(*, user: User) -> list[Entry]:
    own = staff_ids(user)
    if not own:
        return []
    return list(
        db.session.scalars(select(Entry).where(Entry.staff_id.in_(own)).order_by(Entry.created_at.desc()))
    )


def staff_of(user: User) -> Staff | None:
    """The staff record the user is (their staff role), or None."""
    grant = next((g for g in user.roles if g.role == Role.STAFF and g.staff_id), None)
    return grant.staff if grant else None


@dataclass
class Offer:
    """A competition on the staff member's list: their standing entry, or why they may not register."""

    competition: Competition
    entry: Entry | None = None
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def registrable(self) -> bool:
        return self.entry is None and not self.refusals


def offers_for(*, user: User, staff: Staff, entries: list[Entry]) -> list[Offer]:
    """Competitions whose registration is open now or opens soon, open now first, closing soonest first.

    Three queries whatever the number of competitions: the open ones, and the approved entries of the
    person's university in each (for the quota); the person's entries are passed in.
    """
    now = utcnow()
    # A rejected entry still stands (the rules count it as registered): show it, not "already registered".
    standing = {e.competition_id: e for e in entries if e.status != EntryStatus.WITHDRAWN}
    stmt = visible_competitions(user).where(
        Competition.status == CompetitionStatus.REGISTRATION_OPEN,
        Competition.registration_closes > now,
        # visible through another role (an admin elsewhere), but not open to this person
        (Competition.level == CompetitionLevel.PROVINCIAL)
        | (Competition.university_id == staff.university_id),
    )
    found = list(
        db.session.scalars(
            stmt.order_by(
                Competition.year.desc(), Competition.registration_opens.desc(), Competition.id.desc()
            )
        )
    )
    approved = dict(
        db.session.execute(
            select(Entry.competition_id, func.count())
            .where(
                Entry.competition_id.in_([c.id for c in found] or [-1]),
                Entry.university_id == staff.university_id,
                Entry.status == EntryStatus.APPROVED,
            )
            .group_by(Entry.competition_id)
        ).all()
    )
    mine = {e.competition_id: e for e in entries if e.staff_id == staff.id}
    offers = []
    for competition in found:
        entry = standing.get(competition.id)
        refusals = (
            []
            if entry
            else refusals_given(
                competition,
                staff,
                entry=mine.get(competition.id),
                approved_of_university=approved.get(competition.id, 0),
            )
        )
        offers.append(Offer(competition, entry, refusals))
    offers.sort(key=lambda o: (o.competition.registration_opens > now, o.competition.registration_closes))
    return offers


def find_staff(*, university_code: str, staff_no: str, by: User) -> Staff:
    """The staff member an admin or organizer registers on someone's behalf; out of reach is unknown."""
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
