"""The audit log in words: for every action code that ``services.audit.record`` writes, a short label (the
action filter, the Excel column) and a sentence template in the reader's language.

A sentence names its parts by placeholders: ``%(who)s approved %(person)s's entry (%(competition)s)``.
``services.audit_phrases`` fills them with the objects' words (and links) and splits the translated template
at the placeholders, so a name is never parsed as markup and a translation may put the parts in any order. A
code without words here still reads as a generic line (``GENERIC``); ``tests/unit/test_audit_words.py``
walks the source for ``audit.record("...")`` so that a new code without its words fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from .enums import StageScreen

# Every placeholder a sentence may use; ``services.audit_phrases`` gives each one a value ("—" when unknown).
PLACEHOLDERS = frozenset(
    {
        "who",  # the account that acted (its display name), or "the system"
        "person",  # an entrant or a staff member, by name
        "competition",
        "source",  # the competition a new one was copied from
        "university",
        "account",  # an account acted on (display name and username)
        "judge",  # a judge, by display name and username
        "sheet",  # a score sheet: "课堂教学 04号 · 评委 judge_x"
        "round",
        "group",
        "groups",
        "contestant",  # a contestant on stage, by draw number and name
        "file",
        "count",
        "from",
        "to",
        "screen",
        "reason",
        "total",
        "created",
        "updated",
        "deactivated",
        "target",
        "warning",
        "roles",
        "changes",
        "universities",
        "staff",
        "action",  # the raw code (the generic line only)
        "object",  # the object in words (the generic line only)
    }
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


@dataclass(frozen=True)
class Group:
    key: str
    label: LazyString


@dataclass(frozen=True)
class Action:
    """The words of one action code: its group in the filter, a short label and its sentence(s)."""

    group: str
    label: LazyString
    sentence: LazyString
    # Other sentences for some records (a redraw, a judge taken off every panel), chosen by ``variant``.
    variants: dict[str, LazyString] = field(default_factory=dict)
    variant: Callable[[dict], str | None] | None = None

    def sentence_for(self, details: dict) -> LazyString:
        key = self.variant(details) if self.variant else None
        return self.variants.get(key, self.sentence) if key else self.sentence

    def all_sentences(self) -> list[LazyString]:
        return [self.sentence, *self.variants.values()]


GROUPS = [
    Group("entries", _l("Entries and approvals")),
    Group("competitions", _l("Competitions")),
    Group("judging", _l("Judges and score sheets")),
    Group("stage", _l("Live stage")),
    Group("people", _l("Staff, universities and accounts")),
    Group("system", _l("Settings and system")),
]


def _flag(key: str, name: str) -> Callable[[dict], str | None]:
    return lambda details: name if details.get(key) else None


def _missing(key: str, name: str) -> Callable[[dict], str | None]:
    return lambda details: name if not details.get(key) else None


ACTIONS: dict[str, Action] = {
    # --- entries
    "entry.register": Action(
        "entries",
        _l("Registered an entry"),
        _l("%(who)s registered %(person)s for %(competition)s"),
    ),
    "entry.approve": Action(
        "entries",
        _l("Approved an entry"),
        _l("%(who)s approved %(person)s's entry (%(competition)s)"),
        {
            "automatic": _l(
                "%(who)s registered %(person)s and the entry was approved automatically (%(competition)s)"
            )
        },
        _flag("automatic", "automatic"),
    ),
    "entry.reject": Action(
        "entries",
        _l("Rejected an entry"),
        _l("%(who)s rejected %(person)s's entry (%(competition)s). Reason: %(reason)s"),
        {"no_reason": _l("%(who)s rejected %(person)s's entry (%(competition)s)")},
        _missing("reason", "no_reason"),
    ),
    "entry.withdraw": Action(
        "entries",
        _l("Withdrew an entry"),
        _l("%(who)s withdrew %(person)s's entry (%(competition)s)"),
    ),
    "entry.material_add": Action(
        "entries",
        _l("Uploaded a file"),
        _l("%(who)s uploaded the file %(file)s to %(person)s's entry (%(competition)s)"),
    ),
    "entry.material_remove": Action(
        "entries",
        _l("Deleted a file"),
        _l("%(who)s deleted the file %(file)s from %(person)s's entry (%(competition)s)"),
    ),
    # --- competitions
    "exam.bank_import": Action(
        "competitions",
        _l("Imported questions into a bank"),
        _l("%(who)s added %(created)s questions to the bank of %(round)s (%(competition)s)"),
    ),
    "exam.bank_clear": Action(
        "competitions",
        _l("Emptied a question bank"),
        _l("%(who)s deleted the %(count)s questions of the bank of %(round)s (%(competition)s)"),
    ),
    "competition.create": Action(
        "competitions",
        _l("Created a competition"),
        _l("%(who)s created the competition %(competition)s"),
        {"copy": _l("%(who)s created the competition %(competition)s as a copy of %(source)s")},
        _flag("copied_from", "copy"),
    ),
    "competition.update": Action(
        "competitions",
        _l("Edited a competition"),
        _l("%(who)s changed the settings of %(competition)s"),
    ),
    "competition.transition": Action(
        "competitions",
        _l("Moved a competition on"),
        _l("%(who)s moved %(competition)s from “%(from)s” to “%(to)s”"),
    ),
    "competition.draw": Action(
        "competitions",
        _l("Drew the order of appearance"),
        _l("%(who)s drew the order of appearance of %(competition)s (%(count)s entries)"),
        {"again": _l("%(who)s drew the order of appearance of %(competition)s again (%(count)s entries)")},
        _flag("redraw", "again"),
    ),
    "competition.publish": Action(
        "competitions",
        _l("Published the results"),
        _l("%(who)s published the results of %(competition)s (%(count)s certificates)"),
    ),
    # --- judges and score sheets
    "judging.assign": Action(
        "judging",
        _l("Assigned a judge"),
        _l("%(who)s put judge %(judge)s on the panel of %(groups)s (%(competition)s)"),
        {"off": _l("%(who)s took judge %(judge)s off the panels of %(competition)s")},
        _missing("groups", "off"),
    ),
    "judging.conflict": Action(
        "judging",
        _l("Recused a judge"),
        _l("%(who)s recused judge %(judge)s from %(person)s's entry (%(competition)s). Reason: %(reason)s"),
        {"no_reason": _l("%(who)s recused judge %(judge)s from %(person)s's entry (%(competition)s)")},
        _missing("reason", "no_reason"),
    ),
    "judging.conflict_remove": Action(
        "judging",
        _l("Lifted a recusal"),
        _l("%(who)s lifted the recusal of judge %(judge)s from %(person)s's entry (%(competition)s)"),
    ),
    "sheet.submit": Action(
        "judging",
        _l("Submitted a score sheet"),
        _l("%(who)s submitted the score sheet %(sheet)s (%(competition)s): %(total)s points"),
    ),
    "sheet.enter_on_paper": Action(
        "judging",
        _l("Entered a paper score sheet"),
        _l("%(who)s entered the paper score sheet %(sheet)s (%(competition)s): %(total)s points"),
    ),
    "sheet.unlock": Action(
        "judging",
        _l("Reopened a score sheet"),
        _l(
            "%(who)s reopened the score sheet %(sheet)s (%(competition)s), which had %(total)s points. "
            "Reason: %(reason)s"
        ),
    ),
    "sheet.paper_import": Action(
        "judging",
        _l("Imported paper score sheets"),
        _l("%(who)s imported %(count)s paper score sheets of %(round)s (%(competition)s) from %(file)s"),
    ),
    # --- the live stage
    "stage.set": Action(
        "stage",
        _l("Switched the big screen"),
        _l("%(who)s switched the big screen of %(group)s (%(competition)s) to “%(screen)s”"),
        {
            "entry": _l(
                "%(who)s switched the big screen of %(group)s (%(competition)s) to “%(screen)s”: "
                "%(contestant)s"
            )
        },
        _flag("entry_id", "entry"),
    ),
    "screen.rotate": Action(
        "stage",
        _l("Made a new screen link"),
        _l(
            "%(who)s made a new big-screen link for %(group)s (%(competition)s); the old link stopped working"
        ),
    ),
    # --- staff, universities and accounts
    "roster.import": Action(
        "people",
        _l("Imported a staff roster"),
        _l(
            "%(who)s imported the staff roster of %(university)s from %(file)s: %(created)s added, "
            "%(updated)s updated, %(deactivated)s marked as left"
        ),
    ),
    "staff.update": Action(
        "people",
        _l("Corrected a staff member"),
        _l("%(who)s corrected the data of %(person)s (%(university)s): %(changes)s"),
    ),
    "participation.import": Action(
        "people",
        _l("Imported offline participations"),
        _l("%(who)s imported %(count)s offline participations of %(university)s from %(file)s"),
    ),
    "university.create": Action(
        "people",
        _l("Added a university"),
        _l("%(who)s added the university %(university)s"),
    ),
    "user.create": Action(
        "people",
        _l("Created an account"),
        _l("%(who)s created the account %(account)s (%(roles)s)"),
    ),
    "user.bulk_create_staff": Action(
        "people",
        _l("Created staff accounts"),
        _l("%(who)s created %(count)s staff accounts for %(university)s"),
    ),
    "user.password_reset": Action(
        "people",
        _l("Reset a password"),
        _l("%(who)s gave %(account)s a new initial password"),
    ),
    "user.password_change": Action(
        "people",
        _l("Changed their password"),
        _l("%(who)s changed their password"),
    ),
    "user.disable": Action(
        "people",
        _l("Disabled an account"),
        _l("%(who)s disabled the account %(account)s"),
    ),
    "user.enable": Action(
        "people",
        _l("Enabled an account"),
        _l("%(who)s enabled the account %(account)s again"),
    ),
    "user.login": Action(
        "people",
        _l("Logged in"),
        _l("%(who)s logged in"),
    ),
    # --- settings and the system
    "settings.coverage_thresholds": Action(
        "system",
        _l("Set the coverage target"),
        _l("%(who)s set the coverage target to %(target)s and the warning line to %(warning)s"),
    ),
    "demo.load": Action(
        "system",
        _l("Loaded the demonstration data"),
        _l("%(who)s loaded the demonstration data (%(universities)s universities, %(staff)s staff)"),
    ),
}

# Any other code (one recorded by an older or newer version): still a sentence, with the code itself.
GENERIC = _l("%(who)s: %(action)s (%(object)s)")
# The one who acted when no account did (the command line, the demonstration data).
SYSTEM = _l("The system")

# ``AuditLog.object_type`` of a staff member: the same word as ``Role.STAFF``, compared through this name.
STAFF_OBJECT = "staff"

# The object of a line in words (the Excel column "Object", the generic line), by ``AuditLog.object_type``
# (a competition, a university or an account is its name alone).
OBJECT_WORDS = {
    "entry": _l("%(person)s's entry (%(competition)s)"),
    "competition": "%(competition)s",
    "score_sheet": _l("score sheet %(sheet)s (%(competition)s)"),
    "round": _l("%(round)s (%(competition)s)"),
    "university": "%(university)s",
    "user": "%(account)s",
    STAFF_OBJECT: _l("%(person)s (%(university)s)"),
    "setting": _l("the coverage target and warning line"),
    "system": _l("the platform"),
}

# What the big screen shows (the console's words) and the fields of a staff member an admin corrects.
SCREEN_WORDS = {
    StageScreen.NEXT: _l("Next up"),
    StageScreen.SCORING: _l("Scoring"),
    StageScreen.REVEAL: _l("Reveal"),
    StageScreen.TOP_TEN: _l("Top ten"),
}
FIELD_WORDS = {
    "department": _l("Department"),
    "category": _l("Post category"),
    "title": _l("Title"),
    "phone": _l("Phone"),
}

# The filter "object": what the text typed next to it is looked for in.
OBJECT_KINDS = {
    "competition": _l("Competition"),
    "person": _l("Entrant or staff member"),
    "university": _l("University"),
    "account": _l("Account or judge"),
}

# The quick filters above the log: the actions an organizer looks for most.
COMMON_ACTIONS = ("entry.approve", "entry.reject", "sheet.unlock", "competition.publish", "roster.import")


def action_of(code: str) -> Action | None:
    return ACTIONS.get(code)


def label_of(code: str) -> str:
    action = ACTIONS.get(code)
    return str(action.label) if action else code


def codes_of_group(key: str) -> list[str]:
    return [code for code, action in ACTIONS.items() if action.group == key]


def action_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The action filter's option groups: (group key, group label, [(code, label), ...])."""
    return [
        (
            group.key,
            str(group.label),
            [(code, str(ACTIONS[code].label)) for code in codes_of_group(group.key)],
        )
        for group in GROUPS
    ]
