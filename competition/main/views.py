"""Home page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ..permissions import visible_universities
from ..services import staff
from . import bp


@bp.get("/")
@login_required
def index():
    # visible_universities is empty for a user with no university (and all of them for an organizer).
    universities = visible_universities(current_user)
    counts = staff.active_counts([u.id for u in universities]) if universities else {}
    return render_template("main/index.html", universities=universities, counts=counts)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
