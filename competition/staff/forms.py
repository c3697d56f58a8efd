"""Forms of the roster pages (the import's are in ``import_forms``)."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""
