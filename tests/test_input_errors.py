"""Bad input gets a clear error naming the file, the record and the text: CSV rows and
headers, values of the wrong shape, zones, output that cannot be written, and the
command line's own options. All ledgers here are invented test data."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import chronicle
from chronicle import LedgerError, UnreadableInput
from chronicle.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "invented.toml"

SOURCE_TOML = """\
[ledger]
tz = "Asia/Shanghai"

[[source]]
id = "s1"
title = "An invented story"
kind = "news"
published = "2023-03-24"

[[actor]]
id = "acme"
name = "Acme"
kind = "company"
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# -- A. CSV import --------------------------------------------------------------------


def csv_ledger(tmp_path: Path, text: str) -> Path:
    (tmp_path / "src.toml").write_text(SOURCE_TOML, encoding="utf-8")
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_csv_row_with_more_cells_than_the_header(tmp_path: Path) -> None:
    folder = csv_ledger(
        tmp_path,
        'id,kind,title,when,source\nc1,launch,"Acme, Inc. launches X",2023,s1,extra cell\n',
    )
    with pytest.raises(UnreadableInput) as e:
        chronicle.load(folder)
    message = str(e.value)
    assert message.startswith(f"{folder / 'a.csv'}:2: c1: ")
    assert "6 cells but the header has 5 columns" in message
    assert "'extra cell'" in message
    code, out, err = run("check", str(folder))
    assert code == 2 and out == ""
    assert "a.csv:2: c1:" in err and "'extra cell'" in err


def test_csv_header_naming_a_column_twice(tmp_path: Path) -> None:
    folder = csv_ledger(
        tmp_path, "id,kind,title,when,source,title\nc1,launch,First title,2023,s1,Second title\n"
    )
    with pytest.raises(UnreadableInput, match=r"a\.csv:1: the header names column 'title' twice"):
        chronicle.load(folder)
    code, out, err = run("table", str(folder), "-c", "id,title")
    assert code == 2 and out == ""
    assert "'title' twice (columns 3 and 6)" in err


def test_csv_row_with_fewer_cells_than_the_header(tmp_path: Path) -> None:
    folder = csv_ledger(tmp_path, "id,kind,title,when,source,note\nc1,launch,T,2023,s1\n")
    with pytest.raises(UnreadableInput) as e:
        chronicle.load(folder)
    assert "a.csv:2: c1: this row has 5 cells but the header has 6 columns" in str(e.value)
    assert "none for note" in str(e.value)


def test_csv_header_with_an_empty_name(tmp_path: Path) -> None:
    folder = csv_ledger(tmp_path, "id,kind,,when,source\nc1,launch,T,2023,s1\n")
    with pytest.raises(UnreadableInput, match=r"a\.csv:1: column 3 of the header has no name"):
        chronicle.load(folder)


def test_csv_unknown_column_is_named(tmp_path: Path) -> None:
    folder = csv_ledger(tmp_path, "id,kind,title,when,source,colour\nc1,launch,T,2023,s1,red\n")
    with pytest.raises(UnreadableInput, match=r"a\.csv:1: unknown CSV column\(s\): 'colour'"):
        chronicle.load(folder)


def test_csv_errors_give_the_line_a_row_starts_on(tmp_path: Path) -> None:
    folder = csv_ledger(
        tmp_path,
        'id,kind,title,when,source\n\nc1,launch,"two\nlines",2023,s1\nc2,launch,T,2023\n',
    )
    with pytest.raises(UnreadableInput, match=r"a\.csv:5: c2: this row has 4 cells"):
        chronicle.load(folder)


def test_csv_messages_name_a_few_cells_not_all(tmp_path: Path) -> None:
    """Found by the hostile-input sweep: a header of 200,000 unknown columns, or a row of
    200,000 cells, gave a message of megabytes."""
    folder = csv_ledger(tmp_path, ",".join(f"c{i}" for i in range(200_000)) + "\n")
    with pytest.raises(UnreadableInput) as e:
        chronicle.load(folder)
    assert str(e.value).startswith(
        f"{folder / 'a.csv'}:1: unknown CSV column(s): 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', "
        "'c6', 'c7' and 199992 more; expected some of id, "
    )
    (folder / "a.csv").write_text("id,kind\nc1," + "x" * 100 + ",y" * 200_000 + "\n")
    with pytest.raises(UnreadableInput) as e:
        chronicle.load(folder)
    assert str(e.value) == (
        f"{folder / 'a.csv'}:2: c1: this row has 200002 cells but the header has 2 columns; "
        "'y', 'y', 'y', 'y', 'y', 'y', 'y', 'y' and 199992 more belong(s) to no column "
        "(quote a cell that holds a comma)"
    )


def test_a_huge_value_of_the_wrong_shape_is_quoted_short(tmp_path: Path) -> None:
    """Found by the hostile-input sweep: the whole value went into the message."""
    account = {**ACCOUNT, "when": list(range(100_000)), "planned": "y" * 100_000}
    for field in ("when", "planned"):
        p = _write(tmp_path, "json", "account", {**ACCOUNT, field: account[field]})
        with pytest.raises(LedgerError) as e:
            chronicle.load(p)
        (finding,) = e.value.findings
        assert len(finding.message) < 200 and finding.message.endswith("...")
        assert finding.message.startswith(
            "when: expected a date text or table, got list [0, 1, 2, "
            if field == "when"
            else "planned: expected true or false, got 'yyy"
        )


def test_good_csv_still_loads_every_cell(tmp_path: Path) -> None:
    folder = csv_ledger(
        tmp_path,
        "id,kind,title,title_en,when,actors,tags,source,quote,value,unit,bound,note\n"
        '\n"c1","launch","Acme, Inc. 发布 X","Acme launches X","2023-03-16","acme","llm; cloud",'
        '"s1","原文",8万,家,at_least,"a ""quoted"" note"\n'
        "c2,launch,Plain,,2023,,,s1,,,,,\n",
    )
    ledger = chronicle.load(folder)
    a = ledger.account("c1")
    assert a.title == "Acme, Inc. 发布 X"
    assert a.title_in("en") == "Acme launches X"
    assert a.actors == ("acme",) and a.tags == ("llm", "cloud")
    assert a.citations[0].quote == "原文"
    assert a.quantity is not None and a.quantity.value == 80000
    assert a.note == 'a "quoted" note'
    assert ledger._origins[("account", "c1")][1] == 3  # blank line 2 is skipped, not lost
    assert ledger.account("c2").note is None


# -- B. --tz on every command that reads a ledger ------------------------------------

NO_ZONE = """\
[[source]]
id = "s1"
title = "An invented story"
kind = "news"
published = "2023-03-24"

[[account]]
id = "a1"
kind = "launch"
title = "T"
when = "2023-03-12T02:30"

[[account.citations]]
source = "s1"
"""


def test_check_takes_tz_and_agrees_with_table(tmp_path: Path) -> None:
    p = tmp_path / "notz.toml"
    p.write_text(NO_ZONE, encoding="utf-8")
    assert run("check", str(p))[0] == 0  # read as UTC: 02:30 exists
    code, out, _ = run("check", str(p), "--tz", "America/New_York")
    assert code == 1
    assert "a1: when:" in out and "does not exist in America/New_York" in out
    code, _, err = run("table", str(p), "--tz", "America/New_York")
    assert code == 2 and "does not exist in America/New_York" in err
    assert run("check", str(p), "--tz", "Asia/Shanghai")[0] == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["check", str(FIXTURE)],
        ["table", str(FIXTURE)],
        ["export", "json", str(FIXTURE)],
        ["parse", "2023"],
    ],
)
def test_an_unknown_zone_is_an_error_even_when_no_file_needs_it(argv: list[str]) -> None:
    code, out, err = run(*argv, "--tz", "Mars/Olympus")
    assert code == 2 and out == ""
    assert "argument --tz: unknown time zone 'Mars/Olympus'" in err


# -- C. values of the wrong shape ---------------------------------------------------------

ACCOUNT: dict[str, Any] = {
    "id": "a1",
    "kind": "launch",
    "title": "T",
    "when": "2023",
    "citations": [{"source": "s1"}],
}


def _toml_value(v: Any) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def _write(tmp_path: Path, fmt: str, kind: str, record: dict[str, Any]) -> Path:
    source = {"id": "s1", "title": "S", "kind": "news", "published": "2023-03-24"}
    actor = {"id": "acme", "name": "Acme", "kind": "company"}
    records = {"source": [source], "actor": [actor], "account": [dict(ACCOUNT)]}
    records[kind] = [record]
    p = tmp_path / f"l.{fmt}"
    if fmt == "json":
        p.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    elif fmt == "jsonl":
        lines = [{"type": k, **r} for k, rs in records.items() for r in rs]
        p.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    else:
        blocks = []
        for k, rs in records.items():
            for r in rs:
                blocks.append(
                    f"[[{k}]]\n" + "".join(f"{f} = {_toml_value(v)}\n" for f, v in r.items())
                )
        p.write_text("\n".join(blocks), encoding="utf-8")
    return p


WRONG_SHAPES = [
    # (record kind, field, value, expected message)
    ("account", "citations", "s1", """citations: expected a list of tables like [{ source = "s1" }], got 's1'"""),
    ("account", "citations", ["s1"], """citations[0]: expected a table like { source = "s1" }, got 's1'"""),
    ("account", "citations", [{"source": "s1"}, 5], "citations[1]: expected a table like"),
    ("account", "citations", {"source": "s1"}, "citations: expected a list of tables like"),
    ("account", "quantity", "8万 users", "quantity must be a table like"),
    ("account", "quantity", ["x"], "quantity must be a table like"),
    ("account", "translations", "Acme", "translations: expected a table of language = text"),
    ("account", "translations", ["en"], "translations: expected a table of language = text"),
    ("account", "translations", {"en": ["x"]}, "translations: expected text for 'en', got ['x']"),
    ("account", "actors", "acme", "actors: expected a list of texts, got the single text 'acme'"),
    ("account", "actors", ["acme", 5], "actors[1]: expected text, got int 5"),
    ("account", "tags", "llm", "tags: expected a list of texts, got the single text 'llm'"),
    ("account", "tags", {"a": "b"}, "tags: expected a list of texts, got {'a': 'b'}"),
    ("account", "title", ["T"], "title: expected text, got list ['T']"),
    ("source", "cites", "s2", "cites: expected a list of texts, got the single text 's2'"),
    ("source", "authors", "Bo", "authors: expected a list of texts, got the single text 'Bo'"),
    ("actor", "aliases", "A", "aliases: expected a list of texts, got the single text 'A'"),
    ("actor", "names", "A", "names: expected a table of language = text"),
    ("actor", "names", ["en", "zh"], "names: expected a table of language = text"),
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["toml", "json", "jsonl"])
@pytest.mark.parametrize(("kind", "field", "value", "expected"), WRONG_SHAPES)
def test_wrong_shapes_are_named(
    tmp_path: Path, fmt: str, kind: str, field: str, value: Any, expected: str
) -> None:
    base = {
        "account": dict(ACCOUNT),
        "source": {"id": "s1", "title": "S", "kind": "news", "published": "2023-03-24"},
        "actor": {"id": "acme", "name": "Acme", "kind": "company"},
    }[kind]
    p = _write(tmp_path, fmt, kind, {**base, field: value})
    with pytest.raises(LedgerError) as e:
        chronicle.load(p)
    messages = [f.message for f in e.value.findings]
    assert any(expected in m for m in messages), messages
    for m in messages:
        assert "unknown error" not in m and "has no attribute" not in m, m
    # a text is never taken for a list of its characters: one finding, not one per letter
    assert (
        len([m for m in messages if m.startswith((f"{field}:", f"{field}[", f"{field} must"))]) == 1
    )
    assert all(f.path == str(p) for f in e.value.findings)


def test_wrong_shape_through_check_names_file_line_and_record(tmp_path: Path) -> None:
    p = _write(tmp_path, "toml", "account", {**ACCOUNT, "citations": ["s1"]})
    code, out, _ = run("check", str(p))
    assert code == 1
    assert out.strip().endswith(
        """a1: citations[0]: expected a table like { source = "s1" }, got 's1'"""
    )
    assert out.startswith(f"{p}:")


# -- D. standard output that cannot be written ---------------------------------------------


def _cli(*argv: str, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "chronicle", *argv], cwd=ROOT, capture_output=False, **kw
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize(
    "argv",
    [
        ["table", str(FIXTURE)],
        ["export", "csv", str(FIXTURE)],
        ["export", "ics", str(FIXTURE)],
        ["parse", "2023"],
        ["--help"],
    ],
)
def test_a_full_disk_is_an_error_not_a_traceback(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = _cli(*argv, stdout=full, stderr=subprocess.PIPE)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err == "chronicle: cannot write to standard output: [Errno 28] No space left on device\n"


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    accounts = "".join(
        f'[[account]]\nid = "a{i}"\nkind = "launch"\ntitle = "Invented title {i}"\n'
        f'when = "2023-01-{i % 28 + 1:02d}"\n[[account.citations]]\nsource = "s1"\n\n'
        for i in range(2000)
    )
    big.write_text(SOURCE_TOML + "\n" + accounts, encoding="utf-8")
    for argv in (["table", str(big)], ["export", "csv", str(big)]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "chronicle", *argv],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # the reader goes away, as `| head -1` does
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.wait() == 0, err
        assert err == ""


def test_write_errors_from_main_are_reported_on_its_stderr() -> None:
    class Full(io.StringIO):
        def write(self, s: str) -> int:
            raise OSError(28, "No space left on device")

    err = io.StringIO()
    assert main(["parse", "2023"], stdout=Full(), stderr=err) == 2
    assert err.getvalue() == (
        "chronicle: cannot write to standard output: [Errno 28] No space left on device\n"
    )


# -- E. the command line's own options -----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "上个月"], "--from '上个月' is relative"),
        (["--to", "last month"], "--to 'last month' is relative"),
        (["--as-of", "去年"], "--as-of '去年' is relative"),
        (["--from", "Smarch 2022"], "--from: cannot read 'Smarch 2022' as a date"),
    ],
)
def test_filter_dates_are_named_by_their_option(argv: list[str], message: str) -> None:
    for command in (["table"], ["export", "csv"]):
        code, out, err = run(*command, str(FIXTURE), *argv)
        assert code == 2 and out == ""
        assert err.startswith(f"chronicle: {message}"), err
        assert "ref=" not in err and "start:" not in err and "as_of:" not in err


def test_parse_names_ref() -> None:
    code, _, err = run("parse", "上个月")
    assert code == 2
    assert "pass --ref DATE" in err and "ref=..." not in err
    code, _, err = run("parse", "2023", "--ref", "xyz")
    assert code == 2 and err.startswith("chronicle: --ref: cannot read 'xyz' as a date")
    code, _, err = run("parse", "上个月", "--ref", "去年")
    assert code == 2 and err.startswith("chronicle: --ref '去年' is relative")
    code, _, err = run("parse", "3月16日", "--ref", "2023")
    assert code == 2 and "(--ref 2023)" in err
    code, out, _ = run("parse", "上个月", "--ref", "2023-03-24")
    assert code == 0 and "2023-02" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "ics", str(FIXTURE), "--name", ""],
        ["export", "md", str(FIXTURE), "--title", " "],
        ["export", "csv", str(FIXTURE), "--columns", ""],
        ["table", str(FIXTURE), "-c", ""],
        ["table", str(FIXTURE), "--lang", ""],
        ["table", str(FIXTURE), "--actor", ""],
        ["parse", "上个月", "--ref", ""],
    ],
)
def test_empty_option_values_are_errors(argv: list[str]) -> None:
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert "expected some text, got an empty one" in err


def test_columns_naming_nothing_are_errors() -> None:
    code, _, err = run("export", "csv", str(FIXTURE), "--columns", " , ")
    assert code == 2 and "--columns ' , ' names no column" in err
    code, _, err = run("table", str(FIXTURE), "-c", ",")
    assert code == 2 and "no columns" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["json", "--columns", "id", "--bom"], "--columns and --bom are for csv export only; json does not use them"),
        (["jsonl", "--lang", "en"], "--lang is for ics, csv, md, html export only; jsonl does not use it"),
        (["md", "--coarse", "skip"], "--coarse is for ics export only; md does not use it"),
        (["csv", "--open", "skip", "--lanes", "kind"], "--open is for ics export only; --lanes is for html export only; csv does not use them"),
        (["ics", "--instant-minutes", "5", "--bom"], "--bom is for csv export only; ics does not use it"),
        (["csv", "--name", "N", "--title", "T"], "--name and --title are for ics, md, html export only; csv does not use them"),  # found by review
        (["html", "--columns", "id"], "--columns is for csv export only; html does not use it"),
    ],
)  # fmt: skip
def test_format_options_given_to_another_format_are_errors(
    argv: list[str], message: str, tmp_path: Path
) -> None:
    fmt, *options = argv
    code, out, err = run("export", fmt, str(FIXTURE), *options)
    assert code == 2 and out == ""
    assert err == f"chronicle: {message}\n"
    target = tmp_path / f"x.{fmt}"
    assert run("export", fmt, str(FIXTURE), *options, "-o", str(target))[0] == 2
    assert not target.exists()


def test_format_options_still_work_with_their_formats() -> None:
    code, out, _ = run("export", "csv", str(FIXTURE), "--columns", "id,title", "--bom")
    assert code == 0 and out.startswith("\ufeffid,title")
    code, out, _ = run("export", "ics", str(FIXTURE), "--coarse", "skip", "--open", "skip")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR")
    assert run("export", "html", str(FIXTURE), "--lanes", "kind", "--lang", "en")[0] == 0
    assert run("export", "md", str(FIXTURE), "--lang", "en", "--title", "T")[0] == 0


def test_main_writes_to_a_stream_whose_write_returns_nothing() -> None:
    """Found by review: ``codecs`` writers return None from ``write``."""
    import codecs

    raw = io.BytesIO()
    assert main(["parse", "2022-09"], stdout=codecs.getwriter("utf-8")(raw)) == 0
    assert "2022-09" in raw.getvalue().decode("utf-8")
