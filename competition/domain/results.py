"""Results: round scores from judges' totals, the final score, ranking and awards — exact, over ``Decimal``.

Every step follows DESIGN.md §2 (Scores, Ranking and awards):

* a round score is the mean of the submitted totals after dropping ``trim_highest`` and ``trim_lowest`` of
  them, only when at least ``trim_min_judges`` totals are present (and more than the dropped ones), rounded
  half-up (四舍五入) to ``decimals`` places at the end only: the mean is kept as an exact fraction until then;
* the final score is the weighted sum of the *rounded* round scores, rounded again, or the last round alone;
* ranking is standard competition ranking (1, 2, 2, 4) on the final score, then the configured tie-breakers
  (a named round's score, higher first); what they cannot separate shares a rank; entries without a final
  score are not ranked;
* award k goes to ranks up to c_k = half-up(Σ ratios up to k × n), n the number of ranked entries, so that
  entries tied at a boundary all receive the better award;
* a round score is provisional (``complete`` false) until every expected judge (assigned, not recused) has
  submitted; recused judges and unsubmitted sheets are simply absent from the totals;
* an exam round (笔试) has no judges: its score is the entrant's (best) marked attempt, already rounded, and
  it is complete once the sitting window has closed (an entrant who never started then scores 0).

Worked by hand. Seven judges score contestant No. 3 in 课堂教学 (weight 0.75):
88.5, 90, 91.5, 87, 95, 86.5, 90. Seven totals ≥ ``trim_min_judges`` 5, so the highest (95) and the lowest
(86.5) are dropped; the mean of the other five is (88.5 + 90 + 91.5 + 87 + 90) / 5 = 447 / 5 = 89.4, i.e.
89.40 at two decimals. In 教学设计 (weight 0.20) six judges gave 90, 84.9, 85, 85.2, 85.4 and 80: without 90
and 80 the mean is 340.5 / 4 = 85.125 exactly, rounded half-up to 85.13 — not 85.12 as binary floats would
give — and 教学反思 (weight 0.05) gave 80.00. The final is
0.20 × 85.13 + 0.75 × 89.40 + 0.05 × 80.00 = 17.026 + 67.05 + 4 = 88.076 → 88.08.

In a group of 10 ranked entries with awards 15% / 25% / 35%: c₁ = half-up(0.15 × 10) = half-up(1.5) = 2,
c₂ = half-up(0.40 × 10) = 4, c₃ = half-up(0.75 × 10) = half-up(7.5) = 8; ranks 1–2 get 一等奖,
3–4 二等奖, 5–8 三等奖, 9–10 nothing. Had ranks 2 and 3 been tied (1, 2, 2, 4, …), both 2s would get
一等奖 (2 ≤ c₁).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from competition.enums import FinalMode

from .scoring import anomalies as _anomalies


@dataclass(frozen=True)
class ScoringRules:
    trim_highest: int = 1
    trim_lowest: int = 1
    trim_min_judges: int = 5
    decimals: int = 2
    final: str = FinalMode.WEIGHTED.value
    anomaly_threshold: Decimal = Decimal("0.10")


@dataclass(frozen=True)
class RoundRule:
    round_id: int
    weight: Decimal
    max_total: Decimal = Decimal(100)
    exam: bool = False  # a written test: scores come from ``EntryScores.exam``, not judges' totals


@dataclass(frozen=True)
class AwardRule:
    name: str
    ratio: Decimal


@dataclass(frozen=True)
class EntryScores:
    """What is known of one entry: per round, each present judge's total (judge key → total) and how many
    judges are expected (assigned and not recused)."""

    entry_id: int
    draw_no: int | None
    totals: Mapping[int, Mapping[Hashable, Decimal]]  # round id → judge → total
    expected: Mapping[int, int]  # round id → number of judges expected
    exam: Mapping[int, tuple[Decimal | None, bool]] = field(default_factory=dict)  # round → (score, complete)


@dataclass(frozen=True)
class RoundResult:
    round_id: int
    score: Decimal | None  # rounded; None when no total is present
    complete: bool
    totals: dict[Hashable, Decimal]  # judge → total, every present one
    dropped_high: tuple[Hashable, ...] = ()  # judges whose totals trimming removed, highest first
    dropped_low: tuple[Hashable, ...] = ()
    anomalies: tuple[Hashable, ...] = ()  # judges whose totals are far from the panel's median

    @property
    def dropped(self) -> tuple[Hashable, ...]:
        return self.dropped_high + self.dropped_low


@dataclass
class ResultRow:
    entry_id: int
    draw_no: int | None
    rounds: list[RoundResult]
    final: Decimal | None
    complete: bool
    rank: int | None = None
    award: str | None = None

    def round(self, round_id: int) -> RoundResult | None:
        return next((r for r in self.rounds if r.round_id == round_id), None)


@dataclass
class Leaderboard:
    rows: list[ResultRow] = field(default_factory=list)  # by rank, then draw number; unranked last

    @property
    def complete(self) -> bool:
        return all(row.complete for row in self.rows)

    @property
    def ranked(self) -> int:
        return sum(1 for row in self.rows if row.rank is not None)


# --- arithmetic ---------------------------------------------------------------------------------------------


def half_up(value: Fraction | Decimal | int, decimals: int) -> Decimal:
    """Round half-up (四舍五入) to ``decimals`` places, exactly: ``half_up(Fraction(85125, 1000), 2) ==
    Decimal("85.13")``. Scores are never negative; a negative value rounds half away from zero."""
    exact = Fraction(value)
    scale = 10**decimals
    scaled = abs(exact) * scale
    whole = int(scaled + Fraction(1, 2))  # floor of a non-negative number
    result = Decimal(whole).scaleb(-decimals)
    return -result if exact < 0 else result


def sheet_total(values: Sequence[Decimal]) -> Decimal:
    """A sheet's total is the sum of its criteria: ``sheet_total([Decimal("27.5"), Decimal(18)]) == 45.5``."""
    return sum(values, Decimal(0))


def trim(
    totals: Mapping[Hashable, Decimal], rules: ScoringRules
) -> tuple[tuple[Hashable, ...], tuple[Hashable, ...]]:
    """The judges whose totals are dropped: (highest ones, lowest ones), or two empty tuples when fewer than
    ``trim_min_judges`` totals are present or nothing would be left. Among equal totals the judge dropped is
    the one with the greater key for the highest and the smaller key for the lowest (one of each, even when
    tied)."""
    n = len(totals)
    high, low = rules.trim_highest, rules.trim_lowest
    if n < rules.trim_min_judges or n <= high + low:
        return (), ()
    ordered = sorted(totals, key=lambda judge: (totals[judge], _key(judge)))
    lowest = tuple(ordered[:low])
    highest = tuple(reversed(ordered[n - high :])) if high else ()
    return highest, lowest


def _key(judge: Hashable) -> tuple:
    return (str(type(judge)), judge) if isinstance(judge, int | str) else (str(type(judge)), repr(judge))


def round_result(
    round_id: int,
    totals: Mapping[Hashable, Decimal],
    expected: int,
    rules: ScoringRules,
    *,
    max_total: Decimal = Decimal(100),
) -> RoundResult:
    """One entry's score in one round from the totals present (see the module's docstring)."""
    totals = dict(totals)
    high, low = trim(totals, rules)
    dropped = set(high) | set(low)
    kept = [Fraction(total) for judge, total in totals.items() if judge not in dropped]
    score = half_up(sum(kept, Fraction(0)) / len(kept), rules.decimals) if kept else None
    flagged = _anomalies(
        {judge: Decimal(total) for judge, total in totals.items()},
        round_max=max_total,
        threshold=rules.anomaly_threshold,
    )
    return RoundResult(
        round_id,
        score,
        complete=expected > 0 and len(totals) >= expected,
        totals=totals,
        dropped_high=high,
        dropped_low=low,
        anomalies=tuple(judge for judge, _total, _median in flagged),
    )


def final_score(
    scores: Mapping[int, Decimal | None], rounds: Sequence[RoundRule], rules: ScoringRules
) -> Decimal | None:
    """The weighted sum of the rounded round scores, rounded again; or the last round's score alone. None
    while a round it needs has no score."""
    if not rounds:
        return None
    if rules.final == FinalMode.LAST_ROUND:
        return scores.get(rounds[-1].round_id)
    needed = [scores.get(r.round_id) for r in rounds]
    if any(score is None for score in needed):
        return None
    weighted = sum(
        (Fraction(r.weight) * Fraction(s) for r, s in zip(rounds, needed, strict=True)), Fraction(0)
    )
    return half_up(weighted, rules.decimals)


def ranks(keys: Mapping[Hashable, tuple | None]) -> dict[Hashable, int | None]:
    """Standard competition ranking (1, 2, 2, 4): an item's rank is one more than the number of items with a
    strictly greater key (tuples compared in order, higher better); a None key is not ranked."""
    ranked = {item: key for item, key in keys.items() if key is not None}
    ordered = sorted(ranked.values(), reverse=True)
    first_at: dict[tuple, int] = {}
    for position, key in enumerate(ordered, start=1):
        first_at.setdefault(key, position)
    return {item: (first_at[key] if key is not None else None) for item, key in keys.items()}


def award_cutoffs(n: int, awards: Sequence[AwardRule]) -> list[int]:
    """c_k = half-up(Σ ratios up to k × n), computed in decimals: ``award_cutoffs(10, 15%/25%/35%) ==
    [2, 4, 8]``."""
    cutoffs, cumulative = [], Decimal(0)
    for award in awards:
        cumulative += Decimal(award.ratio)
        cutoffs.append(int(half_up(cumulative * n, 0)))
    return cutoffs


def award_for(rank: int | None, cutoffs: Sequence[int], awards: Sequence[AwardRule]) -> str | None:
    """The first award whose cumulative count reaches the rank; None for an unranked entry or beyond them."""
    if rank is None:
        return None
    for award, cutoff in zip(awards, cutoffs, strict=True):
        if rank <= cutoff:
            return award.name
    return None


def _sort_key(score: Decimal | None) -> tuple:
    return (0, Decimal(0)) if score is None else (1, score)


def leaderboard(
    entries: Sequence[EntryScores],
    rounds: Sequence[RoundRule],
    rules: ScoringRules,
    awards: Sequence[AwardRule] = (),
    tie_breakers: Sequence[int] = (),
) -> Leaderboard:
    """A group's results: each entry's round scores and final, ranks, awards, ordered by rank then draw
    number (unranked entries last, by draw number). ``tie_breakers`` are round ids, compared in order."""
    rows = []
    for entry in entries:
        results = [
            RoundResult(r.round_id, *entry.exam.get(r.round_id, (None, False)), totals={})
            if r.exam
            else round_result(
                r.round_id,
                entry.totals.get(r.round_id, {}),
                entry.expected.get(r.round_id, 0),
                rules,
                max_total=r.max_total,
            )
            for r in rounds
        ]
        scores = {result.round_id: result.score for result in results}
        rows.append(
            ResultRow(
                entry.entry_id,
                entry.draw_no,
                results,
                final_score(scores, rounds, rules),
                complete=all(result.complete for result in results),
            )
        )
    keys = {
        row.entry_id: None
        if row.final is None
        else (row.final, *(_sort_key(_score_of(row, round_id)) for round_id in tie_breakers))
        for row in rows
    }
    rank_of = ranks(keys)
    n = sum(1 for rank in rank_of.values() if rank is not None)
    cutoffs = award_cutoffs(n, awards)
    for row in rows:
        row.rank = rank_of[row.entry_id]
        row.award = award_for(row.rank, cutoffs, awards)
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.draw_no is None, row.draw_no or 0))
    return Leaderboard(rows)


def _score_of(row: ResultRow, round_id: int) -> Decimal | None:
    found = row.round(round_id)
    return found.score if found else None
