"""Competitions, their life cycle, entries and the draw."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ServiceError, ValidationFailed
from ..extensions import db
from ..models import Entry
from ..pagination import page_request
from ..services import competitions, draw, registration
from . import bp
from .common import json_body, page_dict


def _int_arg(name: str) -> int | None:
    value = request.args.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if not competitions.is_db_int(number):
        raise ServiceError(_("%(field)s must be a whole number.", field=name), code="bad_request")
    return number


@bp.get("/competitions")
@login_required
def list_competitions():
    filters = competitions.CompetitionFilters(
        year=_int_arg("year"),
        level=request.args.get("level") or None,
        kind=request.args.get("kind") or None,
        university=request.args.get("university") or None,
        status=request.args.get("status") or None,
    )
    items = competitions.list_competitions(user=current_user, filters=filters)
    return jsonify([competitions.competition_dict(c) for c in items])


@bp.post("/competitions")
@login_required
def create_competition():
    competition = competitions.create_competition(data=json_body(), by=current_user)
    db.session.commit()
    return jsonify(competitions.competition_dict(competition)), 201


@bp.get("/competitions/<int:competition_id>")
@login_required
def get_competition(competition_id: int):
    return jsonify(competitions.competition_dict(competitions.get_visible(competition_id, current_user)))


@bp.put("/competitions/<int:competition_id>")
@login_required
def update_competition(competition_id: int):
    competition = competitions.get_managed(competition_id, current_user)
    competitions.update_competition(competition=competition, data=json_body(), by=current_user)
    db.session.commit()
    return jsonify(competitions.competition_dict(competition))


@bp.post("/competitions/<int:competition_id>/copy")
@login_required
def copy_competition(competition_id: int):
    source = competitions.get_visible(competition_id, current_user)
    body = json_body()
    year = body.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationFailed(
            _("Give the year of the copy."),
            details=[{"field": "year", "message": _("Give the year of the copy.")}],
        )
    copy = competitions.copy_competition(
        source=source, year=year, by=current_user, university=body.get("university")
    )
    db.session.commit()
    return jsonify(competitions.competition_dict(copy)), 201


@bp.post("/competitions/<int:competition_id>/transition")
@login_required
def transition(competition_id: int):
    competition = competitions.get_managed(competition_id, current_user)
    target = json_body().get("to")
    if not isinstance(target, str):
        raise ValidationFailed(
            _("Say which state to move to."),
            details=[{"field": "to", "message": _("Say which state to move to.")}],
        )
    competitions.transition(competition=competition, to=target, by=current_user)
    db.session.commit()
    return jsonify({"id": competition.id, "status": competition.status})


# --- entries ------------------------------------------------------------------------------------------------


def entry_dict(entry: Entry) -> dict:
    return {
        "id": entry.id,
        "competition_id": entry.competition_id,
        "group_id": entry.group_id,
        "staff_no": entry.staff.staff_no,
        "name": entry.staff.name,
        "university": entry.university.code,
        "department": entry.staff.department.name,
        "status": entry.status,
        "draw_no": entry.draw_no,
        "reason": entry.reason,
        "created_at": entry.created_at.isoformat() + "Z",
    }


@bp.post("/competitions/<int:competition_id>/entries")
@login_required
def create_entry(competition_id: int):
    competition = competitions.get_visible(competition_id, current_user)
    body = json_body()
    staff_no, university = body.get("staff_no"), body.get("university")
    if staff_no is None:
        staff = registration.staff_of(current_user)
        if staff is None:
            raise ValidationFailed(
                _("Say whom to register: university and staff_no."),
                details=[{"field": "staff_no", "message": _("This is required.")}],
            )
    else:
        if not isinstance(staff_no, str) or not isinstance(university, str):
            raise ValidationFailed(
                _("Say whom to register: university and staff_no."),
                details=[{"field": "staff_no", "message": _("This is required.")}],
            )
        staff = registration.find_staff(university_code=university, staff_no=staff_no, by=current_user)
    entry = registration.register(
        competition=competition, group_id=body.get("group_id"), staff=staff, by=current_user
    )
    db.session.commit()
    return jsonify(entry_dict(entry)), 201


@bp.get("/competitions/<int:competition_id>/entries")
@login_required
def list_entries(competition_id: int):
    competition = competitions.get_visible(competition_id, current_user)
    status = request.args.get("status") or None
    if status is not None and status not in registration.ENTRY_STATUSES:
        raise ValidationFailed(
            _("Unknown status."), details=[{"field": "status", "message": _("Unknown status.")}]
        )
    filters = registration.EntryFilters(
        group_id=_int_arg("group_id"),
        status=status,
        university=request.args.get("university") or None,
        q=request.args.get("q") or None,
    )
    page = registration.list_entries(
        competition=competition, user=current_user, filters=filters, page=page_request(request.args)
    )
    return jsonify(page_dict(page, entry_dict))


@bp.post("/entries/<int:entry_id>/approve")
@login_required
def approve_entry(entry_id: int):
    entry = registration.approve(entry=registration.get_entry(entry_id, current_user), by=current_user)
    db.session.commit()
    return jsonify(entry_dict(entry))


@bp.post("/entries/<int:entry_id>/reject")
@login_required
def reject_entry(entry_id: int):
    reason = json_body().get("reason")
    entry = registration.reject(
        entry=registration.get_entry(entry_id, current_user),
        reason=reason if isinstance(reason, str) else "",
        by=current_user,
    )
    db.session.commit()
    return jsonify(entry_dict(entry))


@bp.post("/entries/<int:entry_id>/withdraw")
@login_required
def withdraw_entry(entry_id: int):
    entry = registration.withdraw(entry=registration.get_entry(entry_id, current_user), by=current_user)
    db.session.commit()
    return jsonify(entry_dict(entry))


@bp.post("/competitions/<int:competition_id>/draw")
@login_required
def run_draw(competition_id: int):
    competition = competitions.get_managed(competition_id, current_user)
    body = json_body() if request.get_data() else {}  # no body at all: a fresh seed
    seed, items = draw.run_draw(competition=competition, by=current_user, seed=body.get("seed"))
    db.session.commit()
    return jsonify({"seed": seed, "items": items})
