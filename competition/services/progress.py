"""Scoring progress: the sheets each group and round expects, those submitted, who is behind, anomalies."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from ..domain.scoring import anomalies, to_score, to_tenths
from ..enums import SheetStatus
from ..extensions import db
from ..models import Competition, Round, ScoreSheet
from .panels import Panel, PanelEntry, PanelJudge, load_panel


@dataclass(frozen=True)
class Missing:
    judge: PanelJudge
    entry: PanelEntry
    round_id: int
    status: str  # none or draft


@dataclass(frozen=True)
class Anomaly:
    entry: PanelEntry
    judge: PanelJudge
    total: Decimal
    median: Decimal


@dataclass
class RoundProgress:
    group_id: int
    round: Round
    entries: int
    expected: int
    submitted: int
    missing: list[Missing] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "group_id": self.group_id,
            "round_id": self.round.id,
            "entries": self.entries,
            "sheets_expected": self.expected,
            "sheets_submitted": self.submitted,
            "anomalies": [
                {
                    "entry_id": a.entry.entry_id,
                    "username": a.judge.username,
                    "total": float(a.total),
                    "median": float(a.median),
                }
                for a in self.anomalies
            ],
        }


def _sheets(competition: Competition) -> dict[tuple[int, int, int], tuple[str, int]]:
    """(judge, round, entry) → (status, total in tenths) for every sheet of the competition."""
    rows = db.session.execute(
        select(
            ScoreSheet.judge_id,
            ScoreSheet.round_id,
            ScoreSheet.entry_id,
            ScoreSheet.status,
            ScoreSheet.total_tenths,
        )
        .join(Round, ScoreSheet.round_id == Round.id)
        .where(Round.competition_id == competition.id)
    )
    return {(j, r, e): (status, total) for j, r, e, status, total in rows}


def progress(competition: Competition, panel: Panel | None = None) -> list[RoundProgress]:
    """One item per group and round, in the competition's order of groups and rounds."""
    panel = panel or load_panel(competition)
    sheets = _sheets(competition)
    threshold = Decimal(competition.anomaly_threshold)
    items = []
    for group in competition.groups:
        judges = panel.judges_of(group.id)
        entries = panel.entries_of(group.id)
        for round_ in competition.rounds:
            if round_.is_exam:
                continue  # no sheets: exam_results.exam_progress counts its attempts
            item = RoundProgress(group.id, round_, len(entries), 0, 0)
            totals: dict[int, dict[str, tuple[PanelJudge, Decimal]]] = {}
            for judge in judges:
                for entry in panel.scored_by(judge):
                    item.expected += 1
                    status, total = sheets.get((judge.judge_id, round_.id, entry.entry_id), ("none", 0))
                    if status == SheetStatus.SUBMITTED:
                        item.submitted += 1
                        totals.setdefault(entry.entry_id, {})[judge.username] = (judge, to_score(total))
                    else:
                        item.missing.append(Missing(judge, entry, round_.id, status))
            by_id = {e.entry_id: e for e in entries}
            round_max = to_score(sum(to_tenths(c.max_score) for c in round_.criteria))
            for entry_id, panel_totals in totals.items():
                flagged = anomalies(
                    {name: total for name, (_j, total) in panel_totals.items()},
                    round_max=round_max,
                    threshold=threshold,
                )
                item.anomalies += [
                    Anomaly(by_id[entry_id], panel_totals[name][0], total, middle)
                    for name, total, middle in flagged
                ]
            item.missing.sort(key=lambda m: (m.entry.draw_no or 0, m.judge.seat))
            item.anomalies.sort(key=lambda a: (a.entry.draw_no or 0, a.judge.seat))
            items.append(item)
    return items


def missing_sheets(competition: Competition) -> list[Missing]:
    return [m for item in progress(competition) for m in item.missing]


def count_missing_sheets(competition: Competition) -> int:
    return len(missing_sheets(competition))
