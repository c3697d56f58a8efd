"""Competitions: create (from a body, a template or a past one), edit drafts, step through the life cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..domain import lifecycle
from ..domain.competition_spec import CompetitionSpec, Problem, parse_spec
from ..domain.spec_types import YEARS
from ..enums import Role
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..labels import STATUS_LABELS, label
from ..models import (
    AwardLevel,
    Competition,
    CompetitionGroup,
    Criterion,
    Entry,
    Round,
    University,
    User,
)
from ..models._base import utcnow
from ..permissions import is_organizer, university_ids
from . import audit
from .messages import spec_problem_message


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


# --- who may see and run what ---------------------------------------------------------------------------


def can_manage(user: User, competition: Competition) -> bool:
    """Provincial competitions: organizers. School level: organizers and that university's union admins."""
    if is_organizer(user):
        return True
    return competition.level == "school" and competition.university_id in university_ids(
        user, Role.UNIVERSITY_ADMIN
    )


def can_view(user: User, competition: Competition) -> bool:
    """Everyone sees provincial competitions; a school-level one is seen inside its university only.

    A draft is seen only by those who may run it: its rules are not yet settled or announced.
    """
    if competition.status == "draft":
        return can_manage(user, competition)
    if is_organizer(user) or competition.level == "provincial":
        return user.is_authenticated
    return competition.university_id in university_ids(user)


def visible_query(user: User):
    """The competitions ``can_view`` allows, as one query."""
    stmt = select(Competition)
    if not is_organizer(user):
        mine = university_ids(user) or {-1}
        managed = university_ids(user, Role.UNIVERSITY_ADMIN) or {-1}
        stmt = stmt.where(
            or_(
                (Competition.status != "draft")
                & or_(Competition.level == "provincial", Competition.university_id.in_(mine)),
                (Competition.status == "draft")
                & (Competition.level == "school")
                & Competition.university_id.in_(managed),
            )
        )
    return stmt


# Ids and counts are 32-bit integer columns: a larger number from a URL or a body must not reach the database
# (PostgreSQL refuses it with an error, which would be a 500).
MAX_INT = 2**31 - 1


def is_db_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -MAX_INT <= value <= MAX_INT


def get_visible(competition_id: int, user: User) -> Competition:
    competition = db.session.get(Competition, competition_id) if is_db_int(competition_id) else None
    if competition is None or not can_view(user, competition):
        raise NotFound(_("No such competition."))
    return competition


def get_managed(competition_id: int, user: User) -> Competition:
    competition = get_visible(competition_id, user)
    if not can_manage(user, competition):
        raise Forbidden(_("Only the organizers of this competition may do this."))
    return competition


@dataclass(frozen=True)
class CompetitionFilters:
    year: int | None = None
    level: str | None = None
    kind: str | None = None
    university: str | None = None
    status: str | None = None


def list_competitions(*, user: User, filters: CompetitionFilters) -> list[Competition]:
    stmt = visible_query(user)
    if filters.year:
        stmt = stmt.where(Competition.year == filters.year)
    if filters.level:
        stmt = stmt.where(Competition.level == filters.level)
    if filters.kind:
        stmt = stmt.where(Competition.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(Competition.status == filters.status)
    if filters.university:
        stmt = stmt.join(University, Competition.university_id == University.id).where(
            University.code == filters.university
        )
    stmt = stmt.order_by(
        Competition.year.desc(), Competition.registration_opens.desc(), Competition.id.desc()
    )
    return list(db.session.scalars(stmt))


# --- building from a spec -------------------------------------------------------------------------------


def _parse(data: dict) -> CompetitionSpec:
    spec, problems = parse_spec(data, tz=local_zone())
    details = [{"field": p.field, "message": spec_problem_message(p)} for p in problems]
    if details:
        raise ValidationFailed(
            _("The competition was not saved: please correct the marked fields."), details=details
        )
    return spec


def _owner(spec: CompetitionSpec, by: User) -> University | None:
    if spec.level == "provincial":
        if not is_organizer(by):
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
    if not (is_organizer(by) or university.id in university_ids(by, Role.UNIVERSITY_ADMIN)):
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
    competition.groups = [CompetitionGroup(name=name, position=i) for i, name in enumerate(spec.groups)]
    competition.rounds = [
        Round(
            name=r.name,
            weight=r.weight,
            mode=r.mode,
            position=i,
            criteria=[
                Criterion(name=c.name, max_score=c.max_score, description=c.description, position=j)
                for j, c in enumerate(r.criteria)
            ],
        )
        for i, r in enumerate(spec.rounds)
    ]
    competition.awards = [
        AwardLevel(name=a.name, ratio=a.ratio, position=i) for i, a in enumerate(spec.awards)
    ]


def create_competition(*, data: dict, by: User, copied_from: Competition | None = None) -> Competition:
    if not (is_organizer(by) or university_ids(by, Role.UNIVERSITY_ADMIN)):
        raise Forbidden(_("Only organizers and university union admins set up competitions."))
    spec = _parse(data)
    university = _owner(spec, by)
    competition = Competition(
        status="draft", created_by_id=by.id, copied_from_id=copied_from.id if copied_from else None
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
    competition.rounds.clear()
    competition.awards.clear()
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
        "rounds": [
            {
                "name": r.name,
                "weight": float(r.weight),
                "mode": r.mode,
                "criteria": [
                    {"name": c.name, "max_score": float(c.max_score), "description": c.description}
                    for c in r.criteria
                ],
            }
            for r in competition.rounds
        ],
        "scoring": {
            "trim_highest": competition.trim_highest,
            "trim_lowest": competition.trim_lowest,
            "trim_min_judges": competition.trim_min_judges,
            "decimals": competition.decimals,
            "final": competition.final_mode,
            "anomaly_threshold": float(competition.anomaly_threshold),
        },
        "awards": [{"name": a.name, "ratio": float(a.ratio)} for a in competition.awards],
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
    if university is not None and source.level == "school":
        data["university"] = university
    for key in ("registration_opens", "registration_closes"):
        data[key] = _shift_year(datetime.fromisoformat(data[key]), shift).isoformat(timespec="minutes")
    if data["age_reference_date"]:
        data["age_reference_date"] = _shift_year(
            date.fromisoformat(data["age_reference_date"]), shift
        ).isoformat()
    return create_competition(data=data, by=by, copied_from=source)


# --- life cycle ---------------------------------------------------------------------------------------------


def transition(*, competition: Competition, to: str, by: User) -> Competition:
    """One step forward at a time; never back, never skipping. Scoring needs every group drawn."""
    if not lifecycle.can_transition(competition.status, to):
        raise Conflict(
            _(
                "A competition in this state cannot go there: the next step is “%(next)s”.",
                next=label(STATUS_LABELS, lifecycle.next_status(competition.status)) or "—",
            ),
            code="invalid_transition",
        )
    if to == "scoring":
        undrawn = db.session.scalar(
            select(func.count())
            .select_from(Entry)
            .where(
                Entry.competition_id == competition.id, Entry.status == "approved", Entry.draw_no.is_(None)
            )
        )
        if undrawn:
            raise Conflict(_("Draw the order of appearance before scoring starts."), code="draw_missing")
    previous = competition.status
    competition.status = to
    competition.status_changed_at = utcnow()
    audit.record(
        "competition.transition",
        by=by,
        object_type="competition",
        object_id=competition.id,
        university_id=competition.university_id,
        **{"from": previous, "to": to},
    )
    return competition


# --- serialisation ------------------------------------------------------------------------------------------


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def competition_dict(competition: Competition) -> dict:
    data = spec_to_dict_from_model(competition)
    data.update(
        id=competition.id,
        status=competition.status,
        groups=[{"id": g.id, "name": g.name} for g in competition.groups],
        rounds=[
            {
                "id": r.id,
                "name": r.name,
                "weight": _number(r.weight),
                "mode": r.mode,
                "criteria": [
                    {
                        "id": c.id,
                        "name": c.name,
                        "max_score": _number(c.max_score),
                        "description": c.description,
                    }
                    for c in r.criteria
                ],
            }
            for r in competition.rounds
        ],
        awards=[{"id": a.id, "name": a.name, "ratio": _number(a.ratio)} for a in competition.awards],
    )
    return data


def spec_to_dict_from_model(competition: Competition) -> dict:
    """The stored definition in API.md's shape: datetimes as ISO 8601 with the UTC offset."""
    data = to_spec_dict(competition)
    for key in ("registration_opens", "registration_closes"):
        data[key] = getattr(competition, key).replace(tzinfo=ZoneInfo("UTC")).isoformat()
    return data


def staff_count_by_university(competition: Competition) -> dict[int, dict[str, int]]:
    """Entries per university and status, for the quota table."""
    rows = db.session.execute(
        select(Entry.university_id, Entry.status, func.count())
        .where(Entry.competition_id == competition.id)
        .group_by(Entry.university_id, Entry.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for university_id, status, n in rows:
        counts.setdefault(university_id, {})[status] = n
    return counts
