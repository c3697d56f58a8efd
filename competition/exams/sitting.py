"""The written test on a staff member's phone: the start page with the rules, the sitting page (the paper is
rendered on the server; static/js/exam.js makes it one question per screen and saves each choice through the
API), the form that saves and hands in without JavaScript, and the receipt.

Every page loads through the parent (the round, then the competition the user may see: 404), checks the
user (an approved entrant: 403; another person's attempt: 404), calls one service and renders.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..api import bp as api_bp
from ..database import is_db_int
from ..domain import exam
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..feedback import error_text, flash_refusal
from ..models import ExamAttempt, Round
from ..permissions import visible_competition
from ..services import exams as service
from . import bp
from .sitting_facts import (
    exam_links,
    moment,
    paper_points,
    points_text,
    rules_of,
    score_text,
    standing_of,
    type_words,
)
from .sitting_words import words

# --- loading ----------------------------------------------------------------------------------------------


def _exam_round(round_id: int) -> Round:
    """The exam round of a competition the user sees (404 otherwise)."""
    round_ = db.session.get(Round, round_id) if is_db_int(round_id) else None
    if round_ is None or not round_.is_exam:
        raise NotFound(_("No such written test."))
    visible_competition(round_.competition_id, current_user)
    return round_


def _own_attempt(attempt_id: int) -> ExamAttempt:
    """The user's own attempt, marked if its deadline has passed; anyone else's is a 404 (not a 403)."""
    attempt = db.session.get(ExamAttempt, attempt_id) if is_db_int(attempt_id) else None
    if attempt is None or attempt.user_id != current_user.id:
        raise NotFound(_("No such attempt."))
    return service.close_if_expired(attempt, service.utcnow())


@bp.app_context_processor
def _links():
    """``exam_links(entries)`` for the staff member's entry page and home: their written tests and state."""
    return {"exam_links": exam_links, "exam_score": score_text, "exam_points": points_text}


# --- the start page ---------------------------------------------------------------------------------------


@bp.get("/<int:round_id>/")
@login_required
def start_page(round_id: int):
    round_ = _exam_round(round_id)
    entry = service.entrant_entry(round_, current_user)
    if entry is None:
        raise Forbidden(_("Only entrants whose entry is approved can sit this test."))
    now = service.utcnow()
    return render_template(
        "exams/start.html",
        round_=round_,
        competition=round_.competition,
        entry=entry,
        standing=standing_of(round_, entry, now),
        rules=rules_of(round_, now),
        now=now,
    )


@bp.post("/<int:round_id>/start")
@login_required
def start_attempt(round_id: int):
    """开始答题 (or 继续答题): the attempt in progress, or a new one with a paper drawn for this person."""
    round_ = _exam_round(round_id)
    try:
        attempt, _created = service.start_attempt(round_=round_, user=current_user, now=service.utcnow())
    except Conflict as error:
        flash_refusal(error_text(error))
        return redirect(url_for(".start_page", round_id=round_.id))
    return redirect(url_for(".sitting_page", attempt_id=attempt.id))


# --- the sitting page -------------------------------------------------------------------------------------


def _api(path: str) -> str:
    return f"{request.script_root}{api_bp.url_prefix}{path}"


@bp.get("/attempts/<int:attempt_id>")
@login_required
def sitting_page(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted:
        return redirect(url_for(".receipt_page", attempt_id=attempt.id))
    round_ = attempt.round
    questions = service.phone_paper(attempt)
    saved = service.saved_keys(attempt)
    now = service.utcnow()
    seconds = exam.seconds_left(now, attempt.deadline)
    config = {
        "attempt": attempt.id,
        "user": current_user.username,
        "csrf": generate_csrf(),
        "seconds_left": seconds,
        "decimals": round_.competition.decimals,
        "saved": saved,
        "urls": {
            "answers": _api(f"/attempts/{attempt.id}/answers"),
            "submit": _api(f"/attempts/{attempt.id}/submit"),
            "attempt": _api(f"/attempts/{attempt.id}"),
            "csrf": url_for("api.csrf_token"),
            "heartbeat": url_for("main.healthz"),
            "receipt": url_for(".receipt_page", attempt_id=attempt.id),
            "login": url_for("auth.login", next=url_for(".sitting_page", attempt_id=attempt.id)),
        },
        "words": words(),
    }
    return render_template(
        "exams/sit.html",
        attempt=attempt,
        round_=round_,
        questions=questions,
        saved=saved,
        deadline=moment(attempt.deadline, now),
        points=paper_points(round_),
        type_words=type_words(),
        config=config,
    )


@bp.post("/attempts/<int:attempt_id>")
@login_required
def hand_in(attempt_id: int):
    """The paper's own form, for a phone without JavaScript: save every answer shown, then 交卷 when asked.
    After the deadline nothing is saved: the attempt is marked as the server held it."""
    attempt = _own_attempt(attempt_id)
    if attempt.submitted:
        return redirect(url_for(".receipt_page", attempt_id=attempt.id))
    answers = {str(q["id"]): request.form.getlist(f"q{q['id']}") for q in service.phone_paper(attempt)}
    now = service.utcnow()
    try:
        service.save_answers(attempt=attempt, answers=answers, by=current_user, now=now)
    except Conflict:  # the deadline passed while the page was open: mark what was saved before it
        service.submit_attempt(attempt=attempt, by=current_user, now=now)
        flash(_("Time is up: the test was handed in with the answers saved before the deadline."), "warning")
        return redirect(url_for(".receipt_page", attempt_id=attempt.id))
    except ValidationFailed as error:
        flash_refusal(error_text(error))
        return redirect(url_for(".sitting_page", attempt_id=attempt.id))
    if request.form.get("action") == "submit":
        service.submit_attempt(attempt=attempt, by=current_user, now=now)
        return redirect(url_for(".receipt_page", attempt_id=attempt.id))
    flash(_("Your answers are saved. Hand in the test before the time is up."), "success")
    return redirect(url_for(".sitting_page", attempt_id=attempt.id))


# --- the receipt ------------------------------------------------------------------------------------------


@bp.get("/attempts/<int:attempt_id>/receipt")
@login_required
def receipt_page(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if not attempt.submitted:
        return redirect(url_for(".sitting_page", attempt_id=attempt.id))
    round_ = attempt.round
    now = service.utcnow()
    reveal = round_.exam_show_answers and now >= round_.exam_closes
    entry = service.entrant_entry(round_, current_user)
    return render_template(
        "exams/done.html",
        attempt=attempt,
        round_=round_,
        competition=round_.competition,
        standing=standing_of(round_, entry, now) if entry else None,
        questions=service.phone_paper(attempt) if reveal else [],
        saved=service.saved_keys(attempt),
        key=service.answer_key(attempt) if reveal else {},
        reveal=reveal,
        points=paper_points(round_),
        type_words=type_words(),
    )
