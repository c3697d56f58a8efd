"""The people of the benchmark province (``bench/generate.py``): universities, departments, staff, the pools
the entries draw from, the offline participations, and the small helpers of the plan (pure: no database)."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from province_words import (
    AL,
    COLLEGES,
    GIVEN,
    INACTIVE_SHARE,
    KINDS_BY_TIER,
    MALE_SHARE,
    OFFICE_WEIGHTS,
    OFFICES,
    OFFLINE,
    OFFLINE_EVENTS,
    OT,
    OTHER_SHARE,
    PLACES,
    SNAPSHOT,
    STAFF,
    SUPPORT,
    SUPPORT_WEIGHTS,
    TEACHING_SHARE,
    TIERS,
    TITLES,
    TR,
    UNIVERSITIES,
    YOUNG_MAX_AGE,
    Theme,
)

from competition.demo.data import SURNAMES
from competition.domain.eligibility import age_on

# --------------------------------------------------------------------------------------------------
# Small helpers.


def _apportion(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split ``total`` in whole numbers in proportion to ``weights``, never above ``caps`` (water-filling:
    what a capped share cannot take goes to the others); the sum is ``min(total, sum(caps))``."""
    n = len(weights)
    caps = list(caps) if caps is not None else [total] * n
    shares = [0.0] * n
    free = [i for i in range(n) if caps[i] > 0 and weights[i] > 0]
    remaining = float(total)
    while free and remaining > 1e-9:
        wsum = sum(weights[i] for i in free)
        capped = [i for i in free if remaining * weights[i] / wsum >= caps[i]]
        if not capped:
            for i in free:
                shares[i] = remaining * weights[i] / wsum
            break
        for i in capped:
            shares[i] = caps[i]
            remaining -= caps[i]
        free = [i for i in free if i not in set(capped)]
    result = [min(caps[i], int(shares[i])) for i in range(n)]
    short = min(total, sum(caps)) - sum(result)
    by_fraction = sorted(range(n), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    while short > 0:
        moved = False
        for i in by_fraction:
            if short and result[i] < caps[i] and weights[i] > 0:
                result[i] += 1
                short -= 1
                moved = True
        if not moved:
            break
    return result


def _scaled(value: int, scale: float, minimum: int = 0) -> int:
    return max(minimum, round(value * scale))


def _moment(start: datetime, end: datetime, rng: random.Random) -> datetime:
    """A moment between ``start`` and ``end``, to the second."""
    seconds = max(0, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randint(0, seconds))


def _sample_excluding(rng: random.Random, pools: list[list[int]], k: int, exclude: set[int]) -> list[int]:
    """``k`` distinct members of the concatenated ``pools`` that are not in ``exclude`` (which grows).

    Random draws while that is cheap; a filtered sample when most of the pools are needed.
    """
    if k <= 0:
        return []
    sizes = [len(p) for p in pools]
    total = sum(sizes)
    out: list[int] = []
    if total and k * 4 < total:
        cumulative = list(accumulate(sizes))
        for _ in range(8 * k + 50):
            r = rng.randrange(total)
            j = bisect_right(cumulative, r)
            person = pools[j][r - (cumulative[j - 1] if j else 0)]
            if person not in exclude:
                exclude.add(person)
                out.append(person)
                if len(out) == k:
                    return out
    candidates = [p for pool in pools for p in pool if p not in exclude]
    more = rng.sample(candidates, min(k - len(out), len(candidates)))
    exclude.update(more)
    return out + more


# --------------------------------------------------------------------------------------------------
# The plan.


@dataclass
class _University:
    index: int
    id: int
    code: str
    name: str
    size: int
    nominal: int  # its size at scale 1
    engagement: float
    colleges: list[tuple[int, str]] = field(default_factory=list)  # (department id, name)
    offices: list[tuple[int, str]] = field(default_factory=list)
    support: list[tuple[int, str]] = field(default_factory=list)


def _universities(rng: random.Random, scale: float, base: dict[str, int]) -> list[_University]:
    nominal = []
    for tier, count, (low, high) in TIERS:
        nominal += [(tier, rng.randint(low, high)) for _ in range(count)]
    # Scale the tiers below the largest so that the province has exactly STAFF people at scale 1.
    large = sum(size for tier, size in nominal if tier == "large")
    rest = sum(size for tier, size in nominal if tier != "large")
    factor = (STAFF - large) / rest
    nominal = [(tier, size if tier == "large" else round(size * factor)) for tier, size in nominal]
    medium = next(i for i, (tier, _) in enumerate(nominal) if tier == "medium")
    nominal[medium] = ("medium", nominal[medium][1] + STAFF - sum(size for _, size in nominal))
    nominal.sort(key=lambda pair: -pair[1])
    count = UNIVERSITIES if scale >= 0.1 else max(4, min(UNIVERSITIES, round(UNIVERSITIES * scale * 10)))
    if count < UNIVERSITIES:  # a spread of sizes: evenly spaced down the sorted list
        nominal = [nominal[round(i * (UNIVERSITIES - 1) / (count - 1))] for i in range(count)]
    sizes = _apportion(_scaled(STAFF, scale, count * 5), [s for _, s in nominal])
    # Engagement: a few unions near 100%, a few around 40%, the others between.
    tiers = max(1, round(count * 0.15))
    engagement = (
        [rng.uniform(0.93, 0.995) for _ in range(tiers)]
        + [rng.uniform(0.36, 0.46) for _ in range(tiers)]
        + [rng.uniform(0.50, 0.90) for _ in range(count - 2 * tiers)]
    )
    rng.shuffle(engagement)
    order = list(range(count))
    rng.shuffle(order)  # the codes do not follow the sizes
    used: set[str] = set()
    universities = []
    for position, i in enumerate(order):
        tier, size_1 = nominal[i]
        kinds = KINDS_BY_TIER[tier]
        start = rng.randrange(len(PLACES))
        name = ""
        for step in range(len(PLACES) * len(kinds)):
            name = PLACES[(start + step) % len(PLACES)] + kinds[(start + step // len(PLACES)) % len(kinds)]
            if name not in used:
                break
        used.add(name)
        universities.append(
            _University(
                index=position,
                id=base["university"] + position + 1,
                code=f"U{position + 1:02d}",
                name=name,
                size=max(1, sizes[i]),
                nominal=size_1,
                engagement=engagement[i],
            )
        )
    return universities


def _departments(rng: random.Random, universities: list[_University], base: dict[str, int]) -> list[tuple]:
    sizes = [u.nominal for u in universities]
    low, high = min(sizes), max(sizes)
    rows = []
    next_id = base["department"]
    for u in universities:
        position = (u.nominal - low) / (high - low) if high > low else 0.5
        count = max(20, min(60, round(20 + 40 * position**0.6 + rng.randint(-3, 3))))
        support = max(2, min(len(SUPPORT), round(count * 0.1)))
        offices = max(6, min(len(OFFICES), round(count * 0.35)))
        colleges = min(len(COLLEGES), count - support - offices)
        chosen = {
            "colleges": sorted(rng.sample(range(len(COLLEGES)), colleges)),
            "offices": sorted(rng.sample(range(len(OFFICES)), offices)),
            "support": sorted(rng.sample(range(len(SUPPORT)), support)),
        }
        for kind, names in (("colleges", COLLEGES), ("offices", OFFICES), ("support", SUPPORT)):
            for j in chosen[kind]:
                next_id += 1
                getattr(u, kind).append((next_id, names[j]))
                rows.append((next_id, u.id, names[j]))
    return rows


class _Staff:
    """The staff of the province, column by column (index i is staff id ``base + 1 + i``)."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.university: list[int] = []  # university index
        self.category: list[str] = []
        self.young: list[bool] = []
        self.active: list[bool] = []
        self.engaged: list[bool] = []


def _staff(rng: random.Random, universities: list[_University], year: int, base: int) -> _Staff:
    staff = _Staff()
    created = datetime(year, 1, 4, 1, 0)
    reference = date(year, 8, 31)
    surname_weights = list(accumulate(1 / (rank + 4) for rank in range(len(SURNAMES))))
    for u in universities:
        teaching, other = round(u.size * TEACHING_SHARE), round(u.size * OTHER_SHARE)
        categories = [TR] * teaching + [OT] * other + [AL] * (u.size - teaching - other)
        rng.shuffle(categories)
        departments: dict[str, list[int]] = {}
        for category, units, weights in (
            (TR, u.colleges, [rng.uniform(0.5, 1.8) for _ in u.colleges]),
            (AL, u.offices, [OFFICE_WEIGHTS.get(name, 1.0) for _, name in u.offices]),
            (OT, u.support, [SUPPORT_WEIGHTS.get(name, 1.0) for _, name in u.support]),
        ):
            ids = [unit_id for unit_id, _ in units]
            needed = categories.count(category)
            first = ids[:needed]  # every unit gets somebody before any gets a second person
            picks = first + rng.choices(ids, cum_weights=list(accumulate(weights)), k=needed - len(first))
            rng.shuffle(picks)
            departments[category] = picks
        seen = Counter()
        scheme = "year" if u.index % 3 == 1 else "seq"
        number = rng.randint(1, 40)
        per_year: Counter = Counter()
        titles = {c: (list(zip(*TITLES[c], strict=True))) for c in TITLES}
        for category in categories:
            department_id = departments[category][seen[category]]
            seen[category] += 1
            gender = "male" if rng.random() < MALE_SHARE[category] else "female"
            surname = rng.choices(SURNAMES, cum_weights=surname_weights)[0]
            given = GIVEN[gender]
            name = surname + rng.choice(given) + (rng.choice(given) if rng.random() < 0.7 else "")
            if rng.random() < 0.7:
                birth_year = int(rng.triangular(1975, 1993, 1985))
            else:
                birth_year = rng.randint(1962, 2000)
            if category == TR:
                birth_year = min(birth_year, 1998)
            birth = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
            if scheme == "year":
                joined = min(max(birth.year + rng.randint(23, 30), 1985), year - 1)
                per_year[joined] += 1
                staff_no = f"{joined}{per_year[joined]:04d}"
            else:
                staff_no = f"{number:06d}"
                number += rng.choice((1, 1, 1, 1, 2, 3))  # people leave: gaps in the sequence
            names, weights = titles[category]
            title = rng.choices(names, weights=weights)[0]
            phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
            active = rng.random() >= INACTIVE_SHARE
            staff_id = base + len(staff.rows) + 1
            staff.rows.append(
                (staff_id, u.id, staff_no, name, department_id, category, gender, birth, title, phone, active)
                + (created, created)
            )
            staff.university.append(u.index)
            staff.category.append(category)
            staff.young.append(age_on(birth, reference) <= YOUNG_MAX_AGE)
            staff.active.append(active)
            staff.engaged.append(rng.random() < u.engagement)
    return staff


class _Pools:
    """Staff indices by (university index, category, young), all of them and the engaged ones.

    The engaged lists are shuffled once and read with a pointer: everyone before it is covered (has a counted
    participation already), nobody after it is. Approved entries take uncovered people first.
    """

    def __init__(self, staff: _Staff, rng: random.Random) -> None:
        self.all: dict[tuple, list[int]] = defaultdict(list)
        self.engaged: dict[tuple, list[int]] = defaultdict(list)
        for i, u in enumerate(staff.university):
            key = (u, staff.category[i], staff.young[i])
            self.all[key].append(i)
            if staff.engaged[i]:
                self.engaged[key].append(i)
        for pool in self.engaged.values():
            rng.shuffle(pool)
        self.pointer: dict[tuple, int] = defaultdict(int)

    @staticmethod
    def keys(u: int, theme: Theme) -> list[tuple]:
        youth = (True,) if theme.young else (True, False)
        return [(u, c, y) for c in theme.categories for y in youth]

    def engaged_count(self, u: int, theme: Theme) -> int:
        return sum(len(self.engaged[k]) for k in self.keys(u, theme))

    def capacity(self, u: int, theme: Theme) -> tuple[int, int]:
        """(eligible staff of university ``u``, the most entries it can hold in a competition of ``theme``):
        at most 95% of the eligible, and few enough that the approved ones (up to 85%) are engaged people."""
        keys = self.keys(u, theme)
        everyone, engaged = sum(len(self.all[k]) for k in keys), sum(len(self.engaged[k]) for k in keys)
        return everyone, min(int(everyone * 0.95), int(engaged / 0.85))

    def approved(self, rng: random.Random, keys: list[tuple], k: int, chosen: set[int]) -> list[int]:
        left = [len(self.engaged[key]) - self.pointer[key] for key in keys]
        picked: list[int] = []
        for key, n in zip(keys, _apportion(min(k, sum(left)), left, left), strict=True):
            start = self.pointer[key]
            picked += self.engaged[key][start : start + n]
            self.pointer[key] = start + n
        chosen.update(picked)
        covered = [self.engaged[key][: self.pointer[key]] for key in keys]
        return picked + _sample_excluding(rng, covered, k - len(picked), chosen)

    def others(self, rng: random.Random, keys: list[tuple], k: int, chosen: set[int]) -> list[int]:
        return _sample_excluding(rng, [self.all[key] for key in keys], k, chosen)

    def uncovered(self) -> list[int]:
        return [i for key, pool in self.engaged.items() for i in pool[self.pointer[key] :]]


def _offline(
    rng: random.Random,
    universities: list[_University],
    staff: _Staff,
    pools: _Pools,
    scale: float,
    year: int,
    snapshot: datetime,
    base: dict[str, int],
) -> list[tuple]:
    """Offline participations: first every engaged person without an approved entry, then others engaged."""
    events = {}
    for u in universities:
        held = rng.sample(OFFLINE_EVENTS, rng.randint(3, 8))
        days = (snapshot.date() - date(year, 1, 10)).days
        events[u.index] = [
            (f"{year}年{name}", date(year, 1, 10) + timedelta(days=rng.randrange(days))) for name in held
        ]
    people = sorted(pools.uncovered())
    engaged = [i for i, flag in enumerate(staff.engaged) if flag]
    wanted = _scaled(OFFLINE, scale)
    if len(people) < wanted and engaged:
        people += rng.choices(engaged, k=wanted - len(people))
    imported = datetime(year, *SNAPSHOT, 2, 0)
    rows = []
    for n, person in enumerate(people, start=1):
        u = staff.university[person]
        event, day = rng.choice(events[u])
        day = min(day + timedelta(days=rng.randrange(3)), snapshot.date())
        rows.append(
            (
                base["offline_participation"] + n,
                universities[u].id,
                base["staff"] + person + 1,
                event,
                day,
                year,
                imported,
            )
        )
    return rows
