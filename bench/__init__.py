"""chronicle's benchmarks: ``python -m bench`` (see ``bench/README.md``)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

Run = Callable[[list[int], bool], list[dict[str, Any]]]


def standalone(name: str, doc: str | None, run: Run, sizes: str, argv: list[str] | None) -> int:
    """``python -m bench.<name> [--sizes N,M] [--quick]``: one benchmark, rows as JSON lines."""
    p = argparse.ArgumentParser(prog=f"python -m bench.{name}", description=doc)
    p.add_argument("--sizes", default=sizes)
    p.add_argument("--quick", action="store_true")
    args = p.parse_args(argv)
    for row in run([int(s) for s in args.sizes.split(",")], args.quick):
        print(json.dumps(row, ensure_ascii=False, default=str))
    return 0
