"""The certificate's text layout on plain values: each character's advance comes from a font's width table
(code point → width in thousandths of the size, as fpdf2's ``cw``) at a size in points, divided by ``k``
(points per page unit); a line breaks between any two characters except inside a run of Latin letters and
digits, never ends on an opening bracket (``OPENING``) nor starts with a closing one or punctuation
(``CLOSING``): such a character moves across and the line may get a little longer than the width. A text is
first made smaller to fit on one line (down to three quarters of its size, or to its smallest size when it
may only take one line), else wrapped on up to ``max_lines`` lines at a size not below the smallest (the last
resort wraps on as many lines as it takes). Example: every character 1000 wide, ``k`` 1, size 1, so 1 unit
each: ``break_lines("荣获一等奖（文科组），特发此证。", …, 5)`` gives ``["荣获一等奖", "（文科组），",
"特发此证。"]`` (the "，" stays on the line before), and ``fit("ab cd", …, width=4, size=1, min_size=0.5,
max_lines=2)`` gives size 0.75 on one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

OPENING = "（([《〈「『“‘【"
CLOSING = "）)]》〉」』”’】，。、；：？！,.;:?!·"


@dataclass(frozen=True)
class Fitted:
    size: float  # in points
    lines: tuple[str, ...]


def advances(text: str, table: Mapping[int, float], size: float, k: float) -> list[float]:
    """Each character's advance in page units at ``size`` points (what fpdf2's ``get_string_width`` adds up,
    without its per-call cost). ``table`` may be a ``defaultdict`` for the characters it lacks."""
    scale = size * 0.001 / k
    return [table[ord(ch)] * scale for ch in text]


def break_lines(text: str, widths: Sequence[float], width: float) -> list[str]:
    """``text`` wrapped to ``width``, ``widths`` being its characters' advances (see the module's rules)."""
    lines: list[str] = []
    start, used, last_break = 0, 0.0, 0
    for i, ch in enumerate(text):
        if i > start and not (_latin(text[i - 1]) and _latin(ch)):
            last_break = i
        if used + widths[i] > width and i > start:
            cut = last_break if last_break > start else i
            lines.append(text[start:cut])
            start, used = cut, sum(widths[cut:i])
        used += widths[i]
    lines.append(text[start:])
    lines = [line.strip() for line in lines]
    for i in range(len(lines) - 1):
        while len(lines[i]) > 1 and lines[i][-1] in OPENING:
            lines[i], lines[i + 1] = lines[i][:-1], lines[i][-1] + lines[i + 1]
        while lines[i + 1] and lines[i + 1][0] in CLOSING:
            lines[i], lines[i + 1] = lines[i] + lines[i + 1][0], lines[i + 1][1:]
    return [line for line in lines if line]


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def fit(
    text: str,
    table: Mapping[int, float],
    k: float,
    *,
    width: float,
    size: float,
    min_size: float,
    max_lines: int,
) -> Fitted:
    """The size ``text`` is set at and its lines, from ``size`` down (see the module's rules)."""
    natural = sum(
        advances(text, table, size, k)
    )  # proportional to the size: the one-line size needs no trial
    one_line = size if natural <= width else int(size * width / natural * 4) / 4
    if max_lines == 1 or one_line >= max(min_size, size * 0.75):
        chosen, lines = max(one_line, min_size), [text]
        if one_line < min_size:
            lines = break_lines(text, advances(text, table, min_size, k), width)
        return Fitted(chosen, tuple(lines))
    # about the size at which it fills max_lines lines, then smaller while it takes more
    chosen = max(min_size, min(size, int(size * max_lines * width * 0.95 / natural * 4) / 4))
    while True:
        lines = break_lines(text, advances(text, table, chosen, k), width)
        if len(lines) <= max_lines or chosen <= min_size:
            return Fitted(chosen, tuple(lines))
        chosen = max(min_size, chosen - 0.5)


def dark_runs(matrix: Iterable[Sequence[int]]) -> list[tuple[int, int, int]]:
    """A QR code's dark modules as runs along its rows: (row, first column, length), row by row, so that each
    run is drawn as one rectangle."""
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs
