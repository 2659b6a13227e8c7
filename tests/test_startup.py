"""Starting fast: what ``import chronicle`` and ``chronicle table`` load, and what they leave.

Issue 4: ``chronicle table events/`` should start within twice the time of importing
pendulum, attrs and cattrs (``bench/startup.py`` measures it). These tests keep the
modules that only some commands need -- iCalendar, HTML, CSV/JSON export, merging,
appending -- off the paths that do not, each in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import chronicle
from chronicle import cli

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "invented.toml"

# loaded only by the commands (and functions) that need them
NOT_FOR_A_TABLE = (
    "icalendar",
    "msgspec",
    "numpy",  # the query index, for big ledgers only
    "chronicle._append",
    "chronicle._bulk",
    "chronicle._cli_add",
    "chronicle._cli_export",
    "chronicle._cli_merge",
    "chronicle._export",
    "chronicle._html",
    "chronicle._ical",
    "chronicle._merge*",
    "chronicle._write",
)
NOT_ON_IMPORT = (
    *NOT_FOR_A_TABLE,
    "tabulate",
    "wcwidth",
    "chronicle.cli",
    "chronicle._cli_table",
    "chronicle._query",
    "chronicle._table",
    "chronicle._textwidth",
)


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    code += "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Those of ``modules`` that ``names`` name: a package with its submodules, and
    ``prefix*`` every module whose name starts so."""
    return sorted(
        m
        for m in modules
        for n in names
        if (m.startswith(n[:-1]) if n.endswith("*") else m == n or m.startswith(n + "."))
    )


def test_import_chronicle_loads_no_command_machinery() -> None:
    assert _loaded(_modules_after("import chronicle"), NOT_ON_IMPORT) == []


def test_table_command_loads_no_export_merge_or_append_machinery() -> None:
    ledger = EVENTS if (EVENTS / "sources.toml").exists() else FIXTURE
    code = (
        "import io\nfrom chronicle.cli import main\n"
        f"assert main(['table', {str(ledger)!r}], stdout=io.StringIO()) == 0"
    )
    modules = _modules_after(code)
    assert "tabulate" in modules  # it did make a table
    assert _loaded(modules, NOT_FOR_A_TABLE) == []


def test_every_public_name_resolves() -> None:
    for name in chronicle.__all__:
        assert getattr(chronicle, name) is not None, name
    assert set(chronicle.__all__) <= set(dir(chronicle))
    namespace: dict[str, object] = {}
    exec("from chronicle import *", namespace)
    assert set(chronicle.__all__) <= set(namespace)
    assert namespace["append_account"] is chronicle.append_account


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = chronicle.nothing


def test_each_command_module_registers_its_commands() -> None:
    import argparse

    for command, module in cli._COMMAND_MODULES.items():
        sub = argparse.ArgumentParser().add_subparsers()
        __import__(f"chronicle.{module}", fromlist=["register"]).register(sub)
        assert command in sub.choices, (command, module)
    parser = cli._build_parser()
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(action.choices) == {"parse", "check", *cli._COMMAND_MODULES}


@pytest.mark.parametrize(
    ("argv", "wanted", "unwanted"),
    [
        (["table", "x"], {"table"}, {"add", "export", "merge"}),
        (["conflicts", "x"], {"conflicts", "merge"}, {"table"}),
        (["parse", "2023"], {"parse", "check"}, {"table"}),
        (["--help"], {"table", "add", "export", "merge", "conflicts"}, set()),
        (["tabel", "x"], {"table", "add", "export", "merge", "conflicts"}, set()),
    ],
)
def test_a_command_gets_the_parser_it_needs(
    argv: list[str], wanted: set[str], unwanted: set[str]
) -> None:
    import argparse

    parser = cli._build_parser(argv)
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert wanted <= set(action.choices)
    assert not unwanted & set(action.choices)


def test_help_and_a_mistyped_command_list_every_command() -> None:
    import io

    out = io.StringIO()
    assert cli.main(["--help"], stdout=out) == 0
    for command in ("parse", "check", *cli._COMMAND_MODULES):
        assert command in out.getvalue()
    err = io.StringIO()
    assert cli.main(["tabel", "x"], stdout=io.StringIO(), stderr=err) == 2
    assert "invalid choice: 'tabel'" in err.getvalue() and "conflicts" in err.getvalue()


def test_the_program_freezes_the_heap_before_exiting_a_call_does_not() -> None:
    import gc
    import io

    before = gc.get_freeze_count()
    assert cli.main(["--version"], stdout=io.StringIO()) == 0
    assert gc.get_freeze_count() == before
    code = (
        "import gc, sys\nfrom chronicle.cli import main, program\n"
        "sys.argv = ['chronicle', '--version']\n"
        "assert main() == 0 and gc.get_freeze_count() == 0\n"
        "assert program() == 0\n"
        "print(gc.get_freeze_count() > 0)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "True"
