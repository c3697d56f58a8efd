"""The organizer's progress page (评分进度): per group and round the sheets submitted, who is behind on
which entry, the anomalies, and every sheet in a grid of entries × judges; and one sheet to reopen."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..database import is_db_int
from ..domain.scoring import to_score
from ..enums import Role, SheetStatus
from ..errors import NotFound
from ..extensions import db
from ..models import Competition, CompetitionGroup, Entry, Round, ScoreSheet, User
from . import panels, progress
from .panel_page import EntryLabel, entry_labels
from .panels import PanelJudge

MISSING_SHOWN = 40  # draw numbers listed per judge before "and n more"


@dataclass(frozen=True)
class Cell:
    status: str  # recused, none, draft, submitted
    total: object = None  # Decimal for a submitted or draft sheet
    anomaly: bool = False


@dataclass
class Behind:
    judge: PanelJudge
    items: list[tuple[EntryLabel, str]]  # (entry, none or draft), drafts first, then in draw order

    def by_status(self) -> list[tuple[str, list[EntryLabel]]]:
        """Drafts first, then sheets not started; at most MISSING_SHOWN entries in all (see ``more``)."""
        shown = self.items[:MISSING_SHOWN]
        groups = [(status, [e for e, s in shown if s == status]) for status in (SheetStatus.DRAFT, "none")]
        return [(status, entries) for status, entries in groups if entries]

    @property
    def more(self) -> int:
        return max(0, len(self.items) - MISSING_SHOWN)


@dataclass
class Board:
    """One group and round."""

    group: CompetitionGroup
    round: Round
    item: progress.RoundProgress
    judges: list[PanelJudge]
    rows: list[tuple[EntryLabel, list[Cell]]] = field(default_factory=list)
    behind: list[Behind] = field(default_factory=list)
    anomalies: list[tuple[EntryLabel, progress.Anomaly]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.group.id}-{self.round.id}"

    @property
    def empty(self) -> bool:
        """A group with neither entries nor judges yet: shown as one line, not one card per round."""
        return not self.item.entries and not self.judges

    @property
    def percent(self) -> float:
        return 100 * self.item.submitted / self.item.expected if self.item.expected else 0.0


def progress_boards(competition: Competition, *, grid: tuple[int, int] | None = None) -> list[Board]:
    """Every group and round of the competition, in their order (the panel read once). The grid of every
    sheet (entries × judges) is filled only for the board ``grid`` = (group id, round id)."""
    panel = panels.load_panel(competition)
    labels = entry_labels(competition)
    groups = {g.id: g for g in competition.groups}
    boards = []
    for item in progress.progress(competition, panel):
        judges = panel.judges_of(item.group_id)
        board = Board(groups[item.group_id], item.round, item, judges)
        if grid == (item.group_id, item.round.id):
            board.rows = _grid(panel, item, judges, labels)
        by_judge: dict[int, Behind] = {}
        for missing in item.missing:
            behind = by_judge.setdefault(missing.judge.judge_id, Behind(missing.judge, []))
            behind.items.append((labels[missing.entry.entry_id], missing.status))
        for behind in by_judge.values():
            behind.items.sort(key=lambda pair: (pair[1] != SheetStatus.DRAFT, pair[0].draw_no or 0))
        board.behind = sorted(by_judge.values(), key=lambda b: b.judge.seat)
        board.anomalies = [(labels[a.entry.entry_id], a) for a in item.anomalies]
        boards.append(board)
    return boards


def _grid(panel, item: progress.RoundProgress, judges, labels) -> list[tuple[EntryLabel, list[Cell]]]:
    sheets = {
        (j, e): (status, total)
        for j, e, status, total in db.session.execute(
            select(
                ScoreSheet.judge_id, ScoreSheet.entry_id, ScoreSheet.status, ScoreSheet.total_tenths
            ).where(ScoreSheet.round_id == item.round.id)
        )
    }
    flagged = {(a.judge.judge_id, a.entry.entry_id) for a in item.anomalies}
    recused = {j.judge_id: panel.recusals_of(j) for j in judges}
    rows = []
    for entry in sorted(panel.entries_of(item.group_id), key=lambda e: (e.draw_no or 0, e.entry_id)):
        cells = []
        for judge in judges:
            if entry.entry_id in recused[judge.judge_id]:
                cells.append(Cell("recused"))
                continue
            status, total = sheets.get((judge.judge_id, entry.entry_id), ("none", None))
            shown = to_score(total) if total is not None and status != "none" else None
            cells.append(Cell(status, shown, (judge.judge_id, entry.entry_id) in flagged))
        rows.append((labels[entry.entry_id], cells))
    return rows


def sheet_grid(competition: Competition, *, group_id: int, round_id: int) -> Board:
    """One group and round with every sheet in a grid of entries × judges (404 outside the competition)."""
    for board in progress_boards(competition, grid=(group_id, round_id)):
        if (board.group.id, board.round.id) == (group_id, round_id):
            return board
    raise NotFound(_("No such group or round."))


@dataclass
class SheetView:
    competition: Competition
    round: Round
    entry: EntryLabel
    entry_row: Entry
    judge: User
    sheet: ScoreSheet | None
    values: list[tuple[str, object, object]]  # (criterion, value, maximum)

    @property
    def total(self):
        return to_score(self.sheet.total_tenths) if self.sheet is not None else None


def sheet_view(competition: Competition, *, round_id: int, entry_id: int, username: str) -> SheetView:
    """One judge's sheet of one entry in one round of the competition, for the unlock page (404 when any of
    them is not of this competition)."""
    round_ = db.session.get(Round, round_id) if is_db_int(round_id) else None
    entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
    if round_ is None or entry is None or {round_.competition_id, entry.competition_id} != {competition.id}:
        raise NotFound(_("No such sheet."))
    judge = db.session.scalar(select(User).where(db.func.lower(User.username) == (username or "").lower()))
    if judge is None or not judge.has_role(Role.JUDGE):
        raise NotFound(_("No such judge."))
    sheet = db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == judge.id, ScoreSheet.round_id == round_.id, ScoreSheet.entry_id == entry.id
        )
    )
    label = entry_labels(competition).get(entry.id)
    if label is None:
        raise NotFound(_("No such sheet."))
    given = {v.criterion_id: to_score(v.tenths) for v in sheet.values} if sheet else {}
    values = [(c.name, given.get(c.id), c.max_score) for c in round_.criteria]
    return SheetView(competition, round_, label, entry, judge, sheet, values)


def is_submitted(view: SheetView) -> bool:
    return view.sheet is not None and view.sheet.status == SheetStatus.SUBMITTED
