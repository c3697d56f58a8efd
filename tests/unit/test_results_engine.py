"""The scoring engine (domain.results) against an independent reference (tests/results_reference.py: integers
of tenths, Fractions, plain loops) over random panels, and table tests for the edges DESIGN.md §2 names."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.domain import results
from competition.domain.results import AwardRule, EntryScores, RoundRule, ScoringRules
from competition.enums import FinalMode
from tests.results_reference import PARTS, Entry, Round, Rules, assert_same, reference, round_half_up

D = Decimal
PRIZES = [("一等奖", 1500), ("二等奖", 2500), ("三等奖", 3500)]  # 15% / 25% / 35%


def engine_board(entries, rounds, rules, awards=(), tie_breakers=()):
    """The engine's leaderboard of the reference's inputs (tenths → Decimal, parts of 10,000 → Decimal)."""
    return results.leaderboard(
        [
            EntryScores(
                e.entry_id,
                e.draw_no,
                {r: {j: D(t).scaleb(-1) for j, t in totals.items()} for r, totals in e.totals.items()},
                dict(e.expected),
            )
            for e in entries
        ],
        [RoundRule(r.round_id, D(r.weight) / PARTS, D(r.max_tenths).scaleb(-1)) for r in rounds],
        ScoringRules(
            rules.trim_highest,
            rules.trim_lowest,
            rules.trim_min_judges,
            rules.decimals,
            FinalMode.LAST_ROUND if rules.last_round else FinalMode.WEIGHTED,
            D(rules.threshold) / PARTS,
        ),
        [AwardRule(name, D(ratio) / PARTS) for name, ratio in awards],
        list(tie_breakers),
    )


def compare(entries, rounds, rules, awards=(), tie_breakers=()):
    """Engine and reference agree; the engine's board for further checks."""
    board = engine_board(entries, rounds, rules, awards, tie_breakers)
    expected = reference(entries, rounds, rules, list(awards), list(tie_breakers))
    assert assert_same(board, expected) == len(entries)  # every entry on the board, compared
    return board


def single(finals_tenths):
    """One round of weight 1 at one decimal, 15% / 25% / 35% awards; entry k (draw k) is scored by one judge
    with the k-th total."""
    entries = [Entry(k, k, {1: {1: total}}, {1: 1}) for k, total in enumerate(finals_tenths, 1)]
    return compare(entries, [Round(1, PARTS)], Rules(decimals=1), PRIZES)


# --- property: the engine equals the reference --------------------------------------------------------------


def parts_summing_to(draw, count: int, total: int = PARTS) -> list[int]:
    """``count`` positive whole parts summing to ``total``."""
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=count - 1, max_size=count - 1)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@st.composite
def worlds(draw):
    n_rounds = draw(st.integers(1, 3))
    weights = parts_summing_to(draw, n_rounds)
    rounds = [Round(100 + i, w, draw(st.integers(1, 1000))) for i, w in enumerate(weights)]
    rules = Rules(
        trim_highest=draw(st.integers(0, 3)),
        trim_lowest=draw(st.integers(0, 3)),
        trim_min_judges=draw(st.integers(0, 9)),
        decimals=draw(st.integers(0, 3)),
        last_round=draw(st.booleans()),
        threshold=draw(st.integers(1, PARTS)),
    )
    n_awards = draw(st.integers(0, 4))
    cumulative = sorted(draw(st.sets(st.integers(1, PARTS), min_size=n_awards, max_size=n_awards)))
    awards = [
        (f"award{k}", b - a) for k, (a, b) in enumerate(zip([0, *cumulative], cumulative, strict=False), 1)
    ]
    tie_breakers = draw(
        st.lists(st.sampled_from([r.round_id for r in rounds]), unique=True, max_size=n_rounds)
    )
    coarse = draw(st.booleans())  # few distinct totals: ties everywhere
    n_entries = draw(st.integers(0, 12))
    draw_nos = draw(st.permutations(range(1, n_entries + 1)))
    entries = []
    for k in range(n_entries):
        totals, expected = {}, {}
        for r in rounds:
            m = r.max_tenths
            value = st.sampled_from([0, m // 2, m * 3 // 4, m]) if coarse else st.integers(0, m)
            judges = draw(st.lists(st.integers(0, 11), unique=True, max_size=9))
            totals[r.round_id] = {j: draw(value) for j in judges}
            expected[r.round_id] = len(judges) + draw(st.sampled_from([0, 0, 0, 1, 2]))
        entries.append(Entry(1000 + k, draw_nos[k], totals, expected))
    return entries, rounds, rules, awards, tie_breakers


@settings(max_examples=250, deadline=None)
@given(worlds())
def test_leaderboard_equals_the_reference(world):
    entries, rounds, rules, awards, tie_breakers = world
    board = engine_board(entries, rounds, rules, awards, tie_breakers)
    expected = reference(entries, rounds, rules, list(awards), list(tie_breakers))
    assert assert_same(board, expected) == len(entries)  # every entry on the board, compared row by row


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10_000, places=6), st.integers(0, 4))
def test_half_up_of_a_decimal_is_decimal_round_half_up(value, decimals):
    assert results.half_up(value, decimals) == value.quantize(D(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**7), st.integers(1, 10**4), st.integers(0, 4))
def test_half_up_of_a_fraction(numerator, denominator, decimals):
    units = round_half_up(Fraction(numerator * 10**decimals, denominator))
    assert results.half_up(Fraction(numerator, denominator), decimals) == D(units).scaleb(-decimals)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=15))
def test_ranks_are_standard_competition_ranks(keys):
    got = results.ranks(dict(enumerate(keys)))
    for item, key in enumerate(keys):
        expected = None if key is None else 1 + sum(1 for other in keys if other is not None and other > key)
        assert got[item] == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 600), st.lists(st.integers(1, 4000), max_size=4))
def test_award_cutoffs(n, ratios):
    cumulative, expected = 0, []
    for ratio in ratios:
        cumulative += ratio
        expected.append(round_half_up(Fraction(cumulative * n, PARTS)))
    awards = [AwardRule(f"a{k}", D(r) / PARTS) for k, r in enumerate(ratios)]
    assert results.award_cutoffs(n, awards) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 1000), max_size=10))
def test_sheet_total_is_the_sum_of_its_criteria(values):
    assert results.sheet_total([D(v).scaleb(-1) for v in values]) == D(sum(values)) / 10


# --- the module docstring's worked example ------------------------------------------------------------------


def test_the_docstrings_worked_example():
    for figure in ("447 / 5 = 89.4", "340.5 / 4 = 85.125", "88.076 → 88.08", "[2, 4, 8]"):
        assert figure in results.__doc__ or figure in results.award_cutoffs.__doc__
    rules = ScoringRules()  # trim 1 + 1 from 5 judges, 2 decimals, weighted
    lesson = dict(enumerate(map(D, ["88.5", "90", "91.5", "87", "95", "86.5", "90"]), 1))
    result = results.round_result(2, lesson, 7, rules)
    assert (result.score, result.dropped_high, result.dropped_low) == (D("89.40"), (5,), (6,))
    assert str(result.score) == "89.40" and result.complete
    design = dict(enumerate(map(D, ["90", "84.9", "85.0", "85.2", "85.4", "80"]), 1))  # 340.5 / 4 = 85.125
    assert results.round_result(1, design, 6, rules).score == D("85.13")
    reflection = dict(enumerate([D(80)] * 5, 1))
    rounds = [RoundRule(1, D("0.20")), RoundRule(2, D("0.75")), RoundRule(3, D("0.05"))]
    entry = EntryScores(3, 3, {1: design, 2: lesson, 3: reflection}, {1: 6, 2: 7, 3: 5})
    row = results.leaderboard([entry], rounds, rules).rows[0]
    assert [str(r.score) for r in row.rounds] == ["85.13", "89.40", "80.00"]
    assert str(row.final) == "88.08" and row.rank == 1 and row.complete
    awards = [AwardRule(name, D(ratio) / PARTS) for name, ratio in PRIZES]
    assert results.award_cutoffs(10, awards) == [2, 4, 8]
    board = single(range(1000, 900, -10))  # ten entries, ranks 1..10
    assert [row.award for row in board.rows] == ["一等奖"] * 2 + ["二等奖"] * 2 + ["三等奖"] * 4 + [None] * 2
    board = single([1000, 990, 990, *range(980, 910, -10)])  # ranks 1, 2, 2, 4, …
    assert [row.rank for row in board.rows][:4] == [1, 2, 2, 4]
    assert [row.award for row in board.rows][:4] == ["一等奖", "一等奖", "一等奖", "二等奖"]


# --- tables: the edges --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "trim", "score", "high", "low"),
    [
        ([900, 800, 950, 700], (1, 1, 5), "83.75", (), ()),  # 4 < 5 judges: nothing dropped
        ([900, 800], (1, 1, 0), "85.00", (), ()),  # nothing would be left: nothing dropped
        ([900, 800, 950], (1, 1, 3), "90.00", (3,), (2,)),  # exactly the threshold: trimmed
        ([900, 800, 950, 700, 600], (1, 1, 5), "80.00", (3,), (5,)),
        ([900, 800, 950, 700, 600], (2, 0, 3), "70.00", (3, 1), ()),
        ([900, 800, 950, 700, 600], (0, 0, 0), "79.00", (), ()),
    ],
)
def test_trimming_only_from_the_threshold(totals, trim, score, high, low):
    rules = ScoringRules(*trim)
    given_totals = {j: D(t).scaleb(-1) for j, t in enumerate(totals, 1)}
    result = results.round_result(1, given_totals, len(totals), rules)
    assert (str(result.score), result.dropped_high, result.dropped_low) == (score, high, low)


def test_all_totals_equal_still_drop_one_high_and_one_low():
    result = results.round_result(1, {j: D("90.0") for j in range(1, 8)}, 7, ScoringRules())
    assert (result.dropped_high, result.dropped_low, str(result.score)) == ((7,), (1,), "90.00")
    assert result.anomalies == ()


@pytest.mark.parametrize(
    ("finals", "ranks", "awards"),
    [
        # ties across each cutoff [2, 4, 8]: the tied entries all take the better award
        (
            [1000, 990, 990, 970, 970, 950, 940, 930, 930, 900],
            [1, 2, 2, 4, 4, 6, 7, 8, 8, 10],
            ["一等奖"] * 3 + ["二等奖"] * 2 + ["三等奖"] * 4 + [None],
        ),
        ([950, 950, 900, 850], [1, 1, 3, 4], ["一等奖", "一等奖", "三等奖", None]),  # n = 4: cutoffs 1, 2, 3
        ([880] * 5, [1] * 5, ["一等奖"] * 5),  # everyone tied at the top
        ([900, *[800] * 9], [1, *[2] * 9], ["一等奖"] * 10),  # a tie reaching past every cutoff
        ([900, 800], [1, 2], ["二等奖", "三等奖"]),  # n = 2: cutoffs 0, 1, 2 (0.15 × 2 = 0.3 → 0)
    ],
)
def test_ties_at_the_top_and_at_award_boundaries(finals, ranks, awards):
    board = single(finals)
    assert [row.rank for row in board.rows] == ranks
    assert [row.award for row in board.rows] == awards


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Fraction(85125, 1000), 2, "85.13"),
        (D("85.125"), 2, "85.13"),
        (D("85.124999"), 2, "85.12"),
        (D("2.675"), 2, "2.68"),  # round(2.675, 2) == 2.67 in binary floats
        (D("2.5"), 0, "3"),  # half-up, not to even
        (D("3.5"), 0, "4"),
        (Fraction(1, 3), 2, "0.33"),
        (Fraction(2, 3), 2, "0.67"),
        (Fraction(1, 8), 2, "0.13"),
        (D("0.005"), 2, "0.01"),
        (0, 2, "0.00"),
        (D("89.4"), 2, "89.40"),
        (Fraction(1, 2), 4, "0.5000"),
        (D("-2.5"), 0, "-3"),  # scores are never negative; documented: half away from zero
    ],
)
def test_half_up(value, decimals, text):
    assert str(results.half_up(value, decimals)) == text


def test_rounding_exactly_at_half_is_up_where_floats_go_down():
    totals = dict(enumerate(map(D, ["84.9", "85.0", "85.2", "85.4"]), 1))  # 340.5 / 4 = 85.125, untrimmed
    assert str(results.round_result(1, totals, 4, ScoringRules()).score) == "85.13"
    assert round(sum(map(float, totals.values())) / 4, 2) == 85.12  # what binary floats give
    assert f"{sum(map(float, totals.values())) / 4:.2f}" == "85.12"
    eight = dict(enumerate(map(D, ["85.1"] * 6 + ["85.2"] * 2), 1))  # 681.0 / 8 = 85.125
    assert str(results.round_result(1, eight, 8, ScoringRules(trim_min_judges=9)).score) == "85.13"
    one_place = ScoringRules(decimals=1)
    totals = {1: D("80.0"), 2: D("80.1")}  # 80.05
    assert str(results.round_result(1, totals, 2, one_place).score) == "80.1"
    assert round((80.0 + 80.1) / 2, 1) == 80.0  # 80.05 is 80.04999… in binary
    halves = [RoundRule(1, D("0.5")), RoundRule(2, D("0.5"))]  # 0.5 × 85.13 + 0.5 × 85.12 = 85.125
    assert results.final_score({1: D("85.13"), 2: D("85.12")}, halves, ScoringRules()) == D("85.13")


def test_the_final_is_the_weighted_sum_of_rounded_round_scores():
    rules = Rules(trim_min_judges=9)  # no trimming
    rounds = [Round(1, 3000), Round(2, 7000)]
    # round 1: 2 judges, 80.0 and 80.1 → 80.05 → 80.05 at 2 places; round 2: 3 judges → 90.0333… → 90.03
    entry = Entry(1, 1, {1: {1: 800, 2: 801}, 2: {1: 900, 2: 900, 3: 901}}, {1: 2, 2: 3})
    row = compare([entry], rounds, rules).rows[0]
    # 0.3 × 80.05 + 0.7 × 90.03 = 24.015 + 63.021 = 87.036 → 87.04
    assert [str(r.score) for r in row.rounds] == ["80.05", "90.03"] and str(row.final) == "87.04"
    # whole points: 80.5 → 81 and 90.4 → 90, final (81 + 90) / 2 = 85.5 → 86 (not 85.45 → 85 unrounded)
    halves = [Round(1, 5000), Round(2, 5000)]
    row = compare([Entry(1, 1, {1: {1: 805}, 2: {1: 904}}, {1: 1, 2: 1})], halves, Rules(decimals=0)).rows[0]
    assert [str(r.score) for r in row.rounds] == ["81", "90"] and str(row.final) == "86"
    last = compare([Entry(1, 1, {2: {1: 900}}, {1: 1, 2: 1})], rounds, Rules(last_round=True)).rows[0]
    assert (last.rounds[0].score, str(last.final), last.rank, last.complete) == (None, "90.00", 1, False)


def test_a_recused_judge_is_simply_absent():
    totals = {1: {1: 900, 2: 850, 3: 800, 4: 950}}  # five on the panel, one recused: four expected
    recused = compare([Entry(1, 1, totals, {1: 4})], [Round(1, PARTS)], Rules()).rows[0]
    assert recused.complete and recused.rounds[0].dropped == () and str(recused.final) == "87.50"
    waiting = compare([Entry(1, 1, totals, {1: 5})], [Round(1, PARTS)], Rules()).rows[0]
    assert not waiting.complete and str(waiting.final) == "87.50" and waiting.rank == 1


def test_a_missing_sheet_is_provisional_and_an_entry_without_sheets_unranked():
    rounds = [Round(1, PARTS)]
    entries = [
        Entry(1, 1, {1: {j: 900 for j in range(5)}}, {1: 5}),
        Entry(2, 2, {1: {j: 800 + j for j in range(4)}}, {1: 5}),  # one sheet missing
        Entry(3, 3, {}, {1: 5}),  # none yet
    ]
    board = compare(entries, rounds, Rules(), [("优秀奖", 5000)])  # n = 2 ranked: c = 1 (not half-up(1.5))
    assert [(r.entry_id, r.rank, r.award, r.complete) for r in board.rows] == [
        (1, 1, "优秀奖", True),
        (2, 2, None, False),
        (3, None, None, False),
    ]
    assert str(board.rows[1].final) == "80.15" and board.rows[1].rounds[0].dropped == ()
    assert board.rows[2].final is None and board.rows[2].rounds[0].score is None
    assert not board.complete and board.ranked == 2


def test_tie_breakers_named_rounds_in_order():
    rounds = [Round(1, 5000), Round(2, 2500), Round(3, 2500)]
    scores = {"A": (800, 900, 900), "B": (800, 1000, 800), "C": (900, 800, 800)}  # all 85.00
    entries = [
        Entry(k, k, {r: {1: s} for r, s in enumerate(scores[name], 1)}, {1: 1, 2: 1, 3: 1})
        for k, name in enumerate("ABC", 1)
    ]
    for breakers, order in [((), [1, 1, 1]), ((1, 2), [3, 2, 1]), ((2,), [2, 1, 3]), ((3, 1), [1, 3, 2])]:
        board = compare(entries, rounds, Rules(), PRIZES, breakers)
        assert {row.final for row in board.rows} == {D("85.00")}
        assert [board.rows[i].rank for i in sorted(range(3), key=lambda i: board.rows[i].entry_id)] == order
    # the last round alone: an entry without a score in the tie-breaking round comes after one with it
    both = Entry(1, 1, {1: {1: 700}, 2: {1: 900}}, {1: 1, 2: 1})
    only_last = Entry(2, 2, {2: {1: 900}}, {1: 1, 2: 1})
    board = compare([only_last, both], rounds[:2], Rules(last_round=True), (), [1])
    assert [(row.entry_id, row.rank) for row in board.rows] == [(1, 1), (2, 2)]


@pytest.mark.parametrize(
    ("n", "ratios", "cutoffs"),
    [
        (10, ["0.15", "0.25", "0.35"], [2, 4, 8]),
        (7, ["0.15", "0.25", "0.35"], [1, 3, 5]),  # 1.05, 2.8, 5.25
        (20, ["0.15", "0.31", "0.53"], [3, 9, 20]),  # 3, 9.2, 19.8
        (6, ["0.25"], [2]),  # 1.5 → 2
        (1, ["0.15", "0.25", "0.35"], [0, 0, 1]),
        (0, ["0.15", "0.25", "0.35"], [0, 0, 0]),
        (3, ["0.3333", "0.3333", "0.3334"], [1, 2, 3]),
        (5, [], []),
    ],
)
def test_award_cutoffs_table(n, ratios, cutoffs):
    assert results.award_cutoffs(n, [AwardRule(f"a{k}", D(r)) for k, r in enumerate(ratios)]) == cutoffs


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ({"a": (90,), "b": None, "c": (95,), "d": (90,)}, {"a": 2, "b": None, "c": 1, "d": 2}),
        (
            {"a": (D(90), (1, D(80))), "b": (D(90), (1, D(85))), "c": (D(90), (1, D(80)))},
            {"a": 2, "b": 1, "c": 2},
        ),
        ({"a": None, "b": None}, {"a": None, "b": None}),
        ({}, {}),
        ({"a": (1,), "b": (2,), "c": (2,), "d": (3,), "e": (1,)}, {"a": 4, "b": 2, "c": 2, "d": 1, "e": 4}),
    ],
)
def test_ranks_table(keys, expected):
    assert results.ranks(keys) == expected


def test_equal_totals_drop_the_greater_key_high_and_the_smaller_key_low():
    totals = {3: D(90), 1: D(90), 2: D(80), 5: D(80), 4: D(85)}
    high, low = results.trim(totals, ScoringRules())
    assert (high, low) == ((3,), (2,))
    assert results.trim(totals, ScoringRules(2, 2, 5)) == ((3, 1), (2, 5))
