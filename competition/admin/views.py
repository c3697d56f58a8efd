"""Universities (organizers) and accounts (organizers and university admins)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..enums import Role
from ..errors import ServiceError
from ..labels import ROLE_LABELS
from ..pagination import page_request
from ..permissions import (
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


def _user_form() -> UserForm:
    form = UserForm()
    roles = [r for r in Role if is_organizer(current_user) or r in (Role.JUDGE, Role.STAFF)]
    form.role.choices = [SelectChoice(r.value, str(ROLE_LABELS[r])) for r in roles]
    form.university.choices = [SelectChoice("", "—")] + [
        SelectChoice(u.code, f"{u.name} ({u.code})")
        for u in visible_universities(current_user)
        if can_grant(current_user, Role.JUDGE, u.id)
    ]
    return form


@bp.route("/users", methods=["GET", "POST"])
@login_required
def users():
    require(can_create_users(current_user))
    form = _user_form()
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
    q = (request.args.get("q") or "").strip()
    role = request.args.get("role") if request.args.get("role") in set(Role) else None
    page = page_request(request.args)
    found = accounts.list_users(user=current_user, q=q or None, role=role, page=page)
    return render_template(
        "admin/users.html", form=form, users=found.items, total=found.total, page=page, q=q, role=role
    )


@bp.post("/users/<int:user_id>/reset-password")
@login_required
def reset_password(user_id: int):
    user = accounts.user_in_reach(user_id, current_user)
    password = accounts.reset_password(user=user, by=current_user)
    return render_template("admin/password_issued.html", user=user, password=password)
