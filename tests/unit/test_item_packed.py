"""Packed outcomes counted with numpy give exactly the statistics of the reference ``item_analysis``."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from competition.domain.item_analysis import AttemptOutcome, item_analysis
from competition.domain.item_packed import pack_outcome, packed_item_analysis, unpack_outcome

QUESTIONS = list(range(100, 112))


@st.composite
def attempts(draw):
    """Attempts with a paper of some of the questions, each answered with some options, right or not."""
    result = []
    for _ in range(draw(st.integers(0, 30))):
        paper = draw(st.lists(st.sampled_from(QUESTIONS), unique=True, max_size=8))
        items = []
        for qid in paper:
            chosen = draw(st.frozensets(st.integers(0, 5), max_size=3))
            items.append((qid, chosen, bool(chosen) and draw(st.booleans())))
        score = Decimal(draw(st.integers(0, 40))) / 2
        result.append((score, items))
    return result


def reference(sample):
    return [
        AttemptOutcome(
            score,
            [qid for qid, _c, _r in items],
            [qid for qid, chosen, _r in items if chosen],
            [qid for qid, _c, right in items if right],
            [(qid, option) for qid, chosen, _r in items for option in chosen],
        )
        for score, items in sample
    ]


@settings(max_examples=200, deadline=None)
@given(attempts(), st.lists(st.sampled_from(QUESTIONS), max_size=4))
def test_the_packed_counting_equals_the_reference(sample, extra):
    packed = [(score, pack_outcome(items)) for score, items in sample]
    assert packed_item_analysis(packed, extra) == item_analysis(reference(sample), extra)


@given(attempts())
def test_an_outcome_unpacks_to_what_was_packed(sample):
    for _score, items in sample:
        assert unpack_outcome(pack_outcome(items)) == [(q, frozenset(c), r) for q, c, r in items]


def test_by_hand_ten_attempts_of_one_question():
    # six of ten right; the three best right, the three worst right once: 0.6 and 3/3 − 1/3
    rights = [True, True, True, False, True, False, True, True, False, False]
    sample = [(Decimal(10 - i), pack_outcome([(7, {0} if r else {1}, r)])) for i, r in enumerate(rights)]
    [stats] = packed_item_analysis(sample)
    assert (stats.seen, stats.answered, stats.correct_rate, stats.discrimination) == (
        10,
        10,
        Decimal("0.6"),
        Decimal("0.6667"),
    )
    assert stats.option_counts == {0: 6, 1: 4}
