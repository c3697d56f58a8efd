"""Home page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..extensions import db
from ..models import Staff
from ..permissions import is_organizer, university_ids, visible_universities
from . import bp


@bp.get("/")
@login_required
def index():
    universities = visible_universities(current_user)
    counts = {}
    if universities and (is_organizer(current_user) or university_ids(current_user)):
        counts = dict(
            db.session.execute(
                select(Staff.university_id, func.count())
                .where(Staff.active.is_(True), Staff.university_id.in_([u.id for u in universities]))
                .group_by(Staff.university_id)
            ).all()
        )
    return render_template("main/index.html", universities=universities, counts=counts)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
