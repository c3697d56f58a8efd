"""A competition's definition: from an API body (the spec) to the model and back; create, edit, copy."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import local_zone
from ...domain import lifecycle
from ...domain.competition_spec import CompetitionSpec, Problem, RoundSpec, parse_spec
from ...domain.spec_types import YEARS
from ...enums import CompetitionLevel, CompetitionStatus, RoundKind
from ...errors import Conflict, Forbidden, ValidationFailed
from ...extensions import db
from ...models import AwardLevel, Competition, CompetitionGroup, Criterion, Round, University, User
from ...permissions import can_own
from .. import audit
from ..exam_bank import copy_banks
from ..messages import spec_problem_message


def _parse(data: dict) -> CompetitionSpec:
    spec, problems = parse_spec(data, tz=local_zone())
    details = [{"field": p.field, "message": spec_problem_message(p)} for p in problems]
    if details:
        raise ValidationFailed(
            _("The competition was not saved: please correct the marked fields."), details=details
        )
    return spec


def _owner(spec: CompetitionSpec, by: User) -> University | None:
    """The university a school-level spec names, once the user is known to set up competitions for it."""
    if spec.level == CompetitionLevel.PROVINCIAL:
        if not can_own(by, spec.level, None):
            raise Forbidden(_("Only provincial organizers set up provincial competitions."))
        return None
    university = db.session.scalar(select(University).where(University.code == spec.university))
    if university is None:
        raise ValidationFailed(
            _("No such university."),
            details=[
                {"field": "university", "message": _("No university has the code %(c)s.", c=spec.university)}
            ],
        )
    if not can_own(by, spec.level, university.id):
        raise Forbidden(_("You may set up school-level competitions of your own university only."))
    return university


def _apply(competition: Competition, spec: CompetitionSpec, university: University | None) -> None:
    competition.name = spec.name
    competition.description = spec.description
    competition.kind = spec.kind
    competition.level = spec.level
    competition.university = university
    competition.year = spec.year
    competition.eligible_categories = list(spec.eligible_categories)
    competition.max_age = spec.max_age
    competition.age_reference_date = spec.age_reference_date
    competition.registration_opens = spec.registration_opens
    competition.registration_closes = spec.registration_closes
    competition.quota_per_university = spec.quota_per_university
    competition.anonymous_judging = spec.anonymous_judging
    competition.requires_materials = spec.requires_materials
    competition.trim_highest = spec.scoring.trim_highest
    competition.trim_lowest = spec.scoring.trim_lowest
    competition.trim_min_judges = spec.scoring.trim_min_judges
    competition.decimals = spec.scoring.decimals
    competition.final_mode = spec.scoring.final
    competition.anomaly_threshold = spec.scoring.anomaly_threshold
    competition.tie_breakers = list(spec.scoring.tie_breakers)
    competition.auto_approve = spec.auto_approve
    competition.groups = [CompetitionGroup(name=name, position=i) for i, name in enumerate(spec.groups)]
    kept = {r.name: r for r in competition.rounds}
    competition.rounds = [_round(kept.pop(r.name, None), r, i) for i, r in enumerate(spec.rounds)]
    competition.awards = [
        AwardLevel(name=a.name, ratio=a.ratio, position=i) for i, a in enumerate(spec.awards)
    ]


def _round(round_: Round | None, spec: RoundSpec, position: int) -> Round:
    """A round as the spec says; an existing round of the same name is updated in place, so that an exam
    round keeps its question bank when the draft is edited."""
    round_ = round_ or Round(name=spec.name)
    round_.weight, round_.mode, round_.kind, round_.position = spec.weight, spec.mode, spec.kind, position
    round_.criteria = [
        Criterion(name=c.name, max_score=c.max_score, description=c.description, position=j)
        for j, c in enumerate(spec.criteria)
    ]
    exam = spec.exam if spec.kind == RoundKind.EXAM else None
    round_.exam_minutes = exam.minutes if exam else None
    round_.exam_opens = exam.opens if exam else None
    round_.exam_closes = exam.closes if exam else None
    round_.exam_show_answers = exam.show_answers if exam else False
    round_.exam_attempts = exam.attempts if exam else 1
    round_.exam_multiple_partial = exam.multiple_partial if exam else Decimal(0)
    round_.exam_paper = (
        [{"type": p.type, "count": p.count, "points": str(p.points)} for p in exam.paper] if exam else None
    )
    return round_


def create_competition(*, data: dict, by: User, copied_from: Competition | None = None) -> Competition:
    """A draft from an API body; who may own it is checked against the level and university it names."""
    spec = _parse(data)
    university = _owner(spec, by)
    competition = Competition(
        status=CompetitionStatus.DRAFT,
        created_by_id=by.id,
        copied_from_id=copied_from.id if copied_from else None,
    )
    _apply(competition, spec, university)
    db.session.add(competition)
    db.session.flush()
    audit.record(
        "competition.create",
        by=by,
        object_type="competition",
        object_id=competition.id,
        university_id=competition.university_id,
        name=competition.name,
        copied_from=copied_from.id if copied_from else None,
    )
    return competition


def update_competition(*, competition: Competition, data: dict, by: User) -> Competition:
    """Replace the whole definition; only a draft can change (its rubric is not yet in anyone's hands)."""
    if not lifecycle.is_editable(competition.status):
        raise Conflict(_("Only a draft competition can be edited."), code="not_editable")
    spec = _parse(data)
    university = _owner(spec, by)
    competition.groups.clear()
    competition.awards.clear()
    for round_ in competition.rounds:
        round_.criteria.clear()  # rounds are kept by name (an exam round's bank stays); criteria are new rows
    db.session.flush()  # old rows go before new rows with the same names arrive
    _apply(competition, spec, university)
    db.session.flush()
    audit.record(
        "competition.update",
        by=by,
        object_type="competition",
        object_id=competition.id,
        university_id=competition.university_id,
    )
    return competition


def to_spec_dict(competition: Competition) -> dict:
    """The competition as an API body (what parse_spec reads), datetimes in local time."""
    zone = local_zone()

    def local(moment: datetime) -> str:
        return (
            moment.replace(tzinfo=ZoneInfo("UTC"))
            .astimezone(zone)
            .replace(tzinfo=None)
            .isoformat(timespec="minutes")
        )

    return {
        "name": competition.name,
        "description": competition.description,
        "kind": competition.kind,
        "level": competition.level,
        "university": competition.university.code if competition.university else None,
        "year": competition.year,
        "eligible_categories": list(competition.eligible_categories),
        "max_age": competition.max_age,
        "age_reference_date": competition.age_reference_date.isoformat()
        if competition.age_reference_date
        else None,
        "registration_opens": local(competition.registration_opens),
        "registration_closes": local(competition.registration_closes),
        "quota_per_university": competition.quota_per_university,
        "anonymous_judging": competition.anonymous_judging,
        "requires_materials": competition.requires_materials,
        "groups": [{"name": g.name} for g in competition.groups],
        "rounds": [round_body(r, local) for r in competition.rounds],
        "scoring": {
            "trim_highest": competition.trim_highest,
            "trim_lowest": competition.trim_lowest,
            "trim_min_judges": competition.trim_min_judges,
            "decimals": competition.decimals,
            "final": competition.final_mode,
            "anomaly_threshold": float(competition.anomaly_threshold),
            "tie_breakers": list(competition.tie_breakers or []),
        },
        "awards": [{"name": a.name, "ratio": float(a.ratio)} for a in competition.awards],
        "auto_approve": competition.auto_approve,
    }


def round_body(r: Round, moment) -> dict:
    """A round in the API body shape (``GET /competitions/{id}``, the copy); ``moment`` writes datetimes."""
    if r.is_exam:
        return {
            "name": r.name,
            "weight": float(r.weight),
            "kind": r.kind,
            "exam": {
                "minutes": r.exam_minutes,
                "opens": moment(r.exam_opens),
                "closes": moment(r.exam_closes),
                "show_answers": r.exam_show_answers,
                "attempts": r.exam_attempts,
                "multiple_partial": float(r.exam_multiple_partial),
                "paper": [
                    {"type": p.type, "count": p.count, "points": float(p.points)} for p in r.paper_rule.parts
                ],
            },
        }
    return {
        "name": r.name,
        "weight": float(r.weight),
        "kind": r.kind,
        "mode": r.mode,
        "criteria": [
            {"name": c.name, "max_score": float(c.max_score), "description": c.description}
            for c in r.criteria
        ],
    }


def _shift_year(moment, years: int):
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def copy_competition(
    *, source: Competition, year: int, by: User, university: str | None = None
) -> Competition:
    """Next year's contest from this year's: same rubric and rules, dates moved by the difference in years."""
    if not YEARS[0] <= year <= YEARS[1]:  # checked before the dates move: year 10000 has no datetime
        problem = Problem("year", "range", {"min": YEARS[0], "max": YEARS[1]})
        raise ValidationFailed(
            _("The competition was not saved: please correct the marked fields."),
            details=[{"field": "year", "message": spec_problem_message(problem)}],
        )
    data = to_spec_dict(source)
    shift = year - source.year
    data["year"] = year
    data["name"] = source.name.replace(str(source.year), str(year))
    if university is not None and source.level == CompetitionLevel.SCHOOL:
        data["university"] = university
    for key in ("registration_opens", "registration_closes"):
        data[key] = _shift_year(datetime.fromisoformat(data[key]), shift).isoformat(timespec="minutes")
    for round_ in data["rounds"]:
        for key in ("opens", "closes") if "exam" in round_ else ():
            moment = datetime.fromisoformat(round_["exam"][key])
            round_["exam"][key] = _shift_year(moment, shift).isoformat(timespec="minutes")
    if data["age_reference_date"]:
        data["age_reference_date"] = _shift_year(
            date.fromisoformat(data["age_reference_date"]), shift
        ).isoformat()
    copy = create_competition(data=data, by=by, copied_from=source)
    copy_banks(source=source, target=copy, by=by)
    return copy
