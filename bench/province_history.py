"""The province's past (``bench/generate.py``): the two years before, fifteen published competitions each
at scale 1 (a fifth of them provincial), with their groups, rounds, criteria, awards and a few dozen entries
each, so that the competitions list spans the years and the dashboards have earlier years to choose. Pure:
rows in ``COLUMNS`` order."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from province_people import _moment, _Pools, _scaled, _Staff, _University
from province_words import AWARD_SETS, PROVINCIAL_SHARE, THEMES, YOUNG_MAX_AGE, _window

YEARS_BACK = 2
PER_YEAR = 15  # competitions a year at scale 1
ENTRIES = (20, 120)  # entries of one, at scale 1
STATUSES = (("approved", 85), ("rejected", 10), ("withdrawn", 5))
HISTORY_TABLES = ("competition", "competition_group", "round", "criterion", "award_level", "entry")


def plan_history(
    rng: random.Random,
    *,
    universities: list[_University],
    staff: _Staff,
    pools: _Pools,
    staff_base: int,
    year: int,
    scale: float,
    last_ids: dict[str, int],
) -> dict[str, list[tuple]]:
    """The rows of the past years' competitions; ids after ``last_ids`` (each table's largest so far)."""
    rows: dict[str, list[tuple]] = {t: [] for t in HISTORY_TABLES}
    ids = dict(last_ids)

    def next_id(table: str) -> int:
        ids[table] += 1
        return ids[table]

    weights = [t.weight for t in THEMES]
    for past in range(year - YEARS_BACK, year):
        for _ in range(max(2, _scaled(PER_YEAR, scale))):
            theme = rng.choices(THEMES, weights=weights)[0]
            owner = (
                None
                if rng.random() < PROVINCIAL_SHARE
                else rng.choices(universities, [u.size for u in universities])[0]
            )
            opens, closes = _window(rng, past)
            year_end = datetime(past, 12, 31, 15, 59)  # the last moment of that year in Beijing
            closes = min(closes, year_end - timedelta(days=10))  # within its year
            competition_id = next_id("competition")
            rows["competition"].append(
                (
                    competition_id,
                    f"{past}年{owner.name if owner else '全省高校'}{theme.name}",
                    f"{theme.name}：{'、'.join(theme.groups)}。",
                    theme.kind,
                    "school" if owner else "provincial",
                    owner.id if owner else None,
                    past,
                    list(theme.categories),
                    YOUNG_MAX_AGE if theme.young else None,
                    date(past, 8, 31) if theme.young else None,
                    opens,
                    closes,
                    None,
                    True,
                    theme.materials,
                    "published",
                    opens - timedelta(days=rng.randint(7, 30)),
                    closes + timedelta(days=30),
                )
            )
            groups = [next_id("competition_group") for _ in theme.groups[: rng.randint(1, 2)]]
            for position, group_id in enumerate(groups):
                rows["competition_group"].append((group_id, competition_id, theme.groups[position], position))
            for position, (round_name, weight, criteria) in enumerate(theme.rounds):
                round_id = next_id("round")
                rows["round"].append(
                    (round_id, competition_id, round_name, position, Decimal(weight), "queue")
                )
                for k, (criterion, maximum) in enumerate(criteria):
                    rows["criterion"].append(
                        (next_id("criterion"), round_id, criterion, "", Decimal(maximum), k)
                    )
            for position, (award, ratio) in enumerate(AWARD_SETS[0]):
                rows["award_level"].append(
                    (next_id("award_level"), competition_id, award, Decimal(ratio), position)
                )
            units = [owner] if owner else universities
            pool = [p for u in units for key in pools.keys(u.index, theme) for p in pools.all[key]]
            size = min(len(pool), max(2, _scaled(rng.randint(*ENTRIES), scale)))
            draws: dict[int, int] = {}
            for person in rng.sample(pool, size):
                status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
                created = _moment(opens, closes, rng)
                decided = _moment(created, closes + timedelta(days=10), rng)
                group = rng.choice(groups)
                draw = None
                if status == "approved":
                    draws[group] = draw = draws.get(group, 0) + 1
                rows["entry"].append(
                    (
                        next_id("entry"),
                        competition_id,
                        group,
                        staff_base + person + 1,
                        universities[staff.university[person]].id,
                        status,
                        "不符合参赛条件" if status == "rejected" else None,
                        draw,
                        created,
                        decided,
                        decided if status == "approved" else None,
                    )
                )
    return rows
