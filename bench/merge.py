"""Merge benchmark: ``Ledger.merge()`` against a pandas groupby of the same grouping keys.

The ledger is ``bench/synth.py``'s synthetic one, with the event key removed from 30 %
of the accounts (every account whose number ends in 0, 1 or 2), so that merging has
to group those itself.

- **chronicle**, three rows per size:

  - ``merge``: ``ledger.merge()`` as it returns — grouping (keys, then blocking by kind
    and root actor with a sorted sweep for accounts without a key, reading their
    titles) and each group's date intersection (latest earliest bound, earliest latest
    bound) and whether it is empty, the pandas baseline's work. Events are built on
    first use (``timeline[key]``, iteration, ``conflicts()``, exports), so this row
    does not include reconciling them;
  - ``merge (every event built)``: ``merge()`` and then iterating the whole timeline,
    which builds every ``MergedEvent`` — each date and figure reconciled, conflicts
    decided, and everything its explanation reads — the full cost of a merge. The
    note adds the time to write every event's ``explain()`` text once.

  - ``merge, every account keyed``: ``merge()`` on the synthetic ledger with every event
    key kept, where grouping is by key alone, as pandas groups: how much of the gap is
    the grouping of accounts without a key (reading their titles for names and versions,
    which the pandas baseline does not do).

- ``title-reading floor`` (a fourth row, for the record): the least any grouping that
  reads titles must do, in C alone — collect each distinct title and translation
  (``dict.fromkeys``), ``unicodedata.normalize("NFKC")`` and ``casefold`` them, and find
  every actor name in them with an Aho-Corasick automaton (``pyahocorasick``, a
  benchmark-only dependency; the row is skipped without it). No comparison, no
  grouping. Merging reads more than this (versions, stages, word edges) and in Python;
  when this floor alone is near or above the pandas baseline, no title-reading merge
  can be faster than pandas on that ledger.

- **pandas** (the baseline of every row): a DataFrame of the grouping keys read from
  the same accounts (the event key, or kind + first actor + title for accounts without
  one) and their date bounds, then ``groupby(key).agg(max earliest, min latest, size)``
  and the empty intersections: the grouping and the date intersection, nothing else.
  Its time includes reading the columns out of the accounts, as chronicle's does; the
  note gives the groupby alone.

Target: faster than pandas, and O(n log n) growth: the note shows µs per account and
the time relative to n·log n at the first size. pandas is optional: without it the
baseline is skipped and the row says so.

Times are the best of ``--repeats`` runs (one by default), wall clock, with the
process's CPU time in the note, for chronicle and for pandas, and their ratio (steadier
on a shared machine).

Run standalone: ``python -m bench.merge [--quick] [--sizes 100000,1000000] [--repeats N]``.
"""

from __future__ import annotations

__all__ = ["run"]

import argparse
import gc
import math
import time
from collections.abc import Callable
from functools import partial
from typing import Any

DEFAULT_SIZES = [100_000, 1_000_000]


def _timed(fn: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    """(best wall seconds, best CPU seconds, the last result) over ``repeats`` runs."""
    best, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeats):
        result = None
        gc.collect()
        gc.disable()
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            result = fn()
            best = min(best, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
        finally:
            gc.enable()
    return best, cpu, result


def _keyless(full: Any) -> Any:
    """``full`` with the event key removed from 30 % of its accounts."""
    import attrs

    import chronicle

    accounts = [attrs.evolve(a, event=None) if int(a.id[-1]) < 3 else a for a in full.accounts]
    return chronicle.Ledger(
        full.sources.values(),
        full.actors.values(),
        accounts,
        full.resolutions,
        tz=full.tz,
        validate=False,
    )


def _pandas(ledger: Any) -> tuple[float, float, int, float]:
    """(total seconds, groupby seconds, groups, total CPU seconds) for the pandas baseline."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    c0 = time.process_time()
    t0 = time.perf_counter()
    keys, lo, hi = [], [], []
    for a in ledger.accounts:
        w = a.when
        keys.append(a.event or f"{a.kind}|{a.actors[0] if a.actors else ''}|{a.title}")
        lo.append(w._e if w._e is not None else -(2**62))
        hi.append(w._l if w._l is not None else 2**62)
    df = pd.DataFrame({"key": keys, "lo": lo, "hi": hi})
    t1 = time.perf_counter()
    g = df.groupby("key", sort=True).agg(lo=("lo", "max"), hi=("hi", "min"), n=("lo", "size"))
    g["conflict"] = g["lo"] > g["hi"]
    t2 = time.perf_counter()
    return t2 - t0, t2 - t1, len(g), time.process_time() - c0


def _floor(ledger: Any) -> tuple[float, float, int] | None:
    """(wall s, CPU s, distinct texts) of the title-reading floor, or None without pyahocorasick."""
    try:
        import ahocorasick  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    import unicodedata

    from chronicle._merge_group import Actors

    automaton = ahocorasick.Automaton()
    for name, identity in Actors(ledger.actors).names.items():  # folded names, 2+ characters
        automaton.add_word(name, identity)
    automaton.make_automaton()
    accounts = ledger.accounts

    def read() -> int:
        texts = dict.fromkeys(
            t for a in accounts for t in (a.title, *(x for _, x in a.translations))
        )
        normalize, found = unicodedata.normalize, automaton.iter
        for t in texts:
            for _ in found(normalize("NFKC", t).casefold()):
                pass
        return len(texts)

    wall, cpu, texts = _timed(read, 1)
    return wall, cpu, texts


def _every_event(ledger: Any) -> Any:
    """``ledger.merge()``, then every event built (by iterating the timeline)."""
    timeline = ledger.merge()
    for _ in timeline:
        pass
    return timeline


def _explain_all(timeline: Any) -> list[str]:
    return [e.explain() for e in timeline]


def _row(
    benchmark: str,
    n: int,
    ours: float,
    cpu: float,
    first: tuple[int, float],
    pandas: tuple[float, float, int, float] | None,
    what: str,
    target: bool = True,
) -> dict[str, Any]:
    per = ours / n * 1e6
    expected = first[1] * (n * math.log(n)) / (first[0] * math.log(first[0]))
    growth = f"{ours / expected:.2f}× the n·log n extrapolation from {first[0]:,}"
    if pandas is None:
        return {
            "benchmark": benchmark,
            "size": n,
            "chronicle_s": round(ours, 3),
            "baseline": "pandas groupby (not installed: skipped)",
            "baseline_s": None,
            "ratio": None,
            "note": f"{what}; {per:.1f} µs/account (cpu {cpu:.3f} s); {growth}; "
            "pip install pandas for the baseline",
        }
    base, groupby, groups, base_cpu = pandas
    ratio = ours / base if base else float("inf")
    cpu_ratio = f"{cpu / base_cpu:.2f}" if base_cpu else "∞"
    return {
        "benchmark": benchmark,
        "size": n,
        "chronicle_s": round(ours, 3),
        "baseline": "pandas DataFrame + groupby(key).agg",
        "baseline_s": round(base, 3),
        "ratio": round(ratio, 2),
        "note": f"{what} (pandas: {groups:,} groups, groupby alone {groupby:.3f} s, "
        f"cpu {base_cpu:.3f} s); {per:.1f} µs/account (cpu {cpu:.3f} s, "
        f"cpu ratio {cpu_ratio}); {growth}; "
        + (("target ratio < 1" + ("" if ratio < 1 else " MISSED")) if target else "not a target"),
    }


def run(sizes: list[int], quick: bool = False, repeats: int = 1) -> list[dict[str, Any]]:
    """Four rows per size (merge; with every event built; the title-reading floor; on a
    fully keyed ledger)."""
    if quick:
        sizes = [min(n, 20_000) for n in sizes] or [20_000]
        sizes = sorted(set(sizes))
    # imported before timing, as pandas is: the first size should not pay for imports
    import chronicle
    from chronicle import _merge, _merge_explain, _merge_row  # noqa: F401

    from . import synth

    rows: list[dict[str, Any]] = []
    first: dict[str, tuple[int, float]] = {}
    for n in sizes:
        keyed = chronicle.load(synth.cached(n))  # read once: both ledgers come from it
        ledger = _keyless(keyed)
        ours, cpu, timeline = _timed(ledger.merge, repeats)
        events = len(timeline)
        empty = timeline._source.grouping.disjoint
        del timeline
        full, full_cpu, timeline = _timed(partial(_every_event, ledger), repeats)
        words, _, _ = _timed(partial(_explain_all, timeline), 1)
        del timeline
        try:
            pandas: tuple[float, float, int, float] | None = _pandas(ledger)
        except ImportError:
            pandas = None
        floor = _floor(ledger)
        first.setdefault("merge", (n, ours))
        first.setdefault("built", (n, full))
        rows.append(
            _row(
                "merge",
                n,
                ours,
                cpu,
                first["merge"],
                pandas,
                f"{events:,} events, {empty:,} with disjoint dates; events built on first use",
            )
        )
        rows.append(
            _row(
                "merge (every event built)",
                n,
                full,
                full_cpu,
                first["built"],
                pandas,
                f"{events:,} events, every one built; every explain() text once more {words:.3f} s",
            )
        )
        if floor is None:
            rows.append(
                {
                    "benchmark": "title-reading floor",
                    "size": n,
                    "chronicle_s": None,
                    "baseline": "pandas DataFrame + groupby(key).agg",
                    "baseline_s": None if pandas is None else round(pandas[0], 3),
                    "ratio": None,
                    "note": "skipped: pip install pyahocorasick (in the bench extra) to measure it",
                }
            )
        else:
            wall, floor_cpu, texts = floor
            first.setdefault("floor", (n, wall))
            rows.append(
                _row(
                    "title-reading floor",
                    n,
                    wall,
                    floor_cpu,
                    first["floor"],
                    pandas,
                    f"{texts:,} distinct titles and translations: collected, NFKC + casefold, "
                    "actor names found by Aho-Corasick, all in C; no grouping",
                    target=False,
                )
            )
        del ledger
        # the same ledger with every event key kept: grouping needs no titles, as pandas
        ours, cpu, timeline = _timed(keyed.merge, repeats)
        events = len(timeline)
        del timeline
        try:
            pandas = _pandas(keyed)
        except ImportError:
            pandas = None
        first.setdefault("keyed", (n, ours))
        rows.append(
            _row(
                "merge, every account keyed",
                n,
                ours,
                cpu,
                first["keyed"],
                pandas,
                f"{events:,} events; every account has its event key, so no titles are read",
            )
        )
        del keyed
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.merge", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    p.add_argument("--quick", action="store_true", help="small sizes only")
    p.add_argument("--repeats", type=int, default=1, help="best of N runs per size")
    args = p.parse_args(argv)
    for row in run([int(s) for s in args.sizes.split(",")], quick=args.quick, repeats=args.repeats):
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
