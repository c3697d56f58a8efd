"""Written tests (笔试, 知识竞赛): the paper rule, drawing a paper, the deadline and marking.

The rules (DESIGN.md §2 Written tests, API.md Written tests):

* a **paper rule** says, per question type (single, multiple, true_false), how many questions and how many
  points each; counts are whole numbers ≥ 0 (at most ``MAX_COUNT``), points in (0, 100] with at most one
  decimal place, at least one question in all, each type at most once, and the maximum Σ count × points at
  most 1000;
* a **paper** is drawn per entrant from the round's bank with ``random.Random(seed)``: for each type in the
  order single, multiple, true_false, ``count`` questions sampled from that type's ids (sorted ascending
  first, so the database's row order does not matter), which also shuffles them within their section;
  then each question's options are shuffled except the pinned ones (以上都对 stays where it is) and a
  true/false question's (正确, 错误) never move. The paper is plain data — question id and option
  order, displayed position k showing original option ``options[k]`` under key "ABCDEF"[k] — and the same
  seed over the same bank draws the same paper;
* the **deadline** is the server's: min(start + time limit, the window's close), naive UTC; answers are taken
  while now < deadline;
* **marking**: single choice and true/false score their points when exactly the right option is chosen;
  multiple choice scores its points when exactly the right set is chosen, and ``multiple_partial`` × points
  (0 = all or nothing, 0.5 = 少选得一半) for a non-empty strict subset of it with no wrong option; anything
  else, and no answer, scores 0. The attempt's score is the exact sum, rounded half-up (四舍五入) to the
  competition's decimals at the end only, like every round score;

Worked by hand. The rule is 2 single × 2 points, 1 multiple × 3 points and 2 true/false × 1 point, so the
maximum is 2 × 2 + 1 × 3 + 2 × 1 = 9. With ``multiple_partial`` 0.5, an entrant gets single Q1 right (2),
single Q2 wrong (0), chooses A and C where the multiple-choice answer is A, C, D (a strict subset, nothing
wrong: 0.5 × 3 = 1.5), gets one true/false right (1) and leaves the other blank (0): 2 + 0 + 1.5 + 1 + 0 =
4.5, i.e. 4.50 at two decimals. With ``multiple_partial`` 0 the subset scores nothing (3.00); choosing A and B
(B is wrong) scores nothing whatever ``multiple_partial`` is. The multiple-choice question had options
[甲, 乙, 丙, 以上都对] with the last pinned; its paper order (2, 0, 1, 3) shows 丙 as A, 甲 as B, 乙 as C and
以上都对 as D, so the keys "B", "D" the phone sends mean original options {0, 3}.

Started at 10:12 with a 30-minute limit in a window closing at 10:30, the deadline is 10:30, not 10:42; at
10:25:30 there are 270 seconds left.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from competition.enums import QuestionType

from .results import half_up
from .spec_types import Problem

TYPE_ORDER = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE)
KEYS = "ABCDEF"  # 选项A…选项F: a question has at most six options
TRUE_FALSE_OPTIONS = 2  # 正确 (0), 错误 (1)
MAX_COUNT = 500
MAX_POINTS = Decimal(100)
MAX_PAPER_SCORE = Decimal(1000)


# --- the paper rule ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperPart:
    """One line of the paper rule: ``count`` questions of ``type``, ``points`` each."""

    type: str
    count: int
    points: Decimal


@dataclass(frozen=True)
class PaperRule:
    parts: tuple[PaperPart, ...]

    @property
    def maximum(self) -> Decimal:
        """Σ count × points, exact: 20 × 2 + 10 × 3 + 10 × 1 = 80."""
        return sum((Decimal(part.count) * part.points for part in self.parts), Decimal(0))

    @property
    def question_count(self) -> int:
        return sum(part.count for part in self.parts)

    def count(self, type_: str) -> int:
        return sum(part.count for part in self.parts if part.type == type_)

    def points(self, type_: str) -> Decimal:
        """The points of one question of ``type_`` (0 when the rule has no such type)."""
        return next((part.points for part in self.parts if part.type == type_), Decimal(0))


def rule_problems(rule: PaperRule, path: str = "paper") -> list[Problem]:
    """Every problem of a paper rule, with field paths as in the API body (``paper[1].points``).

    Codes: ``choice`` (unknown type), ``duplicate`` (a type twice), ``range`` (count outside 0..MAX_COUNT,
    points outside (0, 100], the maximum above 1000), ``decimals`` (points with more than one place) and
    ``required`` on ``paper`` itself when the rule asks for no question at all.
    """
    problems: list[Problem] = []
    seen: set[str] = set()
    choices = [t.value for t in TYPE_ORDER]
    for i, part in enumerate(rule.parts):
        item = f"{path}[{i}]"
        if part.type not in choices:
            problems.append(Problem(f"{item}.type", "choice", {"value": part.type, "choices": choices}))
        elif part.type in seen:
            problems.append(Problem(f"{item}.type", "duplicate", {"value": part.type}))
        seen.add(part.type)
        if isinstance(part.count, bool) or not 0 <= part.count <= MAX_COUNT:
            problems.append(Problem(f"{item}.count", "range", {"min": 0, "max": MAX_COUNT}))
        if not (part.points.is_finite() and 0 < part.points <= MAX_POINTS):
            problems.append(Problem(f"{item}.points", "range", {"above": "0", "max": str(MAX_POINTS)}))
        elif -part.points.normalize().as_tuple().exponent > 1:
            problems.append(Problem(f"{item}.points", "decimals", {"places": 1}))
    if problems:
        return problems
    if rule.question_count == 0:
        problems.append(Problem(path, "required", {}))
    elif rule.maximum > MAX_PAPER_SCORE:
        problems.append(Problem(path, "range", {"max": str(MAX_PAPER_SCORE)}))
    return problems


def bank_shortfall(rule: PaperRule, available: Mapping[str, int]) -> dict[str, int]:
    """How many questions of each type the bank lacks for the rule (types it lacks none of are left out);
    ``{}`` means a paper can be drawn. Rule 20 single + 10 multiple, bank 25 single + 7 multiple →
    ``{"multiple": 3}`` (the 409 ``bank_too_small``)."""
    missing = {}
    for part in rule.parts:
        lack = part.count - available.get(part.type, 0)
        if lack > 0:
            missing[part.type] = lack
    return missing


class BankTooSmall(ValueError):
    def __init__(self, missing: Mapping[str, int]):
        super().__init__(f"the bank lacks {dict(missing)}")
        self.missing = dict(missing)


# --- drawing a paper ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankQuestion:
    """What the draw needs of a bank question: its type, how many options and which stay in place."""

    id: int
    type: str
    option_count: int
    pinned: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PaperQuestion:
    """A question on a paper: displayed position k (key ``KEYS[k]``) shows original option ``options[k]``."""

    question_id: int
    options: tuple[int, ...]


Paper = tuple[PaperQuestion, ...]


def _option_order(question: BankQuestion, rng: random.Random) -> tuple[int, ...]:
    order = list(range(question.option_count))
    if question.type == QuestionType.TRUE_FALSE:
        return tuple(order)
    free = [i for i in order if i not in question.pinned]
    moved = free[:]
    rng.shuffle(moved)
    for position, option in zip(free, moved, strict=True):
        order[position] = option
    return tuple(order)


def draw_paper(bank: Iterable[BankQuestion], rule: PaperRule, seed: int) -> Paper:
    """The paper for ``seed``, by the recipe of the module docstring; raises ``BankTooSmall`` when the bank
    lacks questions (check ``bank_shortfall`` first for the 409). Depends only on the seed, the rule and the
    *set* of bank questions, never on the order they are passed in. A later change to the bank (a question
    added or removed) changes what the seed draws, so store the drawn paper (``paper_to_data``), not only
    the seed."""
    by_id = {question.id: question for question in bank}
    by_type: dict[str, list[int]] = {}
    for question in by_id.values():
        by_type.setdefault(question.type, []).append(question.id)
    missing = bank_shortfall(rule, {type_: len(ids) for type_, ids in by_type.items()})
    if missing:
        raise BankTooSmall(missing)
    rng = random.Random(seed)  # reproducible by design: the seed is recorded
    paper: list[PaperQuestion] = []
    for type_ in TYPE_ORDER:
        count = rule.count(type_)
        if count == 0:
            continue
        chosen = rng.sample(sorted(by_type[type_]), count)
        paper += [PaperQuestion(qid, _option_order(by_id[qid], rng)) for qid in chosen]
    return tuple(paper)


def paper_to_data(paper: Paper) -> list[list]:
    """Plain JSON data, a list because question order matters (PostgreSQL's jsonb does not keep the order of
    an object's keys): ``[[17, [2, 0, 1, 3]], [5, [0, 1]]]``."""
    return [[question.question_id, list(question.options)] for question in paper]


def paper_from_data(data: Iterable[Sequence]) -> Paper:
    return tuple(PaperQuestion(int(qid), tuple(int(o) for o in options)) for qid, options in data)


def original_option(options: Sequence[int], key: str) -> int | None:
    """The original option index a displayed key stands for (None for a key the question does not show):
    with options (2, 0, 1, 3), "A" → 2 and "D" → 3."""
    position = KEYS.find(key) if isinstance(key, str) and len(key) == 1 else -1
    return options[position] if 0 <= position < len(options) else None


def displayed_key(options: Sequence[int], original: int) -> str | None:
    """The key under which original option ``original`` is displayed: with (2, 0, 1, 3), 0 → "B"."""
    for position, option in enumerate(options):
        if option == original:
            return KEYS[position]
    return None


def chosen_options(options: Sequence[int], keys: Iterable[str]) -> frozenset[int] | None:
    """The original options behind the keys a phone sent (repeats are harmless); None when any key is not
    on this question (the 422)."""
    chosen = set()
    for key in keys:
        original = original_option(options, key)
        if original is None:
            return None
        chosen.add(original)
    return frozenset(chosen)


# --- the deadline ------------------------------------------------------------------------------------------


def deadline(started_at: datetime, minutes: int, closes: datetime) -> datetime:
    """min(start + time limit, the window's close), naive UTC datetimes."""
    return min(started_at + timedelta(minutes=minutes), closes)


def seconds_left(now: datetime, deadline_: datetime) -> int:
    """Whole seconds until the deadline, never below 0 (the phone counts down from it)."""
    return max(0, int((deadline_ - now).total_seconds()))


def accepts_answers(now: datetime, deadline_: datetime) -> bool:
    """Answers are taken strictly before the deadline; at or after it the attempt is marked as saved."""
    return now < deadline_


# --- marking -----------------------------------------------------------------------------------------------


def mark_answer(
    type_: str, correct: Set[int], chosen: Set[int], points: Decimal, multiple_partial: Decimal = Decimal(0)
) -> Decimal:
    """The exact mark of one answer (``chosen`` empty when unanswered): see the module docstring."""
    if not chosen:
        return Decimal(0)
    if chosen == correct:
        return points
    if type_ == QuestionType.MULTIPLE and chosen < correct:
        return multiple_partial * points
    return Decimal(0)


@dataclass(frozen=True)
class AnswerKey:
    question_id: int
    type: str
    correct: frozenset[int]


@dataclass(frozen=True)
class AttemptMark:
    total: Decimal  # rounded half-up to the competition's decimals
    exact: Decimal
    per_question: dict[int, Decimal] = field(default_factory=dict)  # exact marks, every question of the paper


def mark_attempt(
    keys: Iterable[AnswerKey],
    answers: Mapping[int, Set[int]],
    rule: PaperRule,
    multiple_partial: Decimal = Decimal(0),
    decimals: int = 2,
) -> AttemptMark:
    """Mark an attempt: ``keys`` are the answer keys of the questions on its paper, ``answers`` the saved
    original option indexes by question id (absent or empty = unanswered; ids not on the paper are ignored).
    Points per question come from the rule's type."""
    per_question = {
        key.question_id: mark_answer(
            key.type,
            key.correct,
            answers.get(key.question_id, frozenset()),
            rule.points(key.type),
            multiple_partial,
        )
        for key in keys
    }
    exact = sum((Fraction(mark) for mark in per_question.values()), Fraction(0))
    return AttemptMark(
        half_up(exact, decimals), Decimal(exact.numerator) / Decimal(exact.denominator), per_question
    )


def best_score(scores: Iterable[Decimal | None]) -> Decimal | None:
    """The round score when several attempts are allowed: the best submitted one (None when there is none)."""
    present = [score for score in scores if score is not None]
    return max(present) if present else None


# --- options that stay in place ----------------------------------------------------------------------------

_PINNED = re.compile(
    r"^(以上|上述|前述|全部|都|均|皆)|^(all|none|both|neither) (of )?(the )?above", re.IGNORECASE
)


def pinned_options(options: Sequence[str]) -> frozenset[int]:
    """Options that refer to the others (以上都对, 以上都不对, 全部正确, all of the above) keep
    their place when the rest are shuffled: ``pinned_options(["甲", "乙", "以上都对"]) == {2}``."""
    return frozenset(i for i, text in enumerate(options) if _PINNED.match(text.strip()))
