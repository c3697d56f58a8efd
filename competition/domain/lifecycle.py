"""A competition's life: draft → registration_open → registration_closed → scoring → published.

Every transition goes to the next status only: no step is skipped and none is undone
(``can_transition("draft", "scoring") is False``,
``can_transition("scoring", "registration_closed") is False``).
The service records each transition in the audit log.
"""

from __future__ import annotations

from competition.enums import CompetitionStatus

STATUSES: tuple[str, ...] = tuple(status.value for status in CompetitionStatus)
_NEXT = dict(zip(STATUSES, STATUSES[1:], strict=False))


def next_status(current: str) -> str | None:
    """The status that follows ``current``; None after ``published`` or for an unknown status.

    ``next_status("draft") == "registration_open"``, ``next_status("published") is None``.
    """
    return _NEXT.get(current)


def can_transition(current: str, target: str) -> bool:
    """True only when ``target`` is the status right after ``current``."""
    following = next_status(current)
    return following is not None and following == target


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
