"""Score sheets: checking a judge's values, the sheet's total, and totals far from the panel's median.

Values are decimals with at most one decimal place, between 0 and the criterion's maximum; they are kept as
whole tenths (``Decimal("8.5")`` → 85) so that sums are exact on every database. A draft may leave criteria
empty; a submission needs every one. Example: criteria 教学内容 (max 30) and 教学组织 (max 20) with
``{"1": 27.5, "2": 18}`` give the total ``Decimal("45.5")``; ``{"1": 30.5}`` is refused (above the maximum),
``{"1": 8.25}`` too (two decimals).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class CriterionRule:
    id: int
    max_tenths: int


@dataclass(frozen=True)
class SheetProblem:
    """What is wrong with one criterion's value: ``code`` in not_a_number, negative, above_max, decimals,
    missing, unknown; ``criterion`` is the key as sent."""

    criterion: str
    code: str
    max_score: Decimal | None = None


@dataclass(frozen=True)
class CheckedSheet:
    values: dict[int, int]  # criterion id → tenths, only the criteria given
    total_tenths: int

    @property
    def total(self) -> Decimal:
        return to_score(self.total_tenths)


def to_tenths(score: Decimal) -> int:
    """Whole tenths of a score that has at most one decimal: ``to_tenths(Decimal("8.5")) == 85``."""
    return int(score * 10)


def to_score(tenths: int) -> Decimal:
    """``to_score(85) == Decimal("8.5")``; whole numbers keep one decimal place (``Decimal("9.0")``)."""
    return (Decimal(tenths) / 10).quantize(TENTH)


# Text as a person types a score: digits with an optional sign and decimal point (full-width ones too, as a
# Chinese input method gives them); no exponent, no digit separators, no other scripts' digits.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．＋－", "0123456789.+-")


def _decimal(value: object) -> Decimal | None:
    """A JSON number or plain numeric text as a Decimal (a float through its shortest repr, never its binary
    digits); else None. ``"8.5"`` and ``"８.５"`` are 8.5; ``"1e999"``, ``"1_0"`` and ``"NaN"`` are not
    numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    if isinstance(value, str):
        value = value.strip().translate(_FULL_WIDTH)
        if not _PLAIN_NUMBER.fullmatch(value):
            return None
    try:
        # an int directly: str() of a huge one raises (Python's limit on digits), Decimal() does not
        number = Decimal(value) if isinstance(value, int | Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check_sheet(
    criteria: Sequence[CriterionRule], scores: Mapping[str, object], *, submit: bool
) -> tuple[CheckedSheet | None, list[SheetProblem]]:
    """Check ``scores`` (criterion id as text → number, ``None`` for empty) against the rubric.

    Every problem is listed; with any problem the sheet is None. A key that is not one of the round's criteria
    is ``unknown``; on submission every criterion needs a value (``missing``).
    """
    rules = {str(c.id): c for c in criteria}
    problems: list[SheetProblem] = []
    values: dict[int, int] = {}
    for key, raw in scores.items():
        rule = rules.get(str(key))
        if rule is None:
            problems.append(SheetProblem(str(key), "unknown"))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue  # left empty: allowed in a draft, caught below on submission
        maximum = to_score(rule.max_tenths)
        number = _decimal(raw)
        if number is None:
            problems.append(SheetProblem(str(key), "not_a_number", maximum))
        elif number < 0:
            problems.append(SheetProblem(str(key), "negative", maximum))
        elif number > maximum:
            problems.append(SheetProblem(str(key), "above_max", maximum))
        elif number != number.quantize(TENTH):
            problems.append(SheetProblem(str(key), "decimals", maximum))
        else:
            values[rule.id] = to_tenths(number)
    if submit:
        given = {str(k) for k in values} | {p.criterion for p in problems}
        missing = [c for c in criteria if str(c.id) not in given]
        problems += [SheetProblem(str(c.id), "missing", to_score(c.max_tenths)) for c in missing]
    if problems:
        return None, problems
    return CheckedSheet(values, sum(values.values())), []


def median(values: Sequence[Decimal]) -> Decimal:
    """The middle value, or the mean of the two middle ones: ``median([80, 90, 85, 70]) == 82.5``."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of nothing")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def anomalies(
    totals: Mapping[str, Decimal], *, round_max: Decimal, threshold: Decimal
) -> list[tuple[str, Decimal, Decimal]]:
    """(judge, total, median) for each total farther than ``threshold`` × ``round_max`` from the median.

    Flagged, never changed. Needs at least three totals (with two, each is as far from the median as the
    other). With totals 92, 90, 88, 91 and 70 out of 100 and a threshold of 0.10, the median is 90 and only 70
    (20 away, more than 10) is flagged.
    """
    if len(totals) < 3:
        return []
    middle = median(list(totals.values()))
    limit = threshold * round_max
    return [(judge, total, middle) for judge, total in totals.items() if abs(total - middle) > limit]
