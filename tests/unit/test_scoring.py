"""Score sheets checked against their rubric, exact totals in tenths, the median and the anomaly flags."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.scoring import (
    CriterionRule,
    SheetProblem,
    anomalies,
    check_sheet,
    median,
    to_score,
    to_tenths,
)

# 教学内容 30, 教学组织 30, 教学语言与教态 25.5, 教学特色 14.5 (ids 1..4)
RUBRIC = [CriterionRule(1, 300), CriterionRule(2, 300), CriterionRule(3, 255), CriterionRule(4, 145)]
D = Decimal


def problems(scores, *, submit=False, rubric=RUBRIC) -> list[tuple[str, str]]:
    checked, found = check_sheet(rubric, scores, submit=submit)
    assert (checked is None) == bool(found)
    return [(p.criterion, p.code) for p in found]


def total(scores, *, submit=False) -> Decimal:
    checked, found = check_sheet(RUBRIC, scores, submit=submit)
    assert found == [], found
    return checked.total


# --- check_sheet: each problem ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        True,
        False,
        [],
        [5],
        {"v": 5},
        float("nan"),
        float("inf"),
        float("-inf"),
        "NaN",
        "sNaN",
        "Infinity",
        "1e999",  # the text of a number too large for a float: refused as text with an exponent
        "1e1",
        "0x10",
        "1_0",
        "5分",
        "8,5",
        b"5",
        object(),
    ],
)
def test_not_a_number(value):
    assert problems({"1": value}) == [("1", "not_a_number")]
    assert problems({"1": value}, submit=True)[0] == ("1", "not_a_number")


@pytest.mark.parametrize(
    ("text", "tenths"), [("８.５", 85), ("２７", 270), ("+3", 30), ("3.", 30), (".5", 5), (" 0 ", 0)]
)
def test_plain_text_and_full_width_digits_are_numbers(text, tenths):
    checked, found = check_sheet(RUBRIC, {"1": text}, submit=False)
    assert found == [] and checked.values == {1: tenths}


def test_a_json_1e999_is_an_infinite_float_and_not_a_number():
    import json

    assert problems(json.loads('{"1": 1e999}')) == [("1", "not_a_number")]


@pytest.mark.parametrize("value", [-1, -0.1, "-0.1", -30, D("-0.1"), -1e-9])
def test_negative(value):
    assert problems({"1": value}) == [("1", "negative")]


@pytest.mark.parametrize(
    ("key", "value"),
    [("1", 30.1), ("1", "31"), ("3", 25.6), ("4", 14.6), ("4", 10**400), ("4", 10**5000), ("1", 1e20)],
    ids=["30.1", "'31'", "25.6", "14.6", "10**400", "10**5000 (too long for str())", "1e20"],
)
def test_above_max(key, value):
    checked, found = check_sheet(RUBRIC, {key: value}, submit=False)
    assert [(p.criterion, p.code) for p in found] == [(key, "above_max")]
    assert found[0].max_score == {"1": D("30.0"), "3": D("25.5"), "4": D("14.5")}[key]


@pytest.mark.parametrize("value", [8.25, 0.05, "0.05", "8.25", D("8.25"), "12.34", 0.01, 1e-9, "1.00001"])
def test_more_than_one_decimal(value):
    assert problems({"1": value}) == [("1", "decimals")]


@pytest.mark.parametrize("key", ["9", "0", "", "abc", " 1", "1.0"])
def test_unknown_criterion(key):
    assert problems({key: 5}) == [(key, "unknown")]


def test_an_integer_key_is_read_as_the_criterion_id():
    assert total({1: 5, "2": 6}) == D("11.0")


def test_missing_criteria_are_problems_only_on_submission():
    assert problems({"1": 10}) == []
    assert problems({"1": 10}, submit=True) == [("2", "missing"), ("3", "missing"), ("4", "missing")]
    checked, found = check_sheet(RUBRIC, {"1": 10}, submit=True)
    assert [p.max_score for p in found] == [D("30.0"), D("25.5"), D("14.5")]


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_value_is_left_empty_in_a_draft_and_missing_on_submission(empty):
    checked, found = check_sheet(RUBRIC, {"1": 10, "2": empty}, submit=False)
    assert found == [] and checked.values == {1: 100} and checked.total == D("10.0")
    assert ("2", "missing") in problems({"1": 10, "2": empty, "3": 1, "4": 1}, submit=True)


def test_an_empty_draft_is_a_sheet_of_total_zero():
    checked, found = check_sheet(RUBRIC, {}, submit=False)
    assert found == [] and checked.values == {} and checked.total_tenths == 0


def test_a_criterion_with_a_bad_value_is_not_also_missing():
    assert problems({"1": "x", "2": 1, "3": 1, "4": 1}, submit=True) == [("1", "not_a_number")]


def test_every_problem_is_listed_at_once():
    found = problems({"1": -1, "2": 30.5, "3": 8.25, "9": 1, "4": "?"}, submit=True)
    assert sorted(found) == sorted(
        [("1", "negative"), ("2", "above_max"), ("3", "decimals"), ("9", "unknown"), ("4", "not_a_number")]
    )


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"1": 0, "2": 0, "3": 0, "4": 0}, D("0.0")),
        ({"1": 30, "2": 30, "3": 25.5, "4": 14.5}, D("100.0")),
        ({"1": "30", "2": "30.0", "3": " 25.5 ", "4": D("14.5")}, D("100.0")),
        ({"1": 27.5, "2": 18, "3": 0.1, "4": 0.2}, D("45.8")),
        ({"1": -0.0, "2": "-0", "3": 0.0, "4": "0.0"}, D("0.0")),
        ({"1": 8.50, "2": "8.50", "3": "8.5000", "4": 8}, D("33.5")),
    ],
)
def test_zero_and_the_maximum_are_accepted_and_totals_are_exact(scores, expected):
    checked, found = check_sheet(RUBRIC, scores, submit=True)
    assert found == []
    assert checked.total == expected and isinstance(checked.total, Decimal)
    assert checked.total_tenths == sum(checked.values.values())


def test_the_docstring_example():
    rubric = [CriterionRule(1, 300), CriterionRule(2, 200)]
    checked, _found = check_sheet(rubric, {"1": 27.5, "2": 18}, submit=True)
    assert checked.total == D("45.5") and checked.values == {1: 275, 2: 180}
    assert problems({"1": 30.5}, rubric=rubric) == [("1", "above_max")]
    assert problems({"1": 8.25}, rubric=rubric) == [("1", "decimals")]


def test_sums_that_binary_floats_get_wrong_are_exact():
    assert 0.1 + 0.2 != 0.3
    assert total({"1": 0.1, "2": 0.2}) == D("0.3")
    ten = [CriterionRule(i, 10) for i in range(1, 11)]
    checked, _ = check_sheet(ten, {str(i): 0.1 for i in range(1, 11)}, submit=True)
    assert checked.total == D("1.0")


def test_a_problem_names_the_key_as_sent_and_the_maximum():
    _checked, found = check_sheet(RUBRIC, {"3": 26}, submit=False)
    assert found == [SheetProblem("3", "above_max", D("25.5"))]


# --- check_sheet: properties --------------------------------------------------------------------------------

maxima = st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=8)


@st.composite
def rubric_and_values(draw):
    """A rubric and a valid value (as int, float, Decimal or text, ≤ 1 decimal) for some of its criteria."""
    tops = draw(maxima)
    rubric = [CriterionRule(i + 1, top) for i, top in enumerate(tops)]
    chosen = draw(st.lists(st.sampled_from(rubric), unique=True))
    scores, tenths = {}, {}
    for rule in chosen:
        value = draw(st.integers(min_value=0, max_value=rule.max_tenths))
        number = to_score(value)
        form = draw(st.sampled_from(["decimal", "float", "text", "int"]))
        if form == "int" and value % 10 == 0:
            scores[str(rule.id)] = value // 10
        elif form == "float":
            scores[str(rule.id)] = float(number)
        elif form == "text":
            scores[str(rule.id)] = str(number)
        else:
            scores[str(rule.id)] = number
        tenths[rule.id] = value
    return rubric, scores, tenths


@given(rubric_and_values())
def test_the_total_is_the_decimal_sum_of_the_given_values(case):
    rubric, scores, tenths = case
    checked, found = check_sheet(rubric, scores, submit=False)
    assert found == []
    assert checked.values == tenths
    assert checked.total == sum((Decimal(str(v)) for v in scores.values()), Decimal(0))
    assert checked.total == sum((to_score(t) for t in tenths.values()), Decimal(0))


@given(rubric_and_values())
def test_submission_needs_exactly_the_criteria_left_out(case):
    rubric, scores, _tenths = case
    given_ids = {int(k) for k in scores}
    expected = [(str(c.id), "missing") for c in rubric if c.id not in given_ids]
    assert problems(scores, submit=True, rubric=rubric) == expected


@given(st.integers(min_value=0, max_value=2000), st.data())
def test_any_value_with_one_decimal_within_the_range_is_accepted_and_round_trips(top, data):
    tenths = data.draw(st.integers(min_value=0, max_value=top))
    score = to_score(tenths)
    assert to_tenths(score) == tenths
    assert to_score(to_tenths(score)) == score
    for value in (score, str(score), float(score)):
        checked, found = check_sheet([CriterionRule(7, top)], {"7": value}, submit=True)
        assert found == [] and checked.values == {7: tenths}
        assert checked.total == score


@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=1, max_value=10_000))
def test_a_value_just_above_the_maximum_is_refused(top, excess_hundredths):
    value = to_score(top) + Decimal(excess_hundredths) / 100
    assert problems({"1": value}, rubric=[CriterionRule(1, top)])[0][1] in ("above_max",)


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.text() | st.floats() | st.integers())
def test_checking_never_raises(value):
    checked, found = check_sheet(RUBRIC, {"1": value, "2": value}, submit=True)
    assert (checked is None) == bool(found)
    if checked is not None:
        assert all(0 <= t <= 300 for t in checked.values.values())


# --- median -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D(7)], D(7)),
        ([D(80), D(90), D(85)], D(85)),
        ([D(80), D(90), D(85), D(70)], D("82.5")),
        ([D("90.1"), D("90.2")], D("90.15")),
        ([D(5), D(5), D(1), D(9)], D(5)),
    ],
)
def test_median(values, expected):
    assert median(values) == expected


def test_the_docstring_median():
    assert median([80, 90, 85, 70]) == 82.5


def test_the_median_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="median"):
        median([])


totals_in_tenths = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=15)


@given(totals_in_tenths, st.randoms(use_true_random=False))
def test_the_median_does_not_depend_on_order(tenths, random):
    values = [to_score(t) for t in tenths]
    shuffled = values[:]
    random.shuffle(shuffled)
    assert median(shuffled) == median(values) == median(sorted(values, reverse=True))
    assert min(values) <= median(values) <= max(values)


# --- anomalies ----------------------------------------------------------------------------------------------


def test_the_docstring_anomaly():
    totals = {"a": D(92), "b": D(90), "c": D(88), "d": D(91), "e": D(70)}
    assert anomalies(totals, round_max=D(100), threshold=D("0.10")) == [("e", D(70), D(90))]


@pytest.mark.parametrize("totals", [{}, {"a": D(10)}, {"a": D(0), "b": D(100)}])
def test_fewer_than_three_totals_flag_nobody(totals):
    assert anomalies(totals, round_max=D(100), threshold=D("0.01")) == []


def test_a_total_exactly_at_the_limit_is_not_flagged():
    # median 90; limit 0.10 × 100 = 10: 80 and 100 are exactly 10 away, 79.9 is beyond
    totals = {"a": D(90), "b": D(90), "c": D(80), "d": D(100), "e": D("79.9")}
    assert anomalies(totals, round_max=D(100), threshold=D("0.10")) == [("e", D("79.9"), D(90))]


def test_the_limit_is_exact_in_decimals():
    # 0.15 × 100 = 15 exactly (as a binary float 0.15 is a hair below, which would flag 75)
    totals = {"a": D(90), "b": D(90), "c": D(75)}
    assert anomalies(totals, round_max=D(100), threshold=D("0.15")) == []
    assert anomalies(totals, round_max=D(100), threshold=D("0.14")) == [("c", D(75), D(90))]


def test_the_median_of_an_even_panel_is_reported():
    totals = {"a": D(80), "b": D(90), "c": D(85), "d": D(50)}
    assert anomalies(totals, round_max=D(100), threshold=D("0.10")) == [("d", D(50), D("82.5"))]


@given(
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 10_000), min_size=3, max_size=12),
    st.integers(min_value=-5_000, max_value=5_000),
    st.integers(min_value=0, max_value=100),
)
def test_shifting_every_total_by_a_constant_flags_the_same_judges(tenths, shift, percent):
    threshold, round_max = Decimal(percent) / 100, D(1000)
    totals = {name: to_score(t) for name, t in tenths.items()}
    moved = {name: total + to_score(shift) for name, total in totals.items()}
    before = anomalies(totals, round_max=round_max, threshold=threshold)
    after = anomalies(moved, round_max=round_max, threshold=threshold)
    assert [name for name, *_ in before] == [name for name, *_ in after]
    assert all(
        m_after == m_before + to_score(shift)
        for (*_, m_before), (*_, m_after) in zip(before, after, strict=True)
    )


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 10_000), min_size=3, max_size=12))
def test_flags_are_exactly_the_totals_beyond_the_limit(tenths):
    totals = {name: to_score(t) for name, t in tenths.items()}
    middle = median(list(totals.values()))
    flagged = anomalies(totals, round_max=D(1000), threshold=D("0.05"))
    assert {n for n, *_ in flagged} == {n for n, t in totals.items() if abs(t - middle) > 50}
    assert all(m == middle and totals[n] == t for n, t, m in flagged)
