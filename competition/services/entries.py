"""Reading entries: lists in a user's scope, a selection by ids, quota use per university, a staff member's
own, what is open to them, the Excel list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from ..clock import local_zone
from ..domain.eligibility import Refusal
from ..domain.pinyin_order import by_pinyin
from ..domain.quota import QuotaUse
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, Role
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..labels import CATEGORY_LABELS, ENTRY_DECISION_LABELS, label
from ..models import Competition, CompetitionGroup, Department, Entry, Staff, University, User
from ..models._base import utcnow
from ..pagination import Page, PageRequest, page_of, paginate
from ..permissions import (
    can_register_for,
    owned_universities,
    scope_entries,
    staff_ids,
    visible_competitions,
)
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
    stmt = select(Entry).options(
        contains_eager(Entry.staff).contains_eager(Staff.department),
        contains_eager(Entry.university),
        contains_eager(Entry.group),
    )
    return _entries_from(stmt, competition=competition, user=user, filters=filters)


def _entries_from(stmt, *, competition: Competition, user: User, filters: EntryFilters):
    """``stmt`` (entries, or columns of them) over the competition's entries in the user's scope, joined to
    their staff, department, university and group, filtered."""
    stmt = (
        stmt.select_from(Entry)
        .join(Staff, Entry.staff_id == Staff.id)
        .join(Department, Staff.department_id == Department.id)
        .join(University, Entry.university_id == University.id)
        .join(CompetitionGroup, Entry.group_id == CompetitionGroup.id)
        .where(Entry.competition_id == competition.id)
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


def _in_list_order(stmt):
    return stmt.order_by(
        CompetitionGroup.position, Entry.draw_no.is_(None), Entry.draw_no, University.code, Staff.staff_no
    )


def list_entries(
    *,
    competition: Competition,
    user: User,
    filters: EntryFilters,
    page: PageRequest | None,
    materials: bool = False,
) -> Page:
    """One page of the entries in scope, by group and draw order; ``page=None`` gives all (exports).

    ``materials`` loads each entry's uploaded files too (one more query for the whole page).
    """
    stmt = entries_query(competition=competition, user=user, filters=filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    ordered = _in_list_order(stmt)
    if materials:
        ordered = ordered.options(selectinload(Entry.materials))
    items = db.session.scalars(paginate(ordered, page)).all()
    return page_of(list(items), total or 0, page)


def entry_ids_of(values: object) -> list[int]:
    """The entry ids of a selection, once each in the order given: whole numbers (``["12", 13]``).

    Anything else is a 422 with the field ``entry_ids``; an id that is well formed but unknown or out of
    reach is left to ``entries_by_ids`` (a 404).
    """
    items = values if isinstance(values, list) else None
    ids: list[int] = []
    for value in items or []:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            items = None
            break
        ids.append(value)
    if items is None:
        message = _("entry_ids must be a list of entry ids (whole numbers).")
        raise ValidationFailed(message, details=[{"field": "entry_ids", "message": message}])
    return list(dict.fromkeys(ids))


def entries_by_ids(*, competition: Competition, user: User, ids: list[int]) -> list[Entry]:
    """The competition's entries with these ids, loaded through the user's scope, in the list's order.

    One id that is not an entry of this competition in the user's reach makes the whole selection a 404
    (as for a single entry): nothing of it is acted on.
    """
    if not ids:
        return []
    stmt = entries_query(competition=competition, user=user, filters=EntryFilters()).where(Entry.id.in_(ids))
    found = list(db.session.scalars(_in_list_order(stmt)))
    if len(found) != len(set(ids)):
        raise NotFound(_("No such entry."))
    return found


# --- quota use per university ------------------------------------------------------------------------------


def universities_in_reach(competition: Competition, user: User) -> list[University]:
    """The universities whose entries the user handles here, by pinyin: for a provincial competition every
    university for its organizers and their own for a union admin; for a school-level one, its university."""
    mine = owned_universities(user)
    if competition.level == CompetitionLevel.SCHOOL:
        mine = [u for u in mine if u.id == competition.university_id]
    return by_pinyin(mine, key=lambda u: u.name)


@dataclass(frozen=True)
class QuotaRow:
    """A university's entries by status, and its quota use."""

    university: University
    counts: dict[str, int]
    use: QuotaUse

    @property
    def pending(self) -> int:
        return self.counts.get(EntryStatus.PENDING, 0)


@dataclass(frozen=True)
class QuotaTable:
    """Every university in reach, those without entries too, with the totals."""

    rows: list[QuotaRow]
    quota: int | None

    @property
    def totals(self) -> dict[str, int]:
        return {status: sum(r.counts.get(status, 0) for r in self.rows) for status in EntryStatus}

    @property
    def full(self) -> int:
        """How many universities have used their whole quota."""
        return sum(1 for r in self.rows if r.use.full)

    def row_of(self, code: str | None) -> QuotaRow | None:
        return next((r for r in self.rows if r.university.code == code), None)


def quota_table(competition: Competition, universities: list[University]) -> QuotaTable:
    """Entries per university and status (one grouped query), a row for each of ``universities``."""
    counts: dict[int, dict[str, int]] = {u.id: {} for u in universities}
    if counts:
        rows = db.session.execute(
            select(Entry.university_id, Entry.status, func.count())
            .where(Entry.competition_id == competition.id, Entry.university_id.in_(counts))
            .group_by(Entry.university_id, Entry.status)
        )
        for university_id, status, n in rows:
            counts[university_id][EntryStatus(status)] = n
    quota = competition.quota_per_university
    return QuotaTable(
        [
            QuotaRow(u, counts[u.id], QuotaUse(counts[u.id].get(EntryStatus.APPROVED, 0), quota))
            for u in universities
        ],
        quota,
    )


ENTRY_COLUMNS = ["出场序号", "组别", "高校", "工号", "姓名", "部门", "岗位类别", "状态", "说明", "报名时间"]


def entries_workbook(*, competition: Competition, user: User, filters: EntryFilters) -> bytes:
    """The entries in scope as an Excel list (报名名单), in the page's order, times in local time.

    Plain rows of the ten columns, not entries with their staff, department, university and group as objects,
    each label translated once: 5,000 entries took 2 s through the ORM and pandas."""
    stmt = _entries_from(
        select(
            Entry.draw_no,
            CompetitionGroup.name,
            University.name,
            Staff.staff_no,
            Staff.name,
            Department.name,
            Staff.category,
            Entry.status,
            Entry.reason,
            Entry.created_at,
        ),
        competition=competition,
        user=user,
        filters=filters,
    )
    category = {c: label(CATEGORY_LABELS, c) for c in CATEGORY_LABELS}.get  # each word translated once
    status = {s: label(ENTRY_DECISION_LABELS, s) for s in ENTRY_DECISION_LABELS}.get
    zone = local_zone()

    def local(moment):
        return moment.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    rows = (
        (*names, category(post, post), status(state, state), reason or "", local(created_at))
        for *names, post, state, reason, created_at in db.session.execute(_in_list_order(stmt))
    )
    return excel.table_xlsx({"报名名单": (ENTRY_COLUMNS, rows)})


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
