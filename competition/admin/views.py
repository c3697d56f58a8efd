"""Universities (organizers), accounts (organizers and university admins) and the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from wtforms.fields.choices import SelectChoice

from ..enums import Role
from ..errors import Forbidden, NotFound, ServiceError
from ..extensions import db
from ..labels import ROLE_LABELS
from ..models import AuditLog, RoleGrant, Staff, University, User
from ..pagination import page_request
from ..permissions import (
    can_create_users,
    can_grant,
    is_organizer,
    role_required,
    university_ids,
    visible_universities,
)
from ..services import accounts, organisation
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
            flash(error.message, "danger")
            for detail in error.details:
                getattr(form, detail.get("field", ""), form.code).errors.append(detail["message"])
        else:
            db.session.commit()
            flash(_("University %(name)s created.", name=university.name), "success")
            return redirect(url_for("admin.universities"))
    counts = dict(
        db.session.execute(
            select(Staff.university_id, func.count())
            .where(Staff.active.is_(True))
            .group_by(Staff.university_id)
        ).all()
    )
    rows = db.session.scalars(select(University).order_by(University.code)).all()
    return render_template("admin/universities.html", form=form, universities=rows, counts=counts)


def _users_in_scope():
    stmt = select(User).order_by(User.username)
    if not is_organizer(current_user):
        mine = university_ids(current_user, Role.UNIVERSITY_ADMIN) or {-1}
        stmt = stmt.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.university_id.in_(mine))))
    return stmt


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
    if not can_create_users(current_user):
        raise Forbidden(_("You are not allowed to do this."))
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
            flash(error.message, "danger")
            for detail in error.details:
                field = getattr(form, detail.get("field", ""), None) or form.role
                field.errors.append(detail["message"])
        else:
            db.session.commit()
            flash(_("Account %(u)s created.", u=user.username), "success")
            return redirect(url_for("admin.users"))
    stmt = _users_in_scope()
    q = (request.args.get("q") or "").strip()
    if q:
        stmt = stmt.where(
            or_(User.username.contains(q, autoescape=True), User.display_name.contains(q, autoescape=True))
        )
    role = request.args.get("role")
    if role in set(Role):
        stmt = stmt.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == role)))
    page = page_request(request.args)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.offset(page.offset).limit(page.per_page)).all()
    return render_template("admin/users.html", form=form, users=rows, total=total, page=page, q=q, role=role)


@bp.post("/users/<int:user_id>/reset-password")
@login_required
def reset_password(user_id: int):
    user = db.session.scalar(_users_in_scope().where(User.id == user_id))
    if user is None:
        raise NotFound(_("No such account."))
    password = accounts.reset_password(user=user, by=current_user)
    db.session.commit()
    return render_template("admin/password_issued.html", user=user, password=password)


@bp.get("/audit")
@login_required
def audit_log():
    if not can_create_users(current_user):
        raise Forbidden(_("You are not allowed to do this."))
    stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if not is_organizer(current_user):
        stmt = stmt.where(AuditLog.university_id.in_(university_ids(current_user, Role.UNIVERSITY_ADMIN)))
    page = page_request(request.args)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.offset(page.offset).limit(page.per_page)).all()
    return render_template("admin/audit.html", entries=rows, total=total, page=page)
