"""Words of the organizer's exam pages: question types, the rule against the bank, the sitting window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..domain.exam import TYPE_ORDER
from ..enums import QuestionType
from ..models import Round
from ..services.exams import window_open

TYPE_LABELS = {
    QuestionType.SINGLE: _l("Single choice"),
    QuestionType.MULTIPLE: _l("Multiple choice"),
    QuestionType.TRUE_FALSE: _l("True or false"),
}
TYPE_ICONS = {
    QuestionType.SINGLE: "record-circle",
    QuestionType.MULTIPLE: "check2-square",
    QuestionType.TRUE_FALSE: "check2-circle",
}
OPTION_KEYS = "ABCDEF"


def type_label(type_: str) -> str:
    return str(TYPE_LABELS.get(type_, type_))


def number(value) -> str:
    """A decimal without trailing zeros: 2.0 → "2", 1.50 → "1.5"."""
    return format(Decimal(str(value)).normalize(), "f")


@dataclass(frozen=True)
class RuleLine:
    """One type of the paper rule beside the bank: 单选题 · 20 per paper × 2 points · 12 in the bank."""

    type: str
    label: str
    count: int
    points: Decimal
    have: int

    @property
    def subtotal(self) -> Decimal:
        return self.count * self.points

    @property
    def missing(self) -> int:
        return max(0, self.count - self.have)


def rule_lines(round_: Round, by_type: dict[str, int]) -> list[RuleLine]:
    """Every question type, in paper order, with what the rule asks and what the bank holds."""
    rule = round_.paper_rule
    return [
        RuleLine(t.value, type_label(t), rule.count(t), rule.points(t), by_type.get(t.value, 0))
        for t in TYPE_ORDER
    ]


def shortfall_sentences(round_: Round, shortfall: dict[str, int], by_type: dict[str, int]) -> list[str]:
    """题库不足：组卷需要 20 道单选题，题库只有 12 道 — one sentence per type the bank lacks."""
    rule = round_.paper_rule
    return [
        _(
            "Not enough questions: a paper needs %(need)d %(type)s questions, the bank has only %(have)d.",
            need=rule.count(t),
            type=type_label(t),
            have=by_type.get(t, 0),
        )
        for t in (t.value for t in TYPE_ORDER)
        if t in shortfall
    ]


def time_left(seconds: float) -> str:
    """还剩 2 天 3 小时 / 还剩 1 小时 5 分钟 / 还剩 12 分钟 / 不到 1 分钟."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)d d %(hours)d h left", days=days, hours=hours)
    if hours:
        return _("%(hours)d h %(minutes)d min left", hours=hours, minutes=minutes)
    if minutes:
        return _("%(minutes)d min left", minutes=minutes)
    return _("less than a minute left")


@dataclass(frozen=True)
class WindowState:
    """Where the sitting window stands: ``key`` is not_yet, open, held (in the window but the competition is
    not open for sitting) or closed; ``left`` the time to the close while open."""

    key: str
    opens: datetime | None
    closes: datetime | None
    left: str = ""

    @property
    def icon(self) -> str:
        return {"not_yet": "hourglass", "open": "pencil-square", "held": "pause-circle"}.get(self.key, "lock")


def window_state(round_: Round, now: datetime) -> WindowState:
    opens, closes = round_.exam_opens, round_.exam_closes
    if closes is not None and now >= closes:
        return WindowState("closed", opens, closes)
    if opens is not None and now < opens:
        return WindowState("not_yet", opens, closes)
    if window_open(round_, now):
        return WindowState("open", opens, closes, time_left((closes - now).total_seconds()))
    return WindowState("held", opens, closes)


def page_words() -> dict:
    """What the organizer's exam templates read besides their own variables."""
    return {
        "type_labels": TYPE_LABELS,
        "type_icons": TYPE_ICONS,
        "type_label": type_label,
        "number": number,
        "option_keys": OPTION_KEYS,
        "window_words": {
            "not_yet": _l("Not open yet"),
            "open": _l("Open now"),
            "held": _l("Not open: the competition does not accept answers in its present state"),
            "closed": _l("Closed"),
        },
    }
