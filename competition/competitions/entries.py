"""Entries of a competition (list with the quota use, decisions one at a time or several at once, registration
on someone's behalf, Excel) and the draw."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import int_arg
from ..domain.quota import QuotaUse
from ..downloads import xlsx_response
from ..enums import EntryStatus
from ..errors import NotFound, ServiceError
from ..feedback import error_text, flash_refusal
from ..models import Competition, Entry
from ..pagination import page_request
from ..permissions import (
    can_decide,
    can_manage_competition,
    can_see_entries,
    managed_competition,
    require,
    visible_competition,
    visible_entry,
)
from ..services import bulk_approval, draw, entries, registration
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


PER_PAGE_CHOICES = (50, 100, 200)
QUOTA_LINES_FLASHED = 5  # universities named after a bulk approval; the rest are counted


def quota_words(use: QuotaUse) -> str:
    """Quota use in words, thousands separated: 已通过 12 / 名额 15，剩余 3; without a quota
    已通过 12（不限名额）."""
    if use.quota is None:
        return _("Approved %(approved)s (no quota)", approved=f"{use.approved:,}")
    return _(
        "Approved %(approved)s / quota %(quota)s, %(left)s left",
        approved=f"{use.approved:,}",
        quota=f"{use.quota:,}",
        left=f"{use.left:,}",
    )


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
        competition=competition,
        user=current_user,
        filters=filters,
        page=page_request(request.args),
        materials=True,
    )
    universities = entries.universities_in_reach(competition, current_user)
    quota = entries.quota_table(competition, universities)
    focus = quota.row_of(filters.university) or (quota.rows[0] if len(quota.rows) == 1 else None)
    return render_template(
        "competitions/entries.html",
        competition=competition,
        page=page,
        filters=filters,
        universities=universities,
        choose_university=can_manage_competition(current_user, competition) and len(universities) > 1,
        statuses=tuple(EntryStatus),
        quota=quota,
        focus=focus,
        quota_words=quota_words,
        per_page_choices=PER_PAGE_CHOICES,
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


@bp.post("/<int:competition_id>/entries/approve")
@login_required
def bulk_approve(competition_id: int):
    """Approve the ticked entries at once: first a page that states the count and the places left, then,
    confirmed, all of them or none (``bulk_approval.approve_many``)."""
    competition = _entries_competition(competition_id)
    back = _back(competition)
    ids = entries.entry_ids_of(request.form.getlist("entry_id"))
    if not ids:
        flash_refusal(_("Select at least one pending entry."))
        return redirect(back)
    selected = entries.entries_by_ids(competition=competition, user=current_user, ids=ids)
    require(all(can_decide(current_user, e) for e in selected), _("You may not decide on these entries."))
    if request.form.get("confirm") != "yes":
        check = bulk_approval.check_selection(competition=competition, entries=selected)
        return render_template(
            "competitions/bulk_approve.html",
            competition=competition,
            check=check,
            back=back,
            quota_words=quota_words,
        )
    try:
        check = bulk_approval.approve_many(competition=competition, entries=selected, by=current_user)
    except ServiceError as error:
        flash_refusal(error_text(error))
        return redirect(back)
    lines = [
        _(
            "%(university)s: %(use)s",
            university=university.name,
            use=quota_words(QuotaUse(line.use.approved + line.selected, line.use.quota)),
        )
        for university, line in check.lines
    ]
    shown = lines[:QUOTA_LINES_FLASHED]
    if len(lines) > len(shown):
        shown.append(_("And %(n)d more universities.", n=len(lines) - len(shown)))
    flash(" ".join([_("Approved at once: %(n)d.", n=len(selected)), *shown]), "success")
    return redirect(back)


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
