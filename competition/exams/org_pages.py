"""The organizer's live progress of every exam round (答题进度) and a round's item analysis (试题分析)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..downloads import xlsx_response
from ..models import Competition
from ..pagination import page_of, page_request, within
from ..permissions import admin_university_ids, can_manage_competition, require, visible_competition
from ..services import exam_analysis, exam_results
from . import bp
from .org_analysis import (
    FILTERS,
    LOW_DISCRIMINATION,
    LOW_RATE,
    SORTS,
    analysis_lines,
    analysis_workbook,
    shown,
)
from .org_words import page_words, window_state
from .organizer import exam_round


def progress_scope(competition_id: int) -> tuple[Competition, set[int] | None]:
    """Who runs the competition sees every university; a university's union admin sees their own line of a
    competition they can see (a provincial one); anyone else is refused."""
    competition = visible_competition(competition_id, current_user)
    if can_manage_competition(current_user, competition):
        return competition, None
    mine = admin_university_ids(current_user)
    require(bool(mine))
    return competition, set(mine)


@bp.get("/<int:competition_id>/progress", endpoint="progress")
@login_required
def show_progress(competition_id: int):
    competition, universities = progress_scope(competition_id)
    now = exam_results.utcnow()  # the services' clock (tests move it there)
    items = exam_results.exam_progress(competition, university_ids=universities)
    template = "exams/_org_progress.html" if request.args.get("partial") else "exams/progress.html"
    return render_template(
        template,
        competition=competition,
        items=items,
        states={item.round.id: window_state(item.round, now) for item in items},
        own_only=universities is not None,
        manager=universities is None,
        **page_words(),
    )


def _choice(name: str, allowed, default: str) -> str:
    value = request.args.get(name, default)
    return value if value in allowed else default


@bp.get("/<int:competition_id>/rounds/<int:round_id>/analysis", endpoint="analysis")
@login_required
def show_analysis(competition_id: int, round_id: int):
    competition, round_ = exam_round(competition_id, round_id)
    now = exam_results.utcnow()
    closed = exam_results.window_closed(round_, now)
    progress = next(p for p in exam_results.exam_progress(competition) if p.round.id == round_.id)
    lines = analysis_lines(exam_analysis.item_analysis_for(round_)) if closed else []
    filter_, sort = _choice("filter", FILTERS, "all"), _choice("sort", SORTS, "position")
    descending = request.args.get("dir") == "desc"
    kept = shown(lines, filter_, sort, descending)
    page = within(page_request(request.args), len(kept))  # a bank of thousands stays a light page
    return render_template(
        "exams/analysis.html",
        competition=competition,
        round=round_,
        closed=closed,
        state=window_state(round_, now),
        progress=progress,
        page=page_of(kept[page.offset : page.offset + page.per_page], len(kept), page),
        counts={
            "all": len(lines),
            "low_rate": sum(1 for line in lines if line.low_rate),
            "low_disc": sum(1 for line in lines if line.low_disc),
        },
        filter=filter_,
        sort=sort,
        descending=descending,
        low_rate=int(LOW_RATE * 100),
        low_disc=LOW_DISCRIMINATION,
        **page_words(),
    )


@bp.get("/<int:competition_id>/rounds/<int:round_id>/analysis.xlsx", endpoint="analysis_export")
@login_required
def export_analysis(competition_id: int, round_id: int):
    competition, round_ = exam_round(competition_id, round_id)
    if not exam_results.window_closed(round_, exam_results.utcnow()):
        flash(_("The item analysis is available once the test has closed."), "warning")
        return redirect(url_for(".analysis", competition_id=competition.id, round_id=round_.id))
    lines = analysis_lines(exam_analysis.item_analysis_for(round_))
    return xlsx_response(analysis_workbook(lines), f"试题分析-{round_.name}.xlsx")
