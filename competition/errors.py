"""Errors that services raise; the web and API layers turn them into pages or JSON error bodies."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a machine code, a message in the user's language and optional details."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or []

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class ValidationFailed(ServiceError):
    status = 422
    code = "validation_failed"


class Unauthorized(ServiceError):
    status = 401
    code = "not_authenticated"


class RateLimited(ServiceError):
    status = 429
    code = "rate_limited"
