"""Results of a competition: the live leaderboard of each group, and the publication (公示) that freezes them.

One query gathers a group's submitted sheet totals (``score_sheet.total_tenths``, the sum of its values kept
with the sheet), the panel says which judges are expected for each entry (assigned, not recused), and
``domain.results`` does every piece of arithmetic. Once the competition is published, everything reads the
snapshot written at that moment (``Publication.snapshot``), never the sheets again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from ..domain import results as engine
from ..domain.scoring import to_score, to_tenths
from ..enums import CompetitionStatus, EntryStatus, SheetStatus
from ..errors import NotFound
from ..extensions import db
from ..models import (
    Competition,
    CompetitionGroup,
    Department,
    Entry,
    Publication,
    Round,
    ScoreSheet,
    Staff,
    University,
)
from .exam_results import exam_scores
from .panels import Panel, load_panel


@dataclass(frozen=True)
class EntryInfo:
    entry_id: int
    draw_no: int | None
    name: str
    staff_no: str
    university: str
    department: str


@dataclass
class GroupResults:
    competition: Competition
    group: CompetitionGroup
    rounds: list[Round]
    board: engine.Leaderboard
    entries: dict[int, EntryInfo]
    seats: dict[int, int]  # judge id → seat
    usernames: dict[int, str]  # judge id → username


# --- rules from the competition -----------------------------------------------------------------------------


def rules_of(competition: Competition) -> engine.ScoringRules:
    return engine.ScoringRules(
        trim_highest=competition.trim_highest,
        trim_lowest=competition.trim_lowest,
        trim_min_judges=competition.trim_min_judges,
        decimals=competition.decimals,
        final=competition.final_mode,
        anomaly_threshold=Decimal(competition.anomaly_threshold),
    )


def round_rules(competition: Competition) -> list[engine.RoundRule]:
    return [
        engine.RoundRule(r.id, Decimal(r.weight), r.paper_rule.maximum, exam=True)
        if r.is_exam
        else engine.RoundRule(
            r.id, Decimal(r.weight), to_score(sum(to_tenths(c.max_score) for c in r.criteria)) or Decimal(100)
        )
        for r in competition.rounds
    ]


def award_rules(competition: Competition) -> list[engine.AwardRule]:
    return [engine.AwardRule(a.name, Decimal(a.ratio)) for a in competition.awards]


def tie_breaker_ids(competition: Competition) -> list[int]:
    """The configured tie-breaking rounds (kept by name) as round ids, in order; unknown names are skipped."""
    by_name = {r.name: r.id for r in competition.rounds}
    return [by_name[name] for name in (competition.tie_breakers or []) if name in by_name]


# --- the live computation -----------------------------------------------------------------------------------


def entry_infos(competition: Competition, group_id: int | None = None) -> dict[int, EntryInfo]:
    query = (
        select(Entry.id, Entry.draw_no, Staff.name, Staff.staff_no, University.name, Department.name)
        .join(Staff, Entry.staff_id == Staff.id)
        .join(University, Entry.university_id == University.id)
        .join(Department, Staff.department_id == Department.id)
        .where(Entry.competition_id == competition.id, Entry.status == EntryStatus.APPROVED)
    )
    if group_id is not None:
        query = query.where(Entry.group_id == group_id)
    return {row[0]: EntryInfo(*row) for row in db.session.execute(query)}


def submitted_totals(competition: Competition, group_id: int) -> list[tuple[int, int, int, int]]:
    """(round, entry, judge, total in tenths) of each submitted sheet of a group's approved entries."""
    rows = db.session.execute(
        select(ScoreSheet.round_id, ScoreSheet.entry_id, ScoreSheet.judge_id, ScoreSheet.total_tenths)
        .join(Entry, ScoreSheet.entry_id == Entry.id)
        .where(
            Entry.competition_id == competition.id,
            Entry.group_id == group_id,
            Entry.status == EntryStatus.APPROVED,
            ScoreSheet.status == SheetStatus.SUBMITTED,
        )
    )
    return [tuple(row) for row in rows]


def compute(competition: Competition, group: CompetitionGroup, panel: Panel | None = None) -> GroupResults:
    """A group's leaderboard from the sheets as they are now (provisional while any is missing)."""
    panel = panel or load_panel(competition)
    judges = panel.judges_of(group.id)
    seats = {j.judge_id: j.seat for j in judges}
    recused = {j.judge_id: panel.recusals_of(j) for j in judges}
    rounds = list(competition.rounds)
    totals: dict[int, dict[int, dict[int, Decimal]]] = {}
    for round_id, entry_id, judge_id, tenths in submitted_totals(competition, group.id):
        if judge_id not in seats or entry_id in recused[judge_id]:
            continue  # a judge no longer on the panel, or recused: simply absent
        totals.setdefault(entry_id, {}).setdefault(round_id, {})[judge_id] = to_score(tenths)
    exams = exam_scores(competition, group.id)
    entries = [
        engine.EntryScores(
            e.entry_id,
            e.draw_no,
            totals.get(e.entry_id, {}),
            {r.id: panel.panel_size(e) for r in rounds},
            {round_id: scores.get(e.entry_id, default) for round_id, (scores, default) in exams.items()},
        )
        for e in panel.entries_of(group.id)
    ]
    board = engine.leaderboard(
        entries,
        round_rules(competition),
        rules_of(competition),
        award_rules(competition),
        tie_breaker_ids(competition),
    )
    return GroupResults(
        competition,
        group,
        rounds,
        board,
        entry_infos(competition, group.id),
        seats,
        {j.judge_id: j.username for j in judges},
    )


def compute_all(competition: Competition) -> list[GroupResults]:
    panel = load_panel(competition)
    return [compute(competition, group, panel) for group in competition.groups]


def number(value: Decimal | None) -> float | None:
    """A score as a JSON number (already rounded to the competition's decimals)."""
    return None if value is None else float(value)


def item_dict(results: GroupResults, row: engine.ResultRow, *, with_names: bool) -> dict:
    """One entry as ``GET /competitions/{id}/results`` lists it (API.md), plus seats for the organizer."""
    info = results.entries.get(row.entry_id)
    item = {
        "entry_id": row.entry_id,
        "draw_no": row.draw_no,
        "final_score": number(row.final),
        "rank": row.rank,
        "award": row.award,
        "complete": row.complete,
        "rounds": [
            {
                "round_id": r.round_id,
                "score": number(r.score),
                "complete": r.complete,
                "judge_totals": [number(t) for t in r.totals.values()],
                "dropped": [number(r.totals[j]) for j in r.dropped],
                "sheets": [
                    {
                        "seat": results.seats.get(judge),
                        "username": results.usernames.get(judge),
                        "total": number(total),
                        "dropped": "high"
                        if judge in r.dropped_high
                        else "low"
                        if judge in r.dropped_low
                        else None,
                        "anomaly": judge in r.anomalies,
                    }
                    for judge, total in sorted(r.totals.items(), key=lambda jt: results.seats.get(jt[0], 0))
                ],
            }
            for r in row.rounds
        ],
    }
    if with_names and info is not None:
        item.update(
            name=info.name, university=info.university, department=info.department, staff_no=info.staff_no
        )
    return item


def group_dict(results: GroupResults, *, with_names: bool) -> dict:
    return {
        "group_id": results.group.id,
        "group": results.group.name,
        "complete": results.board.complete,
        "items": [item_dict(results, row, with_names=with_names) for row in results.board.rows],
    }


# --- what a reader gets -------------------------------------------------------------------------------------


def publication_of(competition: Competition) -> Publication | None:
    return db.session.scalar(select(Publication).where(Publication.competition_id == competition.id))


def group_of(competition: Competition, group_id: int | None) -> CompetitionGroup:
    """The group asked for, or the first one; another competition's group is a 404."""
    if group_id is None:
        if not competition.groups:
            raise NotFound(_("This competition has no group."))
        return competition.groups[0]
    group = next((g for g in competition.groups if g.id == group_id), None)
    if group is None:
        raise NotFound(_("No such group."))
    return group


PRIVATE_FIELDS = ("department", "staff_no")  # beside each round's ``sheets``: for those who run it only
NAME_FIELDS = ("name", "university")


def _public(item: dict, *, names: bool) -> dict:
    """An item as someone who does not run the competition reads it: no judges' names or sheets, no staff
    number or department, and no names at all while ``names`` is false."""
    item = {k: v for k, v in item.items() if k not in PRIVATE_FIELDS and (names or k not in NAME_FIELDS)}
    item["rounds"] = [{k: v for k, v in r.items() if k != "sheets"} for r in item.get("rounds", [])]
    return item


def results_for(competition: Competition, group: CompetitionGroup, *, runs_it: bool) -> dict:
    """``GET /competitions/{id}/results`` for one group: the snapshot once published, else computed now.

    Those who run the competition get everything (each judge's sheet, staff numbers); others get names and
    universities unless judging is anonymous and the results unpublished (API.md)."""
    publication = publication_of(competition) if competition.status == CompetitionStatus.PUBLISHED else None
    if publication is not None:
        frozen = next((g for g in publication.snapshot.get("groups", []) if g["group_id"] == group.id), None)
        items, complete = (frozen or {}).get("items", []), (frozen or {}).get("complete", True)
    else:
        live = group_dict(compute(competition, group), with_names=True)
        items, complete = live["items"], live["complete"]
    if not runs_it:
        names = publication is not None or not competition.anonymous_judging
        items = [_public(item, names=names) for item in items]
    return {
        "competition_id": competition.id,
        "group_id": group.id,
        "published": publication is not None,
        "complete": complete,
        "items": items,
    }
