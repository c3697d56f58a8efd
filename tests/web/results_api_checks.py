"""Helpers of the results API tests (test_api_results, test_api_publication, test_api_live): a contest scored
by five outside experts, whose leaderboard is worked out by hand below, and calls of the endpoints."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from competition.extensions import db
from competition.models import ScoreSheet
from tests.builders import make_judge, make_sheet, staff, user
from tests.web.judging_checks import judged_contest

JUDGES = ("j1", "j2", "j3", "j4", "j5")  # outside experts: no recusals; seats 1..5 in this order

# Each judge's total per entry (by draw number) and round of RUBRIC. With five judges the highest and the
# lowest are dropped (trim_min_judges 5), the mean of the other three is rounded half-up to 2 places, and the
# final is 0.2 × 教学设计 + 0.8 × 课堂教学, rounded again:
#   1号 李老师 (ZJU): 教学设计 100 90 90 80 60 → (90+90+80)/3 = 86.666… → 86.67;
#                     课堂教学 90 85 80 75 70 → 80.00; final 17.334 + 64 = 81.334 → 81.33 (rank 3).
#   2号 赵老师 (HZU): 80 × 5 → 80.00; 85 × 5 → 85.00; final 16 + 68 = 84.00 (rank 1).
#   3号 钱老师 (HZU): the same as 2号 → 84.00 (rank 1, tied).
# Awards of 3 ranked entries: c = half-up(0.15 × 3) = 0, half-up(0.40 × 3) = 1, half-up(0.75 × 3) = 2, so
# both rank 1 get 二等奖 (no 一等奖) and rank 3 gets nothing.
TOTALS = {
    1: ([100, 90, 90, 80, 60], [90, 85, 80, 75, 70]),
    2: ([80] * 5, [85] * 5),
    3: ([80] * 5, [85] * 5),
}
DESIGN, LESSON = 0, 1  # round indexes


def split(total: float, maxima: list[Decimal]) -> list[float]:
    """A sheet's values that add up to ``total``: each criterion filled to its maximum in turn."""
    values, left = [], Decimal(str(total))
    for maximum in maxima:
        value = min(left, maximum)
        values.append(float(value))
        left -= value
    assert left == 0, total
    return values


def five_judge_contest(world, make, **overrides):
    """Three entrants of group 文科组 (1号 ZJU 李老师, 2号 HZU 赵老师, 3号 HZU 钱老师) and the five judges, in
    scoring; nothing submitted yet."""
    make.staff(world["hzu"], "H002", "钱老师")
    for username in JUDGES:
        make_judge(username)
    return judged_contest([staff("00123"), staff("H001"), staff("H002")], judges=JUDGES, **overrides)


def sheet_of(contest, judge: str, draw_no: int, round_index: int, total: float, *, submit: bool = True):
    """``judge``'s sheet of entry ``draw_no`` in a round, adding up to ``total``; a draft unless submit."""
    competition, entries = contest
    entry, round_ = entries[draw_no - 1], competition.rounds[round_index]
    values = split(total, [c.max_score for c in round_.criteria])
    token = f"{judge}-{entry.id}-{round_.id}-{total}"
    return make_sheet(user(judge), round_, entry, values, submit=submit, token=token)


def submit(contest, *, skip: tuple = ()) -> None:
    """Every sheet of ``TOTALS`` but the (judge, draw number, round index) in ``skip``."""
    for draw_no, rounds in TOTALS.items():
        for round_index, totals in enumerate(rounds):
            for judge, total in zip(JUDGES, totals, strict=True):
                if (judge, draw_no, round_index) not in skip:
                    sheet_of(contest, judge, draw_no, round_index, total)


def results(api, competition, group_id=None):
    return api.get(f"/competitions/{competition.id}/results", group_id=group_id or competition.groups[0].id)


def publish(api, competition, **extra):
    return api.post(f"/competitions/{competition.id}/transition", json={"to": "published", **extra})


def unlock(api, contest, judge: str, draw_no: int, round_index: int, reason: str = "分数录错"):
    competition, entries = contest
    entry, round_ = entries[draw_no - 1], competition.rounds[round_index]
    path = f"/rounds/{round_.id}/entries/{entry.id}/sheets/{judge}/unlock"
    return api.post(path, json={"reason": reason})


def set_total(contest, judge: str, draw_no: int, round_index: int, tenths: int) -> None:
    """Change a submitted sheet's total behind the application's back (to show a snapshot is frozen)."""
    competition, entries = contest
    entry = entries[draw_no - 1]
    sheet = db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == user(judge).id,
            ScoreSheet.round_id == competition.rounds[round_index].id,
            ScoreSheet.entry_id == entry.id,
        )
    )
    sheet.total_tenths = tenths
    db.session.commit()


def by_draw(body: dict) -> dict[int, dict]:
    return {item["draw_no"]: item for item in body["items"]}
