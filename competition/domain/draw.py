"""The draw (抽签): a reproducible random running order (出场序号) within one group."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable


def draw_order(entry_ids: Iterable[int], seed: int) -> dict[int, int]:
    """Give every entry id a draw number 1..n, at random but reproducibly from ``seed``.

    The ids are deduplicated and sorted ascending before ``random.Random(seed).shuffle``: the database returns
    rows in no guaranteed order (it may change with the plan, the engine or a VACUUM), and an auditor who
    re-runs the draw with the recorded seed over the same entries must get exactly the same numbers. So the
    result depends only on the seed and the *set* of ids, never on the order in which they were passed:
    ``draw_order([3, 1, 2], 7) == draw_order([2, 3, 1], 7)``. Number k goes to the k-th id after the shuffle.

    ``random.Random`` with an int seed and ``shuffle`` have produced the same sequence since Python 3.2, so a
    recorded seed stays valid across upgrades. (Seeding uses the absolute value: seeds 5 and -5 draw
    alike; ``new_seed`` never returns a negative one.)
    """
    ordered = sorted(set(entry_ids))
    random.Random(seed).shuffle(ordered)  # reproducible by design: the seed is recorded
    return {entry_id: number for number, entry_id in enumerate(ordered, start=1)}


def new_seed() -> int:
    """A fresh seed from the operating system's secure source, 0 <= seed < 2**31 (fits a 32-bit column)."""
    return secrets.randbelow(2**31)
