"""The objects a batch of audit rows names (accounts, entries, staff, rounds, groups, competitions,
universities), each kind read in one query whatever the number of rows."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..audit_words import STAFF_OBJECT
from ..database import is_db_int
from ..extensions import db
from ..models import AuditLog, Competition, CompetitionGroup, Entry, Round, Staff, University, User


def as_int(value) -> int | None:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if is_db_int(value) else None


def details_of(row: AuditLog) -> dict:
    return row.details if isinstance(row.details, dict) else {}


class Objects:
    """The objects a batch of rows names, each kind read in one query."""

    def __init__(self, rows: list[AuditLog]):
        user_ids, usernames, entry_ids, staff_ids, round_ids, group_ids = (
            set(),
            set(),
            set(),
            set(),
            set(),
            set(),
        )
        competition_ids, university_ids, university_codes = set(), set(), set()
        for row in rows:
            d = details_of(row)
            kind, oid = row.object_type, row.object_id
            user_ids.add(row.user_id)
            university_ids.add(row.university_id)
            if isinstance(d.get("judge"), str):
                usernames.add(d["judge"])
            if kind == "user":
                user_ids.add(as_int(oid))
            elif kind == "entry":
                entry_ids.add(as_int(oid))
            elif kind == STAFF_OBJECT:
                staff_ids.add(as_int(oid))
            elif kind == "round":
                round_ids.add(as_int(oid))
            elif kind == "competition":
                competition_ids.add(as_int(oid))
            elif kind == "university" and oid:
                university_codes.add(oid)
            entry_ids.add(as_int(d.get("entry_id")))
            round_ids.add(as_int(d.get("round_id")))
            group_ids.add(as_int(d.get("group_id")))
            if isinstance(d.get("groups"), list):
                group_ids.update(as_int(g) for g in d["groups"])
            competition_ids.update((as_int(d.get("competition_id")), as_int(d.get("copied_from"))))

        def known(ids: set) -> set[int]:
            return {i for i in ids if i is not None}

        users = _query(
            select(User).where(or_(User.id.in_(known(user_ids)), User.username.in_(usernames))),
            known(user_ids) or usernames,
        )
        self.users = {u.id: u for u in users}
        self.users_by_name = {u.username: u for u in users}
        self.entries = {
            e.id: e
            for e in _query(
                select(Entry).options(joinedload(Entry.staff)).where(Entry.id.in_(known(entry_ids))),
                known(entry_ids),
            )
        }
        self.staff = {s.id: s for s in _query(select(Staff).where(Staff.id.in_(known(staff_ids))), staff_ids)}
        self.staff.update({e.staff_id: e.staff for e in self.entries.values()})
        self.rounds = {
            r.id: r for r in _query(select(Round).where(Round.id.in_(known(round_ids))), round_ids)
        }
        self.groups = {
            g.id: g
            for g in _query(
                select(CompetitionGroup).where(CompetitionGroup.id.in_(known(group_ids))), group_ids
            )
        }
        competition_ids.update(e.competition_id for e in self.entries.values())
        competition_ids.update(r.competition_id for r in self.rounds.values())
        competition_ids.update(g.competition_id for g in self.groups.values())
        self.competitions = {
            c.id: c
            for c in _query(
                select(Competition).where(Competition.id.in_(known(competition_ids))), known(competition_ids)
            )
        }
        university_ids.update(e.university_id for e in self.entries.values())
        university_ids.update(s.university_id for s in self.staff.values())
        universities = _query(
            select(University).where(
                or_(University.id.in_(known(university_ids)), University.code.in_(university_codes))
            ),
            known(university_ids) or university_codes,
        )
        self.universities = {u.id: u for u in universities}
        self.universities_by_code = {u.code: u for u in universities}


def _query(stmt, wanted) -> list:
    """The rows of ``stmt``, or none without a query when there is nothing to look for."""
    wanted = {w for w in wanted if w is not None}
    return list(db.session.scalars(stmt)) if wanted else []
