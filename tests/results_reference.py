"""A reference for the scoring rules of DESIGN.md §2, written apart from ``competition.domain.results``.

The engine's tests compare it with this: totals are whole tenths (ints), weights, award ratios and the anomaly
threshold whole parts of 10,000, rounded scores whole units of 10^-decimals; every step is integer or
``Fraction`` arithmetic in plain loops, and nothing of the engine is imported. Scores come out as the text the
engine's ``Decimal`` prints ("89.40"), so that the number of places is checked too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

PARTS = 10_000  # weights, ratios and the threshold are whole parts of this


@dataclass(frozen=True)
class Rules:
    trim_highest: int = 1
    trim_lowest: int = 1
    trim_min_judges: int = 5
    decimals: int = 2
    last_round: bool = False  # the final is the last round's score (else the weighted sum)
    threshold: int = 1000  # anomaly threshold, parts of 10,000 of the round's maximum


@dataclass(frozen=True)
class Round:
    round_id: int
    weight: int  # parts of 10,000
    max_tenths: int = 1000


@dataclass(frozen=True)
class Entry:
    entry_id: int
    draw_no: int | None
    totals: dict[int, dict[int, int]]  # round id → judge → total in tenths (the judges present)
    expected: dict[int, int]  # round id → judges expected


@dataclass
class RefRound:
    round_id: int
    score: str | None
    complete: bool
    dropped_high: tuple[int, ...]  # judges, highest total first (of equal totals, the greater judge key)
    dropped_low: tuple[int, ...]  # judges, lowest total first (of equal totals, the smaller judge key)
    anomalies: set[int]
    totals: dict[int, int]  # judge → tenths, every present one
    units: int | None = None  # the rounded score in units of 10^-decimals


@dataclass
class RefRow:
    entry_id: int
    draw_no: int | None
    rounds: list[RefRound]
    final: str | None
    complete: bool
    rank: int | None = None
    award: str | None = None
    units: int | None = field(default=None, repr=False)


def round_half_up(value: Fraction) -> int:
    """The whole number nearest to a non-negative ``value``, halves going up."""
    whole, rest = divmod(value.numerator, value.denominator)
    return whole + 1 if 2 * rest >= value.denominator else whole


def text(units: int, decimals: int) -> str:
    """``text(8940, 2) == "89.40"``: as ``str()`` prints a Decimal with exactly ``decimals`` places."""
    digits = str(units).rjust(decimals + 1, "0")
    return f"{digits[:-decimals]}.{digits[-decimals:]}" if decimals else digits


def one_round(round_: Round, totals: dict[int, int], expected: int, rules: Rules) -> RefRound:
    judges = list(totals)
    n = len(judges)
    high: tuple[int, ...] = ()
    low: tuple[int, ...] = ()
    if n >= rules.trim_min_judges and n > rules.trim_highest + rules.trim_lowest:
        high = tuple(sorted(judges, key=lambda j: (-totals[j], -j))[: rules.trim_highest])
        low = tuple(sorted(judges, key=lambda j: (totals[j], j))[: rules.trim_lowest])
    kept = [totals[j] for j in judges if j not in high and j not in low]
    units = None
    if kept:
        # mean of tenths / 10, in units of 10^-decimals
        units = round_half_up(Fraction(sum(kept) * 10**rules.decimals, 10 * len(kept)))
    flagged: set[int] = set()
    if n >= 3:
        ordered = sorted(totals.values())
        middle = n // 2
        median = Fraction(ordered[middle]) if n % 2 else Fraction(ordered[middle - 1] + ordered[middle], 2)
        for judge, total in totals.items():
            if abs(total - median) * PARTS > rules.threshold * round_.max_tenths:
                flagged.add(judge)
    return RefRound(
        round_.round_id,
        None if units is None else text(units, rules.decimals),
        expected > 0 and n >= expected,
        high,
        low,
        flagged,
        dict(totals),
        units,
    )


def reference(
    entries: list[Entry],
    rounds: list[Round],
    rules: Rules,
    awards: list[tuple[str, int]] = (),
    tie_breakers: list[int] = (),
) -> list[RefRow]:
    """Every entry's rounds, final, rank and award, ordered by rank then draw number, unranked last."""
    rows = []
    for entry in entries:
        results = [
            one_round(r, entry.totals.get(r.round_id, {}), entry.expected.get(r.round_id, 0), rules)
            for r in rounds
        ]
        if rules.last_round:
            final_units = results[-1].units
        elif any(r.units is None for r in results):
            final_units = None
        else:
            weighted = sum(r.weight * result.units for r, result in zip(rounds, results, strict=True))
            final_units = round_half_up(Fraction(weighted, PARTS))
        rows.append(
            RefRow(
                entry.entry_id,
                entry.draw_no,
                results,
                None if final_units is None else text(final_units, rules.decimals),
                all(result.complete for result in results),
                units=final_units,
            )
        )

    def key(row: RefRow) -> tuple:
        by_id = {result.round_id: result.units for result in row.rounds}
        return (row.units, *(-1 if by_id.get(r) is None else by_id[r] for r in tie_breakers))

    ranked = [row for row in rows if row.units is not None]
    for row in ranked:
        row.rank = 1 + sum(1 for other in ranked if key(other) > key(row))
    cutoffs, cumulative = [], 0
    for _name, ratio in awards:
        cumulative += ratio
        cutoffs.append(round_half_up(Fraction(cumulative * len(ranked), PARTS)))
    for row in ranked:
        for (name, _ratio), cutoff in zip(awards, cutoffs, strict=True):
            if row.rank <= cutoff:
                row.award = name
                break
    return sorted(
        rows, key=lambda row: (row.rank is None, row.rank or 0, row.draw_no is None, row.draw_no or 0)
    )


def tenths(total: Decimal) -> int:
    whole = total * 10
    assert whole == int(whole), total
    return int(whole)


def assert_same(board, expected: list[RefRow]) -> int:
    """The engine's ``Leaderboard`` says what the reference says, row by row in order; the number of rows
    compared."""
    assert [row.entry_id for row in board.rows] == [row.entry_id for row in expected]
    for row, ref in zip(board.rows, expected, strict=True):
        where = f"entry {row.entry_id}"
        assert row.draw_no == ref.draw_no, where
        assert (None if row.final is None else str(row.final)) == ref.final, where
        assert (row.rank, row.award, row.complete) == (ref.rank, ref.award, ref.complete), where
        assert [r.round_id for r in row.rounds] == [r.round_id for r in ref.rounds], where
        for got, want in zip(row.rounds, ref.rounds, strict=True):
            at = f"{where}, round {got.round_id}"
            assert (None if got.score is None else str(got.score)) == want.score, at
            assert got.complete == want.complete, at
            assert (got.dropped_high, got.dropped_low) == (want.dropped_high, want.dropped_low), at
            assert set(got.anomalies) == want.anomalies, at
            assert {judge: tenths(total) for judge, total in got.totals.items()} == want.totals, at
    assert board.complete == all(ref.complete for ref in expected)
    assert board.ranked == sum(1 for ref in expected if ref.rank is not None)
    return len(board.rows)
