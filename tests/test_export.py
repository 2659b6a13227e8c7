"""JSON / JSON Lines (lossless), CSV (spreadsheet-safe) and Markdown exports, and their CLI.

The ledger in tests/fixtures/invented.toml and the ledgers built here are invented test data.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import (
    Account,
    ChronicleError,
    Citation,
    Ledger,
    Source,
    parse_when,
    to_csv,
    to_json,
    to_markdown,
)
from chronicle._display import Row
from chronicle._export import CSV_COLUMNS, neutralise, restrict
from chronicle.cli import main
from tests.golden import check_golden
from tests.strategies import ledgers

FIXTURE = Path(__file__).parent / "fixtures" / "invented.toml"
EVENTS = Path(__file__).resolve().parent.parent / "events"
HAS_SEED = (EVENTS / "sources.toml").exists()


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return chronicle.load(FIXTURE)


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize(("lines", "suffix"), [(False, "json"), (True, "jsonl")])
def test_json_round_trips_the_whole_ledger(
    tmp_path: Path, ledger: Ledger, lines: bool, suffix: str
) -> None:
    p = tmp_path / f"out.{suffix}"
    p.write_text(to_json(ledger, lines=lines), encoding="utf-8")
    again = chronicle.load(p)
    assert again == ledger
    assert again.tz == ledger.tz
    for a, b in zip(ledger.accounts, again.accounts, strict=True):
        assert a.when.text == b.when.text  # the researcher's wording survives
    # the very bytes the ledger itself would save
    ledger.save(tmp_path / f"saved.{suffix}")
    assert (tmp_path / f"saved.{suffix}").read_text(encoding="utf-8") == p.read_text(
        encoding="utf-8"
    )


def test_json_of_a_selection_keeps_what_it_depends_on(tmp_path: Path, ledger: Ledger) -> None:
    chosen = [ledger.account("lingxi-test")]
    p = tmp_path / "part.json"
    p.write_text(to_json(chosen, ledger=ledger), encoding="utf-8")
    again = chronicle.load(p)
    assert again == restrict(ledger, chosen)
    assert [a.id for a in again] == ["lingxi-test"]
    # daily-2023-03-24 is cited; it cites wire-2023-03-20, which must come along
    assert set(again.sources) == {"daily-2023-03-24", "wire-2023-03-20"}
    # lingxi is part of acme
    assert set(again.actors) == {"lingxi", "acme"}
    assert again.account("lingxi-test").when == ledger.account("lingxi-test").when


def test_json_of_every_account_is_the_whole_ledger(ledger: Ledger) -> None:
    assert to_json(list(reversed(ledger.accounts)), ledger=ledger) == to_json(ledger)


def test_json_errors(ledger: Ledger) -> None:
    with pytest.raises(ChronicleError, match="needs the ledger"):
        to_json(ledger.accounts)
    stranger = Account(
        id="x", kind="k", title="t", when=parse_when("2023"), citations=[Citation(source="s")]
    )
    with pytest.raises(ChronicleError, match="not in this ledger"):
        to_json([stranger], ledger=ledger)
    row = Row(key="k", id="k", when=parse_when("2023"), title="t", kind="k")
    with pytest.raises(ChronicleError, match="merge --json"):
        to_json([row], ledger=ledger)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(ledgers(), st.data())
def test_any_ledger_and_any_selection_round_trip(
    tmp_path: Path, led: Ledger, data: st.DataObject
) -> None:
    chosen = (
        data.draw(st.lists(st.sampled_from(led.accounts), unique_by=lambda a: a.id))
        if len(led)
        else []
    )
    for lines, suffix in ((False, "json"), (True, "jsonl")):
        p = tmp_path / f"x.{suffix}"
        p.write_text(to_json(led, lines=lines), encoding="utf-8")
        assert chronicle.load(p) == led
        p.write_text(to_json(chosen, ledger=led, lines=lines), encoding="utf-8")
        part = chronicle.load(p)
        assert part == restrict(led, chosen)
        assert {a.id for a in part} == {a.id for a in chosen}


# ---------------------------------------------------------------------------- CSV


def _read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_one_row_per_item(ledger: Ledger) -> None:
    text = to_csv(ledger)
    assert text.startswith("id,event,date,edtf,")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    rows = _read_csv(text)
    assert [r["id"] for r in rows] == [a.id for a in ledger]
    by_id = {r["id"]: r for r in rows}
    r = by_id["cloud-customers"]
    assert (r["date"], r["edtf"], r["precision"], r["tz"]) == (
        "2022-Q4",
        "2022-36",
        "quarter",
        "Asia/Shanghai",
    )
    assert (r["earliest"], r["latest"]) == (
        "2022-10-01T00:00:00+08:00",
        "2022-12-31T23:59:59.999999+08:00",
    )
    assert (r["quantity"], r["quantity_value"], r["quantity_unit"], r["quantity_bound"]) == (
        "≥ 80,000 家企业",
        "80000",
        "家企业",
        "at_least",
    )
    r = by_id["lingxi-launch"]
    assert r["actors"] == "示例科技; 灵犀大模型"
    assert r["actor_ids"] == "acme; lingxi"
    assert r["sources"] == "daily-2023-03-24; wire-2023-03-20"
    assert r["source_titles"] == "示例日报：大模型一周; Wire: model launches, week 12"
    assert r["url"] == "https://example.com/daily/2023-03-24"
    assert by_id["api-deadline"]["earliest"] == ""
    assert by_id["lingxi-2"]["status"] == "planned"
    assert by_id["strategy-2022"]["title"] == 'All in AI strategy, "phase one"'


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+41 22", "'+41 22"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("+1.5e3", "+1.5e3"),
        ("80000", "80000"),
        ("a=b", "a=b"),
        ("文心一言", "文心一言"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_csv_neutralises_every_column(ledger: Ledger) -> None:
    rows = _read_csv(to_csv(ledger))
    by_id = {r["id"]: r for r in rows}
    assert (
        by_id["wire-utc"]["title"] == '\'=HYPERLINK("http://evil.example") statement at 09:30 UTC'
    )
    row = Row(
        key="k",
        id="=id",
        when=parse_when("2023"),
        title="@t",
        kind="k",
        actors=("+a",),
        place="-p",
        notes=("=n",),
    )
    (r,) = _read_csv(to_csv([row]))
    assert (r["id"], r["title"], r["actors"], r["place"], r["note"]) == (
        "'=id",
        "'@t",
        "'+a",
        "'-p",
        "'=n",
    )


@settings(max_examples=60)
@given(ledgers())
def test_no_csv_cell_starts_a_formula(led: Ledger) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(led), newline="")))
    assert len(rows) == 1 + len(led)
    for row in rows:
        assert len(row) == len(CSV_COLUMNS)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(
                r"[+-][\d.eE+-]+", cell
            )


def test_csv_bom_and_columns(ledger: Ledger) -> None:
    text = to_csv(ledger, bom=True, columns=["date", "title"])
    assert text.startswith("\ufeffdate,title\r\n")
    assert text.encode("utf-8")[:3] == b"\xef\xbb\xbf"
    assert len(_read_csv(text.lstrip("\ufeff"))) == len(ledger)
    with pytest.raises(ChronicleError, match=r"unknown CSV column.*'colour'"):
        to_csv(ledger, columns=["date", "colour"])


def test_csv_lang(ledger: Ledger) -> None:
    (r,) = _read_csv(to_csv([ledger.account("lingxi-launch")], ledger=ledger, lang="en"))
    assert (r["title"], r["actors"]) == ("Lingxi model launched", "Acme Tech; Lingxi")


# ----------------------------------------------------------------------- Markdown


def test_markdown_by_year_with_footnotes(ledger: Ledger) -> None:
    md = to_markdown(ledger, title="示例时间线")
    lines = md.splitlines()
    assert lines[0] == "# 示例时间线"
    assert [line for line in lines if line.startswith("## ")] == ["## 2022", "## 2023"]
    y2022, y2023 = md.index("## 2022"), md.index("## 2023")
    assert (
        y2022
        < md.index("**2022-09** 灵犀邀请测试开始")
        < y2023
        < md.index("**2023-03-16** 灵犀大模型发布")
    )
    # each item lists its footnotes; each footnote gives title, publisher, date, locator, URL
    item = next(line for line in lines if "灵犀大模型发布" in line)
    refs = re.findall(r"\[\^(\d+)\]", item)
    assert len(refs) == 2
    notes = {m.group(1): m.group(2) for m in re.finditer(r"^\[\^(\d+)\]: (.*)$", md, re.M)}
    assert (
        notes[refs[0]]
        == "“示例日报：大模型一周”, 示例日报 (Example Daily), 2023-03-24, ¶3. <https://example.com/daily/2023-03-24>"
    )
    assert (
        notes[refs[1]]
        == "“Wire: model launches, week 12”, Example Wire, 2023-03-20. <https://example.org/wire/12?lang=en&x=a,b>"
    )
    # every footnote is used, numbered in order of first use
    used = [int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", md)]
    assert sorted(set(used)) == list(range(1, len(notes) + 1))
    assert list(dict.fromkeys(used)) == sorted(set(used))
    # dates at their own precision, approximate and open ones too, notes under their item
    assert "- **\\~2022** All in AI strategy" in md
    assert "- **≤ 2023-03-17 14:00 +08** API 申请截止" in md
    assert "  - Wording of the strategy is the outlet's." in md
    assert "(planned)" in md
    assert "≥ 80,000 家企业" in md


def test_markdown_escapes_markup() -> None:
    src = Source(id="s", title="[link](http://x) *bold*", kind="news", url="https://e.com/a b<c>")
    title = "Line one\nline two <script>alert(1)</script> *not bold* `code` | pipe [^9]"
    acc = Account(
        id="a",
        kind="launch",
        title=title,
        when=parse_when("2023-03-16"),
        citations=[Citation(source="s")],
    )
    md = to_markdown(Ledger(sources=[src], accounts=[acc]))
    item = next(line for line in md.splitlines() if line.startswith("- "))
    for escaped in ("\\<script\\>", "\\*not bold\\*", "\\`code\\`", "\\|"):
        assert escaped in item
    assert "Line one line two" in item
    assert "\\[^9\\]" in item
    assert (
        md.splitlines()[-1]
        == "[^1]: “\\[link\\](http://x) \\*bold\\*”. <https://e.com/a%20b%3Cc%3E>"
    )


def test_markdown_empty_and_lang(ledger: Ledger) -> None:
    assert to_markdown([]) == "# Chronology\n\n*No items.*\n"
    md = to_markdown([ledger.account("lingxi-launch")], ledger=ledger, lang="en")
    assert "**2023-03-16** Lingxi model launched — *launch* · Acme Tech, Lingxi · 北京" in md


# ---------------------------------------------------------------------------- CLI


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "md", "ics"])
def test_cli_export_stdout_and_file_agree(tmp_path: Path, fmt: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["export", fmt, str(FIXTURE)], stdout=out, stderr=err) == 0, err.getvalue()
    target = tmp_path / f"out.{fmt}"
    assert (
        main(["export", fmt, str(FIXTURE), "-o", str(target)], stdout=io.StringIO(), stderr=err)
        == 0
    )
    assert target.read_bytes() == out.getvalue().encode("utf-8")
    assert f"wrote {target}" in err.getvalue()


def test_cli_export_json_loads_back(tmp_path: Path, ledger: Ledger) -> None:
    target = tmp_path / "out.jsonl"
    assert (
        main(
            ["export", "jsonl", str(FIXTURE), "-o", str(target)],
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        == 0
    )
    assert chronicle.load(target) == ledger


def test_cli_export_options(ledger: Ledger) -> None:
    out = io.StringIO()
    assert (
        main(["export", "csv", str(FIXTURE), "--bom", "--columns", "date,title"], stdout=out) == 0
    )
    assert out.getvalue().startswith("\ufeffdate,title\r\n")
    out = io.StringIO()
    assert main(["export", "md", str(FIXTURE), "--title", "示例", "--lang", "en"], stdout=out) == 0
    assert out.getvalue().startswith("# 示例\n")
    assert "Lingxi model launched" in out.getvalue()


def test_cli_export_writes_bytes_to_a_binary_stdout(ledger: Ledger) -> None:
    raw = io.BytesIO()
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    assert main(["export", "ics", str(FIXTURE)], stdout=text, stderr=io.StringIO()) == 0
    text.flush()
    assert raw.getvalue() == chronicle.to_ics(ledger)  # CRLF kept, no newline translation


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["xml", str(FIXTURE)], "invalid choice: 'xml'"),
        (["csv", str(FIXTURE), "--columns", "colour"], "unknown CSV column(s) 'colour'"),
        (["json", "/nonexistent/ledger.toml"], "no such file or folder"),
    ],
)
def test_cli_export_errors(args: list[str], message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["export", *args], stdout=out, stderr=err) == 2
    assert message in err.getvalue()
    assert out.getvalue() == ""


# ------------------------------------------------------------------------ goldens


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "md"])
def test_golden_invented(fmt: str) -> None:
    out = io.StringIO()
    titled = ["--title", "示例时间线"] if fmt == "md" else []  # the others take no title
    assert main(["export", fmt, str(FIXTURE), *titled], stdout=out, stderr=io.StringIO()) == 0
    check_golden(f"invented.{fmt}", out.getvalue().encode("utf-8"))


@pytest.mark.skipif(not HAS_SEED, reason="no seed ledger")
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "md", "ics"])
def test_golden_seed(fmt: str) -> None:
    out = io.StringIO()
    args = ["export", fmt, str(EVENTS)]
    if fmt in ("md", "ics"):  # json, jsonl and csv take no name or title
        args += ["--name", "中国大模型时间线", "--title", "中国大模型时间线"]
    assert main(args, stdout=out, stderr=io.StringIO()) == 0
    check_golden(f"seed.{fmt}", out.getvalue().encode("utf-8"))


@pytest.mark.skipif(not HAS_SEED, reason="no seed ledger")
def test_seed_json_round_trips(tmp_path: Path) -> None:
    seed = chronicle.load(EVENTS)
    for lines, suffix in ((False, "json"), (True, "jsonl")):
        p = tmp_path / f"seed.{suffix}"
        p.write_text(to_json(seed, lines=lines), encoding="utf-8")
        assert chronicle.load(p) == seed


@pytest.mark.skipif(not HAS_SEED, reason="no seed ledger")
def test_seed_markdown_footnotes_every_source_cited() -> None:
    seed = chronicle.load(EVENTS)
    md = to_markdown(seed)
    cited = {c.source for a in seed for c in a.citations}
    for sid in cited:
        assert f"“{seed.source(sid).title}”" in md.replace("\\", ""), sid
    assert sum(1 for line in md.splitlines() if line.startswith("- **")) == len(seed)


def test_cli_export_merged() -> None:
    from chronicle._display import to_row
    from chronicle._merge_result import MergedEvent

    err = io.StringIO()
    assert main(["export", "json", str(FIXTURE), "--merged"], stdout=io.StringIO(), stderr=err) == 2
    assert "chronicle merge --json" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = main(["export", "md", str(FIXTURE), "--merged"], stdout=out, stderr=err)
    if to_row.dispatch(MergedEvent) is to_row.dispatch(object):  # no adapter registered yet
        assert code == 2
        assert "row adapter" in err.getvalue()
    else:
        assert code == 0, err.getvalue()
        assert out.getvalue().startswith("# Chronology\n")


def test_export_refuses_to_overwrite_the_ledger_it_reads(tmp_path: Path) -> None:
    import shutil

    from chronicle.cli import main as cli

    ledger_dir = tmp_path / "ev"
    shutil.copytree(Path(__file__).resolve().parent.parent / "events", ledger_dir)
    before = (ledger_dir / "baidu.toml").read_bytes()
    err = io.StringIO()
    code = cli(
        ["export", "json", str(ledger_dir), "-o", str(ledger_dir / "baidu.toml")],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert code == 2 and "part of the ledger being read" in err.getvalue()
    assert (ledger_dir / "baidu.toml").read_bytes() == before
    err = io.StringIO()
    code = cli(
        ["export", "json", str(ledger_dir), "-o", str(tmp_path / "x.toml")],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert code == 2 and "its suffix says toml" in err.getvalue()
