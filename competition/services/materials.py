"""Entry materials: uploads checked by content, stored under ``instance/materials`` with random names.

Who may change an entry's files is checked by the views (``permissions.can_change_materials``)."""

from __future__ import annotations

import secrets
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ..database import unlink_after_commit
from ..domain import lifecycle
from ..enums import STANDING_ENTRY_STATUSES
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..models import EntryMaterial, User
from ..models.contests import Entry
from . import audit

MAX_MATERIAL_BYTES = 200 * 1024 * 1024
MAX_FILES_PER_ENTRY = 10
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "mp4": "video/mp4",
}


def sniff(path: Path) -> str | None:
    """The file's real type from its bytes (never its name): pdf, docx, pptx, mp4, or None."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
    return None


def folder() -> Path:
    path = Path(current_app.instance_path) / "materials"
    path.mkdir(parents=True, exist_ok=True)
    return path


def add_material(*, entry: Entry, upload: FileStorage, by: User) -> EntryMaterial:
    if entry.status not in STANDING_ENTRY_STATUSES or not lifecycle.accepts_decisions(
        entry.competition.status
    ):
        raise Conflict(
            _("Files can be added while the entry is pending or approved, before scoring starts."),
            code="wrong_state",
        )
    if len(entry.materials) >= MAX_FILES_PER_ENTRY:
        raise Conflict(
            _("At most %(n)d files per entry: remove one first.", n=MAX_FILES_PER_ENTRY), code="too_many"
        )
    stored = secrets.token_hex(16)
    target = folder() / stored
    upload.save(target)
    size = target.stat().st_size
    kind = sniff(target)
    problem = None
    if size == 0:
        problem = _("The file is empty.")
    elif size > MAX_MATERIAL_BYTES:
        problem = _("The file is larger than %(max_mb)s MB.", max_mb=MAX_MATERIAL_BYTES // 2**20)
    elif kind is None:
        problem = _("Upload a PDF, Word (.docx), PowerPoint (.pptx) or MP4 video file.")
    if problem:
        target.unlink(missing_ok=True)
        raise ValidationFailed(problem, details=[{"field": "file", "message": problem}])
    name = Path(upload.filename or f"file.{kind}").name[:200]
    material = EntryMaterial(
        entry=entry, original_name=name, stored_name=stored, kind=kind, size=size, uploaded_by_id=by.id
    )
    db.session.add(material)
    db.session.flush()
    audit.record(
        "entry.material_add",
        by=by,
        object_type="entry",
        object_id=entry.id,
        university_id=entry.university_id,
        file=name,
        kind=kind,
        size=size,
    )
    return material


def remove_material(*, material: EntryMaterial, by: User) -> None:
    entry = material.entry
    if not lifecycle.accepts_decisions(entry.competition.status):
        raise Conflict(_("Files can no longer be changed."), code="wrong_state")
    db.session.delete(material)
    unlink_after_commit(folder() / material.stored_name)
    audit.record(
        "entry.material_remove",
        by=by,
        object_type="entry",
        object_id=entry.id,
        university_id=entry.university_id,
        file=material.original_name,
    )


def path_of(material: EntryMaterial) -> Path:
    return folder() / material.stored_name
