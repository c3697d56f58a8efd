"""Chinese lists in the order people look them up: by pinyin (安徽, 北京, 重庆), not by code point.

Code-point order (Python's ``sorted``, SQL's ``ORDER BY name`` under a binary collation) puts 重庆 before 北京
and scatters universities and departments the way no printed list does. The order here is that of a Chinese
dictionary, character by character:

* a Chinese character by its pinyin syllable read in context (重庆 is chong qing, 银行 is yin hang), then
  by its tone (1–4, the neutral tone last), then by the character itself, so that homophones stay together
  and apart from each other in a fixed order;
* digits and Latin letters by themselves, case-insensitively, among the syllables (2026, A, 阿, B, 八 …);
* any other character (punctuation, symbols) after the letters, by code point;
* a name that is the beginning of another comes first (北京 before 北京大学); two names with the same key
  compare by their text.

``pinyin_key(text)`` is the sort key; ``by_pinyin(items, key=...)`` sorts a list with it; ``pinyin_ranks``
numbers names in that order (for tables sorted in the browser).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

from pypinyin import Style, lazy_pinyin

T = TypeVar("T")

_WORD, _OTHER = 0, 1  # letters, digits and syllables are compared together; other characters come last


def _one_token_per_character(text: str) -> list[str]:
    return list(text)


@lru_cache(maxsize=8192)
def pinyin_key(text: str) -> tuple:
    """The sort key of ``text``: one (class, letters, tone, character) tuple a character, then the text.

    >>> sorted(["北京", "重庆", "安徽"], key=pinyin_key)
    ['安徽', '北京', '重庆']
    """
    tokens = lazy_pinyin(
        text, style=Style.TONE3, neutral_tone_with_five=True, errors=_one_token_per_character, strict=False
    )
    if len(tokens) != len(text):  # never seen; keep a total order all the same
        tokens = list(text)
    parts = []
    for char, token in zip(text, tokens, strict=True):
        if token != char and token[-1:].isdigit():  # a syllable such as "chong2"
            parts.append((_WORD, token[:-1], int(token[-1]), char))
        elif char.isascii() and char.isalnum():
            parts.append((_WORD, char.lower(), 0, char))
        elif char.isspace():
            continue
        else:
            parts.append((_OTHER, "", 0, char))
    return (tuple(parts), text)


def by_pinyin(items: Iterable[T], key: Callable[[T], str] | None = None, *, reverse: bool = False) -> list[T]:
    """``items`` sorted by the pinyin of ``key(item)`` (the item itself when no key is given)."""
    name = key or (lambda item: item)  # type: ignore[assignment,return-value]
    return sorted(items, key=lambda item: pinyin_key(name(item)), reverse=reverse)


def pinyin_ranks(names: Iterable[str]) -> dict[str, int]:
    """Each distinct name with its position (0, 1, …) in pinyin order."""
    return {name: i for i, name in enumerate(by_pinyin(set(names)))}
