"""Written tests (competition/domain/exam.py): paper rule, draw, deadline, marking, item analysis."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.domain.exam import (
    KEYS,
    AnswerKey,
    BankQuestion,
    BankTooSmall,
    PaperPart,
    PaperRule,
    accepts_answers,
    bank_shortfall,
    best_score,
    chosen_options,
    deadline,
    displayed_key,
    draw_paper,
    mark_answer,
    mark_attempt,
    original_option,
    paper_from_data,
    paper_to_data,
    rule_problems,
    seconds_left,
)
from competition.domain.item_analysis import AttemptOutcome, group_size, item_analysis
from competition.domain.results import half_up
from competition.enums import QuestionType

S, M, TF = QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE
D = Decimal


def rule_of(*parts: tuple[str, int, str]) -> PaperRule:
    return PaperRule(tuple(PaperPart(t, c, D(p)) for t, c, p in parts))


RULE = rule_of((S, 2, "2"), (M, 1, "3"), (TF, 2, "1"))


def bank_of(singles: int, multiples: int, true_false: int, options: int = 4) -> list[BankQuestion]:
    bank, qid = [], 0
    for type_, n in ((S, singles), (M, multiples), (TF, true_false)):
        for _ in range(n):
            qid += 1
            count = 2 if type_ == TF else options
            pinned = frozenset({count - 1}) if type_ != TF and qid % 3 == 0 else frozenset()
            bank.append(BankQuestion(qid, type_, count, pinned))
    return bank


# --- the paper rule ----------------------------------------------------------------------------------------


def test_maximum_is_the_sum_of_count_times_points():
    assert RULE.maximum == D(9)
    assert rule_of((S, 20, "2"), (M, 10, "3"), (TF, 10, "1")).maximum == D(80)
    assert rule_of((S, 3, "1.5")).maximum == D("4.5")
    assert RULE.points(M) == D(3) and RULE.count(TF) == 2 and RULE.question_count == 5


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (RULE, []),
        (rule_of((S, 0, "2"), (TF, 1, "1")), []),
        (rule_of((S, -1, "2")), [("paper[0].count", "range")]),
        (rule_of((S, 501, "2")), [("paper[0].count", "range")]),
        (rule_of((S, 2, "0")), [("paper[0].points", "range")]),
        (rule_of((S, 2, "-1")), [("paper[0].points", "range")]),
        (rule_of((S, 2, "101")), [("paper[0].points", "range")]),
        (rule_of((S, 2, "1.25")), [("paper[0].points", "decimals")]),
        (rule_of((S, 2, "2"), (S, 1, "1")), [("paper[1].type", "duplicate")]),
        (rule_of(("essay", 2, "2")), [("paper[0].type", "choice")]),
        (rule_of((S, 0, "2"), (M, 0, "3")), [("paper", "required")]),
        (PaperRule(()), [("paper", "required")]),
        (rule_of((S, 500, "2.5")), [("paper", "range")]),
        (rule_of((S, 400, "2.5")), []),
    ],
)
def test_rule_problems(rule, expected):
    assert [(p.field, p.code) for p in rule_problems(rule)] == expected


@pytest.mark.parametrize(
    ("available", "missing"),
    [
        ({S: 2, M: 1, TF: 2}, {}),
        ({S: 25, M: 7, TF: 40}, {}),
        ({S: 1, M: 1, TF: 2}, {S: 1}),
        ({S: 2, TF: 0}, {M: 1, TF: 2}),
        ({}, {S: 2, M: 1, TF: 2}),
    ],
)
def test_bank_shortfall(available, missing):
    assert bank_shortfall(RULE, available) == missing


def test_a_zero_count_type_needs_nothing_from_the_bank():
    assert bank_shortfall(rule_of((S, 0, "1"), (TF, 1, "1")), {TF: 1}) == {}


def test_drawing_from_a_small_bank_raises_with_what_is_missing():
    with pytest.raises(BankTooSmall) as caught:
        draw_paper(bank_of(2, 0, 5), RULE, 1)
    assert caught.value.missing == {M: 1}


# --- the draw ----------------------------------------------------------------------------------------------

BANK = bank_of(10, 6, 8)
TYPES = {q.id: q.type for q in BANK}


def test_the_same_seed_draws_the_same_paper_whatever_the_bank_order():
    paper = draw_paper(BANK, RULE, 42)
    assert draw_paper(list(reversed(BANK)), RULE, 42) == paper
    assert paper_from_data(paper_to_data(paper)) == paper


def test_different_seeds_draw_different_papers():
    papers = {draw_paper(BANK, RULE, seed) for seed in range(30)}
    assert len(papers) >= 28


def test_counts_per_type_are_exact_and_sections_come_in_type_order():
    paper = draw_paper(BANK, RULE, 7)
    assert [TYPES[q.question_id] for q in paper] == [S, S, M, TF, TF]


def test_pinned_options_stay_and_true_false_never_moves():
    bank = [
        BankQuestion(1, S, 4, frozenset({3})),
        BankQuestion(2, M, 5, frozenset({0, 4})),
        BankQuestion(3, TF, 2),
    ]
    rule = rule_of((S, 1, "1"), (M, 1, "1"), (TF, 1, "1"))
    orders = {draw_paper(bank, rule, seed) for seed in range(40)}
    for single, multiple, true_false in orders:
        assert single.options[3] == 3
        assert multiple.options[0] == 0 and multiple.options[4] == 4
        assert true_false.options == (0, 1)
    assert len({paper[0].options for paper in orders}) == 6  # the three free options take every order


def test_the_documented_recipe():
    import random

    rng = random.Random(5)
    singles = rng.sample([1, 2, 3], 2)
    first = [0, 1, 2]
    rng.shuffle(first)
    bank = [BankQuestion(q, S, 3) for q in (3, 1, 2)]
    paper = draw_paper(bank, rule_of((S, 2, "1")), 5)
    assert [q.question_id for q in paper] == singles
    assert paper[0].options == tuple(first)


@pytest.mark.parametrize(
    ("key", "original"),
    [("A", 2), ("B", 0), ("C", 1), ("D", 3), ("E", None), ("a", None), ("", None), ("AB", None)],
)
def test_keys_map_to_original_options(key, original):
    options = (2, 0, 1, 3)
    assert original_option(options, key) == original
    if original is not None:
        assert displayed_key(options, original) == key


def test_chosen_keys_become_original_options_or_none():
    options = (2, 0, 1, 3)
    assert chosen_options(options, ["B", "D", "B"]) == frozenset({0, 3})
    assert chosen_options(options, []) == frozenset()
    assert chosen_options(options, ["B", "F"]) is None
    assert displayed_key(options, 7) is None


# --- the deadline ------------------------------------------------------------------------------------------

T = datetime(2026, 5, 12, 10, 12)


@pytest.mark.parametrize(
    ("minutes", "closes", "expected"),
    [
        (30, datetime(2026, 5, 12, 10, 30), datetime(2026, 5, 12, 10, 30)),  # capped by the window
        (30, datetime(2026, 5, 12, 11, 0), datetime(2026, 5, 12, 10, 42)),  # the time limit
        (18, datetime(2026, 5, 12, 10, 30), datetime(2026, 5, 12, 10, 30)),  # both at once
    ],
)
def test_deadline_is_start_plus_limit_capped_by_the_close(minutes, closes, expected):
    assert deadline(T, minutes, closes) == expected


def test_seconds_left_and_acceptance():
    end = datetime(2026, 5, 12, 10, 30)
    assert seconds_left(datetime(2026, 5, 12, 10, 25, 30), end) == 270
    assert seconds_left(datetime(2026, 5, 12, 10, 29, 59, 500000), end) == 0
    assert seconds_left(datetime(2026, 5, 12, 10, 31), end) == 0
    assert accepts_answers(datetime(2026, 5, 12, 10, 29, 59, 999999), end)
    assert not accepts_answers(end, end)


# --- marking -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "correct", "chosen", "partial", "expected"),
    [
        (S, {1}, {1}, "0", "2"),
        (S, {1}, {0}, "0", "0"),
        (S, {1}, set(), "0", "0"),
        (S, {1}, {0, 1}, "0.5", "0"),  # two options for a single choice
        (TF, {0}, {0}, "0", "2"),
        (TF, {0}, {1}, "0.5", "0"),
        (TF, {1}, set(), "0.5", "0"),
        (M, {0, 2, 3}, {0, 2, 3}, "0", "2"),
        (M, {0, 2, 3}, {0, 2, 3}, "0.5", "2"),
        (M, {0, 2, 3}, {0, 2}, "0", "0"),  # all or nothing
        (M, {0, 2, 3}, {0, 2}, "0.5", "1.0"),  # 少选得一半
        (M, {0, 2, 3}, {3}, "0.5", "1.0"),
        (M, {0, 2, 3}, {0, 1}, "0.5", "0"),  # a wrong option in a subset
        (M, {0, 2, 3}, {0, 1, 2, 3}, "0.5", "0"),  # a superset
        (M, {0, 2, 3}, {1}, "0.5", "0"),
        (M, {0, 2, 3}, set(), "0.5", "0"),  # unanswered
    ],
)
def test_mark_answer(type_, correct, chosen, partial, expected):
    assert mark_answer(type_, frozenset(correct), frozenset(chosen), D(2), D(partial)) == D(expected)


KEYS_OF_PAPER = [
    AnswerKey(1, S, frozenset({0})),
    AnswerKey(2, S, frozenset({1})),
    AnswerKey(3, M, frozenset({0, 2, 3})),
    AnswerKey(4, TF, frozenset({0})),
    AnswerKey(5, TF, frozenset({1})),
]
ANSWERS = {1: {0}, 2: {2}, 3: {0, 2}, 4: {0}, 99: {0}}


@pytest.mark.parametrize(("partial", "total"), [("0.5", "4.50"), ("0", "3.00")])
def test_the_worked_example(partial, total):
    mark = mark_attempt(KEYS_OF_PAPER, ANSWERS, RULE, D(partial), 2)
    assert mark.total == D(total)
    assert str(mark.total) == total
    assert set(mark.per_question) == {1, 2, 3, 4, 5}
    assert mark.per_question[3] == (D("1.5") if partial == "0.5" else 0)


def test_the_total_is_rounded_half_up_at_the_end_only():
    rule = rule_of((M, 3, "1.5"))
    keys = [AnswerKey(q, M, frozenset({0, 1})) for q in (1, 2, 3)]
    mark = mark_attempt(keys, {1: {0}, 2: {1}, 3: {0}}, rule, D("0.3333"), 2)
    assert mark.exact == D("1.49985")  # 3 × 0.3333 × 1.5
    assert mark.total == D("1.50")
    assert mark_attempt(keys, {1: {0}}, rule, D("0.5"), 1).total == D("0.8")  # 0.75 → 0.8


def test_best_score():
    assert best_score([D("3.5"), None, D("7")]) == D(7)
    assert best_score([None]) is None


# --- item analysis -----------------------------------------------------------------------------------------


def test_group_size():
    assert [group_size(n) for n in (4, 10, 20_000)] == [1, 3, 5_400]


def test_item_analysis_by_hand():
    # Ten attempts, scores 10..1 (best first). Question 1 is on every paper; the best three got it right
    # (3/3), the worst three once (1/3), two in the middle: 6 of 10 right → 0.6, discrimination 0.6667.
    # Question 2 is on the first five papers only: the upper group had it 3 times (2 right), the lower none.
    right_1 = {10, 9, 8, 6, 5, 1}
    attempts = []
    for score in range(10, 0, -1):
        seen = [1, 2] if score > 5 else [1]
        right = [1] if score in right_1 else []
        right += [2] if score in (10, 8) else []
        answered = seen if score != 2 else []
        choices = [(1, 0 if 1 in right else 2)] if score != 2 else []
        attempts.append(AttemptOutcome(D(score), seen, answered, right, choices))
    stats = {s.question_id: s for s in item_analysis(attempts, question_ids=[3])}
    assert (stats[1].seen, stats[1].answered) == (10, 9)
    assert stats[1].correct_rate == D("0.6000")
    assert stats[1].discrimination == D("0.6667")
    assert stats[1].option_counts == {0: 6, 2: 3}
    assert (stats[2].seen, stats[2].answered, stats[2].correct_rate) == (5, 5, D("0.4000"))
    assert stats[2].discrimination is None  # the lower group never had it
    assert (stats[3].seen, stats[3].correct_rate, stats[3].discrimination) == (0, None, None)


def test_item_analysis_reverse_discrimination_and_too_few_attempts():
    attempts = [AttemptOutcome(score, [1], [1], [1] if score < 3 else []) for score in (4, 3, 2, 1)]
    [stat] = item_analysis(attempts)
    assert stat.discrimination == D("-1.0000")
    assert stat.correct_rate == D("0.5000")
    [few] = item_analysis(attempts[:3])
    assert few.discrimination is None and few.correct_rate == D("0.3333")
    assert item_analysis([]) == []


# --- properties --------------------------------------------------------------------------------------------

counts = st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6)).filter(lambda c: sum(c) > 0)


@settings(max_examples=150, deadline=None)
@given(counts, st.integers(0, 5), st.integers(0, 2**31 - 1), st.integers(2, 6))
def test_a_paper_has_the_rules_counts_no_duplicates_and_permuted_options(count, extra, seed, options):
    rule = rule_of((S, count[0], "2"), (M, count[1], "3"), (TF, count[2], "1"))
    bank = bank_of(count[0] + extra, count[1] + extra, count[2] + extra, options)
    types = {q.id: q for q in bank}
    paper = draw_paper(bank, rule, seed)
    ids = [q.question_id for q in paper]
    assert len(ids) == len(set(ids)) == sum(count)
    for type_, n in zip((S, M, TF), count, strict=True):
        assert sum(types[qid].type == type_ for qid in ids) == n
    for question in paper:
        bank_question = types[question.question_id]
        assert sorted(question.options) == list(range(bank_question.option_count))
        assert all(question.options[p] == p for p in bank_question.pinned)
        assert all(original_option(question.options, KEYS[k]) == o for k, o in enumerate(question.options))
    assert draw_paper(bank, rule, seed) == paper


answer_sets = st.frozensets(st.integers(0, 5), max_size=6)


@st.composite
def attempts_to_mark(draw):
    keys, answers = [], {}
    for qid in range(1, draw(st.integers(1, 12)) + 1):
        type_ = draw(st.sampled_from([S, M, TF]))
        if type_ == M:
            correct = draw(st.frozensets(st.integers(0, 5), min_size=2, max_size=6))
        else:
            correct = frozenset({draw(st.integers(0, 1 if type_ == TF else 5))})
        keys.append(AnswerKey(qid, type_, correct))
        answers[qid] = draw(answer_sets)
    return keys, answers


@settings(max_examples=200, deadline=None)
@given(
    attempts_to_mark(),
    st.sampled_from(["0", "0.5", "0.3333", "1"]),
    st.integers(0, 4),
    st.randoms(use_true_random=False),
)
def test_a_mark_is_between_zero_and_the_maximum_and_shuffling_never_changes_it(case, partial, decimals, rng):
    keys, answers = case
    rule = rule_of((S, sum(k.type == S for k in keys), "2.5"), (M, sum(k.type == M for k in keys), "3"))
    rule = PaperRule((*rule.parts, PaperPart(TF, sum(k.type == TF for k in keys), D(1))))
    mark = mark_attempt(keys, answers, rule, D(partial), decimals)
    assert D(0) <= mark.exact <= rule.maximum
    # The spec refuses a paper whose maximum has more places than the competition's decimals (2.5 at 0
    # places would round a full mark up to 3); within that rule a rounded mark never passes the maximum.
    fits = -rule.maximum.normalize().as_tuple().exponent <= decimals
    assert D(0) <= mark.total <= (rule.maximum if fits else half_up(rule.maximum, decimals))
    # Displaying the options in another order and mapping the keys back gives the same mark.
    shuffled = list(keys)
    rng.shuffle(shuffled)
    remapped = {}
    for key in shuffled:
        order = list(range(6))
        rng.shuffle(order)
        shown = [displayed_key(order, o) for o in answers[key.question_id]]
        remapped[key.question_id] = chosen_options(order, shown)
    assert mark_attempt(shuffled, remapped, rule, D(partial), decimals) == mark
