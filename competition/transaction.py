"""One commit per request: what a view's services wrote is committed once, after the view succeeded.

The rule, applied to every request: a response below 400 commits the session; a response of 400 or more, an
exception, or a view that called ``discard()`` (it caught a refusal and answers with a redirect and a message)
rolls it back. Services only flush; views and services never commit by hand. The commit happens before the
response leaves, so a commit that fails is a 500, never a success the database does not hold.
"""

from __future__ import annotations

from flask import Flask, Response, g

from .extensions import db

_DISCARD = "discard_changes"


def discard() -> None:
    """Roll back this request's writes when it ends, whatever the response (a refusal shown as a message)."""
    g.setdefault(_DISCARD, True)


def _finish(response: Response) -> Response:
    if response.status_code < 400 and not g.get(_DISCARD):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    app.after_request(_finish)
