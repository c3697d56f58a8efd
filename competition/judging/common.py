"""What every judging page does first: load the competition the user runs (404 outside their scope, 403
for a role that may not run it), and read whole numbers from a form."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from ..database import is_db_int
from ..models import Competition
from ..permissions import can_manage_competition, managed_competition, require
from . import bp
from .words import judging_words


@bp.context_processor
def _words() -> dict:
    return judging_words()


def run_competition(competition_id: int) -> Competition:
    competition = managed_competition(competition_id, current_user)
    require(can_manage_competition(current_user, competition))
    return competition


def form_int(name: str) -> int | None:
    value = (request.form.get(name) or "").strip()
    number = int(value) if value.isdigit() else None
    return number if is_db_int(number) else None


def form_ints(name: str) -> list[int]:
    values = [v.strip() for v in request.form.getlist(name)]
    return [int(v) for v in values if v.isdigit() and is_db_int(int(v))]
