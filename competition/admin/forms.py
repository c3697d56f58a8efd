"""Forms of the admin pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class UniversityForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32)],
        description=_l("Letters and digits, e.g. ZJU; it starts staff usernames."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=100)])
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=8, max=200)],
        description=_l("At least 8 characters; tell it to the person in private."),
    )
    role = SelectField(_l("Role"), choices=[])
    university = SelectField(_l("University"), choices=[], validate_choice=False)
    staff_no = StringField(_l("Staff number (for a staff account)"), validators=[Optional(), Length(max=32)])
