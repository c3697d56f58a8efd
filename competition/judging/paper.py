"""Paper sheets (纸质评分): one sheet entered for a judge, the round's Excel template, and its import."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import int_arg
from ..downloads import xlsx_response
from ..errors import Conflict, ValidationFailed
from ..feedback import error_text, flash_refusal
from ..services import paper_sheets, uploads
from ..transaction import discard
from . import bp
from .common import form_int, run_competition


def _desk_page(competition, *, round_, username, entry_id=None, values=None, error=None, status=200):
    desk = paper_sheets.desk(competition, round_=round_, username=username)
    at_fields = {"entry_id", *(f"scores.{c.id}" for c in round_.criteria)}
    errors, summary = {}, [error.message] if error else []
    for detail in error.details if error else []:
        if detail.get("field") in at_fields:
            errors.setdefault(detail["field"], detail["message"])
        elif detail["message"] not in summary:
            summary.append(detail["message"])
    return render_template(
        "judging/paper.html",
        competition=competition,
        round=round_,
        desk=desk,
        entry_id=entry_id,
        values=values or {},
        error=" ".join(summary) or None,
        errors=errors,
    ), status


def _round(competition, round_id):
    if round_id is None and competition.judged_rounds:
        return competition.judged_rounds[0]
    return paper_sheets.paper_round(competition, round_id)


@bp.get("/<int:competition_id>/paper")
@login_required
def paper_page(competition_id: int):
    competition = run_competition(competition_id)
    round_ = _round(competition, int_arg("round_id", lenient=True))
    return _desk_page(
        competition,
        round_=round_,
        username=(request.args.get("judge") or "").strip() or None,
        entry_id=int_arg("entry_id", lenient=True),
    )


@bp.post("/<int:competition_id>/paper/sheet")
@login_required
def enter_sheet(competition_id: int):
    competition = run_competition(competition_id)
    round_ = paper_sheets.paper_round(competition, form_int("round_id"))
    username = (request.form.get("judge") or "").strip()
    entry_id = form_int("entry_id")
    scores = {str(c.id): request.form.get(f"score-{c.id}", "") for c in round_.criteria}
    try:
        answer = paper_sheets.enter_sheet(
            competition=competition,
            round_=round_,
            username=username,
            entry_id=entry_id,
            scores=scores,
            by=current_user,
        )
    except (ValidationFailed, Conflict) as error:
        discard()
        status = 422 if isinstance(error, ValidationFailed) else 409
        return _desk_page(
            competition,
            round_=round_,
            username=username,
            entry_id=entry_id,
            values=scores,
            error=error,
            status=status,
        )
    flash(
        _(
            "The sheet is submitted for %(judge)s (total %(total)s) and marked as entered by you.",
            judge=username,
            total=answer.total,
        ),
        "success",
    )
    return redirect(url_for(".paper_page", competition_id=competition.id, round_id=round_.id, judge=username))


@bp.get("/<int:competition_id>/paper/<int:round_id>/template.xlsx")
@login_required
def paper_template(competition_id: int, round_id: int):
    competition = run_competition(competition_id)
    round_ = paper_sheets.paper_round(competition, round_id)
    data = paper_sheets.template_workbook(competition, round_)
    return xlsx_response(data, f"paper-sheets-{competition.id}-{round_.id}.xlsx")


def _purpose(competition_id: int, round_id: int) -> str:
    return f"paper:{competition_id}:{round_id}"


@bp.post("/<int:competition_id>/paper/import")
@login_required
def import_paper(competition_id: int):
    competition = run_competition(competition_id)
    round_ = paper_sheets.paper_round(competition, form_int("round_id"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash_refusal(_("Choose the filled-in template to import."))
        return redirect(url_for(".paper_page", competition_id=competition.id, round_id=round_.id))
    data, filename = upload.read(), upload.filename
    result, refused = _import(competition, round_, data, filename, dry_run=True)
    if refused is not None:
        return refused
    token = uploads.stash(
        data, filename=filename, owner_id=current_user.id, purpose=_purpose(competition.id, round_.id)
    )
    return render_template(
        "judging/paper_preview.html",
        competition=competition,
        round=round_,
        result=result,
        token=token,
        filename=filename,
    )


def _import(competition, round_, data: bytes, filename: str, *, dry_run: bool):
    """The import checked (``dry_run``) or done: (its result, None), or (None, the answer to its refusal)."""
    try:
        result = paper_sheets.import_paper_sheets(
            competition=competition,
            round_=round_,
            data=data,
            filename=filename,
            dry_run=dry_run,
            by=current_user,
        )
    except ValidationFailed as error:
        return None, _import_failed(competition, round_, error, filename)
    except Conflict as error:
        flash_refusal(error_text(error))
        return None, redirect(url_for(".paper_page", competition_id=competition.id, round_id=round_.id))
    return result, None


def _import_failed(competition, round_, error, filename):
    discard()
    desk = paper_sheets.desk(competition, round_=round_, username=None)
    return render_template(
        "judging/paper.html",
        competition=competition,
        round=round_,
        desk=desk,
        entry_id=None,
        values={},
        error=None,
        errors={},
        import_error=error,
        filename=filename,
    ), 422


@bp.post("/<int:competition_id>/paper/import/confirm")
@login_required
def confirm_paper_import(competition_id: int):
    competition = run_competition(competition_id)
    round_ = paper_sheets.paper_round(competition, form_int("round_id"))
    token = request.form.get("token") or ""
    stashed = uploads.load(token, owner_id=current_user.id, purpose=_purpose(competition.id, round_.id))
    if stashed is None:
        flash(_("That preview has expired. Upload the file again."), "warning")
        return redirect(url_for(".paper_page", competition_id=competition.id, round_id=round_.id))
    data, filename = stashed
    result, refused = _import(competition, round_, data, filename, dry_run=False)
    if refused is not None:
        return refused
    uploads.discard(token)
    flash(
        _("%(n)d paper sheets are submitted, each marked as entered by you.", n=len(result.sheets)),
        "success",
    )
    return redirect(url_for(".paper_page", competition_id=competition.id, round_id=round_.id))
