"""Column helpers shared by the model modules."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC timestamps: SQLite keeps no time zone, so every engine stores the same thing."""
    return datetime.now(UTC).replace(tzinfo=None)


def in_list(column: str, values) -> str:
    """SQL text of a CHECK that ``column`` takes one of ``values`` (enums are stored as strings)."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"
