"""Forms of the offline participation import: the upload, and the confirmation of a preview."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField


class ParticipationImportForm(FlaskForm):
    file = FileField(
        _l("Participation file (.xlsx, .xls or .csv, at most 10 MB)"),
        validators=[FileRequired(_l("Choose a file to import."))],
    )


class ConfirmParticipationsForm(FlaskForm):
    """The stashed file (``token``) and the digest of the rows the preview showed (``plan``)."""

    token = HiddenField()
    plan = HiddenField()
