"""Every action code the code base records has its words: a label and a sentence whose placeholders exist.

The codes are found by walking the source for ``audit.record("...")`` (a conditional expression of two
literals counts both), so a new code without words, or a code that is not a literal, fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from competition import audit_words
from competition.audit_words import ACTIONS, COMMON_ACTIONS, GENERIC, GROUPS, OBJECT_WORDS, PLACEHOLDERS

PACKAGE = Path(__file__).resolve().parents[2] / "competition"


def _literals(node: ast.expr, constants: dict[str, str]) -> list[str] | None:
    """The strings an argument can be: a literal, a module constant holding one, or either side of
    ``a if cond else b``; None if unknown."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body, constants), _literals(node.orelse, constants)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _module_constants(tree: ast.Module) -> dict[str, str]:
    """``NAME = "text"`` (or ``A, B = "a", "b"``) at the top of a module."""
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            pairs = [(node.target, node.value)]
        elif isinstance(node, ast.Assign):
            pairs = []
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    pairs += list(zip(target.elts, node.value.elts, strict=False))
                else:
                    pairs.append((target, node.value))
        else:
            continue
        for target, value in pairs:
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                constants[target.id] = value.value
    return constants


def recorded_calls(package: Path = PACKAGE) -> list[tuple[str, str | None, str]]:
    """(code, object_type, where) of every ``audit.record(...)`` call; a code that is not a literal (or a
    module constant) is reported with the code ``"?"``, an object type that is not with None."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                continue
            where = f"{path.relative_to(package.parent)}:{node.lineno}"
            kinds = [_literals(k.value, constants) for k in node.keywords if k.arg == "object_type"]
            kind = kinds[0][0] if kinds and kinds[0] else None
            codes = _literals(node.args[0], constants) if node.args else None
            for code in codes if codes is not None else ["?"]:
                found.append((code, kind, where))
    return found


CALLS = recorded_calls()
CODES = sorted({code for code, _kind, _where in CALLS})


def test_the_walk_finds_the_codes():
    """Literal codes, both sides of a conditional one, and the object type of each call."""
    assert len(CODES) >= 30
    assert {"entry.approve", "sheet.submit", "sheet.enter_on_paper", "user.login"} <= set(CODES)
    assert ("entry.approve", "entry", "competition/services/registration.py") in {
        (c, k, w.split(":")[0]) for c, k, w in CALLS
    }


def test_the_walk_reports_a_code_it_cannot_read(tmp_path):
    package = tmp_path / "competition"
    package.mkdir()
    (package / "x.py").write_text(
        "KIND, OTHER = 'user', 'staff'\n"
        "audit.record(code, by=None, object_type='user')\n"
        "audit.record('a.b' if x else 'a.c', by=None, object_type=KIND)\n"
        "audit.record('a.d', by=None, object_type=kind)\n",
        encoding="utf-8",
    )
    assert [(code, kind) for code, kind, _w in recorded_calls(package)] == [
        ("?", "user"),
        ("a.b", "user"),
        ("a.c", "user"),
        ("a.d", None),
    ]


@pytest.mark.parametrize("code", CODES)
def test_every_recorded_code_has_its_words(code):
    where = [w for c, _k, w in CALLS if c == code]
    assert code != "?", f"audit.record with a code that is not a literal at {where}: write the code out"
    assert code in ACTIONS, f"{code} (recorded at {where}) has no sentence in competition/audit_words.py"


@pytest.mark.parametrize("code", CODES)
def test_the_object_of_every_recorded_code_has_words(code):
    kinds = {k for c, k, _w in CALLS if c == code}
    where = [w for c, _k, w in CALLS if c == code]
    assert None not in kinds, f"{code} at {where}: write its object_type as a literal or a module constant"
    assert kinds <= set(OBJECT_WORDS), f"{code}: object type {kinds - set(OBJECT_WORDS)} has no words"


@pytest.mark.parametrize("code", sorted(ACTIONS))
def test_every_sentence_says_who_and_uses_known_placeholders(code):
    action = ACTIONS[code]
    assert action.group in {g.key for g in GROUPS}
    assert str(action.label)
    for sentence in action.all_sentences():
        text = str(sentence)  # outside an app: the English msgid
        names = audit_words.placeholders(text)
        assert names[0] == "who", text
        assert set(names) <= PLACEHOLDERS - {"action", "object"}, text
        assert "%" not in re.sub(r"%\(\w+\)s", "", text), text


def test_variants_are_chosen_by_the_details():
    assert (
        ACTIONS["competition.draw"].sentence_for({"redraw": True})
        is ACTIONS["competition.draw"].variants["again"]
    )
    assert ACTIONS["competition.draw"].sentence_for({"redraw": False}) is ACTIONS["competition.draw"].sentence
    assert ACTIONS["judging.assign"].sentence_for({"groups": []}) is ACTIONS["judging.assign"].variants["off"]
    assert ACTIONS["entry.reject"].sentence_for({"reason": "名额已满"}) is ACTIONS["entry.reject"].sentence


def test_generic_line_and_object_words_use_known_placeholders():
    assert audit_words.placeholders(str(GENERIC)) == ["who", "action", "object"]
    for words in OBJECT_WORDS.values():
        assert set(audit_words.placeholders(str(words))) <= PLACEHOLDERS - {"object"}


def test_filter_choices_cover_every_action_once():
    listed = [code for _key, _label, codes in audit_words.action_choices() for code, _text in codes]
    assert sorted(listed) == sorted(ACTIONS)
    assert set(COMMON_ACTIONS) <= set(ACTIONS)
