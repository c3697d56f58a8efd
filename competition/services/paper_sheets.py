"""Paper score sheets (纸质评分): an organizer enters a judge's sheet for them, one at a time or from the
round's Excel template; every sheet is submitted through ``sheets.save_sheet`` with ``entered_by``, so the
audit log says who entered it for whom.

The template has a 说明 worksheet, then one worksheet per judge of the round's panel (named
after the judge), each with the columns 评委账号, 评委, 组别, 出场序号, one column per criterion
headed with its maximum ("教学内容（满分30）"), and 状态 (已提交 for a sheet already in, for
information); one row per entry the judge scores, in draw order. The import reads it with
``domain.paper_sheets`` and writes all or nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pandas as pd
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..database import is_db_int
from ..domain import paper_sheets as paper
from ..domain.scoring import SheetProblem, to_score, to_tenths
from ..enums import CompetitionStatus, SheetStatus
from ..errors import Conflict, NotFound, ValidationFailed
from ..extensions import db
from ..models import Competition, Round, ScoreSheet, User
from . import audit, excel, panels, sheets
from .messages import sheet_problem_message
from .panel_page import EntryLabel, entry_labels
from .panels import Panel, PanelJudge

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
VALUE_CODES = {"not_a_number", "negative", "above_max", "decimals", "missing"}


def paper_round(competition: Competition, round_id: object) -> Round:
    round_ = next((r for r in competition.judged_rounds if is_db_int(round_id) and r.id == round_id), None)
    if round_ is None:
        raise NotFound(_("No such round."))
    return round_


def _judges_by_name(panel: Panel) -> dict[str, User]:
    ids = {j.judge_id for j in panel.judges}
    users = db.session.scalars(select(User).where(User.id.in_(ids or {-1})))
    return {u.username.lower(): u for u in users}


def _statuses(round_: Round) -> dict[tuple[int, int], tuple[str, int]]:
    """(judge, entry) → (status, total in tenths) of the round's sheets."""
    rows = db.session.execute(
        select(ScoreSheet.judge_id, ScoreSheet.entry_id, ScoreSheet.status, ScoreSheet.total_tenths).where(
            ScoreSheet.round_id == round_.id
        )
    )
    return {(j, e): (status, total) for j, e, status, total in rows}


# --- one sheet at a time ------------------------------------------------------------------------------------


@dataclass
class DeskRow:
    entry: EntryLabel
    group: str
    status: str  # none, draft, submitted
    total: object


@dataclass
class Desk:
    """What the one-sheet form shows: the panel's judges, and the chosen judge's entries in the round."""

    judges: list[PanelJudge]  # each judge once
    judge: User | None
    rows: list[DeskRow]

    @property
    def open_rows(self) -> list[DeskRow]:
        return [r for r in self.rows if r.status != SheetStatus.SUBMITTED]

    def open_by_group(self) -> list[tuple[str, list[DeskRow]]]:
        """The sheets still to enter, by group in the competition's order."""
        grouped: dict[str, list[DeskRow]] = {}
        for row in self.open_rows:
            grouped.setdefault(row.group, []).append(row)
        return list(grouped.items())


def desk(competition: Competition, *, round_: Round, username: str | None) -> Desk:
    panel = panels.load_panel(competition)
    unique: dict[int, PanelJudge] = {}
    for judge in sorted(panel.judges, key=lambda j: (j.display_name, j.username)):
        unique.setdefault(judge.judge_id, judge)
    view = Desk(list(unique.values()), None, [])
    if not username:
        return view
    view.judge = _judges_by_name(panel).get(username.lower())
    if view.judge is None:
        return view
    labels = entry_labels(competition)
    statuses = _statuses(round_)
    groups = {g.id: g.name for g in competition.groups}
    for seat in (j for j in panel.judges if j.judge_id == view.judge.id):
        for entry in panel.scored_by(seat):
            status, total = statuses.get((view.judge.id, entry.entry_id), ("none", None))
            shown = to_score(total) if total is not None and status != "none" else None
            view.rows.append(DeskRow(labels[entry.entry_id], groups[entry.group_id], status, shown))
    order = {g.id: n for n, g in enumerate(competition.groups)}
    view.rows.sort(key=lambda r: (order[r.entry.group_id], r.entry.draw_no or 0))
    return view


def enter_sheet(
    *, competition: Competition, round_: Round, username: str, entry_id: object, scores: dict, by: User
) -> sheets.SheetAnswer:
    """Submit one judge's sheet for them, checked and worded as the API checks a judge's own sheet."""
    if competition.status != CompetitionStatus.SCORING:
        raise Conflict(_("This competition is not being scored now."), code="wrong_state")
    panel = panels.load_panel(competition)
    judge = _judges_by_name(panel).get((username or "").strip().lower())
    if judge is None:
        message = _("Choose a judge of this competition's panel.")
        raise ValidationFailed(message, details=[{"field": "judge", "message": message}])
    seats = [j for j in panel.judges if j.judge_id == judge.id]
    entry = next((e for e in panel.entries if is_db_int(entry_id) and e.entry_id == entry_id), None)
    if entry is None:
        message = _("Choose an entry of this competition.")
        raise ValidationFailed(message, details=[{"field": "entry_id", "message": message}])
    seat = next((j for j in seats if j.group_id == entry.group_id), None)
    if seat is None or entry.entry_id in panel.recusals_of(seat):
        message = _("This judge does not score this entry (not on its group's panel, or recused).")
        raise ValidationFailed(message, details=[{"field": "entry_id", "message": message}])
    status, _total = _statuses(round_).get((judge.id, entry.entry_id), ("none", 0))
    if status == SheetStatus.SUBMITTED:
        raise Conflict(
            _("This judge's sheet for this entry is already submitted: reopen it on the progress page."),
            code="already_submitted",
        )
    return sheets.save_sheet(
        judge=judge,
        round_id=round_.id,
        entry_id=entry.entry_id,
        scores=scores,
        submit=True,
        client_token=f"paper-{uuid.uuid4().hex}",
        entered_by=by,
    )


# --- the Excel template -------------------------------------------------------------------------------------


def _sheet_name(judge: PanelJudge, taken: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub("_", judge.display_name or judge.username)[:28].strip("'") or "-"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:26]}-{n}", n + 1
    taken.add(name.lower())
    return name


def template_workbook(competition: Competition, round_: Round) -> bytes:
    panel = panels.load_panel(competition)
    labels = entry_labels(competition)
    statuses = _statuses(round_)
    groups = {g.id: g.name for g in competition.groups}
    criteria = [paper.criterion_label(c.name, c.max_score) for c in round_.criteria]
    columns = ["评委账号", "评委", "组别", "出场序号", *criteria, "状态"]
    frames = {"说明": _instructions(competition, round_)}
    taken = {"说明"}
    judges = sorted(panel.judges, key=lambda j: (j.judge_id, j.group_id))
    by_judge: dict[int, list[PanelJudge]] = {}
    for seat in judges:
        by_judge.setdefault(seat.judge_id, []).append(seat)
    for seats in sorted(by_judge.values(), key=lambda s: (s[0].seat, s[0].display_name)):
        rows = []
        for seat in seats:
            for entry in panel.scored_by(seat):
                status = statuses.get((seat.judge_id, entry.entry_id), ("none", 0))[0]
                rows.append(
                    [
                        seat.username,
                        seat.display_name,
                        groups[entry.group_id],
                        labels[entry.entry_id].draw_no,
                        *([None] * len(criteria)),
                        "已提交" if status == SheetStatus.SUBMITTED else "",
                    ]
                )
        frames[_sheet_name(seats[0], taken)] = pd.DataFrame(rows, columns=columns)
    return excel.to_xlsx(frames)


def _instructions(competition: Competition, round_: Round) -> pd.DataFrame:
    lines = [
        f"{competition.name} · {round_.name}",
        _("One worksheet per judge, one row per entry (by group and draw number)."),
        _("Fill in every criterion of a sheet: from 0 to the maximum in the header, at most one decimal."),
        _("Rows left without scores are not imported; a row with only some criteria filled is an error."),
        _("Rows whose status is 已提交 are already submitted: reopen them on the progress page first."),
        _("Keep the header and the columns 评委账号, 组别 and 出场序号 as they are."),
        _("If any row has a problem, nothing is imported and every problem is listed with its row."),
    ]
    return pd.DataFrame({_("Instructions"): lines})


# --- the import ---------------------------------------------------------------------------------------------


@dataclass
class PaperImport:
    sheets: list[tuple[paper.PaperSheet, User, EntryLabel]]
    dry_run: bool

    @property
    def judges(self) -> list[tuple[User, int]]:
        """Each judge with how many sheets the file holds for them."""
        counts: dict[int, list] = {}
        for _sheet, judge, _entry in self.sheets:
            counts.setdefault(judge.id, [judge, 0])[1] += 1
        return [(judge, n) for judge, n in counts.values()]


def _rules(
    competition: Competition, round_: Round, panel: Panel, judges: dict[str, User]
) -> paper.PaperRules:
    labels = entry_labels(competition)
    scorable, recused = set(), set()
    for seat in panel.judges:
        scorable |= {(seat.judge_id, e.entry_id) for e in panel.scored_by(seat)}
        recused |= {(seat.judge_id, entry_id) for entry_id in panel.recusals_of(seat)}
    submitted = {pair for pair, (status, _t) in _statuses(round_).items() if status == SheetStatus.SUBMITTED}
    return paper.PaperRules(
        criteria=[paper.Criterion(c.id, c.name, to_tenths(c.max_score)) for c in round_.criteria],
        groups={g.name: g.id for g in competition.groups},
        entries={(e.group_id, e.draw_no): e.entry_id for e in labels.values() if e.draw_no is not None},
        judges={name: user.id for name, user in judges.items()},
        scorable=frozenset(scorable),
        recused=frozenset(recused),
        submitted=frozenset(submitted),
    )


def import_paper_sheets(
    *, competition: Competition, round_: Round, data: bytes, filename: str, dry_run: bool, by: User
) -> PaperImport:
    """Check every row of the file; any problem rejects the whole file and writes nothing. Without
    ``dry_run`` each sheet is submitted for its judge through ``sheets.save_sheet`` (audited as entered on
    paper by ``by``)."""
    if competition.status != CompetitionStatus.SCORING:
        raise Conflict(_("This competition is not being scored now."), code="wrong_state")
    try:
        book = paper.read_workbook(data, max_bytes=current_app.config["ROSTER_MAX_BYTES"])
    except paper.PaperFileError as error:
        problem = paper.PaperProblem("", None, "", error.code, error.params)
        raise _rejection([problem]) from None
    panel = panels.load_panel(competition)
    judges = _judges_by_name(panel)
    parsed = paper.parse_paper_sheets(book, _rules(competition, round_, panel, judges))
    if not parsed.ok:
        raise _rejection(parsed.problems)
    by_id = {u.id: u for u in judges.values()}
    labels = entry_labels(competition)
    result = PaperImport([(s, by_id[s.judge_id], labels[s.entry_id]) for s in parsed.sheets], dry_run)
    if dry_run:
        return result
    for sheet, judge, _entry in result.sheets:
        sheets.save_sheet(
            judge=judge,
            round_id=round_.id,
            entry_id=sheet.entry_id,
            scores=sheet.scores,
            submit=True,
            client_token=f"paper-{uuid.uuid4().hex}",
            entered_by=by,
        )
    audit.record(
        "sheet.paper_import",
        by=by,
        object_type="round",
        object_id=round_.id,
        university_id=competition.university_id,
        competition_id=competition.id,
        filename=filename,
        sheets=len(result.sheets),
    )
    return result


def _rejection(problems: list[paper.PaperProblem]) -> ValidationFailed:
    details = [
        {"sheet": p.worksheet, "row": p.row, "column": p.column, "message": paper_problem_message(p)}
        for p in problems
    ]
    return ValidationFailed(
        _("The file was not imported: %(n)d problems were found. Nothing was written.", n=len(details)),
        details=details,
    )


def paper_problem_message(problem: paper.PaperProblem) -> str:
    """A problem of a paper-sheet file in words (value problems as the API words them)."""
    p, code = problem.params, problem.code
    if code in VALUE_CODES:
        return sheet_problem_message(SheetProblem("", code, p.get("max")))
    messages = {
        "too_large": lambda: _("The file is larger than %(max_mb)s MB.", max_mb=p.get("max_mb", 10)),
        "empty_file": lambda: _("The file is empty."),
        "not_spreadsheet": lambda: _("This is not an Excel workbook: upload the template filled in (.xlsx)."),
        "no_template": lambda: _(
            "No worksheet has the template's header (评委账号, 组别, 出场序号 and the criteria): "
            "download the template of this round and fill it in."
        ),
        "missing_column": lambda: _("The column %(column)s is missing.", column=problem.column),
        "required": lambda: _("%(column)s is empty; it is required.", column=problem.column),
        "unknown_judge": lambda: _(
            "No judge of this panel has the username %(value)s.", value=p.get("value")
        ),
        "unknown_group": lambda: _("No group is called %(value)s.", value=p.get("value")),
        "bad_draw_no": lambda: _("“%(value)s” is not a draw number.", value=p.get("value")),
        "unknown_entry": lambda: _("No entry has draw number %(value)s in this group.", value=p.get("value")),
        "recused": lambda: _(
            "%(judge)s is recused from No. %(value)s.", judge=p.get("judge"), value=p.get("value")
        ),
        "not_assigned": lambda: _(
            "%(judge)s is not on the panel of No. %(value)s.", judge=p.get("judge"), value=p.get("value")
        ),
        "already_submitted": lambda: _(
            "%(judge)s's sheet for No. %(value)s is already submitted: reopen it first.",
            judge=p.get("judge"),
            value=p.get("value"),
        ),
        "duplicate": lambda: _(
            "The same judge and entry are already on row %(row)s of %(sheet)s.",
            row=p.get("first_row"),
            sheet=p.get("first_sheet"),
        ),
    }
    return messages[code]() if code in messages else _("Invalid value.")
