"""Enumerations shared by models, domain and views (a leaf module: imports nothing of the project)."""

from enum import StrEnum


class PostCategory(StrEnum):
    TEACHING_RESEARCH = "teaching_research"
    ADMIN_LOGISTICS = "admin_logistics"
    OTHER = "other"


class Role(StrEnum):
    ORGANIZER = "organizer"
    UNIVERSITY_ADMIN = "university_admin"
    JUDGE = "judge"
    STAFF = "staff"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class ImportMode(StrEnum):
    MERGE = "merge"
    REPLACE = "replace"


class CompetitionKind(StrEnum):
    TEACHING = "teaching"
    DRILL = "drill"


class CompetitionLevel(StrEnum):
    SCHOOL = "school"
    PROVINCIAL = "provincial"


class CompetitionStatus(StrEnum):
    """In life order: draft → registration_open → registration_closed → scoring → published."""

    DRAFT = "draft"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    SCORING = "scoring"
    PUBLISHED = "published"


class EntryStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class RoundMode(StrEnum):
    QUEUE = "queue"
    LIVE = "live"


class RoundKind(StrEnum):
    """A round is scored by judges' sheets, or is a written test marked automatically."""

    JUDGED = "judged"
    EXAM = "exam"


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class FinalMode(StrEnum):
    WEIGHTED = "weighted"
    LAST_ROUND = "last_round"


# Named sets. A StrEnum member hashes and compares as its value, so a plain string read from the database is
# found in them: ``"pending" in STANDING_ENTRY_STATUSES``.

STANDING_ENTRY_STATUSES = frozenset({EntryStatus.PENDING, EntryStatus.APPROVED})
"""Entries that still stand and can change (approved, rejected, withdrawn, get files); others are settled."""

DECIDING_STATUSES = frozenset({CompetitionStatus.REGISTRATION_OPEN, CompetitionStatus.REGISTRATION_CLOSED})
"""A competition in these states takes decisions on entries and changes of their files; scoring ends both."""

SCORING_STATUSES = frozenset({CompetitionStatus.SCORING})
"""A competition in these states accepts score sheets."""


class SheetStatus(StrEnum):
    """A score sheet's state; ``none`` is said of a sheet that does not exist yet (never stored)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class StageScreen(StrEnum):
    """What the big screen shows for the group on stage: next up, scoring, the reveal, the top ten."""

    NEXT = "next"
    SCORING = "scoring"
    REVEAL = "reveal"
    TOP_TEN = "top_ten"


class QuestionType(StrEnum):
    """A written-test question's type, in the order a paper's sections come (单选题, 多选题, 判断题)."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
