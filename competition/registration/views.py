"""Staff pages: open competitions, register, my entries, materials (upload, download, delete), withdraw."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..downloads import material_response
from ..errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from ..extensions import db
from ..models import Competition, Entry, Staff, User
from ..models._base import utcnow
from ..services import competitions, materials, registration
from ..services.messages import refusal_message
from . import bp
from .forms import MaterialForm, RegisterForm

KIND_LABELS = {"teaching": _l("Teaching contest"), "drill": _l("Job-skill drill")}
LEVEL_LABELS = {"provincial": _l("Provincial"), "school": _l("School level")}
# Every status has an icon and a word besides its colour.
ENTRY_STATUS = {
    "pending": (_l("Pending review"), "hourglass-split", "text-bg-warning"),
    "approved": (_l("Approved"), "check-circle-fill", "text-bg-success"),
    "rejected": (_l("Not approved"), "x-circle-fill", "text-bg-danger"),
    "withdrawn": (_l("Withdrawn"), "box-arrow-left", "text-bg-secondary"),
}
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
CHANGEABLE = ("registration_open", "registration_closed")


@dataclass
class Offer:
    """A competition on the staff member's list: either they may register, or the reasons they may not."""

    competition: Competition
    entry: Entry | None = None
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def can_register(self) -> bool:
        return self.entry is None and not self.reasons


def reasons_of(refusals) -> list[tuple[str, str]]:
    """(icon, words) for each refusal of the eligibility rules."""
    return [(REFUSAL_ICONS.get(r.field, "info-circle"), refusal_message(r)) for r in refusals]


def reasons_of_error(error: ServiceError) -> list[tuple[str, str]]:
    if not error.details:
        return [("exclamation-triangle", error.message)]
    return [(REFUSAL_ICONS.get(d.get("field"), "exclamation-triangle"), d["message"]) for d in error.details]


def offers_for(user: User, staff: Staff, entries: list[Entry]) -> list[Offer]:
    """Competitions whose registration is open now or opens soon, open now first, closing soonest first."""
    now = utcnow()
    # A rejected entry still stands (the rules count it as registered): show it, not "already registered".
    standing = {e.competition_id: e for e in entries if e.status != "withdrawn"}
    found = competitions.list_competitions(
        user=user, filters=competitions.CompetitionFilters(status="registration_open")
    )
    offers = []
    for competition in found:
        if competition.registration_closes <= now:
            continue
        if competition.level == "school" and competition.university_id != staff.university_id:
            continue  # visible through another role (an admin elsewhere), but not open to this person
        entry = standing.get(competition.id)
        reasons = [] if entry else reasons_of(registration.refusals_for(competition, staff))
        offers.append(Offer(competition, entry, reasons))
    offers.sort(key=lambda o: (o.competition.registration_opens > now, o.competition.registration_closes))
    return offers


def can_withdraw(entry: Entry) -> bool:
    """As ``services.registration.withdraw`` checks: active entry, registration open and not yet closed."""
    competition = entry.competition
    return (
        entry.status in registration.ACTIVE_STATUSES
        and competition.status == "registration_open"
        and utcnow() < competition.registration_closes
    )


def summary(user: User) -> dict | None:
    """For the home page: how many competitions the staff member can register for now, and their entries."""
    staff = registration.staff_of(user) if user.is_authenticated else None
    if staff is None:
        return None
    entries = registration.my_entries(user=user)
    return {
        "open": sum(1 for o in offers_for(user, staff, entries) if o.can_register),
        "entries": sum(1 for e in entries if e.status != "withdrawn"),
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
        "entry_status": ENTRY_STATUS,
        "material_kinds": MATERIAL_KINDS,
        "file_size": file_size,
        "can_withdraw": can_withdraw,
    }


# --- pages --------------------------------------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    staff = registration.staff_of(current_user)
    if staff is None:
        return render_template("registration/not_staff.html")
    entries = registration.my_entries(user=current_user)
    return render_template(
        "registration/index.html",
        staff=staff,
        offers=offers_for(current_user, staff, entries),
        entries=entries,
    )


@bp.route("/competitions/<int:competition_id>/register", methods=["GET", "POST"])
@login_required
def register_entry(competition_id: int):
    staff = registration.staff_of(current_user)
    if staff is None:
        return render_template("registration/not_staff.html")
    competition = competitions.get_visible(competition_id, current_user)
    if competition.status == "draft":
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
            db.session.rollback()
            reasons = reasons_of_error(error)
        else:
            db.session.commit()
            flash(_("Registered. Your university's union will now review your entry."), "success")
            return redirect(url_for(".show_entry", entry_id=entry.id))
    entry = registration.existing_entry(competition, staff)
    if entry is not None and entry.status == "withdrawn":
        entry = None  # may register again
    if not reasons and entry is None:
        reasons = reasons_of(registration.refusals_for(competition, staff))
    page = render_template(
        "registration/register.html", competition=competition, form=form, reasons=reasons, entry=entry
    )
    return page, (422 if form.is_submitted() else 200)


def _entry_page(entry: Entry, *, form: MaterialForm | None = None, problem: str | None = None):
    may_change = materials.can_upload(current_user, entry) and entry.competition.status in CHANGEABLE
    return render_template(
        "registration/entry.html",
        entry=entry,
        form=form or MaterialForm(),
        problem=problem,
        may_delete=may_change,
        may_upload=may_change
        and entry.status in registration.ACTIVE_STATUSES
        and len(entry.materials) < materials.MAX_FILES_PER_ENTRY,
        max_files=materials.MAX_FILES_PER_ENTRY,
        is_own=materials.is_entrant(current_user, entry),
    )


@bp.get("/entries/<int:entry_id>")
@login_required
def show_entry(entry_id: int):
    return _entry_page(registration.get_entry(entry_id, current_user))


@bp.post("/entries/<int:entry_id>/withdraw")
@login_required
def withdraw_entry(entry_id: int):
    entry = registration.get_entry(entry_id, current_user)
    try:
        registration.withdraw(entry=entry, by=current_user)
    except (Conflict, Forbidden) as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        name = entry.competition.name
        db.session.commit()
        flash(_("You have withdrawn from %(name)s.", name=name), "success")
    if registration.staff_of(current_user) is None:
        return redirect(url_for(".show_entry", entry_id=entry_id))
    return redirect(url_for(".index"))


@bp.post("/entries/<int:entry_id>/materials")
@login_required
def upload_material(entry_id: int):
    entry = registration.get_entry(entry_id, current_user)
    form = MaterialForm()
    if not form.validate_on_submit():
        return _entry_page(entry, form=form), 422
    try:
        material = materials.add_material(entry=entry, upload=form.file.data, by=current_user)
    except (ValidationFailed, Conflict, Forbidden) as error:
        db.session.rollback()
        problem = _("%(name)s: %(problem)s", name=form.file.data.filename, problem=error.message)
        return _entry_page(entry, form=form, problem=problem), error.status
    name = material.original_name
    db.session.commit()
    flash(_("Uploaded: %(name)s", name=name), "success")
    return redirect(url_for(".show_entry", entry_id=entry_id))


@bp.get("/materials/<int:material_id>")
@login_required
def download_material(material_id: int):
    return material_response(materials.get_material(material_id, current_user))


@bp.post("/materials/<int:material_id>/delete")
@login_required
def delete_material(material_id: int):
    material = materials.get_material(material_id, current_user)
    entry_id, name = material.entry_id, material.original_name
    try:
        materials.remove_material(material=material, by=current_user)
    except (Conflict, Forbidden) as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Deleted: %(name)s", name=name), "success")
    return redirect(url_for(".show_entry", entry_id=entry_id))
