"""The dashboards (province and university), the organizer's thresholds, and a staff member's own page."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import year_arg
from ..domain.pinyin_order import pinyin_ranks
from ..enums import Role
from ..errors import NotFound, ValidationFailed
from ..labels import ENTRY_STATUS_BADGES
from ..permissions import (
    is_organizer,
    is_university_admin,
    managed_university_or_404,
    owned_universities,
    require,
    role_required,
)
from ..services import entries, participations, reports
from ..services import settings as settings_service
from . import bp, charts
from .forms import ThresholdsForm


@bp.app_template_filter("pct")
def _pct(value) -> str:
    return charts.pct(value)


@bp.context_processor
def _numbers() -> dict:
    return {"num": charts.count}  # 147,047: thousands separators in both languages


@bp.app_template_global("status_symbol")
def _status_symbol(status: str) -> str:
    return charts.symbol(status)


@bp.app_template_global("status_words")
def _status_words(status: str) -> str:
    return charts.status_words(status)


def screen_mode() -> bool:
    """``?mode=screen``: the projector view (large labels, no hover, screens that advance by themselves, fresh
    figures every minute without leaving the screen shown)."""
    return request.args.get("mode") == "screen"


def page_context(year: int) -> dict:
    return {"year": year, "years": reports.available_years(), "screen": screen_mode()}


def _thresholds_form() -> ThresholdsForm:
    limits = settings_service.thresholds()
    return ThresholdsForm(formdata=None, target=limits.target * 100, warning=limits.warning * 100)


def _matching(report: reports.Report, q: str) -> list[str] | None:
    """The codes of the universities whose name or code holds ``q`` (the search without JavaScript)."""
    if not q:
        return None
    return [u.code for u in report.universities if q in u.name or q.casefold() in u.code.casefold()]


def _province_page(year: int, form: ThresholdsForm, status: int = 200):
    report = reports.province_report(year=year)
    q = (request.args.get("q") or "").strip()[:50]
    return render_template(
        "coverage/province.html",
        report=report,
        form=form,
        bars=charts.province_bars(report),
        trend=charts.trend(report),
        q=q,
        shown_codes=_matching(report, q),
        ranks=pinyin_ranks(u.name for u in report.universities),
        **page_context(year),
    ), status


@bp.get("/")
@login_required
def show_province():
    """Organizers see the province; a university admin is taken to their own university."""
    if not is_organizer(current_user):
        require(is_university_admin(current_user))
        own = owned_universities(current_user)[0]
        args = {k: request.args.get(k) for k in ("year", "mode")}
        return redirect(url_for("coverage.show_university", code=own.code, **args))
    return _province_page(year_arg(), _thresholds_form())


@bp.post("/thresholds")
@role_required(Role.ORGANIZER)
def set_thresholds():
    year = year_arg()
    form = ThresholdsForm()
    if not form.validate_on_submit():  # CSRFProtect has already refused a missing or stale token (400)
        return _province_page(year, form, 422)
    try:
        limits = settings_service.set_thresholds(
            target=form.target.data / Decimal(100), warning=form.warning.data / Decimal(100), by=current_user
        )
    except ValidationFailed as error:
        form.target.errors = [error.message]
        return _province_page(year, form, 422)
    flash(
        _(
            "Thresholds saved: target %(target)s, warning below %(warning)s.",
            target=charts.pct(limits.target),
            warning=charts.pct(limits.warning),
        ),
        "success",
    )
    return redirect(url_for("coverage.show_province", year=year))


@bp.get("/<code>")
@login_required
def show_university(code: str):
    university = managed_university_or_404(code, current_user)
    year = year_arg()
    report = reports.university_report(university=university, year=year)
    q = (request.args.get("q") or "").strip()[:50]
    return render_template(
        "coverage/university.html",
        report=report,
        university=university,
        q=q,
        shown_departments=[(name, f) for name, f in report.departments if q in name],
        bars=charts.department_bars(report),
        trend=charts.trend(report),
        ranks=pinyin_ranks(name for name, _f in report.departments),
        **page_context(year),
    )


@bp.get("/me")
@role_required(Role.STAFF)
def show_mine():
    """A staff member's participation this year: entries in competitions and offline events."""
    staff = entries.staff_of(current_user)
    if staff is None:
        raise NotFound(_("Your account is not linked to a staff record."))
    year = year_arg()
    return render_template(
        "coverage/me.html",
        staff=staff,
        mine=participations.participation_of(staff=staff, year=year),
        entry_status=ENTRY_STATUS_BADGES,
        as_of=datetime.now(UTC),
        **page_context(year),
    )
