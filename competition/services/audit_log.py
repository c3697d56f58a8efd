"""The audit log as people read it: each line a sentence in the reader's language, its objects named and
linked where the reader may open them; and the filtered lines as an Excel workbook.

``describe`` turns a batch of ``AuditLog`` rows into ``Line``s with one query per kind of object (accounts,
entries, staff, rounds, groups, competitions, universities), whatever the number of rows. The words are in
``audit_words``; the raw codes and details stay as they are in the database (and in the export's last
columns, for auditors).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import xlsxwriter
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from ..audit_words import (
    ACTIONS,
    FIELD_WORDS,
    GENERIC,
    GROUPS,
    OBJECT_KINDS,
    OBJECT_WORDS,
    SCREEN_WORDS,
    STAFF_OBJECT,
    SYSTEM,
    label_of,
    placeholders,
)
from ..clock import local_today, local_zone
from ..database import is_db_int
from ..extensions import db
from ..labels import CATEGORY_LABELS, ROLE_LABELS, STATUS_LABELS, label
from ..models import AuditLog, Competition, CompetitionGroup, Entry, Round, Staff, University, User
from ..pagination import Page, PageRequest, page_of
from ..permissions import (
    admin_university_ids,
    can_manage_competition,
    can_manage_university,
    can_see_entry,
    can_view_competition,
    is_organizer,
)
from .audit import AuditFilters, audit_query, list_entries
from .excel import neutralise

# The export holds at most this many lines (the newest); the page says so before it is downloaded. A year of a
# province is some 370,000 lines; 20,000 (a busy month of approvals) take about 15 s to write.
EXPORT_CAP = 20_000
_BATCH = 1_000
# A staff member's own page, once it exists (issue 10 item 5); until then the roster list, searched.
_STAFF_PAGE = "staff.show_person"
# Words used on many lines (translated once per batch).
_NAMED_ACCOUNT = _l("%(name)s (%(username)s)")
_DRAW_NO = _l("No. %(no)s")
_SHEET = _l("%(round)s %(no)s · judge %(judge)s")


@dataclass(frozen=True)
class Part:
    """A piece of a sentence: plain words, or an object's name with the page it links to (if any)."""

    text: str
    endpoint: str | None = None
    args: dict = field(default_factory=dict)
    kind: str = ""  # "who", "object" or "" (the sentence's own words)


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


# --- loading the objects of a batch of rows -----------------------------------------------------------------


def _int(value) -> int | None:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if is_db_int(value) else None


def _details(row: AuditLog) -> dict:
    return row.details if isinstance(row.details, dict) else {}


class _Objects:
    """The objects a batch of rows names, each kind read in one query."""

    def __init__(self, rows: list[AuditLog]):
        user_ids, usernames, entry_ids, staff_ids, round_ids, group_ids = (
            set(),
            set(),
            set(),
            set(),
            set(),
            set(),
        )
        competition_ids, university_ids, university_codes = set(), set(), set()
        for row in rows:
            d = _details(row)
            kind, oid = row.object_type, row.object_id
            user_ids.add(row.user_id)
            university_ids.add(row.university_id)
            if isinstance(d.get("judge"), str):
                usernames.add(d["judge"])
            if kind == "user":
                user_ids.add(_int(oid))
            elif kind == "entry":
                entry_ids.add(_int(oid))
            elif kind == STAFF_OBJECT:
                staff_ids.add(_int(oid))
            elif kind == "round":
                round_ids.add(_int(oid))
            elif kind == "competition":
                competition_ids.add(_int(oid))
            elif kind == "university" and oid:
                university_codes.add(oid)
            entry_ids.add(_int(d.get("entry_id")))
            round_ids.add(_int(d.get("round_id")))
            group_ids.add(_int(d.get("group_id")))
            if isinstance(d.get("groups"), list):
                group_ids.update(_int(g) for g in d["groups"])
            competition_ids.update((_int(d.get("competition_id")), _int(d.get("copied_from"))))

        def known(ids: set) -> set[int]:
            return {i for i in ids if i is not None}

        users = _query(
            select(User).where(or_(User.id.in_(known(user_ids)), User.username.in_(usernames))),
            known(user_ids) or usernames,
        )
        self.users = {u.id: u for u in users}
        self.users_by_name = {u.username: u for u in users}
        self.entries = {
            e.id: e
            for e in _query(
                select(Entry).options(joinedload(Entry.staff)).where(Entry.id.in_(known(entry_ids))),
                known(entry_ids),
            )
        }
        self.staff = {s.id: s for s in _query(select(Staff).where(Staff.id.in_(known(staff_ids))), staff_ids)}
        self.staff.update({e.staff_id: e.staff for e in self.entries.values()})
        self.rounds = {
            r.id: r for r in _query(select(Round).where(Round.id.in_(known(round_ids))), round_ids)
        }
        self.groups = {
            g.id: g
            for g in _query(
                select(CompetitionGroup).where(CompetitionGroup.id.in_(known(group_ids))), group_ids
            )
        }
        competition_ids.update(e.competition_id for e in self.entries.values())
        competition_ids.update(r.competition_id for r in self.rounds.values())
        competition_ids.update(g.competition_id for g in self.groups.values())
        self.competitions = {
            c.id: c
            for c in _query(
                select(Competition).where(Competition.id.in_(known(competition_ids))), known(competition_ids)
            )
        }
        university_ids.update(e.university_id for e in self.entries.values())
        university_ids.update(s.university_id for s in self.staff.values())
        universities = _query(
            select(University).where(
                or_(University.id.in_(known(university_ids)), University.code.in_(university_codes))
            ),
            known(university_ids) or university_codes,
        )
        self.universities = {u.id: u for u in universities}
        self.universities_by_code = {u.code: u for u in universities}


def _query(stmt, wanted) -> list:
    """The rows of ``stmt``, or none without a query when there is nothing to look for."""
    wanted = {w for w in wanted if w is not None}
    return list(db.session.scalars(stmt)) if wanted else []


# --- one row in words ---------------------------------------------------------------------------------------


def _is_zh() -> bool:
    return str(get_locale() or "").startswith("zh")


def _number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value) if value not in (None, "") else "—"
    return format_decimal(value, locale=get_locale())


def _listing(items: Iterable[str]) -> str:
    items = [i for i in items if i]
    return format_list(items, locale=get_locale()) if items else "—"


class _Reader:
    """Who reads a batch, worked out once: whether links are wanted (not in the export), the translated
    templates used so far."""

    def __init__(self, viewer: User, *, links: bool):
        self.viewer, self.links = viewer, links
        self.organizer = is_organizer(viewer)
        self.managed = admin_university_ids(viewer)
        self.staff_page = links and _STAFF_PAGE in current_app.view_functions
        self._texts: dict[int, str] = {}
        self._labels: dict[str, str] = {}

    def text(self, template) -> str:
        """``str(template)`` in the current language, translated once per batch."""
        key = id(template)
        if key not in self._texts:
            self._texts[key] = str(template)
        return self._texts[key]

    def label(self, code: str) -> str:
        if code not in self._labels:
            self._labels[code] = label_of(code)
        return self._labels[code]

    def may(self, rule: Callable[[User, object], bool], thing) -> bool:
        """Link to ``thing`` when links are wanted and ``rule`` (a ``permissions.can_*``) lets the reader."""
        return self.links and rule(self.viewer, thing)


class _Words:
    """The words (and links) of each placeholder for one row, as seen by the reader."""

    def __init__(self, row: AuditLog, objects: _Objects, reader: _Reader):
        self.row, self.o, self.reader = row, objects, reader
        self._values: dict[str, list[Part]] = {}
        self.d = _details(row)
        kind, oid = row.object_type, _int(row.object_id)
        self.entry = objects.entries.get(oid if kind == "entry" else _int(self.d.get("entry_id")))
        self.staff = (
            objects.staff.get(oid) if kind == STAFF_OBJECT else (self.entry.staff if self.entry else None)
        )
        self.round = objects.rounds.get(oid if kind == "round" else _int(self.d.get("round_id")))
        self.group = objects.groups.get(_int(self.d.get("group_id")))
        competition_id = (
            oid
            if kind == "competition"
            else _int(self.d.get("competition_id"))
            or (self.entry.competition_id if self.entry else None)
            or (self.round.competition_id if self.round else None)
            or (self.group.competition_id if self.group else None)
        )
        self.competition_id = competition_id
        self.competition = objects.competitions.get(competition_id)

    # -- links, where the object exists and the viewer may open it

    def _account_part(
        self, user: User | None, fallback: str | None, *, kind: str = "object", with_username: bool = False
    ) -> Part:
        """An account by its display name ("魏辉阳（judge_dhut_2）" with ``with_username``), linked to the
        accounts page when it lists the account for the reader."""
        if user is None:
            return Part(fallback or "—", kind=kind)
        text = user.display_name or user.username
        if with_username and text != user.username:
            text = self.reader.text(_NAMED_ACCOUNT) % {"name": text, "username": user.username}
        if self.reader.links and self._reaches(user):
            return Part(text, "admin.users", {"q": user.username}, kind=kind)
        return Part(text, kind=kind)

    def _reaches(self, user: User) -> bool:
        """The accounts page lists the account for the viewer (``permissions.scope_users``)."""
        if self.reader.organizer:
            return True
        return any(g.university_id in self.reader.managed for g in user.roles)

    def _competition_part(self, competition: Competition | None, fallback_id, fallback_name=None) -> Part:
        if competition is None:
            name = fallback_name or (_("Competition #%(id)s", id=fallback_id) if fallback_id else "—")
            return Part(name, kind="object")
        if self.reader.may(can_view_competition, competition):
            return Part(
                competition.name,
                "competitions.show_competition",
                {"competition_id": competition.id},
                "object",
            )
        return Part(competition.name, kind="object")

    def _university_part(self, university: University | None, fallback: str | None = None) -> Part:
        if university is None:
            return Part(fallback or "—", kind="object")
        if self.reader.may(can_manage_university, university):
            return Part(university.name, "staff.list_staff", {"code": university.code}, "object")
        return Part(university.name, kind="object")

    def _person_part(self) -> Part:
        entry, person = self.entry, self.staff
        if entry is not None and self.row.object_type != STAFF_OBJECT:
            name = entry.staff.name
            if entry.competition_id in self.o.competitions and self.reader.may(can_see_entry, entry):
                return Part(name, "registration.show_entry", {"entry_id": entry.id}, "object")
            return Part(name, kind="object")
        if person is not None:
            university = self.o.universities.get(person.university_id)
            if university is not None and self.reader.may(can_manage_university, university):
                if self.reader.staff_page:
                    return Part(
                        person.name,
                        _STAFF_PAGE,
                        {"code": university.code, "staff_no": person.staff_no},
                        "object",
                    )
                return Part(
                    person.name, "staff.list_staff", {"code": university.code, "q": person.staff_no}, "object"
                )
            return Part(person.name, kind="object")
        name = self.d.get("name") if self.row.object_type == STAFF_OBJECT else None
        return Part(str(name or self.d.get("staff_no") or "—"), kind="object")

    # -- the placeholders

    def value(self, name: str) -> list[Part]:
        """The parts of placeholder ``name`` (worked out once per row: the sentence and the object share)."""
        if name not in self._values:
            make: Callable[[], Part | list[Part] | str] | None = getattr(self, "_v_" + name, None)
            result = make() if make else "—"
            if isinstance(result, str):
                result = Part(result, kind="object")
            self._values[name] = result if isinstance(result, list) else [result]
        return self._values[name]

    def _v_who(self) -> Part:
        user = self.o.users.get(self.row.user_id)
        if user is None and not self.row.username:
            return Part(self.reader.text(SYSTEM), kind="who")
        return self._account_part(user, self.row.username, kind="who")

    def _v_person(self) -> Part:
        return self._person_part()

    def _v_competition(self) -> Part:
        name = self.d.get("name") if self.row.action == "competition.create" else None
        return self._competition_part(self.competition, self.competition_id, name)

    def _v_source(self) -> Part:
        source_id = _int(self.d.get("copied_from"))
        return self._competition_part(self.o.competitions.get(source_id), source_id)

    def _v_university(self) -> Part:
        if self.row.object_type == "university":
            university = self.o.universities_by_code.get(self.row.object_id or "")
            return self._university_part(university, self.d.get("name") or self.row.object_id)
        if self.staff is not None:
            return self._university_part(self.o.universities.get(self.staff.university_id))
        return self._university_part(self.o.universities.get(self.row.university_id))

    def _v_account(self) -> Part:
        user = self.o.users.get(_int(self.row.object_id)) if self.row.object_type == "user" else None
        return self._account_part(user, self.d.get("username") or self.row.object_id, with_username=True)

    def _v_judge(self) -> Part:
        username = self.d.get("judge")
        user = self.o.users_by_name.get(username) if isinstance(username, str) else None
        return self._account_part(user, username if isinstance(username, str) else None, with_username=True)

    def _draw_no(self) -> str:
        entry = self.entry
        if entry is None or entry.draw_no is None:
            return entry.staff.name if entry is not None else "—"
        return self.reader.text(_DRAW_NO) % {"no": str(entry.draw_no).zfill(2)}

    def _v_sheet(self) -> Part:
        username = self.d.get("judge")
        judge = self.o.users_by_name.get(username) if isinstance(username, str) else None
        text = self.reader.text(_SHEET) % {
            "round": self.round.name if self.round else "—",
            "no": self._draw_no(),
            "judge": (judge.display_name or judge.username) if judge else (username or "—"),
        }
        competition, entry = self.competition, self.entry
        if None not in (competition, entry, self.round) and self.reader.may(
            can_manage_competition, competition
        ):
            args = {"competition_id": competition.id, "group_id": entry.group_id, "round_id": self.round.id}
            return Part(text, "judging.show_sheets", args, "object")
        return Part(text, kind="object")

    def _v_round(self) -> Part:
        if self.round is None:
            return Part("—", kind="object")
        if self.competition is not None and self.reader.may(can_manage_competition, self.competition):
            return Part(
                self.round.name, "judging.show_progress", {"competition_id": self.competition.id}, "object"
            )
        return Part(self.round.name, kind="object")

    def _v_group(self) -> str:
        return self.group.name if self.group else "—"

    def _v_groups(self) -> str:
        ids = self.d.get("groups") if isinstance(self.d.get("groups"), list) else []
        return _listing(self.o.groups[g].name for g in map(_int, ids) if g in self.o.groups)

    def _v_contestant(self) -> list[Part]:
        if self.entry is None:
            return [Part("—")]
        return [Part(self._draw_no() + " "), self._person_part()]

    def _v_file(self) -> str:
        return str(self.d.get("filename") or self.d.get("file") or "—")

    def _v_count(self) -> str:
        for key in ("count", "entries", "certificates", "sheets", "created"):
            if key in self.d:
                return _number(self.d[key])
        return "—"

    def _v_from(self) -> str:
        return label(STATUS_LABELS, self.d.get("from")) or "—"

    def _v_to(self) -> str:
        return label(STATUS_LABELS, self.d.get("to")) or "—"

    def _v_screen(self) -> str:
        return label(SCREEN_WORDS, self.d.get("screen")) or "—"

    def _v_reason(self) -> str:
        return str(self.d.get("reason") or "—")

    def _v_total(self) -> str:
        return str(self.d.get("total") or "—")

    def _v_created(self) -> str:
        return _number(self.d.get("created"))

    def _v_updated(self) -> str:
        return _number(self.d.get("updated"))

    def _v_deactivated(self) -> str:
        return _number(self.d.get("deactivated"))

    def _percent(self, key: str) -> str:
        value = self.d.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "—"
        return format_percent(value, "#,##0.0%", locale=get_locale())

    def _v_target(self) -> str:
        return self._percent("target")

    def _v_warning(self) -> str:
        return self._percent("warning")

    def _v_roles(self) -> str:
        roles = self.d.get("roles") if isinstance(self.d.get("roles"), list) else []
        return _listing(label(ROLE_LABELS, r) for r in roles)

    def _v_changes(self) -> str:
        changes = self.d.get("changes") if isinstance(self.d.get("changes"), dict) else {}
        return (_is_zh() and "；" or "; ").join(_change(name, pair) for name, pair in changes.items()) or "—"

    def _v_universities(self) -> str:
        return _number(self.d.get("universities"))

    def _v_staff(self) -> str:
        return _number(self.d.get("staff"))

    def _v_action(self) -> Part:
        return Part(self.row.action, kind="code")

    def _v_object(self) -> list[Part]:
        return self.object_parts()

    def object_parts(self) -> list[Part]:
        template = OBJECT_WORDS.get(self.row.object_type)
        if template is None:
            return [Part(f"{self.row.object_type} {self.row.object_id or ''}".strip(), kind="object")]
        return _assemble(self.reader.text(template), self.value)


def _change(name: str, pair) -> str:
    """One corrected field of a staff member: "Department: 计算机学院 → 数学学院"; left / back."""
    before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
    if name == "active":
        return _("marked as having left the university") if not after else _("marked as working there again")
    if name == "category":
        before, after = label(CATEGORY_LABELS, before), label(CATEGORY_LABELS, after)
    field_name = label(FIELD_WORDS, name) or name
    return _("%(field)s: %(before)s → %(after)s", field=field_name, before=before or "—", after=after or "—")


def _assemble(template: str, value: Callable[[str], list[Part]]) -> list[Part]:
    """The template's words and its placeholders' parts, in the template's order."""
    parts: list[Part] = []
    rest = template
    for name in placeholders(template):
        before, _sep, rest = rest.partition(f"%({name})s")
        if before:
            parts.append(Part(before))
        parts.extend(value(name))
    if rest:
        parts.append(Part(rest))
    return parts


def describe(rows: list[AuditLog], *, viewer: User, links: bool = True) -> list[Line]:
    """The rows as sentences in the current language, with the links ``viewer`` may follow (none when
    ``links`` is False: the export). One query per kind of object named, whatever the number of rows."""
    objects = _Objects(rows)
    reader = _Reader(viewer, links=links)
    zone = local_zone()
    lines = []
    for row in rows:
        words = _Words(row, objects, reader)
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
                parts=_assemble(reader.text(template), words.value),
                object_parts=words.object_parts(),
            )
        )
    return lines


def page_of_lines(*, user: User, filters: AuditFilters, page: PageRequest) -> Page:
    """One page of the log in ``user``'s scope, as ``Line``s."""
    found = list_entries(user=user, page=page, filters=filters)
    return page_of(describe(found.items, viewer=user), found.total, page)


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


# --- the export ---------------------------------------------------------------------------------------------


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
    book = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_urls": False, "strings_to_formulas": False}
    )
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
                json.dumps(_details(row), ensure_ascii=False, sort_keys=True, default=str),
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
        (_("Lines"), _("%(n)s of %(total)s", n=_number(written), total=_number(total))),
    ]
    if total > written:
        facts.append(
            (
                _("Note"),
                _(
                    "Only the newest %(n)s lines are in this file: narrow the dates or the filters to export "
                    "the rest.",
                    n=_number(EXPORT_CAP),
                ),
            )
        )
    for r, (key, value) in enumerate(facts):
        about.write_string(r, 0, key, heading)
        about.write_string(r, 1, str(neutralise(value)))
    book.close()
    return buffer.getvalue()
