"""The filters reach `chronicle table` and `chronicle export` (seed ledger)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import chronicle
from chronicle.cli import main

EVENTS = str(Path(__file__).resolve().parent.parent / "events")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def ids_of_table(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines()[1:] if line.strip()]


def test_table_filters_match_the_library_query() -> None:
    seed = chronicle.load(EVENTS)
    code, out, err = run(
        "table", EVENTS, "-c", "id", "-f", "plain",
        "--actor", "Baidu", "--from", "2022-09", "--to", "2023-03", "--certainly",
    )  # fmt: skip
    assert code == 0, err
    found = seed.query(actor="Baidu", start="2022-09", end="2023-03", mode="certainly")
    expected = [a.id for a in sorted(found, key=lambda a: (a.when.sort_key, a.id))]  # ties: by id
    assert ids_of_table(out) == expected
    assert "ernie-bot-launch-leiphone" in expected
    assert "tongyi-launch-leiphone" not in expected  # Alibaba's, not Baidu's


def test_export_filters_and_merged_table() -> None:
    code, out, _ = run("export", "csv", EVENTS, "--kind", "launch", "-o", "-")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["kind"] for r in rows} == {"launch"}
    code, out, _ = run(
        "table", EVENTS, "--merged", "-c", "event,status", "-f", "plain", "--text", "AI大底座"
    )
    assert code == 0
    assert "ai-big-base-release" in out and "refined" in out


def test_unknown_actor_is_a_clear_error() -> None:
    code, out, err = run("table", EVENTS, "--actor", "Baidoo")
    assert code == 2 and out == ""
    assert "Baidoo" in err and "Traceback" not in err
