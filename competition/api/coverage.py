"""Coverage figures and offline participations."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..enums import PostCategory, Role
from ..errors import Forbidden, ServiceError, ValidationFailed
from ..extensions import db
from ..pagination import page_request
from ..permissions import is_organizer, managed_university_or_404, university_ids, visible_universities
from ..services import coverage, participations
from ..services.roster import local_today
from . import bp
from .common import page_dict, staff_dict, uploaded_file


def year_arg() -> int:
    value = request.args.get("year")
    if value in (None, ""):
        return local_today().year
    try:
        year = int(value)
    except ValueError:
        raise ServiceError(_("year must be a whole number."), code="bad_request") from None
    if not 2000 <= year <= 2100:
        raise ServiceError(_("year must be a whole number."), code="bad_request")
    return year


@bp.get("/coverage")
@login_required
def province_coverage():
    if is_organizer(current_user):
        universities = None
    elif university_ids(current_user, Role.UNIVERSITY_ADMIN):
        mine = university_ids(current_user, Role.UNIVERSITY_ADMIN)
        universities = [u for u in visible_universities(current_user) if u.id in mine]
    else:
        raise Forbidden(_("You are not allowed to do this."))
    return jsonify(coverage.province_coverage(year=year_arg(), universities=universities))


@bp.get("/universities/<code>/coverage")
@login_required
def university_coverage(code: str):
    university = managed_university_or_404(code, current_user)
    return jsonify(coverage.university_coverage(university=university, year=year_arg()))


@bp.get("/universities/<code>/uncovered")
@login_required
def uncovered(code: str):
    university = managed_university_or_404(code, current_user)
    category = request.args.get("category") or None
    if category is not None and category not in set(PostCategory):
        raise ValidationFailed(
            _("Unknown post category."),
            details=[{"field": "category", "message": _("Unknown post category.")}],
        )
    filters = coverage.UncoveredFilters(category=category, department=request.args.get("department") or None)
    page = coverage.list_uncovered(
        university=university, year=year_arg(), filters=filters, page=page_request(request.args)
    )
    return jsonify(page_dict(page, staff_dict))


@bp.post("/universities/<code>/participations")
@login_required
def import_participations(code: str):
    university = managed_university_or_404(code, current_user)
    upload = uploaded_file()
    created = participations.import_participations(
        university=university, data=upload.read(), filename=upload.filename, by=current_user
    )
    db.session.commit()
    return jsonify({"created": created})
