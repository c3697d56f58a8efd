"""Helpers of the results page and export tests (test_results_pages.py, test_result_exports.py): the sheets
of the ``contest`` fixture, filled by hand, and reading pages.

In ``contest``, 1号 ZJU 李老师 is scored by judge_hzu and expert (judge_zju is recused), 2号 HZU 赵老师 by
judge_zju and expert. With two judges nothing is dropped (fewer than five), so by hand:

1号: 教学设计 (80 + 84) / 2 = 82.00, 课堂教学 (80 + 86) / 2 = 83.00, final 0.2 × 82 + 0.8 × 83 = 82.80.
2号: 教学设计 (90 + 89) / 2 = 89.50, 课堂教学 (91 + 89.5) / 2 = 90.25, final 0.2 × 89.5 + 0.8 × 90.25 = 90.10.

Two ranked entries with the default awards 15% / 25% / 35%: c = half-up(0.3, 0.8, 1.5) = 0, 1, 2, so rank 1
gets 二等奖 and rank 2 三等奖.
"""

from __future__ import annotations

import html
import re

from competition.extensions import db
from competition.models import Competition
from tests.builders import make_sheet, user

# (judge, entry index, round index) → criterion values
SHEETS = {
    ("judge_hzu", 0, 0): [30, 50],
    ("expert", 0, 0): [32, 52],
    ("judge_hzu", 0, 1): [25, 25, 20, 10],
    ("expert", 0, 1): [27, 26, 21, 12],
    ("judge_zju", 1, 0): [35, 55],
    ("expert", 1, 0): [36, 53],
    ("judge_zju", 1, 1): [28, 28, 22, 13],
    ("expert", 1, 1): [27, 27, 23, 12.5],
}
FINALS = {"李老师": "82.80", "赵老师": "90.10"}
AWARDS = {"李老师": "三等奖", "赵老师": "二等奖"}


def submit(competition: Competition, entries, keys=None) -> int:
    """Submit the sheets named by ``keys`` (all of ``SHEETS`` by default); how many were submitted."""
    rounds = list(competition.rounds)
    chosen = SHEETS if keys is None else {k: SHEETS[k] for k in keys}
    for (judge, e, r), values in chosen.items():
        make_sheet(user(judge), rounds[r], entries[e], values, token=f"{judge}-{e}-{r}")
    return len(chosen)


def text_of(response) -> str:
    """The page with entities decoded and white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def words(fragment: str) -> str:
    """The text of an HTML fragment without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def flashes(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<div class="alert alert-\w+ alert-dismissible[^>]*>(.*?)<button', page, re.S)
    ]


def row_of(page: str, entry_id: int) -> str:
    """The inside of one entry's row on the leaderboard."""
    found = re.search(rf'<tr class="[^"]*" data-entry="{entry_id}">(.*?)</tr>', page, re.S)
    assert found, f"no row for entry {entry_id}"
    return found.group(1)


def refresh(competition: Competition) -> Competition:
    """The competition as the database holds it now."""
    db.session.expire_all()
    return db.session.get(Competition, competition.id)
