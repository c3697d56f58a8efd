"""The results workbook (being written)."""

from __future__ import annotations

from ..models import Competition


def results_workbook(competition: Competition, *, with_sheets: bool) -> tuple[bytes, str]:
    raise NotImplementedError
