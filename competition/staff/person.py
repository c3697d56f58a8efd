"""One staff member's page: their data, a form to correct it without an import, and their history."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from ..audit_words import FIELD_WORDS
from ..competitions import words
from ..enums import PostCategory
from ..errors import ValidationFailed
from ..labels import CATEGORY_LABELS, label
from ..models import Staff
from ..permissions import managed_university_or_404
from ..services import audit_log
from ..services import staff as staff_service
from ..transaction import discard
from . import bp


class PersonForm(FlaskForm):
    """The fields an admin corrects by hand; lengths and formats are checked by the service (roster rules)."""

    department = StringField(
        _l("Department"), description=_l("Choose one of the university's departments, or type a new name.")
    )
    category = SelectField(_l("Post category"), choices=[], validate_choice=False)
    title = StringField(_l("Title"), description=_l("For example 副教授; leave empty if none."))
    phone = StringField(_l("Phone"))
    left = BooleanField(
        _l("Left the university"),
        description=_l(
            "Leavers stay in the roster and in past results, but are no longer counted in coverage "
            "and cannot register for competitions."
        ),
    )


def _form(member: Staff) -> PersonForm:
    form = PersonForm()
    form.category.choices = [SelectChoice(c.value, str(CATEGORY_LABELS[c])) for c in PostCategory]
    if not form.is_submitted():
        form.department.data = member.department.name
        form.category.data = member.category
        form.title.data = member.title or ""
        form.phone.data = member.phone or ""
        form.left.data = not member.active
    return form


@bp.route("/<code>/people/<path:staff_no>", methods=["GET", "POST"])
@login_required
def show_person(code: str, staff_no: str):
    university = managed_university_or_404(code, current_user)
    member = staff_service.staff_member(university, staff_no)
    form = _form(member)
    status = 200
    if form.validate_on_submit():
        try:
            changes = staff_service.update_staff(
                staff=member,
                department=form.department.data,
                category=form.category.data,
                title=form.title.data,
                phone=form.phone.data,
                active=not form.left.data,
                by=current_user,
            )
        except ValidationFailed as error:
            discard()
            flash(error.message, "danger")
            for detail in error.details:
                getattr(form, detail["field"] if detail["field"] != "active" else "left").errors.append(
                    detail["message"]
                )
            status = 422
        else:
            if changes:
                sep = "；" if str(get_locale()).startswith("zh") else "; "
                flash(
                    _(
                        "Saved: %(changes)s.",
                        changes=sep.join(change_text(n, *c) for n, c in changes.items()),
                    ),
                    "success",
                )
            else:
                flash(_("Nothing to save: the form is as it was."), "info")
            return redirect(url_for("staff.show_person", code=university.code, staff_no=member.staff_no))
    history = staff_service.person_history(member)
    return render_template(
        "staff/person.html",
        university=university,
        member=member,
        form=form,
        departments=staff_service.departments_of(university),
        history=history,
        lines=audit_log.describe(history.audit, viewer=current_user),
        entry_status_labels=words.ENTRY_STATUS_LABELS,
        entry_status_icons=words.ENTRY_STATUS_ICONS,
    ), status


def change_text(name: str, before: object, after: object) -> str:
    """One corrected field in the audit log's words: "Title: 讲师 → 副教授", "marked as having left ..."."""
    if name == "active":
        return _("marked as having left the university") if not after else _("marked as working there again")
    if name == "category":
        before, after = label(CATEGORY_LABELS, before), label(CATEGORY_LABELS, after)
    return _(
        "%(field)s: %(before)s → %(after)s",
        field=label(FIELD_WORDS, name) or name,
        before=before or "—",
        after=after or "—",
    )
