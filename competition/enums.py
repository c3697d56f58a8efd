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
