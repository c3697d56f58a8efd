"""Recusal (回避): own university in provincial contests, declared conflicts at both levels, panel sizes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.recusal import DECLARED, SAME_UNIVERSITY, Recusal, panel_sizes, recusals

PROVINCIAL, SCHOOL = "provincial", "school"
# entry id → its university: entries 1 and 3 of university 7 (ZJU), 2 of 9 (HZU), 4 of 11
ENTRIES = {3: 7, 1: 7, 2: 9, 4: 11}


def test_provincial_a_judge_is_recused_from_entries_of_their_own_university():
    found = recusals(level=PROVINCIAL, judge_universities={7}, entries=ENTRIES)
    assert found == [Recusal(1, SAME_UNIVERSITY), Recusal(3, SAME_UNIVERSITY)]


def test_the_docstring_example():
    assert recusals(level=PROVINCIAL, judge_universities={7}, entries={1: 7, 2: 9}) == [
        Recusal(1, "same_university")
    ]
    assert recusals(level=SCHOOL, judge_universities={7}, entries={1: 7, 2: 9}) == []


@pytest.mark.parametrize("level", [PROVINCIAL, SCHOOL])
def test_an_outside_expert_is_never_recused_for_a_university(level):
    assert recusals(level=level, judge_universities=set(), entries=ENTRIES) == []
    assert recusals(level=level, judge_universities=frozenset(), entries=ENTRIES, declared={2: "亲属"}) == [
        Recusal(2, DECLARED, "亲属")
    ]


def test_school_level_only_declared_conflicts_apply():
    assert recusals(level=SCHOOL, judge_universities={7}, entries=ENTRIES) == []
    found = recusals(level=SCHOOL, judge_universities={7}, entries=ENTRIES, declared={3: "指导过的学生"})
    assert found == [Recusal(3, DECLARED, "指导过的学生")]


@pytest.mark.parametrize("level", [PROVINCIAL, SCHOOL])
def test_a_declared_conflict_applies_at_both_levels_with_its_note(level):
    found = recusals(level=level, judge_universities={9}, entries=ENTRIES, declared={4: "合著者", 1: ""})
    assert Recusal(4, DECLARED, "合著者") in found
    assert Recusal(1, DECLARED, "") in found


def test_a_declared_conflict_on_an_entry_of_the_own_university_says_declared_once():
    found = recusals(level=PROVINCIAL, judge_universities={7}, entries=ENTRIES, declared={1: "配偶"})
    assert found == [Recusal(1, DECLARED, "配偶"), Recusal(3, SAME_UNIVERSITY)]


def test_a_judge_of_several_universities_is_recused_from_each():
    found = recusals(level=PROVINCIAL, judge_universities={7, 9}, entries=ENTRIES)
    assert [(r.entry_id, r.reason) for r in found] == [
        (1, SAME_UNIVERSITY),
        (2, SAME_UNIVERSITY),
        (3, SAME_UNIVERSITY),
    ]
    assert recusals(level=SCHOOL, judge_universities={7, 9}, entries=ENTRIES) == []


def test_a_declared_conflict_on_an_entry_outside_the_group_is_ignored():
    assert recusals(level=PROVINCIAL, judge_universities=set(), entries={2: 9}, declared={99: "x"}) == []


def test_no_entries_no_recusals():
    assert recusals(level=PROVINCIAL, judge_universities={7}, entries={}, declared={1: "x"}) == []


def test_panel_sizes():
    # judge 1 recused from 1 and 3 (ZJU), judge 2 from 2 (HZU), judge 3 an outside expert
    panel = {1: {1, 3}, 2: {2}, 3: set()}
    assert panel_sizes([1, 2, 3, 4], panel) == {1: 2, 2: 2, 3: 2, 4: 3}
    assert panel_sizes([1, 2], {}) == {1: 0, 2: 0}
    assert panel_sizes([], panel) == {}


universities = st.integers(min_value=1, max_value=6)


@given(
    st.dictionaries(st.integers(1, 40), universities, max_size=20),
    st.frozensets(universities, max_size=3),
    st.dictionaries(st.integers(1, 40), st.text(max_size=5), max_size=5),
)
def test_recusal_rules_hold_for_any_panel(entries, mine, declared):
    provincial = recusals(level=PROVINCIAL, judge_universities=mine, entries=entries, declared=declared)
    school = recusals(level=SCHOOL, judge_universities=mine, entries=entries, declared=declared)
    assert [r.entry_id for r in provincial] == sorted(r.entry_id for r in provincial)
    assert {r.entry_id for r in school} == set(entries) & set(declared)
    assert all(r.reason == DECLARED and r.note == declared[r.entry_id] for r in school)
    assert {r.entry_id for r in provincial} == {e for e, u in entries.items() if u in mine or e in declared}
    assert {r.entry_id for r in school} <= {r.entry_id for r in provincial}


@given(st.dictionaries(st.integers(1, 30), st.frozensets(st.integers(1, 30)), max_size=8))
def test_panel_size_is_the_judges_not_recused(panel):
    entry_ids = list(range(1, 31))
    sizes = panel_sizes(entry_ids, panel)
    assert all(sizes[e] == len(panel) - sum(e in r for r in panel.values()) for e in entry_ids)
    assert all(0 <= n <= len(panel) for n in sizes.values())
