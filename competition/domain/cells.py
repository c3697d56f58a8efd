"""Cell values of imported spreadsheets: text as people typed it, names, and dates in the forms unions use."""

from __future__ import annotations

import calendar
import datetime
import math
import numbers
import re
import unicodedata

EARLIEST_BIRTH_DATE = datetime.date(1920, 1, 1)

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
SPACES = re.compile(r"\s+")
_CJK = (
    r"[\u2e80-\u2fdf\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\U00020000-\U0003134f\u00b7\u2022\u2027]"
)
_CJK_GAP = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")


def is_blank(value: object) -> bool:
    return not cell_text(value)


def cell_text(value: object) -> str:
    """A cell as text: NFKC, invisible characters removed, whitespace (U+3000, NBSP, ...) stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        if math.isnan(value):
            return ""
        text = str(int(value)) if value.is_integer() else repr(float(value))
    elif isinstance(value, datetime.datetime):
        text = value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).strip()


def clean_name(value: object) -> str:
    """A name (or department, title) with spaces between CJK characters removed and other runs made single.

    ``clean_name(" 王\u3000芳 ") == "王芳"``, ``clean_name("John  Smith") == "John Smith"``,
    ``clean_name("ＡＢＣ") == "ABC"`` (NFKC).
    """
    return SPACES.sub(" ", _CJK_GAP.sub("", cell_text(value)))


# --- dates -------------------------------------------------------------------------------------------------

TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
FULL_DATES = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
MONTHS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})"),
)
_NUMBER = re.compile(r"\d{1,7}(\.\d+)?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date_value(value: object, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    """Read a birth date; return (date, None), (None, None) for a blank cell, or (None, error code).

    Accepted: a date cell; 1990-05-01, 1990/5/1, 1990.5.1, 1990年5月1日, 19900501; a month alone (1990.05,
    1990.5, 1990-05, 1990/05, 1990年5月, 199005) gives its first day; an Excel serial number (32874 or
    "32874.0" is 1990-01-01). Codes: impossible_date (1993-02-30, month 13), future_date (after ``today``),
    implausible_date (before 1920-01-01), bad_date (anything else, e.g. "1990" alone, or the number 1990.1,
    which may be January or 1990.10 with its zero dropped by Excel).
    """
    result = date_from(value)
    if result is None or isinstance(result, str):
        return None, result
    if result > today:
        return None, "future_date"
    if result < EARLIEST_BIRTH_DATE:
        return None, "implausible_date"
    return result, None


def date_from(value: object) -> datetime.date | str | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool) or not isinstance(value, str | numbers.Real):
        return "bad_date"
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isfinite(number) and not number.is_integer() and 1900 < number < 2100:
            text = repr(number)  # a year.month typed as a number: 1990.05
            return "bad_date" if re.fullmatch(r"\d{4}\.1", text) else _date_from_text(text)
        if math.isfinite(number) and not number.is_integer():
            return _from_serial(number)
    return _date_from_text(cell_text(value))


def _date_from_text(text: str) -> datetime.date | str:
    text = SPACES.sub("", TIME_SUFFIX.sub("", text))
    for pattern in FULL_DATES:
        match = pattern.fullmatch(text)
        if match:
            return _make_date(int(match["y"]), int(match["m"]), int(match["d"]))
    for pattern in MONTHS:
        match = pattern.fullmatch(text)
        if match:
            return _make_date(int(match["y"]), int(match["m"]), 1)
    if _NUMBER.fullmatch(text):
        if len(text) == 4 and 1900 <= int(text) <= 2100:
            return "bad_date"  # a year alone is not a date
        return _from_serial(float(text))
    return "bad_date"


def _make_date(year: int, month: int, day: int) -> datetime.date | str:
    if year < 1 or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return "impossible_date"
    return datetime.date(year, month, day)


def _from_serial(serial: float) -> datetime.date | str:
    if serial < 0:
        return "bad_date"
    try:
        return _EXCEL_EPOCH + datetime.timedelta(days=math.floor(serial))
    except OverflowError:
        return "bad_date"
