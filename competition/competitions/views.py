"""Competition pages: the list, set-up (from a template, blank or a copy), editing, detail, life cycle."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import choice_arg, int_arg
from ..clock import local_today
from ..domain import lifecycle
from ..domain.pinyin_order import by_pinyin
from ..enums import CompetitionKind, CompetitionLevel, CompetitionStatus
from ..errors import Conflict, ServiceError, ValidationFailed
from ..feedback import error_text, flash_refusal
from ..models import Competition
from ..pagination import PageRequest
from ..permissions import (
    can_decide,
    can_manage_competition,
    can_see_entries,
    can_set_up_competitions,
    is_organizer,
    managed_competition,
    owned_universities,
    require,
    visible_competition,
    visible_universities,
)
from ..services import competition_templates, competitions, entries, progress, result_pages
from . import bp, formdata
from .entries import quota_words
from .words import NEXT_STEP, STATUS_LABELS, TRANSITION_DONE, template_words

OBJECTION_DAYS = 7  # the objection period (公示期) proposed when publishing: a week from today
MISSING_LISTED = 5  # sheets named in a refusal to publish; the rest are counted
SEARCH_MAX = 100  # characters of the list's search box


@bp.context_processor
def _words() -> dict:
    return {
        **template_words(),
        "can_manage": can_manage_competition,
        "can_decide": can_decide,
    }


def _require_creator() -> None:
    require(
        can_set_up_competitions(current_user),
        _("Only organizers and university union admins set up competitions."),
    )


@bp.get("/")
@login_required
def list_competitions():
    # Every university a visible competition can belong to, in one query: the filter's choices, and the rows'
    # universities then come from the session (no query per row).
    universities = by_pinyin(visible_universities(current_user), key=lambda u: u.name)
    filters = competitions.CompetitionFilters(
        year=int_arg("year", lenient=True),
        level=choice_arg("level", set(CompetitionLevel)),
        kind=choice_arg("kind", set(CompetitionKind)),
        university=choice_arg("university", {u.code for u in universities}),
        status=choice_arg("status", STATUS_LABELS),
        q=(request.args.get("q") or "").strip()[:SEARCH_MAX] or None,
    )
    asked = int_arg("page", lenient=True) or 1
    page = competitions.competition_page(
        user=current_user,
        filters=filters,
        page=PageRequest(max(1, asked), competitions.COMPETITIONS_PER_PAGE),
    )
    this_year = local_today().year
    years = sorted(
        {*range(this_year - 4, this_year + 2), *([filters.year] if filters.year else [])}, reverse=True
    )
    return render_template(
        "competitions/list.html",
        page=page,
        items=page.items,
        filters=filters,
        years=years,
        universities=universities,
        may_create=can_set_up_competitions(current_user),
    )


def _form_page(*, state: dict, title: str, competition: Competition | None = None, error=None, status=200):
    details = error.details if error else []
    return render_template(
        "competitions/form.html",
        state=state,
        title=title,
        competition=competition,
        error=error,
        errors=formdata.errors_by_input(details),
        summary=formdata.error_summary(details, state),
        new_round=formdata.blank_round(state.get("registration_closes", "")),
        open_advanced=any(d.get("field", "").startswith("scoring") for d in details),
        universities=owned_universities(current_user),
        may_choose_level=is_organizer(current_user),
    ), status


def _start_level() -> tuple[str, str | None]:
    """Level and university chosen on the start page; a university admin always gets their own school."""
    owners = owned_universities(current_user)
    if is_organizer(current_user):
        level = choice_arg("level", set(CompetitionLevel))
        code = request.args.get("university") or None
        return level or CompetitionLevel.PROVINCIAL, code if level == CompetitionLevel.SCHOOL else None
    code = request.args.get("university")
    if code not in {u.code for u in owners}:
        code = owners[0].code if owners else None
    return CompetitionLevel.SCHOOL, code


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_competition():
    _require_creator()
    template_key, blank = request.args.get("template"), request.args.get("blank")
    if not template_key and not blank:
        return _start_page()
    if request.method == "POST":
        body, state = formdata.body_from_form(request.form)
        try:
            competition = competitions.create_competition(data=body, by=current_user)
        except ValidationFailed as error:
            return _form_page(state=state, title=_("New competition"), error=error, status=422)
        flash(_("The competition %(name)s is saved as a draft.", name=competition.name), "success")
        return redirect(url_for(".show_competition", competition_id=competition.id))
    level, university = _start_level()
    today = local_today()
    if template_key:
        body = competition_templates.template_body(
            template_key, year=today.year, level=level, university=university, today=today
        )
    else:
        body = formdata.blank_body(year=today.year, level=level, university=university, today=today)
    return _form_page(state=formdata.state_from_body(body), title=_("New competition"))


def _start_page():
    return render_template(
        "competitions/new.html",
        templates=competition_templates.load_templates(str(get_locale())),
        universities=owned_universities(current_user),
        may_choose_level=is_organizer(current_user),
        copyable=competitions.copyable_competitions(user=current_user),
        next_year=local_today().year + 1,
    )


@bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@login_required
def edit_competition(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    if not lifecycle.is_editable(competition.status):
        return render_template("competitions/locked.html", competition=competition), 409
    title = _("Edit %(name)s", name=competition.name)
    if request.method == "POST":
        body, state = formdata.body_from_form(request.form)
        try:
            competitions.update_competition(competition=competition, data=body, by=current_user)
        except ValidationFailed as error:
            return _form_page(state=state, title=title, competition=competition, error=error, status=422)
        flash(_("The changes are saved."), "success")
        return redirect(url_for(".show_competition", competition_id=competition.id))
    state = formdata.state_from_body(competitions.to_spec_dict(competition))
    return _form_page(state=state, title=title, competition=competition)


@bp.get("/<int:competition_id>")
@login_required
def show_competition(competition_id: int):
    competition = visible_competition(competition_id, current_user)
    manager = can_manage_competition(current_user, competition)
    universities = entries.universities_in_reach(competition, current_user) if manager else []
    quota = entries.quota_table(competition, universities) if manager else None
    following = lifecycle.next_status(competition.status)
    publishing = manager and following == CompetitionStatus.PUBLISHED
    return render_template(
        "competitions/detail.html",
        competition=competition,
        manager=manager,
        sees_entries=can_see_entries(current_user, competition),
        quota=quota,
        quota_words=quota_words,
        following=following,
        next_step=NEXT_STEP.get(following),
        statuses=list(STATUS_LABELS),
        editable=lifecycle.is_editable(competition.status),
        publishing=publishing,
        missing_sheets=progress.count_missing_sheets(competition) if publishing else 0,
        objection_default=(local_today() + timedelta(days=OBJECTION_DAYS)).isoformat(),
        today=local_today().isoformat(),
        publication=result_pages.publication_facts(competition),
    )


def _publication_refusal(error: ServiceError) -> str:
    """Why publishing was refused, in words: the reason and the first few sheets still missing."""
    listed = [d["message"] for d in error.details if d.get("message") and d["message"] not in error.message]
    shown = listed[:MISSING_LISTED]
    text = " ".join([error.message, *shown])
    if len(listed) > len(shown):
        text += " " + _("And %(n)d more.", n=len(listed) - len(shown))
    return text


@bp.post("/<int:competition_id>/transition")
@login_required
def transition(competition_id: int):
    competition = managed_competition(competition_id, current_user)
    target = request.form.get("to", "")
    current = competition.status
    back = redirect(url_for(".show_competition", competition_id=competition_id))
    publishing = target == CompetitionStatus.PUBLISHED and lifecycle.next_status(current) == target
    if publishing and request.form.get("confirm") != "yes":
        flash_refusal(
            _(
                "The results are not published: tick the box to confirm that you have checked them and that "
                "publishing cannot be undone."
            )
        )
        return back
    extra = (
        {"objection_ends": request.form.get("objection_ends"), "contact": request.form.get("contact")}
        if publishing
        else {}
    )
    try:
        competitions.transition(competition=competition, to=target, by=current_user, **extra)
    except ValidationFailed as error:
        reason = error_text(error)
        flash_refusal(_("The results are not published: %(reason)s", reason=reason) if publishing else reason)
    except Conflict as error:
        if error.code == "invalid_transition":
            following = lifecycle.next_status(current)
            message = _(
                "This step is not possible: the competition is at “%(now)s”, and steps go one at a time, "
                "never back. The next step is “%(next)s”.",
                now=STATUS_LABELS[current],
                next=STATUS_LABELS[following] if following else "—",
            )
        else:
            message = _publication_refusal(error) if publishing else error_text(error)
        flash_refusal(message)
    else:
        flash(str(TRANSITION_DONE[target]), "success")
    return back


def _copy(source: Competition, back: str):
    year = (request.form.get("year") or "").strip()
    if not year.isdigit():
        flash(_("Give the year of the copy, for example %(year)d.", year=source.year + 1), "danger")
        return redirect(back)
    try:
        copy = competitions.copy_competition(source=source, year=int(year), by=current_user)
    except ValidationFailed as error:
        flash_refusal(_("The copy was not made: %(reason)s", reason=error_text(error)))
        return redirect(back)
    flash(
        _(
            "Copied as the draft %(name)s. Check the dates and the groups before opening registration.",
            name=copy.name,
        ),
        "success",
    )
    return redirect(url_for(".edit_competition", competition_id=copy.id))


@bp.post("/<int:competition_id>/copy")
@login_required
def copy_competition(competition_id: int):
    source = managed_competition(competition_id, current_user)
    return _copy(source, url_for(".show_competition", competition_id=competition_id))


@bp.post("/new/copy")
@login_required
def copy_chosen():
    _require_creator()
    source_id = (request.form.get("source") or "").strip()
    if not source_id.isdigit():
        flash(_("Choose the competition to copy."), "danger")
        return redirect(url_for(".new_competition"))
    source = managed_competition(int(source_id), current_user)
    return _copy(source, url_for(".new_competition"))
