"""Forms of the staff member's registration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField
from wtforms.validators import InputRequired


class RegisterForm(FlaskForm):
    # The service checks that the group belongs to the competition, so a forged id gets its words too.
    group_id = RadioField(
        _l("Group"), coerce=int, validate_choice=False, validators=[InputRequired(_l("Choose a group."))]
    )


class MaterialForm(FlaskForm):
    file = FileField(
        _l("Add a file"),
        validators=[FileRequired(_l("Choose a file to upload."))],
    )


class ButtonForm(FlaskForm):
    """Nothing but the CSRF token, for buttons that change state (withdraw, delete a file)."""
