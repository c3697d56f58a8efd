"""What the pages show of a report: percentages, counts, status words, the charts' data (the tables' figures).

Each chart also carries ``description``: its data in words for screen readers (ECharts'
``aria.label.description`` and the chart's ``aria-label``), instead of the text ECharts would generate from
the dataset, which reads "NaN" for the empty cells of the stacked bars.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import g, url_for
from flask_babel import format_date, format_number, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..domain.pinyin_order import pinyin_key
from ..services.reports import Figure, Report, people_to_target

# Colour is never the only signal: each status has its symbol and its words (and a decal in the charts).
STATUS = {
    "ok": ("✓", _l("Meets the target")),
    "warn": ("!", _l("On the way")),
    "bad": ("✗", _l("Far from the target")),
    "none": ("–", _l("No roster yet")),
}


def pct(value) -> str:
    """A rate as people read it: 0.8645 → 86.5% (half-up, one decimal), the same on every page and chart."""
    number = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number}%"


def count(value: int) -> str:
    """A count with thousands separators, in both languages: 147047 → 147,047. Chinese and English group
    digits alike, so Python does it for whole numbers: Babel took 25-40 µs a number, and a dashboard shows
    hundreds (about 20 ms of the provincial page)."""
    return f"{value:,}" if isinstance(value, int) else format_number(value)


def _listed(items: list[str]) -> str:
    """Items joined as the language writes a list: 甲 1，乙 2 in Chinese; A 1, B 2 in English."""
    locale = get_locale()
    return ("，" if locale is not None and locale.language == "zh" else ", ").join(items)


def symbol(status: str) -> str:
    return STATUS[status][0]


def status_words(status: str) -> str:
    """The words of a status, translated once per request (a dashboard asks for them on every row)."""
    words = g.get("coverage_status_words")
    if words is None:
        words = g.coverage_status_words = {key: str(text) for key, (_symbol, text) in STATUS.items()}
    return words[status]


def _legend(report: Report) -> dict[str, str]:
    target, warning = pct(report.thresholds.target), pct(report.thresholds.warning)
    return {
        "ok": f"✓ {STATUS['ok'][1]} (≥ {target})",
        "warn": f"! {STATUS['warn'][1]} ({warning}–{target})",
        "bad": f"✗ {STATUS['bad'][1]} (< {warning})",
    }


def _bar(name: str, f: Figure, url: str) -> dict:
    label = f"{symbol(f.status)} {pct(f.rate)}" if f.status != "none" else f"– {STATUS['none'][1]}"
    # Rows without staff are drawn with the far-off bars (an empty bar, its words in the label).
    return {
        "name": name,
        "value": float(Decimal(str(f.rate)) * 100),
        "label": label,
        "status": "bad" if f.status == "none" else f.status,
        "url": url,
    }


def _bars_description(report: Report, rows: list[dict], title: str) -> str:
    items = [f"{r['name']} {r['label'].split(' ', 1)[1]}" for r in rows]
    if not items:
        return _("%(title)s: no data yet.", title=title)
    return _(
        "%(title)s, highest first: %(items)s; target %(target)s.",
        title=title,
        items=_listed(items),
        target=pct(report.thresholds.target),
    )


def _bars(report: Report, rows: list[dict], title: str) -> dict:
    rows.sort(key=lambda r: (-r["value"], pinyin_key(r["name"])))
    return {
        "kind": "bars",
        "title": title,
        "description": _bars_description(report, rows, title),
        "rows": rows,
        "target": float(report.thresholds.target * 100),
        "targetLabel": _("Target %(pct)s", pct=pct(report.thresholds.target)),
        "legend": _legend(report),
        "axis": _("Coverage (%)"),
    }


def province_bars(report: Report) -> dict:
    rows = [
        _bar(u.name, u.total, url_for("coverage.show_university", code=u.code, year=report.year))
        for u in report.universities
    ]
    return _bars(report, rows, _("Coverage per university"))


def department_bars(report: Report) -> dict:
    assert report.university is not None
    code = report.university.code
    rows = [
        _bar(name, f, url_for("coverage.list_uncovered", code=code, year=report.year, department=name))
        for name, f in report.departments
    ]
    return _bars(report, rows, _("Coverage per department"))


def month_label(month: str) -> str:
    """The month "2026-03" as 3月 (Mar in English)."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "MMM")


def trend(report: Report) -> dict:
    headcount = report.total.headcount
    needed = people_to_target(0, headcount, report.thresholds.target)
    title = _("Covered staff, month by month")
    months = [month_label(m["month"]) for m in report.trend]
    values = [m["covered"] for m in report.trend]
    if months:
        description = _(
            "%(title)s (cumulative): %(items)s; target %(n)s people of %(headcount)s.",
            title=title,
            items=_listed([f"{m} {count(v)}" for m, v in zip(months, values, strict=True)]),
            n=count(needed),
            headcount=count(headcount),
        )
    else:
        description = _("%(title)s: no data yet.", title=title)
    return {
        "kind": "trend",
        "title": title,
        "description": description,
        "months": months,
        "values": values,
        "headcount": headcount,
        "target": needed,
        "targetLabel": _("Target: %(n)s people", n=count(needed)),
        "series": _("Covered staff (cumulative)"),
        "axis": _("People"),
    }
