"""The words of one audit row as one reader sees them: each placeholder of its sentence as plain words or as
an object's name linked to the page the reader may open; and the template's words and parts put together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit_words import (
    FIELD_WORDS,
    OBJECT_WORDS,
    SCREEN_WORDS,
    STAFF_OBJECT,
    SYSTEM,
    label_of,
    placeholders,
)
from ..labels import CATEGORY_LABELS, ROLE_LABELS, STATUS_LABELS, label
from ..models import AuditLog, Competition, University, User
from ..permissions import (
    admin_university_ids,
    can_manage_competition,
    can_manage_university,
    can_see_entry,
    can_view_competition,
    is_organizer,
)
from .audit_objects import Objects, as_int, details_of

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


def _is_zh() -> bool:
    return str(get_locale() or "").startswith("zh")


def number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value) if value not in (None, "") else "—"
    return format_decimal(value, locale=get_locale())


def _listing(items: Iterable[str]) -> str:
    items = [i for i in items if i]
    return format_list(items, locale=get_locale()) if items else "—"


class Reader:
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


class Words:
    """The words (and links) of each placeholder for one row, as seen by the reader."""

    def __init__(self, row: AuditLog, objects: Objects, reader: Reader):
        self.row, self.o, self.reader = row, objects, reader
        self._values: dict[str, list[Part]] = {}
        self.d = details_of(row)
        kind, oid = row.object_type, as_int(row.object_id)
        self.entry = objects.entries.get(oid if kind == "entry" else as_int(self.d.get("entry_id")))
        self.staff = (
            objects.staff.get(oid) if kind == STAFF_OBJECT else (self.entry.staff if self.entry else None)
        )
        self.round = objects.rounds.get(oid if kind == "round" else as_int(self.d.get("round_id")))
        self.group = objects.groups.get(as_int(self.d.get("group_id")))
        competition_id = (
            oid
            if kind == "competition"
            else as_int(self.d.get("competition_id"))
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
        source_id = as_int(self.d.get("copied_from"))
        return self._competition_part(self.o.competitions.get(source_id), source_id)

    def _v_university(self) -> Part:
        if self.row.object_type == "university":
            university = self.o.universities_by_code.get(self.row.object_id or "")
            return self._university_part(university, self.d.get("name") or self.row.object_id)
        if self.staff is not None:
            return self._university_part(self.o.universities.get(self.staff.university_id))
        return self._university_part(self.o.universities.get(self.row.university_id))

    def _v_account(self) -> Part:
        user = self.o.users.get(as_int(self.row.object_id)) if self.row.object_type == "user" else None
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
        return _listing(self.o.groups[g].name for g in map(as_int, ids) if g in self.o.groups)

    def _v_contestant(self) -> list[Part]:
        if self.entry is None:
            return [Part("—")]
        return [Part(self._draw_no() + " "), self._person_part()]

    def _v_file(self) -> str:
        return str(self.d.get("filename") or self.d.get("file") or "—")

    def _v_count(self) -> str:
        for key in ("count", "entries", "certificates", "sheets", "created"):
            if key in self.d:
                return number(self.d[key])
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
        return number(self.d.get("created"))

    def _v_updated(self) -> str:
        return number(self.d.get("updated"))

    def _v_deactivated(self) -> str:
        return number(self.d.get("deactivated"))

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
        return number(self.d.get("universities"))

    def _v_staff(self) -> str:
        return number(self.d.get("staff"))

    def _v_action(self) -> Part:
        return Part(self.row.action, kind="code")

    def _v_object(self) -> list[Part]:
        return self.object_parts()

    def object_parts(self) -> list[Part]:
        template = OBJECT_WORDS.get(self.row.object_type)
        if template is None:
            return [Part(f"{self.row.object_type} {self.row.object_id or ''}".strip(), kind="object")]
        return assemble(self.reader.text(template), self.value)


def _change(name: str, pair) -> str:
    """One corrected field of a staff member: "Department: 计算机学院 → 数学学院"; left / back."""
    before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
    if name == "active":
        return _("marked as having left the university") if not after else _("marked as working there again")
    if name == "category":
        before, after = label(CATEGORY_LABELS, before), label(CATEGORY_LABELS, after)
    field_name = label(FIELD_WORDS, name) or name
    return _("%(field)s: %(before)s → %(after)s", field=field_name, before=before or "—", after=after or "—")


def assemble(template: str, value: Callable[[str], list[Part]]) -> list[Part]:
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
