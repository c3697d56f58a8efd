"""The figures of the other benchmarks as rows of ``bench/run.py``'s table: each runs as it always has (its
own database, its own report lines) and returns its figures, which become ``table.Row``s here."""

from __future__ import annotations

import argparse
import importlib
import traceback
from contextlib import suppress

import table
from table import Row

JUDGING = "judging: sheet submission under gunicorn"
RESULTS_BOARD = "results: leaderboard of a 500-entry group"
RESULTS_POLL = "results: unchanged big-screen poll (304) under gunicorn"
EXAM_ITEMS = "exams: item analysis of 20,000 attempts"
EXAM_ANSWERS = "exams: answer saving under gunicorn"
UNDER_LOAD = "pages under load (gunicorn)"
# Measurements that build a database of their own.
OWN_DATABASE = (JUDGING, RESULTS_BOARD, RESULTS_POLL, EXAM_ITEMS, EXAM_ANSWERS)


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    with suppress(ImportError):
        importlib.import_module("under_load").add_arguments(parser, prefix="load-")


def page_rows(app, counts: dict, engine: str, args, year: int) -> list[Row]:
    """``bench/pages.py`` on this province: the whole pages through the test client."""
    import pages

    try:
        rows, timings = pages.measure(app, counts, engine=engine, runs=args.runs, year=year, only=args.pages)
        if args.profile:
            pages.profile_pages(app, counts, timings)
        return rows
    except Exception:
        print(f"pages [{engine}]: FAILED", flush=True)
        traceback.print_exc()
        return [table.failed("pages", engine)]


def under_load_rows(engine: str, url: str, args, year: int) -> list[Row]:
    """``bench/under_load.py``, when it exists, on the province (it adds its contest and sitting: last)."""
    try:
        under_load = importlib.import_module("under_load")
    except ImportError:
        print(f"{UNDER_LOAD} [{engine}]: not yet available (bench/under_load.py)", flush=True)
        return []
    options = {k.removeprefix("load_"): v for k, v in vars(args).items() if k.startswith("load_")}
    given = {"quick": args.quick, "seed": args.seed, "year": year, "scale": args.scale}  # the province's
    namespace = argparse.Namespace(**(options | given))
    try:
        results = under_load.run(engine, url, namespace)
    except Exception:
        print(f"{UNDER_LOAD} [{engine}]: FAILED", flush=True)
        traceback.print_exc()
        return [table.failed(UNDER_LOAD, engine)]
    rows = []
    for r in results:  # the trivial endpoint has no bar
        figures = f"p50 {table.ms(r.median_ms)}", f"p99 {table.ms(r.p99_ms)}; {r.spread}"
        bar = f"p99 ≤ {table.ms(r.bar_ms)}" if r.bar_ms else ""
        rows.append(Row(f"under load: {r.name}", engine, *figures, bar, r.ok if r.bar_ms else None))
    return rows


def judging_rows(engine: str, args) -> list[Row]:
    """``bench/judging.py`` for one engine: its own database, gunicorn, 200 judges (see its docstring)."""
    import judging

    options = {k.removeprefix("judging_"): v for k, v in vars(args).items() if k.startswith("judging_")}
    try:
        result = judging.bench_engine(engine, argparse.Namespace(seed=args.seed, **options))
    except Exception:
        print(f"{JUDGING} [{engine}]: FAILED", flush=True)
        traceback.print_exc()
        return [table.failed(JUDGING, engine)]
    return [] if result is None else _saving(JUDGING, engine, result, f"{options['judges']} judges")


def _saving(name: str, engine: str, result, who: str) -> list[Row]:
    """A ratio to the trivial endpoint and the p99 of the paced phase (``judging.Result``)."""
    import judging

    rates = f"{result.put_rate:,.0f} vs ping {result.ping_rate:,.0f} req/s"
    p50, p95, p99 = result.paced_ms or result.put_ms
    return [
        table.ratio(name, engine, result.ratio, judging.RATIO_BAR, rates),
        table.latency(f"{name}, p99 ({who})", engine, p50, p95, p99, judging.P99_BAR_MS),
    ]


def results_rows(engine: str, args, selected: list[str]) -> list[Row]:
    """``bench/results.py`` for one engine: its own database, the leaderboard, the poll under gunicorn."""
    import results
    import screen_poll

    options = {k.removeprefix("results_"): v for k, v in vars(args).items() if k.startswith("results_")}
    board, poll = RESULTS_BOARD in selected, RESULTS_POLL in selected
    namespace = argparse.Namespace(seed=args.seed, runs=args.runs, board=board, poll=poll, **options)
    try:
        outcome = results.bench_engine(engine, namespace)
    except Exception:
        print(f"results [{engine}]: FAILED", flush=True)
        traceback.print_exc()
        return [table.failed("results", engine)]
    rows = []
    if outcome is not None:
        measured_board, measured_poll = outcome
        if measured_board is not None:
            rows.append(
                table.timed(RESULTS_BOARD, engine, measured_board.times_ms, results.LEADERBOARD_BAR_MS)
            )
        if measured_poll is not None:
            rates = f"{measured_poll.poll_rate:,.0f} vs ping {measured_poll.ping_rate:,.0f} req/s"
            rows.append(table.ratio(RESULTS_POLL, engine, measured_poll.ratio, screen_poll.RATIO_BAR, rates))
    return rows


def exams(engine: str, args, selected: list[str]) -> list[Row]:
    """``bench/item_analysis.py`` and ``bench/exam_answers.py`` for one engine, each in its own database."""
    import exam_answers
    import item_analysis

    rows = []
    for name, module, prefix in (
        (EXAM_ITEMS, item_analysis, "items_"),
        (EXAM_ANSWERS, exam_answers, "answers_"),
    ):
        if name not in selected:
            continue
        options = {k.removeprefix(prefix): v for k, v in vars(args).items() if k.startswith(prefix)}
        try:
            result = module.bench_engine(
                engine, argparse.Namespace(seed=args.seed, runs=args.runs, **options)
            )
        except Exception:
            print(f"{name} [{engine}]: FAILED", flush=True)
            traceback.print_exc()
            rows.append(table.failed(name, engine))
            continue
        if result is not None and module is item_analysis:
            rows.append(table.timed(name, engine, result.times_ms, item_analysis.BAR_MS))
        elif result is not None:
            rows += _saving(name, engine, result, f"{options['clients']} people")
    return rows
