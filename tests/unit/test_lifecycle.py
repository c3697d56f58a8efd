"""The competition life cycle: every (from, to) pair, editability and registration."""

import itertools

import pytest

from competition.domain.lifecycle import (
    STATUSES,
    accepts_registrations,
    is_editable,
    is_next_step,
    next_status,
)
from competition.enums import CompetitionStatus

ALLOWED = {
    ("draft", "registration_open"),
    ("registration_open", "registration_closed"),
    ("registration_closed", "scoring"),
    ("scoring", "published"),
}


def test_statuses_in_life_order():
    assert STATUSES == ("draft", "registration_open", "registration_closed", "scoring", "published")
    assert tuple(CompetitionStatus) == STATUSES


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATUSES, repeat=2)))
def test_every_pair(current, target):
    assert is_next_step(current, target) == ((current, target) in ALLOWED)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("draft", "registration_open"),
        ("registration_open", "registration_closed"),
        ("registration_closed", "scoring"),
        ("scoring", "published"),
        ("published", None),
        ("archived", None),
        ("", None),
    ],
)
def test_next_status(current, expected):
    assert next_status(current) == expected


@pytest.mark.parametrize("bad", ["archived", "", "DRAFT"])
def test_unknown_statuses_go_nowhere(bad):
    assert not any(is_next_step(bad, s) or is_next_step(s, bad) for s in STATUSES)
    assert not is_editable(bad)
    assert not accepts_registrations(bad)


def test_enum_members_work_like_their_values():
    assert is_next_step(CompetitionStatus.DRAFT, CompetitionStatus.REGISTRATION_OPEN)
    assert next_status(CompetitionStatus.SCORING) == CompetitionStatus.PUBLISHED


@pytest.mark.parametrize("status", STATUSES)
def test_only_a_draft_is_editable_and_only_an_open_one_takes_registrations(status):
    assert is_editable(status) == (status == "draft")
    assert accepts_registrations(status) == (status == "registration_open")


def test_walking_the_chain_reaches_published_in_four_steps():
    status, steps = "draft", []
    while (following := next_status(status)) is not None:
        assert is_next_step(status, following)
        steps.append(following)
        status = following
    assert steps == list(STATUSES[1:])


# --- the guards: what each step needs, as a table ---------------------------------------------------------

from datetime import datetime, timedelta  # noqa: E402

from competition.domain.lifecycle import (  # noqa: E402
    GUARDS,
    Condition,
    accepts_decisions,
    accepts_score_sheets,
    facts_needed,
    may_withdraw,
    unmet,
)


@pytest.mark.parametrize(
    ("target", "facts", "codes"),
    [
        ("scoring", {"undrawn_entries": 0}, []),
        ("scoring", {"undrawn_entries": 1}, ["draw_missing"]),
        ("scoring", {"undrawn_entries": 40}, ["draw_missing"]),
        ("scoring", {}, []),  # nothing counted: nothing stands in the way
        ("registration_open", {"undrawn_entries": 5}, []),  # facts of another step do not block this one
        ("registration_closed", {}, []),
        ("published", {}, []),
        ("published", {"missing_sheets": 0}, []),
        ("published", {"missing_sheets": 3}, ["sheets_missing"]),
        ("published", {"undrawn_entries": 2}, []),
    ],
)
def test_guards_block_a_step_on_its_own_conditions_only(target, facts, codes):
    assert [c.code for c in unmet(target, facts)] == codes


def test_the_guard_table_names_what_scoring_needs():
    assert GUARDS["scoring"] == (Condition("draw_missing", "undrawn_entries"),)
    assert GUARDS["published"] == (
        Condition("sheets_missing", "missing_sheets"),
        Condition("exam_open", "open_exams"),
    )
    assert facts_needed("scoring") == {"undrawn_entries"}
    assert facts_needed("published") == {"missing_sheets", "open_exams"}
    assert facts_needed("registration_open") == set()
    assert set(GUARDS) <= set(STATUSES)  # every guarded step is a real status


@pytest.mark.parametrize(
    ("status", "decisions", "sheets"),
    [
        ("draft", False, False),
        ("registration_open", True, False),
        ("registration_closed", True, False),
        ("scoring", False, True),
        ("published", False, False),
    ],
)
def test_named_state_predicates(status, decisions, sheets):
    assert accepts_decisions(status) is decisions
    assert accepts_score_sheets(status) is sheets


NOW = datetime(2026, 5, 1, 8)


@pytest.mark.parametrize(
    ("entry", "competition", "closes", "expected"),
    [
        ("pending", "registration_open", NOW + timedelta(hours=1), True),
        ("approved", "registration_open", NOW + timedelta(hours=1), True),
        ("approved", "registration_open", NOW, False),  # the window closed at this very moment
        ("rejected", "registration_open", NOW + timedelta(hours=1), False),
        ("withdrawn", "registration_open", NOW + timedelta(hours=1), False),
        ("approved", "registration_closed", NOW + timedelta(hours=1), False),
        ("approved", "scoring", NOW + timedelta(hours=1), False),
    ],
)
def test_may_withdraw(entry, competition, closes, expected):
    assert may_withdraw(entry, competition, closes, NOW) is expected
