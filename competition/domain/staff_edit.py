"""Correcting one staff member by hand: the fields an admin may change, checked by the roster file's rules.

The name, 工号, gender and birth date come from the HR roster and change only through an import; department,
post category, title, phone and whether the person still works at the university can be corrected one at a
time (a move to another department, a new title, someone who left).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from .roster import _check as check_roster_cell

# In the order the page shows them and the audit records them.
EDITABLE_FIELDS = ("department", "category", "title", "phone", "active")
_UNUSED_DATE = datetime.date(2000, 1, 1)  # the roster checks use "today" for birth dates only


@dataclass(frozen=True)
class StaffEdit:
    """What a submitted correction changes: field → (before, after), and the problems that refuse it."""

    changes: dict[str, tuple[object, object]] = field(default_factory=dict)
    problems: list[tuple[str, str, dict]] = field(default_factory=list)  # (field, code, params)

    @property
    def ok(self) -> bool:
        return not self.problems


def plan_staff_edit(current: Mapping[str, object], submitted: Mapping[str, object]) -> StaffEdit:
    """Check the submitted values as a roster cell would be, and list the fields that differ from ``current``.

    ``current`` and ``submitted`` map the EDITABLE_FIELDS to values (department by name, category by its
    enum value, ``active`` a bool). A value is cleaned as in an import (spaces collapsed, an empty title or
    phone is None): ``plan_staff_edit({..., "title": "讲师"}, {..., "title": " 副教授 "}).changes ==
    {"title": ("讲师", "副教授")}``. With any problem the edit changes nothing and ``changes`` is empty.
    """
    problems: list[tuple[str, str, dict]] = []
    after: dict[str, object] = {}
    for name in EDITABLE_FIELDS:
        value = submitted.get(name)
        if name == "active":
            after[name] = bool(value)
            continue
        clean, found = check_roster_cell(name, value, _UNUSED_DATE)
        after[name] = str(clean) if name == "category" and clean is not None else clean
        problems.extend((name, code, params) for code, params in found)
    if problems:
        return StaffEdit({}, problems)
    changes = {
        name: (current.get(name), after[name]) for name in EDITABLE_FIELDS if current.get(name) != after[name]
    }
    return StaffEdit(changes, [])
