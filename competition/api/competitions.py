"""Competitions, their life cycle, entries and the draw."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import int_arg
from ..enums import EntryStatus
from ..errors import ValidationFailed
from ..pagination import page_request
from ..permissions import (
    can_decide,
    can_see_entries,
    can_set_up_competitions,
    managed_competition,
    require,
    visible_competition,
    visible_entry,
)
from ..services import bulk_approval, competitions, draw, entries, registration
from . import bp
from .common import json_body
from .serialise import competition_dict, entry_dict, page_dict


def _require_creator() -> None:
    """Roles that never set up competitions are refused before their body is read."""
    require(
        can_set_up_competitions(current_user),
        _("Only organizers and university union admins set up competitions."),
    )


@bp.get("/competitions")
@login_required
def list_competitions():
    filters = competitions.CompetitionFilters(
        year=int_arg("year"),
        level=request.args.get("level") or None,
        kind=request.args.get("kind") or None,
        university=request.args.get("university") or None,
        status=request.args.get("status") or None,
        q=(request.args.get("q") or "").strip() or None,
    )
    items = competitions.list_competitions(user=current_user, filters=filters)
    return jsonify([competition_dict(c) for c in items])


@bp.post("/competitions")
@login_required
def create_competition():
    _require_creator()
    competition = competitions.create_competition(data=json_body(), by=current_user)
    return jsonify(competition_dict(competition)), 201


@bp.get("/competitions/<int:competition_id>")
@login_required
def get_competition(competition_id: int):
    return jsonify(competition_dict(visible_competition(competition_id, current_user)))


@bp.put("/competitions/<int:competition_id>")
@login_required
def update_competition(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    competitions.update_competition(competition=competition, data=json_body(), by=current_user)
    return jsonify(competition_dict(competition))


@bp.post("/competitions/<int:competition_id>/copy")
@login_required
def copy_competition(competition_id: int):
    source = visible_competition(competition_id, current_user)
    _require_creator()
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
    return jsonify(competition_dict(copy)), 201


@bp.post("/competitions/<int:competition_id>/transition")
@login_required
def transition(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    body = json_body()
    target = body.get("to")
    if not isinstance(target, str):
        raise ValidationFailed(
            _("Say which state to move to."),
            details=[{"field": "to", "message": _("Say which state to move to.")}],
        )
    competitions.transition(
        competition=competition,
        to=target,
        by=current_user,
        objection_ends=body.get("objection_ends"),
        contact=body.get("contact"),
    )
    return jsonify({"id": competition.id, "status": competition.status})


# --- entries ------------------------------------------------------------------------------------------------


@bp.post("/competitions/<int:competition_id>/entries")
@login_required
def create_entry(competition_id: int):
    competition = visible_competition(competition_id, current_user)
    body = json_body()
    staff_no, university = body.get("staff_no"), body.get("university")
    if staff_no is None:
        staff = entries.staff_of(current_user)
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
        staff = entries.find_staff(university_code=university, staff_no=staff_no, by=current_user)
    entry = registration.register(
        competition=competition, group_id=body.get("group_id"), staff=staff, by=current_user
    )
    return jsonify(entry_dict(entry)), 201


@bp.get("/competitions/<int:competition_id>/entries")
@login_required
def list_entries(competition_id: int):
    competition = visible_competition(competition_id, current_user)
    status = request.args.get("status") or None
    if status is not None and status not in set(EntryStatus):
        raise ValidationFailed(
            _("Unknown status."), details=[{"field": "status", "message": _("Unknown status.")}]
        )
    filters = entries.EntryFilters(
        group_id=int_arg("group_id"),
        status=status,
        university=request.args.get("university") or None,
        q=request.args.get("q") or None,
    )
    page = entries.list_entries(
        competition=competition, user=current_user, filters=filters, page=page_request(request.args)
    )
    return jsonify(page_dict(page, entry_dict))


def _entry_to_decide(entry_id: int):
    entry = visible_entry(entry_id, current_user)
    require(can_decide(current_user, entry), _("You may not decide on this entry."))
    return entry


@bp.post("/entries/<int:entry_id>/approve")
@login_required
def approve_entry(entry_id: int):
    entry = registration.approve(entry=_entry_to_decide(entry_id), by=current_user)
    return jsonify(entry_dict(entry))


@bp.post("/competitions/<int:competition_id>/entries/approve")
@login_required
def approve_entries(competition_id: int):
    """Approve several entries at once, all or none, within each university's quota."""
    competition = visible_competition(competition_id, current_user)
    require(
        can_see_entries(current_user, competition),
        _("Only the organizers and the university union admins see the entries."),
    )
    ids = entries.entry_ids_of(json_body().get("entry_ids"))
    selected = entries.entries_by_ids(competition=competition, user=current_user, ids=ids)
    require(all(can_decide(current_user, e) for e in selected), _("You may not decide on these entries."))
    check = bulk_approval.approve_many(competition=competition, entries=selected, by=current_user)
    quota = [
        {
            "university": university.code,
            "approved": line.use.approved + line.selected,
            "quota": line.use.quota,
            "left": line.left_after,
        }
        for university, line in check.lines
    ]
    return jsonify({"approved": [entry_dict(e) for e in selected], "quota": quota})


@bp.post("/entries/<int:entry_id>/reject")
@login_required
def reject_entry(entry_id: int):
    entry = _entry_to_decide(entry_id)
    reason = json_body().get("reason")
    registration.reject(entry=entry, reason=reason if isinstance(reason, str) else "", by=current_user)
    return jsonify(entry_dict(entry))


@bp.post("/entries/<int:entry_id>/withdraw")
@login_required
def withdraw_entry(entry_id: int):
    # Whoever sees the entry may withdraw it (``can_withdraw``): its entrant, or those who decide on it.
    entry = registration.withdraw(entry=visible_entry(entry_id, current_user), by=current_user)
    return jsonify(entry_dict(entry))


@bp.post("/competitions/<int:competition_id>/draw")
@login_required
def run_draw(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    body = json_body() if request.get_data() else {}  # no body at all: a fresh seed
    seed, items = draw.run_draw(competition=competition, by=current_user, seed=body.get("seed"))
    return jsonify({"seed": seed, "items": items})
