"""The filtered audit log as an Excel workbook: each line in words (as on the page, without links), then the
raw code, object and details for auditors; a second sheet says when, with which filters and how many lines."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import datetime

import xlsxwriter
from flask_babel import gettext as _
from sqlalchemy import and_, or_

from ..audit_words import GROUPS, OBJECT_KINDS, label_of
from ..clock import local_zone
from ..extensions import db
from ..models import AuditLog, User
from .audit import AuditFilters, audit_query
from .audit_log import NEWEST, describe
from .audit_objects import details_of
from .audit_phrases import number
from .excel import OPTIONS, neutralise

# The export holds at most this many lines (the newest), as many as the pages reach; the page says so before
# it is downloaded. A year of a province is some 370,000 lines; 20,000 (a busy month of approvals) take about
# 15 s to write.
EXPORT_CAP = NEWEST
_BATCH = 1_000


def _batches(*, user: User, filters: AuditFilters, limit: int) -> Iterable[list[AuditLog]]:
    """The filtered rows, newest first, ``_BATCH`` at a time (keyset on time and id), at most ``limit``."""
    stmt = audit_query(user=user, filters=filters)
    last: AuditLog | None = None
    left = limit
    while left > 0:
        query = stmt
        if last is not None:
            query = query.where(
                or_(AuditLog.at < last.at, and_(AuditLog.at == last.at, AuditLog.id < last.id))
            )
        rows = list(db.session.scalars(query.limit(min(_BATCH, left))))
        if not rows:
            return
        yield rows
        left -= len(rows)
        last = rows[-1]


def _filters_text(filters: AuditFilters) -> str:
    shown = []
    if filters.person:
        shown.append(_("Who: %(v)s", v=filters.person))
    if filters.action:
        key = filters.action.removeprefix("group:")
        group = next((g for g in GROUPS if g.key == key), None)
        shown.append(_("Action: %(v)s", v=str(group.label) if group else label_of(filters.action)))
    if filters.object_text or filters.object_kind:
        kind = str(OBJECT_KINDS[filters.object_kind]) if filters.object_kind else ""
        shown.append(_("Object: %(v)s", v=" ".join(x for x in (kind, filters.object_text) if x)))
    if filters.date_from or filters.date_to:
        shown.append(
            _(
                "Dates: %(start)s to %(end)s",
                start=filters.date_from.isoformat() if filters.date_from else "…",
                end=filters.date_to.isoformat() if filters.date_to else "…",
            )
        )
    return "; ".join(shown) or _("None: the whole log")


def export_workbook(*, user: User, filters: AuditFilters, total: int) -> bytes:
    """The filtered lines (the newest ``EXPORT_CAP`` of ``total``) as a workbook: time, who, the action and
    its object in words, the sentence, the university; the raw code, object and details for auditors."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, **OPTIONS})
    heading = book.add_format({"bold": True, "bg_color": "#F0F2F5", "border": 1})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    columns = [
        (_("Time"), 19),
        (_("Who"), 18),
        (_("Username"), 14),
        (_("Action"), 18),
        (_("Object"), 40),
        (_("What happened"), 70),
        (_("University"), 18),
        (_("Action code"), 22),
        (_("Object type"), 12),
        (_("Object id"), 10),
        (_("Details (JSON)"), 50),
    ]
    sheet = book.add_worksheet(_("Audit log")[:31])
    for i, (title, width) in enumerate(columns):
        sheet.set_column(i, i, width)
        sheet.write_string(0, i, title, heading)
    sheet.freeze_panes(1, 0)
    written = 0
    for rows in _batches(user=user, filters=filters, limit=EXPORT_CAP):
        for line in describe(rows, viewer=user, links=False):
            written += 1
            row = line.row
            sheet.write_datetime(written, 0, line.at, when)
            cells = [
                line.who,
                row.username or "",
                line.action,
                line.object_text,
                line.sentence,
                line.university,
                row.action,
                row.object_type,
                row.object_id or "",
                json.dumps(details_of(row), ensure_ascii=False, sort_keys=True, default=str),
            ]
            for i, value in enumerate(cells, start=1):
                if value:
                    sheet.write_string(written, i, str(neutralise(value)))
    about = book.add_worksheet(_("About")[:31])
    about.set_column(0, 0, 16)
    about.set_column(1, 1, 90)
    facts = [
        (_("Exported at"), datetime.now(local_zone()).strftime("%Y-%m-%d %H:%M")),
        (_("Filters"), _filters_text(filters)),
        (_("Lines"), _("%(n)s of %(total)s", n=number(written), total=number(total))),
    ]
    if total > written:
        facts.append(
            (
                _("Note"),
                _(
                    "Only the newest %(n)s lines are in this file: narrow the dates or the filters to export "
                    "the rest.",
                    n=number(EXPORT_CAP),
                ),
            )
        )
    for r, (key, value) in enumerate(facts):
        about.write_string(r, 0, key, heading)
        about.write_string(r, 1, str(neutralise(value)))
    book.close()
    return buffer.getvalue()
