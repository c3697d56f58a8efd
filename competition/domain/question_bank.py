"""Question banks for written tests: read from a file (xlsx, xls, CSV) or the API's JSON, all or nothing.

A file is read like a roster (``roster_read.read_table``: judged by content, first sheet, GBK or UTF-8
CSV, the header found among the first 30 rows below any title rows). One row is one question:

- 题型 (类型, type): 单选/单选题/single, 多选/多选题/multiple, 判断/判断题/对错/true_false (see TYPE_WORDS).
- 题目 (题干, question): the text, kept as written (stripped only: no NFKC, "，" stays "，").
- 选项A…选项F (or A…F): a choice question's options, from A without a gap, at least 2. A true/false
  question has none (its option columns are ignored); its two options are 正确 and 错误.
- 答案 (正确答案, answer): letters such as ``B``, ``ACD``, ``A,B,C``, ``A、B、C``, ``A B C``, any case,
  half or full width; true/false 对/√/正确/T/true (→ ``(0,)``) or 错/×/错误/F/false (→ ``(1,)``).
- 分类 (知识点, tag): optional, the question's tag. 解析, 难度, 序号 and unknown columns are ignored.

Every problem of every row is reported as a ``roster.RowError`` (the Excel row, the column label as
written, a code and its parameters; the caller words them), and no question is returned when there is
any. Codes: ``unknown_type`` {value}, ``required`` (empty 题型, 题干 or 答案), ``too_long`` {max},
``option_gap`` {letter}, ``too_few_options`` {count, min}, ``duplicate_option`` {letter,
first_letter}, ``bad_answer`` {value}, ``answer_not_in_options`` {value, options},
``single_needs_one`` {value}, ``multiple_needs_several`` {value}, ``bad_true_false`` {value},
``duplicate_in_file`` {first_row} (the same type and text as an earlier row, compared after NFKC
without spaces); for the whole file those of ``roster_read.read_table``, ``missing_column`` and
``no_data``.

Example: the rows ``["题库"]``, ``["题型", "题干", "选项A", "选项B", "答案"]``,
``["多选", "选哪些", "甲", "乙", "a、b"]`` give ``Question("multiple", "选哪些", ("甲", "乙"), (0, 1),
None, 3)``; the same row with 答案 ``B`` gives ``RowError(3, "答案", "multiple_needs_several",
{"value": "B"})`` and no question.

The API's form ``{"type", "text", "options", "answer": [0-based indexes], "tag"?}`` is checked by
``question_bank_json.parse_bank_json`` with the same rules, its problems as
``ItemError(index, field, code, params)``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .cells import cell_text
from .roster import RowError
from .roster_read import RosterFileError, find_header, read_table

__all__ = [
    "BANK_ALIASES",
    "FIELD_LABELS",
    "FALSE_WORDS",
    "MAX_BYTES",
    "MAX_LENGTHS",
    "MAX_OPTIONS",
    "MULTIPLE",
    "QUESTION_TYPES",
    "REQUIRED_FIELDS",
    "SINGLE",
    "TEMPLATE_HEADER",
    "TRUE_FALSE",
    "TRUE_FALSE_OPTIONS",
    "TRUE_WORDS",
    "TYPE_WORDS",
    "BankResult",
    "Question",
    "RowError",
    "parse_bank",
    "parse_bank_rows",
    "question_row",
]

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
QUESTION_TYPES = (SINGLE, MULTIPLE, TRUE_FALSE)
TRUE_FALSE_OPTIONS = ("正确", "错误")  # a true/false question's two options; answer (0,) is 正确

MAX_BYTES = 10 * 1024 * 1024
MAX_OPTIONS = 6
MIN_OPTIONS = 2
LETTERS = "ABCDEF"
MAX_LENGTHS = {"text": 2000, "option": 500, "tag": 50}

OPTION_FIELDS = tuple(f"option_{letter.lower()}" for letter in LETTERS)
REQUIRED_FIELDS = ("type", "text", "answer")
FIELD_LABELS = {"type": "题型", "text": "题目", "answer": "答案", "tag": "分类"} | {
    f: f"选项{letter}" for f, letter in zip(OPTION_FIELDS, LETTERS, strict=True)
}
# Header labels, compared after roster_read.header_key() (NFKC, lower case, no spaces, "_", ":" or "*").
BANK_ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("题型", "类型", "题目类型", "试题类型", "type", "question type"),
    "text": ("题目", "题干", "试题", "题目内容", "试题内容", "问题", "question", "text"),
    "answer": ("答案", "正确答案", "标准答案", "参考答案", "answer", "correct answer", "key"),
    "tag": ("分类", "知识点", "题目分类", "tag", "category"),
} | {
    f: (f"选项{letter}", letter, f"{letter}选项", f"option {letter}", f"option_{letter}")
    for f, letter in zip(OPTION_FIELDS, LETTERS, strict=True)
}
TEMPLATE_HEADER = ("题型", "题目", *(f"选项{letter}" for letter in LETTERS), "答案", "分类")

# Type words and true/false answers, compared after NFKC, lower case, without spaces, "_", "-" or "/".
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    SINGLE: ("单选", "单选题", "单项选择", "单项选择题", "单", "single", "single choice"),
    MULTIPLE: ("多选", "多选题", "多项选择", "多项选择题", "多", "multiple", "multiple choice"),
    TRUE_FALSE: ("判断", "判断题", "对错", "对错题", "是非", "是非题", "true_false", "true/false", "judge"),
}
TRUE_WORDS = ("对", "√", "✓", "✔", "正确", "是", "t", "true", "y", "yes")
FALSE_WORDS = ("错", "×", "✗", "✘", "x", "错误", "否", "f", "false", "n", "no")

_WORD_NOISE = re.compile(r"[\s_\-/]+")
_ANSWER_SEPARATORS = re.compile(r"[\s,;，；、/|]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _word_key(text: str) -> str:
    return _WORD_NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


_TYPE_LOOKUP = {_word_key(w): t for t, words in TYPE_WORDS.items() for w in words}
_TRUE_FALSE_LOOKUP = {_word_key(w): 0 for w in TRUE_WORDS} | {_word_key(w): 1 for w in FALSE_WORDS}


@dataclass(frozen=True)
class Question:
    """One question: type (QUESTION_TYPES), text, options (empty for true/false), 0-based answer, tag, row.

    ``row`` is the Excel row of a file's question, or the 0-based index in a JSON list.
    """

    type: str
    text: str
    options: tuple[str, ...]
    answer: tuple[int, ...]
    tag: str | None
    row: int


class BankResult(NamedTuple):
    """(questions, errors) of a file; ``questions`` is empty unless there is no error at all."""

    questions: list[Question]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- single values ---------------------------------------------------------------------------------------


def question_type(word: object) -> str | None:
    """The type a 题型 word stands for, or None: ``question_type("多选题") == "multiple"``."""
    return _TYPE_LOOKUP.get(_word_key(cell_text(word)))


def true_false_answer(word: object) -> int | None:
    """0 for 对/√/正确/T/true, 1 for 错/×/错误/F/false (any case, full width too), else None."""
    return _TRUE_FALSE_LOOKUP.get(_word_key(cell_text(word)))


def answer_letters(word: object) -> str | None:
    """The letters of a choice answer, upper case, without separators or repeats, or None if not letters.

    ``answer_letters("a、c，D") == "ACD"``, ``answer_letters("ＢＡ") == "AB"``,
    ``answer_letters("略") is None``.
    """
    text = _ANSWER_SEPARATORS.sub("", cell_text(word).upper())
    if not text or not text.isascii() or not text.isalpha():
        return None
    return "".join(sorted(set(text)))


def _plain(value: object) -> str:
    """A cell's text as written: invisible characters removed and stripped, but not NFKC-normalised."""
    if isinstance(value, str):
        return value.translate(_INVISIBLE).strip()
    return cell_text(value)


def _duplicate_key(qtype: str, text: str) -> tuple[str, str]:
    return qtype, re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- the rules, shared by both forms -----------------------------------------------------------------------

Problem = tuple[str, str, dict]  # (field, code, params)


def _check_options(options: Sequence[str]) -> tuple[tuple[str, ...], list[Problem]]:
    """The options of a choice question (trailing blanks dropped) and their problems, by option field."""
    last = max((i for i, text in enumerate(options) if text), default=-1)
    kept = tuple(options[: last + 1])
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, text in enumerate(kept):
        field = OPTION_FIELDS[i]
        if not text:
            problems.append((field, "option_gap", {"letter": LETTERS[i]}))
        elif len(text) > MAX_LENGTHS["option"]:
            problems.append((field, "too_long", {"max": MAX_LENGTHS["option"]}))
        elif first.setdefault(text, i) != i:
            problems.append(
                (field, "duplicate_option", {"letter": LETTERS[i], "first_letter": LETTERS[first[text]]})
            )
    if len(kept) < MIN_OPTIONS:
        problems.append(
            (OPTION_FIELDS[len(kept)], "too_few_options", {"count": len(kept), "min": MIN_OPTIONS})
        )
    return kept, problems


def _check_choice_answer(qtype: str, indexes: Sequence[int], count: int, value: str) -> list[Problem]:
    if any(i >= count for i in indexes):
        return [("answer", "answer_not_in_options", {"value": value, "options": count})]
    if qtype == SINGLE and len(indexes) > 1:
        return [("answer", "single_needs_one", {"value": value})]
    if qtype == MULTIPLE and len(indexes) < 2:
        return [("answer", "multiple_needs_several", {"value": value})]
    return []


def _check_text(text: str) -> list[Problem]:
    if not text:
        return [("text", "required", {})]
    if len(text) > MAX_LENGTHS["text"]:
        return [("text", "too_long", {"max": MAX_LENGTHS["text"]})]
    return []


def _check_tag(tag: str) -> list[Problem]:
    return [("tag", "too_long", {"max": MAX_LENGTHS["tag"]})] if len(tag) > MAX_LENGTHS["tag"] else []


# --- files -------------------------------------------------------------------------------------------------


def parse_bank(data: bytes, *, max_bytes: int = MAX_BYTES) -> BankResult:
    """Parse and check a bank file (.xlsx/.xls first sheet or CSV, judged by content): see the module."""
    try:
        table = read_table(data, max_bytes=max_bytes, aliases=BANK_ALIASES, required=REQUIRED_FIELDS)
    except RosterFileError as exc:
        return BankResult([], [RowError(None, None, exc.code, exc.params)])
    return _parse_table(table.cells, table.header_index, table.columns)


def parse_bank_rows(cells: Sequence[Sequence[object]]) -> BankResult:
    """Parse rows already read (row 1 first, title rows included): the header is found as in a file."""
    grid = [list(row) for row in cells]
    index, columns = find_header(grid, aliases=BANK_ALIASES, required=REQUIRED_FIELDS)
    return _parse_table(grid, index, columns)


def _parse_table(
    cells: list[list[object]], header_index: int | None, columns: Mapping[str, tuple[int, str]]
) -> BankResult:
    missing = [f for f in REQUIRED_FIELDS if f not in columns]
    if missing or header_index is None:
        return BankResult([], [RowError(None, FIELD_LABELS[f], "missing_column", {}) for f in missing])
    labels = {f: label for f, (_, label) in columns.items()}
    order = {f: j for f, (j, _) in columns.items()}
    questions: list[Question] = []
    errors: list[RowError] = []
    first_rows: dict[tuple[str, str], int] = {}
    for index in range(header_index + 1, len(cells)):
        row = cells[index]

        def value(field: str, row: list[object] = row) -> object:
            j = order.get(field)
            return row[j] if j is not None and j < len(row) else None

        if all(not _plain(value(f)) for f in columns):
            continue
        row_no = index + 1
        question, problems = _check_row(value, row_no)
        if question is not None:
            key = _duplicate_key(question.type, question.text)
            first = first_rows.setdefault(key, row_no)
            if first != row_no:
                problems.append(("text", "duplicate_in_file", {"first_row": first}))
        row_errors = [
            RowError(row_no, labels.get(f, FIELD_LABELS[f]), code, params)
            for f, code, params in sorted(problems, key=lambda p: order.get(p[0], len(order) + 99))
        ]
        errors.extend(row_errors)
        if question is not None and not row_errors and not errors:
            questions.append(question)
    if not questions and not errors:
        errors.append(RowError(None, None, "no_data", {}))
    return BankResult([] if errors else questions, errors)


def _check_row(value, row_no: int) -> tuple[Question | None, list[Problem]]:
    """A row's question (None when it cannot be read far enough to compare) and its problems."""
    raw_type = cell_text(value("type"))
    if not raw_type:
        return None, [("type", "required", {})]
    qtype = question_type(raw_type)
    if qtype is None:
        return None, [("type", "unknown_type", {"value": raw_type})]
    text = _plain(value("text"))
    problems = _check_text(text)
    tag = _plain(value("tag"))
    problems += _check_tag(tag)
    raw_answer = cell_text(value("answer"))
    options: tuple[str, ...] = ()
    answer: tuple[int, ...] = ()
    if qtype == TRUE_FALSE:
        if not raw_answer:
            problems.append(("answer", "required", {}))
        else:
            index = true_false_answer(raw_answer)
            if index is None:
                problems.append(("answer", "bad_true_false", {"value": raw_answer}))
            else:
                answer = (index,)
    else:
        options, option_problems = _check_options([_plain(value(f)) for f in OPTION_FIELDS])
        problems += option_problems
        letters = answer_letters(raw_answer)
        if not raw_answer:
            problems.append(("answer", "required", {}))
        elif letters is None:
            problems.append(("answer", "bad_answer", {"value": raw_answer}))
        else:
            answer = tuple(ord(c) - ord("A") for c in letters)
            if not option_problems:
                problems += _check_choice_answer(qtype, answer, len(options), raw_answer)
    if not text:
        return None, problems
    return Question(qtype, text, options, answer, tag or None, row_no), problems


def question_row(question: Question, answer_style: str = "") -> list[str]:
    """A question as a row under TEMPLATE_HEADER (for a template or an export); parse_bank reads it back.

    Choice answers are letters joined by ``answer_style`` ("" gives ``ACD``, "、" gives ``A、C、D``); a
    true/false answer is 对 or 错.
    """
    type_word = {SINGLE: "单选题", MULTIPLE: "多选题", TRUE_FALSE: "判断题"}[question.type]
    options = list(question.options) + [""] * (MAX_OPTIONS - len(question.options))
    if question.type == TRUE_FALSE:
        answer = "对" if question.answer == (0,) else "错"
    else:
        answer = answer_style.join(LETTERS[i] for i in question.answer)
    return [type_word, question.text, *options, answer, question.tag or ""]
