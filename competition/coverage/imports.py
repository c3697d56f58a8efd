"""Importing participations in events held outside the platform (工号, 活动名称, 日期): check, confirm."""

from __future__ import annotations

import pandas as pd
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..args import year_arg
from ..clock import local_today
from ..downloads import xlsx_response
from ..errors import ValidationFailed
from ..permissions import managed_university_or_404
from ..services import excel, participations, reports, uploads
from . import bp
from .import_forms import ConfirmParticipationsForm, ParticipationImportForm
from .views import page_context


def _page(university, form, *, error=None, filename=None, status=200):
    """The form, and the events imported for the chosen year (this year unless ``?year=`` says otherwise)."""
    year = year_arg()
    return render_template(
        "coverage/participations.html",
        university=university,
        form=form,
        error=error,
        filename=filename,
        events=reports.offline_events(year=year, university=university),
        **page_context(year),
    ), status


def _preview(university, result, *, token: str, filename: str, notice=None, status=200):
    """What the file would add, before anything is written; the form confirms this very file."""
    confirm = ConfirmParticipationsForm(token=token, plan=result.digest, formdata=None)
    return render_template(
        "coverage/participations_preview.html",
        university=university,
        result=result,
        confirm=confirm,
        filename=filename,
        notice=notice,
    ), status


@bp.route("/<code>/participations", methods=["GET", "POST"])
@login_required
def import_participations(code: str):
    university = managed_university_or_404(code, current_user)
    form = ParticipationImportForm()
    if not form.validate_on_submit():
        return _page(university, form, status=422 if form.is_submitted() else 200)
    data, filename = form.file.data.read(), form.file.data.filename
    try:
        result = participations.run_import(
            university=university, data=data, filename=filename, by=current_user, dry_run=True
        )
    except ValidationFailed as error:
        return _page(university, form, error=error, filename=filename, status=422)
    token = uploads.stash(data, filename=filename, owner_id=current_user.id, purpose=f"participations:{code}")
    return _preview(university, result, token=token, filename=filename)


@bp.post("/<code>/participations/confirm")
@login_required
def confirm_participations(code: str):
    university = managed_university_or_404(code, current_user)
    form = ConfirmParticipationsForm()
    stashed = (
        uploads.load(form.token.data, owner_id=current_user.id, purpose=f"participations:{code}")
        if form.validate_on_submit()
        else None
    )
    if stashed is None:
        flash(_("That preview has expired. Upload the file again."), "warning")
        return redirect(url_for("coverage.import_participations", code=code))
    data, filename = stashed
    try:
        result = participations.run_import(
            university=university,
            data=data,
            filename=filename,
            by=current_user,
            dry_run=False,
            expected_digest=form.plan.data or None,
        )
    except participations.PreviewOutdated as outdated:
        return _preview(
            university,
            outdated.preview,
            token=form.token.data,
            filename=filename,
            notice=outdated.message,
            status=409,
        )
    except ValidationFailed as error:
        return _page(university, ParticipationImportForm(), error=error, filename=filename, status=422)
    uploads.discard(form.token.data)
    if result.created:
        message = ngettext(
            "%(num)d participation imported.", "%(num)d participations imported.", result.created
        )
    else:
        message = _("Every participation in this file was already imported: nothing was added.")
    flash(message, "success" if result.created else "info")
    return redirect(url_for("coverage.import_participations", code=code))


@bp.get("/<code>/participations/template.xlsx")
@login_required
def participation_template(code: str):
    managed_university_or_404(code, current_user)
    frame = pd.DataFrame(
        [["00123", "2026年教职工岗位练兵·消防技能", local_today().isoformat()]],
        columns=["工号", "活动名称", "日期"],
    )
    return xlsx_response(excel.to_xlsx({"线下活动": frame}), "participations-template.xlsx")
