"""The report upward as Excel workbooks: Chinese headings, numbers as numbers, rates formatted 0.0%.

The figures are those of a ``reports.Report`` (from ``services.coverage``); the uncovered staff are read with
``coverage.uncovered_query`` (every one of them, not a page). Each sheet is named for what it holds: a
university's workbook has 部门 (departments) and 未覆盖人员 (the people), the province's 高校
(universities) and 未覆盖人数 (counts per university); universities and departments are in pinyin order, as
in the report.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import xlsxwriter
from flask import current_app

from ..enums import CompetitionLevel, PostCategory
from ..extensions import db
from ..models import Department, Staff, University
from . import coverage
from .excel import OPTIONS, neutralise
from .reports import CATEGORIES, Figure, Report

CATEGORY_ZH = {
    PostCategory.TEACHING_RESEARCH: "教学科研岗",
    PostCategory.ADMIN_LOGISTICS: "行政后勤岗",
    PostCategory.OTHER: "其他",
}
STATUS_ZH = {"ok": "✓ 达标", "warn": "! 接近目标", "bad": "✗ 差距较大", "none": "– 暂无名册"}
LEVEL_ZH = {CompetitionLevel.PROVINCIAL: "省级", CompetitionLevel.SCHOOL: "校级"}
RULE_ZH = "在职教职工中，本年度至少有一次审核通过的竞赛报名或线下活动参与记录者计为已覆盖，每人只计一次。"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text / int / pct / date
    width: int = 12


def _workbook(sheets: list[tuple[str, list[Column], list[tuple]]]) -> bytes:
    """One sheet per table: Chinese headings, numbers as numbers, rates as 0.0%, text neutralised."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **OPTIONS})  # text stays text, never a link
    heading = book.add_format({"bold": True, "bg_color": "#F0F2F5", "border": 1})
    formats = {
        "pct": book.add_format({"num_format": "0.0%"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "int": book.add_format({"num_format": "#,##0"}),  # 147,047: thousands separated, as on the pages
        "text": None,
    }
    for name, columns, rows in sheets:
        sheet = book.add_worksheet(name)
        for i, column in enumerate(columns):
            sheet.set_column(i, i, column.width, formats[column.kind])
            sheet.write_string(0, i, column.title, heading)
        for r, row in enumerate(rows, start=1):
            for i, (column, value) in enumerate(zip(columns, row, strict=True)):
                if value is None or value == "":
                    continue
                if column.kind == "text":
                    sheet.write_string(r, i, str(neutralise(value)))
                elif column.kind == "date":
                    sheet.write_datetime(r, i, datetime.combine(value, datetime.min.time()), formats["date"])
                else:
                    sheet.write_number(r, i, value, formats[column.kind])
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


FIGURE_COLUMNS = [
    Column("在职人数", "int", 10),
    Column("已覆盖人数", "int", 11),
    Column("覆盖率", "pct", 9),
    Column("未覆盖人数", "int", 11),
    Column("距目标还差(人)", "int", 15),
    Column("状态", "text", 12),
]
EVENT_COLUMNS = [
    Column("类型", "text", 10),
    Column("名称", "text", 36),
    Column("级别", "text", 6),
    Column("主办单位", "text", 20),
    Column("日期(起)", "date", 12),
    Column("日期(止)", "date", 12),
    Column("参与人数", "int", 10),
]


def _figure_cells(f: Figure) -> tuple:
    return (f.headcount, f.covered, f.rate, f.gap, f.to_target, STATUS_ZH[f.status])


def _scope_rows(report: Report) -> list[tuple]:
    rows = [("全体教职工", *_figure_cells(report.total))]
    rows += [(CATEGORY_ZH[c], *_figure_cells(f)) for c, f in report.categories.items()]
    return rows


def _event_rows(report: Report) -> list[tuple]:
    rows = [
        (
            "平台竞赛",
            e.name,
            LEVEL_ZH.get(e.level or "", ""),
            e.host or "省教育工会",
            e.first,
            e.last,
            e.participants,
        )
        for e in report.competitions
    ]
    rows += [("线下活动", e.name, "", e.host, e.first, e.last, e.participants) for e in report.offline]
    return rows


def _trend_sheet(report: Report) -> tuple[str, list[Column], list[tuple]]:
    columns = [Column("月份", "text", 10), Column("累计覆盖人数", "int", 14)]
    return "月度趋势", columns, [(m["month"], m["covered"]) for m in report.trend]


def _about_sheet(report: Report, scope: str) -> tuple[str, list[Column], list[tuple]]:
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    rows = [
        ("范围", scope),
        ("年度", str(report.year)),
        ("目标覆盖率", f"{report.thresholds.target * 100:.1f}%"),
        ("预警线", f"{report.thresholds.warning * 100:.1f}%"),
        ("数据截至", report.as_of.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")),
        ("口径", RULE_ZH),
    ]
    if report.universities:
        rows.insert(4, ("达标高校", f"{report.meeting}/{len(report.universities)}"))
    return "说明", [Column("项目", "text", 12), Column("内容", "text", 60)], rows


def university_workbook(report: Report) -> bytes:
    """汇总, 部门, 未覆盖人员 (every one), 活动, 月度趋势, 说明."""
    university = report.university
    assert university is not None
    uncovered = db.session.execute(
        coverage.uncovered_query(university=university, year=report.year, filters=coverage.UncoveredFilters())
        .with_only_columns(Staff.staff_no, Staff.name, Department.name, Staff.category)
        .order_by(coverage.department_order(university), Staff.staff_no)
    )
    return _workbook(
        [
            ("汇总", [Column("范围", "text", 14), *FIGURE_COLUMNS], _scope_rows(report)),
            (
                "部门",
                [Column("部门", "text", 24), *FIGURE_COLUMNS],
                [(name, *_figure_cells(f)) for name, f in report.departments],
            ),
            ("未覆盖人员", *uncovered_sheet(uncovered)),
            ("活动", EVENT_COLUMNS, _event_rows(report)),
            _trend_sheet(report),
            _about_sheet(report, university.name),
        ]
    )


def uncovered_sheet(rows) -> tuple[list[Column], list[tuple]]:
    columns = [Column("工号", "text", 12), Column("姓名", "text", 12), Column("部门", "text", 24)]
    columns.append(Column("岗位类别", "text", 12))
    return columns, [(no, name, department, CATEGORY_ZH[category]) for no, name, department, category in rows]


def uncovered_workbook(*, university: University, year: int, filters: coverage.UncoveredFilters) -> bytes:
    """Every staff member not yet covered (all pages), with the list's filters."""
    rows = db.session.execute(
        coverage.uncovered_query(university=university, year=year, filters=filters)
        .with_only_columns(Staff.staff_no, Staff.name, Department.name, Staff.category)
        .order_by(coverage.department_order(university), Staff.staff_no)
    )
    return _workbook([("未覆盖人员", *uncovered_sheet(rows))])


def province_workbook(report: Report) -> bytes:
    """汇总, 高校 (a row per university), 未覆盖人数 (counts per university and post), 活动, 趋势, 说明."""
    per_category = [
        Column(f"{CATEGORY_ZH[c]}{title}", kind, 13)
        for c in CATEGORIES
        for title, kind in (("在职", "int"), ("已覆盖", "int"), ("覆盖率", "pct"))
    ]
    universities = [
        (
            u.code,
            u.name,
            *_figure_cells(u.total),
            *[v for f in u.categories.values() for v in (f.headcount, f.covered, f.rate)],
        )
        for u in report.universities
    ]
    uncovered = [
        (u.code, u.name, *[u.categories[c].gap for c in CATEGORIES], u.total.gap) for u in report.universities
    ]
    return _workbook(
        [
            ("汇总", [Column("范围", "text", 14), *FIGURE_COLUMNS], _scope_rows(report)),
            (
                "高校",
                [Column("高校代码", "text", 10), Column("高校", "text", 20), *FIGURE_COLUMNS, *per_category],
                universities,
            ),
            (
                "未覆盖人数",
                [
                    Column("高校代码", "text", 10),
                    Column("高校", "text", 20),
                    *[Column(f"{CATEGORY_ZH[c]}未覆盖", "int", 14) for c in CATEGORIES],
                    Column("合计未覆盖", "int", 12),
                ],
                uncovered,
            ),
            ("活动", EVENT_COLUMNS, _event_rows(report)),
            _trend_sheet(report),
            _about_sheet(report, "全省"),
        ]
    )
