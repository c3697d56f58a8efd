"""Words and icons for the competition pages: states, kinds, levels, the next step explained, field labels."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from ..labels import STATUS_LABELS  # shared with the services' messages

STATUS_ICONS = {
    "draft": "pencil-square",
    "registration_open": "door-open",
    "registration_closed": "door-closed",
    "scoring": "clipboard-check",
    "published": "megaphone",
}
# The button that moves a competition on, and what pressing it does (every step is irreversible).
NEXT_STEP = {
    "registration_open": (
        _l("Open registration"),
        _l(
            "Open registration: eligible staff can register within the registration window. "
            "Once it is open, the groups, rounds and rubric can no longer be changed."
        ),
    ),
    "registration_closed": (
        _l("Close registration"),
        _l(
            "Close registration: nobody can register or withdraw any more. Pending entries can still be "
            "approved or rejected, and the order of appearance can be drawn."
        ),
    ),
    "scoring": (
        _l("Start scoring"),
        _l(
            "Start scoring: judges receive their score sheets. Every approved entry must have its draw "
            "number; the draw can no longer be repeated and entries no longer approved or rejected."
        ),
    ),
    "published": (
        _l("Publish the results"),
        _l("Publish the results: staff and the public see the scores, ranks and awards."),
    ),
}
TRANSITION_DONE = {
    "registration_open": _l("Registration is open."),
    "registration_closed": _l("Registration is closed. You can now draw the order of appearance."),
    "scoring": _l("Scoring has started."),
    "published": _l("The results are published."),
}
ENTRY_STATUS_LABELS = {
    "pending": _l("Pending"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}
ENTRY_STATUS_ICONS = {
    "pending": "hourglass-split",
    "approved": "check-circle",
    "rejected": "x-circle",
    "withdrawn": "arrow-counterclockwise",
}
KIND_LABELS = {"teaching": _l("Teaching contest"), "drill": _l("Job-skill drill")}
LEVEL_LABELS = {"school": _l("School level"), "provincial": _l("Provincial level")}
MODE_LABELS = {"queue": _l("Queue: judges score in draw order"), "live": _l("Live: one contestant on stage")}
FINAL_LABELS = {
    "weighted": _l("Weighted sum of the round scores"),
    "last_round": _l("The last round's score alone"),
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
    "awards": _l("Awards"),
    "ratio": _l("Share of the group (%)"),
}
ITEM_LABELS = {
    "groups": _l("Group %(n)d"),
    "rounds": _l("Round %(n)d"),
    "criteria": _l("Criterion %(n)d"),
    "awards": _l("Award %(n)d"),
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
