"""The tablet page for judges and the service worker that keeps its shell for offline reloads."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..enums import Role
from ..permissions import role_required
from . import bp
from .words import tablet_words

_ROUND, _ENTRY = 918273645, 546372819  # stand-ins that url_for fills and the page replaces


def _sheet_url_pattern() -> str:
    """The sheet's API address with {round} and {entry} for the page to fill in."""
    url = url_for("api.read_sheet", round_id=_ROUND, entry_id=_ENTRY)
    return url.replace(str(_ROUND), "{round}").replace(str(_ENTRY), "{entry}")


@bp.get("/")
@role_required(Role.JUDGE)
def show_tablet():
    """One page: the queue, the sheet, the confirmation and the receipt are drawn by static/js/tablet.js."""
    config = {
        "user": current_user.username,
        "csrf": generate_csrf(),
        "urls": {
            "queue": url_for("api.my_queue"),
            "stage": url_for("api.my_stage"),
            "sheet": _sheet_url_pattern(),
            "csrf": url_for("api.csrf_token"),
            "heartbeat": url_for("main.healthz"),
            "login": url_for("auth.login", next=url_for(".show_tablet")),
            "sw": url_for(".service_worker"),
            "scope": url_for(".show_tablet"),
        },
        "words": tablet_words(),
    }
    return render_template("judge/tablet.html", config=config)


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from /judge/ so that its scope is the tablet page; never cached stale."""
    script = Path(current_app.static_folder, "js", "sw.js").read_bytes()
    response = Response(script, mimetype="text/javascript")
    response.add_etag()
    response.headers["Service-Worker-Allowed"] = url_for(".show_tablet")
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)
