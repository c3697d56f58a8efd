"""Import problems in the user's language: the domain reports codes, this module words them."""

from __future__ import annotations

from flask_babel import gettext as _


def row_error_message(error) -> str:
    """The message for a ``RowError`` (roster or participation import) in the request's language."""
    p = dict(error.params or {})
    code = error.code
    if code == "too_large":
        return _("The file is larger than %(max_mb)s MB.", max_mb=p.get("max_mb", 10))
    if code == "empty_file":
        return _("The file is empty.")
    if code == "not_spreadsheet":
        return _("This is not a spreadsheet: upload an Excel (.xlsx) or CSV file.")
    if code == "no_data":
        return _("The file has a header row but no data rows.")
    if code == "missing_column":
        return _("The required column %(column)s is missing.", column=error.column)
    if code == "required":
        return _("%(column)s is empty; it is required.", column=error.column)
    if code == "duplicate_in_file":
        return _("The same staff number is already on row %(first_row)s.", first_row=p.get("first_row"))
    if code == "unknown_category":
        return _(
            "Unknown post category “%(value)s”: use 教学科研岗, 行政后勤岗 or 其他.", value=p.get("value")
        )
    if code == "bad_date":
        return _("“%(value)s” is not a date: write it like 1990-05-01 or 1990.05.", value=p.get("value"))
    if code == "impossible_date":
        return _("%(value)s does not exist in the calendar.", value=p.get("value"))
    if code == "future_date":
        return _("The date %(value)s is in the future.", value=p.get("value"))
    if code == "implausible_date":
        return _("The date %(value)s is before 1920: please check it.", value=p.get("value"))
    if code == "bad_gender":
        return _("Unknown gender “%(value)s”: use 男 or 女.", value=p.get("value"))
    if code == "bad_phone":
        return _("“%(value)s” is not a phone number.", value=p.get("value"))
    if code == "too_long":
        return _("Too long: at most %(max)s characters.", max=p.get("max"))
    if code == "unknown_staff":
        return _("No active staff member has the staff number %(value)s.", value=p.get("value"))
    return _("Invalid value.")
