from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def write_synthetic(folder: Path, n: int) -> Path:
    """``bench/synth.py``'s deterministic synthetic ledger of ``n`` accounts (invented
    data, see bench/README.md), written as ``ledger.jsonl`` in ``folder``."""
    root = str(Path(__file__).resolve().parent.parent)
    sys.path.insert(0, root)
    try:
        from bench import synth
    finally:
        sys.path.remove(root)
    return Path(synth.write(folder / "ledger.jsonl", n))
