"""Results and the live screen (API.md, Results and live screen): leaderboards, the big screen's poll, its
secret link, certificates and their public verification, the results workbook."""

from __future__ import annotations

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..args import int_arg
from ..database import is_db_int
from ..downloads import pdf_response, xlsx_response
from ..errors import Forbidden, NotFound, Unauthorized
from ..extensions import db
from ..models import Certificate, Competition
from ..permissions import (
    can_get_certificate,
    can_manage_competition,
    can_see_results,
    managed_competition,
    require,
    results_competition,
    visible_entry,
)
from ..services import certificates, live, publication, result_exports, results, stage
from . import bp


def _readable_competition(competition_id: int) -> Competition:
    """The competition whose results are asked for (``results_competition``); an anonymous caller is asked to
    log in (401) while the results are unpublished, as at every other endpoint that needs an account."""
    if not current_user.is_authenticated:
        competition = db.session.get(Competition, competition_id) if is_db_int(competition_id) else None
        if competition is not None and not can_see_results(current_user, competition):
            raise Unauthorized(_("Log in first."))
    return results_competition(competition_id, current_user)


@bp.get("/competitions/<int:competition_id>/results")
def group_results(competition_id: int):
    competition = _readable_competition(competition_id)
    group = results.group_of(competition, int_arg("group_id"))
    runs_it = current_user.is_authenticated and can_manage_competition(current_user, competition)
    return jsonify(results.results_for(competition, group, runs_it=runs_it))


@bp.get("/competitions/<int:competition_id>/results.xlsx")
def results_workbook(competition_id: int):
    competition = _readable_competition(competition_id)
    runs_it = current_user.is_authenticated and can_manage_competition(current_user, competition)
    data, filename = result_exports.results_workbook(competition, with_sheets=runs_it)
    return xlsx_response(data, filename)


# --- the big screen -----------------------------------------------------------------------------------------


@bp.get("/competitions/<int:competition_id>/live")
def live_state(competition_id: int):
    """The big screen's poll. With the group's secret ``token`` no account is needed, and an unchanged state
    is answered 304 from one row read without the ORM; without a token, organizers only."""
    group_id = int_arg("group_id")
    token = request.args.get("token")
    row = live.poll_row(competition_id, group_id) if group_id is not None else None
    if token is not None:
        if row is None or not row.admits(token):
            raise Forbidden(_("This screen link is not valid any more: ask the organizer for the new one."))
    else:
        if not current_user.is_authenticated:
            raise Unauthorized(_("Log in first."))
        managed_competition(competition_id, current_user)
    etag = row.etag if row is not None else "0-0"
    if etag in request.if_none_match:
        response = Response(status=304)
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        return response
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise NotFound(_("No such competition."))
    group = results.group_of(competition, group_id)
    state = stage.stage_of(competition, group.id)
    response = jsonify(live.live_state(competition, state, group.id))
    response.set_etag(etag if group_id is not None else f"{state.version if state else 0}-x")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _screen_link(competition_id: int, *, rotate: bool):
    competition = managed_competition(competition_id, current_user)
    group = results.group_of(competition, int_arg("group_id"))
    token = live.screen_token(competition, group, rotate=rotate, by=current_user)
    url = url_for(
        "results.screen", competition_id=competition.id, group_id=group.id, token=token, _external=True
    )
    return jsonify({"url": url, "group_id": group.id})


@bp.get("/competitions/<int:competition_id>/screen_link")
def screen_link(competition_id: int):
    if not current_user.is_authenticated:
        raise Unauthorized(_("Log in first."))
    return _screen_link(competition_id, rotate=False)


@bp.post("/competitions/<int:competition_id>/screen_link")
def rotate_screen_link(competition_id: int):
    if not current_user.is_authenticated:
        raise Unauthorized(_("Log in first."))
    return _screen_link(competition_id, rotate=True)


# --- certificates -------------------------------------------------------------------------------------------


@bp.get("/certificates/<serial>")
def verify_certificate(serial: str):
    certificate = publication.certificate_of(serial)
    if certificate is None:
        raise NotFound(_("No certificate has this serial number."))
    return jsonify(publication.certificate_dict(certificate))


@bp.get("/entries/<int:entry_id>/certificate.pdf")
def certificate_pdf(entry_id: int):
    if not current_user.is_authenticated:
        raise Unauthorized(_("Log in first."))
    entry = visible_entry(entry_id, current_user)
    require(can_get_certificate(current_user, entry))
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.entry_id == entry.id))
    if certificate is None:
        raise NotFound(_("This entry has no certificate: only awarded entries of published results do."))
    return pdf_response(certificates.render([certificate]), certificates.filename(certificate))
