"""The progress page (评分进度), refreshed by a small poller, and reopening a submitted sheet (退回修改)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..enums import CompetitionStatus
from ..errors import Conflict, ValidationFailed
from ..feedback import error_text
from ..services import progress_page, sheets
from ..transaction import discard
from . import bp
from .common import run_competition


@bp.get("/<int:competition_id>/progress")
@login_required
def show_progress(competition_id: int):
    competition = run_competition(competition_id)
    boards = progress_page.progress_boards(competition)
    template = "judging/_boards.html" if request.args.get("partial") else "judging/progress.html"
    return render_template(template, competition=competition, boards=boards)


@bp.get("/<int:competition_id>/progress/<int:group_id>/<int:round_id>")
@login_required
def show_sheets(competition_id: int, group_id: int, round_id: int):
    competition = run_competition(competition_id)
    board = progress_page.sheet_grid(competition, group_id=group_id, round_id=round_id)
    return render_template("judging/sheets.html", competition=competition, b=board)


def _unlock_page(view, *, error=None, reason="", status=200):
    return render_template(
        "judging/unlock.html",
        competition=view.competition,
        view=view,
        submitted=progress_page.is_submitted(view),
        published=view.competition.status == CompetitionStatus.PUBLISHED,
        error=error,
        reason=reason,
    ), status


@bp.route(
    "/<int:competition_id>/rounds/<int:round_id>/entries/<int:entry_id>/sheets/<username>/unlock",
    methods=["GET", "POST"],
)
@login_required
def unlock_sheet(competition_id: int, round_id: int, entry_id: int, username: str):
    competition = run_competition(competition_id)
    view = progress_page.sheet_view(competition, round_id=round_id, entry_id=entry_id, username=username)
    if request.method == "GET":
        return _unlock_page(view)
    reason = request.form.get("reason") or ""
    try:
        sheets.unlock_sheet(
            round_=view.round, entry=view.entry_row, judge=view.judge, reason=reason, by=current_user
        )
    except ValidationFailed as error:
        discard()
        return _unlock_page(view, error=error_text(error), reason=reason, status=422)
    except Conflict as error:
        discard()
        return _unlock_page(view, error=error_text(error), reason=reason, status=409)
    flash(
        _(
            "The sheet of %(judge)s for No. %(no)s is a draft again; the judge reads your reason.",
            judge=view.judge.display_name,
            no=view.entry.draw_no,
        ),
        "success",
    )
    anchor = f"#board-{view.entry.group_id}-{view.round.id}"
    return redirect(url_for(".show_progress", competition_id=competition.id) + anchor)
