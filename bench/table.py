"""The one table ``make bench`` ends with: each measurement, its engine, median, spread, bar, and OK or OVER.

The benchmarks print their own lines as they go; ``bench/run.py`` collects their figures as ``Row``s (the
helpers below turn each kind of figure into one) and prints them all at the end with ``print_table``.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    engine: str
    median: str
    spread: str
    bar: str
    ok: bool | None  # None: a figure without a bar (the trivial endpoint), or a measurement that failed
    failed: bool = False

    @property
    def verdict(self) -> str:
        if self.failed:
            return "FAILED"
        return "" if self.ok is None else ("OK" if self.ok else "OVER")


def ms(value: float) -> str:
    """Milliseconds as the benchmarks print them: 1,337 ms, 41.2 ms."""
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def timed(name: str, engine: str, times_ms: list[float], bar_ms: float) -> Row:
    """Repeated runs: their median against the bar, and the fastest and slowest."""
    median = statistics.median(times_ms)
    spread = f"{ms(min(times_ms))} – {ms(max(times_ms))} ({len(times_ms)} runs)"
    return Row(name, engine, ms(median), spread, f"{ms(bar_ms)}", median <= bar_ms)


def memory(name: str, engine: str, peak_mb: float, bar_mb: float) -> Row:
    return Row(
        name, engine, f"{peak_mb:,.0f} MB", "one run (tracemalloc)", f"{bar_mb:,.0f} MB", peak_mb <= bar_mb
    )


def ratio(name: str, engine: str, value: float, bar: float, spread: str) -> Row:
    """A rate as a share of the trivial endpoint's in the same run (at least ``bar``)."""
    return Row(name, engine, f"{value:.2f} of ping", spread, f"≥ {bar:.2f}", value >= bar)


def latency(name: str, engine: str, p50: float, p95: float, p99: float, bar_ms: float | None) -> Row:
    """Percentiles of requests under load: the p99 against the bar (``None``: no bar)."""
    ok = None if bar_ms is None else p99 <= bar_ms
    bar = "" if bar_ms is None else f"p99 ≤ {ms(bar_ms)}"
    return Row(name, engine, f"p50 {ms(p50)}", f"p95 {ms(p95)}, p99 {ms(p99)}", bar, ok)


def failed(name: str, engine: str) -> Row:
    return Row(name, engine, "", "", "", None, failed=True)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def print_table(rows: list[Row], heading: str) -> None:
    """The rows under ``heading`` (the machine and its load), in columns."""
    titles = ("measurement", "engine", "median", "spread (min – max)", "bar", "")
    cells = [titles] + [(r.name, r.engine, r.median, r.spread, r.bar, r.verdict) for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(titles))]
    print(f"\n{heading}", flush=True)
    rule = "  ".join("-" * w for w in widths)
    for n, row in enumerate(cells):
        print("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip(), flush=True)
        if n == 0:
            print(rule, flush=True)
