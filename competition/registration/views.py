"""Staff pages: open competitions, register, my entries, materials (upload, download, delete), withdraw."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..domain import lifecycle
from ..downloads import material_response
from ..enums import STANDING_ENTRY_STATUSES, CompetitionStatus, EntryStatus
from ..errors import Conflict, NotFound, ServiceError, ValidationFailed
from ..feedback import flash_refusal
from ..labels import ENTRY_STATUS_BADGES, KIND_LABELS, LEVEL_LABELS
from ..models import Entry, User
from ..permissions import (
    can_change_materials,
    can_withdraw,
    is_entrant,
    visible_competition,
    visible_entry,
    visible_material,
)
from ..services import entries, materials, registration, result_pages
from ..services.messages import refusal_message
from . import bp
from .forms import MaterialForm, RegisterForm

MATERIAL_KINDS = {
    "pdf": ("PDF", "file-earmark-pdf"),
    "docx": ("Word", "file-earmark-word"),
    "pptx": ("PowerPoint", "file-earmark-ppt"),
    "mp4": (_l("MP4 video"), "file-earmark-play"),
}
REFUSAL_ICONS = {
    "category": "person-x",
    "age": "calendar-x",
    "window": "clock",
    "quota": "people",
    "duplicate": "check2-all",
}


def reasons_of(refusals) -> list[tuple[str, str]]:
    """(icon, words) for each refusal of the eligibility rules."""
    return [(REFUSAL_ICONS.get(r.field, "info-circle"), refusal_message(r)) for r in refusals]


def reasons_of_error(error: ServiceError) -> list[tuple[str, str]]:
    if not error.details:
        return [("exclamation-triangle", error.message)]
    return [(REFUSAL_ICONS.get(d.get("field"), "exclamation-triangle"), d["message"]) for d in error.details]


def summary(user: User) -> dict | None:
    """For the home page: how many competitions the staff member can register for now, and their entries."""
    staff = entries.staff_of(user) if user.is_authenticated else None
    if staff is None:
        return None
    mine = entries.my_entries(user=user)
    return {
        "open": sum(1 for o in entries.offers_for(user=user, staff=staff, entries=mine) if o.registrable),
        "entries": sum(1 for e in mine if e.status != EntryStatus.WITHDRAWN),
    }


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


@bp.app_context_processor
def _inject():
    return {"registration_summary": lambda: summary(current_user)}


@bp.context_processor
def _labels():
    return {
        "kind_labels": KIND_LABELS,
        "level_labels": LEVEL_LABELS,
        "entry_status": ENTRY_STATUS_BADGES,
        "material_kinds": MATERIAL_KINDS,
        "file_size": file_size,
        "can_withdraw": lambda entry: can_withdraw(current_user, entry),
        "reasons_of": reasons_of,
    }


# --- pages --------------------------------------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    staff = entries.staff_of(current_user)
    if staff is None:
        return render_template("registration/not_staff.html")
    mine = entries.my_entries(user=current_user)
    return render_template(
        "registration/index.html",
        staff=staff,
        offers=entries.offers_for(user=current_user, staff=staff, entries=mine),
        entries=mine,
        results=result_pages.entry_results(mine),
    )


@bp.route("/competitions/<int:competition_id>/register", methods=["GET", "POST"])
@login_required
def register_entry(competition_id: int):
    staff = entries.staff_of(current_user)
    if staff is None:
        return render_template("registration/not_staff.html")
    competition = visible_competition(competition_id, current_user)
    if competition.status == CompetitionStatus.DRAFT:
        raise NotFound(_("No such competition."))
    form = RegisterForm()
    form.group_id.choices = [(g.id, g.name) for g in competition.groups]
    if len(competition.groups) == 1 and not form.is_submitted():
        form.group_id.data = competition.groups[0].id  # one group: nothing to choose
    reasons: list[tuple[str, str]] = []
    if form.validate_on_submit():
        try:
            entry = registration.register(
                competition=competition, group_id=form.group_id.data, staff=staff, by=current_user
            )
        except ValidationFailed as error:
            reasons = reasons_of_error(error)
        else:
            flash(_("Registered. Your university's union will now review your entry."), "success")
            return redirect(url_for(".show_entry", entry_id=entry.id))
    entry = registration.existing_entry(competition, staff)
    if entry is not None and entry.status == EntryStatus.WITHDRAWN:
        entry = None  # may register again
    if not reasons and entry is None:
        reasons = reasons_of(registration.refusals_for(competition, staff))
    page = render_template(
        "registration/register.html", competition=competition, form=form, reasons=reasons, entry=entry
    )
    return page, (422 if form.is_submitted() else 200)


def _entry_page(entry: Entry, *, form: MaterialForm | None = None, problem: str | None = None):
    may_change = can_change_materials(current_user, entry) and lifecycle.accepts_decisions(
        entry.competition.status
    )
    return render_template(
        "registration/entry.html",
        entry=entry,
        form=form or MaterialForm(),
        problem=problem,
        may_delete=may_change,
        may_upload=may_change
        and entry.status in STANDING_ENTRY_STATUSES
        and len(entry.materials) < materials.MAX_FILES_PER_ENTRY,
        max_files=materials.MAX_FILES_PER_ENTRY,
        is_own=is_entrant(current_user, entry),
        result=result_pages.entry_results([entry]).get(entry.id),
    )


@bp.get("/entries/<int:entry_id>")
@login_required
def show_entry(entry_id: int):
    return _entry_page(visible_entry(entry_id, current_user))


@bp.post("/entries/<int:entry_id>/withdraw")
@login_required
def withdraw_entry(entry_id: int):
    entry = visible_entry(entry_id, current_user)  # whoever sees it may withdraw it (``can_withdraw``)
    try:
        registration.withdraw(entry=entry, by=current_user)
    except Conflict as error:
        flash_refusal(error.message)
    else:
        flash(_("You have withdrawn from %(name)s.", name=entry.competition.name), "success")
    if entries.staff_of(current_user) is None:
        return redirect(url_for(".show_entry", entry_id=entry_id))
    return redirect(url_for(".index"))


@bp.post("/entries/<int:entry_id>/materials")
@login_required
def upload_material(entry_id: int):
    entry = visible_entry(entry_id, current_user)  # whoever sees it may change its files
    form = MaterialForm()
    if not form.validate_on_submit():
        return _entry_page(entry, form=form), 422
    try:
        material = materials.add_material(entry=entry, upload=form.file.data, by=current_user)
    except (ValidationFailed, Conflict) as error:
        problem = _("%(name)s: %(problem)s", name=form.file.data.filename, problem=error.message)
        return _entry_page(entry, form=form, problem=problem), error.status
    flash(_("Uploaded: %(name)s", name=material.original_name), "success")
    return redirect(url_for(".show_entry", entry_id=entry_id))


@bp.get("/materials/<int:material_id>")
@login_required
def download_material(material_id: int):
    return material_response(visible_material(material_id, current_user))


@bp.post("/materials/<int:material_id>/delete")
@login_required
def delete_material(material_id: int):
    material = visible_material(material_id, current_user)
    entry_id, name = material.entry_id, material.original_name
    try:
        materials.remove_material(material=material, by=current_user)
    except Conflict as error:
        flash_refusal(error.message)
    else:
        flash(_("Deleted: %(name)s", name=name), "success")
    return redirect(url_for(".show_entry", entry_id=entry_id))
