"""Terminal tables: CJK alignment, terminal safety, fitting a width, the CLI.

The ledger in tests/fixtures/invented.toml and the extra rows below are invented test data.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wcwidth import wcswidth

import chronicle
from chronicle import (
    Account,
    ChronicleError,
    Citation,
    Ledger,
    Quantity,
    Source,
    parse_when,
    to_table,
)
from chronicle._display import Row
from chronicle._table import COLUMNS, clean, truncate
from chronicle.cli import main
from tests.golden import check_golden

FIXTURE = Path(__file__).parent / "fixtures" / "invented.toml"
EVENTS = Path(__file__).resolve().parent.parent / "events"
FORMATS = ("plain", "simple", "grid", "github")


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return chronicle.load(FIXTURE)


def _cjk_rows() -> list[Row]:
    """Rows mixing wide and narrow text in every column."""
    titles = [
        "文心一言发布",
        "GPT-4与文心一言一样火爆出圈",
        "ＡＩ大底座（全角）",
        "ソフトバンクと提携",
        "하이퍼클로바 출시",
        "plain ASCII title",
        "混合 mixed 文字 text",
    ]
    out = []
    for i, t in enumerate(titles):
        out.append(
            Row(
                key=f"r/{i}",
                id=f"r{i}",
                when=parse_when(
                    ["2023-03-16", "2022-09", "2022-36", "2023-03-17T14:00"][i % 4],
                    tz="Asia/Shanghai",
                ),
                title=t,
                kind="launch",
                actors=("百度", "Baidu AI Cloud", "昆仑芯")[: 1 + i % 3],
                quantity=Quantity(value=80000 * (i + 1), unit="家企业") if i % 2 else None,
            )
        )
    return out


def _positions(line: str, chars: str) -> list[int]:
    """Display columns (by wcwidth) at which any of ``chars`` occurs in ``line``."""
    out, col = [], 0
    for ch in line:
        if ch in chars:
            out.append(col)
        col += max(wcswidth(ch), 0)
    return out


def _cell_starts(line: str, cells: list[str]) -> list[int]:
    """Display column at which each non-empty cell's text starts in ``line``."""
    starts, cursor = [], 0
    for cell in cells:
        if not cell:
            starts.append(-1)
            continue
        at = line.index(cell, cursor)
        starts.append(wcswidth(line[:at]))
        cursor = at + len(cell)
    return starts


@pytest.mark.parametrize("fmt", FORMATS)
def test_cjk_columns_line_up(fmt: str) -> None:
    rows = _cjk_rows()
    columns = ["date", "title", "actors", "quantity", "kind"]
    text = to_table(rows, fmt=fmt, columns=columns)
    lines = text.splitlines()
    # every separator (| and +) is at the same display column on every line that has them
    if fmt in ("grid", "github"):
        seps = {tuple(_positions(line, line[0])) for line in lines}  # "|" in rows, "+" in rules
        assert len(seps) == 1, text
        assert len(next(iter(seps))) == len(columns) + 1
    # every cell starts at its column's display position
    from chronicle._table import table_cells

    body = [line for line in lines if any(ch.isalnum() for ch in line)]
    grid = [columns, *table_cells(rows, columns)]
    assert len(body) == len(grid)
    starts = [_cell_starts(line, cells) for line, cells in zip(body, grid, strict=True)]
    for j in range(len(columns)):
        assert len({s[j] for s in starts if s[j] >= 0}) == 1, (fmt, columns[j], text)
    # and every line is as wide as the others (nothing is off by a wide character)
    if fmt != "plain":
        assert (
            len({wcswidth(line.rstrip()) for line in lines if "|" in line or fmt == "simple"}) <= 2
        )


def test_dates_at_their_own_precision(ledger: Ledger) -> None:
    text = to_table(ledger, columns=["id", "date"], fmt="plain")
    shown = dict(line.split(None, 1) for line in text.splitlines()[1:])
    assert shown == {
        "lingxi-launch": "2023-03-16",
        "lingxi-test": "2022-09",
        "cloud-customers": "2022-Q4",
        "press-conference": "2023-03-16 14:00 +08",
        "api-deadline": "≤ 2023-03-17 14:00 +08",
        "compute-build": "2022-12 → 2023-02",
        "compute-operating": "2023-03-01 → …",
        "strategy-2022": "~2022",
        "lingxi-2": "2023-H2",
        "wire-utc": "2023-03-20 09:30 UTC",
    }


def test_lang_picks_translations_and_names(ledger: Ledger) -> None:
    text = to_table(
        [ledger.account("lingxi-launch")],
        ledger=ledger,
        lang="en",
        columns=["title", "actors"],
        fmt="plain",
    )
    assert text.splitlines()[1].split("  ")[0] == "Lingxi model launched"
    assert "Acme Tech, Lingxi" in text
    zh = to_table(
        [ledger.account("lingxi-launch")], ledger=ledger, columns=["title", "actors"], fmt="plain"
    )
    assert "灵犀大模型发布" in zh
    assert "示例科技, 灵犀大模型" in zh
    # no translation: the original title
    assert "示例云企业客户突破8万家" in to_table(
        [ledger.account("cloud-customers")], lang="en", columns=["title"]
    )


def test_every_column(ledger: Ledger) -> None:
    text = to_table(ledger, ledger=ledger, columns=COLUMNS, fmt="github")
    assert text.splitlines()[0].split("|")[1].strip() == "date"
    assert "| planned " in text
    assert "https://example.com/daily/2023-03-24" in text
    assert "2022-36" in text
    assert "quarter" in text
    assert "北京, 海淀" in text


@pytest.mark.parametrize("lang", [None, "en"])
def test_accounts_and_their_rows_give_the_same_cells(ledger: Ledger, lang: str | None) -> None:
    from chronicle._display import rows
    from chronicle._table import table_cells

    ledgers = [ledger]
    if (EVENTS / "sources.toml").exists():
        ledgers.append(chronicle.load(EVENTS))
    for led in ledgers:
        direct = table_cells(led.accounts, COLUMNS, led, lang)  # the fast path for accounts
        via_rows = table_cells(rows(led, led, lang), COLUMNS, led, lang)  # the row adapter
        assert direct == via_rows


# -------------------------------------------------------------------- terminal safety

NASTY = (
    "\x1b[2J\x1b]0;pwned\x07red\x9b31m\u202eevil\u2066iso\u2069\u200bzw\ufeffbom"
    "\u2028ls\r\nnext\ttab\x00nul\x7fdel"
)


def test_control_characters_never_reach_the_terminal() -> None:
    row = Row(
        key="k",
        id="\x1bid",
        when=parse_when("2023-03-16"),
        title=NASTY,
        kind="launch",
        actors=("a\nb",),
        place="\u202e北京",
    )
    for fmt in FORMATS:
        text = to_table([row], fmt=fmt, columns=["id", "title", "actors", "place"])
        for ch in text:
            if ch == "\n":
                continue
            assert unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"), (fmt, hex(ord(ch)))
        if fmt == "github":
            text = text.replace("\\[", "[")  # Markdown escapes the [ of [...]
        assert "␛[2J␛]0;pwned␇red" in text  # ESC and BEL shown as control pictures
        assert "�31m�evil�iso�" in text  # C1 CSI, bidi override and isolates
        assert "ls ⏎ next tab␀nul␡del" in text
        assert "a ⏎ b" in text


def test_clean_keeps_ordinary_text() -> None:
    for text in ("文心一言", "Baidu, Inc.", "≥ 80,000 家", "👩‍💻 coder", "ＡＩ　大底座"):
        assert clean(text) == text


@given(st.text(min_size=1))
def test_no_unsafe_character_in_any_title(title: str) -> None:
    row = Row(key="k", id="i", when=parse_when("2023-03-16"), title=title, kind="k")
    for ch in to_table([row], columns=["title"], fmt="plain"):
        assert ch == "\n" or unicodedata.category(ch) not in ("Cc", "Zl", "Zp")
        assert ch == "\u200d" or unicodedata.category(ch) != "Cf"


# --------------------------------------------------------------------------- width


def test_truncate_by_display_width() -> None:
    assert truncate("文心一言发布会", 9) == "文心一言…"
    assert wcswidth(truncate("文心一言发布会", 8)) <= 8
    assert truncate("short", 10) == "short"
    assert truncate("abcdefghij", 6) == "abcde…"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("width", [56, 64, 72])
def test_fits_the_width(ledger: Ledger, fmt: str, width: int) -> None:
    text = to_table(
        ledger, ledger=ledger, fmt=fmt, columns=["date", "title", "actors"], width=width
    )
    assert max(wcswidth(line) for line in text.splitlines()) <= width, text
    full = to_table(ledger, ledger=ledger, fmt=fmt, columns=["date", "title", "actors"])
    assert len(text.splitlines()) == len(full.splitlines())  # still one line per item
    assert "2022-12 → 2023-02" in text
    assert "≤ 2023-03-17 14:00 +08" in text  # dates are never cut


def test_too_narrow_cuts_text_columns_to_the_last_resort(ledger: Ledger) -> None:
    text = to_table(ledger, ledger=ledger, columns=["date", "title", "actors"], width=10)
    lines = text.splitlines()
    assert len(lines) == 2 + len(ledger)
    assert "灵犀大…" in text
    assert "≤ 2023-03-17 14:00 +08" in text  # dates are never cut
    assert max(wcswidth(line) for line in lines) <= 22 + 2 + 7 + 2 + 8


@pytest.mark.parametrize(
    ("fmt", "escape"),
    [
        ("mediawiki", r"&#124;"),
        ("textile", r"&#124;"),
        ("orgtbl", r"\vert{}"),
        ("github", r"\|"),
        ("jira", r"\|"),
        ("asciidoc", r"\|"),
    ],
)
def test_a_cut_never_splits_an_escape(fmt: str, escape: str) -> None:
    r"""Cutting to any width drops a whole escape or keeps it: never "&#12…" or "\…"."""
    title = "A|B|C|D|E|F|G|H|I|J|K|L"
    row = Row(key="k", id="i", when=parse_when("2023-03-16"), title=title, kind="k")
    seen = set()
    for width in range(8, 60):
        text = to_table([row], columns=["title"], fmt=fmt, width=width)
        line = next(line for line in text.splitlines() if "A" in line and "title" not in line)
        cell = line[line.index("A") :].split(" ")[0]
        # the shown text is the escaped form of a prefix of the title, cut with "…"
        prefix = cell.replace(escape, "|").removesuffix("…")
        assert title.startswith(prefix), (width, cell)
        assert cell == prefix.replace("|", escape) + ("…" if cell.endswith("…") else "")
        seen.add(cell)
    assert len(seen) > 5  # it was cut at many widths


def test_no_width_no_truncation(ledger: Ledger) -> None:
    text = to_table(ledger, ledger=ledger, columns=["title"], width=None)
    assert "…" not in text
    assert to_table(ledger, ledger=ledger, width=0) == to_table(ledger, ledger=ledger)


# -------------------------------------------------------------------------- errors


def test_unknown_format_and_column() -> None:
    with pytest.raises(ChronicleError, match=r"unknown table format 'nope'.*github"):
        to_table([], fmt="nope")
    with pytest.raises(ChronicleError, match=r"unknown column.*'colour'"):
        to_table([], columns=["date", "colour"])
    with pytest.raises(TypeError, match="register an adapter"):
        to_table([42])


def test_empty_table() -> None:
    assert (
        to_table([], columns=["date", "title"], fmt="github").splitlines()[0]
        == "| date   | title   |"
    )


# --------------------------------------------------------------------------- CLI


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_table_default(ledger: Ledger) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["table", str(FIXTURE)], stdout=out, stderr=err) == 0
    accounts = sorted(ledger, key=lambda a: a.when.sort_key)
    assert out.getvalue() == to_table(accounts, ledger=ledger) + "\n"
    assert err.getvalue() == ""
    # chronological in the ledger's total order: a date open at its start sorts first
    firsts = [line.split("  ")[0] for line in out.getvalue().splitlines()[2:4]]
    assert firsts == ["≤ 2023-03-17 14:00 +08", "~2022"]


def test_cli_table_options() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "table",
            str(FIXTURE),
            "-f",
            "github",
            "-c",
            "date,title,actors",
            "--lang",
            "en",
            "--width",
            "50",
        ],
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("| date ")
    assert max(wcswidth(line) for line in lines) <= 50
    assert "Acme" in out.getvalue()


def test_cli_table_fits_a_terminal_but_not_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((80, 24)))
    tty = _Tty()
    assert main(["table", str(FIXTURE)], stdout=tty, stderr=io.StringIO()) == 0
    assert max(wcswidth(line) for line in tty.getvalue().splitlines()) <= 80
    pipe = io.StringIO()
    assert main(["table", str(FIXTURE)], stdout=pipe, stderr=io.StringIO()) == 0
    assert max(wcswidth(line) for line in pipe.getvalue().splitlines()) > 80
    wide = _Tty()
    assert main(["table", str(FIXTURE), "--width", "0"], stdout=wide, stderr=io.StringIO()) == 0
    assert wide.getvalue() == pipe.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "nope"], "unknown table format 'nope'"),
        (["--columns", "date,colour"], "unknown column(s) 'colour'"),
        (["--width", "x"], "expected a number of columns"),
    ],
)
def test_cli_table_errors(args: list[str], message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["table", str(FIXTURE), *args], stdout=out, stderr=err) == 2
    assert message in err.getvalue()
    assert out.getvalue() == ""


def test_cli_table_bad_ledger(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[account]]\nid = "a"\n', encoding="utf-8")
    err = io.StringIO()
    assert main(["table", str(bad)], stdout=io.StringIO(), stderr=err) == 2
    assert "bad.toml" in err.getvalue()


def test_import_does_not_load_tabulate_or_icalendar() -> None:
    import subprocess
    import sys

    code = (
        "import sys, chronicle.cli; chronicle.cli._build_parser(); "
        "print(sorted(m for m in ('tabulate', 'icalendar') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------------- goldens


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_invented(ledger: Ledger, fmt: str) -> None:
    accounts = sorted(ledger, key=lambda a: a.when.sort_key)
    check_golden(
        f"invented-table-{fmt}.txt", (to_table(accounts, ledger=ledger, fmt=fmt) + "\n").encode()
    )


@pytest.mark.skipif(not (EVENTS / "sources.toml").exists(), reason="no seed ledger")
def test_golden_seed() -> None:
    out = io.StringIO()
    assert main(["table", str(EVENTS), "--format", "github"], stdout=out, stderr=io.StringIO()) == 0
    check_golden("seed-table-github.txt", out.getvalue().encode())
    out = io.StringIO()
    assert (
        main(["table", str(EVENTS), "--lang", "en", "--columns", "date,title,actors"], stdout=out)
        == 0
    )
    check_golden("seed-table-en.txt", out.getvalue().encode())


def test_accounts_from_records() -> None:
    src = Source(id="s", title="src", kind="news", published=parse_when("2023-03-24"))
    acc = Account(
        id="a",
        kind="launch",
        title="发布",
        when=parse_when("2023-03-16"),
        citations=[Citation(source="s")],
    )
    led = Ledger(sources=[src], accounts=[acc])
    assert to_table(led, columns=["title", "sources"], fmt="plain").splitlines()[1].split() == [
        "发布",
        "s",
    ]
