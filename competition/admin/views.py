"""Universities (organizers) and accounts (organizers and university admins)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..auth.views import safe_next
from ..enums import Role
from ..errors import ServiceError
from ..feedback import error_text, flash_refusal
from ..labels import ROLE_LABELS
from ..models import University
from ..pagination import page_request
from ..permissions import (
    admin_university_ids,
    can_create_users,
    can_grant,
    is_organizer,
    require,
    role_required,
    visible_universities,
)
from ..services import accounts, organisation, staff
from ..transaction import discard
from . import bp
from .forms import UniversityForm, UserForm


@bp.route("/universities", methods=["GET", "POST"])
@role_required(Role.ORGANIZER)
def universities():
    form = UniversityForm()
    if form.validate_on_submit():
        try:
            university = organisation.create_university(
                code=form.code.data, name=form.name.data, by=current_user
            )
        except ServiceError as error:
            discard()
            flash(error.message, "danger")
            for detail in error.details:
                getattr(form, detail.get("field", ""), form.code).errors.append(detail["message"])
        else:
            flash(_("University %(name)s created.", name=university.name), "success")
            return redirect(url_for("admin.universities"))
    rows = visible_universities(current_user)  # an organizer's: all of them
    counts = staff.active_counts([u.id for u in rows])
    return render_template("admin/universities.html", form=form, universities=rows, counts=counts)


def _user_form(universities: list[University]) -> UserForm:
    """The new-account form: the roles the user may grant, the least powerful (staff) chosen; a university
    admin's own university chosen, and no "none" (an outside expert is the organizers' to create)."""
    form = UserForm()
    roles = [r for r in Role if is_organizer(current_user) or r in (Role.JUDGE, Role.STAFF)]
    form.role.choices = [SelectChoice(r.value, str(ROLE_LABELS[r])) for r in roles]
    grantable = [u for u in universities if can_grant(current_user, Role.JUDGE, u.id)]
    none = [SelectChoice("", "—")] if can_grant(current_user, Role.JUDGE, None) else []
    form.university.choices = none + [SelectChoice(u.code, f"{u.name} ({u.code})") for u in grantable]
    if not form.is_submitted():
        form.role.data = Role.STAFF.value
        own = [u for u in grantable if u.id in admin_university_ids(current_user)]
        form.university.data = own[0].code if own else ""
    return form


_STATES = {"enabled": True, "disabled": False}


def _user_filters(universities: list[University]) -> accounts.UserFilters:
    """The list's filters from the query string; a university out of the user's sight is ignored."""
    role = request.args.get("role") if request.args.get("role") in set(Role) else None
    code = request.args.get("university") or ""
    university = next((u for u in universities if u.code == code), None)
    return accounts.UserFilters(
        q=(request.args.get("q") or "").strip() or None,
        role=role,
        university=university,
        enabled=_STATES.get(request.args.get("state") or ""),
    )


@bp.route("/users", methods=["GET", "POST"])
@login_required
def users():
    require(can_create_users(current_user))
    universities = visible_universities(current_user)
    form = _user_form(universities)
    if form.validate_on_submit():
        spec = accounts.RoleSpec(
            role=form.role.data,
            university=form.university.data or None,
            staff_no=(form.staff_no.data or "").strip() or None,
        )
        try:
            user = accounts.create_user(
                username=form.username.data,
                password=form.password.data,
                display_name=form.display_name.data,
                roles=[spec],
                by=current_user,
            )
        except ServiceError as error:
            discard()
            flash(error.message, "danger")
            for detail in error.details:
                field = getattr(form, detail.get("field", ""), None) or form.role
                field.errors.append(detail["message"])
        else:
            flash(_("Account %(u)s created.", u=user.username), "success")
            return redirect(url_for("admin.users"))
    filters = _user_filters(universities)
    page = page_request(request.args)
    found = accounts.list_users(user=current_user, filters=filters, page=page)
    return render_template(
        "admin/users.html",
        form=form,
        users=found.items,
        total=found.total,
        page=page,
        filters=filters,
        state=request.args.get("state") if request.args.get("state") in _STATES else "",
        universities=universities,
    )


@bp.post("/users/<int:user_id>/reset-password")
@login_required
def reset_password(user_id: int):
    user = accounts.user_in_reach(user_id, current_user)
    password = accounts.reset_password(user=user, by=current_user)
    return render_template("admin/password_issued.html", user=user, password=password)


@bp.post("/users/<int:user_id>/disable")
@login_required
def disable_user(user_id: int):
    return _set_enabled(user_id, enabled=False)


@bp.post("/users/<int:user_id>/enable")
@login_required
def enable_user(user_id: int):
    return _set_enabled(user_id, enabled=True)


def _set_enabled(user_id: int, *, enabled: bool):
    require(can_create_users(current_user))
    user = accounts.user_in_reach(user_id, current_user)
    back = safe_next(request.form.get("next")) or url_for("admin.users")
    try:
        changed = accounts.set_enabled(user=user, enabled=enabled, by=current_user)
    except ServiceError as error:
        flash_refusal(error_text(error))
        return redirect(back)
    who = {"u": user.username, "name": user.display_name}
    if not changed:
        flash(
            _("Account %(u)s was already enabled.", **who)
            if enabled
            else _("Account %(u)s was already disabled.", **who),
            "info",
        )
    elif enabled:
        flash(_("Account %(u)s enabled: %(name)s can log in again.", **who), "success")
    else:
        flash(
            _("Account %(u)s disabled: %(name)s can no longer log in and has been logged out.", **who),
            "success",
        )
    return redirect(back)
