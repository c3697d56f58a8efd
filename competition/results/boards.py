"""The organizer's leaderboard (live and provisional while scoring, refreshed by a small poller), the public
results page (公示, no log-in) and the results workbook."""

from __future__ import annotations

from datetime import datetime

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..args import int_arg
from ..clock import local_today, local_zone
from ..competitions.words import STATUS_ICONS
from ..downloads import xlsx_response
from ..enums import CompetitionStatus, RoundMode
from ..labels import STATUS_LABELS
from ..permissions import can_manage_competition, managed_competition, require, results_competition
from ..services import result_exports, result_pages, results
from . import bp


def _run_competition(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    require(can_manage_competition(current_user, competition))
    return competition


def _score(value: float | None, decimals: int) -> str:
    """A round or final score with the competition's decimals (already rounded half-up by the engine)."""
    return "" if value is None else f"{value:.{decimals}f}"


def _total(value: float | None) -> str:
    """A judge's total, kept in tenths of a point."""
    return "" if value is None else f"{value:.1f}"


# What a judge's total in a round became, in words (the board also strikes the dropped ones through).
CELL_WORDS = {
    result_pages.DROPPED_HIGH: _l("Highest score dropped"),
    result_pages.DROPPED_LOW: _l("Lowest score dropped"),
    result_pages.MISSING: _l("Not submitted yet"),
    result_pages.RECUSED: _l("Recused"),
}


def _words() -> dict:
    return {
        "score": _score,
        "total": _total,
        "cell_words": CELL_WORDS,
        "cells": result_pages,
        "status_labels": STATUS_LABELS,
        "status_icons": STATUS_ICONS,
    }


@bp.get("/<int:competition_id>/")
@login_required
def leaderboard(competition_id: int):
    competition = _run_competition(competition_id)
    group = results.group_of(competition, int_arg("group_id", lenient=True))
    board = result_pages.board(competition, group)
    template = "results/_board.html" if request.args.get("partial") else "results/leaderboard.html"
    return render_template(
        template,
        competition=competition,
        board=board,
        scoring_started=competition.status in (CompetitionStatus.SCORING, CompetitionStatus.PUBLISHED),
        has_live_round=any(r.mode == RoundMode.LIVE for r in competition.rounds),
        updated_at=datetime.now(local_zone()).strftime("%H:%M:%S"),
        **_words(),
    )


@bp.get("/<int:competition_id>/public")
def public(competition_id: int):
    """Anyone, without an account, once published; before that a 404 (403 for those who see the competition),
    and a note for those who run it."""
    competition = results_competition(competition_id, current_user)
    shown = result_pages.public_results(competition)
    return render_template(
        "results/public.html", competition=competition, shown=shown, today=local_today(), **_words()
    )


@bp.get("/<int:competition_id>/results.xlsx")
@login_required
def export(competition_id: int):
    competition = _run_competition(competition_id)
    data, filename = result_exports.results_workbook(competition, with_sheets=True)
    return xlsx_response(data, filename)
