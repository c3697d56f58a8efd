"""Entries of a competition (list, decisions, registration on someone's behalf, Excel) and the draw."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import int_arg
from ..downloads import xlsx_response
from ..enums import CompetitionLevel, EntryStatus
from ..errors import NotFound, ServiceError
from ..feedback import error_text, flash_refusal
from ..models import Competition, Entry, University
from ..pagination import page_request
from ..permissions import (
    can_decide,
    can_manage_competition,
    can_see_entries,
    managed_competition,
    owned_universities,
    require,
    visible_competition,
    visible_entry,
)
from ..services import draw, entries, registration
from . import bp


def _entries_competition(competition_id: int) -> Competition:
    competition = visible_competition(competition_id, current_user)
    require(
        can_see_entries(current_user, competition),
        _("Only the organizers and the university union admins see the entries."),
    )
    return competition


def _filters() -> entries.EntryFilters:
    status = request.args.get("status")
    return entries.EntryFilters(
        group_id=int_arg("group_id", lenient=True),
        status=status if status in set(EntryStatus) else None,
        university=request.args.get("university") or None,
        q=(request.args.get("q") or "").strip() or None,
    )


def _entry_universities(competition: Competition) -> list[University]:
    """Universities whose staff the user may enter into this competition."""
    mine = owned_universities(current_user)
    if competition.level == CompetitionLevel.SCHOOL:
        return [u for u in mine if u.id == competition.university_id]
    return mine


def _back(competition: Competition) -> str:
    """Where a decision returns: the entries page with its filters (never a page elsewhere)."""
    home = url_for(".list_entries", competition_id=competition.id)
    target = request.form.get("next") or ""
    return target if target.startswith(home) and "//" not in target else home


@bp.get("/<int:competition_id>/entries")
@login_required
def list_entries(competition_id: int):
    competition = _entries_competition(competition_id)
    filters = _filters()
    page = entries.list_entries(
        competition=competition, user=current_user, filters=filters, page=page_request(request.args)
    )
    universities = _entry_universities(competition)
    return render_template(
        "competitions/entries.html",
        competition=competition,
        page=page,
        filters=filters,
        universities=universities,
        choose_university=can_manage_competition(current_user, competition) and len(universities) > 1,
        statuses=tuple(EntryStatus),
    )


@bp.get("/<int:competition_id>/entries.xlsx")
@login_required
def export_entries(competition_id: int):
    competition = _entries_competition(competition_id)
    data = entries.entries_workbook(competition=competition, user=current_user, filters=_filters())
    return xlsx_response(data, f"entries-{competition.id}.xlsx")


@bp.post("/<int:competition_id>/entries")
@login_required
def register_entry(competition_id: int):
    competition = _entries_competition(competition_id)
    group_id = (request.form.get("group_id") or "").strip()
    staff_no = (request.form.get("staff_no") or "").strip()
    try:
        staff = entries.find_staff(
            university_code=(request.form.get("university") or "").strip(), staff_no=staff_no, by=current_user
        )
        entry = registration.register(
            competition=competition,
            group_id=int(group_id) if group_id.isdigit() else None,
            staff=staff,
            by=current_user,
        )
    except ServiceError as error:
        flash_refusal(
            _("%(no)s was not registered: %(reason)s", no=staff_no or "—", reason=error_text(error))
        )
    else:
        flash(
            _(
                "%(name)s (%(no)s) is registered in %(group)s; the entry awaits approval.",
                name=entry.staff.name,
                no=entry.staff.staff_no,
                group=entry.group.name,
            ),
            "success",
        )
    return redirect(_back(competition))


def _decided_entry(competition_id: int, entry_id: int) -> Entry:
    competition = visible_competition(competition_id, current_user)
    entry = visible_entry(entry_id, current_user)
    if entry.competition_id != competition.id:
        raise NotFound(_("No such entry."))
    require(can_decide(current_user, entry), _("You may not decide on this entry."))
    return entry


@bp.post("/<int:competition_id>/entries/<int:entry_id>/approve")
@login_required
def approve_entry(competition_id: int, entry_id: int):
    entry = _decided_entry(competition_id, entry_id)
    name, competition = entry.staff.name, entry.competition
    try:
        registration.approve(entry=entry, by=current_user)
    except ServiceError as error:
        reasons = " ".join(d["message"] for d in error.details) if error.details else error.message
        flash_refusal(_("%(name)s was not approved: %(reason)s", name=name, reason=reasons))
    else:
        flash(_("%(name)s is approved.", name=name), "success")
    return redirect(_back(competition))


@bp.post("/<int:competition_id>/entries/<int:entry_id>/reject")
@login_required
def reject_entry(competition_id: int, entry_id: int):
    entry = _decided_entry(competition_id, entry_id)
    name, competition = entry.staff.name, entry.competition
    try:
        registration.reject(entry=entry, reason=request.form.get("reason") or "", by=current_user)
    except ServiceError as error:
        flash_refusal(_("%(name)s was not rejected: %(reason)s", name=name, reason=error.message))
    else:
        flash(_("%(name)s is rejected; the reason is shown to them.", name=name), "success")
    return redirect(_back(competition))


# --- the draw -----------------------------------------------------------------------------------------------


@bp.get("/<int:competition_id>/draw")
@login_required
def draw_page(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    approved = entries.list_entries(
        competition=competition,
        user=current_user,
        filters=entries.EntryFilters(status=EntryStatus.APPROVED),
        page=None,
    ).items
    record = draw.last_draw(competition)
    return render_template(
        "competitions/draw.html",
        competition=competition,
        approved=approved,
        record=record,
        drawn_by=draw.drawn_by(record),
        undrawn=[e for e in approved if e.draw_no is None] if record else [],
    )


@bp.post("/<int:competition_id>/draw")
@login_required
def run_draw(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    try:
        seed, items = draw.run_draw(competition=competition, by=current_user)
    except ServiceError as error:
        flash_refusal(error.message)
    else:
        flash(
            _("The order of appearance is drawn: %(n)d entries, seed %(seed)s.", n=len(items), seed=seed),
            "success",
        )
    return redirect(url_for(".draw_page", competition_id=competition_id))
