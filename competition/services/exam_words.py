"""Problems of a question bank (file rows or API items) in the user's language; the domain gives codes."""

from __future__ import annotations

from flask_babel import gettext as _

from .messages import row_error_message

_FILE_CODES = (
    "too_large",
    "empty_file",
    "not_spreadsheet",
    "no_data",
    "missing_column",
    "required",
    "too_long",
)


def _bank_words(code: str, p: dict) -> str | None:
    if code == "unknown_type":
        return _("Unknown question type “%(value)s”: use 单选, 多选 or 判断.", value=p.get("value"))
    if code == "option_gap":
        return _(
            "Option %(letter)s is empty but a later option is filled: fill the options from A without a gap.",
            letter=p.get("letter"),
        )
    if code == "too_few_options":
        return _(
            "A choice question needs at least %(min)s options; this one has %(count)s.",
            min=p.get("min", 2),
            count=p.get("count", 0),
        )
    if code == "too_many_options":
        return _("At most %(max)s options (A to F).", max=p.get("max", 6))
    if code == "duplicate_option":
        return _(
            "Option %(letter)s is the same as option %(first_letter)s.",
            letter=p.get("letter"),
            first_letter=p.get("first_letter"),
        )
    if code == "bad_answer":
        return _(
            "“%(value)s” is not an answer: write the option letters, e.g. B or ACD.", value=p.get("value")
        )
    if code == "answer_not_in_options":
        return _("The answer “%(value)s” names an option the question does not have.", value=p.get("value"))
    if code == "single_needs_one":
        return _(
            "A single-choice question has exactly one right option; the answer is “%(value)s”.",
            value=p.get("value"),
        )
    if code == "multiple_needs_several":
        return _(
            "A multiple-choice question needs at least two right options; the answer is “%(value)s”. "
            "Make it a single-choice question or correct the answer.",
            value=p.get("value"),
        )
    if code == "bad_true_false":
        return _("“%(value)s” is not a true/false answer: write 对 or 错.", value=p.get("value"))
    if code == "duplicate_in_file":
        return _("The same question is already on row %(first_row)s.", first_row=p.get("first_row"))
    if code == "duplicate_answer":
        return _("The same option is given twice in the answer.")
    if code == "options_not_allowed":
        return _("A true/false question has no options: its options are 正确 and 错误.")
    if code == "bad_type":
        return _("This value has the wrong form.")
    if code == "not_a_list":
        return _("“questions” must be a list of questions.")
    if code == "not_an_object":
        return _("Each question must be an object with type, text, options and answer.")
    return None


def bank_error_message(error) -> str:
    """A ``RowError`` of a bank file, in words."""
    words = _bank_words(error.code, dict(error.params or {}))
    if words is not None:
        return words
    if error.code == "required":
        return _("%(column)s is empty; it is required.", column=error.column)
    return row_error_message(error)


def item_error_message(error) -> str:
    """An ``ItemError`` of the API's JSON bank, in words."""
    p = dict(error.params or {})
    words = _bank_words(error.code, p)
    if words is not None:
        return words
    if error.code == "required":
        return _("This is required.")
    if error.code == "too_long":
        return _("Too long: at most %(max)s characters.", max=p.get("max", ""))
    return _("Invalid value.")
