"""A year of the audit log that real use of the province leaves (``bench/generate.py``): about 370,000 rows at
scale 1, from the first days of January to the snapshot. Pure: rows in ``COLUMNS["audit_log"]`` order.

The mix (scale 1): log-ins (150,000: staff, union admins, judges, organizers, on working days and hours of
Beijing), entries registered (80,000), approved (70,000), rejected and withdrawn, score sheets submitted by
judges (30,000, after the registration of competitions in scoring or published), files uploaded, password
changes and resets, staff records edited, judges assigned; and what happens once per object: universities and
accounts created, staff accounts opened in bulk, roster and participation imports, competitions created, moved
through their states, drawn and published. Each row names real objects of the province (entries, competitions,
rounds, groups, staff, accounts) with the details ``services.audit.record`` writes for that action, at a
moment consistent with them (an approval at the entry's ``approved_at``, a transition at the competition's
dates). The rows are sorted by time, so that the ids grow with it as in a real log.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from province_accounts import Account, Accounts
from province_people import _moment, _scaled, _University
from province_words import COLUMNS

MIX = {  # rows at scale 1 of the actions drawn at random (the once-per-object ones come on top)
    "user.login": 150_000,
    "entry.register": 80_000,
    "entry.approve": 70_000,
    "entry.reject": 8_000,
    "entry.withdraw": 5_000,
    "sheet.submit": 30_000,
    "entry.material_add": 9_000,
    "user.password_change": 6_000,
    "staff.update": 4_000,
    "judging.assign": 2_500,
    "user.password_reset": 1_500,
}
LOGINS_BY = (("staff", 0.60), ("admin", 0.25), ("judge", 0.10), ("organizer", 0.05))
# Local (Beijing) hours of the day people act in, as weights from 07:00 to 22:00.
HOURS = (1, 6, 10, 10, 8, 3, 7, 9, 9, 8, 5, 2, 2, 2, 1, 1)
FILES = (("教学设计.pdf", "document", 850_000), ("课堂教学实录.mp4", "video", 180_000_000))
FILES += (("教学创新成果报告.pdf", "document", 1_400_000), ("课件.pptx", "document", 6_500_000))
CHANGES = (("title", "讲师", "副教授"), ("phone", "13800000000", "13912345678"), ("title", "科员", "副科长"))
SHEET_IDS = 1_000_000  # the submitted sheets' ids start above any real one (nothing reads them back)

E = {c: i for i, c in enumerate(COLUMNS["entry"])}
C = {c: i for i, c in enumerate(COLUMNS["competition"])}


class _Log:
    def __init__(self, rng: random.Random, start: datetime, end: datetime) -> None:
        self.rng, self.start, self.end, self.rows = rng, start, end, []
        self.days = (end.date() - start.date()).days

    def add(self, at, by: Account | None, action, kind, object_id, university_id=None, /, **details) -> None:
        at = min(max(at, self.start), self.end)
        who = (by.id, by.username) if by else (None, None)
        oid = None if object_id is None else str(object_id)
        self.rows.append((at, *who, action, kind, oid, university_id, details))

    def moment(self, after: datetime | None = None, before: datetime | None = None) -> datetime:
        """A working moment (weekdays five times as likely, Beijing's day hours) between the bounds."""
        lo, hi = max(after or self.start, self.start), min(before or self.end, self.end)
        if hi <= lo:
            return lo
        rng, span = self.rng, (hi.date() - lo.date()).days
        for _ in range(20):
            day = lo.date() + timedelta(days=rng.randint(0, span))
            if day.weekday() < 5 or rng.random() < 0.2:
                break
        hour = rng.choices(range(7, 23), weights=HOURS)[0] - 8  # Beijing → UTC
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour, seconds=rng.randrange(3600))
        return at if lo <= at <= hi else _moment(lo, hi, rng)  # (the first or last day: any time in it)


def plan_audit(
    rng: random.Random,
    *,
    rows: dict[str, list[tuple]],
    accounts: Accounts,
    universities: list[_University],
    year: int,
    snapshot: datetime,
    scale: float,
    base: int,
) -> list[tuple]:
    """The audit rows of the year, ids from ``base + 1``; see the module's docstring."""
    log = _Log(rng, datetime(year, 1, 1), snapshot)
    organizer = accounts.organizers[0]
    staff = {row[0]: row for row in rows["staff"]}
    competitions = {row[0]: row for row in rows["competition"]}
    rounds, groups = defaultdict(list), defaultdict(list)
    for row in rows["round"]:
        rounds[row[1]].append(row[0])
    for row in rows["competition_group"]:
        groups[row[1]].append(row[0])
    judges = [j for listed in accounts.judges.values() for j in listed]

    def admin(university_id: int) -> Account:
        return rng.choice(accounts.admins[university_id])

    def decider(entry: tuple) -> Account:
        competition = competitions[entry[E["competition_id"]]]
        return organizer if competition[C["level"]] == "provincial" else admin(entry[E["university_id"]])

    def self_or_admin(entry: tuple) -> Account:
        return accounts.staff.get(entry[E["staff_id"]]) or admin(entry[E["university_id"]])

    _once_per_object(log, rows, accounts, universities, competitions, rng, year)
    by_status = defaultdict(list)
    for entry in rows["entry"]:
        by_status[entry[E["status"]]].append(entry)
    count = {action: _scaled(n, scale) for action, n in MIX.items()}

    def sample(entries: list[tuple], k: int) -> list[tuple]:
        return rng.sample(entries, min(k, len(entries)))

    for entry in sample(rows["entry"], count["entry.register"]):
        person = staff[entry[E["staff_id"]]]
        log.add(
            entry[E["created_at"]],
            self_or_admin(entry),
            "entry.register",
            "entry",
            entry[E["id"]],
            entry[E["university_id"]],
            competition_id=entry[E["competition_id"]],
            staff_no=person[2],
        )
    for status, action in (("approved", "approve"), ("rejected", "reject"), ("withdrawn", "withdraw")):
        for entry in sample(by_status[status], count[f"entry.{action}"]):
            by = self_or_admin(entry) if action == "withdraw" else decider(entry)
            extra = {"reason": entry[E["reason"]]} if action == "reject" else {}
            log.add(
                entry[E["decided_at"]],
                by,
                f"entry.{action}",
                "entry",
                entry[E["id"]],
                entry[E["university_id"]],
                competition_id=entry[E["competition_id"]],
                **extra,
            )

    scored = [e for e in by_status["approved"] if competitions[e[1]][C["status"]] in ("scoring", "published")]
    for n, entry in enumerate(sample(scored, count["sheet.submit"]) if judges else []):
        competition = competitions[entry[E["competition_id"]]]
        closes = competition[C["registration_closes"]]
        judge = rng.choice(judges)
        total = Decimal(rng.randint(600, 980)) / 10
        log.add(
            log.moment(closes + timedelta(days=3), closes + timedelta(days=30)),
            judge,
            "sheet.submit",
            "score_sheet",
            SHEET_IDS + n,
            round_id=rng.choice(rounds[competition[C["id"]]]),
            entry_id=entry[E["id"]],
            judge=judge.username,
            total=str(total),
        )
    with_files = [e for e in rows["entry"] if competitions[e[1]][C["requires_materials"]]]
    for entry in sample(with_files, count["entry.material_add"]):
        name, kind, size = rng.choice(FILES)
        closes = competitions[entry[E["competition_id"]]][C["registration_closes"]]
        log.add(
            log.moment(entry[E["created_at"]], closes),
            self_or_admin(entry),
            "entry.material_add",
            "entry",
            entry[E["id"]],
            entry[E["university_id"]],
            file=name,
            kind=kind,
            size=size,
        )

    used = list(accounts.staff.values())
    for account in rng.sample(used, min(len(used), count["user.password_change"])):
        first = accounts.created[account.id] + timedelta(days=rng.randint(0, 20))
        log.add(
            log.moment(first, first + timedelta(days=3)), account, "user.password_change", "user", account.id
        )
    for account in rng.sample(used, min(len(used), count["user.password_reset"])):
        log.add(
            log.moment(accounts.created[account.id]),
            admin(account.university_id),
            "user.password_reset",
            "user",
            account.id,
            account.university_id,
        )
    people = rows["staff"]
    for _ in range(count["staff.update"]):
        person = rng.choice(people)
        field, old, new = rng.choice(CHANGES)
        log.add(
            log.moment(),
            admin(person[1]),
            "staff.update",
            "staff",
            person[0],
            person[1],
            staff_no=person[2],
            name=person[3],
            changes={field: [old, new]},
        )
    judged = [c for c in competitions.values() if c[C["status"]] in ("scoring", "published")]
    for _ in range(count["judging.assign"] if judged and judges else 0):
        c = rng.choice(judged)
        by = organizer if c[C["level"]] == "provincial" else admin(c[C["university_id"]])
        closes = c[C["registration_closes"]]
        log.add(
            log.moment(closes - timedelta(days=5), closes + timedelta(days=3)),
            by,
            "judging.assign",
            "competition",
            c[C["id"]],
            c[C["university_id"]],
            judge=rng.choice(judges).username,
            groups=sorted(rng.sample(groups[c[C["id"]]], 1)),
        )
    _logins(log, accounts, count["user.login"], rng)
    log.rows.sort(key=lambda row: row[0])
    return [(base + n, *row) for n, row in enumerate(log.rows, start=1)]


def _logins(log: _Log, accounts: Accounts, count: int, rng: random.Random) -> None:
    pools = {
        "staff": [a for a in accounts.staff.values()],
        "admin": [a for listed in accounts.admins.values() for a in listed],
        "judge": [a for listed in accounts.judges.values() for a in listed],
        "organizer": accounts.organizers,
    }
    kinds = [k for k, _ in LOGINS_BY if pools[k]]
    weights = [w for k, w in LOGINS_BY if pools[k]]
    for kind in rng.choices(kinds, weights=weights, k=count) if kinds else []:
        account = rng.choice(pools[kind])
        log.add(log.moment(accounts.created[account.id]), account, "user.login", "user", account.id)


def _once_per_object(log, rows, accounts, universities, competitions, rng, year) -> None:
    """Universities and named accounts created, staff accounts opened, imports, each competition's life."""
    organizer = accounts.organizers[0]
    start = datetime(year, 1, 4, 1, 0)
    opened = defaultdict(list)  # the staff accounts of each university
    for account in accounts.staff.values():
        opened[account.university_id].append(account)
    for u in universities:
        log.add(start, organizer, "university.create", "university", u.code, u.id, name=u.name)
        admin = accounts.admins[u.id][0]
        for account in accounts.admins[u.id]:
            log.add(
                accounts.created[account.id],
                organizer,
                "user.create",
                "user",
                account.id,
                u.id,
                username=account.username,
                roles=["university_admin"],
            )
        for account in accounts.judges.get(u.id, []):
            log.add(
                accounts.created[account.id],
                admin,
                "user.create",
                "user",
                account.id,
                u.id,
                username=account.username,
                roles=["judge"],
            )
        if opened[u.id]:
            at = accounts.created[opened[u.id][0].id]
            log.add(at, admin, "user.bulk_create_staff", "university", u.code, u.id, count=len(opened[u.id]))
        for k in range(rng.randint(2, 5)):
            at = log.moment(start if k == 0 else None, start + timedelta(days=7) if k == 0 else None)
            log.add(
                at,
                admin,
                "roster.import",
                "university",
                u.code,
                u.id,
                filename=f"{year}年教职工名册.xlsx",
                mode="replace" if k == 0 else "merge",
                created=rng.randint(0, 40) if k else u.size,
                updated=rng.randint(0, 80),
                deactivated=rng.randint(0, 15),
                unchanged=u.size,
                dry_run=False,
            )
        for _ in range(rng.randint(3, 8)):
            created = rng.randint(20, 400)
            log.add(
                log.moment(),
                admin,
                "participation.import",
                "university",
                u.code,
                u.id,
                filename="线下活动参与名单.xlsx",
                created=created,
                rows=created + rng.randint(0, 10),
            )
    for account in accounts.judges.get(None, []):
        log.add(
            accounts.created[account.id],
            organizer,
            "user.create",
            "user",
            account.id,
            username=account.username,
            roles=["judge"],
        )
    approved = defaultdict(int)
    for entry in rows["entry"]:
        approved[entry[E["competition_id"]]] += entry[E["status"]] == "approved"
    steps = ("registration_open", "registration_closed", "scoring", "published")
    for c in competitions.values():
        cid, university_id, status = c[C["id"]], c[C["university_id"]], c[C["status"]]
        by = organizer if university_id is None else accounts.admins[university_id][0]
        log.add(
            c[C["created_at"]],
            by,
            "competition.create",
            "competition",
            cid,
            university_id,
            name=c[C["name"]],
            copied_from=None,
        )
        closes = c[C["registration_closes"]]
        times = {
            "registration_open": c[C["registration_opens"]],
            "registration_closed": closes,
            "scoring": closes + timedelta(days=3),
            "published": c[C["status_changed_at"]],
        }
        previous = "draft"
        for step in steps[: steps.index(status) + 1] if status in steps else ():
            log.add(
                times[step],
                by,
                "competition.transition",
                "competition",
                cid,
                university_id,
                **{"from": previous, "to": step},
            )
            previous = step
            if step == "scoring":
                log.add(
                    times[step],
                    by,
                    "competition.draw",
                    "competition",
                    cid,
                    university_id,
                    seed=rng.randrange(2**31),
                    redraw=False,
                    entries=approved[cid],
                )
        if status == "published":
            log.add(
                c[C["status_changed_at"]],
                by,
                "competition.publish",
                "competition",
                cid,
                university_id,
                objection_ends=(c[C["status_changed_at"]] + timedelta(days=7)).date().isoformat(),
                certificates=round(approved[cid] * 0.6),
            )
