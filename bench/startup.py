"""Cold start: ``chronicle table events/`` on the seed ledger, against importing its libraries.

What a user waits for when they type a command. Every measurement is a fresh process,
with warm bytecode caches (each command runs once, untimed, before the timed runs, and
``PYTHONDONTWRITEBYTECODE`` is unset for the children so the ``.pyc`` files exist, as
on a user's machine); the commands run in turn, each first as often as the others, so a
busy machine slows them alike:

- chronicle: the ``chronicle`` console script next to this Python (what ``pip install``
  puts on the ``PATH``; ``python -m chronicle`` when there is none), ``table events/``,
  output to ``/dev/null`` (piped: nothing is fitted to a terminal);
- baseline: ``python -c "import pendulum, attrs, cattrs"``, the libraries every load
  needs; the target is a ratio ≤ 2 (issue 4), wall-clock;
- for context: ``python -c "import chronicle"`` against the same baseline.

Times are wall-clock seconds (``perf_counter`` around the child), medians of 15 runs (3
with ``--quick``); the notes give the CPU seconds of the child (user + system, from
``os.wait4``) and their ratio. ``sizes`` is ignored: the seed ledger is what it is.

Both sides include the interpreter's start and exit. ``chronicle``, run as a program,
freezes its heap before exiting, which spares it the final garbage collections (see
``chronicle.cli.main``); ``python -c`` does not, and a baseline that did would be about
10 ms faster.

Run standalone: ``python -m bench.startup [--quick]``.
"""

from __future__ import annotations

__all__ = ["run"]

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
SEED = _ROOT / "events"
TARGET = 2.0


def chronicle_command() -> tuple[list[str], str]:
    """The argv that starts ``chronicle`` as a user would, and how to describe it."""
    script = Path(sys.executable).parent / ("chronicle.exe" if os.name == "nt" else "chronicle")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)], "chronicle"
    return [sys.executable, "-m", "chronicle"], "python -m chronicle"  # pragma: no cover


def child_env() -> dict[str, str]:
    """This process's environment, less what would slow a child or skip its ``.pyc``."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE", "PYTHONTRACEMALLOC"):
        env.pop(name, None)
    return env


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``argv`` in a new process."""
    t = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def _accounts() -> int:
    import chronicle

    return len(chronicle.load(SEED))


def run(sizes: list[int], quick: bool = False) -> list[dict[str, Any]]:
    """Rows for the cold ``table`` command and ``import chronicle``, against the baseline."""
    repeats = 3 if quick else 15
    command, shown = chronicle_command()
    cases = {
        "table": [*command, "table", str(SEED.relative_to(_ROOT)) + "/"],
        "import": [sys.executable, "-c", "import chronicle"],
        "baseline": [sys.executable, "-c", "import pendulum, attrs, cattrs"],
    }
    env = child_env()
    for argv in cases.values():  # untimed: writes any missing .pyc, warms the file cache
        timed(argv, env)
    walls: dict[str, list[float]] = {k: [] for k in cases}
    cpus: dict[str, list[float]] = {k: [] for k in cases}
    keys = list(cases)
    for i in range(repeats):
        for key in keys[i % len(keys) :] + keys[: i % len(keys)]:  # in turn, each first as often
            w, c = timed(cases[key], env)
            walls[key].append(w)
            cpus[key].append(c)
    wall = {k: statistics.median(v) for k, v in walls.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    n = _accounts()
    baseline = 'python -c "import pendulum, attrs, cattrs"'
    rows: list[dict[str, Any]] = []
    for key, name in (
        ("table", f"{shown} table events/ (cold start)"),
        ("import", 'python -c "import chronicle" (cold start)'),
    ):
        ratio = wall[key] / wall["baseline"]
        cpu_ratio = cpu[key] / cpu["baseline"]
        note = (
            f"wall-clock, median of {repeats}; CPU (user + system) {cpu[key] * 1e3:.0f} ms vs "
            f"{cpu['baseline'] * 1e3:.0f} ms, ratio {cpu_ratio:.2f}"
        )
        if key == "table":
            note += f"; target <= {TARGET:g}" + ("" if ratio <= TARGET else " MISSED")
        else:
            note += "; for context"
        rows.append(
            {"benchmark": name, "size": n, "chronicle_s": wall[key], "baseline": baseline,
             "baseline_s": wall["baseline"], "ratio": ratio, "note": note}
        )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    from bench import standalone

    return standalone("startup", __doc__, run, "0", argv)


if __name__ == "__main__":
    raise SystemExit(main())
