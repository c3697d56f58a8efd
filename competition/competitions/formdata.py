"""The set-up form: flat field names (``rounds-0-criteria-1-max_score``) ↔ the POST /competitions body.

The form works on a *state*: the body's shape with every value as the text of its input, and weights, award
ratios and the anomaly threshold as percentages (20 for 0.2). ``state_from_form`` reads a posted form (blank
rows dropped, rows renumbered), ``body_from_state`` writes the API body the service validates, and
``state_from_body`` fills the form from a template, a stored competition or the defaults. Because the body is
built from the state row by row, an error path of the body names an input of the re-rendered form:
``rounds[1].criteria[0].max_score`` → ``rounds-1-criteria-0-max_score``. The tie-breaking rounds are a few
selects of round names (``scoring-tie_breakers-0``, ...), blank ones dropped: ``scoring.tie_breakers[1]`` →
``scoring-tie_breakers-1``.

A round carries both parts, the rubric (``mode``, ``criteria``) and the written test's settings (``exam``:
``rounds-1-exam-minutes``, the paper rule's lines ``rounds-1-exam-paper-0-count``), whatever its ``kind``:
without JavaScript the form shows both, and the body takes only the part its kind uses (an exam round has no
``criteria`` key). Paper lines asking for nothing are dropped, so ``rounds[1].exam.paper[0]`` is the state's
first line, which the form shows first; the types not in the state follow, blank.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from werkzeug.datastructures import MultiDict

from ..enums import CompetitionKind, CompetitionLevel, FinalMode, QuestionType, RoundKind, RoundMode
from .words import FIELD_LABELS, ITEM_LABELS, NESTED_LABELS, QUESTION_TYPE_LABELS

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
EXAM_FIELDS = ("minutes", "opens", "closes", "attempts", "multiple_partial")
PAPER_TYPES = tuple(t.value for t in QuestionType)
# A new exam round's paper: 20 × 2 + 10 × 4 + 10 × 2 = 100 points.
DEFAULT_PAPER = (("single", 20, 2), ("multiple", 10, 4), ("true_false", 10, 2))
EXAM_MINUTES = 30
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


def _exam_from_form(form: MultiDict, prefix: str, registration_closes: str) -> dict:
    """A round's written-test settings as posted; the defaults when the form had none (an older form)."""
    if not any(key.startswith(f"{prefix}-") for key in form):
        return default_exam(registration_closes)
    exam: dict = {key: _text(form, f"{prefix}-{key}") for key in EXAM_FIELDS}
    exam["show_answers"] = bool(form.get(f"{prefix}-show_answers"))
    lines = [
        {f: _text(form, f"{prefix}-paper-{j}-{f}") for f in ("type", "count", "points")}
        for j in _indices(form, f"{prefix}-paper")
    ]
    exam["paper"] = [line for line in lines if line["count"] not in ("", "0") or line["points"]]
    return exam


def state_from_form(form: MultiDict) -> dict:
    state: dict = {key: _text(form, key) for key in SIMPLE}
    state["eligible_categories"] = [c for c in form.getlist("eligible_categories") if c]
    state["anonymous_judging"] = bool(form.get("anonymous_judging"))
    state["requires_materials"] = bool(form.get("requires_materials"))
    state["auto_approve"] = bool(form.get("auto_approve"))
    state["groups"] = _rows(form, "groups", ("name",))
    state["rounds"] = []
    for i in _indices(form, "rounds"):
        prefix = f"rounds-{i}"
        criteria = _rows(form, f"{prefix}-criteria", ("name", "max_score", "description"))
        row = {"name": _text(form, f"{prefix}-name"), "weight": _text(form, f"{prefix}-weight")}
        kind = _text(form, f"{prefix}-kind") or RoundKind.JUDGED
        if row["name"] or row["weight"] or kind == RoundKind.EXAM or criteria:
            row["kind"] = kind
            row["mode"] = _text(form, f"{prefix}-mode") or RoundMode.QUEUE
            row["criteria"] = criteria
            row["exam"] = _exam_from_form(form, f"{prefix}-exam", state["registration_closes"])
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


def _exam_body(exam: dict) -> dict:
    body = {key: _or_none(exam[key]) for key in ("minutes", "opens", "closes", "attempts")}
    paper = [
        {"type": p["type"], "count": _or_none(p["count"]), "points": _or_none(p["points"])}
        for p in exam["paper"]
    ]
    partial = ratio_text(exam["multiple_partial"])
    return {**body, "show_answers": exam["show_answers"], "multiple_partial": partial, "paper": paper}


def _round_body(r: dict) -> dict:
    """A judged round with its mode and rubric; an exam round with its settings and no ``criteria`` key."""
    head = {"name": r["name"], "weight": ratio_text(r["weight"]), "kind": r["kind"]}
    if r["kind"] == RoundKind.EXAM:
        return {**head, "exam": _exam_body(r["exam"])}
    criteria = [
        {"name": c["name"], "max_score": _or_none(c["max_score"]), "description": c["description"]}
        for c in r["criteria"]
    ]
    return {**head, "mode": r["mode"], "criteria": criteria}


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
        "auto_approve": state["auto_approve"],
        "groups": [{"name": g["name"]} for g in state["groups"]],
        "rounds": [_round_body(r) for r in state["rounds"]],
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


def _moment_text(value) -> str:
    """A datetime as a datetime-local input wants it: 2026-12-03T09:00 (seconds dropped)."""
    text = _str(value)
    try:
        return datetime.fromisoformat(text).isoformat(timespec="minutes")
    except ValueError:
        return text


def default_exam(registration_closes: str) -> dict:
    """A new exam round's settings: 30 minutes, one attempt, all-or-nothing multiple choice, the paper of
    DEFAULT_PAPER, sitting on the day after registration closes from 9:00 to 17:00."""
    try:
        day = (datetime.fromisoformat(registration_closes) + timedelta(days=1)).date().isoformat()
        opens, closes = f"{day}T09:00", f"{day}T17:00"
    except (TypeError, ValueError):
        opens = closes = ""
    paper = [{"type": t, "count": str(n), "points": str(p)} for t, n, p in DEFAULT_PAPER]
    exam = {"minutes": str(EXAM_MINUTES), "opens": opens, "closes": closes, "attempts": "1"}
    return {**exam, "multiple_partial": "0", "show_answers": False, "paper": paper}


def _exam_state(exam, registration_closes: str) -> dict:
    if not isinstance(exam, dict):
        return default_exam(registration_closes)
    state = {key: _str(exam.get(key, 1 if key == "attempts" else None)) for key in ("minutes", "attempts")}
    state |= {key: _moment_text(exam.get(key)) for key in ("opens", "closes")}
    paper = [{f: _str(p.get(f)) for f in ("type", "count", "points")} for p in exam.get("paper") or []]
    partial = percent_text(exam.get("multiple_partial", 0))
    return {
        **state,
        "multiple_partial": partial,
        "show_answers": bool(exam.get("show_answers")),
        "paper": paper,
    }


def blank_round(registration_closes: str) -> dict:
    """The state of a round added on the form (the form's <template>): judged, one blank criterion."""
    criteria = [{"name": "", "max_score": "", "description": ""}]
    exam = default_exam(registration_closes)
    return {"name": "", "weight": "", "kind": "judged", "mode": "queue", "criteria": criteria, "exam": exam}


def state_from_body(body: dict) -> dict:
    state: dict = {key: _str(body.get(key)) for key in SIMPLE}
    state["eligible_categories"] = list(body.get("eligible_categories") or [])
    state["anonymous_judging"] = body.get("anonymous_judging", True) is not False
    state["requires_materials"] = bool(body.get("requires_materials"))
    state["auto_approve"] = bool(body.get("auto_approve"))
    state["groups"] = [{"name": _str(g.get("name"))} for g in body.get("groups") or []]
    state["rounds"] = [
        {
            "name": _str(r.get("name")),
            "weight": percent_text(r.get("weight")),
            "kind": r.get("kind") or RoundKind.JUDGED.value,
            "exam": _exam_state(r.get("exam"), state["registration_closes"]),
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
        "auto_approve": False,
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


def _step(node, name: str, index: str):
    """The part of the state a path step names (None when the state has no such part)."""
    node = node.get(name) if isinstance(node, dict) else None
    if index:
        node = node[int(index)] if isinstance(node, list) and int(index) < len(node) else None
    return node


def field_label(path: str, state: dict | None = None) -> str:
    """A body path in the form's words: ``rounds[1].criteria[0].max_score`` → "Round 2 · Criterion 1 ·
    Maximum score"; a paper line by its type when the state says it: ``rounds[1].exam.paper[0].count`` →
    "Round 2 · Single choice · Questions". ``exam`` is named only when the path ends there."""
    parts = _PATH_PART.findall(path)
    words, parent, node = [], None, state
    for k, (name, index) in enumerate(parts):
        node = _step(node, name, index)
        if name == "paper" and index:
            kind = node.get("type") if isinstance(node, dict) else None
            words.append(str(QUESTION_TYPE_LABELS.get(kind, FIELD_LABELS["paper"])))
        elif index and name in ITEM_LABELS:
            words.append(str(ITEM_LABELS[name]) % {"n": int(index) + 1})
        elif (parent, name) in NESTED_LABELS:
            words.append(str(NESTED_LABELS[(parent, name)]))
        elif name in FIELD_LABELS and (name != "exam" or k == len(parts) - 1):
            words.append(str(FIELD_LABELS[name]))
        parent = name
    return " · ".join(words)


def error_summary(details: list[dict], state: dict | None = None) -> list[dict]:
    return [
        {"label": field_label(d["field"], state), "message": d["message"], "anchor": input_name(d["field"])}
        for d in details
        if d.get("field") is not None
    ]
