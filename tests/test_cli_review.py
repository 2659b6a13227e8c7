"""Command-line problems found by review: each test failed before its fix."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from chronicle.cli import main

EVENTS = Path(__file__).resolve().parent.parent / "events"


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# -- merged views as of a date apply only the resolutions recorded by then ---------------

PINNED = """\
[ledger]
tz = "Asia/Shanghai"

[[source]]
id = "daily"
title = "Daily"
kind = "news"
published = "2023-03-20"

[[source]]
id = "weekly"
title = "Weekly"
kind = "news"
published = "2023-03-22"

[[actor]]
id = "acme"
name = "Acme"
kind = "company"

[[account]]
id = "launch-daily"
event = "launch"
kind = "launch"
title = "Acme launches"
when = "2023-03-16"
actors = ["acme"]
[[account.citations]]
source = "daily"

[[account]]
id = "launch-weekly"
event = "launch"
kind = "launch"
title = "Acme launches"
when = "2023-03-17"
actors = ["acme"]
[[account.citations]]
source = "weekly"

[[resolution]]
id = "pin"
event = "launch"
field = "when"
account = "launch-daily"
reason = "the press release says the 16th"
recorded = "2023-03-25"
"""


@pytest.fixture
def pinned(tmp_path: Path) -> Path:
    p = tmp_path / "pinned.toml"
    p.write_text(PINNED, encoding="utf-8")
    return p


def _statuses(command: str, path: Path, day: str) -> list[str]:
    if command == "table":
        code, out, err = run(
            "table", path, "--merged", "--as-of", day, "-c", "status", "-f", "plain"
        )
        assert code == 0, err
        return [line.strip() for line in out.splitlines()[1:]]
    if command == "csv":
        code, out, err = run(
            "export", "csv", path, "--merged", "--as-of", day, "--columns", "status"
        )
        assert code == 0, err
        return [r["status"] for r in csv.DictReader(io.StringIO(out))]
    if command == "md":
        code, out, err = run("export", "md", path, "--merged", "--as-of", day)
        assert code == 0, err
        return re.findall(r"^- .*\((\w+)\)", out, flags=re.M)
    code, out, err = run("merge", path, "--as-of", day)
    assert code == 0, err
    return [line.split()[1] for line in out.splitlines()]


@pytest.mark.parametrize("command", ["table", "csv", "md", "merge"])
def test_merged_as_of_applies_only_the_resolutions_recorded_by_then(
    pinned: Path, command: str
) -> None:
    assert _statuses(command, pinned, "2023-03-24") == ["resolved"]  # the pin came later
    assert _statuses(command, pinned, "2023-03-25") == ["pinned"]
    assert _statuses(command, pinned, "2023-03-26") == ["pinned"]


# -- export --help groups each option under the formats it applies to -------------------


def _help_groups() -> dict[str, str]:
    code, out, _ = run("export", "--help")
    assert code == 0
    groups: dict[str, str] = {}
    name = ""
    for line in out.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            name = line[:-1]
            groups[name] = ""
        elif name:
            groups[name] += line + "\n"
    return groups


def test_export_help_lists_each_option_under_the_formats_it_applies_to() -> None:
    groups = _help_groups()
    options = {
        "every format but json and jsonl": ["--lang", "--merged"],
        "ics, md and html": ["--name", "--title"],
        "ics": ["--coarse", "--open", "--instant-minutes"],
        "csv": ["--bom", "--columns"],
        "html": ["--lanes"],
    }
    for group, wanted in options.items():
        found = re.findall(r"^  (--[a-z-]+)", groups[group], flags=re.M)
        assert found == wanted, group
    # and the formats named are those the options really work with
    from chronicle._cli_export import FORMAT_OPTIONS

    assert FORMAT_OPTIONS["name"][1] == FORMAT_OPTIONS["title"][1] == ("ics", "md", "html")
    assert FORMAT_OPTIONS["lang"][1] == ("ics", "csv", "md", "html")


@pytest.mark.parametrize("fmt", ["ics", "csv", "md", "html"])
def test_export_merged_works_for_every_format_but_json(pinned: Path, fmt: str) -> None:
    code, out, err = run("export", fmt, pinned, "--merged")
    assert code == 0, err
    assert "pinned" in out


# -- a name the ledger does not have: suggestions, and kind or tag errors too -----------


def test_unknown_source_suggests_the_ids_starting_with_it() -> None:
    code, out, err = run("table", EVENTS, "--source", "leiphone")
    assert code == 2 and out == ""
    assert err == (
        "chronicle: no source called 'leiphone' in this ledger; "
        "did you mean 'leiphone-2023-03-24'?\n"
    )


def test_unknown_actor_suggests_the_names_starting_with_it() -> None:
    code, _, err = run("table", EVENTS, "--actor", "Tsinghua")
    assert code == 2
    assert "no actor called 'Tsinghua'" in err
    assert "'tsinghua university institute for ai international governance'" in err
    code, _, err = run("table", EVENTS, "--actor", "bai")
    assert code == 2 and "'baidu', 'baidu ai cloud'" in err and "more starting with 'bai'" in err


def test_spelled_alike_names_are_still_suggested() -> None:
    code, _, err = run("table", EVENTS, "--source", "leifeng-2023-03-24")
    assert code == 2 and "did you mean 'leiphone-2023-03-24'?" in err


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--kind", "lanch", "no account has the kind 'lanch'; did you mean 'launch'?"),
        ("--kind", "Launch", "no account has the kind 'Launch'; did you mean 'launch'?"),
        ("--tag", "chip", "no account has the tag 'chip'; did you mean 'chips'"),
        ("--tag", "nothing-like-it", "no account has the tag 'nothing-like-it'; the ledger's tags: ai, api,"),
    ],
)  # fmt: skip
def test_unknown_kind_or_tag_is_an_error_with_a_suggestion(
    option: str, value: str, said: str
) -> None:
    for command in (["table"], ["export", "csv"]):
        code, out, err = run(*command, EVENTS, option, value)
        assert code == 2 and out == ""
        assert err.startswith(f"chronicle: {said}"), err
        assert len(err.splitlines()) == 1


def test_known_kind_and_tag_with_no_match_among_the_others_is_an_empty_table() -> None:
    code, out, err = run("table", EVENTS, "--kind", "launch", "--tag", "finance", "-c", "id")
    assert code == 0, err
    assert out.splitlines()[2:] == []  # header and rule only


# -- usage errors: one line naming the command and the bad option, and where to look ----


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["export", "ics", str(EVENTS), "--open", "bogus"],
         "chronicle export: argument --open: invalid choice: 'bogus' (choose from 'bound-day', "
         "'skip'); see chronicle export --help"),
        (["table", str(EVENTS), "--bogus"],
         "chronicle table: unrecognized arguments: --bogus; see chronicle table --help"),
        (["merge", str(EVENTS), "--strict"],
         "chronicle merge: unrecognized arguments: --strict; see chronicle merge --help"),
        (["table"], "chronicle table: the following arguments are required: PATH; "
         "see chronicle table --help"),
        (["tabel", str(EVENTS)], "chronicle: argument COMMAND: invalid choice: 'tabel'"),
        (["--bogus", "table", str(EVENTS)],  # before the command: chronicle's own option
         "chronicle: unrecognized arguments: --bogus; see chronicle --help"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line(argv: list[str], said: str) -> None:
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert err.startswith(said)
    assert len(err.splitlines()) == 1
    assert "usage:" not in err


# -- the order of output does not depend on file names ----------------------------------

HEAD = """\
[ledger]
tz = "Asia/Shanghai"

[[source]]
id = "daily"
title = "Daily"
kind = "news"
published = "2023-03-24"

[[actor]]
id = "acme"
name = "Acme"
kind = "company"
"""


def _account(id: str, when: str) -> str:
    return f"""
[[account]]
id = "{id}"
kind = "launch"
title = "Title of {id}"
when = "{when}"
actors = ["acme"]
[[account.citations]]
source = "daily"
"""


def _split_ledger(folder: Path, first: str, second: str) -> Path:
    """The same ledger, split into files ``first`` and ``second`` (read in name order)."""
    folder.mkdir()
    (folder / first).write_text(
        HEAD + _account("zeta", "2023-03-16") + _account("beta", "2023-02"), encoding="utf-8"
    )
    (folder / second).write_text(
        _account("alpha", "2023-03-16") + _account("gamma", "2023-02"), encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["table", "-c", "id", "-f", "plain"],
        ["export", "csv", "--columns", "id"],
        ["export", "md"],
    ],
)
def test_equal_dates_are_ordered_by_id_whatever_the_files_are_called(
    tmp_path: Path, command: list[str]
) -> None:
    one = _split_ledger(tmp_path / "one", "a.toml", "b.toml")
    other = _split_ledger(tmp_path / "other", "z.toml", "b.toml")  # read the other way round
    outputs = []
    for folder in (one, other):
        code, out, err = (
            run(*command[:2], folder, *command[2:])
            if command[0] == "export"
            else (run(command[0], folder, *command[1:]))
        )
        assert code == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]
    found = re.findall(r"\b(alpha|beta|gamma|zeta)\b", outputs[0])
    assert list(dict.fromkeys(found)) == ["beta", "gamma", "alpha", "zeta"]


# -- check lists problems in file and line order ---------------------------------------

BROKEN = """\
[[source]]
id = "s"
title = "S"
kind = "news"
published = "2023-03-24"

[[account]]
id = "a"
kind = "launch"
title = "A"
when = "not a date"
actors = ["ghost"]
[[account.citations]]
source = "nope"

[[account]]
id = "b"
kind = "launch"
title = "B"
when = "also not a date"
actors = ["ghost"]
[[account.citations]]
source = "nope"
"""


def test_check_lists_problems_by_file_then_line(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "a.toml").write_text(BROKEN.replace('id = "', 'id = "x'), encoding="utf-8")
    code, out, _ = run("check", tmp_path)
    assert code == 1
    places = [line.split(": ", 2)[:2] for line in out.splitlines()]
    assert len(places) == 12
    keys = [(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1]), record) for p, record in places]
    assert keys == sorted(keys)
    assert [k[1] for k in keys[:6]] == [7, 7, 7, 16, 16, 16]
    # and the same order when another command refuses the ledger
    code, _, err = run("table", tmp_path)
    assert code == 2
    assert err.splitlines()[:-1] == out.splitlines()


# -- a file named twice is read once ------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        [EVENTS / "baidu.toml"],
        [EVENTS],
        [EVENTS / "baidu.toml", EVENTS / "baidu.toml"],
        [EVENTS / ".." / "events" / "sources.toml"],
    ],
)
def test_a_file_named_again_is_read_once(extra: list[Path]) -> None:
    _, once, _ = run("table", EVENTS, "-c", "id")
    code, out, err = run("table", EVENTS, *extra, "-c", "id")
    assert code == 0, err
    assert out == once
    code, _, err = run("check", EVENTS, *extra)
    assert code == 0, err
    code, _, err = run("export", "json", *extra, EVENTS)
    assert code == 0, err


# -- --min and --max read numbers as the ledger does ---------------------------------------


@pytest.mark.parametrize(
    ("given", "same_as"), [("8万", "80000"), ("0.8万", "8000"), ("1.4 million", "1400000")]
)
def test_min_and_max_take_the_number_forms_of_the_ledger(given: str, same_as: str) -> None:
    for option in ("--min", "--max"):
        code, out, err = run("table", EVENTS, option, given, "-c", "id")
        assert code == 0, err
        assert out == run("table", EVENTS, option, same_as, "-c", "id")[1]
    assert (
        "ernie-bot-api-applications-leiphone" in run("table", EVENTS, "--min", "8万", "-c", "id")[1]
    )
    code, _, err = run("table", EVENTS, "--min", "lots")
    assert code == 2 and "argument --min: expected a number" in err


# -- add: quantity options in command-line terms; --value-as-of ------------------------------


@pytest.fixture
def ledger_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "events"
    shutil.copytree(EVENTS, folder)
    return folder


ADD = [
    "--id", "new-metric", "--kind", "metric", "--title", "新指标", "--when", "2023-03-16",
    "--source", "leiphone-2023-03-24", "--actor", "baidu",
]  # fmt: skip


def _added(folder: Path) -> dict[str, object]:
    data = tomllib.loads((folder / "baidu.toml").read_text(encoding="utf-8"))
    (account,) = [a for a in data["account"] if a["id"] == "new-metric"]
    return dict(account)


def test_add_bound_between_without_upper_says_so_in_cli_terms(ledger_copy: Path) -> None:
    before = (ledger_copy / "baidu.toml").read_bytes()
    argv = ["add", ledger_copy / "baidu.toml", *ADD, "--value", "1", "--unit", "家"]
    code, _, err = run(*argv, "--bound", "between")
    assert code == 2
    assert err == "chronicle: --bound between needs --upper VALUE\n"
    code, _, err = run(*argv, "--upper", "2")
    assert code == 2 and err == "chronicle: --upper VALUE is for --bound between\n"
    code, _, err = run("add", ledger_copy / "baidu.toml", *ADD, "--bound", "at_least")
    assert code == 2 and err == "chronicle: --bound is for a quantity: give --value too\n"
    code, _, err = run("add", ledger_copy / "baidu.toml", *ADD, "--unit", "家")
    assert code == 2 and err == "chronicle: --unit is for a quantity: give --value too\n"
    code, _, err = run("add", ledger_copy / "baidu.toml", *ADD, "--value", "5")
    assert code == 2 and err.startswith("chronicle: --value needs --unit")
    assert (ledger_copy / "baidu.toml").read_bytes() == before
    code, _, err = run(*argv, "--bound", "between", "--upper", "2")
    assert code == 0, err
    assert _added(ledger_copy)["quantity"] == {
        "value": 1, "unit": "家", "bound": "between", "upper": 2
    }  # fmt: skip


def test_add_value_as_of_and_its_deprecated_name(ledger_copy: Path) -> None:
    argv = ["add", ledger_copy / "baidu.toml", *ADD, "--value", "8万", "--unit", "家"]
    code, _, err = run(*argv, "--value-as-of", "2022-12")
    assert code == 0, err
    assert "deprecated" not in err
    assert _added(ledger_copy)["quantity"] == {"value": 80000, "unit": "家", "as_of": "2022-12"}


def test_add_as_of_still_works_with_a_warning(ledger_copy: Path) -> None:
    argv = ["add", ledger_copy / "baidu.toml", *ADD, "--value", "8万", "--unit", "家"]
    code, _, err = run(*argv, "--as-of", "2022-12")
    assert code == 0, err
    assert err.splitlines()[0] == "chronicle: add --as-of is deprecated; use --value-as-of"
    assert _added(ledger_copy)["quantity"] == {"value": 80000, "unit": "家", "as_of": "2022-12"}
    code, _, err = run(*argv, "--as-of", "2022-12", "--value-as-of", "2022-12")
    assert code == 2 and "give --value-as-of only" in err
    code, out, _ = run("add", "--help")
    assert "--value-as-of" in out and "--as-of" not in out.replace("--value-as-of", "")
