"""The item-analysis table as the organizer reads it: shares, problem flags, filters, sorting, Excel."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ..services.exam_analysis import ItemRow
from ..services.excel import to_xlsx
from .org_words import type_label

LOW_RATE = Decimal("0.3")  # 正确率低于 30%: too hard, or the key is wrong
LOW_DISCRIMINATION = Decimal("0.2")  # 区分度低于 0.2: strong and weak entrants do about as well
FILTERS = ("all", "low_rate", "low_disc")
SORTS = ("position", "rate", "disc")


@dataclass(frozen=True)
class OptionShare:
    key: str
    text: str
    chosen: int
    share: float | None  # of those whose paper had the question
    right: bool


@dataclass(frozen=True)
class AnalysisLine:
    position: int
    question_id: int
    type: str
    tag: str | None
    text: str
    seen: int
    answered: int
    rate: Decimal | None
    disc: Decimal | None
    options: tuple[OptionShare, ...]

    @property
    def low_rate(self) -> bool:
        return self.rate is not None and self.rate < LOW_RATE

    @property
    def low_disc(self) -> bool:
        return self.disc is not None and self.disc < LOW_DISCRIMINATION

    @property
    def flagged(self) -> bool:
        return self.low_rate or self.low_disc

    @property
    def answer(self) -> str:
        """ACD for choice questions; 正确 or 错误 for true/false."""
        return "".join(o.key for o in self.options if o.right)


def analysis_lines(rows: list[ItemRow]) -> list[AnalysisLine]:
    lines = []
    for row in rows:
        s = row.stats
        options = tuple(
            OptionShare(key, text, chosen, chosen / s.seen if s.seen else None, right)
            for key, text, chosen, right in row.option_share()
        )
        q = row.question
        lines.append(
            AnalysisLine(
                q.position,
                q.id,
                q.type,
                q.tag,
                q.text,
                s.seen,
                s.answered,
                s.correct_rate,
                s.discrimination,
                options,
            )
        )
    return lines


def shown(lines: list[AnalysisLine], filter_: str, sort: str, descending: bool) -> list[AnalysisLine]:
    """The lines a filter keeps (all, 正确率低于 30%, 区分度低于 0.2), sorted by 题号, 正确率 or 区分度;
    questions without a value (nobody had them, too few attempts) come last whichever the direction."""
    kept = [line for line in lines if filter_ not in ("low_rate", "low_disc") or getattr(line, filter_)]
    if sort not in ("rate", "disc"):
        return sorted(kept, key=lambda line: line.position, reverse=descending)
    valued = [line for line in kept if getattr(line, sort) is not None]
    empty = [line for line in kept if getattr(line, sort) is None]
    valued.sort(key=lambda line: line.position)
    valued.sort(key=lambda line: getattr(line, sort), reverse=descending)  # stable: ties stay by 题号
    return valued + sorted(empty, key=lambda line: line.position)


BASE_COLUMNS = (
    "题号",
    "题型",
    "分类",
    "题目",
    "抽到人数",
    "作答人数",
    "正确率(%)",
    "区分度",
    "正确答案",
    "需检查",
)


def _pct(value) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


def analysis_workbook(lines: list[AnalysisLine]) -> bytes:
    """The same table in Excel: one row per question, each option's count and share in its own columns."""
    records = []
    for line in lines:
        record = {
            "题号": line.position,
            "题型": type_label(line.type),
            "分类": line.tag or "",
            "题目": line.text,
            "抽到人数": line.seen,
            "作答人数": line.answered,
            "正确率(%)": _pct(line.rate),
            "区分度": None if line.disc is None else float(line.disc),
            "正确答案": line.answer,
            "需检查": "是" if line.flagged else "",
        }
        for option in line.options:
            record[f"{option.key}人数"] = option.chosen
            record[f"{option.key}占比(%)"] = _pct(option.share)
        records.append(record)
    columns = [*BASE_COLUMNS]
    for key in ("A", "B", "C", "D", "E", "F", "正确", "错误"):
        if any(f"{key}人数" in record for record in records):
            columns += [f"{key}人数", f"{key}占比(%)"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return to_xlsx({"试题分析": frame})  # a round's name may hold characters a sheet name may not
