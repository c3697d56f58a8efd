"""Importing participations in events run outside the platform (工号, 活动名称, 日期), all or nothing."""

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
from ..services import excel, participations, reports
from . import bp
from .forms import ParticipationImportForm
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


@bp.route("/<code>/participations", methods=["GET", "POST"])
@login_required
def import_participations(code: str):
    university = managed_university_or_404(code, current_user)
    form = ParticipationImportForm()
    if not form.validate_on_submit():
        return _page(university, form, status=422 if form.is_submitted() else 200)
    data, filename = form.file.data.read(), form.file.data.filename
    try:
        created = participations.import_participations(
            university=university, data=data, filename=filename, by=current_user
        )
    except ValidationFailed as error:
        return _page(university, form, error=error, filename=filename, status=422)
    if created:
        message = ngettext("%(num)d participation imported.", "%(num)d participations imported.", created)
    else:
        message = _("Every participation in this file was already imported: nothing was added.")
    flash(message, "success" if created else "info")
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
