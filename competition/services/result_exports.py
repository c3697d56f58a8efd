"""The results workbook: a sheet per group (rank, draw number, name, university, round scores, final, award),
and for those who run the competition the auditable raw data, every submitted sheet criterion by criterion.

While scoring, the group sheets are computed now and say what is still provisional (暂定); once published they
are read from the publication's snapshot, as the public page and the certificates are. Text cells that Excel
would run as a formula are neutralised, and nothing is turned into a link.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import xlsxwriter
from sqlalchemy import select

from ..clock import local_today, local_zone
from ..enums import CompetitionStatus, SheetStatus
from ..extensions import db
from ..models import (
    Competition,
    Entry,
    JudgeAssignment,
    ScoreSheet,
    ScoreValue,
    Staff,
    University,
    User,
)
from . import results
from .excel import neutralise
from .panels import load_panel

RAW_SHEET = "评分明细"
ABOUT_SHEET = "说明"
DROPPED_ZH = {"high": "去掉最高分", "low": "去掉最低分"}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text / int / score / tenths / datetime
    width: int = 12


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    rows: list[tuple]


# --- writing ------------------------------------------------------------------------------------------------


def _workbook(sheets: list[Sheet], *, decimals: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_urls": False, "strings_to_formulas": False}
    )
    heading = book.add_format({"bold": True, "bg_color": "#F0F2F5", "border": 1, "text_wrap": True})
    formats = {
        "int": book.add_format({"num_format": "0"}),
        "score": book.add_format({"num_format": "0." + "0" * decimals if decimals else "0"}),
        "tenths": book.add_format({"num_format": "0.0"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "text": None,
    }
    for item in sheets:
        sheet = book.add_worksheet(item.name)
        for i, column in enumerate(item.columns):
            sheet.set_column(i, i, column.width, formats[column.kind])
            sheet.write_string(0, i, column.title, heading)
        for r, row in enumerate(item.rows, start=1):
            for i, (column, value) in enumerate(zip(item.columns, row, strict=True)):
                if value is None or value == "":
                    continue
                if column.kind == "text":
                    sheet.write_string(r, i, str(neutralise(str(value))))
                elif column.kind == "datetime":
                    sheet.write_datetime(r, i, value, formats["datetime"])
                else:
                    sheet.write_number(r, i, value, formats[column.kind])
        sheet.freeze_panes(1, 4 if item.name != ABOUT_SHEET else 0)
    book.close()
    return buffer.getvalue()


def _sheet_names(names: list[str], reserved: set[str]) -> list[str]:
    """Excel's rules for sheet names: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    taken = {n.lower() for n in reserved}
    out = []
    for name in names:
        base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "组"
        candidate, n = base[:31], 2
        while candidate.lower() in taken:
            suffix = f"({n})"
            candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out


# --- the groups ---------------------------------------------------------------------------------------------


@dataclass
class _Group:
    group_id: int
    name: str
    items: list[dict]
    expected: dict[int, int]  # entry id → sheets expected per round (live only)


def _round_columns(rounds: list[dict]) -> list[Column]:
    return [Column(f"{r['name']}（{_percent(r['weight'])}）", "score", 14) for r in rounds]


def _percent(weight: float) -> str:
    return f"{round(float(weight) * 100, 2):g}%"


def _provisional_text(item: dict, rounds: list[dict], expected: int) -> str:
    if item["complete"]:
        return "完整"
    names = {r["round_id"]: r["name"] for r in rounds}
    missing = [
        f"{names.get(r['round_id'], '')} {len(r['sheets'])}/{expected}"
        for r in item["rounds"]
        if not r["complete"]
    ]
    return "暂定：" + "、".join(missing) + " 份已提交"


def _group_sheet(name: str, group: _Group, rounds: list[dict], *, published: bool) -> Sheet:
    columns = [
        Column("名次", "int", 7),
        Column("出场号", "int", 8),
        Column("姓名", "text", 12),
        Column("单位", "text", 22),
        *_round_columns(rounds),
        Column("最终得分", "score", 11),
        Column("奖项", "text", 10),
    ]
    if not published:
        columns.append(Column("状态", "text", 30))
    rows = []
    for item in group.items:
        by_round = {r["round_id"]: r["score"] for r in item["rounds"]}
        row = [
            item["rank"],
            item["draw_no"],
            item.get("name", ""),
            item.get("university", ""),
            *(by_round.get(r["round_id"]) for r in rounds),
            item["final_score"],
            item["award"] or "",
        ]
        if not published:
            row.append(_provisional_text(item, rounds, group.expected.get(item["entry_id"], 0)))
        rows.append(tuple(row))
    return Sheet(name, columns, rows)


def _live_groups(competition: Competition) -> list[_Group]:
    panel = load_panel(competition)
    groups = []
    for group in competition.groups:
        data = results.group_dict(results.compute(competition, group, panel), with_names=True)
        expected = {e.entry_id: panel.panel_size(e) for e in panel.entries_of(group.id)}
        groups.append(_Group(group.id, group.name, data["items"], expected))
    return groups


# --- the raw sheets -----------------------------------------------------------------------------------------


def _raw_sheet(competition: Competition, groups: list[_Group]) -> Sheet:
    """Every submitted sheet, one row each: who scored whom in which round, each criterion, the total, when,
    and what the results made of it (dropped as highest or lowest, flagged, or not counted)."""
    rounds = list(competition.rounds)
    criteria = [(r, c) for r in rounds for c in r.criteria]
    columns = [
        Column("组别", "text", 10),
        Column("出场号", "int", 8),
        Column("姓名", "text", 12),
        Column("单位", "text", 20),
        Column("轮次", "text", 10),
        Column("评委席位", "int", 9),
        Column("评委账号", "text", 14),
        Column("评委姓名", "text", 12),
        *(Column(f"{r.name}·{c.name}（满分{c.max_score.normalize():f}）", "tenths", 14) for r, c in criteria),
        Column("总分", "tenths", 9),
        Column("提交时间", "datetime", 20),
        Column("去掉最高/最低分", "text", 14),
        Column("异常", "text", 8),
    ]
    marks: dict[tuple[int, int, str], tuple[str, bool]] = {}
    for group in groups:
        for item in group.items:
            for r in item["rounds"]:
                for sheet in r["sheets"]:
                    key = (r["round_id"], item["entry_id"], sheet["username"])
                    marks[key] = (DROPPED_ZH.get(sheet["dropped"], ""), bool(sheet["anomaly"]))
    group_names = {g.id: g.name for g in competition.groups}
    group_order = {g.id: g.position for g in competition.groups}
    round_names = {r.id: r.name for r in rounds}
    round_order = {r.id: r.position for r in rounds}
    submitted = (
        ScoreSheet.status == SheetStatus.SUBMITTED,
        Entry.competition_id == competition.id,
    )
    sheets = db.session.execute(
        select(
            ScoreSheet.id,
            ScoreSheet.round_id,
            ScoreSheet.entry_id,
            ScoreSheet.total_tenths,
            ScoreSheet.submitted_at,
            Entry.group_id,
            Entry.draw_no,
            Staff.name,
            University.name,
            User.username,
            User.display_name,
            JudgeAssignment.seat,
        )
        .join(Entry, ScoreSheet.entry_id == Entry.id)
        .join(Staff, Entry.staff_id == Staff.id)
        .join(University, Entry.university_id == University.id)
        .join(User, ScoreSheet.judge_id == User.id)
        .outerjoin(
            JudgeAssignment,
            (JudgeAssignment.judge_id == ScoreSheet.judge_id) & (JudgeAssignment.group_id == Entry.group_id),
        )
        .where(*submitted)
    ).all()
    values: dict[int, dict[int, int]] = {}
    for sheet_id, criterion_id, tenths in db.session.execute(
        select(ScoreValue.sheet_id, ScoreValue.criterion_id, ScoreValue.tenths)
        .join(ScoreSheet, ScoreValue.sheet_id == ScoreSheet.id)
        .join(Entry, ScoreSheet.entry_id == Entry.id)
        .where(*submitted)
    ):
        values.setdefault(sheet_id, {})[criterion_id] = tenths
    sheets.sort(
        key=lambda s: (
            group_order.get(s[5], 0),
            s[5],
            s[6] is None,
            s[6] or 0,
            round_order.get(s[1], 0),
            s[11] is None,
            s[11] or 0,
        )
    )
    rows = []
    for (
        sheet_id,
        round_id,
        entry_id,
        total,
        submitted_at,
        group_id,
        draw_no,
        name,
        uni,
        username,
        display,
        seat,
    ) in sheets:
        dropped, anomaly = marks.get((round_id, entry_id, username), ("不计入", False))
        mine = values.get(sheet_id, {})
        rows.append(
            (
                group_names.get(group_id, ""),
                draw_no,
                name,
                uni,
                round_names.get(round_id, ""),
                seat,
                username,
                display,
                *(mine[c.id] / 10 if r.id == round_id and c.id in mine else None for r, c in criteria),
                total / 10,
                _local(submitted_at),
                dropped,
                "异常" if anomaly else "",
            )
        )
    return Sheet(RAW_SHEET, columns, rows)


def _local(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as the union's wall-clock time, naive, as Excel takes it."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(local_zone()).replace(tzinfo=None)


# --- the workbook -------------------------------------------------------------------------------------------


def _about_sheet(competition: Competition, *, published_at: datetime | None) -> Sheet:
    rows = [
        ("竞赛", competition.name),
        (
            "状态",
            f"已公示（{_local(published_at):%Y-%m-%d %H:%M}）" if published_at else "评分中：成绩为暂定",
        ),
        ("导出日期", f"{local_today():%Y-%m-%d}"),
        (
            "计分规则",
            f"评委人数不少于{competition.trim_min_judges}人时去掉最高分{competition.trim_highest}个、"
            f"最低分{competition.trim_lowest}个后取平均，四舍五入保留{competition.decimals}位小数；"
            "最终得分为各轮得分的加权和（同样四舍五入）。",
        ),
    ]
    return Sheet(ABOUT_SHEET, [Column("项目", "text", 12), Column("内容", "text", 80)], rows)


def results_workbook(competition: Competition, *, with_sheets: bool) -> tuple[bytes, str]:
    """The workbook and its file name; ``with_sheets`` adds the raw sheets (for those who run it only)."""
    publication = (
        results.publication_of(competition) if competition.status == CompetitionStatus.PUBLISHED else None
    )
    if publication is not None:
        snapshot = publication.snapshot or {}
        rounds = snapshot.get("rounds", [])
        decimals = snapshot.get("decimals", competition.decimals)
        groups = [
            _Group(g["group_id"], g.get("group", ""), g.get("items", []), {})
            for g in snapshot.get("groups", [])
        ]
    else:
        rounds = [{"round_id": r.id, "name": r.name, "weight": float(r.weight)} for r in competition.rounds]
        decimals = competition.decimals
        groups = _live_groups(competition)
    names = _sheet_names([g.name for g in groups], {RAW_SHEET, ABOUT_SHEET})
    sheets = [
        _group_sheet(name, group, rounds, published=publication is not None)
        for name, group in zip(names, groups, strict=True)
    ]
    if with_sheets:
        sheets.append(_raw_sheet(competition, groups))
    sheets.append(_about_sheet(competition, published_at=publication.published_at if publication else None))
    data = _workbook(sheets, decimals=decimals)
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", competition.name).strip("_") or f"competition-{competition.id}"
    kind = "成绩" if publication is not None else "暂定成绩"
    return data, f"{safe}-{kind}-{local_today():%Y%m%d}.xlsx"
