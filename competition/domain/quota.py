"""A university's quota (名额) in a competition: how much is used and left, and whether a selection fits.

Pure arithmetic over counts the services read; ``quota=None`` means the competition has no quota.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class QuotaUse:
    """Approved entries of one university against the quota: 12 approved of 15 leaves 3."""

    approved: int
    quota: int | None

    @property
    def left(self) -> int | None:
        """Places still free (never negative); None without a quota."""
        return None if self.quota is None else max(self.quota - self.approved, 0)

    @property
    def full(self) -> bool:
        return self.quota is not None and self.approved >= self.quota


@dataclass(frozen=True)
class SelectionLine:
    """One university's part of a selection to approve at once."""

    key: int
    selected: int
    use: QuotaUse

    @property
    def fits(self) -> bool:
        left = self.use.left
        return left is None or self.selected <= left

    @property
    def left_after(self) -> int | None:
        """Places left once the selection is approved (None without a quota; only meaningful when it fits)."""
        left = self.use.left
        return None if left is None else left - self.selected


def selection_lines(
    quota: int | None, approved: Mapping[int, int], selected: Mapping[int, int]
) -> list[SelectionLine]:
    """For each university (by key) in ``selected``: does approving that many more stay within the quota?

    With quota 15, 12 approved and 3 selected the line fits and leaves 0; with 4 selected it does not fit.
    Keys are kept in the order of ``selected``.
    """
    return [
        SelectionLine(key, count, QuotaUse(approved.get(key, 0), quota)) for key, count in selected.items()
    ]
