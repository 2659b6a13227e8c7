"""Merged events go through every exporter, like accounts do."""

from __future__ import annotations

import io
from pathlib import Path

import icalendar
import pytest

import chronicle
from chronicle.cli import main

EVENTS = str(Path(__file__).resolve().parent.parent / "events")


@pytest.fixture(scope="module")
def seed() -> chronicle.Ledger:
    return chronicle.load(EVENTS)


def test_merged_rows_carry_status_sources_and_explanation(seed: chronicle.Ledger) -> None:
    from chronicle._display import rows

    timeline = seed.merge()
    base = next(e for e in timeline.events if e.event == "ai-big-base-release")
    (row,) = rows([base], seed, "en")
    assert row.key == "event/ai-big-base-release"
    assert row.when.to_edtf() == "2022-12"
    assert row.status == "refined"
    assert {s.id for s in row.sources} == {"leiphone-2023-03-24"}
    assert set(row.accounts) == {
        "ai-big-base-release-leiphone-p45",
        "ai-big-base-release-leiphone-p46",
    }
    assert any("refined" in line for line in row.notes)


@pytest.mark.parametrize("fmt", ["ics", "csv", "md", "html"])
def test_export_merged_from_the_command_line(fmt: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["export", fmt, EVENTS, "--merged", "-o", "-"], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert "AI大底座" in text
    if fmt == "ics":
        cal = icalendar.Calendar.from_ical(text)
        events = list(cal.walk("VEVENT"))
        timeline = chronicle.load(EVENTS).merge()
        assert len(events) == len(timeline.events)
        assert len({str(e["UID"]) for e in events}) == len(events)


def test_table_of_merged_events(seed: chronicle.Ledger) -> None:
    text = chronicle.to_table(seed.merge().events, ledger=seed, columns=("date", "title", "status"))
    assert "refined" in text and "2022-12" in text
