"""Words and icons for the competition pages: states, kinds, levels, the next step explained, field labels."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import format_datetime, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import labels
from ..enums import (
    CompetitionLevel,
    CompetitionStatus,
    EntryStatus,
    FinalMode,
    QuestionType,
    RoundKind,
    RoundMode,
)
from ..labels import KIND_LABELS, STATUS_LABELS  # shared with the services' messages and other pages

STATUS_ICONS = {
    CompetitionStatus.DRAFT: "pencil-square",
    CompetitionStatus.REGISTRATION_OPEN: "door-open",
    CompetitionStatus.REGISTRATION_CLOSED: "door-closed",
    CompetitionStatus.SCORING: "clipboard-check",
    CompetitionStatus.PUBLISHED: "megaphone",
}
# The button that moves a competition on, and what pressing it does (every step is irreversible).
NEXT_STEP = {
    CompetitionStatus.REGISTRATION_OPEN: (
        _l("Open registration"),
        _l(
            "Open registration: eligible staff can register within the registration window. "
            "Once it is open, the groups, rounds and rubric can no longer be changed."
        ),
    ),
    CompetitionStatus.REGISTRATION_CLOSED: (
        _l("Close registration"),
        _l(
            "Close registration: nobody can register or withdraw any more. Pending entries can still be "
            "approved or rejected, and the order of appearance can be drawn."
        ),
    ),
    CompetitionStatus.SCORING: (
        _l("Start scoring"),
        _l(
            "Start scoring: judges receive their score sheets. Every approved entry must have its draw "
            "number; the draw can no longer be repeated and entries no longer approved or rejected."
        ),
    ),
    CompetitionStatus.PUBLISHED: (
        _l("Publish the results"),
        _l("Publish the results: staff and the public see the scores, ranks and awards."),
    ),
}
TRANSITION_DONE = {
    CompetitionStatus.REGISTRATION_OPEN: _l("Registration is open."),
    CompetitionStatus.REGISTRATION_CLOSED: _l(
        "Registration is closed. You can now draw the order of appearance."
    ),
    CompetitionStatus.SCORING: _l("Scoring has started."),
    CompetitionStatus.PUBLISHED: _l("The results are published."),
}
ENTRY_STATUS_LABELS = labels.ENTRY_DECISION_LABELS  # the organizers' words (staff read ENTRY_STATUS_LABELS)
ENTRY_STATUS_ICONS = {
    EntryStatus.PENDING: "hourglass-split",
    EntryStatus.APPROVED: "check-circle",
    EntryStatus.REJECTED: "x-circle",
    EntryStatus.WITHDRAWN: "arrow-counterclockwise",
}
# The competition pages say "Provincial level" where the registration pages say "Provincial".
LEVEL_LABELS = {**labels.LEVEL_LABELS, CompetitionLevel.PROVINCIAL: _l("Provincial level")}
MODE_LABELS = {
    RoundMode.QUEUE: _l("Queue: judges score in draw order"),
    RoundMode.LIVE: _l("Live: one contestant on stage"),
}
ROUND_KIND_LABELS = {
    RoundKind.JUDGED: _l("Judges score on a rubric"),
    RoundKind.EXAM: _l("Written test, online"),
}
QUESTION_TYPE_LABELS = {
    QuestionType.SINGLE: _l("Single choice"),
    QuestionType.MULTIPLE: _l("Multiple choice"),
    QuestionType.TRUE_FALSE: _l("True or false"),
}
# The short words of the detail page's paper rule: 单选 20×2 + 多选 10×3 + 判断 10×1 = 80 分.
QUESTION_TYPE_SHORT = {
    QuestionType.SINGLE: _l("single-choice"),
    QuestionType.MULTIPLE: _l("multiple-choice"),
    QuestionType.TRUE_FALSE: _l("true/false"),
}
FINAL_LABELS = {
    FinalMode.WEIGHTED: _l("Weighted sum of the round scores"),
    FinalMode.LAST_ROUND: _l("The last round's score alone"),
}

# Labels of the set-up form's fields; the error summary names fields with the same words.
FIELD_LABELS = {
    "name": _l("Competition name"),
    "description": _l("Description"),
    "kind": _l("Kind"),
    "level": _l("Level"),
    "university": _l("University"),
    "year": _l("Year"),
    "eligible_categories": _l("Open to post categories"),
    "max_age": _l("Maximum age"),
    "age_reference_date": _l("Age reckoned on"),
    "registration_opens": _l("Registration opens"),
    "registration_closes": _l("Registration closes"),
    "quota_per_university": _l("Quota per university"),
    "anonymous_judging": _l("Anonymous judging"),
    "requires_materials": _l("Entrants upload materials"),
    "groups": _l("Groups"),
    "rounds": _l("Rounds"),
    "weight": _l("Weight (%)"),
    "mode": _l("Mode"),
    "criteria": _l("Criteria"),
    "max_score": _l("Maximum score"),
    "scoring": _l("Scoring"),
    "trim_highest": _l("Drop the highest"),
    "trim_lowest": _l("Drop the lowest"),
    "trim_min_judges": _l("Drop only with at least this many judges"),
    "decimals": _l("Decimal places"),
    "final": _l("Final score"),
    "anomaly_threshold": _l("Flag a judge total this far from the median (percent of the round maximum)"),
    "tie_breakers": _l("Equal final scores: compare the rounds"),
    "awards": _l("Awards"),
    "ratio": _l("Share of the group (%)"),
    "auto_approve": _l("Approve registrations automatically"),
    "exam": _l("Written test"),
    "minutes": _l("Time limit (minutes)"),
    "opens": _l("Test opens"),
    "closes": _l("Test closes"),
    "attempts": _l("Attempts allowed"),
    "multiple_partial": _l("Multiple choice, partly right: share of the points (%)"),
    "show_answers": _l("Show the answers after submission"),
    "paper": _l("Paper rule"),
    "type": _l("Question type"),
    "count": _l("Questions"),
    "points": _l("Points each"),
}
# Where a field's own label would mislead: ``rounds[1].kind`` is how the round is scored, not the
# competition's kind.
NESTED_LABELS = {
    ("rounds", "name"): _l("Round name"),
    ("rounds", "kind"): _l("Scoring method"),
    ("groups", "name"): _l("Group name"),
}
ITEM_LABELS = {
    "groups": _l("Group %(n)d"),
    "rounds": _l("Round %(n)d"),
    "criteria": _l("Criterion %(n)d"),
    "awards": _l("Award %(n)d"),
    "tie_breakers": _l("Tie-breaker %(n)d"),
    "eligible_categories": _l("Post category %(n)d"),
}


def pct(value) -> str:
    """A ratio as a percentage without needless zeros: 0.2 → "20%", 0.864 → "86.4%"."""
    if value is None:
        return ""
    return format((Decimal(str(value)) * 100).normalize(), "f") + "%"


def number(value) -> str:
    """A decimal without needless zeros: 20.0 → "20", 12.5 → "12.5"."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def exam_window(opens, closes) -> str:
    """The sitting window in local time, the day once when it is one day: 12月3日 09:00–17:00."""
    day, clock = ("M月d日", "HH:mm") if str(get_locale()).startswith("zh") else ("MMM d", "HH:mm")
    if opens is None or closes is None:
        return ""
    if format_datetime(opens, "yyyy-MM-dd") == format_datetime(closes, "yyyy-MM-dd"):
        return f"{format_datetime(opens, day + ' ' + clock)}–{format_datetime(closes, clock)}"
    return f"{format_datetime(opens, day + ' ' + clock)} – {format_datetime(closes, day + ' ' + clock)}"


def paper_words(paper) -> str:
    """单选 20×2 + 多选 10×3 + 判断 10×1 = 80 分 (types asked for no question are left out)."""
    lines = [p for p in paper or () if int(p["count"])]
    total = sum((int(p["count"]) * Decimal(str(p["points"])) for p in lines), Decimal(0))
    terms = " + ".join(
        f"{QUESTION_TYPE_SHORT.get(p['type'], p['type'])} {p['count']}×{number(p['points'])}" for p in lines
    )
    return _("%(terms)s = %(total)s points", terms=terms, total=number(total))


def partial_words(share) -> str:
    share = Decimal(str(share or 0))
    if share == 0:
        return _("multiple choice: all or nothing")
    if share == Decimal("0.5"):
        return _("multiple choice: half the points when right but incomplete")
    return _("multiple choice: %(pct)s of the points when right but incomplete", pct=pct(share))


def exam_words(round_) -> list[str]:
    """An exam round's settings as the detail page says them, part by part:
    笔试 · 30 分钟 · 开放 12月3日 09:00–17:00 · 单选 20×2 + … = 80 分 · 少选得一半 · 可答 1 次."""
    attempts = round_.exam_attempts or 1
    words = [
        _("Written test"),
        ngettext("%(num)d minute", "%(num)d minutes", round_.exam_minutes or 0),
        _("open %(window)s", window=exam_window(round_.exam_opens, round_.exam_closes)),
        paper_words(round_.exam_paper),
        partial_words(round_.exam_multiple_partial),
        _("1 attempt") if attempts == 1 else _("%(n)d attempts, the best counts", n=attempts),
    ]
    if round_.exam_show_answers:
        words.append(_("answers shown after the window closes"))
    return words


def has_view(endpoint: str) -> bool:
    """Whether a page exists yet (the question bank's page comes with its own blueprint)."""
    return endpoint in current_app.view_functions


def template_words() -> dict:
    return {
        "status_labels": STATUS_LABELS,
        "status_icons": STATUS_ICONS,
        "entry_status_labels": ENTRY_STATUS_LABELS,
        "entry_status_icons": ENTRY_STATUS_ICONS,
        "kind_labels": KIND_LABELS,
        "level_labels": LEVEL_LABELS,
        "mode_labels": MODE_LABELS,
        "final_labels": FINAL_LABELS,
        "round_kind_labels": ROUND_KIND_LABELS,
        "question_type_labels": QUESTION_TYPE_LABELS,
        "exam_words": exam_words,
        "has_view": has_view,
        "field_labels": FIELD_LABELS,
        "pct": pct,
        "number": number,
    }
