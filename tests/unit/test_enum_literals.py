"""Statuses and kinds are the enums of ``competition/enums.py`` in Python, never string literals.

An AST walk over the package finds every comparison (``==``, ``!=``, ``in``, ``not in``) with a string
constant, alone or in a tuple/list/set of constants, whose value is one of an enum's values: write the enum
member instead (``entry.status == EntryStatus.APPROVED``). Literals inside SQL text, JSON data and messages
are not comparisons and are not looked at. Every enum value also has its words in ``competition/labels.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask_babel.speaklater import LazyString

from competition import labels
from competition.enums import (
    CompetitionKind,
    CompetitionLevel,
    CompetitionStatus,
    EntryStatus,
    FinalMode,
    Gender,
    PostCategory,
    Role,
    RoundMode,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "competition"
CHECKED = (
    CompetitionStatus,
    EntryStatus,
    CompetitionKind,
    CompetitionLevel,
    RoundMode,
    FinalMode,
    Role,
    PostCategory,
)
VALUES = {member.value: f"{enum.__name__}.{member.name}" for enum in CHECKED for member in enum}
COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)


def _skipped(path: Path) -> bool:
    relative = path.relative_to(PACKAGE)
    parts = relative.parts
    return (
        relative == Path("enums.py")
        or parts[0] in ("models", "demo", "migrations")
        or "migrations" in parts
        or parts[0].startswith("demo_")
    )


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if not _skipped(p))


def _constants(node: ast.expr) -> list[ast.Constant]:
    """The string constants a side of a comparison stands for: itself, or the items of a tuple/list/set."""
    items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return [item for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def findings_in(source: str, name: str) -> list[str]:
    """``name:line: 'value' is Enum.MEMBER`` for every enum value compared as a string literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            if not isinstance(op, COMPARISONS):
                continue
            for side in (sides[i], sides[i + 1]):
                for constant in _constants(side):
                    if constant.value in VALUES:
                        found.append((constant.lineno, f"{constant.value!r} is {VALUES[constant.value]}"))
    return [f"{name}:{line}: {what}" for line, what in sorted(set(found))]


def test_no_enum_value_is_compared_as_a_string_literal():
    findings = []
    for path in _sources():
        findings += findings_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert findings == [], "compare with the enum members of competition/enums.py:\n" + "\n".join(findings)


def test_the_walk_sees_every_kind_of_comparison():
    source = (
        "a == 'approved'\n"
        "'draft' != b\n"
        "c in ('pending', 'approved')\n"
        "d not in ['teaching', 'drill']\n"
        "e in {'judge'}\n"
        "x < 'scoring' <= y == 'live'\n"
        "f == EntryStatus.APPROVED\n"
        "g == 'approved_at'\n"
        "h = 'approved'\n"
        "i in 'approved'\n"
    )
    assert findings_in(source, "x.py") == [
        "x.py:1: 'approved' is EntryStatus.APPROVED",
        "x.py:2: 'draft' is CompetitionStatus.DRAFT",
        "x.py:3: 'approved' is EntryStatus.APPROVED",
        "x.py:3: 'pending' is EntryStatus.PENDING",
        "x.py:4: 'drill' is CompetitionKind.DRILL",
        "x.py:4: 'teaching' is CompetitionKind.TEACHING",
        "x.py:5: 'judge' is Role.JUDGE",
        "x.py:6: 'live' is RoundMode.LIVE",
        "x.py:10: 'approved' is EntryStatus.APPROVED",
    ]


def test_the_walk_skips_the_enums_models_migrations_and_demo():
    seen = {p.relative_to(PACKAGE).parts[0] for p in _sources()}
    assert not seen & {"enums.py", "models", "demo", "migrations"}
    assert not any(p.name.startswith("demo_") for p in _sources())
    assert PACKAGE / "labels.py" in _sources()


TABLES = [
    (CompetitionStatus, labels.STATUS_LABELS),
    (EntryStatus, labels.ENTRY_STATUS_LABELS),
    (CompetitionKind, labels.KIND_LABELS),
    (CompetitionLevel, labels.LEVEL_LABELS),
    (Role, labels.ROLE_LABELS),
    (PostCategory, labels.CATEGORY_LABELS),
    (Gender, labels.GENDER_LABELS),
]


@pytest.mark.parametrize(("enum", "table"), TABLES, ids=[enum.__name__ for enum, _ in TABLES])
def test_every_enum_value_has_its_words(enum, table):
    assert set(table) == set(enum)
    assert all(type(key) is enum for key in table), "key the table by the enum members"
    assert all(isinstance(words, LazyString) for words in table.values()), "words are lazy_gettext strings"
