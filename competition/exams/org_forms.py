"""Forms of the organizer's bank page: the file to import, and the confirmation that empties the bank."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class BankImportForm(FlaskForm):
    file = FileField(
        _l("Question file (.xlsx, .xls or .csv, at most 10 MB)"),
        validators=[FileRequired(_l("Choose a file to import."))],
    )


class ClearBankForm(FlaskForm):
    """Nothing but the CSRF token: the page before it asked whether to empty the bank."""
