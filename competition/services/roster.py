"""Roster import: parse and validate the whole file, plan the changes, then write them in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select, update

from ..clock import local_today
from ..domain.pinyin_order import pinyin_key
from ..domain.roster import (
    ParseResult,
    RosterPlan,
    RosterRow,
    RosterUpdate,
    StaffSnapshot,
    describe_updates,
    parse_roster,
    plan_digest,
    plan_roster,
)
from ..enums import ImportMode
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..labels import CATEGORY_LABELS, GENDER_LABELS, label
from ..models import Department, Staff, University, User
from ..models._base import utcnow
from . import audit, excel
from .messages import row_error_message

PREVIEW_LIMIT = 200
_CHUNK = 900  # stays under SQLite's bound-parameter limit in IN (...) lists
_FIELDS = ("name", "category", "gender", "birth_date", "title", "phone")


@dataclass
class RosterImportResult:
    created: int
    updated: int
    deactivated: int
    unchanged: int
    dry_run: bool
    # Updates that give a 工号 another 姓名 (counted in ``updated`` too).
    renamed: int = 0
    # The fingerprint of what the import writes (domain.roster.plan_digest), to confirm what was previewed.
    digest: str = ""
    # What a dry run shows before the user confirms (the first PREVIEW_LIMIT of each): new rows in file
    # order; renamed people, then the other updates, each with its changed fields; those to mark inactive,
    # as stored, by department (pinyin) then 工号.
    preview_create: list[RosterRow] = field(default_factory=list)
    preview_renamed: list[RosterUpdate] = field(default_factory=list)
    preview_update: list[RosterUpdate] = field(default_factory=list)
    preview_deactivate: list[StaffSnapshot] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
        }


class PreviewOutdated(Conflict):
    """A confirmation refused: the roster changed since the preview, or its name changes were not ticked.

    ``preview`` is the dry run of the same file now, to show again.
    """

    code = "preview_outdated"

    def __init__(self, message: str, preview: RosterImportResult):
        super().__init__(message)
        self.preview = preview


@dataclass(frozen=True)
class RosterChanges:
    """Everything an import would do, for the Excel download of a preview."""

    plan: RosterPlan
    updates: list[RosterUpdate]
    deactivated: list[StaffSnapshot]


def rejection(parsed: ParseResult) -> ValidationFailed:
    details = [{"row": e.row, "column": e.column, "message": row_error_message(e)} for e in parsed.errors]
    n = len(details)
    return ValidationFailed(
        ngettext(
            "The file was not imported: %(num)d problem was found. Nothing was changed.",
            "The file was not imported: %(num)d problems were found. Nothing was changed.",
            n,
        ),
        details=details,
    )


def _snapshots(university: University) -> dict[str, tuple[int, StaffSnapshot]]:
    rows = db.session.execute(
        select(
            Staff.id,
            Staff.staff_no,
            Staff.name,
            Department.name,
            Staff.category,
            Staff.gender,
            Staff.birth_date,
            Staff.title,
            Staff.phone,
            Staff.active,
        )
        .join(Department, Staff.department_id == Department.id)
        .where(Staff.university_id == university.id)
    )
    return {r[1]: (r[0], StaffSnapshot(*r[1:])) for r in rows}


def _department_ids(university: University, names: set[str]) -> dict[str, int]:
    known = dict(
        db.session.execute(
            select(Department.name, Department.id).where(Department.university_id == university.id)
        ).all()
    )
    missing = sorted(names - known.keys())
    if missing:
        db.session.execute(insert(Department), [{"university_id": university.id, "name": n} for n in missing])
        known = dict(
            db.session.execute(
                select(Department.name, Department.id).where(Department.university_id == university.id)
            ).all()
        )
    return known


def _write(
    university: University,
    parsed: ParseResult,
    plan: RosterPlan,
    existing: dict[str, tuple[int, StaffSnapshot]],
) -> None:
    departments = _department_ids(university, {r.department for r in plan.create + plan.update})
    now = utcnow()
    if plan.create:
        # A Core executemany on the table: the ORM bulk path costs ~50% more on PostgreSQL at 50,000 rows.
        db.session.execute(
            insert(Staff.__table__),
            [
                {
                    "university_id": university.id,
                    "staff_no": r.staff_no,
                    "department_id": departments[r.department],
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                    **{f: getattr(r, f) for f in _FIELDS},
                }
                for r in plan.create
            ],
        )
    if plan.update:
        # Optional columns the file does not have keep their stored values.
        fields = [f for f in _FIELDS if f in parsed.columns]
        db.session.execute(
            update(Staff),
            [
                {
                    "id": existing[r.staff_no][0],
                    "department_id": departments[r.department],
                    "active": True,
                    "updated_at": now,
                    **{f: getattr(r, f) for f in fields},
                }
                for r in plan.update
            ],
        )
    for start in range(0, len(plan.deactivate), _CHUNK):
        ids = [existing[no][0] for no in plan.deactivate[start : start + _CHUNK]]
        db.session.execute(
            update(Staff).where(Staff.id.in_(ids)).values(active=False, updated_at=now),
            execution_options={"synchronize_session": False},
        )


def _plan(
    university: University, data: bytes, filename: str, mode: str
) -> tuple[ParseResult, RosterPlan, list[RosterUpdate], dict[str, tuple[int, StaffSnapshot]]]:
    if mode not in set(ImportMode):
        raise ValidationFailed(
            _("Choose merge or replace."),
            details=[{"field": "mode", "message": _("Choose merge or replace.")}],
        )
    parsed = parse_roster(
        data, filename, today=local_today(), max_bytes=current_app.config["ROSTER_MAX_BYTES"]
    )
    if not parsed.ok:
        raise rejection(parsed)
    existing = _snapshots(university)
    snapshots = {k: v[1] for k, v in existing.items()}
    plan = plan_roster(snapshots, parsed, mode)
    return parsed, plan, describe_updates(snapshots, parsed, plan), existing


def _deactivated(plan: RosterPlan, existing: dict[str, tuple[int, StaffSnapshot]]) -> list[StaffSnapshot]:
    people = [existing[no][1] for no in plan.deactivate]
    return sorted(people, key=lambda s: (pinyin_key(s.department), s.staff_no))


def import_roster(
    *,
    university: University,
    data: bytes,
    filename: str,
    mode: str,
    dry_run: bool,
    by: User | None,
    expected_digest: str | None = None,
    names_checked: bool = True,
) -> RosterImportResult:
    """Validate every row of the file first; a single problem rejects the whole file and writes nothing.

    A confirmation from the preview page passes the preview's ``expected_digest`` and whether its name
    changes were ticked: PreviewOutdated (nothing written) if the plan is no longer the one previewed, or if
    a 工号 would get another 姓名 and ``names_checked`` is false.
    """
    parsed, plan, updates, existing = _plan(university, data, filename, mode)
    renamed = [u for u in updates if u.renamed]
    digest = plan_digest(plan, updates)
    result = RosterImportResult(
        created=len(plan.create),
        updated=len(plan.update),
        deactivated=len(plan.deactivate),
        unchanged=len(plan.unchanged),
        dry_run=dry_run,
        renamed=len(renamed),
        digest=digest,
        preview_create=plan.create[:PREVIEW_LIMIT],
        preview_renamed=renamed[:PREVIEW_LIMIT],
        preview_update=[u for u in updates if not u.renamed][:PREVIEW_LIMIT],
        preview_deactivate=_deactivated(plan, existing)[:PREVIEW_LIMIT],
    )
    if not dry_run and expected_digest is not None and expected_digest != digest:
        result.dry_run = True
        raise PreviewOutdated(
            _("The roster has changed since this preview. Nothing was imported: check the new preview."),
            result,
        )
    if not dry_run and renamed and not names_checked:
        result.dry_run = True
        raise PreviewOutdated(
            _("Tick the box to confirm that the name changes are right. Nothing was imported yet."), result
        )
    if not dry_run:
        _write(university, parsed, plan, existing)
        audit.record(
            "roster.import",
            by=by,
            object_type="university",
            object_id=university.code,
            university_id=university.id,
            filename=filename,
            mode=mode,
            **result.to_dict(),
        )
    return result


def roster_changes(*, university: University, data: bytes, filename: str, mode: str) -> RosterChanges:
    """Everything a (valid) file would change, not only the first rows a preview shows; writes nothing."""
    _, plan, updates, existing = _plan(university, data, filename, mode)
    return RosterChanges(plan, updates, _deactivated(plan, existing))


def field_words() -> dict[str, str]:
    """The name of each field a preview shows before → after, in the request's language."""
    return {
        "name": _("Name"),
        "department": _("Department"),
        "category": _("Post"),
        "gender": _("Gender"),
        "birth_date": _("Birth date"),
        "title": _("Title"),
        "phone": _("Phone"),
        "active": _("On the roster"),
    }


def value_words(field_name: str, value: object) -> str:
    """A stored or imported value as a person reads it (labels for categories and genders, ISO dates)."""
    if value is None or value == "":
        return "—"
    if field_name == "category":
        return label(CATEGORY_LABELS, value)
    if field_name == "gender":
        return label(GENDER_LABELS, value)
    if field_name == "active":
        return _("Active") if value else _("Inactive")
    if field_name == "birth_date":
        return value.isoformat()
    return str(value)


def _change_words(change) -> str:
    return f"{value_words(change.field, change.before)} → {value_words(change.field, change.after)}"


def changes_workbook(changes: RosterChanges) -> bytes:
    """The whole preview as a workbook: name changes, each changed field, new staff, staff marked inactive."""
    words = field_words()
    renamed = [u for u in changes.updates if u.renamed]
    row_no, staff_no, name = _("Row"), _("Staff number"), _("Name")
    sheets = {}
    if renamed:
        sheets[_("Name changes")] = pd.DataFrame(
            [
                {
                    row_no: u.row.row,
                    staff_no: u.row.staff_no,
                    _("Name before"): u.before.name,
                    _("Name after"): u.row.name,
                    _("Other changes"): "; ".join(
                        f"{words[c.field]}: {_change_words(c)}" for c in u.changes if c.field != "name"
                    ),
                }
                for u in renamed
            ],
            columns=[row_no, staff_no, _("Name before"), _("Name after"), _("Other changes")],
        )
    changed = [_("Changed field"), _("Before"), _("After")]
    sheets[_("Changed staff")] = pd.DataFrame(
        [
            dict(
                zip(
                    [row_no, staff_no, name, *changed],
                    [
                        u.row.row,
                        u.row.staff_no,
                        u.row.name,
                        words[c.field],
                        value_words(c.field, c.before),
                        value_words(c.field, c.after),
                    ],
                    strict=True,
                )
            )
            for u in changes.updates
            for c in u.changes
        ],
        columns=[row_no, staff_no, name, *changed],
    )
    new_columns = ["name", "department", "category", "gender", "birth_date", "title", "phone"]
    sheets[_("New staff")] = pd.DataFrame(
        [
            {
                row_no: r.row,
                staff_no: r.staff_no,
                **{words[f]: value_words(f, getattr(r, f)) for f in new_columns},
            }
            for r in changes.plan.create
        ],
        columns=[row_no, staff_no, *(words[f] for f in new_columns)],
    )
    gone_columns = ["name", "department", "category"]
    sheets[_("To mark inactive")] = pd.DataFrame(
        [
            {staff_no: s.staff_no, **{words[f]: value_words(f, getattr(s, f)) for f in gone_columns}}
            for s in changes.deactivated
        ],
        columns=[staff_no, *(words[f] for f in gone_columns)],
    )
    return excel.to_xlsx(sheets)
