"""`chronicle parse`, `--version`, `--help` and the command line's error contract."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

import chronicle
from chronicle.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_parse_json_reports_bounds_precision_and_edtf() -> None:
    code, out, err = run(
        "parse", "至3月17日下午2点", "--ref", "2023-03-24", "--tz", "Asia/Shanghai", "--json"
    )
    assert code == 0 and err == ""
    obj = json.loads(out)
    assert obj["edtf"] == "[..2023-03-17T14+08:00]"
    assert obj["earliest"] is None
    assert obj["latest"] == "2023-03-17T14:00:00+08:00"
    assert obj["precision"] == "hour"
    assert obj["inferred"] is True and obj["span"] is False


def test_parse_json_of_a_span_reports_its_whole_extent() -> None:
    code, out, _ = run("parse", "2022-12/2023-02", "--tz", "Asia/Shanghai", "--json")
    obj = json.loads(out)
    assert code == 0 and obj["span"] is True
    assert (obj["earliest"], obj["latest"]) == (
        "2022-12-01T00:00:00+08:00",
        "2023-02-28T23:59:59.999999+08:00",
    )
    assert (obj["start"], obj["end"]) == ("2022-12", "2023-02")


def test_parse_text_output() -> None:
    code, out, _ = run("parse", "2022年第四季度", "--tz", "Asia/Shanghai")
    assert code == 0
    assert "edtf       2022-36" in out
    assert "shown as   2022-Q4" in out
    assert "earliest   2022-10-01T00:00:00+08:00" in out


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2023-13-45", "month 13 is out of range"),
        ("3月32日", "32"),
        ("Smarch 2022", "unknown word 'Smarch'"),
        ("去年9月", "reference date"),
        ("", "empty"),
        ("x" * 10_000, "10000 characters"),
    ],
)
def test_parse_errors_exit_2_with_a_message_and_no_traceback(text: str, fragment: str) -> None:
    code, out, err = run("parse", text)
    assert code == 2 and out == ""
    assert fragment in err
    assert "Traceback" not in err


def test_unknown_zone_is_a_clear_error() -> None:
    code, _, err = run("parse", "2022", "--tz", "Mars/Olympus")
    assert code == 2 and "unknown time zone 'Mars/Olympus'" in err


def test_usage_errors_exit_2() -> None:
    code, _, err = run("frobnicate")
    assert code == 2 and "invalid choice" in err
    assert run()[0] == 2


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"chronicle {chronicle.__version__}"
    code, out, _ = run("--help")
    assert code == 0 and "parse" in out and "table" in out


def test_python_dash_m_runs_the_same_program() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chronicle", "parse", "2022-09", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["edtf"] == "2022-09"


def test_parse_floor_closes_a_by_date_and_says_when_it_is_not_used() -> None:
    code, out, _ = run(
        "parse", "至3月17日下午2点", "--ref", "2023-03-24", "--tz", "Asia/Shanghai",
        "--floor", "3月16日", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert data["earliest"] == "2023-03-16T00:00:00+08:00"
    assert (data["ref"], data["floor"], data["inferred"]) == ("2023-03-24", "3月16日", True)
    code, out, _ = run("parse", "2023-03-17", "--floor", "2023-03-01")
    assert code == 0
    assert "floor      2023-03-01 (not used: the date has a start)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["[..2023-03-17]", "--floor", "3月16日"], "--floor: '3月16日' is relative"),
        (["2023-03-17", "--floor", "2023-03-20"], "is after '2023-03-17'"),
    ],
)
def test_parse_floor_errors_speak_of_the_option(argv: list[str], message: str) -> None:
    code, _, err = run("parse", *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
