"""Written tests (API.md, Written tests): an exam round's question bank, sitting a paper, item analysis.

The organizer's endpoints load the round through its competition (404 out of sight, 403 for those who do not
run it); an attempt is loaded through ``exams.attempt_for`` (404 for anyone but its owner and those who run
the competition), and only its owner may answer or hand it in. The clock is the services' (``exams.utcnow``),
so the deadline the phone is told is the one the server enforces.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..database import is_db_int
from ..domain.exam import seconds_left
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..models import ExamAttempt, Round
from ..permissions import managed_competition, visible_competition
from ..services import exam_analysis, exam_bank, exams
from ..services.exam_results import window_closed
from . import bp
from .common import json_body, uploaded_file


def _round(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id) if is_db_int(round_id) else None
    if round_ is None:
        raise NotFound(_("No such round."))
    return round_


def _managed_exam_round(round_id: int) -> Round:
    """An exam round of a competition the caller runs: 404 out of sight, 403 not theirs, 409 judged."""
    round_ = _round(round_id)
    managed_competition(round_.competition_id, current_user)
    if not round_.is_exam:
        raise Conflict(
            _("This round is judged, not a written test: it has no question bank."), code="not_exam"
        )
    return round_


def _attempt(attempt_id: int) -> ExamAttempt:
    """The attempt for its owner or those who run the competition (404 for anyone else); marked when its
    deadline has passed."""
    if not is_db_int(attempt_id):
        raise NotFound(_("No such attempt."))
    return exams.attempt_for(attempt_id, current_user)


def _own_attempt(attempt_id: int) -> ExamAttempt:
    """The caller's own attempt: those who run the competition see it but may not answer for the entrant."""
    attempt = _attempt(attempt_id)
    if attempt.user_id != current_user.id:
        raise Forbidden(_("Only the person sitting this test can answer it or hand it in."))
    return attempt


def _question_dict(question) -> dict:
    return {
        "id": question.id,
        "type": question.type,
        "text": question.text,
        "options": list(question.options),
        "answer": list(question.answer),
        "tag": question.tag,
    }


# --- the bank (who runs the competition) --------------------------------------------------------------------


@bp.post("/rounds/<int:round_id>/questions")
@login_required
def import_questions(round_id: int):
    """JSON ``{"questions": [...]}`` or a multipart ``file`` (.xlsx/.csv); all or nothing."""
    round_ = _managed_exam_round(round_id)
    if request.mimetype == "multipart/form-data" or request.files:
        upload = uploaded_file()
        result = exam_bank.import_bank_file(
            round_=round_, data=upload.read(), filename=upload.filename, by=current_user
        )
    else:
        items = json_body().get("questions")
        result = exam_bank.import_bank_json(round_=round_, items=items, by=current_user)
    return jsonify({"created": result.created, "total": result.total})


@bp.get("/rounds/<int:round_id>/questions")
@login_required
def list_questions(round_id: int):
    round_ = _managed_exam_round(round_id)
    return jsonify([_question_dict(q) for q in exam_bank.bank_overview(round_).questions])


@bp.get("/rounds/<int:round_id>/item_analysis")
@login_required
def item_analysis(round_id: int):
    round_ = _managed_exam_round(round_id)
    return jsonify([exam_analysis.item_dict(row) for row in exam_analysis.item_analysis_for(round_)])


# --- sitting (the entrant) ----------------------------------------------------------------------------------


@bp.post("/rounds/<int:round_id>/attempts")
@login_required
def start_attempt(round_id: int):
    """201 a new attempt or 200 the one in progress (the same paper): the questions with their options under
    the displayed keys, never an answer; ``saved`` holds the answers saved so far, as keys."""
    round_ = _round(round_id)
    visible_competition(round_.competition_id, current_user)
    attempt, created = exams.start_attempt(round_=round_, user=current_user)
    item = exams.attempt_dict(attempt, exams.utcnow())
    item.update(questions=exams.phone_paper(attempt), saved=exams.saved_keys(attempt))
    return jsonify(item), 201 if created else 200


@bp.put("/attempts/<int:attempt_id>/answers")
@login_required
def save_answers(attempt_id: int):
    """Merge answers into what is saved; ``seconds_left`` lets the phone correct its countdown."""
    attempt = _own_attempt(attempt_id)
    saved = exams.save_answers(attempt=attempt, answers=json_body().get("answers"), by=current_user)
    return jsonify({"saved": saved, "seconds_left": seconds_left(exams.utcnow(), attempt.deadline)})


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int):
    attempt = exams.submit_attempt(attempt=_own_attempt(attempt_id), by=current_user)
    return jsonify(exams.attempt_dict(attempt, exams.utcnow()))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def show_attempt(attempt_id: int):
    """The attempt's state; its owner also gets the saved answers and, once the window has closed in a round
    that shows answers, the answer key of their paper."""
    attempt = _attempt(attempt_id)
    now = exams.utcnow()
    item = exams.attempt_dict(attempt, now)
    item["saved"] = exams.saved_keys(attempt)
    round_ = attempt.round
    if (
        attempt.user_id == current_user.id
        and attempt.submitted
        and round_.exam_show_answers
        and window_closed(round_, now)
    ):
        item["answer_key"] = exams.answer_key(attempt)
    return jsonify(item)
