"""Exam rounds in the results engine: the marked score as the round score, complete once the window closed."""

from decimal import Decimal

from competition.domain.results import AwardRule, EntryScores, RoundRule, ScoringRules, leaderboard

EXAM = RoundRule(1, Decimal("0.4"), Decimal(80), exam=True)
PRACTICAL = RoundRule(2, Decimal("0.6"))
RULES = ScoringRules(trim_highest=0, trim_lowest=0, trim_min_judges=1)


def entry(entry_id, exam, totals, expected=2):
    return EntryScores(entry_id, entry_id, {2: totals}, {1: 0, 2: expected}, {1: exam})


def test_the_exam_score_enters_the_weighted_final_and_the_ranking():
    board = leaderboard(
        [
            entry(1, (Decimal("72.00"), True), {"a": Decimal(80), "b": Decimal(90)}),
            entry(2, (Decimal("60.50"), True), {"a": Decimal(95), "b": Decimal(95)}),
        ],
        [EXAM, PRACTICAL],
        RULES,
        [AwardRule("一等奖", Decimal("0.5"))],
    )
    first, second = board.rows
    assert (first.entry_id, first.final, first.rank, first.award) == (2, Decimal("81.20"), 1, "一等奖")
    assert (second.entry_id, second.final, second.rank) == (1, Decimal("79.80"), 2)  # 0.4 × 72 + 0.6 × 85
    assert first.rounds[0].totals == {} and first.rounds[0].dropped == ()
    assert board.complete


def test_an_exam_not_yet_closed_is_provisional_and_a_missing_score_leaves_the_final_open():
    board = leaderboard(
        [entry(1, (Decimal(50), False), {"a": Decimal(80), "b": Decimal(80)}), entry(2, (None, False), {})],
        [EXAM, PRACTICAL],
        RULES,
    )
    by_id = {row.entry_id: row for row in board.rows}
    assert by_id[1].final == Decimal("68.00") and not by_id[1].complete
    assert by_id[2].final is None and by_id[2].rank is None
    assert not board.complete


def test_an_entry_without_exam_data_has_no_exam_score():
    row = leaderboard([EntryScores(7, 1, {}, {1: 0})], [EXAM], RULES).rows[0]
    assert row.rounds[0].score is None and not row.rounds[0].complete
