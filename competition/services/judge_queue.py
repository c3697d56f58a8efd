"""A judge's queue: every (round, entry) they score in competitions being scored, and their sheets."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.scoring import to_score
from ..enums import CompetitionStatus
from ..extensions import db
from ..models import Competition, Entry, JudgeAssignment, ScoreSheet, Staff, University, User
from .panels import load_panel
from .stage import judge_stages


def _competitions(judge: User) -> list[Competition]:
    seated = select(JudgeAssignment.competition_id).where(JudgeAssignment.judge_id == judge.id)
    stmt = (
        select(Competition)
        .where(Competition.id.in_(seated), Competition.status == CompetitionStatus.SCORING)
        .order_by(Competition.id)
    )
    return list(db.session.scalars(stmt))


def judge_queue(judge: User) -> dict:
    """What the tablet needs: the competitions with their rounds (rubrics) and the judge's seats, the items
    in draw order, and the stage of each group. Names and universities only when judging is not anonymous."""
    stages = {s["group_id"]: s for s in judge_stages(judge.id)}
    competitions, items = [], []
    for competition in _competitions(judge):
        panel = load_panel(competition)
        mine = [j for j in panel.judges if j.judge_id == judge.id]
        round_ids = [r.id for r in competition.judged_rounds]
        sheets = {
            (r, e): (status, total, reason)
            for r, e, status, total, reason in db.session.execute(
                select(
                    ScoreSheet.round_id,
                    ScoreSheet.entry_id,
                    ScoreSheet.status,
                    ScoreSheet.total_tenths,
                    ScoreSheet.reopened_reason,
                ).where(ScoreSheet.judge_id == judge.id, ScoreSheet.round_id.in_(round_ids))
            )
        }
        names = {}
        if not competition.anonymous_judging:
            ids = [e.entry_id for j in mine for e in panel.scored_by(j)]
            names = _names(ids)
        competitions.append(
            {
                "id": competition.id,
                "name": competition.name,
                "anonymous": competition.anonymous_judging,
                "groups": [
                    {
                        "id": j.group_id,
                        "name": next(g.name for g in competition.groups if g.id == j.group_id),
                        "seat": j.seat,
                        "stage": stages.get(j.group_id),
                    }
                    for j in mine
                ],
                "rounds": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "mode": r.mode,
                        "criteria": [
                            {
                                "id": c.id,
                                "name": c.name,
                                "max_score": float(c.max_score),
                                "description": c.description,
                            }
                            for c in r.criteria
                        ],
                    }
                    for r in competition.judged_rounds
                ],
            }
        )
        for judge_seat in mine:
            stage = stages.get(judge_seat.group_id) or {}
            for entry in panel.scored_by(judge_seat):
                for round_id in round_ids:
                    status, total, reason = sheets.get((round_id, entry.entry_id), ("none", None, None))
                    item = {
                        "competition_id": competition.id,
                        "round_id": round_id,
                        "group_id": entry.group_id,
                        "entry_id": entry.entry_id,
                        "draw_no": entry.draw_no,
                        "sheet_status": status,
                        "total": float(to_score(total)) if total is not None and status != "none" else None,
                        "reopened_reason": reason,
                        "on_stage": stage.get("round_id") == round_id
                        and stage.get("entry_id") == entry.entry_id,
                    }
                    if entry.entry_id in names:
                        item["name"], item["university"] = names[entry.entry_id]
                    items.append(item)
    return {"competitions": competitions, "items": items}


def _names(entry_ids: list[int]) -> dict[int, tuple[str, str]]:
    if not entry_ids:
        return {}
    rows = db.session.execute(
        select(Entry.id, Staff.name, University.name)
        .join(Staff, Entry.staff_id == Staff.id)
        .join(University, Entry.university_id == University.id)
        .where(Entry.id.in_(entry_ids))
    )
    return {entry_id: (name, university) for entry_id, name, university in rows}
