"""``chronicle merge`` and ``chronicle conflicts`` on the invented fixture ledgers."""

from __future__ import annotations

import io
import json
from pathlib import Path

from chronicle.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "merge"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_merge_prints_one_line_per_event() -> None:
    code, out, err = run("merge", str(FIXTURES / "successor.toml"))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 5
    assert lines[0].split()[:4] == ["2021-03-16", "refined", "2", "sc-invite-daily"]
    assert "5 events from 8 accounts: 2 consistent, 3 refined" in err


def test_merge_explain() -> None:
    code, out, _ = run("merge", str(FIXTURES / "wire.toml"), "--explain")
    assert code == 0
    assert "    Overruled by independent: wr-r1 (wr-reprint-1: 2021-09-14)" in out


def test_merge_json_schema() -> None:
    code, out, _ = run("merge", str(FIXTURES / "launch_month.toml"), "--json")
    assert code == 0
    data = json.loads(out)
    (event,) = data["events"]
    assert event["event"] == "lm-launch"
    assert event["when"]["edtf"] == "2021-05-20"
    assert event["when"]["earliest"] == "2021-05-20T00:00:00+08:00"
    assert event["when"]["latest"] == "2021-05-20T23:59:59.999999+08:00"
    assert event["when"]["precision"] == "day"
    assert event["quantity"] is None
    assert event["status"] == "resolved"
    assert event["accounts"] == ["lm-blog-post", "lm-byte", "lm-cloud", "lm-review", "lm-tide"]
    assert [o["account"] for o in event["overruled"]] == ["lm-cloud"]
    assert event["explanation"][0].startswith("lm-launch: ")


def test_conflicts_grouped_by_event_and_field() -> None:
    code, out, err = run("conflicts", str(FIXTURES / "pins.toml"))
    assert code == 0
    assert out.startswith(
        "pn-region-opening: 星河云华东区域开服\n  when: pinned [challenged] — 2021-03-02\n"
    )
    assert "pn-region-expansion: 星河云华东区域扩容\n  event: [stale]\n" in out
    assert "  when: resolved [stale] — 2021-04\n" in out
    assert "2 conflict(s) in 2 event(s); 0 unresolved" in err


def test_conflicts_strict_exits_1_when_any_is_unresolved() -> None:
    path = str(FIXTURES / "launch_month.toml")
    assert run("conflicts", path, "--strict")[0] == 0
    code, out, err = run("conflicts", path, "--strict", "--rules", "primary")
    assert code == 1
    assert "  when: unresolved — 2021-05-20 – 2021-06-30" in out
    assert "1 unresolved" in err
    assert run("conflicts", path, "--rules", "primary")[0] == 0


def test_conflicts_json() -> None:
    code, out, _ = run("conflicts", str(FIXTURES / "zones.toml"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["unresolved"] == 0
    by_event = {c["event"]: c for c in data["conflicts"]}
    assert by_event["zn-release"]["status"] == "contested"
    assert by_event["zn-release"]["flags"] == ["near-miss"]
    assert by_event["zn-pricing"]["decided_by"] == "latest_publication"


def test_the_about_tolerance_on_the_command_line() -> None:
    code, out, _ = run("conflicts", str(FIXTURES / "figures.toml"), "--about", "0.25", "--json")
    assert code == 0
    statuses = {(c["event"], c["field"]): c["status"] for c in json.loads(out)["conflicts"]}
    assert ("fg-api-applicants-rumour", "quantity") not in statuses


def test_a_bad_rule_is_bad_input() -> None:
    code, _, err = run("merge", str(FIXTURES / "wire.toml"), "--rules", "majority")
    assert code == 2
    assert "unknown rule 'majority'" in err


def test_the_seed_has_no_unresolved_conflicts() -> None:
    events = Path(__file__).parent.parent / "events"
    assert run("conflicts", str(events), "--strict")[0] == 0


def test_merge_names_the_option_of_a_date_it_cannot_read() -> None:
    """Found by review: ``--as-of 上个月`` spoke of the Python API's ``ref=``."""
    code, out, err = run("merge", str(FIXTURES / "launch_month.toml"), "--as-of", "上个月")
    assert code == 2 and out == ""
    assert "--as-of '上个月' is relative" in err and "ref=" not in err


def test_merge_and_conflicts_check_the_zone_before_reading() -> None:
    for command in ("merge", "conflicts"):
        code, _, err = run(command, str(FIXTURES / "launch_month.toml"), "--tz", "Mars/Base")
        assert code == 2
        assert "argument --tz: unknown time zone 'Mars/Base'" in err
