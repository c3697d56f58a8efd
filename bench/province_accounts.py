"""The accounts of the benchmark province (``bench/generate.py``): organizers, two union admins per
university, judges of every university and outside experts (省外专家), and the staff accounts the unions
have opened (a large share of each university's active staff, except the largest university's: its union has
not opened them yet, so that creating them in bulk can be measured there). Pure: rows in ``COLUMNS`` order.

Every named account (organizer, admin, judge, expert) and every staff account shares one password hash, given
by the caller (``generate()`` draws the password with ``secrets``: it never follows from the seed).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from province_people import _moment, _scaled, _University

from competition.demo.data import GIVEN_FEMALE, GIVEN_MALE, SURNAMES

ORGANIZERS = (("organizer1", "省教科文卫工会·王主任"), ("organizer2", "省教科文卫工会·李干事"))
EXPERTS = 30  # outside experts at scale 1
JUDGES_PER_THOUSAND = 1.0  # judges of a university: 2 + one per 1,000 staff (at scale 1), at most 10
STAFF_ACCOUNT_SHARE = (0.55, 0.92)  # of a university's active staff, drawn per university
NEVER_LOGGED_IN = 0.2  # of the staff accounts: the initial password not changed yet


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    university_id: int | None = None
    staff_id: int | None = None


@dataclass
class Accounts:
    """The planned rows and who holds which account (for the audit rows and the log-ins)."""

    users: list[tuple] = field(default_factory=list)
    grants: list[tuple] = field(default_factory=list)
    organizers: list[Account] = field(default_factory=list)
    admins: dict[int, list[Account]] = field(default_factory=lambda: defaultdict(list))
    judges: dict[int | None, list[Account]] = field(
        default_factory=lambda: defaultdict(list)
    )  # None: experts
    staff: dict[int, Account] = field(default_factory=dict)  # by staff id
    without_accounts: str = ""  # the code of the university whose staff have none
    created: dict[int, datetime] = field(default_factory=dict)  # user id → created_at


class _Ids:
    def __init__(self, base: dict[str, int]) -> None:
        self.user, self.grant = base["user_account"], base["role_grant"]

    def next_user(self) -> int:
        self.user += 1
        return self.user

    def next_grant(self) -> int:
        self.grant += 1
        return self.grant


def _person(rng: random.Random) -> str:
    given = rng.choice((GIVEN_MALE, GIVEN_FEMALE))
    return rng.choice(SURNAMES[:60]) + rng.choice(given) + (rng.choice(given) if rng.random() < 0.6 else "")


def plan_accounts(
    rng: random.Random,
    *,
    universities: list[_University],
    staff_rows: list[tuple],
    year: int,
    snapshot: datetime,
    scale: float,
    base: dict[str, int],
    password_hash: str,
) -> Accounts:
    """Every account of the province and its role grant; see the module's docstring."""
    out, ids = Accounts(), _Ids(base)
    opened = datetime(year, 1, 4, 1, 0)

    def add(username, display, created, *, role, university_id=None, staff_id=None, fresh=False) -> Account:
        user_id = ids.next_user()
        last = None if fresh else _moment(created, snapshot, rng)
        out.users.append((user_id, username, password_hash, display, True, fresh, created, last))
        out.grants.append((ids.next_grant(), user_id, role, university_id, staff_id))
        out.created[user_id] = created
        return Account(user_id, username, university_id, staff_id)

    for username, display in ORGANIZERS:
        out.organizers.append(add(username, display, opened, role="organizer"))
    largest = max(universities, key=lambda u: (u.size, -u.index))
    out.without_accounts = largest.code
    for u in universities:
        created = opened + timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 9))
        for k in (1, 2):
            out.admins[u.id].append(
                add(
                    f"{u.code.lower()}_admin{k}",
                    f"{u.name}工会",
                    created,
                    role="university_admin",
                    university_id=u.id,
                )
            )
        judges = min(10, 2 + round(u.nominal / 1000 * JUDGES_PER_THOUSAND))
        for k in range(judges):
            day = created + timedelta(days=rng.randint(20, 120))
            name = _person(rng)
            out.judges[u.id].append(
                add(f"{u.code.lower()}_judge{k + 1:02d}", name, day, role="judge", university_id=u.id)
            )
    for k in range(max(3, _scaled(EXPERTS, scale))):
        day = opened + timedelta(days=rng.randint(30, 150))
        out.judges[None].append(add(f"expert{k + 1:02d}", f"{_person(rng)}（省外专家）", day, role="judge"))

    # Staff accounts: a union opens them for most of its active staff at once, early in the year.
    by_university = defaultdict(list)
    for row in staff_rows:
        if row[10]:  # active
            by_university[row[1]].append(row)
    for u in universities:
        if u.code == out.without_accounts:
            continue
        share = rng.uniform(*STAFF_ACCOUNT_SHARE)
        day = opened + timedelta(days=rng.randint(10, 110), hours=rng.randint(0, 9))
        for row in by_university[u.id]:
            if rng.random() >= share:
                continue
            staff_id, staff_no, name = row[0], row[2], row[3]
            out.staff[staff_id] = add(
                f"{u.code}{staff_no}",
                name,
                day,
                role="staff",
                university_id=u.id,
                staff_id=staff_id,
                fresh=rng.random() < NEVER_LOGGED_IN,
            )
    return out
