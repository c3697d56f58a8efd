"""Reading JSON-like values for a competition's definition, collecting ``required`` and ``type`` problems.

Numbers are Decimal, made with ``Decimal(str(x))``: JSON numbers, Decimals and plain decimal strings are
accepted; booleans, NaN and infinities are not. Datetimes come out naive UTC: an aware one is converted, a
naive one is taken as local time in the reader's ``tz`` (as UTC when it is None).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal

from .spec_types import Problem

_MISSING = object()
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER_TEXT = re.compile(r"[+-]?\d+")


def _decimal_of(value: object) -> Decimal | None:
    """A finite Decimal from an int, float, Decimal or plain decimal text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
        return number if number.is_finite() else None
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


def _integer_of(value: object) -> int | None:
    """An int from an int, a whole float or Decimal (2026.0), or integer text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _INTEGER_TEXT.fullmatch(text):
            return None
        try:
            return int(text)
        except ValueError:  # more digits than int() accepts from text
            return None
    number = _decimal_of(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _to_naive_utc(moment: datetime, tz: tzinfo | None) -> datetime:
    if moment.tzinfo is None:
        if tz is None:
            return moment
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC).replace(tzinfo=None)


class _Reader:
    """Reads fields of JSON-like data, collecting ``required`` and ``type`` problems and their paths."""

    def __init__(self, tz: tzinfo | None) -> None:
        self.tz = tz
        self.problems: list[Problem] = []
        self.failed: set[str] = set()

    def fail(self, path: str, code: str, params: dict | None = None) -> None:
        self.problems.append(Problem(path, code, params or {}))
        self.failed.add(path)

    def raw(self, data: Mapping, key: str, path: str, required: bool) -> object:
        """The value, or _MISSING (with a ``required`` problem if it is required) when absent or null."""
        value = data.get(key)
        if value is None:
            if required:
                self.fail(path, "required")
            return _MISSING
        return value

    def text(self, data: Mapping, key: str, path: str, *, required: bool = True, default=None):
        value = self.raw(data, key, path, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.fail(path, "type", {"expected": "text"})
            return None
        return value.strip()

    def number(self, data: Mapping, key: str, path: str, *, required: bool = True, default=None):
        value = self.raw(data, key, path, required)
        if value is _MISSING:
            return default
        number = _decimal_of(value)
        if number is None:
            self.fail(path, "type", {"expected": "number"})
        return number

    def integer(self, data: Mapping, key: str, path: str, *, required: bool = True, default=None):
        value = self.raw(data, key, path, required)
        if value is _MISSING:
            return default
        number = _integer_of(value)
        if number is None:
            self.fail(path, "type", {"expected": "integer"})
        return number

    def boolean(self, data: Mapping, key: str, path: str, *, default: bool):
        value = self.raw(data, key, path, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(path, "type", {"expected": "boolean"})
            return None
        return value

    def read_date(self, data: Mapping, key: str, path: str):
        value = self.raw(data, key, path, False)
        if value is _MISSING:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(path, "type", {"expected": "date"})
        return None

    def read_datetime(self, data: Mapping, key: str, path: str):
        value = self.raw(data, key, path, True)
        if value is _MISSING:
            return None
        moment = None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                moment = None
        if moment is not None:
            try:
                return _to_naive_utc(moment, self.tz)
            except (OverflowError, ValueError):  # beyond year 1..9999 once moved to UTC
                pass
        self.fail(path, "type", {"expected": "datetime"})
        return None

    def items(self, data: Mapping, key: str, path: str, *, required: bool = True):
        """A list's items, or None when absent (and not required) or not a list."""
        value = self.raw(data, key, path, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list | tuple):
            self.fail(path, "type", {"expected": "list"})
            return None
        return list(value)

    def mapping(self, value: object, path: str) -> Mapping | None:
        if isinstance(value, Mapping):
            return value
        self.fail(path, "type", {"expected": "object"})
        return None
