"""Judging: panels and conflicts, a judge's queue and sheets, unlocking, paper sheets, progress, the stage."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..database import is_db_int
from ..enums import Role
from ..errors import NotFound
from ..extensions import db
from ..models import Entry, Round, User
from ..permissions import can_manage_competition, managed_competition, require, role_required
from ..services import panels, progress, sheets, stage
from ..services.judge_queue import judge_queue
from . import bp
from .common import json_body
from .serialise import sheet_dict


def _round_and_entry(round_id: int, entry_id: int) -> tuple[Round, Entry]:
    """A round and an entry of the same competition that the user runs (404 otherwise, 403 for others)."""
    round_ = db.session.get(Round, round_id) if is_db_int(round_id) else None
    entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
    if round_ is None or entry is None or round_.competition_id != entry.competition_id:
        raise NotFound(_("No such sheet."))
    competition = managed_competition(entry.competition_id, current_user)
    require(can_manage_competition(current_user, competition))
    return round_, entry


def _judge_of(entry: Entry, username: str) -> User:
    user = db.session.scalar(db.select(User).where(db.func.lower(User.username) == username.lower()))
    if user is None or not user.has_role(Role.JUDGE):
        raise NotFound(_("No such judge."))
    return user


# --- panels -------------------------------------------------------------------------------------------------


@bp.post("/competitions/<int:competition_id>/judges")
@login_required
def assign_judge(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    body = json_body()
    result = panels.assign_judge(
        competition=competition,
        username=body.get("username"),
        group_ids=body.get("group_ids"),
        by=current_user,
    )
    return jsonify(result)


@bp.get("/competitions/<int:competition_id>/judges")
@login_required
def list_judges(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    panel = panels.load_panel(competition)
    return jsonify(
        [
            {
                "username": j.username,
                "display_name": j.display_name,
                "group_id": j.group_id,
                "seat": j.seat,
                "entries": len(panel.scored_by(j)),
                "recused": [
                    {"entry_id": r.entry_id, "reason": r.reason, "note": r.note}
                    for r in panel.recusals_of(j).values()
                ],
            }
            for j in sorted(panel.judges, key=lambda j: (j.group_id, j.seat))
        ]
    )


@bp.post("/competitions/<int:competition_id>/conflicts")
@login_required
def declare_conflict(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    body = json_body()
    result = panels.declare_conflict(
        competition=competition,
        username=body.get("username"),
        entry_id=body.get("entry_id"),
        reason=body.get("reason") or "",
        by=current_user,
    )
    return jsonify(result)


# --- the judge's own ----------------------------------------------------------------------------------------


@bp.get("/judge/assignments")
@role_required(Role.JUDGE)
def my_assignments():
    return jsonify(judge_queue(current_user)["items"])


@bp.get("/judge/queue")
@role_required(Role.JUDGE)
def my_queue():
    return jsonify(judge_queue(current_user))


@bp.get("/judge/stage")
@role_required(Role.JUDGE)
def my_stage():
    """What is on stage in the judge's groups; polled every few seconds, so an unchanged answer is a 304."""
    stages = stage.judge_stages(current_user.id)
    response = jsonify({"stages": stages})
    response.set_etag("-".join(f"{s['group_id']}.{s['version']}" for s in stages) or "none")
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


@bp.get("/rounds/<int:round_id>/entries/<int:entry_id>/sheet")
@role_required(Role.JUDGE)
def read_sheet(round_id: int, entry_id: int):
    answer = sheets.read_sheet(judge=current_user, round_id=round_id, entry_id=entry_id)
    return jsonify(sheet_dict(answer))


@bp.put("/rounds/<int:round_id>/entries/<int:entry_id>/sheet")
@role_required(Role.JUDGE)
def save_sheet(round_id: int, entry_id: int):
    body = json_body()
    answer = sheets.save_sheet(
        judge=current_user,
        round_id=round_id,
        entry_id=entry_id,
        scores=body.get("scores"),
        submit=body.get("submit", False),
        client_token=body.get("client_token"),
    )
    return jsonify({"status": answer.status, "total": float(answer.total)})


# --- the organizer's ----------------------------------------------------------------------------------------


@bp.post("/rounds/<int:round_id>/entries/<int:entry_id>/sheets/<username>/unlock")
@login_required
def unlock_sheet(round_id: int, entry_id: int, username: str):
    round_, entry = _round_and_entry(round_id, entry_id)
    judge = _judge_of(entry, username)
    sheets.unlock_sheet(
        round_=round_, entry=entry, judge=judge, reason=json_body().get("reason"), by=current_user
    )
    return jsonify(
        {"status": "draft", "username": judge.username, "round_id": round_id, "entry_id": entry_id}
    )


@bp.put("/rounds/<int:round_id>/entries/<int:entry_id>/sheets/<username>")
@login_required
def enter_paper_sheet(round_id: int, entry_id: int, username: str):
    """The paper fallback: an organizer submits a judge's sheet for them (marked so in the audit log)."""
    round_, entry = _round_and_entry(round_id, entry_id)
    judge = _judge_of(entry, username)
    body = json_body()
    answer = sheets.save_sheet(
        judge=judge,
        round_id=round_.id,
        entry_id=entry.id,
        scores=body.get("scores"),
        submit=True,
        client_token=body.get("client_token"),
        entered_by=current_user,
    )
    return jsonify({"status": answer.status, "total": float(answer.total)})


@bp.get("/competitions/<int:competition_id>/progress")
@login_required
def show_progress(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    return jsonify([item.to_dict() for item in progress.progress(competition)])


@bp.post("/competitions/<int:competition_id>/stage")
@login_required
def set_stage(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    body = json_body()
    state = stage.set_stage(
        competition=competition,
        group_id=body.get("group_id"),
        round_id=body.get("round_id"),
        entry_id=body.get("entry_id"),
        screen=body.get("screen", "scoring"),
        by=current_user,
    )
    return jsonify(stage.stage_dict(competition, state))
