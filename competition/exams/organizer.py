"""The organizer's question bank of an exam round (题库): by type and tag, import, template, clearing.

Only who runs the competition: the competition through ``managed_competition`` (404 out of scope, 403 for
a role that may not run it), the round through the competition (another competition's round is a 404).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..downloads import xlsx_response
from ..enums import CompetitionStatus, QuestionType
from ..errors import NotFound, ServiceError
from ..feedback import error_text, flash_refusal
from ..models import Competition, Round
from ..pagination import page_of, page_request, within
from ..permissions import can_manage_competition, managed_competition, require
from ..services import exam_bank
from . import bp
from .org_forms import BankImportForm, ClearBankForm
from .org_words import page_words, rule_lines, shortfall_sentences

UNTAGGED = "__none__"  # the tag filter's value for questions without a 分类


def exam_round(competition_id: int, round_id: int) -> tuple[Competition, Round]:
    """The competition the user runs and its exam round ``round_id`` (404 for any other round)."""
    competition = managed_competition(competition_id, current_user)
    require(can_manage_competition(current_user, competition))
    round_ = next((r for r in competition.rounds if r.id == round_id and r.is_exam), None)
    if round_ is None:
        raise NotFound(_("No such written test in this competition."))
    return competition, round_


def _filters() -> tuple[str | None, str | None]:
    type_ = request.args.get("type")
    tag = request.args.get("tag") or None
    return (type_ if type_ in set(QuestionType) else None), ("" if tag == UNTAGGED else tag)


def _bank_page(competition: Competition, round_: Round, form, *, error=None, filename=None, confirm=False):
    type_, tag = _filters()
    overview = exam_bank.bank_overview(round_, type_=type_, tag=tag)
    page = within(page_request(request.args), overview.total)
    shown = overview.questions[page.offset : page.offset + page.per_page]
    return render_template(
        "exams/bank.html",
        competition=competition,
        round=round_,
        overview=overview,
        page=page_of(shown, overview.total, page),
        bank_total=sum(overview.by_type.values()),
        lines=rule_lines(round_, overview.by_type),
        shortfall=shortfall_sentences(round_, overview.shortfall, overview.by_type),
        filter_type=type_,
        filter_tag=UNTAGGED if tag == "" else tag,
        untagged=UNTAGGED,
        form=form,
        clear_form=ClearBankForm(),
        confirm_clear=confirm,
        may_change=competition.status != CompetitionStatus.PUBLISHED,
        error=error,
        filename=filename,
        option_texts=exam_bank.option_texts,
        **page_words(),
    )


@bp.route("/<int:competition_id>/rounds/<int:round_id>/bank", methods=["GET", "POST"], endpoint="bank")
@login_required
def show_bank(competition_id: int, round_id: int):
    competition, round_ = exam_round(competition_id, round_id)
    form = BankImportForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return _bank_page(competition, round_, form), status
    upload = form.file.data
    try:
        result = exam_bank.import_bank_file(
            round_=round_, data=upload.read(), filename=upload.filename or "", by=current_user
        )
    except exam_bank.BankRejected as rejected:  # nothing written: a 422 rolls the request back
        return _bank_page(competition, round_, form, error=rejected, filename=upload.filename), 422
    except ServiceError as refused:
        flash_refusal(error_text(refused))
        return redirect(url_for(".bank", competition_id=competition.id, round_id=round_.id))
    flash(
        _("%(n)d questions imported; the bank now holds %(total)d.", n=result.created, total=result.total),
        "success",
    )
    return redirect(url_for(".bank", competition_id=competition.id, round_id=round_.id))


@bp.get("/<int:competition_id>/rounds/<int:round_id>/bank/template", endpoint="bank_template")
@login_required
def bank_template(competition_id: int, round_id: int):
    exam_round(competition_id, round_id)
    return xlsx_response(exam_bank.bank_template(), "题库模板.xlsx")


@bp.route(
    "/<int:competition_id>/rounds/<int:round_id>/bank/clear", methods=["GET", "POST"], endpoint="clear_bank"
)
@login_required
def clear_bank(competition_id: int, round_id: int):
    """GET asks (the bank page with the confirmation on top); POST empties the bank."""
    competition, round_ = exam_round(competition_id, round_id)
    back = url_for(".bank", competition_id=competition.id, round_id=round_.id)
    if request.method == "GET":
        return _bank_page(competition, round_, BankImportForm(formdata=None), confirm=True)
    if not ClearBankForm().validate_on_submit():
        flash_refusal(_("The form has expired. Try again."))
        return redirect(back)
    try:
        deleted = exam_bank.clear_bank(round_=round_, by=current_user)
    except ServiceError as refused:
        flash_refusal(error_text(refused))
        return redirect(back)
    flash(_("The question bank was emptied: %(n)d questions deleted.", n=deleted), "success")
    return redirect(back)


from . import org_pages  # noqa: E402, F401  (the progress and analysis pages register their routes)
