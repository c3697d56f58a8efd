"""The rules of a competition's definition: every problem as a field path, a code and params."""

from __future__ import annotations

from decimal import Decimal, localcontext

from competition.enums import CompetitionLevel, RoundKind

from .exam import PaperRule, rule_problems
from .spec_types import (
    AGES,
    CATEGORIES,
    EXAM_ATTEMPTS,
    EXAM_MINUTES,
    FINAL_MODES,
    FRACTION_PLACES,
    KINDS,
    LEVELS,
    MAX_DECIMALS,
    MAX_LENGTHS,
    MAX_QUOTA,
    MAX_SCORE,
    MAX_TRIM,
    ROUND_KINDS,
    ROUND_MODES,
    YEARS,
    CompetitionSpec,
    ExamSpec,
    Problem,
    ScoringSpec,
    _exact,
    _path_key,
    _text,
)

# --- rules -------------------------------------------------------------------------------------------------


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
    decimals 0..4, final weighted/last_round, anomaly_threshold in (0, 1], tie-breakers distinct names of the
    competition's rounds (unchecked against rounds that are missing); award ratios in (0, 1] (at most 4
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
    _validate_exam_maxima(problems, spec.rounds, spec.scoring)
    _validate_tie_breakers(problems, spec.scoring, spec.rounds)
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
        if round_.kind not in ROUND_KINDS:
            _check_choice(problems, f"{path}.kind", round_.kind, ROUND_KINDS)
            continue
        if round_.kind == RoundKind.EXAM:
            if round_.criteria:
                problems.append(Problem(f"{path}.criteria", "not_allowed", {}))
            _validate_exam(problems, f"{path}.exam", round_.exam)
            continue
        if round_.exam is not None:
            problems.append(Problem(f"{path}.exam", "not_allowed", {}))
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


def _validate_exam(problems: list[Problem], path: str, exam: ExamSpec | None) -> None:
    """Time limit 1..600 minutes, a window that closes after it opens, 1..10 attempts, ``multiple_partial``
    in [0, 1] to at most 4 places, and a paper rule as ``exam.rule_problems`` checks it."""
    if exam is None:
        problems.append(Problem(path, "required", {}))
        return
    if exam.minutes is None:
        problems.append(Problem(f"{path}.minutes", "required", {}))
    _check_int(problems, f"{path}.minutes", exam.minutes, *EXAM_MINUTES)
    if exam.opens is not None and exam.closes is not None and exam.closes <= exam.opens:
        problems.append(Problem(f"{path}.closes", "order", {"after": "opens"}))
    if exam.attempts is None:
        problems.append(Problem(f"{path}.attempts", "required", {}))
    _check_int(problems, f"{path}.attempts", exam.attempts, *EXAM_ATTEMPTS)
    partial = exam.multiple_partial
    if partial is None:
        problems.append(Problem(f"{path}.multiple_partial", "required", {}))
    elif not 0 <= partial <= 1:
        problems.append(Problem(f"{path}.multiple_partial", "range", {"min": 0, "max": 1}))
    elif _places(partial) > FRACTION_PLACES:
        problems.append(Problem(f"{path}.multiple_partial", "decimals", {"places": FRACTION_PLACES}))
    if exam.show_answers is None:
        problems.append(Problem(f"{path}.show_answers", "required", {}))
    if not exam.paper:
        problems.append(Problem(f"{path}.paper", "required", {}))
    elif all(p is not None and None not in (p.type, p.count, p.points) for p in exam.paper):
        problems.extend(rule_problems(PaperRule(tuple(exam.paper)), f"{path}.paper"))


def _validate_exam_maxima(problems: list[Problem], rounds: tuple | None, scoring: ScoringSpec | None) -> None:
    """A paper's maximum must be a score the competition can show (80, or 7.5 with one decimal): rounding a
    full mark of 7.5 to whole points would give 8, above the maximum."""
    decimals = scoring.decimals if scoring is not None else None
    if not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        return
    for i, round_ in enumerate(rounds or ()):
        exam = round_.exam if round_ is not None and round_.kind == RoundKind.EXAM else None
        parts = exam.paper if exam is not None else None
        if not parts or any(p is None or None in (p.type, p.count, p.points) for p in parts):
            continue
        if rule_problems(PaperRule(tuple(parts))):
            continue
        if _places(PaperRule(tuple(parts)).maximum) > decimals:
            problems.append(Problem(f"rounds[{i}].exam.paper", "decimals", {"places": decimals}))


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


def _validate_tie_breakers(
    problems: list[Problem], scoring: ScoringSpec | None, rounds: tuple | None
) -> None:
    """Distinct names of this competition's rounds (their scores settle equal finals, in order)."""
    if scoring is None:
        return
    if scoring.tie_breakers is None:
        problems.append(Problem("scoring.tie_breakers", "required", {}))
        return
    names = [r.name for r in rounds or () if r is not None and r.name]
    paths = [(f"scoring.tie_breakers[{i}]", name) for i, name in enumerate(scoring.tie_breakers)]
    for path, name in paths:
        if name is None:
            continue
        if name == "":
            problems.append(Problem(path, "required", {}))
        elif rounds and name not in names:
            problems.append(Problem(path, "choice", {"value": name, "choices": names}))
    _check_unique(problems, paths)


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
