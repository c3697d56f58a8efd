"""The competition life cycle: every (from, to) pair, editability and registration."""

import itertools

import pytest

from competition.domain.lifecycle import (
    STATUSES,
    accepts_registrations,
    can_transition,
    is_editable,
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
    assert can_transition(current, target) == ((current, target) in ALLOWED)


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
    assert not any(can_transition(bad, s) or can_transition(s, bad) for s in STATUSES)
    assert not is_editable(bad)
    assert not accepts_registrations(bad)


def test_enum_members_work_like_their_values():
    assert can_transition(CompetitionStatus.DRAFT, CompetitionStatus.REGISTRATION_OPEN)
    assert next_status(CompetitionStatus.SCORING) == CompetitionStatus.PUBLISHED


@pytest.mark.parametrize("status", STATUSES)
def test_only_a_draft_is_editable_and_only_an_open_one_takes_registrations(status):
    assert is_editable(status) == (status == "draft")
    assert accepts_registrations(status) == (status == "registration_open")


def test_walking_the_chain_reaches_published_in_four_steps():
    status, steps = "draft", []
    while (following := next_status(status)) is not None:
        assert can_transition(status, following)
        steps.append(following)
        status = following
    assert steps == list(STATUSES[1:])
