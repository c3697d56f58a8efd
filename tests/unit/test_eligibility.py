"""Eligibility: category, age on the reference date, window, quota, one entry per competition."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.domain.eligibility import (
    Candidate,
    Refusal,
    Rules,
    age_on,
    check_approval,
    check_registration,
)

OPENS = datetime(2026, 3, 1, 0, 0)
CLOSES = datetime(2026, 4, 1, 0, 0)
NOW = datetime(2026, 3, 15, 6, 0)
RULES = Rules(
    eligible_categories=frozenset({"teaching_research"}),
    max_age=40,
    age_reference_date=date(2026, 9, 1),
    registration_opens=OPENS,
    registration_closes=CLOSES,
    quota_per_university=3,
    status="registration_open",
)
YOUNG = Candidate("teaching_research", date(1990, 5, 1))


def check(rules=RULES, candidate=YOUNG, *, now=NOW, approved=0, already=False):
    return check_registration(
        rules, candidate, now=now, approved_of_university=approved, already_registered=already
    )


def years_before(day: date, years: int) -> date:
    """The same month and day ``years`` earlier (28 February when that year has no 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# --- age ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "reference", "age"),
    [
        (date(1986, 9, 1), date(2026, 9, 1), 40),
        (date(1986, 9, 2), date(2026, 9, 1), 39),
        (date(1985, 9, 1), date(2026, 9, 1), 41),
        (date(1986, 8, 31), date(2026, 9, 1), 40),
        (date(1990, 1, 1), date(1990, 1, 1), 0),
        (date(1990, 1, 2), date(1990, 1, 1), -1),
        (date(1990, 12, 31), date(1991, 12, 30), 0),
        # 29 February: the birthday counts on 1 March in non-leap years
        (date(1988, 2, 29), date(2027, 2, 28), 38),
        (date(1988, 2, 29), date(2027, 3, 1), 39),
        (date(1988, 2, 29), date(2028, 2, 28), 39),
        (date(1988, 2, 29), date(2028, 2, 29), 40),
        (date(1987, 2, 28), date(2028, 2, 29), 41),
        (date(1987, 3, 1), date(2028, 2, 29), 40),
    ],
)
def test_age_on(birth, reference, age):
    assert age_on(birth, reference) == age


@settings(max_examples=100, deadline=None)
@given(st.dates(date(1930, 1, 1), date(2010, 12, 31)), st.integers(0, 80))
def test_age_is_reached_exactly_on_the_birthday(birth, years):
    birthday = birth.replace(year=birth.year + years) if (birth.month, birth.day) != (2, 29) else None
    if birthday is None:  # born on 29 February: the birthday is 1 March in non-leap years
        try:
            birthday = date(birth.year + years, 2, 29)
        except ValueError:
            birthday = date(birth.year + years, 3, 1)
    assert age_on(birth, birthday) == years
    if years:
        assert age_on(birth, birthday - timedelta(days=1)) == years - 1


@settings(max_examples=100, deadline=None)
@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.integers(18, 70))
def test_age_boundary(reference, max_age):
    rules = replace(RULES, max_age=max_age, age_reference_date=reference)
    exactly = Candidate("teaching_research", years_before(reference, max_age))
    one_day_too_old = Candidate("teaching_research", years_before(reference, max_age + 1))
    just_young_enough = Candidate("teaching_research", one_day_too_old.birth_date + timedelta(days=1))
    assert check(rules, exactly) == []
    assert check(rules, just_young_enough) == []
    assert check(rules, one_day_too_old) == [
        Refusal(
            "age",
            "too_old",
            {"age": max_age + 1, "max_age": max_age, "reference_date": reference.isoformat()},
        )
    ]


def test_young_teachers_example_under_40_on_1_september():
    assert check(candidate=Candidate("teaching_research", date(1986, 9, 1))) == []  # 40 that day
    assert check(candidate=Candidate("teaching_research", date(1985, 9, 1))) == [
        Refusal("age", "too_old", {"age": 41, "max_age": 40, "reference_date": "2026-09-01"})
    ]


def test_no_age_limit_needs_no_birth_date():
    assert check(replace(RULES, max_age=None), Candidate("teaching_research", None)) == []


def test_without_a_reference_date_the_age_is_taken_when_registration_closes():
    rules = replace(RULES, age_reference_date=None)
    assert check(rules, Candidate("teaching_research", date(1986, 4, 1))) == []
    assert check(rules, Candidate("teaching_research", date(1985, 3, 31)))[0].params["reference_date"] == (
        "2026-04-01"
    )


# --- each refusal -------------------------------------------------------------------------------------------

CASES = [
    (
        {"candidate": Candidate("admin_logistics", date(1990, 5, 1))},
        "category",
        "category_not_eligible",
        {"category": "admin_logistics"},
    ),
    ({"candidate": Candidate("teaching_research", None)}, "age", "age_unknown", {}),
    (
        {"candidate": Candidate("teaching_research", date(1980, 1, 1))},
        "age",
        "too_old",
        {"age": 46, "max_age": 40, "reference_date": "2026-09-01"},
    ),
    ({"rules": replace(RULES, status="draft")}, "window", "not_open", {"status": "draft"}),
    (
        {"rules": replace(RULES, status="registration_closed")},
        "window",
        "not_open",
        {"status": "registration_closed"},
    ),
    (
        {"now": OPENS - timedelta(microseconds=1)},
        "window",
        "not_yet_open",
        {"opens": "2026-03-01T00:00:00+00:00"},
    ),
    ({"now": CLOSES}, "window", "closed", {"closes": "2026-04-01T00:00:00+00:00"}),
    ({"now": datetime(2027, 1, 1)}, "window", "closed", {"closes": "2026-04-01T00:00:00+00:00"}),
    ({"approved": 3}, "quota", "quota_full", {"quota": 3}),
    ({"approved": 10}, "quota", "quota_full", {"quota": 3}),
    ({"already": True}, "duplicate", "already_registered", {}),
]


@pytest.mark.parametrize(("kwargs", "field", "code", "params"), CASES, ids=lambda v: str(v)[:40])
def test_each_refusal_alone(kwargs, field, code, params):
    assert check(**kwargs) == [Refusal(field, code, params)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"now": OPENS},
        {"now": CLOSES - timedelta(microseconds=1)},
        {"approved": 2},
        {"rules": replace(RULES, quota_per_university=None), "approved": 500},
        {"rules": replace(RULES, eligible_categories=frozenset({"teaching_research", "other"}))},
        {
            "candidate": Candidate("other", None),
            "rules": replace(RULES, eligible_categories=frozenset({"other"}), max_age=None),
        },
    ],
    ids=str,
)
def test_eligible(kwargs):
    assert check(**kwargs) == []


def test_all_refusals_come_in_order():
    rules = replace(RULES, status="registration_open", registration_closes=datetime(2026, 2, 1))
    refusals = check(rules, Candidate("other", None), now=datetime(2026, 2, 15), approved=3, already=True)
    assert [(r.field, r.code) for r in refusals] == [
        ("category", "category_not_eligible"),
        ("age", "age_unknown"),
        ("window", "not_yet_open"),
        ("window", "closed"),
        ("quota", "quota_full"),
        ("duplicate", "already_registered"),
    ]


@pytest.mark.parametrize(
    ("status", "now", "codes"),
    [
        # the state and the dates say the same: one reason, the dated one
        ("registration_closed", CLOSES, ["closed"]),
        ("scoring", CLOSES + timedelta(days=30), ["closed"]),
        ("draft", OPENS - timedelta(days=1), ["not_yet_open"]),
        # they disagree (closed early, or a draft whose dates have come): the state's reason
        ("registration_closed", OPENS, ["not_open"]),
        ("draft", OPENS, ["not_open"]),
    ],
)
def test_a_closed_or_unopened_competition_gives_one_window_reason(status, now, codes):
    refusals = check(replace(RULES, status=status), now=now)
    assert [r.code for r in refusals if r.field == "window"] == codes


def test_pending_entries_do_not_fill_the_quota():
    """Quota 3, 2 approved, 4 pending: a seventh person may still register; approval stays within it."""
    assert check(approved=2) == []
    assert check_approval(RULES, approved_of_university=2) == []
    assert check_approval(RULES, approved_of_university=3) == [Refusal("quota", "quota_full", {"quota": 3})]
    assert check(approved=3) == [Refusal("quota", "quota_full", {"quota": 3})]


@pytest.mark.parametrize(
    ("quota", "approved", "full"),
    [
        (None, 0, False),
        (None, 99, False),
        (1, 0, False),
        (1, 1, True),
        (3, 2, False),
        (3, 3, True),
        (3, 4, True),
    ],
)
def test_check_approval_is_only_the_quota(quota, approved, full):
    rules = replace(RULES, quota_per_university=quota, status="scoring")  # status does not matter here
    expected = [Refusal("quota", "quota_full", {"quota": quota})] if full else []
    assert check_approval(rules, approved_of_university=approved) == expected


# --- monotone -----------------------------------------------------------------------------------------------

CATEGORIES = ["teaching_research", "admin_logistics", "other"]


@st.composite
def scenarios(draw):
    opens = draw(st.datetimes(datetime(2025, 1, 1), datetime(2027, 1, 1)))
    rules = Rules(
        eligible_categories=frozenset(draw(st.sets(st.sampled_from(CATEGORIES), min_size=1))),
        max_age=draw(st.none() | st.integers(18, 70)),
        age_reference_date=draw(st.dates(date(2025, 1, 1), date(2027, 12, 31))),  # required with max_age
        registration_opens=opens,
        registration_closes=opens + draw(st.timedeltas(timedelta(hours=1), timedelta(days=90))),
        quota_per_university=draw(st.none() | st.integers(1, 10)),
        status=draw(st.sampled_from(["draft", "registration_open", "registration_open", "scoring"])),
    )
    candidate = Candidate(
        draw(st.sampled_from(CATEGORIES)), draw(st.none() | st.dates(date(1950, 1, 1), date(2005, 12, 31)))
    )
    now = draw(st.datetimes(datetime(2024, 12, 1), datetime(2027, 6, 1)))
    return rules, candidate, now, draw(st.integers(0, 12)), draw(st.booleans())


def worsen(draw, rules, candidate, now, approved, already):
    """Add refusing conditions (each never lifts another refusal)."""
    if draw(st.booleans()):
        rules = replace(rules, eligible_categories=rules.eligible_categories - {candidate.category})
    if draw(st.booleans()):
        lowered = draw(st.integers(18, rules.max_age if rules.max_age is not None else 70))
        rules = replace(rules, max_age=lowered)
    if draw(st.booleans()):
        rules = replace(rules, status=draw(st.sampled_from(["draft", "registration_closed", "published"])))
    if draw(st.booleans()):
        rules = replace(
            rules,
            registration_opens=rules.registration_opens
            + draw(st.timedeltas(timedelta(0), timedelta(days=400))),
        )
    if draw(st.booleans()):
        rules = replace(
            rules,
            registration_closes=rules.registration_closes
            - draw(st.timedeltas(timedelta(0), timedelta(days=400))),
        )
    if rules.quota_per_university is not None:
        if draw(st.booleans()):  # a smaller quota, never a larger one
            rules = replace(rules, quota_per_university=draw(st.integers(1, rules.quota_per_university)))
    elif draw(st.booleans()):
        rules = replace(rules, quota_per_university=draw(st.integers(1, 10)))
    approved += draw(st.integers(0, 5))
    already = already or draw(st.booleans())
    return rules, candidate, now, approved, already


def codes(rules, candidate, now, approved, already):
    refusals = check_registration(
        rules, candidate, now=now, approved_of_university=approved, already_registered=already
    )
    return [(r.field, r.code) for r in refusals]


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.data())
def test_adding_refusing_conditions_never_removes_refusals(scenario, data):
    before = codes(*scenario)
    after = codes(*worsen(data.draw, *scenario))
    # Every reason stays a reason; the window's words may change (one reason for the state and the dates).
    assert {field for field, _ in before} <= {field for field, _ in after}
    assert set(before) - {r for r in before if r[0] == "window"} <= set(after)
    order = ["category", "age", "window", "quota", "duplicate"]
    assert [order.index(f) for f, _ in after] == sorted(order.index(f) for f, _ in after)
