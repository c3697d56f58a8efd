"""Who may register for a competition: post category, age, registration window, quota, one entry each.

Refusals are codes with params (the service words them in the user's language), each under one of the
fields of the API's ``not_eligible`` detail: ``category``, ``age``, ``window``, ``quota``, ``duplicate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from competition.enums import CompetitionStatus


@dataclass(frozen=True)
class Rules:
    """A competition's registration rules; datetimes are naive UTC."""

    eligible_categories: frozenset[str]
    max_age: int | None
    age_reference_date: date | None
    registration_opens: datetime
    registration_closes: datetime
    quota_per_university: int | None
    status: str


@dataclass(frozen=True)
class Candidate:
    category: str
    birth_date: date | None


@dataclass(frozen=True)
class Refusal:
    """field ∈ {"category", "age", "window", "quota", "duplicate"}, a code, and params for the message."""

    field: str
    code: str
    params: dict


def age_on(birth_date: date, reference: date) -> int:
    """Age in completed years on ``reference`` (negative if born after it).

    A birthday is reached on its month and day; someone born on 29 February reaches it on 1 March in
    non-leap years: born 2000-02-29, ``age_on(..., date(2041, 2, 28)) == 40`` and on 2041-03-01 it is 41.
    """
    before_birthday = (reference.month, reference.day) < (birth_date.month, birth_date.day)
    return reference.year - birth_date.year - int(before_birthday)


def _iso_utc(moment: datetime) -> str:
    """A naive UTC datetime as unambiguous ISO 8601, e.g. "2026-03-01T00:00:00+00:00"."""
    return moment.replace(tzinfo=UTC).isoformat()


def _quota_refusals(rules: Rules, approved_of_university: int) -> list[Refusal]:
    quota = rules.quota_per_university
    if quota is not None and approved_of_university >= quota:
        return [Refusal("quota", "quota_full", {"quota": quota})]
    return []


# The statuses that come after registration in a competition's life (enums.CompetitionStatus order).
_AFTER_REGISTRATION = frozenset(
    {CompetitionStatus.REGISTRATION_CLOSED, CompetitionStatus.SCORING, CompetitionStatus.PUBLISHED}
)


def registration_over(status: str) -> bool:
    """True once a competition's registration has closed for good (closed, scoring, published); False for a
    draft (not open yet) and while it is open. ``registration_over("registration_closed") is True``."""
    return status in _AFTER_REGISTRATION


def check_registration(
    rules: Rules,
    candidate: Candidate,
    *,
    now: datetime,
    approved_of_university: int,
    already_registered: bool,
) -> list[Refusal]:
    """Every reason why ``candidate`` may not register now; an empty list means they may.

    ``now`` is naive UTC. ``approved_of_university`` counts the *approved* entries of the candidate's
    university; ``already_registered`` is true when the person has an entry in this competition that is not
    withdrawn (a rejected entry stands: the union has decided, and the service words it with the reason).
    Refusals come in the order category, age, window, quota, duplicate, all of them:

    - ("category", "category_not_eligible", {"category": c}) when the post category is not open;
    - ("age", "age_unknown", {}) when there is an age limit and no birth date on the roster;
    - ("age", "too_old", {"age": n, "max_age": m, "reference_date": "2026-09-01"}) when older than the limit
      on the reference date (exactly ``max_age`` is still eligible). Without a reference date the age is
      taken on the day registration closes;
    - ("window", "not_yet_open", {"opens": iso}) before the window, ("window", "closed", {"closes": iso}) from
      its end on (the window is [opens, closes)); the ISO datetimes carry "+00:00";
      ("window", "not_open", {"status": s}) when the competition is not in ``registration_open`` and the
      dates do not already say so (a draft whose window has begun, a competition closed before its date):
      before it (a draft) registration has not opened yet, after it (``registration_over(s)``) it has closed,
      and the words say which. A closed competition past its closing date gets only ("window", "closed");
      a draft before its opening date only ("window", "not_yet_open");
    - ("quota", "quota_full", {"quota": q}) when the approved entries already fill the quota;
    - ("duplicate", "already_registered", {}).

    Pending entries do NOT fill the quota: more people may register than the quota, and the university
    admin then approves within it (``check_approval``). Example: quota 3, the university has 2 approved and
    4 pending entries; a seventh person may still register (2 < 3); the admin can approve one more, and once
    3 are approved further registrations get ``quota_full`` and the remaining pending entries cannot be
    approved (they stay pending until rejected or withdrawn).
    """
    refusals: list[Refusal] = []
    if candidate.category not in rules.eligible_categories:
        refusals.append(Refusal("category", "category_not_eligible", {"category": candidate.category}))
    if rules.max_age is not None:
        reference = rules.age_reference_date or rules.registration_closes.date()
        if candidate.birth_date is None:
            refusals.append(Refusal("age", "age_unknown", {}))
        else:
            age = age_on(candidate.birth_date, reference)
            if age > rules.max_age:
                params = {"age": age, "max_age": rules.max_age, "reference_date": reference.isoformat()}
                refusals.append(Refusal("age", "too_old", params))
    window = []
    if now < rules.registration_opens:
        window.append(Refusal("window", "not_yet_open", {"opens": _iso_utc(rules.registration_opens)}))
    if now >= rules.registration_closes:
        window.append(Refusal("window", "closed", {"closes": _iso_utc(rules.registration_closes)}))
    if rules.status != CompetitionStatus.REGISTRATION_OPEN:
        # One reason, not two saying the same: the dated one when the dates agree with the state.
        agreeing = "closed" if registration_over(rules.status) else "not_yet_open"
        window = [r for r in window if r.code == agreeing] or [
            Refusal("window", "not_open", {"status": str(rules.status)})
        ]
    refusals += window
    refusals += _quota_refusals(rules, approved_of_university)
    if already_registered:
        refusals.append(Refusal("duplicate", "already_registered", {}))
    return refusals


def check_approval(rules: Rules, *, approved_of_university: int) -> list[Refusal]:
    """The quota at approval time: approving one more must not exceed it.

    With quota 3 and 2 approved, one more may be approved (``[]``); with 3 approved, the answer is
    ``[Refusal("quota", "quota_full", {"quota": 3})]``. No quota: always ``[]``.
    """
    return _quota_refusals(rules, approved_of_university)
