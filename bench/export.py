"""Export benchmark: chronicle's .ics and github table against their libraries' own floors.

- **export-ics**: ``chronicle.to_ics(ledger)`` against icalendar building the *same*
  calendar from the same, already computed field values (``Calendar.new``,
  ``Event.new`` per event, ``add_missing_timezones``, ``to_ical``). The difference is
  chronicle's own work: reading accounts into rows, placing dates, writing summaries
  and descriptions, checking zones.
- **export-table**: ``chronicle.to_table(ledger, fmt="github")`` against ``tabulate``
  on the same, already computed cell texts. The difference is building rows, showing
  dates at their precision and cleaning cells for the terminal.

Both pairs are checked to produce identical output before they are timed. The ledger
is ``bench/synth.py``'s synthetic one (realistic mix of day, month, minute and year
precision, Chinese and English text). Target: ratio ≤ 1.3 (chronicle's overhead under
30% of the library's own time).

Run standalone: ``python -m bench.export [--quick] [--sizes 10000,20000]``.
"""

from __future__ import annotations

__all__ = ["run"]

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any

TARGET = 1.3


def _pair(
    ours: Callable[[], Any], base: Callable[[], Any], repeats: int
) -> tuple[float, Any, float, Any]:
    """Best wall times of ``ours`` and ``base``, run alternately (so load hits both alike).

    Garbage collection is off while timing. Returns (ours_s, ours_result, base_s, base_result).
    """
    best = [float("inf"), float("inf")]
    results: list[Any] = [None, None]
    for _ in range(repeats):
        for i, fn in enumerate((ours, base)):
            gc.collect()
            gc.disable()
            try:
                t0 = time.perf_counter()
                results[i] = fn()
                best[i] = min(best[i], time.perf_counter() - t0)
            finally:
                gc.enable()
    return best[0], results[0], best[1], results[1]


def _cold() -> None:
    """Empty chronicle's display caches, so every timed run starts as a fresh process would."""
    from chronicle import _display, _ical

    _display.show_when.cache_clear()
    _display._describe.cache_clear()
    _ical._source_text.cache_clear()


def _ledger(n: int) -> Any:
    import chronicle

    from . import synth

    return chronicle.load(synth.cached(n))


def bench_ics(ledger: Any, repeats: int) -> tuple[float, float, str]:
    """(chronicle seconds, icalendar seconds, note) for exporting ``ledger`` to .ics."""
    from icalendar import Calendar, Event

    import chronicle
    from chronicle._ical import calendar_parts

    # the same field values chronicle computes, prepared outside the timing
    parts = calendar_parts(ledger)

    def icalendar_only() -> bytes:
        cal = Calendar.new(**parts.header)
        if parts.hint:
            cal.add("X-WR-TIMEZONE", parts.hint)
        for fields in parts.events:
            cal.add_component(Event.new(**fields))
        if parts.window is not None:
            cal.add_missing_timezones(first_date=parts.window[0], last_date=parts.window[1])
        return bytes(cal.to_ical())

    def chronicle_ics() -> bytes:
        _cold()
        return chronicle.to_ics(ledger)

    ours_s, ours_out, base_s, base_out = _pair(chronicle_ics, icalendar_only, repeats)
    same = "identical output" if base_out == ours_out else "OUTPUT DIFFERS"
    return ours_s, base_s, f"{len(parts.events):,} VEVENTs, {len(ours_out):,} bytes, {same}"


def bench_table(ledger: Any, repeats: int) -> tuple[float, float, str]:
    """(chronicle seconds, tabulate seconds, note) for a github table of ``ledger``."""
    from tabulate import tabulate

    import chronicle
    from chronicle._table import DEFAULT_COLUMNS, table_cells

    cells = table_cells(ledger, DEFAULT_COLUMNS, ledger)
    headers = list(DEFAULT_COLUMNS)

    def tabulate_only() -> str:
        return str(tabulate(cells, headers=headers, tablefmt="github", disable_numparse=True))

    def chronicle_table() -> str:
        _cold()
        return chronicle.to_table(ledger, ledger=ledger, fmt="github")

    ours_s, ours_out, base_s, base_out = _pair(chronicle_table, tabulate_only, repeats)
    same = "identical output" if base_out == ours_out else "OUTPUT DIFFERS"
    return ours_s, base_s, f"{len(cells):,} rows x {len(headers)} columns, {same}"


def run(sizes: list[int], quick: bool = False) -> list[dict[str, Any]]:
    """One row per (benchmark, size): chronicle's time, the baseline's, and their ratio."""
    repeats = 1 if quick else 5
    out: list[dict[str, Any]] = []
    for n in sizes:
        ledger = _ledger(n)
        for name, baseline, fn in (
            ("export-ics", "icalendar Event.new + to_ical", bench_ics),
            ("export-table", "tabulate github", bench_table),
        ):
            ours, base, note = fn(ledger, repeats)
            ratio = ours / base if base else float("inf")
            out.append(
                {
                    "benchmark": name,
                    "size": n,
                    "chronicle_s": round(ours, 4),
                    "baseline": baseline,
                    "baseline_s": round(base, 4),
                    "ratio": round(ratio, 3),
                    "note": f"{note}; target ≤ {TARGET}" + ("" if ratio <= TARGET else " MISSED"),
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__.split("\n")[0])
    p.add_argument(
        "--sizes", default="10000", help="comma-separated account counts (default 10000)"
    )
    p.add_argument("--quick", action="store_true", help="one timing run instead of best of five")
    args = p.parse_args(argv)
    results = run([int(s) for s in args.sizes.split(",")], quick=args.quick)
    from tabulate import tabulate

    print(tabulate(results, headers="keys", tablefmt="github"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
