"""An exam round's question bank (题库): import from a file or JSON (all or nothing), template, overview."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, func, select

from ..domain.exam import TYPE_ORDER, bank_shortfall
from ..domain.question_bank import (
    TEMPLATE_HEADER,
    TRUE_FALSE,
    TRUE_FALSE_OPTIONS,
    _duplicate_key,
    parse_bank,
    question_row,
)
from ..domain.question_bank import (
    Question as ParsedQuestion,
)
from ..domain.question_bank_json import parse_bank_json
from ..enums import CompetitionStatus
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..models import Competition, ExamAttempt, Question, Round, User
from . import audit
from .exam_words import bank_error_message, item_error_message
from .excel import to_xlsx

MAX_BANK = 5000  # questions in one round's bank: a 200-question paper drawn from a generous bank


class BankImport(NamedTuple):
    created: int
    total: int


class BankRejected(ValidationFailed):
    """A bank file or list that was not imported; ``details`` name each bad row (or item) and why."""


def _check_round(round_: Round) -> None:
    if not round_.is_exam:
        raise Conflict(
            _("This round is judged, not a written test: it has no question bank."), code="not_exam"
        )
    if round_.competition.status == CompetitionStatus.PUBLISHED:
        raise Conflict(_("The results are published: the bank can no longer change."), code="wrong_state")


def _rejected(details: list[dict]) -> BankRejected:
    n = len(details)
    return BankRejected(
        ngettext(
            "The questions were not imported: %(num)d problem was found. Nothing was changed.",
            "The questions were not imported: %(num)d problems were found. Nothing was changed.",
            n,
        ),
        details=details,
    )


def _existing_keys(round_: Round) -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(Question.type, Question.text, Question.position).where(Question.round_id == round_.id)
    )
    return {_duplicate_key(t, text): position for t, text, position in rows}


def _store(round_: Round, questions: list[ParsedQuestion], by: User, source: str) -> BankImport:
    before = db.session.scalar(select(func.count()).where(Question.round_id == round_.id)) or 0
    start = db.session.scalar(select(func.max(Question.position)).where(Question.round_id == round_.id)) or 0
    db.session.add_all(
        Question(
            round_id=round_.id,
            position=start + i,
            type=q.type,
            text=q.text,
            options=list(q.options),
            answer=list(q.answer),
            tag=q.tag,
            created_by_id=by.id,
        )
        for i, q in enumerate(questions, start=1)
    )
    db.session.flush()
    audit.record(
        "exam.bank_import",
        by=by,
        object_type="round",
        object_id=round_.id,
        university_id=round_.competition.university_id,
        competition_id=round_.competition_id,
        created=len(questions),
        source=source,
    )
    return BankImport(len(questions), before + len(questions))


def _too_many(round_: Round, adding: int) -> None:
    count = db.session.scalar(select(func.count()).where(Question.round_id == round_.id)) or 0
    if count + adding > MAX_BANK:
        raise _rejected(
            [
                {
                    "row": None,
                    "column": None,
                    "message": _("A bank holds at most %(max)d questions.", max=MAX_BANK),
                }
            ]
        )


def import_bank_file(*, round_: Round, data: bytes, filename: str, by: User) -> BankImport:
    """Add the questions of an Excel or CSV file to the round's bank, all or none: every bad row is listed,
    and a question already in the bank counts as a duplicate."""
    _check_round(round_)
    parsed = parse_bank(data)
    details = [{"row": e.row, "column": e.column, "message": bank_error_message(e)} for e in parsed.errors]
    existing = _existing_keys(round_) if parsed.ok else {}
    for question in parsed.questions:
        if _duplicate_key(question.type, question.text) in existing:
            details.append(
                {"row": question.row, "column": "题目", "message": _("This question is already in the bank.")}
            )
    if details:
        raise _rejected(details)
    _too_many(round_, len(parsed.questions))
    return _store(round_, parsed.questions, by, filename[:100])


def import_bank_json(*, round_: Round, items: object, by: User) -> BankImport:
    """The API's form: ``[{"type", "text", "options", "answer", "tag"?}]``, checked with the file's rules."""
    _check_round(round_)
    parsed = parse_bank_json(items)
    details = [
        {"field": _item_field(e.index, e.field), "message": item_error_message(e)} for e in parsed.errors
    ]
    existing = _existing_keys(round_) if parsed.ok else {}
    for question in parsed.questions:
        if _duplicate_key(question.type, question.text) in existing:
            details.append(
                {
                    "field": f"questions[{question.row}].text",
                    "message": _("This question is already in the bank."),
                }
            )
    if details:
        raise _rejected(details)
    _too_many(round_, len(parsed.questions))
    return _store(round_, parsed.questions, by, "api")


def _item_field(index: int | None, field_: str | None) -> str:
    if index is None:
        return "questions"
    return f"questions[{index}]" + (f".{field_}" if field_ else "")


def bank_template() -> bytes:
    """A workbook to fill in: the header and one example of each type."""
    examples = [
        ParsedQuestion(
            "single",
            "发现电气火灾，首先应当：",
            ("切断电源", "用水扑救", "打开窗户", "离开现场"),
            (0,),
            "消防安全",
            0,
        ),
        ParsedQuestion(
            "multiple",
            "下列属于个人防护用品的有：",
            ("安全帽", "绝缘手套", "护目镜", "拖把"),
            (0, 1, 2),
            "劳动保护",
            0,
        ),
        ParsedQuestion(TRUE_FALSE, "灭火器压力表指针在绿区表示压力正常。", (), (0,), "消防安全", 0),
    ]
    frame = pd.DataFrame([question_row(q) for q in examples], columns=list(TEMPLATE_HEADER))
    return to_xlsx({"题库": frame})


# --- the overview -------------------------------------------------------------------------------------------


@dataclass
class BankOverview:
    round: Round
    questions: list[Question]
    by_type: dict[str, int]
    by_tag: dict[str, Counter] = field(default_factory=dict)  # tag ("" for none) → count by type
    shortfall: dict[str, int] = field(default_factory=dict)  # type → questions missing for the paper rule
    has_attempts: bool = False

    @property
    def total(self) -> int:
        return len(self.questions)


def bank_overview(round_: Round, *, type_: str | None = None, tag: str | None = None) -> BankOverview:
    """The bank by type and tag, whether it is big enough for the paper rule, whether anyone has sat it;
    ``questions`` filtered by ``type_`` and ``tag`` when given."""
    questions = list(
        db.session.scalars(select(Question).where(Question.round_id == round_.id).order_by(Question.position))
    )
    by_type = Counter(q.type for q in questions)
    by_tag: dict[str, Counter] = {}
    for q in questions:
        by_tag.setdefault(q.tag or "", Counter())[q.type] += 1
    shown = [
        q for q in questions if (type_ is None or q.type == type_) and (tag is None or (q.tag or "") == tag)
    ]
    return BankOverview(
        round_,
        shown,
        {t.value: by_type.get(t.value, 0) for t in TYPE_ORDER},
        dict(sorted(by_tag.items())),
        bank_shortfall(round_.paper_rule, by_type),
        has_attempts=has_attempts(round_),
    )


def has_attempts(round_: Round) -> bool:
    return bool(db.session.scalar(select(exists().where(ExamAttempt.round_id == round_.id))))


def option_texts(question: Question) -> list[str]:
    """What the options read: a true/false question's are 正确 and 错误."""
    return list(TRUE_FALSE_OPTIONS) if question.type == TRUE_FALSE else list(question.options)


def clear_bank(*, round_: Round, by: User) -> int:
    """Delete the whole bank, only while nobody has sat the round (their papers point at its questions)."""
    _check_round(round_)
    if has_attempts(round_):
        raise Conflict(
            _("Entrants have already sat this test: its questions can no longer be deleted."),
            code="has_attempts",
        )
    questions = list(db.session.scalars(select(Question).where(Question.round_id == round_.id)))
    for question in questions:
        db.session.delete(question)
    db.session.flush()
    audit.record(
        "exam.bank_clear",
        by=by,
        object_type="round",
        object_id=round_.id,
        university_id=round_.competition.university_id,
        competition_id=round_.competition_id,
        count=len(questions),
    )
    return len(questions)


def copy_banks(*, source: Competition, target: Competition, by: User) -> None:
    """Next year's competition keeps each exam round's bank (rounds matched by name)."""
    targets = {r.name: r for r in target.rounds if r.is_exam}
    for round_ in source.rounds:
        if round_.is_exam and round_.name in targets:
            rows = db.session.scalars(
                select(Question).where(Question.round_id == round_.id).order_by(Question.position)
            )
            db.session.add_all(
                Question(
                    round_id=targets[round_.name].id,
                    position=q.position,
                    type=q.type,
                    text=q.text,
                    options=list(q.options),
                    answer=list(q.answer),
                    tag=q.tag,
                    created_by_id=by.id,
                )
                for q in rows
            )
    db.session.flush()
