"""The audit log as people read it: each row a sentence in the reader's language, its objects named and linked
where the reader may open them (``audit_phrases``), one query per kind of object whatever the number of rows
(``audit_objects``); a page's lines grouped by day. The words are in ``audit_words``, the export in
``audit_export``.

The pages and the Excel file reach the newest ``NEWEST`` lines that pass the filters: a year of a province is
some 370,000 lines, and counting them all (50 ms and more on PostgreSQL, a whole scan with a name filter)
would cost more than the page itself; past that number the log says "more than" and asks for narrower
dates."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from ..audit_words import ACTIONS, GENERIC
from ..clock import local_today, local_zone
from ..models import AuditLog, User
from ..pagination import Page, PageRequest, fetch_page
from .audit import AuditFilters, audit_query
from .audit_objects import Objects
from .audit_phrases import Part, Reader, Words, assemble

NEWEST = 20_000


@dataclass(frozen=True)
class Line:
    row: AuditLog
    day: date  # local
    at: datetime  # local, naive
    who: str
    university: str  # the university the line belongs to (its scope), by name
    action: str  # the action's label in words
    known: bool  # the code has its own sentence (else the generic line)
    parts: list[Part]
    object_parts: list[Part]

    @property
    def sentence(self) -> str:
        return "".join(p.text for p in self.parts)

    @property
    def object_text(self) -> str:
        return "".join(p.text for p in self.object_parts)


def describe(rows: list[AuditLog], *, viewer: User, links: bool = True) -> list[Line]:
    """The rows as sentences in the current language, with the links ``viewer`` may follow (none when
    ``links`` is False: the export). One query per kind of object named, whatever the number of rows."""
    objects = Objects(rows)
    reader = Reader(viewer, links=links)
    zone = local_zone()
    lines = []
    for row in rows:
        words = Words(row, objects, reader)
        action = ACTIONS.get(row.action)
        template = action.sentence_for(words.d) if action else GENERIC
        at = row.at.replace(tzinfo=UTC).astimezone(zone)
        who = words.value("who")
        lines.append(
            Line(
                row=row,
                day=at.date(),
                at=at.replace(tzinfo=None),
                who="".join(p.text for p in who),
                university=u.name if (u := objects.universities.get(row.university_id)) else "",
                action=reader.label(row.action),
                known=action is not None,
                parts=assemble(reader.text(template), words.value),
                object_parts=words.object_parts(),
            )
        )
    return lines


def page_of_lines(*, user: User, filters: AuditFilters, page: PageRequest) -> Page:
    """One page of the log in ``user``'s scope, as ``Line``s; its count stops past ``NEWEST`` lines
    (``Page.more``), and a page beyond them shows the last one within them."""
    found = fetch_page(audit_query(user=user, filters=filters), page, count_limit=NEWEST)
    return replace(found, items=describe(found.items, viewer=user))


def day_words(day: date) -> str:
    """A day heading of the log: "今天 · 2026年12月1日星期二", "Tuesday, December 1, 2026"."""
    full = format_date(day, "full")
    today = local_today()
    if day == today:
        return _("Today · %(date)s", date=full)
    if day == today - timedelta(days=1):
        return _("Yesterday · %(date)s", date=full)
    return full


def by_day(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Consecutive lines of the same local day together under the day's heading, newest first."""
    days: list[tuple[date, list[Line]]] = []
    for line in lines:
        if days and days[-1][0] == line.day:
            days[-1][1].append(line)
        else:
            days.append((line.day, [line]))
    return [(day_words(day), items) for day, items in days]
