"""Run chronicle's benchmarks: ``python -m bench [--sizes 10000,100000,1000000] [--only NAME] [--quick]``.

Every module of this package with a ``run(sizes, quick=False)`` function is a benchmark;
each returns rows ``{"benchmark", "size", "chronicle_s", "baseline", "baseline_s",
"ratio", "note"}``. The runner prints them as a table and, unless ``--quick`` (a smoke
run) or ``--no-write``, records them in ``bench/results.json`` -- replacing the rows of
the modules it ran, keeping the others -- and writes ``bench/RESULTS.md`` from it, with
the machine each module ran on.

Each module runs in a fresh Python process of its own: what one leaves behind (a heap of
a million records, caches, frozen objects) would otherwise slow the next -- parsing
measured after merging a million accounts took twice as long.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS_JSON = HERE / "results.json"
RESULTS_MD = HERE / "RESULTS.md"
NOT_BENCHMARKS = {"__main__", "synth"}


def modules() -> list[str]:
    """The names of the benchmark modules, in name order."""
    import bench

    names = [m.name for m in pkgutil.iter_modules(bench.__path__) if m.name not in NOT_BENCHMARKS]
    return sorted(
        n for n in names if callable(getattr(importlib.import_module(f"bench.{n}"), "run", None))
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(
            next(
                x
                for x in Path("/proc/meminfo").read_text().splitlines()
                if x.startswith("MemTotal")
            ).split()[1]
        )
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    import msgspec

    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; msgspec {msgspec.__version__}; "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )


def _load_average() -> str:
    """The 1-minute load average: how busy the machine was (other jobs slow every number)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:  # pragma: no cover - not on every platform
        return "?"


def _fmt_s(x: Any) -> str:
    if x is None:
        return ""
    if not isinstance(x, (int, float)):
        return str(x)
    if x >= 100 or x == 0:
        return f"{x:.0f}"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.1f} ms"
    return f"{x * 1e6:.1f} µs"


def _fmt_value(row: dict[str, Any], key: str) -> str:
    x = row.get(key)
    if "(bytes)" in str(row.get("benchmark")) and isinstance(x, (int, float)):
        return f"{x:.0f} B"
    return _fmt_s(x)


def _fmt_ratio(x: Any) -> str:
    if x is None:
        return ""
    return f"{x:.4f}" if x < 0.01 else f"{x:.2f}"


def table(rows: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            str(r.get("module", "")),
            str(r["benchmark"]),
            f"{r['size']:,}" if isinstance(r.get("size"), int) else str(r.get("size", "")),
            _fmt_value(r, "chronicle_s"),
            str(r.get("baseline") or ""),
            _fmt_value(r, "baseline_s"),
            _fmt_ratio(r.get("ratio")),
            str(r.get("note") or ""),
        ]
        for r in rows
    ]


HEADERS = [
    "module",
    "benchmark",
    "size",
    "chronicle",
    "baseline",
    "baseline value",
    "ratio",
    "note",
]


def write_markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m bench` (see `bench/README.md`); do not edit by hand. Times are",
        "CPU seconds unless a note says otherwise; *ratio* is chronicle / baseline (lower is",
        "better for chronicle).",
        "",
    ]
    for name, entry in sorted(results.items()):
        lines += [
            f"## {name}",
            "",
            f"Run {entry['when']} on {entry['machine']}; sizes {entry['sizes']}"
            + (" (quick)" if entry.get("quick") else "")
            + f"; took {entry['took_s']:.0f} s"
            + (f"; load average {entry['load']}" if entry.get("load") else "")
            + ".",
            "",
            "| " + " | ".join(HEADERS[1:]) + " |",
            "|" + "---|" * (len(HEADERS) - 1),
        ]
        for cells in table(entry["rows"]):
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells[1:]) + " |")
        lines.append("")
    return "\n".join(lines)


def run_isolated(name: str, sizes: list[int], quick: bool) -> list[dict[str, Any]]:
    """``bench.<name>.run(sizes, quick)`` in a fresh process; its rows."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        args = [sys.executable, "-m", "bench", "--child", name, "--child-out", str(out)]
        args += ["--sizes", ",".join(map(str, sizes))] + (["--quick"] if quick else [])
        subprocess.run(args, cwd=HERE.parent, check=True)
        rows: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
        return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sizes", default="10000,100000,1000000", help="ledger sizes (accounts), comma-separated"
    )
    p.add_argument("--only", default=None, help="run only these modules (comma-separated names)")
    p.add_argument(
        "--quick", action="store_true", help="a smoke run: fewer repeats, nothing written"
    )
    p.add_argument(
        "--no-write", action="store_true", help="print only; leave results.json and RESULTS.md"
    )
    p.add_argument("--child", help=argparse.SUPPRESS)  # run_isolated: this module, here
    p.add_argument("--child-out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.child:
        rows = importlib.import_module(f"bench.{args.child}").run(sizes, quick=args.quick)
        Path(args.child_out).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        return 0
    names = modules()
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            print(
                f"bench: no benchmark called {', '.join(unknown)}; there are {', '.join(names)}",
                file=sys.stderr,
            )
            return 2
        names = [n for n in names if n in wanted]
    results: dict[str, Any] = {}
    if RESULTS_JSON.exists():
        results = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    everything: list[dict[str, Any]] = []
    info = machine()
    for name in names:
        print(
            f"bench: running {name} at {sizes}{' (quick)' if args.quick else ''} ...",
            file=sys.stderr,
            flush=True,
        )
        load_before = _load_average()
        t = time.perf_counter()
        rows = run_isolated(name, sizes, args.quick)
        took = time.perf_counter() - t
        load_after = _load_average()
        for r in rows:
            r["module"] = name
        everything += rows
        results[name] = {
            "when": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": info,
            "sizes": sizes,
            "quick": args.quick,
            "took_s": took,
            "load": f"{load_before} before, {load_after} after",
            "rows": rows,
        }
    from tabulate import tabulate

    print(tabulate(table(everything), headers=HEADERS, disable_numparse=True))
    if not (args.quick or args.no_write):
        RESULTS_JSON.write_text(
            json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        RESULTS_MD.write_text(write_markdown(results), encoding="utf-8")
        print(f"bench: wrote {RESULTS_MD.relative_to(HERE.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
