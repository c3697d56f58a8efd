"""A competition's life: draft → registration_open → registration_closed → scoring → published.

Every transition goes to the next status only: no step is skipped and none is undone
(``is_next_step("draft", "scoring") is False``,
``is_next_step("scoring", "registration_closed") is False``).
Some steps also need the competition to be ready; ``GUARDS`` says what each needs, as data, and ``unmet``
says which conditions fail for the facts the service counted. The service records each transition in the
audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from competition.enums import (
    DECIDING_STATUSES,
    SCORING_STATUSES,
    STANDING_ENTRY_STATUSES,
    CompetitionStatus,
)

STATUSES: tuple[str, ...] = tuple(status.value for status in CompetitionStatus)
_NEXT = dict(zip(STATUSES, STATUSES[1:], strict=False))


def next_status(current: str) -> str | None:
    """The status that follows ``current``; None after ``published`` or for an unknown status.

    ``next_status("draft") == "registration_open"``, ``next_status("published") is None``.
    """
    return _NEXT.get(current)


def is_next_step(current: str, target: str) -> bool:
    """True only when ``target`` is the status right after ``current``."""
    following = next_status(current)
    return following is not None and following == target


@dataclass(frozen=True)
class Condition:
    """What a step needs: the count ``fact`` (things standing in the way) must be zero; else refuse with
    ``code``."""

    code: str
    fact: str


# What each step needs besides being the next one. Scoring needs every approved entry drawn (judges see draw
# numbers); publication needs every expected score sheet submitted (every assigned, non-recused judge, for
# every entry of their group, in every judged round) and every exam round's sitting window closed.
GUARDS: Mapping[str, tuple[Condition, ...]] = {
    CompetitionStatus.SCORING: (Condition("draw_missing", "undrawn_entries"),),
    CompetitionStatus.PUBLISHED: (
        Condition("sheets_missing", "missing_sheets"),
        Condition("exam_open", "open_exams"),
    ),
}


def facts_needed(target: str) -> set[str]:
    """The counts the service must gather before moving to ``target``."""
    return {condition.fact for condition in GUARDS.get(target, ())}


def unmet(target: str, facts: Mapping[str, int]) -> list[Condition]:
    """The conditions of ``target`` that the counted ``facts`` do not meet, in the table's order.

    ``unmet("scoring", {"undrawn_entries": 3})`` → ``[Condition("draw_missing", "undrawn_entries")]``;
    ``unmet("scoring", {"undrawn_entries": 0}) == []``; a step without conditions is never blocked.
    """
    return [c for c in GUARDS.get(target, ()) if facts.get(c.fact, 0) != 0]


def is_editable(status: str) -> bool:
    """Groups, rounds and rubrics (criteria, weights) may change only while the competition is a draft.

    Once registration opens, entrants choose a group and judges will score against the rubric, so the
    definition is frozen.
    """
    return status == CompetitionStatus.DRAFT


def accepts_registrations(status: str) -> bool:
    """Staff may register (and withdraw) only while the status is ``registration_open``.

    The registration window (dates) is checked separately, in ``eligibility.check_registration``.
    """
    return status == CompetitionStatus.REGISTRATION_OPEN


def accepts_decisions(status: str) -> bool:
    """Entries are approved or rejected, and their files changed, while registration is open or just closed;
    scoring freezes them."""
    return status in DECIDING_STATUSES


def accepts_score_sheets(status: str) -> bool:
    """Judges fill and submit score sheets only while the competition is being scored."""
    return status in SCORING_STATUSES


def withdrawal_open(competition_status: str, closes: datetime, now: datetime) -> bool:
    """Entries are withdrawn while registration is open and its window has not closed (``now < closes``)."""
    return accepts_registrations(competition_status) and now < closes


def may_withdraw(entry_status: str, competition_status: str, closes: datetime, now: datetime) -> bool:
    """A standing entry (pending or approved) while withdrawals are open:
    ``may_withdraw("approved", "registration_open", closes, now)`` is True while ``now < closes``."""
    return entry_status in STANDING_ENTRY_STATUSES and withdrawal_open(competition_status, closes, now)
