"""What pages tell the user after an action: a refusal in words, and nothing of the refused action kept."""

from __future__ import annotations

from flask import flash

from .errors import ServiceError
from .transaction import discard


def error_text(error: ServiceError) -> str:
    """The service's message and, where they add something, its details."""
    extra = [d["message"] for d in error.details if d.get("message") and d["message"] not in error.message]
    return " ".join([error.message, *extra])


def flash_refusal(message: str) -> None:
    """Show why the action was refused on the next page; the request's writes are rolled back."""
    discard()
    flash(message, "danger")
