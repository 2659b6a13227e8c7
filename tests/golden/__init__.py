"""Golden files: exported bytes checked against files kept in this folder.

To regenerate every golden file after an intended change of output, run::

    CHRONICLE_UPDATE_GOLDENS=1 python -m pytest -q \
        tests/test_table.py tests/test_ical.py tests/test_export.py

then read the diff (``git diff tests/golden``) before committing it. ``invented.*``
come from ``tests/fixtures/invented.toml`` (invented data); ``seed.*`` from the seed
ledger in ``events/``, so they change when the seed ledger does.
"""

from __future__ import annotations

__all__ = ["GOLDEN", "check_golden"]

import difflib
import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent
UPDATE_ENV = "CHRONICLE_UPDATE_GOLDENS"


def check_golden(name: str, data: bytes) -> None:
    """Compare ``data`` with ``tests/golden/<name>`` byte for byte (or rewrite it when updating)."""
    path = GOLDEN / name
    if os.environ.get(UPDATE_ENV) == "1":
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        return
    assert path.exists(), f"no golden file {name}; create it with {UPDATE_ENV}=1 (see tests/golden)"
    want = path.read_bytes()
    if want == data:
        return
    diff = "".join(
        difflib.unified_diff(
            want.decode("utf-8", "replace").splitlines(keepends=True),
            data.decode("utf-8", "replace").splitlines(keepends=True),
            f"golden/{name}",
            "exported",
            n=1,
        )
    )
    raise AssertionError(
        f"{name} differs from its golden file (if intended, rerun with {UPDATE_ENV}=1):\n"
        + diff[:4000]
    )
