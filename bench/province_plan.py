"""The plan of the benchmark province (``bench/generate.py``): every row in memory (pure: no database)."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from province_accounts import plan_accounts
from province_audit import plan_audit
from province_history import HISTORY_TABLES, plan_history
from province_people import (
    _apportion,
    _departments,
    _moment,
    _offline,
    _Pools,
    _scaled,
    _staff,
    _universities,
    _University,
)
from province_words import (
    AWARD_SETS,
    BIG_COMPETITION,
    COMPETITIONS,
    ENTRIES,
    ENTRY_SHARES,
    PENDING_IN_CLOSED,
    PENDING_IN_OPEN,
    PENDING_SHARE,
    PROVINCIAL_ENTRY_SHARE,
    PROVINCIAL_SHARE,
    REJECT_REASONS,
    SNAPSHOT,
    TABLES,
    THEMES,
    YOUNG_MAX_AGE,
    Plan,
    Theme,
    _window,
    without_gc,
)


@dataclass
class _Competition:
    id: int
    theme: Theme
    university: _University | None
    name: str
    opens: datetime
    closes: datetime
    status: str
    groups: list[int] = field(default_factory=list)  # group ids
    size: int = 0
    quota: int | None = None
    has_quota: bool = False


def _state(opens: datetime, closes: datetime, snapshot: datetime, rng: random.Random) -> str:
    if opens > snapshot:
        return "draft"
    if closes > snapshot:
        return "registration_open"
    days = (snapshot - closes).days
    if days < 21:
        return "registration_closed"
    if days < 60:
        return "scoring" if rng.random() < 0.8 else "published"
    return "published" if rng.random() < 0.88 else "scoring"


@without_gc
def plan(
    *,
    seed: int = 2026,
    year: int = 2026,
    scale: float = 1.0,
    base: dict[str, int] | None = None,
    password_hash: str = "",
) -> Plan:
    """Every row of the province, in memory; ``base`` gives each table's current maximum id (default 0), and
    ``password_hash`` is every account's (``generate()`` draws the password)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    base = {table: 0 for table in TABLES} | (base or {})
    rng = random.Random(seed)
    snapshot = datetime(year, *SNAPSHOT, 4, 0)  # 12:00 in Beijing
    year_end = datetime(year, 12, 31, 15, 59)  # the last moment of the year in Beijing, as naive UTC
    stamp = datetime(year, 1, 4, 1, 0)

    universities = _universities(rng, scale, base)
    rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
    rows["university"] = [(u.id, u.code, u.name, stamp) for u in universities]
    rows["department"] = _departments(rng, universities, base)
    staff = _staff(rng, universities, year, base["staff"])
    rows["staff"] = staff.rows
    pools = _Pools(staff, rng)

    # Competitions: school-level ones spread over the universities by size, then the provincial ones.
    total = max(20, round(COMPETITIONS * scale))
    provincial = max(3, round(total * PROVINCIAL_SHARE))
    school = total - provincial
    per_university = [1] * len(universities) if school >= len(universities) else [0] * len(universities)
    extra = _apportion(school - sum(per_university), [u.size for u in universities])
    per_university = [a + b for a, b in zip(per_university, extra, strict=True)]
    theme_weights = [t.weight for t in THEMES]
    competitions: list[_Competition] = []
    names: Counter = Counter()

    def add(theme: Theme, university: _University | None) -> None:
        opens, closes = _window(rng, year)
        owner = university.name if university else "全省高校"
        name = f"{year}年{owner}{theme.name}"
        names[name] += 1
        if names[name] > 1:
            name += f"（第{names[name]}期）"
        competitions.append(
            _Competition(
                id=base["competition"] + len(competitions) + 1,
                theme=theme,
                university=university,
                name=name,
                opens=opens,
                closes=closes,
                status=_state(opens, closes, snapshot, rng),
            )
        )

    for u, count in zip(universities, per_university, strict=True):
        for theme in rng.choices(THEMES, weights=theme_weights, k=count):
            add(theme, u)
    for theme in rng.choices(THEMES, weights=theme_weights, k=provincial):
        add(theme, None)

    # Entry counts: school-level competitions in proportion to their eligible staff and how engaged the union
    # is, within what the pools allow; the provincial ones take the rest.
    entries_total = _scaled(ENTRIES, scale, 1)
    live = [c for c in competitions if c.status != "draft"]
    school_live = [c for c in live if c.university]
    caps, weights = [], []
    for c in school_live:
        everyone, cap = pools.capacity(c.university.index, c.theme)
        caps.append(cap)
        weights.append(everyone * (0.4 + c.university.engagement) * rng.uniform(0.6, 1.4))
    school_total = entries_total - round(entries_total * PROVINCIAL_ENTRY_SHARE)
    for c, size in zip(school_live, _apportion(school_total, weights, caps), strict=True):
        c.size = size
    provincial_live = [c for c in live if not c.university]
    provincial_total = entries_total - sum(c.size for c in school_live)
    caps = [sum(pools.capacity(u.index, c.theme)[1] for u in universities) for c in provincial_live]
    weights = [rng.uniform(0.6, 1.4) for _ in provincial_live]
    # The one that draws the most (the largest pool): about 5,000 entries, the others share the rest.
    big = max(range(len(provincial_live)), key=lambda i: (caps[i], -i), default=None)
    big_size = 0 if big is None else min(caps[big], _scaled(BIG_COMPETITION, scale), provincial_total)
    if big is not None:
        weights[big] = 0.0
    shares = _apportion(provincial_total - big_size, weights, caps)
    if big is not None:
        shares[big] = big_size
    for c, size in zip(provincial_live, shares, strict=True):
        c.size = size

    # Statuses: pending mostly where registration is open; the rest of the decided ones 70:8:7.
    by_state = Counter()
    for c in live:
        by_state[c.status] += c.size
    open_pending = (
        PENDING_IN_OPEN * by_state["registration_open"] + PENDING_IN_CLOSED * by_state["registration_closed"]
    )
    target = PENDING_SHARE * entries_total
    older = sum(n for s, n in by_state.items() if s not in ("registration_open", "registration_closed"))
    damp = min(1.0, target / open_pending) if open_pending else 1.0
    pending_share = {
        "registration_open": PENDING_IN_OPEN * damp,
        "registration_closed": PENDING_IN_CLOSED * damp,
    }
    rest_share = max(0.0, (target - open_pending * damp) / older) if older else 0.0

    group_id, round_id, criterion_id, award_id = (
        base[t] for t in ("competition_group", "round", "criterion", "award_level")
    )
    entry_rows: list[tuple] = []
    entry_id = base["entry"]
    awards_choice = {}
    for c in sorted(competitions, key=lambda c: (c.opens, c.id)):
        theme = c.theme
        for position, group in enumerate(theme.groups[: rng.randint(1, min(5, len(theme.groups)))]):
            group_id += 1
            c.groups.append(group_id)
            rows["competition_group"].append((group_id, c.id, group, position))
        for position, (round_name, weight, criteria) in enumerate(theme.rounds):
            round_id += 1
            rows["round"].append((round_id, c.id, round_name, position, Decimal(weight), "queue"))
            for k, (criterion, maximum) in enumerate(criteria):
                criterion_id += 1
                rows["criterion"].append((criterion_id, round_id, criterion, "", Decimal(maximum), k))
        awards_choice[c.id] = rng.choice(AWARD_SETS if c.university else AWARD_SETS[:2])
        for position, (award, ratio) in enumerate(awards_choice[c.id]):
            award_id += 1
            rows["award_level"].append((award_id, c.id, award, Decimal(ratio), position))
        if not c.size:
            continue

        # The statuses of its entries, then who holds them.
        pending = round(c.size * pending_share.get(c.status, rest_share))
        decided = _apportion(c.size - pending, list(ENTRY_SHARES.values()))
        statuses = ["pending"] * pending + [
            s for s, n in zip(ENTRY_SHARES, decided, strict=True) for _ in range(n)
        ]
        rng.shuffle(statuses)
        others_statuses = [status for status in statuses if status != "approved"]
        if c.university:
            units, counts = [c.university], [c.size]
        else:  # nominated by every university, in proportion to its eligible staff and engagement
            units, caps, weights = universities, [], []
            for u in universities:
                everyone, cap = pools.capacity(u.index, theme)
                caps.append(cap)
                weights.append(everyone * (0.4 + u.engagement))
            counts = _apportion(c.size, weights, caps)
        # Approved entries go to engaged people only: never more of them in a university than it has.
        approved_total = len(statuses) - len(others_statuses)
        engaged = [pools.engaged_count(u.index, theme) for u in units]
        approved_split = _apportion(
            approved_total, counts, [min(n, e) for n, e in zip(counts, engaged, strict=True)]
        )
        others_statuses += ["pending"] * (approved_total - sum(approved_split))  # (tiny scales only)
        chosen: set[int] = set()
        reg_end = min(c.closes, snapshot)
        decide_end = min(c.closes + timedelta(days=10), snapshot, year_end)
        approved_per_university = []
        by_group: dict[int, list[int]] = defaultdict(list)  # approved entry rows per group, for the draw
        taken = 0
        for u, n, approved_n in zip(units, counts, approved_split, strict=True):
            if not n:
                continue
            keys = pools.keys(u.index, theme)
            part = ["approved"] * approved_n + others_statuses[taken : taken + n - approved_n]
            taken += n - approved_n
            approved = pools.approved(rng, keys, approved_n, chosen)
            others = pools.others(rng, keys, len(part) - approved_n, chosen)
            approved_per_university.append(approved_n)
            people = {"approved": iter(approved), "other": iter(others)}
            for status in part:
                person = next(people["approved" if status == "approved" else "other"], None)
                if person is None:  # a pool was too small (tiny scales only): fewer entries
                    continue
                created = _moment(c.opens, reg_end, rng)
                decided_at = approved_at = reason = None
                if status == "approved":
                    decided_at = approved_at = _moment(created, decide_end, rng)
                elif status == "rejected":
                    decided_at = _moment(created, decide_end, rng)
                    reason = rng.choice(REJECT_REASONS)
                elif status == "withdrawn":
                    decided_at = _moment(created, reg_end, rng)
                group = c.groups[rng.randrange(len(c.groups))]
                entry_id += 1
                if status == "approved":
                    by_group[group].append(len(entry_rows))
                entry_rows.append(
                    [entry_id, c.id, group, base["staff"] + person + 1, u.id, status, reason, None]
                    + [created, decided_at, approved_at]
                )
        if c.status in ("scoring", "published"):  # drawn: 1..n at random within each group
            for members in by_group.values():
                order = list(range(1, len(members) + 1))
                rng.shuffle(order)
                for row, draw_no in zip(members, order, strict=True):
                    entry_rows[row][7] = draw_no
        if not c.university and rng.random() < 0.5:
            c.quota = max(5, math.ceil(max(approved_per_university, default=0) / 5) * 5)
    rows["entry"] = [tuple(r) for r in entry_rows]

    for c in competitions:
        theme = c.theme
        rows["competition"].append(
            (
                c.id,
                c.name,
                f"{theme.name}：{'、'.join(theme.groups)}。",
                theme.kind,
                "school" if c.university else "provincial",
                c.university.id if c.university else None,
                year,
                list(theme.categories),
                YOUNG_MAX_AGE if theme.young else None,
                date(year, 8, 31) if theme.young else None,
                c.opens,
                c.closes,
                c.quota,
                True,
                theme.materials,
                c.status,
                c.opens - timedelta(days=rng.randint(7, 30)),
                _status_changed(c),
            )
        )
    rows["competition"].sort()

    rows["offline_participation"] = _offline(rng, universities, staff, pools, scale, year, snapshot, base)

    # The accounts, the year's audit log and (after the counts) the past years: a generator of their own, so
    # that the rows above stay what they were before these were added.
    more = random.Random(f"{seed}-use")
    where = {"universities": universities, "year": year, "snapshot": snapshot, "scale": scale}
    accounts = plan_accounts(more, staff_rows=rows["staff"], base=base, password_hash=password_hash, **where)
    rows["user_account"], rows["role_grant"] = accounts.users, accounts.grants
    rows["audit_log"] = plan_audit(more, rows=rows, accounts=accounts, base=base["audit_log"], **where)
    entry_status = Counter(r[5] for r in rows["entry"])
    competition_status = Counter(c.status for c in competitions)
    largest = max(universities, key=lambda u: u.size)
    counts = {
        "universities": len(universities),
        "departments": len(rows["department"]),
        "staff": len(rows["staff"]),
        "active_staff": sum(staff.active),
        "competitions": len(competitions),
        "provincial_competitions": provincial,
        "competitions_by_status": dict(sorted(competition_status.items())),
        "groups": len(rows["competition_group"]),
        "rounds": len(rows["round"]),
        "criteria": len(rows["criterion"]),
        "awards": len(rows["award_level"]),
        "entries": len(rows["entry"]),
        "entries_by_status": dict(sorted(entry_status.items())),
        "offline_participations": len(rows["offline_participation"]),
        "largest_university": largest.code,
        "largest_competition": provincial_live[big].id if big is not None else None,
        "accounts": len(rows["user_account"]),
        "staff_accounts": len(accounts.staff),
        "without_staff_accounts": accounts.without_accounts,
        "audit_rows": len(rows["audit_log"]),
    }
    last = {t: max((r[0] for r in rows[t]), default=base[t]) for t in HISTORY_TABLES}
    past = plan_history(
        more,
        universities=universities,
        staff=staff,
        pools=pools,
        staff_base=base["staff"],
        year=year,
        scale=scale,
        last_ids=last,
    )
    for table, added in past.items():
        rows[table] += added
    counts["past_competitions"], counts["past_entries"] = len(past["competition"]), len(past["entry"])
    return Plan(rows=rows, counts=counts, accounts=accounts)


def _status_changed(c: _Competition) -> datetime:
    """When it reached its state: drafts when made, open ones at the opening, the others after closing."""
    if c.status == "draft":
        return c.opens - timedelta(days=7)
    if c.status == "registration_open":
        return c.opens
    days = {"registration_closed": 0, "scoring": 3, "published": 30}[c.status]
    return c.closes + timedelta(days=days)
