"""Chinese lists by pinyin (domain.pinyin_order), not by code point: as a dictionary orders them."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from competition.domain.pinyin_order import by_pinyin, pinyin_key, pinyin_ranks


def test_provinces_by_pinyin_not_by_code_point():
    names = ["北京", "重庆", "安徽"]
    assert by_pinyin(names) == ["安徽", "北京", "重庆"]
    # Code-point order (Python's sorted, a binary SQL collation) is what the reports used to print.
    assert sorted(names) == ["北京", "安徽", "重庆"]


def test_a_character_is_read_in_its_word():
    # 重 is chong in 重庆 (before 杭州, hang) and zhong in 重点 (after 浙江, zhe); 银行 is yin hang.
    assert by_pinyin(["浙江大学", "重点实验室", "杭州大学", "重庆大学"]) == [
        "重庆大学",
        "杭州大学",
        "浙江大学",
        "重点实验室",
    ]
    assert by_pinyin(["银滩学院", "银行学院", "音乐学院"]) == [
        "音乐学院",
        "银行学院",
        "银滩学院",
    ]  # yin1; hang < tan


def test_departments_of_a_university():
    departments = ["计算机学院", "财务处", "文学院", "后勤处", "马克思主义学院", "工会", "公共管理学院"]
    assert by_pinyin(departments) == [
        "财务处",  # cai
        "公共管理学院",  # gong1 gong4 (公 before 工: same syllable and tone, then the character)
        "工会",  # gong1 hui4
        "后勤处",  # hou
        "计算机学院",  # ji
        "马克思主义学院",  # ma
        "文学院",  # wen
    ]


def test_tone_then_character_for_homophones():
    assert by_pinyin(["王老师", "汪老师"]) == ["汪老师", "王老师"]  # wang1 before wang2
    # Same syllable and tone (li3): a fixed order by the character, never by chance.
    names = ["里仁学院", "理学院", "李老师"]
    assert by_pinyin(names) == by_pinyin(reversed(names)) == ["李老师", "理学院", "里仁学院"]


def test_digits_letters_and_other_characters():
    names = ["（筹）学院", "八一学院", "北京", "北京大学", "阿坝", "abd", "ABC学院", "2026届", "安徽"]
    assert by_pinyin(names) == [
        "2026届",
        "ABC学院",
        "abd",
        "阿坝",  # a1: after the letter a, which has no tone
        "安徽",
        "八一学院",
        "北京",  # a name that begins another comes first
        "北京大学",
        "（筹）学院",  # punctuation after every letter
    ]


def test_with_a_key_reversed_and_ranked():
    rows = [("重庆大学", 3), ("安徽大学", 1), ("北京大学", 2)]
    assert by_pinyin(rows, key=lambda r: r[0]) == [("安徽大学", 1), ("北京大学", 2), ("重庆大学", 3)]
    assert by_pinyin(["北京", "重庆", "安徽"], reverse=True) == ["重庆", "北京", "安徽"]
    assert pinyin_ranks(["重庆", "北京", "安徽", "北京"]) == {"安徽": 0, "北京": 1, "重庆": 2}
    assert by_pinyin([]) == [] and pinyin_ranks([]) == {}


POOL = "北京重庆安徽杭州浙江大学学院处工会公共管理王汪李理里银行音乐AaBb12（）·- "


@given(st.lists(st.text(alphabet=POOL, max_size=8), max_size=20))
def test_a_total_order_whatever_the_input_order(names):
    expected = by_pinyin(names)
    shuffled = list(names)
    random.Random(len(names)).shuffle(shuffled)
    assert by_pinyin(shuffled) == expected
    # Two different names never tie: the key ends with the text itself.
    for a, b in zip(expected, expected[1:], strict=False):
        assert pinyin_key(a) < pinyin_key(b) or a == b
