"""The coverage rule (DESIGN.md §2 Coverage): tables of cases and hypothesis properties."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.domain.coverage import (
    CATEGORIES,
    Counted,
    Coverage,
    StaffFact,
    Tally,
    compute_coverage,
    counting_date,
    covered_staff,
    rate,
)

YEAR = 2026
TR, AL, OT = "teaching_research", "admin_logistics", "other"


def person(staff_id, category=TR, department="文学院", active=True) -> StaffFact:
    return StaffFact(staff_id, category, department, active)


def on(staff_id, month=3, day=1, year=YEAR) -> Counted:
    return Counted(staff_id, date(year, month, day))


def cover(staff, counted, year=YEAR) -> Coverage:
    return compute_coverage(staff, counted, year=year)


# --- rate --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("covered", "headcount", "expected"),
    [
        (0, 0, "0"),
        (0, 5, "0.0000"),
        (5, 5, "1.0000"),
        (1, 3, "0.3333"),
        (2, 3, "0.6667"),
        (1, 8, "0.1250"),
        (1, 6, "0.1667"),
        (1, 7, "0.1429"),
        (1, 16, "0.0625"),
        (1, 32, "0.0313"),  # 0.03125: the half goes up
        (3, 32, "0.0938"),  # 0.09375
        (1, 20000, "0.0001"),  # 0.00005: up
        (1, 20001, "0.0000"),  # just below the half
        (149_999, 150_000, "1.0000"),  # 0.9999933...
        (149_984, 150_000, "0.9999"),
    ],
)
def test_rate_is_rounded_half_up_to_four_places(covered, headcount, expected):
    assert rate(covered, headcount) == Decimal(expected)
    assert str(rate(covered, headcount)) == expected
    assert Tally(headcount, covered).rate == Decimal(expected)


def test_rate_of_an_empty_university_is_zero():
    assert rate(0, 0) == Decimal(0)
    assert cover([], []).total == Tally(0, 0)
    assert cover([], []).total.rate == 0


@pytest.mark.parametrize(("covered", "headcount"), [(-1, 3), (1, -3), (4, 3), (1, 0)])
def test_impossible_rates_are_refused(covered, headcount):
    with pytest.raises(ValueError):
        rate(covered, headcount)


@pytest.mark.parametrize(("headcount", "covered", "gap"), [(0, 0, 0), (10, 3, 7), (10, 10, 0)])
def test_gap_is_the_people_still_to_reach(headcount, covered, gap):
    assert Tally(headcount, covered).gap == gap


# --- counting dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (date(2026, 3, 5), date(2026, 3, 5)),
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 12, 31), date(2026, 12, 31)),
        (date(2025, 12, 20), date(2026, 1, 1)),
        (date(1999, 6, 1), date(2026, 1, 1)),
        (date(2027, 1, 5), date(2026, 12, 31)),
        (datetime(2026, 7, 14, 23, 59), date(2026, 7, 14)),
        (datetime(2025, 12, 31, 23, 59, 59), date(2026, 1, 1)),
        (datetime(2027, 1, 1, 0, 0), date(2026, 12, 31)),
    ],
)
def test_counting_date_clamps_into_the_year(moment, expected):
    result = counting_date(2026, moment)
    assert result == expected
    assert type(result) is date


@given(st.integers(2001, 2098), st.datetimes(datetime(1990, 1, 1), datetime(2110, 1, 1)))
def test_counting_date_is_always_in_the_year_and_keeps_dates_of_the_year(year, moment):
    result = counting_date(year, moment)
    assert result.year == year
    if moment.year == year:
        assert result == moment.date()
    elif moment.year < year:
        assert result == date(year, 1, 1)
    else:
        assert result == date(year, 12, 31)


# --- the rule, case by case --------------------------------------------------------------------------------


def test_the_worked_example_of_the_docstring():
    staff = [
        person(1, TR, "文学院"),
        person(2, TR, "文学院"),
        person(3, AL, "财务处"),
        person(4, OT, "财务处", active=False),
    ]
    counted = [on(1, 3, 10), on(1, 5, 2), on(3, 5, 20), on(4, 2, 1)]
    result = cover(staff, counted)
    assert result.year == YEAR
    assert result.total == Tally(3, 2)
    assert (result.total.rate, result.total.gap) == (Decimal("0.6667"), 1)
    assert result.by_category == {TR: Tally(2, 1), AL: Tally(1, 1), OT: Tally(0, 0)}
    assert result.by_department == {"文学院": Tally(2, 1), "财务处": Tally(1, 1)}
    assert [n for _, n in result.trend] == [0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]


@pytest.mark.parametrize(
    ("staff", "counted", "total"),
    [
        pytest.param([person(1)], [], Tally(1, 0), id="no participation"),
        pytest.param([person(1)], [on(1)], Tally(1, 1), id="one participation"),
        pytest.param(
            [person(1)], [on(1, 2), on(1, 3), on(1, 3), on(1, 11)], Tally(1, 1), id="several count once"
        ),
        pytest.param([person(1), person(2)], [on(1), on(1), on(1)], Tally(2, 1), id="three entries of one"),
        pytest.param([person(1, active=False)], [on(1)], Tally(0, 0), id="inactive outside both"),
        pytest.param([person(1, active=False), person(2)], [on(1)], Tally(1, 0), id="inactive not covered"),
        pytest.param([person(1)], [on(99)], Tally(1, 0), id="unknown staff ignored"),
        pytest.param([person(1)], [on(1, year=YEAR - 1)], Tally(1, 0), id="last year does not count"),
        pytest.param([person(1)], [on(1, year=YEAR + 1)], Tally(1, 0), id="next year does not count"),
        pytest.param([person(1)], [on(1, 1, 1), on(1, 12, 31)], Tally(1, 1), id="first and last day"),
        pytest.param([], [on(1)], Tally(0, 0), id="empty university"),
        pytest.param([person(i) for i in range(3)], [on(0), on(2)], Tally(3, 2), id="two of three"),
    ],
)
def test_headcount_and_covered(staff, counted, total):
    assert cover(staff, counted).total == total


def test_pending_and_rejected_entries_are_simply_not_passed_in():
    # The caller filters: only approved entries and offline participations become ``Counted``.
    staff = [person(1), person(2)]
    approved_only = [on(1, 4)]
    assert cover(staff, approved_only).total == Tally(2, 1)
    assert cover(staff, []).total == Tally(2, 0)


def test_every_category_is_always_present_in_order():
    result = cover([person(1, AL)], [])
    assert list(result.by_category) == list(CATEGORIES) == [TR, AL, OT]
    assert result.by_category == {TR: Tally(0, 0), AL: Tally(1, 0), OT: Tally(0, 0)}
    assert list(cover([], []).by_category) == [TR, AL, OT]


def test_departments_are_those_with_active_staff_in_pinyin_order():
    staff = [
        person(1, department="图书馆"),
        person(2, department="财务处"),
        person(3, department="后勤处", active=False),
        person(4, department="财务处"),
    ]
    result = cover(staff, [on(2), on(3)])
    assert result.by_department == {"图书馆": Tally(1, 0), "财务处": Tally(2, 1)}
    assert list(result.by_department) == ["财务处", "图书馆"]  # cai, tu (by code point 图 comes first)


def test_the_trend_counts_each_person_from_their_first_month():
    staff = [person(i) for i in range(1, 5)]
    counted = [on(1, 11), on(1, 2), on(2, 2), on(3, 12, 31), on(4, 6), on(4, 1, year=YEAR - 1)]
    result = cover(staff, counted)
    assert result.trend == [
        ("2026-01", 0),
        ("2026-02", 2),
        ("2026-03", 2),
        ("2026-04", 2),
        ("2026-05", 2),
        ("2026-06", 3),
        ("2026-07", 3),
        ("2026-08", 3),
        ("2026-09", 3),
        ("2026-10", 3),
        ("2026-11", 3),
        ("2026-12", 4),
    ]


def test_the_trend_has_twelve_months_even_when_empty():
    assert cover([], [], year=2031).trend == [(f"2031-{m:02d}", 0) for m in range(1, 13)]


def test_an_entry_approved_before_its_year_counts_from_january():
    staff = [person(1)]
    counted = [Counted(1, counting_date(YEAR, datetime(YEAR - 1, 12, 20, 9, 30)))]
    assert cover(staff, counted).trend[0] == ("2026-01", 1)


def test_covered_staff_gives_each_first_counting_date():
    staff = [person(1), person(2), person(3, active=False), person(4)]
    counted = [on(1, 5), on(1, 2, 14), on(3, 1), on(4, 12, 1), on(4, 1, year=YEAR + 1)]
    assert covered_staff(staff, counted, year=YEAR) == {1: date(YEAR, 2, 14), 4: date(YEAR, 12, 1)}


@pytest.mark.parametrize(
    "staff",
    [
        pytest.param([person(1), person(1, AL)], id="same id twice"),
        pytest.param([person(1, "宇航员")], id="unknown category"),
    ],
)
def test_inconsistent_staff_are_refused(staff):
    with pytest.raises(ValueError):
        cover(staff, [])


# --- properties --------------------------------------------------------------------------------------------

DEPARTMENTS = ["文学院", "理学院", "财务处", "图书馆"]

staff_lists = st.lists(
    st.builds(
        StaffFact,
        staff_id=st.integers(1, 40),
        category=st.sampled_from(CATEGORIES),
        department=st.sampled_from(DEPARTMENTS),
        active=st.booleans(),
    ),
    max_size=30,
    unique_by=lambda s: s.staff_id,
)
counted_lists = st.lists(
    st.builds(
        Counted,
        staff_id=st.integers(1, 45),
        on=st.dates(date(YEAR - 1, 11, 1), date(YEAR + 1, 2, 1)),
    ),
    max_size=40,
)
one_counted = st.builds(
    Counted, staff_id=st.integers(1, 45), on=st.dates(date(YEAR - 1, 12, 1), date(YEAR + 1, 1, 31))
)


def tallies(result: Coverage) -> dict[str, Tally]:
    named = {"total": result.total}
    named.update({f"category:{k}": v for k, v in result.by_category.items()})
    named.update({f"department:{k}": v for k, v in result.by_department.items()})
    return named


@settings(max_examples=200)
@given(staff_lists, counted_lists)
def test_rates_are_between_zero_and_one_and_parts_add_up(staff, counted):
    result = cover(staff, counted)
    for tally in tallies(result).values():
        assert 0 <= tally.covered <= tally.headcount
        assert Decimal(0) <= tally.rate <= Decimal(1)
        assert tally.rate == tally.rate.quantize(Decimal("0.0001")) or tally.headcount == 0
        assert tally.gap >= 0
    active = [s for s in staff if s.active]
    assert result.total.headcount == len(active)
    assert sum(t.headcount for t in result.by_category.values()) == result.total.headcount
    assert sum(t.covered for t in result.by_category.values()) == result.total.covered
    assert sum(t.headcount for t in result.by_department.values()) == result.total.headcount
    assert sum(t.covered for t in result.by_department.values()) == result.total.covered
    assert set(result.by_department) == {s.department for s in active}
    assert all(t.headcount > 0 for t in result.by_department.values())


@settings(max_examples=200)
@given(staff_lists, counted_lists)
def test_the_trend_is_cumulative_and_ends_at_the_total(staff, counted):
    result = cover(staff, counted)
    values = [n for _, n in result.trend]
    assert [label for label, _ in result.trend] == [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    assert values == sorted(values)
    assert values[0] >= 0
    assert values[-1] == result.total.covered


@settings(max_examples=200)
@given(staff_lists, counted_lists)
def test_covered_is_the_number_of_active_known_people_with_a_participation_in_the_year(staff, counted):
    active = {s.staff_id for s in staff if s.active}
    expected = {c.staff_id for c in counted if c.staff_id in active and c.on.year == YEAR}
    assert cover(staff, counted).total.covered == len(expected)
    assert set(covered_staff(staff, counted, year=YEAR)) == expected


@settings(max_examples=200)
@given(staff_lists, counted_lists, one_counted)
def test_adding_a_counted_participation_never_lowers_anything(staff, counted, extra):
    before = cover(staff, counted)
    after = cover(staff, [*counted, extra])
    assert tallies(before).keys() == tallies(after).keys()
    for name, tally in tallies(before).items():
        assert tallies(after)[name].headcount == tally.headcount
        assert tallies(after)[name].covered >= tally.covered, name
        assert tallies(after)[name].rate >= tally.rate, name
    assert all(a >= b for (_, a), (_, b) in zip(after.trend, before.trend, strict=True))


@settings(max_examples=200)
@given(staff_lists, counted_lists.filter(bool), st.data())
def test_removing_a_counted_participation_never_raises_anything(staff, counted, data):
    index = data.draw(st.integers(0, len(counted) - 1))
    before = cover(staff, counted)
    after = cover(staff, counted[:index] + counted[index + 1 :])
    for name, tally in tallies(before).items():
        assert tallies(after)[name].covered <= tally.covered, name
        assert tallies(after)[name].rate <= tally.rate, name
    assert all(a <= b for (_, a), (_, b) in zip(after.trend, before.trend, strict=True))


@settings(max_examples=100)
@given(staff_lists, counted_lists, st.randoms(use_true_random=False))
def test_order_and_repetition_of_participations_do_not_matter(staff, counted, rnd):
    shuffled = counted + counted
    rnd.shuffle(shuffled)
    assert cover(staff, shuffled) == cover(staff, counted)


@settings(max_examples=100)
@given(staff_lists, counted_lists)
def test_deactivating_someone_never_raises_the_covered_count(staff, counted):
    before = cover(staff, counted)
    after = cover(
        [StaffFact(s.staff_id, s.category, s.department, False) for s in staff[:1]] + staff[1:], counted
    )
    assert after.total.covered <= before.total.covered
    assert after.total.headcount <= before.total.headcount


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_rate_matches_decimal_half_up_rounding(a, b):
    covered, headcount = min(a, b), max(a, b)
    if headcount == 0:
        assert rate(covered, headcount) == 0
        return
    with localcontext() as ctx:
        ctx.prec = 50
        expected = (Decimal(covered) / Decimal(headcount)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    assert rate(covered, headcount) == expected
