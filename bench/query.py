"""Query latency and index build, against SQLite and a linear Python scan.

On the synthetic ledger (``bench/synth.py``), each query asks for one actor -- named by
a random one of its names or aliases, in a random case -- with everything ``part_of`` it,
possibly in a window of one to twelve months: "what did Baidu do between September 2022
and March 2023". Every engine gets the same queries and must return the same accounts
(checked):

- chronicle: ``ledger.query(actor=..., start=..., end=...)``, name and ``part_of``
  resolution included, results as ``Account`` objects in chronological order;
- SQLite in memory, one row per (account, actor), with an index on (actor, earliest) and,
  separately, a covering index on (actor, earliest, latest, account); the same name
  resolution in Python, then ``SELECT DISTINCT account ... ORDER BY earliest, latest``,
  mapped back to the ``Account`` objects;
- a linear scan over every account in Python (a few queries only: it is slow).

For each query the three indexed engines take turns going first, so that none of them
always finds the accounts of the result already in the CPU cache, brought there by
another. chronicle converts the window's dates itself, inside its timing (each query's
dates are new to it); SQLite gets them converted beforehand.

Index build: chronicle's first-query index build (on the ledger as loaded, with the
numbering of dates and actor lists the loader leaves it), against SQLite's inserting the
rows and building its index (and the index alone, reported in the note). numpy, which
builds the index, is imported before the timing; the note gives what importing it costs a
fresh process, and the memory the index holds. Times are CPU seconds.
"""

from __future__ import annotations

__all__ = ["run"]

import datetime as _dt
import random
import sqlite3
import statistics
import time
from typing import Any

from . import synth


def _queries(ledger: Any, n: int, seed: int) -> list[tuple[str, _dt.date, _dt.date]]:
    rng = random.Random(seed)
    actors = [a for a in ledger.actors.values() if a.kind != "person"]
    out = []
    for _ in range(n):
        actor = rng.choice(actors)
        name = rng.choice((*actor.all_names, actor.id))
        if name.isascii() and rng.random() < 0.5:
            name = name.upper() if rng.random() < 0.5 else name.lower()
        start = synth.FIRST_DAY + _dt.timedelta(days=rng.randrange(synth.DAYS - 370))
        months = rng.randrange(1, 13)
        end = start + _dt.timedelta(days=30 * months)
        out.append((name, start, end))
    return out


def _cpu(fn: Any, *args: Any) -> tuple[float, Any]:
    t = time.process_time()
    result = fn(*args)
    return time.process_time() - t, result


def _percentile(xs: list[float], p: float) -> float:
    ys = sorted(xs)
    return ys[min(len(ys) - 1, round(p * (len(ys) - 1)))]


def _sqlite(ledger: Any, covering: bool) -> tuple[float, float, sqlite3.Connection]:
    """(rows + index build seconds, index-only seconds, connection)."""
    from chronicle._index import OPEN_HIGH, OPEN_LOW

    t0 = time.process_time()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (account INTEGER, actor TEXT, earliest INTEGER, latest INTEGER)")
    rows = []
    for i, a in enumerate(ledger.accounts):
        e = a.when._e
        l = a.when._l
        e = OPEN_LOW if e is None else e
        l = OPEN_HIGH if l is None else l
        for actor in a.actors:
            rows.append((i, actor, e, l))
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    db.commit()
    t1 = time.process_time()
    if covering:
        db.execute("CREATE INDEX ix ON t (actor, earliest, latest, account)")
    else:
        db.execute("CREATE INDEX ix ON t (actor, earliest)")
    db.commit()
    t2 = time.process_time()
    return t2 - t0, t2 - t1, db


def _import_time(module: str) -> float:
    """CPU seconds importing ``module`` adds to a fresh interpreter's run (median of 3)."""
    import sys

    from .startup import child_env, timed

    env = child_env()

    def cpu(code: str) -> float:
        return timed([sys.executable, "-c", code], env)[1]

    return statistics.median(cpu(f"import {module}") - cpu("pass") for _ in range(3))


def _index_bytes(ledger: Any) -> int:
    """The memory a fresh index of ``ledger`` holds (tracemalloc; numpy's arrays included)."""
    import tracemalloc

    from chronicle._index import Index

    Index(ledger)  # numpy imported and warm, outside the measurement
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = Index(ledger)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    del index
    return held


def _edges(ledger: Any, start: _dt.date, end: _dt.date) -> tuple[int, int]:
    """The window's edges in microseconds, computed directly (chronicle's cache untouched)."""
    from chronicle._query import _day_edge

    return _day_edge(start, ledger.tz, False), _day_edge(end, ledger.tz, True)


def run(sizes: list[int], quick: bool = False) -> list[dict[str, Any]]:
    import gc

    import chronicle
    from chronicle._index import index_of
    from chronicle._query import Query, _edge_in, run_query

    rows: list[dict[str, Any]] = []
    numpy_import = _import_time("numpy")
    for n in sizes:
        ledger = chronicle.load(synth.cached(n))
        gc.collect()
        n_queries = 20 if quick else 1000
        n_scans = 2 if quick else (5 if n >= 1_000_000 else 20)
        queries = _queries(ledger, n_queries, seed=n)

        # nothing built yet; the numbering the load left with the ledger stays, as for any
        # first query after a load
        ledger._cache.pop("index", None)
        ledger._cache.pop("names", None)
        import numpy  # noqa: F401  (imported once per process; its cost is in the note)

        build_s, index = _cpu(index_of, ledger)  # what the first query runs
        index_bytes = _index_bytes(ledger)
        sq_build, sq_index_only, db = _sqlite(ledger, covering=False)
        cov_build, cov_index_only, db_cov = _sqlite(ledger, covering=True)
        accounts = ledger.accounts

        def sql(
            conn: sqlite3.Connection,
            name: str,
            lo: int,
            hi: int,
            index: Any = index,
            accounts: Any = accounts,
        ) -> list[Any]:
            ids = set()
            for actor in index.actor_ids(name):
                ids |= index.family(actor)
            marks = ",".join("?" * len(ids))
            cur = conn.execute(
                f"SELECT DISTINCT account, earliest, latest FROM t WHERE actor IN ({marks}) "
                "AND earliest <= ? AND latest >= ? ORDER BY earliest, latest, account",
                (*ids, hi, lo),
            )
            return [accounts[r[0]] for r in cur]

        times: dict[str, list[float]] = {"chronicle": [], "sqlite": [], "covering": []}
        mismatches = 0
        # SQLite gets its window edges computed beforehand (chronicle converts its own,
        # inside its timing); the engines take turns going first, so that none of them
        # always finds the result accounts in the CPU cache, warmed by another
        edges = [_edges(ledger, start, end) for _, start, end in queries]
        _edge_in.cache_clear()
        for k, ((name, start, end), (lo, hi)) in enumerate(zip(queries, edges, strict=True)):
            q = Query(actor=name, start=start, end=end)
            turns = ("chronicle", "sqlite", "covering")
            got: list[Any] = []
            res: list[Any] = []
            for key in turns[k % 3 :] + turns[: k % 3]:
                if key == "chronicle":
                    t = time.perf_counter()
                    got = run_query(ledger, q)
                    times[key].append(time.perf_counter() - t)
                else:
                    conn = db if key == "sqlite" else db_cov
                    t = time.perf_counter()
                    res = sql(conn, name, lo, hi)
                    times[key].append(time.perf_counter() - t)
            if {a.id for a in got} != {a.id for a in res}:
                mismatches += 1
        scans = []
        for name, start, end in queries[:n_scans]:
            q = Query(actor=name, start=start, end=end)
            t = time.perf_counter()
            run_query(ledger, q, use_index=False)
            scans.append(time.perf_counter() - t)
        med = {k: statistics.median(v) for k, v in times.items()}
        p90 = {k: _percentile(v, 0.9) for k, v in times.items()}
        scan = statistics.median(scans)
        check = (
            "same results as SQLite"
            if not mismatches
            else f"{mismatches} queries DIFFER from SQLite"
        )
        common = (
            f"{n_queries} queries (actor by a random alias, part_of, 1-12 month window); {check}"
        )
        rows += [
            {"benchmark": "query median, window+actor", "size": n, "chronicle_s": med["chronicle"],
             "baseline": "SQLite covering index", "baseline_s": med["covering"],
             "ratio": med["chronicle"] / med["covering"], "note": f"target <= 1; {common}"},
            {"benchmark": "query median, window+actor", "size": n, "chronicle_s": med["chronicle"],
             "baseline": "SQLite (actor, earliest) index", "baseline_s": med["sqlite"],
             "ratio": med["chronicle"] / med["sqlite"], "note": common},
            {"benchmark": "query median, window+actor", "size": n, "chronicle_s": med["chronicle"],
             "baseline": "linear Python scan", "baseline_s": scan,
             "ratio": med["chronicle"] / scan, "note": f"target <= 0.001; scan: median of {len(scans)}"},
            {"benchmark": "query p90, window+actor", "size": n, "chronicle_s": p90["chronicle"],
             "baseline": "SQLite (actor, earliest) index p90", "baseline_s": p90["sqlite"],
             "ratio": p90["chronicle"] / p90["sqlite"],
             "note": f"target <= 0.1; covering index p90 {p90['covering'] * 1e6:.0f} µs"},
            {"benchmark": "index build", "size": n, "chronicle_s": build_s,
             "baseline": "SQLite rows + (actor, earliest) index", "baseline_s": sq_build,
             "ratio": build_s / sq_build,
             "note": f"target <= 0.5; the index holds {index_bytes / n:.0f} B/account; "
                     f"importing numpy, once per process, adds {numpy_import * 1e3:.0f} ms; "
                     f"SQLite index alone {sq_index_only:.2f} s, "
                     f"covering: {cov_build:.2f} s with rows, {cov_index_only:.2f} s alone"},
        ]  # fmt: skip
        db.close()
        db_cov.close()
        del ledger, index
        gc.collect()
    return rows


def main(argv: list[str] | None = None) -> int:
    from bench import standalone

    return standalone("query", __doc__, run, "10000,100000", argv)


if __name__ == "__main__":
    raise SystemExit(main())
