"""The live console (现场控制台): put the next contestant on stage, switch what the big screen shows (待上场,
评分中, 亮分, 前十名), and make or replace the group's big-screen link."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import int_arg
from ..errors import ServiceError
from ..feedback import error_text, flash_refusal
from ..services import live_console, stage
from . import bp
from .common import form_int, run_competition
from .words import SCREEN_LABELS


@bp.get("/<int:competition_id>/console")
@login_required
def show_console(competition_id: int):
    competition = run_competition(competition_id)
    view = live_console.console(
        competition, group_id=int_arg("group_id", lenient=True), round_id=int_arg("round_id", lenient=True)
    )
    return render_template("judging/console.html", competition=competition, view=view)


@bp.get("/<int:competition_id>/console/state")
@login_required
def console_state(competition_id: int):
    competition = run_competition(competition_id)
    state = live_console.console_state(
        competition, group_id=int_arg("group_id", lenient=True), round_id=int_arg("round_id", lenient=True)
    )
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:competition_id>/console/stage")
@login_required
def set_stage(competition_id: int):
    competition = run_competition(competition_id)
    group_id, round_id, entry_id = form_int("group_id"), form_int("round_id"), form_int("entry_id")
    screen = request.form.get("screen") or "scoring"
    try:
        state = stage.set_stage(
            competition=competition,
            group_id=group_id,
            round_id=round_id,
            entry_id=entry_id,
            screen=screen,
            by=current_user,
        )
    except ServiceError as error:
        flash_refusal(_("The stage was not changed: %(reason)s", reason=error_text(error)))
    else:
        on_stage = stage.stage_dict(competition, state)["on_stage"]
        if on_stage:
            message = _(
                "No. %(no)s is on stage; the screen shows “%(screen)s”.",
                no=on_stage["draw_no"],
                screen=SCREEN_LABELS[state.screen],
            )
        else:
            message = _("Nobody is on stage.")
        flash(message, "success")
    return _back(competition_id, group_id, round_id)


def _back(competition_id: int, group_id: int | None, round_id: int | None):
    return redirect(
        url_for(".show_console", competition_id=competition_id, group_id=group_id, round_id=round_id)
    )


@bp.post("/<int:competition_id>/console/screen_link")
@login_required
def make_screen_link(competition_id: int):
    """Make the group's big-screen link (the console shows it once it exists; showing never makes it)."""
    competition = run_competition(competition_id)
    group_id, round_id = form_int("group_id"), form_int("round_id")
    group, _token = live_console.screen_link(competition, group_id=group_id, rotate=False, by=current_user)
    flash(
        _("The big-screen link of %(group)s is ready: open it on the screen's computer.", group=group.name),
        "success",
    )
    return _back(competition_id, group_id, round_id)


@bp.post("/<int:competition_id>/console/screen_link/rotate")
@login_required
def rotate_screen_link(competition_id: int):
    """Replace the group's big-screen link: the old one is refused from now on."""
    competition = run_competition(competition_id)
    group_id, round_id = form_int("group_id"), form_int("round_id")
    group, _token = live_console.screen_link(competition, group_id=group_id, rotate=True, by=current_user)
    flash(
        _(
            "The big-screen link of %(group)s was changed: the old link no longer works. "
            "Open the new one on the screen.",
            group=group.name,
        ),
        "success",
    )
    return _back(competition_id, group_id, round_id)
