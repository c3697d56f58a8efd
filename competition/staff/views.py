"""Roster import (upload → preview → confirm), the staff list, and staff accounts in bulk."""

from __future__ import annotations

from datetime import date

import pandas as pd
from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..downloads import xlsx_response
from ..enums import ImportMode, PostCategory
from ..errors import ServiceError, ValidationFailed
from ..pagination import page_request
from ..permissions import (
    admin_university_ids,
    can_manage_any_university,
    managed_university_or_404,
    require,
    visible_universities,
)
from ..services import account_batches, accounts, excel, roster, staff, uploads
from . import bp
from .forms import ConfirmForm
from .import_forms import ConfirmImportForm, ImportForm

_ACTIVE = {"active": True, "inactive": False, "all": None}


@bp.get("/")
@login_required
def index():
    require(can_manage_any_university(current_user))
    mine = visible_universities(current_user)
    if len(mine) == 1 and mine[0].id in admin_university_ids(current_user):
        return redirect(url_for("staff.list_staff", code=mine[0].code))
    return render_template("staff/choose.html", universities=mine)


@bp.get("/<code>/")
@login_required
def list_staff(code: str):
    university = managed_university_or_404(code, current_user)
    category = request.args.get("category") if request.args.get("category") in set(PostCategory) else None
    active_key = request.args.get("active", "active")
    filters = staff.StaffFilters(
        category=category,
        department=request.args.get("department") or None,
        q=(request.args.get("q") or "").strip() or None,
        active=_ACTIVE.get(active_key, True),
    )
    page = staff.list_staff(university=university, filters=filters, page=page_request(request.args))
    return render_template(
        "staff/list.html",
        university=university,
        page=page,
        filters=filters,
        active_key=active_key,
        departments=staff.departments_of(university),
        accounts_form=ConfirmForm(),
    )


def _preview_page(university, result, *, token: str, filename: str, mode: str, notice=None, status=200):
    """What the file would change, before anything is written; the form confirms this very plan."""
    confirm = ConfirmImportForm(token=token, mode=mode, plan=result.digest, formdata=None)
    return render_template(
        "staff/preview.html",
        university=university,
        result=result,
        confirm=confirm,
        changes_url=url_for("staff.import_changes", code=university.code, token=token, mode=mode),
        filename=filename,
        mode=mode,
        replace_mode=mode == ImportMode.REPLACE,
        notice=notice,
        fields=roster.field_words(),
        words=roster.value_words,
    ), status


@bp.route("/<code>/import", methods=["GET", "POST"])
@login_required
def import_roster(code: str):
    university = managed_university_or_404(code, current_user)
    form = ImportForm()
    if form.validate_on_submit():
        data, filename = form.file.data.read(), form.file.data.filename
        try:
            result = roster.import_roster(
                university=university,
                data=data,
                filename=filename,
                mode=form.mode.data,
                dry_run=True,
                by=current_user,
            )
        except ValidationFailed as error:
            return render_template(
                "staff/import.html", university=university, form=form, error=error, filename=filename
            ), 422
        token = uploads.stash(data, filename=filename, owner_id=current_user.id, purpose=f"roster:{code}")
        return _preview_page(university, result, token=token, filename=filename, mode=form.mode.data)
    return render_template("staff/import.html", university=university, form=form, error=None)


@bp.post("/<code>/import/confirm")
@login_required
def confirm_import(code: str):
    university = managed_university_or_404(code, current_user)
    form = ConfirmImportForm()
    stashed = (
        uploads.load(form.token.data, owner_id=current_user.id, purpose=f"roster:{code}")
        if form.validate_on_submit()
        else None
    )
    if stashed is None:
        flash(_("That preview has expired. Upload the file again."), "warning")
        return redirect(url_for("staff.import_roster", code=code))
    data, filename = stashed
    try:
        result = roster.import_roster(
            university=university,
            data=data,
            filename=filename,
            mode=form.mode.data,
            dry_run=False,
            by=current_user,
            expected_digest=form.plan.data or None,
            names_checked=form.names_checked.data,
        )
    except roster.PreviewOutdated as outdated:
        return _preview_page(
            university,
            outdated.preview,
            token=form.token.data,
            filename=filename,
            mode=form.mode.data,
            notice=outdated.message,
            status=409,
        )
    except ValidationFailed as error:
        return render_template(
            "staff/import.html", university=university, form=ImportForm(), error=error, filename=filename
        ), 422
    uploads.discard(form.token.data)
    flash(
        _(
            "Roster imported: %(c)d added, %(u)d updated, %(d)d marked inactive, %(n)d unchanged.",
            c=result.created,
            u=result.updated,
            d=result.deactivated,
            n=result.unchanged,
        ),
        "success",
    )
    return redirect(url_for("staff.list_staff", code=code))


@bp.get("/<code>/import/<token>/changes.xlsx")
@login_required
def import_changes(code: str, token: str):
    """Every change a previewed file would make, as a workbook (the preview page shows the first rows)."""
    university = managed_university_or_404(code, current_user)
    stashed = uploads.load(token, owner_id=current_user.id, purpose=f"roster:{code}")
    if stashed is None:
        flash(_("That preview has expired. Upload the file again."), "warning")
        return redirect(url_for("staff.import_roster", code=code))
    data, filename = stashed
    changes = roster.roster_changes(
        university=university, data=data, filename=filename, mode=request.args.get("mode", "")
    )
    return xlsx_response(
        roster.changes_workbook(changes), f"roster-changes-{code}-{date.today():%Y%m%d}.xlsx"
    )


@bp.get("/<code>/template.xlsx")
@login_required
def roster_template(code: str):
    managed_university_or_404(code, current_user)
    frame = pd.DataFrame(
        [["00123", "张三", "计算机学院", "教学科研岗", "男", "1988-05-01", "副教授", "13800000000"]],
        columns=["工号", "姓名", "部门", "岗位类别", "性别", "出生日期", "职称", "手机"],
    )
    return xlsx_response(excel.to_xlsx({"名册": frame}), "roster-template.xlsx")


@bp.get("/<code>/export.xlsx")
@login_required
def export_roster(code: str):
    university = managed_university_or_404(code, current_user)
    everyone = staff.list_staff(university=university, filters=staff.StaffFilters(active=None), page=None)
    frame = pd.DataFrame(
        [
            {
                "工号": s.staff_no,
                "姓名": s.name,
                "部门": s.department.name,
                "岗位类别": _category_zh(s.category),
                "性别": {"male": "男", "female": "女"}.get(s.gender or "", ""),
                "出生日期": s.birth_date.isoformat() if s.birth_date else "",
                "职称": s.title or "",
                "手机": s.phone or "",
                "在职": "是" if s.active else "否",
            }
            for s in everyone.items
        ]
    )
    return xlsx_response(excel.to_xlsx({"名册": frame}), f"roster-{code}-{date.today():%Y%m%d}.xlsx")


def _category_zh(category: str) -> str:
    return {"teaching_research": "教学科研岗", "admin_logistics": "行政后勤岗", "other": "其他"}[category]


@bp.post("/<code>/accounts")
@login_required
def create_accounts(code: str):
    """Accounts for every active staff member without one, in one go (the page without JavaScript); the
    passwords are in this download only. With JavaScript the page goes in steps (``create_accounts_step``)."""
    university = managed_university_or_404(code, current_user)
    if not ConfirmForm().validate_on_submit():
        raise ValidationFailed(_("The form has expired. Reload the page and try again."))
    issued = accounts.create_staff_accounts(university=university, by=current_user)
    if not issued:
        flash(_("Every active staff member already has an account."), "info")
        return redirect(url_for("staff.list_staff", code=code))
    return _password_sheet(code, issued)


@bp.post("/<code>/accounts/step")
@login_required
def create_accounts_step(code: str):
    """One step of the batch: the next staff after the cursor ``after`` (at most ``size``, default and at most
    ``account_batches.STEP``), as JSON with their passwords, the next cursor and how many are left."""
    university = managed_university_or_404(code, current_user)
    if not ConfirmForm().validate_on_submit():
        raise ValidationFailed(_("The form has expired. Reload the page and try again."))
    after = request.form.get("after") or None
    size = request.form.get("size", "")
    if (after and len(after) > 32) or (
        size and not (size.isdigit() and 1 <= int(size) <= account_batches.STEP)
    ):
        raise ServiceError(_("The request could not be understood."))
    step = account_batches.create_staff_accounts(
        university=university, by=current_user, after=after, limit=int(size or account_batches.STEP)
    )
    return jsonify(
        {
            "accounts": [{"username": i.username, "password": i.password} for i in step.issued],
            "skipped": step.skipped,
            "after": step.after,
            "remaining": step.remaining,
            "done": step.done,
        }
    )


@bp.post("/<code>/accounts/sheet")
@login_required
def accounts_sheet(code: str):
    """The password sheet of the accounts a stepped batch created: the page sends back what the steps gave
    it, ``{"accounts": [{"username", "password"}]}`` (the server keeps no password); CSRF in the header."""
    university = managed_university_or_404(code, current_user)
    body = request.get_json(silent=True)
    items = body.get("accounts") if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("username"), str) and isinstance(i.get("password"), str)
        for i in items
    ):
        raise ServiceError(_("The request could not be understood."))
    issued = account_batches.sheet_rows(university, {i["username"]: i["password"] for i in items})
    return _password_sheet(code, issued)


def _password_sheet(code: str, issued) -> Response:
    return xlsx_response(
        account_batches.password_sheet(issued), f"accounts-{code}-{date.today():%Y%m%d}.xlsx"
    )
