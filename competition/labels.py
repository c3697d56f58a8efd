"""Words for enumeration values, in the user's language: the one home of these words, keyed by enum member."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .enums import (
    CompetitionKind,
    CompetitionLevel,
    CompetitionStatus,
    EntryStatus,
    Gender,
    PostCategory,
    Role,
)

CATEGORY_LABELS = {
    PostCategory.TEACHING_RESEARCH: _l("Teaching & research post"),
    PostCategory.ADMIN_LOGISTICS: _l("Administrative & logistics post"),
    PostCategory.OTHER: _l("Other post"),
}
GENDER_LABELS = {Gender.MALE: _l("Male"), Gender.FEMALE: _l("Female")}
ROLE_LABELS = {
    Role.ORGANIZER: _l("Organizer"),
    Role.UNIVERSITY_ADMIN: _l("University union admin"),
    Role.JUDGE: _l("Judge"),
    Role.STAFF: _l("Staff member"),
}

STATUS_LABELS = {
    CompetitionStatus.DRAFT: _l("Draft"),
    CompetitionStatus.REGISTRATION_OPEN: _l("Registration open"),
    CompetitionStatus.REGISTRATION_CLOSED: _l("Registration closed"),
    CompetitionStatus.SCORING: _l("Scoring"),
    CompetitionStatus.PUBLISHED: _l("Published"),
}
# The words staff read of their own entries (registration pages, a staff member's coverage); the
# competition pages of the organizers say "Pending" and "Rejected" (see competitions/words.py).
ENTRY_STATUS_LABELS = {
    EntryStatus.PENDING: _l("Pending review"),
    EntryStatus.APPROVED: _l("Approved"),
    EntryStatus.REJECTED: _l("Not approved"),
    EntryStatus.WITHDRAWN: _l("Withdrawn"),
}
# The organizers' words for entries, on the competition pages and in the Excel list of entries: "Pending" and
# "Rejected" where staff read "Pending review" and "Not approved"; both have their translations.
ENTRY_DECISION_LABELS = {
    **ENTRY_STATUS_LABELS,
    EntryStatus.PENDING: _l("Pending"),
    EntryStatus.REJECTED: _l("Rejected"),
}
# A staff member's entries on their pages: a word, an icon and a colour (colour is never the only signal).
ENTRY_STATUS_BADGES = {
    status: (ENTRY_STATUS_LABELS[status], icon, css)
    for status, icon, css in (
        (EntryStatus.PENDING, "hourglass-split", "text-bg-warning"),
        (EntryStatus.APPROVED, "check-circle-fill", "text-bg-success"),
        (EntryStatus.REJECTED, "x-circle-fill", "text-bg-danger"),
        (EntryStatus.WITHDRAWN, "box-arrow-left", "text-bg-secondary"),
    )
}
KIND_LABELS = {CompetitionKind.TEACHING: _l("Teaching contest"), CompetitionKind.DRILL: _l("Job-skill drill")}
# The competition pages say "Provincial level" (see competitions/words.py).
LEVEL_LABELS = {CompetitionLevel.SCHOOL: _l("School level"), CompetitionLevel.PROVINCIAL: _l("Provincial")}


def label(table: dict, value) -> str:
    return str(table.get(value, value or "")) if value is not None else ""
