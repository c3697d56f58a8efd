"""Question banks sent as JSON (``POST /rounds/{id}/questions``), checked with the rules of a file.

The rules are ``question_bank``'s (types, options, answers, lengths, duplicates); only the shape differs: a
list of ``{"type", "text", "options", "answer": [0-based indexes], "tag"?}`` objects, and problems point at
an item's index and field instead of an Excel row and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .question_bank import (
    LETTERS,
    MAX_OPTIONS,
    OPTION_FIELDS,
    QUESTION_TYPES,
    TRUE_FALSE,
    TRUE_FALSE_OPTIONS,
    Problem,
    Question,
    _check_choice_answer,
    _check_options,
    _check_tag,
    _check_text,
    _duplicate_key,
)


@dataclass(frozen=True)
class ItemError:
    """One problem of a JSON bank: the question's 0-based index (None for the body), field, code, params."""

    index: int | None
    field: str | None
    code: str
    params: dict


class JsonBankResult(NamedTuple):
    questions: list[Question]
    errors: list[ItemError]

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_bank_json(items: object) -> JsonBankResult:
    """Check the API's list of questions with the rules of a file; ``questions`` is empty unless all are good.

    Each item is ``{"type": "single"|"multiple"|"true_false", "text", "options": [...], "answer": [0-based
    indexes], "tag"?}``; a true/false question has no options (absent, null or []) and answer [0]
    (正确) or [1] (错误). Problems are ItemError(index, field, code, params) with the file's codes, plus
    ``not_a_list``, ``not_an_object``, ``bad_type`` {expected} (a value of the wrong JSON type),
    ``too_many_options`` {max}, ``options_not_allowed``, ``duplicate_answer``; a field of one option
    is ``options[2]``. Example: ``[{"type": "single", "text": "火警电话", "options": ["110", "119"],
    "answer": [1]}]`` gives one Question with row 0; with ``"answer": [2]`` it gives
    ItemError(0, "answer", "answer_not_in_options", ...).
    """
    if not isinstance(items, list):
        return JsonBankResult([], [ItemError(None, None, "not_a_list", {})])
    questions: list[Question] = []
    errors: list[ItemError] = []
    first_items: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        question, problems = _check_item(item, index)
        if question is not None:
            first = first_items.setdefault(_duplicate_key(question.type, question.text), index)
            if first != index:
                problems.append(("text", "duplicate_in_file", {"first_row": first}))
        errors.extend(ItemError(index, f, code, params) for f, code, params in problems)
        if question is not None and not problems:
            questions.append(question)
    if not items:
        errors.append(ItemError(None, None, "no_data", {}))
    return JsonBankResult([] if errors else questions, errors)


def _check_item(item: object, index: int) -> tuple[Question | None, list[Problem]]:
    if not isinstance(item, Mapping):
        return None, [(None, "not_an_object", {})]
    qtype = item.get("type")
    if qtype is None or qtype == "":
        return None, [("type", "required", {})]
    if qtype not in QUESTION_TYPES:
        return None, [("type", "unknown_type", {"value": str(qtype)})]
    problems: list[Problem] = []
    text = item.get("text")
    if text is not None and not isinstance(text, str):
        problems.append(("text", "bad_type", {"expected": "string"}))
        text = ""
    else:
        text = (text or "").strip()
        problems += _check_text(text)
    tag = item.get("tag")
    if tag is not None and not isinstance(tag, str):
        problems.append(("tag", "bad_type", {"expected": "string"}))
        tag = ""
    tag = (tag or "").strip()
    problems += _check_tag(tag)
    options_value = item.get("options")
    options: tuple[str, ...] = ()
    if qtype == TRUE_FALSE:
        if options_value:
            problems.append(("options", "options_not_allowed", {}))
        option_count = len(TRUE_FALSE_OPTIONS)
    elif not isinstance(options_value, list):
        problems.append(
            ("options", "required" if options_value is None else "bad_type", _expected(options_value))
        )
        option_count = 0
    elif len(options_value) > MAX_OPTIONS:
        problems.append(("options", "too_many_options", {"max": MAX_OPTIONS}))
        option_count = 0
    else:
        texts = []
        for i, option in enumerate(options_value):
            if not isinstance(option, str):
                problems.append((f"options[{i}]", "bad_type", {"expected": "string"}))
            texts.append(option.strip() if isinstance(option, str) else "")
        option_count = len(texts)
        if not any(p[0] and p[0].startswith("options[") for p in problems):
            kept, option_problems = _check_options(texts)
            if len(kept) < len(texts):  # blank options at the end: in JSON, a blank option is a gap too
                option_problems += [
                    (OPTION_FIELDS[i], "option_gap", {"letter": LETTERS[i]})
                    for i in range(len(kept), len(texts))
                ]
            problems += [(_json_option_field(f, code), code, params) for f, code, params in option_problems]
            options = tuple(texts)
            if option_problems:
                option_count = 0
    answer_value = item.get("answer")
    answer: tuple[int, ...] = ()
    if answer_value is None or answer_value == []:
        problems.append(("answer", "required", {}))
    elif not isinstance(answer_value, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in answer_value
    ):
        problems.append(("answer", "bad_type", {"expected": "list of integers"}))
    elif len(set(answer_value)) != len(answer_value):
        problems.append(("answer", "duplicate_answer", {}))
    else:
        answer = tuple(sorted(answer_value))
        value = ",".join(map(str, answer_value))
        if any(i < 0 for i in answer):
            problems.append(("answer", "answer_not_in_options", {"value": value, "options": option_count}))
        elif qtype == TRUE_FALSE:
            if len(answer) != 1 or answer[0] > 1:
                problems.append(("answer", "bad_true_false", {"value": value}))
        elif option_count:
            problems += _check_choice_answer(qtype, answer, option_count, value)
    if not text:
        return None, problems
    return Question(qtype, text, options, answer, tag or None, index), problems


def _json_option_field(field: str, code: str) -> str:
    if code == "too_few_options" or field not in OPTION_FIELDS:
        return "options"
    return f"options[{OPTION_FIELDS.index(field)}]"


def _expected(value: object) -> dict:
    return {} if value is None else {"expected": "list of strings"}
