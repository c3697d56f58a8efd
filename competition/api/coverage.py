"""Coverage figures and offline participations."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import year_arg
from ..enums import PostCategory
from ..errors import ValidationFailed
from ..pagination import page_request
from ..permissions import (
    can_manage_any_university,
    is_organizer,
    managed_university_or_404,
    owned_universities,
    require,
)
from ..services import coverage, participations
from . import bp
from .common import uploaded_file
from .serialise import page_dict, staff_dict


@bp.get("/coverage")
@login_required
def province_coverage():
    require(can_manage_any_university(current_user))
    # Organizers see every university (None); a union admin their own.
    universities = None if is_organizer(current_user) else owned_universities(current_user)
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
    filters = coverage.UncoveredFilters(
        category=category,
        department=request.args.get("department") or None,
        search=request.args.get("q"),  # part of a name or of a 工号
    )
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
    return jsonify({"created": created})
