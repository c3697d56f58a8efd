"""The big screen (大屏): a fixed 1920 × 1080 page that a kiosk opens by the group's secret link.

Who may open it: anyone holding the group's screen link (its ``token``, checked against the one row the poll
reads, so a rotated link is refused at once), or, without a token, a logged-in user who runs the competition
(to preview it). Anything else is a 403 page in the screen's own large style, legible on the hall's display.
The page itself only carries addresses and words; ``static/js/screen.js`` polls the live API and draws.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..args import int_arg
from ..errors import ServiceError
from ..extensions import db
from ..judging.words import SCREEN_LABELS
from ..models import Competition
from ..permissions import can_manage_competition, managed_competition, require
from ..services import live, results
from . import bp

POLL_MS = 1500  # every 1–2 s (UI.md)
MAX_BACKOFF_MS = 10000  # the longest wait between retries while the server cannot be reached


def _refused(status: int, message: str, *, log_in: bool = False):
    return render_template("results/screen.html", refused=message, log_in=log_in), status


def _token_competition(competition_id: int, group_id: int | None, token: str) -> Competition | None:
    """The competition whose group ``token`` opens, or None for a wrong, rotated or foreign token."""
    row = live.poll_row(competition_id, group_id) if group_id is not None else None
    if row is None or not row.admits(token):
        return None
    return db.session.get(Competition, competition_id)


@bp.get("/<int:competition_id>/screen")
def screen(competition_id: int):
    group_id = int_arg("group_id", lenient=True)
    token = request.args.get("token")
    invalid = _("This screen link is not valid any more: ask the organizer for the new one.")
    try:
        if token:
            competition = _token_competition(competition_id, group_id, token)
            if competition is None:
                return _refused(403, invalid)
        elif not current_user.is_authenticated:
            return _refused(403, invalid, log_in=True)
        else:
            competition = managed_competition(competition_id, current_user)
            require(can_manage_competition(current_user, competition))
        group = results.group_of(competition, group_id)
    except ServiceError as error:
        return _refused(error.status, error.message)
    live_url = url_for(
        "api.live_state",
        competition_id=competition.id,
        group_id=group.id,
        **({"token": token} if token else {}),
    )
    return render_template(
        "results/screen.html",
        competition=competition,
        group=group,
        live_url=live_url,
        poll_ms=POLL_MS,
        max_backoff_ms=MAX_BACKOFF_MS,
        words=_words(competition),
    )


def _words(competition: Competition) -> dict:
    """The screen's words for ``screen.js``; ``{no}``, ``{n}``, ``{of}`` are filled in there."""
    return {
        "screens": {str(key.value): str(label) for key, label in SCREEN_LABELS.items()},
        "no": _("No. %(no)s", no="{no}"),
        "seat": _("Seat %(n)s", n="{n}"),
        "submitted": _("Submitted"),
        "not_submitted": _("Not submitted"),
        "count": _("Submitted %(n)s/%(of)s", n="{n}", of="{of}"),
        "waiting": _("Waiting for the next contestant"),
        "high": _("Highest dropped"),
        "low": _("Lowest dropped"),
        "score": _("Score in this round"),
        "provisional": _("Provisional (submitted %(n)s/%(of)s)", n="{n}", of="{of}"),
        "no_score": _("No score"),
        "rank": _("Rank"),
        "draw": _("Draw no."),
        "points": _("Score"),
        "none_yet": _("Nobody has been revealed yet."),
        "stale": _("Connection lost: showing the last state, retrying."),
        "loading": _("Connecting…"),
        "decimals": competition.decimals,
    }
