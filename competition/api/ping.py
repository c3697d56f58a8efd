"""A trivial endpoint for the load benchmark (``bench/judging.py``): constant JSON, no database of its own.

It passes the same request hooks as any API call (the session, the user loaded by Flask-Login, the locale,
the security headers, the one-commit-per-request ``after_request``), so that the rate of a real endpoint can
be compared with the cost of the hooks alone.
"""

from __future__ import annotations

from flask import jsonify
from flask_login import login_required

from . import bp


@bp.get("/ping")
@login_required
def ping():
    return jsonify({"pong": True})
