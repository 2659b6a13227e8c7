"""Loading the synthetic ledger from JSON Lines, against msgspec's raw decode of the file.

Each measurement runs in a fresh Python process (so no run inherits another's heap) and
reports CPU seconds (``time.process_time``) of reading and decoding the file:

- baseline: ``msgspec.json.Decoder().decode_lines(path.read_bytes())`` into plain dicts,
  with the garbage collector on, as a user would run it;
- chronicle: ``chronicle.load(path)``, validated (ids, references, dates, cycles) into
  records; it pauses the garbage collector while it builds and resumes it after
  (``chronicle/_bulk.py``). The note gives the cost of the first full collection after
  the load, which a program pays later;
- also, for context: the standard library's ``json.loads`` line by line, and (at the
  smallest size only) the ordinary loader, the one every other format uses.

Memory: bytes per account still allocated after the load, and at the peak during it
(``tracemalloc``, another fresh process), against the 600-byte target. A small ledger is
loaded (and dropped) first, so that the modules and zones the load brings in are not
counted as the ledger's; ``tracemalloc`` counts the bytes asked for, not the allocator's
rounding.
"""

from __future__ import annotations

__all__ = ["run"]

import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import synth

_ROOT = Path(__file__).resolve().parent.parent

_WORKERS = {
    "msgspec": """
import gc, time, msgspec
t = time.process_time()
with open(PATH, "rb") as f:
    rows = msgspec.json.Decoder().decode_lines(f.read())
print(time.process_time() - t)
""",
    "json": """
import time, json
t = time.process_time()
with open(PATH, encoding="utf-8") as f:
    rows = [json.loads(line) for line in f]
print(time.process_time() - t)
""",
    "chronicle": """
import gc, time, chronicle
t = time.process_time()
ledger = chronicle.load(PATH)
s = time.process_time() - t
t = time.process_time()
gc.collect()
print(s, time.process_time() - t)
""",
    "ordinary": """
import time
from chronicle._files import read_path
from chronicle._ledger import build
t = time.process_time()
ledger = build(list(read_path(PATH)))
print(time.process_time() - t)
""",
    "memory": """
import gc, tracemalloc, chronicle
from chronicle._parse import clear_cache
chronicle.load(WARM)  # the imports and zones a load needs: the process's, not the ledger's
clear_cache()
gc.collect()
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
ledger = chronicle.load(PATH)
clear_cache()
gc.collect()
now, peak = tracemalloc.get_traced_memory()
print((now - base) / len(ledger), (peak - base) / len(ledger))
""",
}


def _code(kind: str, path: Path) -> str:
    return f"PATH = {str(path)!r}\nWARM = {str(synth.cached(_WARM))!r}\n" + _WORKERS[kind]


_WARM = 200  # accounts in the ledger loaded before the memory is measured


def _worker(kind: str, path: Path) -> list[float]:
    code = _code(kind, path)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=_ROOT, check=True, capture_output=True, text=True
    ).stdout
    return [float(x) for x in out.split()]


def _inprocess(kind: str, path: Path) -> list[float]:
    """The same measurement in this process (for tiny sizes, where a new process costs more)."""
    import io
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf):
        exec(_code(kind, path), {})
    return [float(x) for x in buf.getvalue().split()]


def run(sizes: list[int], quick: bool = False) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    measure = _inprocess if quick else _worker
    for n in sizes:
        path = synth.cached(n)
        repeats = 1 if quick else 3
        base, ours, later = [], [], []
        for _ in range(repeats):  # interleaved, so that a busy machine hurts both alike
            base.append(measure("msgspec", path)[0])
            s, g = measure("chronicle", path)
            ours.append(s)
            later.append(g)
        b, c = statistics.median(base), statistics.median(ours)
        mb = path.stat().st_size / 1e6
        rows.append(
            {"benchmark": "load JSON Lines, validated", "size": n, "chronicle_s": c,
             "baseline": "msgspec decode_lines (gc on)", "baseline_s": b, "ratio": c / b,
             "note": f"target <= 1.2; {mb:.0f} MB; CPU s, median of {repeats}; "
                     f"first full gc.collect() after the load: {statistics.median(later):.2f} s"}
        )  # fmt: skip
        if not quick:
            j = measure("json", path)[0]
            rows.append(
                {"benchmark": "load JSON Lines, validated", "size": n, "chronicle_s": c,
                 "baseline": "json.loads per line (gc on)", "baseline_s": j, "ratio": c / j,
                 "note": "the standard library's decoder, for context"}
            )  # fmt: skip
        if n == min(sizes) and not quick:
            o = measure("ordinary", path)[0]
            rows.append(
                {"benchmark": "load JSON Lines, validated", "size": n, "chronicle_s": c,
                 "baseline": "chronicle's ordinary loader (cattrs)", "baseline_s": o,
                 "ratio": c / o, "note": "what every other format goes through"}
            )  # fmt: skip
        held, peak = measure("memory", path)
        rows.append(
            {"benchmark": "memory per account held after load (bytes)", "size": n,
             "chronicle_s": held, "baseline": "target", "baseline_s": 600.0, "ratio": held / 600,
             "note": f"tracemalloc; peak during the load {peak:.0f} B/account"}
        )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    from bench import standalone

    return standalone("load", __doc__, run, "10000,100000", argv)


if __name__ == "__main__":
    raise SystemExit(main())
