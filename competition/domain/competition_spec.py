"""A competition's definition (the POST /competitions body): parse it from JSON-like data and validate it.

``parse_spec`` reads the API body into frozen dataclasses, ``validate_spec`` checks the rules, and
``spec_to_dict`` writes a spec back as JSON-able data that ``parse_spec`` reads into an equal spec.
Problems are (field path, code, params), never messages: the service words them in the user's language.
Field paths follow the body: ``"name"``, ``"rounds"``, ``"rounds[1].weight"``,
``"rounds[0].criteria[2].max_score"``, ``"groups[3].name"``, ``"awards[0].ratio"``, ``"scoring.decimals"``.

Codes and their params:

- ``required`` {} — missing, null, blank or empty where a value is needed;
- ``type`` {"expected": "number" | "integer" | "text" | "boolean" | "list" | "object" | "date" | "datetime"};
- ``too_long`` {"max": n} — text longer than n characters;
- ``choice`` {"value": v, "choices": [...]} — not one of the allowed values;
- ``not_allowed`` {} — a provincial competition with a ``university``;
- ``range`` {"min": a, "max": b} (integers, inclusive; either may be absent) or
  {"above": "0", "max": "1"} (decimals as text: greater than ``above``, at most ``max``);
- ``decimals`` {"places": 1} — a maximum score with more decimal places; {"places": 4} — a weight, award
  ratio or anomaly threshold finer than 0.0001 (it would be rounded when stored, and weights that sum to 1
  into weights that do not);
- ``duplicate`` {"value": v} — a repeated name (or category), reported on every repetition after the first;
- ``order`` {"after": "registration_opens"} — registration must close after it opens;
- ``weights_sum`` {"sum": "0.95"} — the round weights must sum to exactly 1;
- ``ratios_sum`` {"sum": "1.05"} — the award ratios may sum to at most 1.

All numbers are Decimal, made with ``Decimal(str(x))`` (never binary float arithmetic); JSON numbers,
Decimals and plain decimal strings ("0.75", as HTML forms send them) are accepted; booleans, NaN and
infinities are not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

from competition.enums import CompetitionKind, CompetitionLevel, FinalMode, PostCategory, RoundMode

KINDS = tuple(k.value for k in CompetitionKind)
LEVELS = tuple(level.value for level in CompetitionLevel)
CATEGORIES = tuple(c.value for c in PostCategory)
ROUND_MODES = tuple(m.value for m in RoundMode)
FINAL_MODES = tuple(m.value for m in FinalMode)

MAX_LENGTHS = {
    "name": 200,
    "group": 100,
    "round": 100,
    "criterion": 100,
    "criterion_description": 500,
    "award": 50,
    "description": 5000,
}
YEARS = (2000, 2100)
AGES = (18, 70)
MAX_SCORE = Decimal(1000)
# Weights, award ratios and the anomaly threshold are fractions given to at most 4 places (0.0001 = 0.01%):
# a finer value could not be stored, and weights summing to 1 would be rounded into weights that do not.
FRACTION_PLACES = 4
MAX_QUOTA = 100_000
MAX_TRIM = 3
MAX_DECIMALS = 4


@dataclass(frozen=True)
class Problem:
    """One problem: a field path ("rounds[1].weight"; "" for a body that is not an object), code, params."""

    field: str
    code: str
    params: dict


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    max_score: Decimal
    description: str = ""


@dataclass(frozen=True)
class RoundSpec:
    name: str
    weight: Decimal
    criteria: tuple[CriterionSpec, ...]
    mode: str = "queue"


@dataclass(frozen=True)
class AwardSpec:
    name: str
    ratio: Decimal


@dataclass(frozen=True)
class ScoringSpec:
    trim_highest: int = 1
    trim_lowest: int = 1
    trim_min_judges: int = 5
    decimals: int = 2
    final: str = "weighted"
    anomaly_threshold: Decimal = Decimal("0.10")


@dataclass(frozen=True)
class CompetitionSpec:
    """A whole competition definition. Datetimes are naive UTC."""

    name: str
    kind: str
    level: str
    university: str | None
    year: int
    eligible_categories: tuple[str, ...]
    max_age: int | None
    age_reference_date: date | None
    registration_opens: datetime
    registration_closes: datetime
    quota_per_university: int | None
    anonymous_judging: bool
    groups: tuple[str, ...]
    rounds: tuple[RoundSpec, ...]
    scoring: ScoringSpec
    awards: tuple[AwardSpec, ...]
    requires_materials: bool = False
    description: str = ""


DEFAULT_AWARDS = (
    AwardSpec("一等奖", Decimal("0.15")),
    AwardSpec("二等奖", Decimal("0.25")),
    AwardSpec("三等奖", Decimal("0.35")),
)

# --- reading values ----------------------------------------------------------------------------------------

_MISSING = object()
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER_TEXT = re.compile(r"[+-]?\d+")


def _decimal_of(value: object) -> Decimal | None:
    """A finite Decimal from an int, float, Decimal or plain decimal text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
        return number if number.is_finite() else None
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


def _integer_of(value: object) -> int | None:
    """An int from an int, a whole float or Decimal (2026.0), or integer text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _INTEGER_TEXT.fullmatch(text):
            return None
        try:
            return int(text)
        except ValueError:  # more digits than int() accepts from text
            return None
    number = _decimal_of(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _to_naive_utc(moment: datetime, tz: tzinfo | None) -> datetime:
    if moment.tzinfo is None:
        if tz is None:
            return moment
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC).replace(tzinfo=None)


class _Reader:
    """Reads fields of JSON-like data, collecting ``required`` and ``type`` problems and their paths."""

    def __init__(self, tz: tzinfo | None) -> None:
        self.tz = tz
        self.problems: list[Problem] = []
        self.failed: set[str] = set()

    def fail(self, path: str, code: str, params: dict | None = None) -> None:
        self.problems.append(Problem(path, code, params or {}))
        self.failed.add(path)

    def raw(self, data: Mapping, key: str, path: str, required: bool) -> object:
        """The value, or _MISSING (with a ``required`` problem if it is required) when absent or null."""
        value = data.get(key)
        if value is None:
            if required:
                self.fail(path, "required")
            return _MISSING
        return value

    def text(self, data: Mapping, key: str, path: str, *, required: bool = True, default=None):
        value = self.raw(data, key, path, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.fail(path, "type", {"expected": "text"})
            return None
        return value.strip()

    def number(self, data: Mapping, key: str, path: str, *, required: bool = True, default=None):
        value = self.raw(data, key, path, required)
        if value is _MISSING:
            return default
        number = _decimal_of(value)
        if number is None:
            self.fail(path, "type", {"expected": "number"})
        return number

    def integer(self, data: Mapping, key: str, path: str, *, required: bool = True, default=None):
        value = self.raw(data, key, path, required)
        if value is _MISSING:
            return default
        number = _integer_of(value)
        if number is None:
            self.fail(path, "type", {"expected": "integer"})
        return number

    def boolean(self, data: Mapping, key: str, path: str, *, default: bool):
        value = self.raw(data, key, path, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(path, "type", {"expected": "boolean"})
            return None
        return value

    def read_date(self, data: Mapping, key: str, path: str):
        value = self.raw(data, key, path, False)
        if value is _MISSING:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(path, "type", {"expected": "date"})
        return None

    def read_datetime(self, data: Mapping, key: str, path: str):
        value = self.raw(data, key, path, True)
        if value is _MISSING:
            return None
        moment = None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                moment = None
        if moment is not None:
            try:
                return _to_naive_utc(moment, self.tz)
            except (OverflowError, ValueError):  # beyond year 1..9999 once moved to UTC
                pass
        self.fail(path, "type", {"expected": "datetime"})
        return None

    def items(self, data: Mapping, key: str, path: str, *, required: bool = True):
        """A list's items, or None when absent (and not required) or not a list."""
        value = self.raw(data, key, path, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list | tuple):
            self.fail(path, "type", {"expected": "list"})
            return None
        return list(value)

    def mapping(self, value: object, path: str) -> Mapping | None:
        if isinstance(value, Mapping):
            return value
        self.fail(path, "type", {"expected": "object"})
        return None


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
    )


def _read_round(reader: _Reader, value: object, path: str) -> RoundSpec | None:
    data = reader.mapping(value, path)
    if data is None:
        return None
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
    means no awards); ``anonymous_judging`` defaults to true, ``requires_materials`` to false, a round's
    ``mode`` to "queue". Unknown keys (ids, ``status``) are ignored; texts are stripped; a blank
    ``university`` is none. Datetimes are ISO 8601 text (or datetime objects): an aware one is converted to
    naive UTC; a naive one is taken as local time in ``tz`` (the app passes Asia/Shanghai), or as UTC when
    ``tz`` is None. Type problems and rule problems (``validate_spec``) are reported together, in the order
    of the body, except rule problems on a field that already has a type problem.
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


_ORDER = {
    name: i
    for i, name in enumerate(
        (
            "",
            "name",
            "kind",
            "level",
            "university",
            "year",
            "eligible_categories",
            "max_age",
            "age_reference_date",
            "registration_opens",
            "registration_closes",
            "quota_per_university",
            "anonymous_judging",
            "groups",
            "rounds",
            "weight",
            "mode",
            "criteria",
            "max_score",
            "description",
            "scoring",
            "trim_highest",
            "trim_lowest",
            "trim_min_judges",
            "decimals",
            "final",
            "anomaly_threshold",
            "awards",
            "ratio",
            "requires_materials",
        )
    )
}
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _path_key(path: str) -> tuple:
    """Sort key for field paths in body order: name, ..., rounds[0].name, rounds[0].weight, ..."""
    return tuple(
        (0, int(index)) if index else (1, _ORDER.get(name, len(_ORDER)))
        for index, name in _PATH_PART.findall(path)
    )


# --- rules -------------------------------------------------------------------------------------------------


def _exact() -> Context:
    """A context in which adding and normalizing finite Decimals never rounds."""
    return Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _text(d: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros: 0.950 → "0.95", 1E+2 → "100"."""
    return format(d.normalize(_exact()), "f")


def _places(d: Decimal) -> int:
    """Decimal places that matter: 12.50 → 1, 40.00 → 0, 1E+2 → 0."""
    return max(0, -d.normalize(_exact()).as_tuple().exponent)


def _exact_sum(numbers) -> Decimal:
    with localcontext(_exact()):
        return sum(numbers, Decimal(0))


def _check_text(
    problems: list[Problem], path: str, value: str | None, limit: int, required: bool = True
) -> None:
    if value is None or value == "":
        if required:
            problems.append(Problem(path, "required", {}))
    elif len(value) > limit:
        problems.append(Problem(path, "too_long", {"max": limit}))


def _check_choice(problems: list[Problem], path: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is None:
        problems.append(Problem(path, "required", {}))
    elif value not in choices:
        problems.append(Problem(path, "choice", {"value": value, "choices": list(choices)}))


def _check_int(
    problems: list[Problem], path: str, value: int | None, low: int | None, high: int | None
) -> None:
    if value is None:
        return
    if (low is not None and value < low) or (high is not None and value > high):
        params = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
        problems.append(Problem(path, "range", params))


def _check_fraction(
    problems: list[Problem],
    path: str,
    value: Decimal | None,
    high: Decimal,
    places: int | None = FRACTION_PLACES,
) -> bool:
    """Check 0 < value <= high (and at most ``places`` decimal places); True when present and valid."""
    if value is None:
        problems.append(Problem(path, "required", {}))
        return False
    if not (value > 0 and value <= high):
        problems.append(Problem(path, "range", {"above": "0", "max": _text(high)}))
        return False
    if places is not None and max(0, -value.normalize().as_tuple().exponent) > places:
        problems.append(Problem(path, "decimals", {"places": places}))
        return False
    return True


def _check_unique(problems: list[Problem], paths_and_names) -> None:
    seen: set[str] = set()
    for path, name in paths_and_names:
        if name is None or name == "":
            continue
        if name in seen:
            problems.append(Problem(path, "duplicate", {"value": name}))
        seen.add(name)


def validate_spec(spec: CompetitionSpec) -> list[Problem]:
    """Every rule problem of a spec (see the module docstring for codes and params), in body order.

    name 1..200 characters; kind teaching/drill; level school/provincial, a school competition names its
    ``university`` and a provincial one must not; year 2000..2100; eligible categories a non-empty set of the
    three post categories; max_age none or 18..70, and then ``age_reference_date`` is required; registration
    closes after it opens; quota none or 1..100,000; at least one group, names unique, at most 100
    characters; at least one round, names unique, weights in (0, 1] with at most 4 decimal places summing to
    exactly 1, mode queue/live,
    each with at least one criterion, names unique within the round, maximum in (0, 1000] with at most one
    decimal place; trimming 0..3 each side, ``trim_min_judges`` at least trim_highest + trim_lowest + 1,
    decimals 0..4, final weighted/last_round, anomaly_threshold in (0, 1]; award ratios in (0, 1] (at most 4
    places, like the weights and the threshold), names
    unique, summing to at most 1 (no awards at all is allowed).
    """
    problems: list[Problem] = []
    _check_text(problems, "name", spec.name, MAX_LENGTHS["name"])
    _check_choice(problems, "kind", spec.kind, KINDS)
    _check_choice(problems, "level", spec.level, LEVELS)
    if spec.level == CompetitionLevel.SCHOOL and not spec.university:
        problems.append(Problem("university", "required", {}))
    elif spec.level == CompetitionLevel.PROVINCIAL and spec.university:
        problems.append(Problem("university", "not_allowed", {}))
    if spec.year is None:
        problems.append(Problem("year", "required", {}))
    _check_int(problems, "year", spec.year, *YEARS)
    _validate_categories(problems, spec.eligible_categories)
    _check_int(problems, "max_age", spec.max_age, *AGES)
    if spec.max_age is not None and spec.age_reference_date is None:
        problems.append(Problem("age_reference_date", "required", {}))
    if spec.registration_opens is None:
        problems.append(Problem("registration_opens", "required", {}))
    if spec.registration_closes is None:
        problems.append(Problem("registration_closes", "required", {}))
    elif spec.registration_opens is not None and spec.registration_closes <= spec.registration_opens:
        problems.append(Problem("registration_closes", "order", {"after": "registration_opens"}))
    _check_int(problems, "quota_per_university", spec.quota_per_university, 1, MAX_QUOTA)
    if spec.anonymous_judging is None:
        problems.append(Problem("anonymous_judging", "required", {}))
    _validate_groups(problems, spec.groups)
    _validate_rounds(problems, spec.rounds)
    _validate_scoring(problems, spec.scoring)
    _validate_awards(problems, spec.awards)
    if spec.requires_materials is None:
        problems.append(Problem("requires_materials", "required", {}))
    _check_text(problems, "description", spec.description, MAX_LENGTHS["description"], required=False)
    return sorted(problems, key=lambda p: _path_key(p.field))


def _validate_categories(problems: list[Problem], categories: tuple | None) -> None:
    if not categories:
        problems.append(Problem("eligible_categories", "required", {}))
        return
    paths = [(f"eligible_categories[{i}]", c) for i, c in enumerate(categories)]
    for path, category in paths:
        if category is not None:
            _check_choice(problems, path, category, CATEGORIES)
    _check_unique(problems, paths)


def _validate_groups(problems: list[Problem], groups: tuple | None) -> None:
    if not groups:
        problems.append(Problem("groups", "required", {}))
        return
    paths = [(f"groups[{i}].name", name) for i, name in enumerate(groups)]
    for path, name in paths:
        _check_text(problems, path, name, MAX_LENGTHS["group"])
    _check_unique(problems, paths)


def _validate_rounds(problems: list[Problem], rounds: tuple | None) -> None:
    if not rounds:
        problems.append(Problem("rounds", "required", {}))
        return
    weights_ok = True
    for i, round_ in enumerate(rounds):
        path = f"rounds[{i}]"
        if round_ is None:
            problems.append(Problem(path, "required", {}))
            weights_ok = False
            continue
        _check_text(problems, f"{path}.name", round_.name, MAX_LENGTHS["round"])
        weights_ok &= _check_fraction(problems, f"{path}.weight", round_.weight, Decimal(1))
        if round_.mode is None:
            problems.append(Problem(f"{path}.mode", "required", {}))
        elif round_.mode not in ROUND_MODES:
            problems.append(
                Problem(f"{path}.mode", "choice", {"value": round_.mode, "choices": list(ROUND_MODES)})
            )
        _validate_criteria(problems, path, round_.criteria)
    _check_unique(problems, [(f"rounds[{i}].name", r.name) for i, r in enumerate(rounds) if r is not None])
    if weights_ok:
        total = _exact_sum(r.weight for r in rounds)
        if total != 1:
            problems.append(Problem("rounds", "weights_sum", {"sum": _text(total)}))


def _validate_criteria(problems: list[Problem], path: str, criteria: tuple | None) -> None:
    if not criteria:
        problems.append(Problem(f"{path}.criteria", "required", {}))
        return
    for j, criterion in enumerate(criteria):
        item = f"{path}.criteria[{j}]"
        if criterion is None:
            problems.append(Problem(item, "required", {}))
            continue
        _check_text(problems, f"{item}.name", criterion.name, MAX_LENGTHS["criterion"])
        in_range = _check_fraction(problems, f"{item}.max_score", criterion.max_score, MAX_SCORE, places=None)
        if in_range and _places(criterion.max_score) > 1:
            problems.append(Problem(f"{item}.max_score", "decimals", {"places": 1}))
        _check_text(
            problems,
            f"{item}.description",
            criterion.description,
            MAX_LENGTHS["criterion_description"],
            False,
        )
    _check_unique(
        problems, [(f"{path}.criteria[{j}].name", c.name) for j, c in enumerate(criteria) if c is not None]
    )


def _validate_scoring(problems: list[Problem], scoring: ScoringSpec | None) -> None:
    if scoring is None:
        problems.append(Problem("scoring", "required", {}))
        return
    trims = (scoring.trim_highest, scoring.trim_lowest)
    _check_int(problems, "scoring.trim_highest", scoring.trim_highest, 0, MAX_TRIM)
    _check_int(problems, "scoring.trim_lowest", scoring.trim_lowest, 0, MAX_TRIM)
    if all(trim is not None and 0 <= trim <= MAX_TRIM for trim in trims):
        least = scoring.trim_highest + scoring.trim_lowest + 1
        _check_int(problems, "scoring.trim_min_judges", scoring.trim_min_judges, least, None)
    _check_int(problems, "scoring.decimals", scoring.decimals, 0, MAX_DECIMALS)
    _check_choice(problems, "scoring.final", scoring.final, FINAL_MODES)
    if scoring.anomaly_threshold is not None:
        _check_fraction(problems, "scoring.anomaly_threshold", scoring.anomaly_threshold, Decimal(1))
    for name in ("trim_highest", "trim_lowest", "trim_min_judges", "decimals", "anomaly_threshold"):
        if getattr(scoring, name) is None:
            problems.append(Problem(f"scoring.{name}", "required", {}))


def _validate_awards(problems: list[Problem], awards: tuple | None) -> None:
    if awards is None:
        problems.append(Problem("awards", "required", {}))
        return
    ratios_ok = True
    for i, award in enumerate(awards):
        if award is None:
            problems.append(Problem(f"awards[{i}]", "required", {}))
            ratios_ok = False
            continue
        _check_text(problems, f"awards[{i}].name", award.name, MAX_LENGTHS["award"])
        ratios_ok &= _check_fraction(problems, f"awards[{i}].ratio", award.ratio, Decimal(1))
    _check_unique(problems, [(f"awards[{i}].name", a.name) for i, a in enumerate(awards) if a is not None])
    if ratios_ok and awards:
        total = _exact_sum(a.ratio for a in awards)
        if total > 1:
            problems.append(Problem("awards", "ratios_sum", {"sum": _text(total)}))


# --- writing -----------------------------------------------------------------------------------------------


def _number(value: Decimal) -> int | float | str:
    """An int when whole, else a float when it reads back exactly, else the decimal text (very long ones)."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(str(as_float)) == value else _text(value)


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat()


def spec_to_dict(spec: CompetitionSpec) -> dict:
    """The spec as JSON-able data in the API body shape; ``parse_spec`` reads it back into an equal spec.

    Numbers are ints or floats (decimal text only when a float cannot carry them exactly); datetimes are ISO
    8601 with "+00:00", so they read back the same whatever ``tz`` is; dates are ISO 8601.
    """
    return {
        "name": spec.name,
        "kind": spec.kind,
        "level": spec.level,
        "university": spec.university,
        "year": spec.year,
        "eligible_categories": list(spec.eligible_categories),
        "max_age": spec.max_age,
        "age_reference_date": spec.age_reference_date.isoformat() if spec.age_reference_date else None,
        "registration_opens": _iso(spec.registration_opens),
        "registration_closes": _iso(spec.registration_closes),
        "quota_per_university": spec.quota_per_university,
        "anonymous_judging": spec.anonymous_judging,
        "groups": [{"name": name} for name in spec.groups],
        "rounds": [
            {
                "name": r.name,
                "weight": _number(r.weight),
                "mode": r.mode,
                "criteria": [
                    {"name": c.name, "max_score": _number(c.max_score), "description": c.description}
                    for c in r.criteria
                ],
            }
            for r in spec.rounds
        ],
        "scoring": {
            "trim_highest": spec.scoring.trim_highest,
            "trim_lowest": spec.scoring.trim_lowest,
            "trim_min_judges": spec.scoring.trim_min_judges,
            "decimals": spec.scoring.decimals,
            "final": spec.scoring.final,
            "anomaly_threshold": _number(spec.scoring.anomaly_threshold),
        },
        "awards": [{"name": a.name, "ratio": _number(a.ratio)} for a in spec.awards],
        "requires_materials": spec.requires_materials,
        "description": spec.description,
    }


__all__ = [
    "DEFAULT_AWARDS",
    "AwardSpec",
    "CompetitionSpec",
    "CriterionSpec",
    "Problem",
    "RoundSpec",
    "ScoringSpec",
    "parse_spec",
    "spec_to_dict",
    "validate_spec",
]
