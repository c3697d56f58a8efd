"""Home page: each role's to-do first (entries to decide, sheets to score, registrations), then the state
of the competitions and of the coverage, with links that open the filtered lists."""

from __future__ import annotations

from flask import render_template
from flask_babel import format_number
from flask_login import current_user, login_required

from ..clock import local_today
from ..competitions.words import STATUS_ICONS
from ..enums import CompetitionStatus
from ..labels import ENTRY_STATUS_BADGES, LEVEL_LABELS, STATUS_LABELS
from ..services import home
from . import bp


@bp.context_processor
def _words() -> dict:
    return {
        "num": format_number,  # 147,047: thousands separators in both languages
        "state_labels": STATUS_LABELS,
        "state_icons": STATUS_ICONS,
        "level_labels": LEVEL_LABELS,
        "entry_badges": ENTRY_STATUS_BADGES,
        "open_status": CompetitionStatus.REGISTRATION_OPEN,
        "published_status": CompetitionStatus.PUBLISHED,
        "shown": home.SHOWN,
    }


@bp.get("/")
@login_required
def index():
    return render_template("main/index.html", home=home.home_of(user=current_user, year=local_today().year))


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
