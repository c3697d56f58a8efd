"""The staff not yet covered (page and Excel), the report workbooks, and the printable summaries."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from ..args import year_arg
from ..clock import local_today
from ..domain.pinyin_order import by_pinyin
from ..downloads import xlsx_response
from ..enums import PostCategory, Role
from ..pagination import page_request
from ..permissions import managed_university_or_404, role_required
from ..services import coverage, report_workbooks, reports, staff
from . import bp
from .views import page_context


def _filters() -> coverage.UncoveredFilters:
    category = request.args.get("category")
    return coverage.UncoveredFilters(
        category=category if category in set(PostCategory) else None,
        department=request.args.get("department") or None,
        search=request.args.get("q"),
    )


@bp.get("/<code>/uncovered")
@login_required
def list_uncovered(code: str):
    university = managed_university_or_404(code, current_user)
    year = year_arg()
    filters = _filters()
    page = coverage.list_uncovered(
        university=university, year=year, filters=filters, page=page_request(request.args)
    )
    return render_template(
        "coverage/uncovered.html",
        university=university,
        page=page,
        filters=filters,
        departments=by_pinyin(staff.departments_of(university)),
        **page_context(year),
    )


@bp.get("/<code>/uncovered.xlsx")
@login_required
def export_uncovered(code: str):
    """Every uncovered staff member matching the filters, not only one page of them."""
    university = managed_university_or_404(code, current_user)
    year = year_arg()
    data = report_workbooks.uncovered_workbook(university=university, year=year, filters=_filters())
    return xlsx_response(data, f"uncovered-{code}-{year}-{local_today():%Y%m%d}.xlsx")


@bp.get("/<code>/report.xlsx")
@login_required
def export_university_report(code: str):
    university = managed_university_or_404(code, current_user)
    year = year_arg()
    report = reports.university_report(university=university, year=year)
    return xlsx_response(report_workbooks.university_workbook(report), f"coverage-{code}-{year}.xlsx")


@bp.get("/report.xlsx")
@role_required(Role.ORGANIZER)
def export_province_report():
    year = year_arg()
    report = reports.province_report(year=year)
    return xlsx_response(report_workbooks.province_workbook(report), f"coverage-province-{year}.xlsx")


@bp.get("/<code>/summary")
@login_required
def show_university_summary(code: str):
    """The one-page summary a university's union sends to the provincial union (print it from the browser)."""
    university = managed_university_or_404(code, current_user)
    year = year_arg()
    report = reports.university_report(university=university, year=year)
    return render_template(
        "coverage/summary.html", report=report, university=university, **page_context(year)
    )


@bp.get("/summary")
@role_required(Role.ORGANIZER)
def show_province_summary():
    year = year_arg()
    report = reports.province_report(year=year)
    return render_template("coverage/summary.html", report=report, university=None, **page_context(year))
