"""Words and icons for the competition pages: states, kinds, levels, the next step explained, field labels."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from .. import labels
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, FinalMode, RoundMode
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
        "field_labels": FIELD_LABELS,
        "pct": pct,
        "number": number,
    }
