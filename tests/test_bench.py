"""Every benchmark module runs once, tiny, so the benchmarks never rot (numbers not checked)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import __main__ as runner  # noqa: E402
from bench import synth  # noqa: E402

KEYS = {"benchmark", "size", "chronicle_s", "baseline", "baseline_s", "ratio", "note"}


@pytest.mark.parametrize("name", runner.modules())
def test_benchmark_runs_tiny(name: str) -> None:
    rows: list[dict[str, Any]] = importlib.import_module(f"bench.{name}").run([200], quick=True)
    assert rows
    for row in rows:
        assert set(row) >= KEYS, row
        assert isinstance(row["benchmark"], str)


def test_runner_finds_the_benchmarks() -> None:
    assert {"load", "parse", "query", "startup"} <= set(runner.modules())


def test_runner_prints_without_writing(capsys: pytest.CaptureFixture[str]) -> None:
    before = runner.RESULTS_MD.read_bytes() if runner.RESULTS_MD.exists() else None
    assert runner.main(["--sizes", "200", "--only", "query", "--quick"]) == 0
    assert "query median" in capsys.readouterr().out
    assert (runner.RESULTS_MD.read_bytes() if runner.RESULTS_MD.exists() else None) == before
    assert runner.main(["--only", "nothing"]) == 2


def test_markdown_from_results() -> None:
    md = runner.write_markdown(
        {
            "query": {
                "when": "now",
                "machine": "a machine",
                "sizes": [200],
                "quick": False,
                "took_s": 1.0,
                "rows": [
                    {
                        "benchmark": "b",
                        "size": 200,
                        "chronicle_s": 1e-5,
                        "baseline": "x",
                        "baseline_s": 2e-5,
                        "ratio": 0.5,
                        "note": "a | b",
                    }
                ],
            }
        }
    )
    assert "| b | 200 | 10.0 µs | x | 20.0 µs | 0.50 | a \\| b |" in md


def test_synthetic_ledger_is_deterministic_and_in_the_ledgers_own_format(tmp_path: Path) -> None:
    import chronicle

    a = synth.write(tmp_path / "a.jsonl", 300)
    b = synth.write(tmp_path / "b.jsonl", 300)
    assert a.read_bytes() == b.read_bytes()
    ledger = chronicle.load(a)
    assert len(ledger) == 300
    ledger.save(tmp_path / "c.jsonl")
    assert (tmp_path / "c.jsonl").read_bytes() == a.read_bytes()
    whens = [acc.when for acc in ledger.accounts]
    kinds = {w.precision.label for w in whens}
    assert {"day", "month", "minute", "year"} <= kinds
    assert any("+08:00" in (w.text or "") for w in whens)
    assert any(a.part_of for a in ledger.actors.values())
