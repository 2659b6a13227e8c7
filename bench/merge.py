"""Merge benchmark: ``Ledger.merge()`` against a pandas groupby of the same grouping keys.

The ledger is ``bench/synth.py``'s synthetic one, with the event key removed from 30 %
of the accounts (every account whose number ends in 0, 1 or 2), so that merging has
to group those itself.

- **chronicle**: ``ledger.merge()`` — grouping (keys, then blocking by kind and root
  actor with a sorted sweep for accounts without a key), reconciling every date and
  figure, deciding conflicts, and keeping what each explanation needs.
- **pandas** (the baseline): a DataFrame of the grouping keys read from the same
  accounts (the event key, or kind + first actor + title for accounts without one) and
  their date bounds, then ``groupby(key).agg(max earliest, min latest, size)``: the
  grouping and the date intersection, nothing else. Its time includes reading the
  columns out of the accounts, as chronicle's does; the note gives the groupby alone.

Target: faster than pandas, and O(n log n) growth: the note shows µs per account and
the time relative to n·log n at the first size. pandas is optional: without it the
baseline is skipped and the row says so.

Times are the best of ``--repeats`` runs (one by default), wall clock, with the
process's CPU time in the note (steadier on a shared machine).

Run standalone: ``python -m bench.merge [--quick] [--sizes 100000,1000000] [--repeats N]``.
"""

from __future__ import annotations

__all__ = ["run"]

import argparse
import gc
import math
import time
from collections.abc import Callable
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


def _ledger(n: int) -> Any:
    """The synthetic ledger with 30 % of the event keys removed."""
    import attrs

    import chronicle

    from . import synth

    full = chronicle.load(synth.cached(n))
    accounts = [attrs.evolve(a, event=None) if int(a.id[-1]) < 3 else a for a in full.accounts]
    return chronicle.Ledger(
        full.sources.values(),
        full.actors.values(),
        accounts,
        full.resolutions,
        tz=full.tz,
        validate=False,
    )


def _pandas(ledger: Any) -> tuple[float, float, int]:
    """(total seconds, groupby seconds, groups) for the pandas baseline."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

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
    return t2 - t0, t2 - t1, len(g)


def run(sizes: list[int], quick: bool = False, repeats: int = 1) -> list[dict[str, Any]]:
    """One row per size: merge time, pandas time, ratio, and the growth."""
    if quick:
        sizes = [min(n, 20_000) for n in sizes] or [20_000]
        sizes = sorted(set(sizes))
    rows: list[dict[str, Any]] = []
    first: tuple[int, float] | None = None
    for n in sizes:
        ledger = _ledger(n)
        ours, cpu, timeline = _timed(ledger.merge, repeats)
        events = len(timeline)
        del timeline
        per = ours / n * 1e6
        if first is None:
            first = (n, ours)
        expected = first[1] * (n * math.log(n)) / (first[0] * math.log(first[0]))
        growth = f"{ours / expected:.2f}× the n·log n extrapolation from {first[0]:,}"
        try:
            base, groupby, groups = _pandas(ledger)
        except ImportError:
            rows.append(
                {
                    "benchmark": "merge",
                    "size": n,
                    "chronicle_s": round(ours, 3),
                    "baseline": "pandas groupby (not installed: skipped)",
                    "baseline_s": None,
                    "ratio": None,
                    "note": f"{events:,} events; {per:.1f} µs/account (cpu {cpu:.3f} s); {growth}; "
                    "pip install pandas for the baseline",
                }
            )
            continue
        ratio = ours / base if base else float("inf")
        rows.append(
            {
                "benchmark": "merge",
                "size": n,
                "chronicle_s": round(ours, 3),
                "baseline": "pandas DataFrame + groupby(key).agg",
                "baseline_s": round(base, 3),
                "ratio": round(ratio, 2),
                "note": f"{events:,} events (pandas: {groups:,} groups, groupby alone "
                f"{groupby:.3f} s); {per:.1f} µs/account (cpu {cpu:.3f} s); {growth}; "
                "target ratio < 1" + ("" if ratio < 1 else " MISSED"),
            }
        )
        del ledger
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
