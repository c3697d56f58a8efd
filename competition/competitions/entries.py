"""Entries of a competition (list, decisions, registration on someone's behalf, Excel) and the draw."""

from __future__ import annotations

from datetime import UTC

import pandas as pd
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..enums import Role
from ..errors import Forbidden, NotFound, ServiceError
from ..extensions import db
from ..labels import CATEGORY_LABELS, label
from ..models import Competition, Entry, University, User
from ..pagination import page_request
from ..permissions import is_organizer, university_ids, visible_universities
from ..services import competitions, draw, excel, registration
from . import bp
from .words import ENTRY_STATUS_LABELS


def _entries_competition(competition_id: int) -> Competition:
    """Its managers see every entry; any university union admin sees their own university's."""
    competition = competitions.get_visible(competition_id, current_user)
    if not (
        competitions.can_manage(current_user, competition)
        or university_ids(current_user, Role.UNIVERSITY_ADMIN)
    ):
        raise Forbidden(_("Only the organizers and the university union admins see the entries."))
    return competition


def _filters() -> registration.EntryFilters:
    group_id = (request.args.get("group_id") or "").strip()
    status = request.args.get("status")
    return registration.EntryFilters(
        group_id=int(group_id) if group_id.isdigit() else None,
        status=status if status in registration.ENTRY_STATUSES else None,
        university=request.args.get("university") or None,
        q=(request.args.get("q") or "").strip() or None,
    )


def _entry_universities(competition: Competition) -> list[University]:
    """Universities whose staff the user may enter into this competition."""
    mine = visible_universities(current_user)
    if competition.level == "school":
        return [u for u in mine if u.id == competition.university_id]
    if is_organizer(current_user):
        return mine
    admin_of = university_ids(current_user, Role.UNIVERSITY_ADMIN)
    return [u for u in mine if u.id in admin_of]


def _back(competition: Competition) -> str:
    """Where a decision returns: the entries page with its filters (never a page elsewhere)."""
    home = url_for(".list_entries", competition_id=competition.id)
    target = request.form.get("next") or ""
    return target if target.startswith(home) and "//" not in target else home


def _refusal(error: ServiceError) -> str:
    extra = [d["message"] for d in error.details if d.get("message") and d["message"] not in error.message]
    return " ".join([error.message, *extra])


@bp.get("/<int:competition_id>/entries")
@login_required
def list_entries(competition_id: int):
    competition = _entries_competition(competition_id)
    filters = _filters()
    page = registration.list_entries(
        competition=competition, user=current_user, filters=filters, page=page_request(request.args)
    )
    universities = _entry_universities(competition)
    return render_template(
        "competitions/entries.html",
        competition=competition,
        page=page,
        filters=filters,
        universities=universities,
        choose_university=competitions.can_manage(current_user, competition) and len(universities) > 1,
        statuses=registration.ENTRY_STATUSES,
    )


@bp.get("/<int:competition_id>/entries.xlsx")
@login_required
def export_entries(competition_id: int):
    competition = _entries_competition(competition_id)
    everyone = registration.list_entries(
        competition=competition, user=current_user, filters=_filters(), page=None
    )
    zone = competitions.local_zone()
    columns = ["出场序号", "组别", "高校", "工号", "姓名", "部门", "岗位类别", "状态", "说明", "报名时间"]
    frame = pd.DataFrame(
        [
            [
                e.draw_no if e.draw_no is not None else "",
                e.group.name,
                e.university.name,
                e.staff.staff_no,
                e.staff.name,
                e.staff.department.name,
                label(CATEGORY_LABELS, e.staff.category),
                str(ENTRY_STATUS_LABELS[e.status]),
                e.reason or "",
                e.created_at.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            ]
            for e in everyone.items
        ],
        columns=columns,
    )
    return Response(
        excel.to_xlsx({"报名名单": frame}),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f"attachment; filename=entries-{competition.id}.xlsx",
            "Cache-Control": "no-store",
        },
    )


@bp.post("/<int:competition_id>/entries")
@login_required
def register_entry(competition_id: int):
    competition = _entries_competition(competition_id)
    group_id = (request.form.get("group_id") or "").strip()
    staff_no = (request.form.get("staff_no") or "").strip()
    try:
        staff = registration.find_staff(
            university_code=(request.form.get("university") or "").strip(), staff_no=staff_no, by=current_user
        )
        entry = registration.register(
            competition=competition,
            group_id=int(group_id) if group_id.isdigit() else None,
            staff=staff,
            by=current_user,
        )
    except (ServiceError, NotFound) as error:
        db.session.rollback()
        flash(
            _("%(no)s was not registered: %(reason)s", no=staff_no or "—", reason=_refusal(error)), "danger"
        )
    else:
        db.session.commit()
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
    competition = competitions.get_visible(competition_id, current_user)
    entry = registration.get_entry(entry_id, current_user)
    if entry.competition_id != competition.id:
        raise NotFound(_("No such entry."))
    if not registration.can_decide(current_user, entry):
        raise Forbidden(_("You may not decide on this entry."))
    return entry


@bp.post("/<int:competition_id>/entries/<int:entry_id>/approve")
@login_required
def approve_entry(competition_id: int, entry_id: int):
    entry = _decided_entry(competition_id, entry_id)
    name, competition = entry.staff.name, entry.competition
    try:
        registration.approve(entry=entry, by=current_user)
    except ServiceError as error:
        db.session.rollback()
        reasons = " ".join(d["message"] for d in error.details) if error.details else error.message
        flash(_("%(name)s was not approved: %(reason)s", name=name, reason=reasons), "danger")
    else:
        db.session.commit()
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
        db.session.rollback()
        flash(_("%(name)s was not rejected: %(reason)s", name=name, reason=error.message), "danger")
    else:
        db.session.commit()
        flash(_("%(name)s is rejected; the reason is shown to them.", name=name), "success")
    return redirect(_back(competition))


# --- the draw -----------------------------------------------------------------------------------------------


@bp.get("/<int:competition_id>/draw")
@login_required
def draw_page(competition_id: int):
    competition = competitions.get_managed(competition_id, current_user)
    approved = registration.list_entries(
        competition=competition,
        user=current_user,
        filters=registration.EntryFilters(status="approved"),
        page=None,
    ).items
    record = draw.last_draw(competition)
    drawn_by = db.session.get(User, record.drawn_by_id) if record and record.drawn_by_id else None
    return render_template(
        "competitions/draw.html",
        competition=competition,
        approved=approved,
        record=record,
        drawn_by=drawn_by,
        undrawn=[e for e in approved if e.draw_no is None] if record else [],
    )


@bp.post("/<int:competition_id>/draw")
@login_required
def run_draw(competition_id: int):
    competition = competitions.get_managed(competition_id, current_user)
    try:
        seed, items = draw.run_draw(competition=competition, by=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(
            _("The order of appearance is drawn: %(n)d entries, seed %(seed)s.", n=len(items), seed=seed),
            "success",
        )
    return redirect(url_for(".draw_page", competition_id=competition_id))
