"""The set-up form: flat field names (``rounds-0-criteria-1-max_score``) ↔ the POST /competitions body.

The form works on a *state*: the body's shape with every value as the text of its input, and weights, award
ratios and the anomaly threshold as percentages (20 for 0.2). ``state_from_form`` reads a posted form (blank
rows dropped, rows renumbered), ``body_from_state`` writes the API body the service validates, and
``state_from_body`` fills the form from a template, a stored competition or the defaults. Because the body is
built from the state row by row, an error path of the body names an input of the re-rendered form:
``rounds[1].criteria[0].max_score`` → ``rounds-1-criteria-0-max_score``. The tie-breaking rounds are a few
selects of round names (``scoring-tie_breakers-0``, ...), blank ones dropped: ``scoring.tie_breakers[1]`` →
``scoring-tie_breakers-1``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from werkzeug.datastructures import MultiDict

from ..enums import CompetitionKind, CompetitionLevel, FinalMode, RoundMode
from .words import FIELD_LABELS, ITEM_LABELS

SIMPLE = (
    "name",
    "description",
    "kind",
    "level",
    "university",
    "year",
    "max_age",
    "age_reference_date",
    "registration_opens",
    "registration_closes",
    "quota_per_university",
)
SCORING = ("trim_highest", "trim_lowest", "trim_min_judges", "decimals", "final", "anomaly_threshold")
DEFAULT_SCORING = {
    "trim_highest": 1,
    "trim_lowest": 1,
    "trim_min_judges": 5,
    "decimals": 2,
    "final": FinalMode.WEIGHTED,
    "anomaly_threshold": 0.10,
}
DEFAULT_AWARDS = [
    {"name": "一等奖", "ratio": 0.15},
    {"name": "二等奖", "ratio": 0.25},
    {"name": "三等奖", "ratio": 0.35},
]
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_PATH_PART = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


# --- reading the posted form ----------------------------------------------------------------------------


def _text(form: MultiDict, name: str) -> str:
    return (form.get(name) or "").strip()


def _indices(form: MultiDict, prefix: str) -> list[int]:
    """The row numbers posted under ``prefix`` (``rounds-3-name`` → 3), in numeric order."""
    pattern = re.compile(re.escape(prefix) + r"-(\d+)-")
    return sorted({int(m.group(1)) for key in form for m in [pattern.match(key)] if m})


def _rows(form: MultiDict, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    rows = [{f: _text(form, f"{prefix}-{i}-{f}") for f in fields} for i in _indices(form, prefix)]
    return [row for row in rows if any(row.values())]


def _tie_breakers(form: MultiDict) -> list[str]:
    """The round names chosen in ``scoring-tie_breakers-<n>``, in numeric order, blank ones dropped."""
    pattern = re.compile(r"scoring-tie_breakers-(\d+)")
    slots = sorted(int(m.group(1)) for key in form for m in [pattern.fullmatch(key)] if m)
    return [name for i in slots for name in [_text(form, f"scoring-tie_breakers-{i}")] if name]


def state_from_form(form: MultiDict) -> dict:
    state: dict = {key: _text(form, key) for key in SIMPLE}
    state["eligible_categories"] = [c for c in form.getlist("eligible_categories") if c]
    state["anonymous_judging"] = bool(form.get("anonymous_judging"))
    state["requires_materials"] = bool(form.get("requires_materials"))
    state["groups"] = _rows(form, "groups", ("name",))
    state["rounds"] = []
    for i in _indices(form, "rounds"):
        prefix = f"rounds-{i}"
        criteria = _rows(form, f"{prefix}-criteria", ("name", "max_score", "description"))
        row = {"name": _text(form, f"{prefix}-name"), "weight": _text(form, f"{prefix}-weight")}
        if row["name"] or row["weight"] or criteria:
            row["mode"] = _text(form, f"{prefix}-mode") or RoundMode.QUEUE
            row["criteria"] = criteria
            state["rounds"].append(row)
    state["scoring"] = {key: _text(form, f"scoring-{key}") for key in SCORING}
    state["scoring"]["tie_breakers"] = _tie_breakers(form)
    state["awards"] = _rows(form, "awards", ("name", "ratio"))
    return state


# --- state → API body -----------------------------------------------------------------------------------


def ratio_text(percent: str) -> str | None:
    """ "20" or "20%" → "0.2"; blank → None; anything else is passed on for the service to refuse."""
    text = percent.strip().removesuffix("%").strip()
    if not text:
        return None
    if not _PLAIN_NUMBER.fullmatch(text):
        return percent
    return format((Decimal(text) / 100).normalize(), "f")


def _or_none(value: str) -> str | None:
    return value or None


def body_from_state(state: dict) -> dict:
    school = state["level"] != CompetitionLevel.PROVINCIAL
    return {
        "name": state["name"],
        "description": state["description"],
        "kind": _or_none(state["kind"]),
        "level": _or_none(state["level"]),
        "university": _or_none(state["university"]) if school else None,
        "year": _or_none(state["year"]),
        "eligible_categories": list(state["eligible_categories"]),
        "max_age": _or_none(state["max_age"]),
        "age_reference_date": _or_none(state["age_reference_date"]),
        "registration_opens": _or_none(state["registration_opens"]),
        "registration_closes": _or_none(state["registration_closes"]),
        "quota_per_university": _or_none(state["quota_per_university"]),
        "anonymous_judging": state["anonymous_judging"],
        "requires_materials": state["requires_materials"],
        "groups": [{"name": g["name"]} for g in state["groups"]],
        "rounds": [
            {
                "name": r["name"],
                "weight": ratio_text(r["weight"]),
                "mode": r["mode"],
                "criteria": [
                    {
                        "name": c["name"],
                        "max_score": _or_none(c["max_score"]),
                        "description": c["description"],
                    }
                    for c in r["criteria"]
                ],
            }
            for r in state["rounds"]
        ],
        "scoring": {
            **{
                key: ratio_text(value) if key == "anomaly_threshold" else _or_none(value)
                for key, value in state["scoring"].items()
                if key in SCORING
            },
            "tie_breakers": list(state["scoring"].get("tie_breakers", [])),
        },
        "awards": [{"name": a["name"], "ratio": ratio_text(a["ratio"])} for a in state["awards"]],
    }


def body_from_form(form: MultiDict) -> tuple[dict, dict]:
    """The API body of a posted form, and the form's state to show again if the service refuses it."""
    state = state_from_form(form)
    return body_from_state(state), state


# --- API body → state -----------------------------------------------------------------------------------


def percent_text(ratio) -> str:
    """0.2 → "20"; None → ""."""
    if ratio is None or ratio == "":
        return ""
    try:
        return format((Decimal(str(ratio)) * 100).normalize(), "f")
    except InvalidOperation:
        return str(ratio)


def _str(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def state_from_body(body: dict) -> dict:
    state: dict = {key: _str(body.get(key)) for key in SIMPLE}
    state["eligible_categories"] = list(body.get("eligible_categories") or [])
    state["anonymous_judging"] = body.get("anonymous_judging", True) is not False
    state["requires_materials"] = bool(body.get("requires_materials"))
    state["groups"] = [{"name": _str(g.get("name"))} for g in body.get("groups") or []]
    state["rounds"] = [
        {
            "name": _str(r.get("name")),
            "weight": percent_text(r.get("weight")),
            "mode": r.get("mode") or RoundMode.QUEUE,
            "criteria": [
                {
                    "name": _str(c.get("name")),
                    "max_score": _str(c.get("max_score")),
                    "description": _str(c.get("description")),
                }
                for c in r.get("criteria") or []
            ],
        }
        for r in body.get("rounds") or []
    ]
    scoring = {**DEFAULT_SCORING, **(body.get("scoring") or {})}
    state["scoring"] = {
        key: percent_text(scoring[key]) if key == "anomaly_threshold" else _str(scoring[key])
        for key in SCORING
    }
    tie_breakers = scoring.get("tie_breakers")
    state["scoring"]["tie_breakers"] = (
        [_str(name) for name in tie_breakers] if isinstance(tie_breakers, list | tuple) else []
    )
    awards = body.get("awards")
    state["awards"] = [
        {"name": _str(a.get("name")), "ratio": percent_text(a.get("ratio"))}
        for a in (DEFAULT_AWARDS if awards is None else awards)
    ]
    return state


def blank_body(*, year: int, level: str, university: str | None, today: date) -> dict:
    """An empty competition with the defaults of DESIGN.md; registration from tomorrow 9:00 for four weeks."""
    opens = datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(hour=9)
    return {
        "name": "",
        "description": "",
        "kind": CompetitionKind.TEACHING,
        "level": level,
        "university": university if level == CompetitionLevel.SCHOOL else None,
        "year": year,
        "eligible_categories": [],
        "registration_opens": opens.isoformat(timespec="minutes"),
        "registration_closes": (opens + timedelta(days=28, hours=8)).isoformat(timespec="minutes"),
        "anonymous_judging": True,
        "requires_materials": False,
        "groups": [{"name": ""}],
        "rounds": [
            {"name": "", "weight": 1, "mode": RoundMode.QUEUE, "criteria": [{"name": "", "max_score": None}]}
        ],
        "scoring": dict(DEFAULT_SCORING),
        "awards": DEFAULT_AWARDS,
    }


# --- errors ---------------------------------------------------------------------------------------------


def input_name(path: str) -> str:
    """The input (or section) a body path refers to: ``rounds[1].criteria[0].max_score`` →
    ``rounds-1-criteria-0-max_score``; ``eligible_categories[2]`` → ``eligible_categories``."""
    if path.startswith("eligible_categories"):
        return "eligible_categories"
    return re.sub(r"\[(\d+)\]", r"-\1", path).replace(".", "-")


def errors_by_input(details: list[dict]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for detail in details:
        errors.setdefault(input_name(detail.get("field", "")), []).append(detail["message"])
    return errors


def field_label(path: str) -> str:
    """A body path in the form's words: ``rounds[1].criteria[0].max_score`` → "Round 2 · Criterion 1 ·
    Maximum score"."""
    words = []
    for name, index in _PATH_PART.findall(path):
        if index and name in ITEM_LABELS:
            words.append(str(ITEM_LABELS[name]) % {"n": int(index) + 1})
        elif name in FIELD_LABELS:
            words.append(str(FIELD_LABELS[name]))
    return " · ".join(words)


def error_summary(details: list[dict]) -> list[dict]:
    return [
        {"label": field_label(d.get("field", "")), "message": d["message"], "anchor": input_name(d["field"])}
        for d in details
        if d.get("field") is not None
    ]
