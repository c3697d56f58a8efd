"""The ORM models, one module per aggregate."""

from .accounts import RoleGrant, User
from .audit import AuditLog
from .contests import (
    AwardLevel,
    Competition,
    CompetitionGroup,
    Criterion,
    DrawRecord,
    Entry,
    EntryMaterial,
    Round,
)
from .coverage import OfflineParticipation, Setting
from .exams import ExamAttempt, Question
from .judging import JudgeAssignment, JudgeConflict, ScoreSheet, ScoreValue, StageState
from .organisation import Department, University
from .people import Staff
from .results import Certificate, Publication, StageReveal

__all__ = [
    "AuditLog",
    "AwardLevel",
    "Certificate",
    "Competition",
    "CompetitionGroup",
    "Criterion",
    "Department",
    "DrawRecord",
    "Entry",
    "EntryMaterial",
    "ExamAttempt",
    "JudgeAssignment",
    "JudgeConflict",
    "OfflineParticipation",
    "Publication",
    "Question",
    "RoleGrant",
    "Round",
    "ScoreSheet",
    "ScoreValue",
    "Setting",
    "Staff",
    "StageReveal",
    "StageState",
    "University",
    "User",
]
