"""A competition's definition: its limits, the frozen dataclasses, and writing it back as an API body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

from competition.enums import CompetitionKind, CompetitionLevel, FinalMode, PostCategory, RoundKind, RoundMode

KINDS = tuple(k.value for k in CompetitionKind)
LEVELS = tuple(level.value for level in CompetitionLevel)
CATEGORIES = tuple(c.value for c in PostCategory)
ROUND_MODES = tuple(m.value for m in RoundMode)
ROUND_KINDS = tuple(k.value for k in RoundKind)
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
EXAM_MINUTES = (1, 600)
EXAM_ATTEMPTS = (1, 10)


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
class ExamSpec:
    """An exam round's settings: time limit, sitting window (naive UTC), paper rule (``exam.PaperPart``s)."""

    minutes: int
    opens: datetime
    closes: datetime
    paper: tuple  # of domain.exam.PaperPart
    show_answers: bool = False
    attempts: int = 1
    multiple_partial: Decimal = Decimal(0)


@dataclass(frozen=True)
class RoundSpec:
    name: str
    weight: Decimal
    criteria: tuple[CriterionSpec, ...]
    mode: str = RoundMode.QUEUE
    kind: str = RoundKind.JUDGED
    exam: ExamSpec | None = None


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
    final: str = FinalMode.WEIGHTED
    anomaly_threshold: Decimal = Decimal("0.10")
    tie_breakers: tuple[str, ...] = ()  # round names: equal finals are compared on these rounds' scores


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
    auto_approve: bool = False


DEFAULT_AWARDS = (
    AwardSpec("一等奖", Decimal("0.15")),
    AwardSpec("二等奖", Decimal("0.25")),
    AwardSpec("三等奖", Decimal("0.35")),
)


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
        "rounds": [_round_dict(r) for r in spec.rounds],
        "scoring": {
            "trim_highest": spec.scoring.trim_highest,
            "trim_lowest": spec.scoring.trim_lowest,
            "trim_min_judges": spec.scoring.trim_min_judges,
            "decimals": spec.scoring.decimals,
            "final": spec.scoring.final,
            "anomaly_threshold": _number(spec.scoring.anomaly_threshold),
            "tie_breakers": list(spec.scoring.tie_breakers),
        },
        "awards": [{"name": a.name, "ratio": _number(a.ratio)} for a in spec.awards],
        "requires_materials": spec.requires_materials,
        "description": spec.description,
        "auto_approve": spec.auto_approve,
    }


def _round_dict(r: RoundSpec) -> dict:
    if r.kind == RoundKind.EXAM and r.exam is not None:
        return {"name": r.name, "weight": _number(r.weight), "kind": r.kind, "exam": exam_dict(r.exam, _iso)}
    return {
        "name": r.name,
        "weight": _number(r.weight),
        "kind": r.kind,
        "mode": r.mode,
        "criteria": [
            {"name": c.name, "max_score": _number(c.max_score), "description": c.description}
            for c in r.criteria
        ],
    }


def exam_dict(exam: ExamSpec, moment) -> dict:
    """An exam round's settings in the API body shape; ``moment`` writes a datetime."""
    return {
        "minutes": exam.minutes,
        "opens": moment(exam.opens),
        "closes": moment(exam.closes),
        "show_answers": exam.show_answers,
        "attempts": exam.attempts,
        "multiple_partial": _number(exam.multiple_partial),
        "paper": [{"type": p.type, "count": p.count, "points": _number(p.points)} for p in exam.paper],
    }


def _exact() -> Context:
    """A context in which adding and normalizing finite Decimals never rounds."""
    return Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _text(d: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros: 0.950 → "0.95", 1E+2 → "100"."""
    return format(d.normalize(_exact()), "f")


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
            "exam",
            "minutes",
            "opens",
            "closes",
            "show_answers",
            "attempts",
            "multiple_partial",
            "paper",
            "type",
            "count",
            "points",
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
            "tie_breakers",
            "awards",
            "ratio",
            "requires_materials",
            "auto_approve",
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
