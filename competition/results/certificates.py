"""Routes of the results blueprint (being written)."""

from . import bp  # noqa: F401
