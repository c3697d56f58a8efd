"""Template globals and filters: permissions, languages, labels and dates as users expect them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from . import navigation, permissions
from .domain.lifecycle import accepts_decisions
from .enums import STANDING_ENTRY_STATUSES
from .labels import CATEGORY_LABELS, GENDER_LABELS, ROLE_LABELS, label
from .pagination import page_links


def _is_zh() -> bool:
    return str(get_locale()).startswith("zh")


def fmt_date(value: date | None) -> str:
    """2026年11月25日 in Chinese, Nov 25, 2026 in English."""
    if value is None:
        return ""
    return format_date(value, "y年M月d日") if _is_zh() else format_date(value, "medium")


def fmt_datetime(value: datetime | None) -> str:
    """24-hour local time (Asia/Shanghai): 2026年11月25日 14:05."""
    if value is None:
        return ""
    return format_datetime(value, "y年M月d日 HH:mm") if _is_zh() else format_datetime(value, "MMM d, y HH:mm")


def thousands(value) -> str:
    """A count with thousands separators, the same in Chinese and English: 147047 → "147,047"; decimals
    keep their places (1234.50 → "1,234.50"); None → ""; text is left as it is."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:,f}"
    return f"{value:,}"


def page_url(endpoint: str, number: int) -> str:
    """The address of page ``number`` of the list shown now: the same view, path and query (filters,
    language), with ``page`` replaced; repeated query parameters are kept."""
    args = request.args.to_dict(flat=False)
    args["page"] = [number]
    return url_for(endpoint, **{**args, **(request.view_args or {})})


def html_lang() -> str:
    return "zh-CN" if _is_zh() else "en"


def lang_url(code: str) -> str:
    args = request.args.to_dict()
    args["lang"] = code
    return request.path + "?" + urlencode(args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=fmt_date,
        datetime=fmt_datetime,
        category=lambda v: label(CATEGORY_LABELS, v),
        gender=lambda v: label(GENDER_LABELS, v),
        role=lambda v: label(ROLE_LABELS, v),
        thousands=thousands,
    )
    # The named sets of enums.py and domain.lifecycle, so templates do not write them out again.
    app.jinja_env.globals.update(
        accepts_decisions=accepts_decisions,
        is_standing=lambda status: status in STANDING_ENTRY_STATUSES,
        nav_section=navigation.current_section,  # base.html: the menu item of this page
        page_links=page_links,  # the pager macro's page numbers
        page_url=page_url,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject():
        return {
            "perm": permissions,
            "current_user": current_user,
            "languages": current_app.config["LANGUAGES"],
            "html_lang": html_lang(),
            "lang_url": lang_url,
            "category_labels": CATEGORY_LABELS,
        }
