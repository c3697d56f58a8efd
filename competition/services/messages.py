"""Import problems in the user's language: the domain reports codes, this module words them."""

from __future__ import annotations

from flask_babel import gettext as _

from ..domain.eligibility import registration_over
from ..enums import EntryStatus


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
        return _("“%(value)s” is not a date: write year-month-day, e.g. 2024-05-01.", value=p.get("value"))
    if code == "impossible_date":
        return _("%(value)s does not exist in the calendar.", value=p.get("value"))
    if code == "future_date":
        return _("The date %(value)s is in the future.", value=p.get("value"))
    if code == "implausible_date":
        return _(
            "The date %(value)s is before %(earliest)s: please check it.",
            value=p.get("value"),
            earliest=p.get("earliest", "1920-01-01")[:4],
        )
    if code == "bad_gender":
        return _("Unknown gender “%(value)s”: use 男 or 女.", value=p.get("value"))
    if code == "bad_phone":
        return _("“%(value)s” is not a phone number.", value=p.get("value"))
    if code == "too_long":
        return _("Too long: at most %(max)s characters.", max=p.get("max"))
    if code == "unknown_staff":
        return _("No active staff member has the staff number %(value)s.", value=p.get("value"))
    return _("Invalid value.")


def _local(value) -> str:
    """An ISO datetime or date from a refusal, in the user's words (local time for datetimes)."""
    from datetime import date, datetime

    from ..templating import fmt_date, fmt_datetime

    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return fmt_datetime(value.replace(tzinfo=None) if value.tzinfo is None else value)
    return fmt_date(value)


def spec_problem_message(problem) -> str:
    """A problem of a competition's definition (``domain.competition_spec.Problem``) in words."""
    p = dict(problem.params or {})
    code = problem.code
    if code == "required":
        if problem.field.endswith(".paper"):
            return _("The paper needs at least one question.")
        return _("This is required.")
    if code == "too_long":
        return _("Too long: at most %(max)s characters.", max=p.get("max", ""))
    if code == "type":
        return _("This value has the wrong form.")
    if code == "choice":
        return _("This is not one of the allowed values.")
    if code == "not_allowed":
        if problem.field.endswith(".criteria"):
            return _("A written test has no criteria: it is marked automatically.")
        if problem.field.endswith(".exam"):
            return _("Only a written test has these settings.")
        return _("A provincial competition belongs to no university.")
    if code == "range":
        if "min" in p and "max" in p:
            return _("Must be between %(min)s and %(max)s.", min=p["min"], max=p["max"])
        if "above" in p and "max" in p:
            return _("Must be more than %(above)s and at most %(max)s.", above=p["above"], max=p["max"])
        if "min" in p:
            return _("Must be at least %(min)s.", min=p["min"])
        if "max" in p:
            return _("At most %(max)s.", max=p["max"])
        return _("This value is out of range.")
    if code == "order":
        if p.get("after") == "opens":
            return _("The test must close after it opens.")
        return _("Registration must close after it opens.")
    if code == "duplicate":
        return _("This name is used twice.")
    if code == "weights_sum":
        return _("The round weights add up to %(sum)s; they must add up to exactly 1.", sum=p.get("sum", ""))
    if code == "decimals":
        if problem.field.endswith(".paper"):
            return _(
                "The paper's maximum needs more decimal places than the competition's scores have "
                "(%(places)s): change the points or the decimals.",
                places=p.get("places", 0),
            )
        if p.get("places", 1) == 1:
            return _("At most one decimal place.")
        return _("At most %(places)s decimal places.", places=p["places"])
    if code == "ratios_sum":
        return _("The award ratios add up to %(sum)s; together they may be at most 1.", sum=p.get("sum", ""))
    return _("Invalid value.")


def refusal_message(refusal) -> str:
    """Why someone may not register (``domain.eligibility.Refusal``), in words."""
    from ..labels import CATEGORY_LABELS, label

    p = dict(refusal.params or {})
    code = refusal.code
    if code == "category_not_eligible":
        return _(
            "This competition is not open to the post category %(category)s.",
            category=label(CATEGORY_LABELS, p.get("category")),
        )
    if code == "age_unknown":
        return _(
            "This competition has an age limit and the roster has no birth date for this person: "
            "ask the union."
        )
    if code == "too_old":
        return _(
            "Aged %(age)s on %(date)s; the age limit is %(max_age)s.",
            age=p.get("age"),
            date=_local(p.get("reference_date")),
            max_age=p.get("max_age"),
        )
    if code == "not_open":  # the status says which: not opened yet (a draft), or closed (报名已截止)
        if registration_over(p.get("status", "")):
            return _("Registration has closed.")
        return _("Registration has not opened yet.")
    if code == "not_yet_open":
        return _("Registration opens on %(opens)s.", opens=_local(p.get("opens")))
    if code == "closed":
        return _("Registration closed on %(closes)s.", closes=_local(p.get("closes")))
    if code == "quota_full":
        return _("The university's quota of %(quota)s entries is full.", quota=p.get("quota"))
    if code == "already_registered":
        return _("Already registered for this competition.")
    if code == EntryStatus.REJECTED:  # the refusal of someone whose entry was rejected
        return _("The entry was not approved by the union: %(reason)s", reason=p.get("reason") or "—")
    return _("Not eligible.")


def sheet_problem_message(problem) -> str:
    """What is wrong with one value of a score sheet (``domain.scoring.SheetProblem``), in words."""
    code, maximum = problem.code, problem.max_score
    if code == "unknown":
        return _("This is not a criterion of the round.")
    if code == "missing":
        return _("Give a score for every criterion before submitting (0 to %(max)s).", max=maximum)
    if code == "not_a_number":
        return _("Enter a number from 0 to %(max)s.", max=maximum)
    if code == "negative":
        return _("A score cannot be below 0.")
    if code == "above_max":
        return _("At most %(max)s for this criterion.", max=maximum)
    if code == "decimals":
        return _("At most one decimal place, for example 8.5.")
    return _("Invalid value.")
