"""The panel page (评委安排): judges per group with load and recusals; add, take off, declare conflicts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..feedback import error_text, flash_refusal
from ..services import panel_page, panels
from . import bp
from .common import form_int, form_ints, run_competition


@bp.get("/<int:competition_id>/panel")
@login_required
def show_panel(competition_id: int):
    competition = run_competition(competition_id)
    return render_template(
        "judging/panel.html",
        competition=competition,
        overview=panel_page.panel_overview(competition),
        judge_choices=panel_page.judge_choices(competition),
    )


def _back(competition_id: int):
    return redirect(url_for(".show_panel", competition_id=competition_id))


@bp.post("/<int:competition_id>/panel/judges")
@login_required
def add_judge(competition_id: int):
    competition = run_competition(competition_id)
    username = (request.form.get("username") or "").strip()
    try:
        result = panel_page.add_judge(
            competition=competition, username=username, group_ids=form_ints("group_ids"), by=current_user
        )
    except ServiceError as error:
        flash_refusal(_("%(who)s was not added: %(reason)s", who=username or "—", reason=error_text(error)))
    else:
        groups = "、".join(g.name for g in competition.groups if g.id in result["group_ids"])
        flash(
            _(
                "%(who)s is on the panel of %(groups)s; recused from %(n)d entries.",
                who=result["username"],
                groups=groups,
                n=len(result["recused_entry_ids"]),
            ),
            "success",
        )
    return _back(competition_id)


@bp.post("/<int:competition_id>/panel/judges/remove")
@login_required
def remove_judge(competition_id: int):
    competition = run_competition(competition_id)
    username = (request.form.get("username") or "").strip()
    try:
        panel_page.remove_judge(
            competition=competition, username=username, group_id=form_int("group_id"), by=current_user
        )
    except ServiceError as error:
        flash_refusal(
            _("%(who)s was not taken off: %(reason)s", who=username or "—", reason=error_text(error))
        )
    else:
        flash(_("%(who)s is taken off the group.", who=username), "success")
    return _back(competition_id)


@bp.post("/<int:competition_id>/panel/conflicts")
@login_required
def declare_conflict(competition_id: int):
    competition = run_competition(competition_id)
    username = (request.form.get("username") or "").strip()
    try:
        panel_page.declare_conflict(
            competition=competition,
            username=username,
            entry_id=form_int("entry_id"),
            reason=request.form.get("reason") or "",
            by=current_user,
        )
    except ServiceError as error:
        flash_refusal(_("The conflict was not recorded: %(reason)s", reason=error_text(error)))
    else:
        flash(_("Conflict recorded: %(who)s no longer sees or scores this entry.", who=username), "success")
    return _back(competition_id)


@bp.post("/<int:competition_id>/panel/conflicts/remove")
@login_required
def remove_conflict(competition_id: int):
    competition = run_competition(competition_id)
    username = (request.form.get("username") or "").strip()
    try:
        panels.remove_conflict(
            competition=competition, username=username, entry_id=form_int("entry_id"), by=current_user
        )
    except ServiceError as error:
        flash_refusal(_("The conflict was not removed: %(reason)s", reason=error_text(error)))
    else:
        flash(_("Conflict removed: %(who)s scores this entry again.", who=username), "success")
    return _back(competition_id)
