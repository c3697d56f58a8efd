"""A competition's definition (the POST /competitions body): parse it from JSON-like data and validate it.

``parse_spec`` reads the API body into frozen dataclasses, ``validate_spec`` checks the rules, and
``spec_to_dict`` writes a spec back as JSON-able data that ``parse_spec`` reads into an equal spec.
Problems are (field path, code, params), never messages: the service words them in the user's language.
Field paths follow the body: ``"name"``, ``"rounds"``, ``"rounds[1].weight"``,
``"rounds[0].criteria[2].max_score"``, ``"groups[3].name"``, ``"awards[0].ratio"``, ``"scoring.decimals"``,
``"scoring.tie_breakers[1]"``; an exam round's ``"rounds[0].exam.minutes"``, ``"rounds[0].exam.closes"``,
``"rounds[0].exam.paper[1].points"``; ``"auto_approve"``.

A round is ``"kind": "judged"`` (the default: ``mode`` and ``criteria``) or ``"exam"`` (a written test: no
criteria, and ``exam`` {minutes 1..600, opens, closes after opens, show_answers, attempts 1..10,
multiple_partial in [0, 1], paper: the rule that ``exam.rule_problems`` checks}). An exam round with criteria,
or a judged round with ``exam``, is ``not_allowed``; ``order`` {"after": "opens"} is a window closing before
it opens.

Codes and their params:

- ``required`` {} — missing, null, blank or empty where a value is needed;
- ``type`` {"expected": "number" | "integer" | "text" | "boolean" | "list" | "object" | "date" | "datetime"};
- ``too_long`` {"max": n} — text longer than n characters;
- ``choice`` {"value": v, "choices": [...]} — not one of the allowed values (a tie-breaker that names no
  round of the competition: the choices are the round names);
- ``not_allowed`` {} — a provincial competition with a ``university``;
- ``range`` {"min": a, "max": b} (integers, inclusive; either may be absent) or
  {"above": "0", "max": "1"} (decimals as text: greater than ``above``, at most ``max``);
- ``decimals`` {"places": 1} — a maximum score with more decimal places; {"places": 4} — a weight, award
  ratio or anomaly threshold finer than 0.0001 (it would be rounded when stored, and weights that sum to 1
  into weights that do not);
- ``duplicate`` {"value": v} — a repeated name (or category, or tie-breaking round), reported on every
  repetition after the first;
- ``order`` {"after": "registration_opens"} — registration must close after it opens;
- ``weights_sum`` {"sum": "0.95"} — the round weights must sum to exactly 1;
- ``ratios_sum`` {"sum": "1.05"} — the award ratios may sum to at most 1.

All numbers are Decimal, made with ``Decimal(str(x))`` (never binary float arithmetic); JSON numbers,
Decimals and plain decimal strings ("0.75", as HTML forms send them) are accepted; booleans, NaN and
infinities are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from decimal import Decimal

from competition.enums import RoundKind, RoundMode

from .exam import PaperPart
from .spec_reader import _Reader
from .spec_rules import validate_spec
from .spec_types import (
    DEFAULT_AWARDS,
    AwardSpec,
    CompetitionSpec,
    CriterionSpec,
    ExamSpec,
    Problem,
    RoundSpec,
    ScoringSpec,
    _path_key,
    spec_to_dict,
)

__all__ = [
    "AwardSpec",
    "CompetitionSpec",
    "CriterionSpec",
    "DEFAULT_AWARDS",
    "ExamSpec",
    "Problem",
    "RoundSpec",
    "ScoringSpec",
    "parse_spec",
    "spec_to_dict",
    "validate_spec",
]

# --- reading the body --------------------------------------------------------------------------------------


def _read_scoring(reader: _Reader, data: Mapping) -> ScoringSpec | None:
    value = data.get("scoring")
    if value is None:
        return ScoringSpec()
    scoring = reader.mapping(value, "scoring")
    if scoring is None:
        return None
    default = ScoringSpec()
    return ScoringSpec(
        trim_highest=reader.integer(
            scoring, "trim_highest", "scoring.trim_highest", required=False, default=default.trim_highest
        ),
        trim_lowest=reader.integer(
            scoring, "trim_lowest", "scoring.trim_lowest", required=False, default=default.trim_lowest
        ),
        trim_min_judges=reader.integer(
            scoring,
            "trim_min_judges",
            "scoring.trim_min_judges",
            required=False,
            default=default.trim_min_judges,
        ),
        decimals=reader.integer(
            scoring, "decimals", "scoring.decimals", required=False, default=default.decimals
        ),
        final=reader.text(scoring, "final", "scoring.final", required=False, default=default.final),
        anomaly_threshold=reader.number(
            scoring,
            "anomaly_threshold",
            "scoring.anomaly_threshold",
            required=False,
            default=default.anomaly_threshold,
        ),
        tie_breakers=_read_tie_breakers(reader, scoring),
    )


def _read_tie_breakers(reader: _Reader, scoring: Mapping) -> tuple | None:
    """The names of the tie-breaking rounds, in order (none when omitted or null)."""
    items = reader.items(scoring, "tie_breakers", "scoring.tie_breakers", required=False)
    if items is None:
        return None if "scoring.tie_breakers" in reader.failed else ()
    names = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            names.append(item.strip())
        else:
            reader.fail(f"scoring.tie_breakers[{i}]", "type", {"expected": "text"})
            names.append(None)
    return tuple(names)


def _read_paper(reader: _Reader, data: Mapping, path: str) -> tuple | None:
    items = reader.items(data, "paper", f"{path}.paper")
    if items is None:
        return None
    parts: list[PaperPart | None] = []
    for i, item in enumerate(items):
        item_path = f"{path}.paper[{i}]"
        part = reader.mapping(item, item_path)
        if part is None:
            parts.append(None)
            continue
        parts.append(
            PaperPart(
                type=reader.text(part, "type", f"{item_path}.type"),
                count=reader.integer(part, "count", f"{item_path}.count"),
                points=reader.number(part, "points", f"{item_path}.points"),
            )
        )
    return tuple(parts)


def _read_exam(reader: _Reader, data: Mapping, path: str) -> ExamSpec | None:
    """An exam round's settings; None when absent (the rules then say ``required``) or not an object."""
    value = data.get("exam")
    if value is None:
        return None
    exam = reader.mapping(value, f"{path}.exam")
    if exam is None:
        return None
    path = f"{path}.exam"
    return ExamSpec(
        minutes=reader.integer(exam, "minutes", f"{path}.minutes"),
        opens=reader.read_datetime(exam, "opens", f"{path}.opens"),
        closes=reader.read_datetime(exam, "closes", f"{path}.closes"),
        paper=_read_paper(reader, exam, path),
        show_answers=reader.boolean(exam, "show_answers", f"{path}.show_answers", default=False),
        attempts=reader.integer(exam, "attempts", f"{path}.attempts", required=False, default=1),
        multiple_partial=reader.number(
            exam, "multiple_partial", f"{path}.multiple_partial", required=False, default=Decimal(0)
        ),
    )


def _read_round(reader: _Reader, value: object, path: str) -> RoundSpec | None:
    data = reader.mapping(value, path)
    if data is None:
        return None
    kind = reader.text(data, "kind", f"{path}.kind", required=False, default=RoundKind.JUDGED.value)
    if kind == RoundKind.EXAM:
        criteria = reader.items(data, "criteria", f"{path}.criteria", required=False)
        return RoundSpec(
            name=reader.text(data, "name", f"{path}.name"),
            weight=reader.number(data, "weight", f"{path}.weight"),
            criteria=() if not criteria else tuple(criteria),  # any criteria at all: not_allowed
            mode=RoundMode.QUEUE.value,
            kind=kind,
            exam=_read_exam(reader, data, path),
        )
    criteria = reader.items(data, "criteria", f"{path}.criteria")
    parsed: list[CriterionSpec | None] = []
    for j, item in enumerate(criteria or ()):
        item_path = f"{path}.criteria[{j}]"
        criterion = reader.mapping(item, item_path)
        if criterion is None:
            parsed.append(None)
            continue
        parsed.append(
            CriterionSpec(
                name=reader.text(criterion, "name", f"{item_path}.name"),
                max_score=reader.number(criterion, "max_score", f"{item_path}.max_score"),
                description=reader.text(
                    criterion, "description", f"{item_path}.description", required=False, default=""
                ),
            )
        )
    return RoundSpec(
        name=reader.text(data, "name", f"{path}.name"),
        weight=reader.number(data, "weight", f"{path}.weight"),
        criteria=None if criteria is None else tuple(parsed),
        mode=reader.text(data, "mode", f"{path}.mode", required=False, default=RoundMode.QUEUE.value),
        kind=kind,
        exam=_read_exam(reader, data, path),  # on a judged round: not_allowed
    )


def _read_named(reader: _Reader, data: Mapping, key: str) -> tuple | None:
    """The names of a list of {"name"} objects (groups)."""
    items = reader.items(data, key, key)
    if items is None:
        return None
    names = []
    for i, item in enumerate(items):
        group = reader.mapping(item, f"{key}[{i}]")
        names.append(None if group is None else reader.text(group, "name", f"{key}[{i}].name"))
    return tuple(names)


def _read_awards(reader: _Reader, data: Mapping) -> tuple | None:
    if data.get("awards") is None:
        return DEFAULT_AWARDS
    items = reader.items(data, "awards", "awards")
    if items is None:
        return None
    awards: list[AwardSpec | None] = []
    for i, item in enumerate(items):
        award = reader.mapping(item, f"awards[{i}]")
        if award is None:
            awards.append(None)
            continue
        name = reader.text(award, "name", f"awards[{i}].name")
        awards.append(AwardSpec(name, reader.number(award, "ratio", f"awards[{i}].ratio")))
    return tuple(awards)


def _read_categories(reader: _Reader, data: Mapping) -> tuple | None:
    items = reader.items(data, "eligible_categories", "eligible_categories")
    if items is None:
        return None
    categories = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            categories.append(item.strip())
        else:
            reader.fail(f"eligible_categories[{i}]", "type", {"expected": "text"})
            categories.append(None)
    return tuple(categories)


def parse_spec(data: Mapping, *, tz: tzinfo | None = None) -> tuple[CompetitionSpec | None, list[Problem]]:
    """Read a POST /competitions body into a spec: (spec, []) when all is well, else (None, every problem).

    Omitted or null ``scoring`` fields, and omitted or null ``awards``, take the defaults (``"awards": []``
    means no awards; no ``tie_breakers``, equal finals share a rank); ``anonymous_judging`` defaults to
    true, ``requires_materials`` to false, a round's ``mode`` to "queue". Unknown keys (ids, ``status``)
    are ignored; texts are stripped; a blank ``university`` is none. Datetimes are ISO 8601 text (or
    datetime objects): an aware one is converted to naive UTC; a naive one is taken as local time in ``tz``
    (the app passes Asia/Shanghai), or as UTC when ``tz`` is None. Type problems and rule problems
    (``validate_spec``) are reported together, in the order of the body, except rule problems on a field
    that already has a type problem.
    """
    if not isinstance(data, Mapping):
        return None, [Problem("", "type", {"expected": "object"})]
    reader = _Reader(tz)
    university = reader.text(data, "university", "university", required=False)
    draft = CompetitionSpec(
        name=reader.text(data, "name", "name"),
        kind=reader.text(data, "kind", "kind"),
        level=reader.text(data, "level", "level"),
        university=university or None,
        year=reader.integer(data, "year", "year"),
        eligible_categories=_read_categories(reader, data),
        max_age=reader.integer(data, "max_age", "max_age", required=False),
        age_reference_date=reader.read_date(data, "age_reference_date", "age_reference_date"),
        registration_opens=reader.read_datetime(data, "registration_opens", "registration_opens"),
        registration_closes=reader.read_datetime(data, "registration_closes", "registration_closes"),
        quota_per_university=reader.integer(
            data, "quota_per_university", "quota_per_university", required=False
        ),
        anonymous_judging=reader.boolean(data, "anonymous_judging", "anonymous_judging", default=True),
        groups=_read_named(reader, data, "groups"),
        rounds=_read_rounds(reader, data),
        scoring=_read_scoring(reader, data),
        awards=_read_awards(reader, data),
        requires_materials=reader.boolean(data, "requires_materials", "requires_materials", default=False),
        description=reader.text(data, "description", "description", required=False, default=""),
        auto_approve=reader.boolean(data, "auto_approve", "auto_approve", default=False),
    )
    problems = reader.problems + [p for p in validate_spec(draft) if not _within(p.field, reader.failed)]
    if problems:
        return None, sorted(problems, key=lambda p: _path_key(p.field))
    return draft, []


def _within(path: str, failed: set[str]) -> bool:
    """True when ``path`` is a failed path or lies inside one ("groups[0].name" inside "groups[0]")."""
    return any(path == f or path.startswith((f + ".", f + "[")) for f in failed)


def _read_rounds(reader: _Reader, data: Mapping) -> tuple | None:
    items = reader.items(data, "rounds", "rounds")
    if items is None:
        return None
    return tuple(_read_round(reader, item, f"rounds[{i}]") for i, item in enumerate(items))
