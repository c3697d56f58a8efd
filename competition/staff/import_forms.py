"""Forms of the roster import: the upload, and the confirmation of a preview."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice

from ..enums import ImportMode


class ImportForm(FlaskForm):
    file = FileField(
        _l("Roster file (.xlsx, .xls or .csv, at most 10 MB)"),
        validators=[FileRequired(_l("Choose a file to import."))],
    )
    mode = RadioField(
        _l("How to import"),
        default=ImportMode.MERGE,
        choices=[
            SelectChoice(
                ImportMode.MERGE, _l("Merge: add new staff and update those listed; keep everyone else")
            ),
            SelectChoice(
                ImportMode.REPLACE,
                _l("Replace: as merge, and mark staff no longer listed as inactive (never deleted)"),
            ),
        ],
    )


class ConfirmImportForm(FlaskForm):
    """The stashed file (``token``), its mode, the previewed plan's digest and the ticked name changes."""

    token = HiddenField()
    mode = HiddenField()
    plan = HiddenField()
    names_checked = BooleanField()
