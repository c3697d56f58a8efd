"""Error handlers: JSON error bodies under /api/, friendly pages elsewhere; the session is rolled back."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .errors import ServiceError
from .extensions import db

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_failed",
    429: "rate_limited",
}


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You are not allowed to do this."),
        404: _("The page or object was not found."),
        405: _("This method is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Nothing was saved; please try again."),
    }


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, code: str, message: str, details=None):
    return jsonify({"error": {"code": code, "message": message, "details": details or []}}), status


def _page(status: int, message: str):
    return render_template("errors/error.html", status=status, message=message), status


def handle_service_error(error: ServiceError):
    db.session.rollback()
    if is_api_request():
        return _api_error(error.status, error.code, error.message, error.details)
    return _page(error.status, error.message)


def handle_csrf(error: CSRFError):
    db.session.rollback()
    message = _("The form has expired or lacks its security token. Reload the page and try again.")
    if is_api_request():
        return _api_error(400, "csrf_failed", message)
    return _page(400, message)


def handle_http(error: HTTPException):
    db.session.rollback()
    status = error.code or 500
    message = _messages().get(status, error.description or "")
    if is_api_request():
        return _api_error(status, _CODES.get(status, "error"), message)
    return _page(status, message)


def handle_unexpected(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http(error)
    from flask import current_app

    current_app.logger.exception("Unhandled error")
    if is_api_request():
        return _api_error(500, "internal_error", _messages()[500])
    return _page(500, _messages()[500])


def init_app(app: Flask) -> None:
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    if not app.config.get("TESTING"):
        app.register_error_handler(Exception, handle_unexpected)
