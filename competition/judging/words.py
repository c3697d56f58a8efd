"""Words and icons of the judging pages: recusal reasons, sheet states, screen states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..competitions.words import template_words
from ..domain.recusal import DECLARED, SAME_UNIVERSITY
from ..enums import SheetStatus, StageScreen

RECUSAL_LABELS = {SAME_UNIVERSITY: _l("Same university"), DECLARED: _l("Declared conflict")}
# A sheet's state: a word and an icon (colour is never the only signal).
SHEET_LABELS = {
    "none": (_l("Not started"), "circle"),
    SheetStatus.DRAFT: (_l("Draft"), "pencil"),
    SheetStatus.SUBMITTED: (_l("Submitted"), "check-circle-fill"),
    "recused": (_l("Recused"), "slash-circle"),
}
SCREEN_LABELS = {
    StageScreen.NEXT: _l("Next up"),
    StageScreen.SCORING: _l("Scoring"),
    StageScreen.REVEAL: _l("Reveal"),
    StageScreen.TOP_TEN: _l("Top ten"),
}
SCREEN_ICONS = {
    StageScreen.NEXT: "hourglass",
    StageScreen.SCORING: "pencil-square",
    StageScreen.REVEAL: "eye",
    StageScreen.TOP_TEN: "list-ol",
}


def judging_words() -> dict:
    return {
        **template_words(),
        "recusal_labels": RECUSAL_LABELS,
        "sheet_labels": SHEET_LABELS,
        "screen_labels": SCREEN_LABELS,
        "screen_icons": SCREEN_ICONS,
    }
