"""Ledger files: round trips, validation messages, atomic saves, appending by hand."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import Ledger, LedgerError, UnreadableInput, load
from chronicle._ledger import converter
from chronicle.cli import main
from tests.strategies import ledgers, quantities, spans, whens

# All ledgers in this file are invented test data.

HEADER = """\
# invented test ledger
[ledger]
tz = "Asia/Shanghai"

[[source]]
id = "wire"
title = "An invented wire story"
kind = "news"
published = "2023-03-24"

[[source]]
id = "undated"
title = "An invented undated report"
kind = "report"

[[actor]]
id = "acme"
name = "艾克米"
kind = "company"
aliases = ["Acme"]
"""

GOOD_ACCOUNT = """
[[account]]
id = "launch"
kind = "launch"
title = "Invented launch"
when = "2023-03-16"
actors = ["acme"]

[[account.citations]]
source = "wire"
quote = "3月16日发布"
"""


def write(tmp_path: Path, text: str, name: str = "ledger.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# -- round trips ------------------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(ledgers())
def test_whole_ledger_round_trips_through_every_format(tmp_path: Path, ledger: Ledger) -> None:
    for suffix in ("toml", "json", "jsonl"):
        p = tmp_path / f"l.{suffix}"
        ledger.save(p)
        again = load(p)
        assert again == ledger, suffix
        # and the dates keep their zones and texts
        for a, b in zip(ledger.accounts, again.accounts, strict=True):
            assert a.when.tz == b.when.tz
            assert a.when.to_edtf() == b.when.to_edtf()


@given(whens())
def test_when_round_trips_through_the_converter(w: chronicle.When) -> None:
    c = converter()
    assert c.structure(c.unstructure(w), chronicle.When) == w


@given(spans())
def test_span_round_trips_through_the_converter(s: chronicle.Span) -> None:
    c = converter()
    assert c.structure(c.unstructure(s), chronicle.When | chronicle.Span) == s


@given(quantities())
def test_quantity_round_trips(q: chronicle.Quantity) -> None:
    c = converter()
    assert c.structure(c.unstructure(q), chronicle.Quantity) == q


def test_seed_style_file_loads_and_keeps_wording(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + GOOD_ACCOUNT.replace('"2023-03-16"', '"3月16日"'))
    ledger = load(p)
    w = ledger.account("launch").when
    assert w.to_edtf() == "2023-03-16" and w.text == "3月16日" and w.inferred
    ledger.save(tmp_path / "out.toml")
    assert 'when = "3月16日"' in (tmp_path / "out.toml").read_text(encoding="utf-8")
    assert load(tmp_path / "out.toml") == ledger


def test_scaled_numbers_on_load(tmp_path: Path) -> None:
    text = HEADER + GOOD_ACCOUNT + 'quantity = { value = "214.16亿", unit = "CNY" }\n'
    text = text.replace(
        "[[account.citations]]",
        'quantity = { value = "214.16亿", unit = "CNY" }\n\n[[account.citations]]',
        1,
    )
    text = text.rsplit("quantity", 1)[0]
    q = load(write(tmp_path, text)).account("launch").quantity
    assert q is not None and q.value == 21_416_000_000 and q.unit == "CNY"


def test_csv_import(tmp_path: Path) -> None:
    write(tmp_path, HEADER, "a.toml")
    (tmp_path / "b.csv").write_text(
        "id,kind,title,when,actors,source,quote,value,unit,bound,as_of\n"
        "apps,metric,Invented applications,[..2023-03-17T14:00+08:00],acme,wire,突破8万家,8万,enterprises,at_least,至3月17日下午2点\n",
        encoding="utf-8",
    )
    ledger = load(tmp_path)
    q = ledger.account("apps").quantity
    assert q is not None and q.value == 80000 and q.bound is chronicle.Bound.AT_LEAST
    assert q.as_of is not None and q.as_of.latest is not None
    assert q.as_of.latest.isoformat() == "2023-03-17T14:00:00+08:00"


# -- validation -------------------------------------------------------------------------

BAD = {
    "unknown source": (
        GOOD_ACCOUNT.replace('source = "wire"', 'source = "nowhere"'),
        "cites unknown source 'nowhere'",
        "launch",
    ),
    "unknown actor": (
        GOOD_ACCOUNT.replace('["acme"]', '["ghost"]'),
        "names unknown actor 'ghost'",
        "launch",
    ),
    "duplicate id": (GOOD_ACCOUNT + GOOD_ACCOUNT, "duplicate account id 'launch'", "launch"),
    "bad date": (GOOD_ACCOUNT.replace('"2023-03-16"', '"2023-13-45"'), "'2023-13-45'", "launch"),
    "relative date without published": (
        GOOD_ACCOUNT.replace('"2023-03-16"', '"去年9月"').replace(
            'source = "wire"', 'source = "undated"'
        ),
        "'去年9月' is relative and its source 'undated' has no published date",
        "launch",
    ),
    "quantity without unit": (
        GOOD_ACCOUNT.replace(
            "[[account.citations]]", "quantity = { value = 80000 }\n\n[[account.citations]]"
        ),
        "quantity 80000 has no unit",
        "launch",
    ),
    "source language that is no tag": (
        '[[source]]\nid = "tagless"\ntitle = "Invented"\nkind = "news"\nlanguage = "Chinese"\n',
        "language: 'Chinese' is not a language tag like 'en' or 'zh-Hant'",
        "tagless",
    ),
    "empty quantity": (
        GOOD_ACCOUNT.replace("[[account.citations]]", "quantity = {}\n\n[[account.citations]]"),
        "quantity has neither a value nor a unit",
        "launch",
    ),
    "unknown key": (
        GOOD_ACCOUNT.replace('kind = "launch"', 'kind = "launch"\ntitel = "typo"'),
        "titel",
        "launch",
    ),
    "bad kind": (
        GOOD_ACCOUNT.replace('kind = "launch"', 'kind = "Big Launch"'),
        "'Big Launch'",
        "launch",
    ),
    "resolution of an unknown field": (
        GOOD_ACCOUNT
        + '\n[[resolution]]\nid = "r1"\nevent = "launch"\nfield = "colour"\nvalue = "2023"\nreason = "x"\n',
        "field 'colour' cannot be resolved",
        "r1",
    ),
    "resolution with an unreadable value": (
        GOOD_ACCOUNT
        + '\n[[resolution]]\nid = "r2"\nevent = "launch"\nfield = "when"\nvalue = "Smarch"\nreason = "x"\n',
        "value 'Smarch'",
        "r2",
    ),
    "bare TOML date": (
        GOOD_ACCOUNT.replace('when = "2023-03-16"', "when = 2023-03-16"),
        'write the date as quoted text, "2023-03-16"',
        "launch",
    ),
    "quantity as text": (
        GOOD_ACCOUNT.replace("[[account.citations]]", 'quantity = "8万"\n\n[[account.citations]]'),
        "quantity must be a table",
        "launch",
    ),
    "unknown source kind": (
        '\n[[source]]\nid = "blog1"\ntitle = "B"\nkind = "blog"\n',
        "'blog' is not one of: news, report",
        "blog1",
    ),
    "relative date against an open publication date": (
        '\n[[source]]\nid = "vague"\ntitle = "V"\nkind = "report"\npublished = "[..2023-03-24]"\n'
        + GOOD_ACCOUNT.replace('"2023-03-16"', '"去年"').replace(
            'source = "wire"', 'source = "vague"'
        ),
        "its source 'vague' is dated [..2023-03-24]: its reference date cannot anchor it",
        "launch",
    ),
    "cites cycle": (
        '\n[[source]]\nid = "a"\ntitle = "A"\nkind = "news"\ncites = ["b"]\n'
        '\n[[source]]\nid = "b"\ntitle = "B"\nkind = "news"\ncites = ["a"]\n',
        "cites form a cycle: a → b → a",
        "a",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_bad_input_names_file_line_record_and_text(tmp_path: Path, case: str) -> None:
    extra, message, record = BAD[case]
    p = write(tmp_path, HEADER + extra)
    with pytest.raises(LedgerError) as info:
        load(p)
    findings = info.value.findings
    hit = [f for f in findings if message in f.message]
    assert hit, [str(f) for f in findings]
    f = hit[0]
    assert f.path == str(p) and f.record == record and f.line is not None
    line_text = p.read_text(encoding="utf-8").splitlines()[f.line - 1]
    assert line_text.startswith("[[")
    assert str(f).startswith(f"{p}:{f.line}: {record}: ")


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = HEADER + "".join(BAD[k][0] for k in ("unknown source", "bad date"))
    text = text.replace('id = "launch"', 'id = "one"', 1)
    with pytest.raises(LedgerError) as info:
        load(write(tmp_path, text))
    assert len(info.value.findings) == 2


def test_unreadable_inputs(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="not valid TOML") as info:
        load(write(tmp_path, "[[account]\nid = 1"))
    assert info.value.line == 1
    bad = tmp_path / "latin1.toml"
    bad.write_bytes("title = 'caf\xe9'".encode("latin-1"))
    with pytest.raises(UnreadableInput, match="not UTF-8"):
        load(bad)
    with pytest.raises(UnreadableInput, match="no such file"):
        load(tmp_path / "missing.toml")
    with pytest.raises(UnreadableInput, match="unknown top-level"):
        load(write(tmp_path, "[[acount]]\nid = 'x'\n", "typo.toml"))


# -- saving -----------------------------------------------------------------------------


def test_crash_during_save_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = write(tmp_path, HEADER + GOOD_ACCOUNT)
    before = p.read_bytes()
    ledger = load(p)

    def boom(fd: int) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk on fire"):
        ledger.save(p)
    assert p.read_bytes() == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["ledger.toml"]  # no temp file left


# -- appending --------------------------------------------------------------------------


def test_add_keeps_every_comment_and_line(tmp_path: Path) -> None:
    text = HEADER + "# a comment the researcher wrote\n" + GOOD_ACCOUNT + "\n# trailing note\n"
    p = write(tmp_path, text)
    err = io.StringIO()
    code = main(
        [
            "add", str(p), "--id", "later", "--kind", "metric", "--title", "Invented metric",
            "--when", "至3月17日下午2点", "--source", "wire", "--quote", "突破8万家",
            "--actor", "acme", "--value", "8万", "--unit", "enterprises", "--bound", "at_least",
        ],
        stdout=io.StringIO(),
        stderr=err,
    )  # fmt: skip
    assert code == 0, err.getvalue()
    after = p.read_text(encoding="utf-8")
    assert after.startswith(text)
    assert 'when = "至3月17日下午2点"' in after
    ledger = load(p)
    assert ledger.account("later").when.latest.isoformat() == "2023-03-17T14:00:00+08:00"  # type: ignore[union-attr]


def test_add_refuses_invalid_account_and_leaves_file(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + GOOD_ACCOUNT)
    before = p.read_bytes()
    err = io.StringIO()
    code = main(
        [
            "add",
            str(p),
            "--id",
            "x",
            "--kind",
            "launch",
            "--title",
            "T",
            "--when",
            "2023-02-30",
            "--source",
            "wire",
        ],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert code == 2
    assert "2023-02-30" in err.getvalue() and "x" in err.getvalue()
    assert p.read_bytes() == before


def test_ledger_add_in_python(tmp_path: Path) -> None:
    ledger = load(write(tmp_path, HEADER + GOOD_ACCOUNT))
    acc = chronicle.Account(
        id="second",
        kind="launch",
        title="Invented second launch",
        when=chronicle.parse_when("2023-04", tz="Asia/Shanghai"),
        citations=[chronicle.Citation(source="wire")],
    )
    ledger.add(acc)
    assert ledger.account("second") is acc
    with pytest.raises(LedgerError, match="duplicate account id"):
        ledger.add(acc)
    with pytest.raises(LedgerError, match="unknown source"):
        ledger.add(
            chronicle.Account(
                id="x",
                kind="k",
                title="t",
                when=acc.when,
                citations=[chronicle.Citation(source="zz")],
            )
        )
    assert len(ledger) == 2


# -- command line -----------------------------------------------------------------------


def test_check_prints_file_line_record_message(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + BAD["unknown actor"][0])
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(p)], stdout=out, stderr=err) == 1
    line = out.getvalue().splitlines()[0]
    assert line.startswith(f"{p}:") and ": launch: names unknown actor 'ghost'" in line


def test_check_exit_codes(tmp_path: Path) -> None:
    good = write(tmp_path, HEADER + GOOD_ACCOUNT, "good.toml")
    assert main(["check", str(good)], stdout=io.StringIO(), stderr=io.StringIO()) == 0
    bad = write(tmp_path, "not = [valid", "bad.toml")
    err = io.StringIO()
    assert main(["check", str(bad)], stdout=io.StringIO(), stderr=err) == 2
    assert "not valid TOML" in err.getvalue() and "Traceback" not in err.getvalue()


def test_an_unknown_ledger_zone_is_named(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="unknown time zone 'Mars/Base'"):
        load(write(tmp_path, '[ledger]\ntz = "Mars/Base"\n'))


def test_save_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    ledger = load(write(tmp_path, HEADER + GOOD_ACCOUNT))
    with pytest.raises(chronicle.UnwritableOutput, match="cannot write") as info:
        ledger.save(tmp_path / "missing" / "x.toml")
    assert info.value.path == str(tmp_path / "missing" / "x.toml")
    assert isinstance(info.value, OSError)
    assert not list((tmp_path).glob("**/*.tmp"))


def test_add_into_a_folder_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by review: a write that failed while adding was a traceback."""
    target = write(tmp_path, HEADER)
    before = target.read_bytes()

    def full(*_args: object, **_kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    err = io.StringIO()
    args = ["add", str(target), "--id", "a2", "--kind", "launch", "--title", "Invented"]
    args += ["--when", "2023-03-16", "--source", "wire"]
    assert main(args, stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue() == f"chronicle: {target}: cannot write: No space left on device\n"
    assert target.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))


def test_add_reads_dates_in_the_target_files_zone(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(
        HEADER.replace("Asia/Shanghai", "America/New_York"), encoding="utf-8"
    )
    b = write(tmp_path, '[ledger]\ntz = "Asia/Shanghai"\n', "b.toml")
    argv = ["add", str(b), "--id", "x", "--kind", "launch", "--title", "T"]
    argv += ["--when", "2023-03-16T10:00", "--source", "wire"]
    assert main(argv, stdout=io.StringIO(), stderr=io.StringIO()) == 0
    w = load(tmp_path).account("x").when
    assert w.earliest is not None and w.earliest.isoformat() == "2023-03-16T10:00:00+08:00"


def test_add_to_a_file_in_a_subfolder_with_ledger(tmp_path: Path) -> None:
    write(tmp_path, HEADER + GOOD_ACCOUNT, "main.toml")
    (tmp_path / "2023").mkdir()
    new = write(tmp_path / "2023", '[ledger]\ntz = "Asia/Shanghai"\n', "new.toml")
    argv = ["add", str(new), "--id", "x", "--kind", "launch", "--title", "T", "--when", "3月16日"]
    argv += ["--source", "wire"]
    err = io.StringIO()
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    assert "nothing was written" in err.getvalue()
    assert main([*argv, "--ledger", str(tmp_path)], stdout=io.StringIO(), stderr=io.StringIO()) == 0
    assert load(tmp_path).account("x").when.to_edtf() == "2023-03-16"


def test_add_keeps_crlf_line_ends_and_a_bom(tmp_path: Path) -> None:
    p = tmp_path / "crlf.toml"
    p.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD_ACCOUNT).replace("\n", "\r\n").encode("utf-8"))
    argv = ["add", str(p), "--id", "x", "--kind", "metric", "--title", "T", "--when", "2023"]
    argv += ["--source", "wire", "--value", "8万", "--unit", "enterprises", "--bound", "between"]
    argv += ["--upper", "9万", "--value-text", "八九万家"]
    assert main(argv, stdout=io.StringIO(), stderr=io.StringIO()) == 0
    data = p.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    q = load(p).account("x").quantity
    assert q is not None and (q.value, q.upper, q.text) == (80000, 90000, "八九万家")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"citations": "s1"}, "citations: expected a list of Citations, got 's1'"),
        ({"citations": ["s1"]}, "citations[0]: expected a Citation, got 's1'"),
        ({"translations": "en"}, "got the single text 'en'"),
        ({"translations": ["en"]}, "expected (language, text) pairs, got 'en'"),
    ],
)
def test_records_refuse_a_text_where_a_list_belongs(
    kwargs: dict[str, object], message: str
) -> None:
    """Found by review: ``Account(citations="s1")`` made the citations 's' and '1'."""
    fields: dict[str, object] = {
        "id": "a",
        "kind": "launch",
        "title": "Invented",
        "when": chronicle.parse_when("2023"),
        "citations": [chronicle.Citation(source="s1")],
    }
    with pytest.raises(TypeError) as info:
        chronicle.Account(**(fields | kwargs))  # type: ignore[arg-type]
    assert message in str(info.value)


def test_add_reads_a_file_without_a_zone_in_the_zone_given(tmp_path: Path) -> None:
    """Found by review: ``add`` had no ``--tz``, so it read such files in UTC alone."""
    target = write(tmp_path, HEADER.replace('tz = "Asia/Shanghai"\n', ""))
    args = ["add", str(target), "--id", "gap", "--kind", "launch", "--title", "Invented"]
    args += ["--when", "2023-03-12T02:30", "--source", "wire"]
    err = io.StringIO()
    assert main([*args, "--tz", "America/New_York"], stdout=io.StringIO(), stderr=err) == 2
    assert "does not exist in America/New_York" in err.getvalue()
    assert "gap" not in target.read_text(encoding="utf-8")
    assert main(args, stdout=io.StringIO(), stderr=io.StringIO()) == 0  # UTC has no gap
    assert 'id = "gap"' in target.read_text(encoding="utf-8")


# ----------------------------------------------- one problem never hides another (review)

_HIDDEN = """\
# invented: every record below has a problem, and none may hide another's
[ledger]
tz = "UTC"

[[source]]
id = "s1"
title = "Invented one"
kind = "news"
published = "2023-13-01"

[[source]]
id = "s2"
title = "Invented two"
kind = "news"
published = "2023-03-24"
cites = ["ghost"]

[[source]]
id = "s2"
title = "Invented two, again"
kind = "news"
published = "2023-03-24"

[[account]]
id = "a1"
kind = "launch"
title = "Invented"
when = "去年13月"
actors = ["nobody"]

[[account.citations]]
source = "s2"

[[account]]
id = "a1"
kind = "launch"
title = "Invented"
when = "2023"

[[account.citations]]
source = "s1"
"""


def test_every_problem_is_reported_even_behind_another(tmp_path: Path) -> None:
    with pytest.raises(LedgerError) as info:
        load(write(tmp_path, _HIDDEN))
    found = {(f.record, f.line, f.message.split(":")[0]) for f in info.value.findings}
    messages = [f.message for f in info.value.findings]
    # a source whose date cannot be read still exists: citing it is no "unknown source"
    assert not any("unknown source 's1'" in m for m in messages)
    # the first copy of a duplicated source still has its references checked, at its place
    assert ("s2", 11, "cites unknown source 'ghost'") in found
    assert ("s2", 18, "duplicate source id 's2'") in found
    # an account whose date cannot be read still has its actors checked, and still
    # counts for duplicate ids: the later copy is the duplicate
    assert ("a1", 24, "names unknown actor 'nobody'") in found
    assert ("a1", 34, "duplicate account id 'a1'") in found
    assert any(m.startswith("when: cannot read '去年13月'") for m in messages)
    assert len(messages) == 6  # and the source date that cannot be read


@pytest.mark.parametrize("indent", [None, 2])
def test_json_ledgers_report_the_line_of_each_record(tmp_path: Path, indent: int | None) -> None:
    """Found by review: problems in JSON ledgers had no line numbers, unlike TOML's."""
    import json

    data = load("events/").to_data()
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    if indent is None:  # one record per line, so that each has its own line
        text = text.replace("}, {", "},\n{")
    path = tmp_path / "ledger.json"
    path.write_text(text, encoding="utf-8")
    from chronicle._files import read_path

    raws = list(read_path(path))
    assert raws and all(r.line is not None for r in raws)
    lines = text.split("\n")
    last = 0
    for r in raws:
        assert r.line is not None and r.line >= last
        last = r.line
        # the record opens on its line: its id is there or (indented) on the next
        near = "\n".join(lines[r.line - 1 : r.line + 1])
        assert f'"id": {json.dumps(r.data["id"], ensure_ascii=False)}' in near, r.data["id"]


def test_a_json_problem_names_its_line(tmp_path: Path) -> None:
    text = (
        '{"ledger": {"tz": "UTC"},\n "source": [\n  {"id": "s1", "title": "S", "kind": "news"},\n'
        '  {"id": "s2", "title": "S", "kind": "nope"}\n ]}\n'
    )
    with pytest.raises(LedgerError) as info:
        load(write(tmp_path, text, "ledger.json"))
    (finding,) = info.value.findings
    assert (finding.record, finding.line) == ("s2", 4)


def test_records_that_fail_are_named_as_their_own_findings_name_them(tmp_path: Path) -> None:
    """Found by review: a record with no id and no line was "account at line None", and a
    resolution that failed had its event left unchecked."""
    text = (
        'source = [{id = "s", title = "Invented", kind = "news", published = "2023-03-24"}]\n'
        'account = [{id = 7, kind = "launch", title = "T", when = "2023-03-16", '
        'actors = ["nobody"], citations = [{source = "s"}]}]\n'
        'resolution = [{id = "r", event = "ghost", field = "when", recorded = "not a date", '
        'account = "gone", reason = "invented"}]\n'
    )
    with pytest.raises(LedgerError) as info:
        load(write(tmp_path, text))
    found = {(f.record, f.message) for f in info.value.findings}
    assert ("account #1", "names unknown actor 'nobody'") in found
    assert ("r", "resolves unknown event 'ghost'") in found
    assert ("r", "names unknown account 'gone'") in found


def test_the_duplicate_is_the_copy_read_later_whatever_the_file_names(tmp_path: Path) -> None:
    one = HEADER + GOOD_ACCOUNT
    other = '[[account]]\nid = "launch"\nkind = "launch"\ntitle = "Again"\nwhen = "2023"\n'
    other += '[[account.citations]]\nsource = "wire"\n'
    b, a = write(tmp_path, one, "b.toml"), write(tmp_path, other, "a.toml")
    with pytest.raises(LedgerError) as info:
        load(b, a)  # b is read first
    (dup,) = [f for f in info.value.findings if "duplicate" in f.message]
    assert dup.path == str(a)


_JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
_JSON_VALUES = st.recursive(
    _JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(["source", "actor", "account", "resolution", "ledger", "other"]),
        st.one_of(_JSON_VALUES, st.lists(_JSON_VALUES, max_size=4)),
        max_size=5,
    ),
    st.sampled_from([None, 1, 2]),
    st.sampled_from(["", ",]", ",}", " x"]),
)
def test_a_json_ledger_is_walked_as_json_reads_it(
    doc: dict[str, object], indent: int | None, damage: str
) -> None:
    """The walk that finds each record's line reads exactly what ``json.loads`` reads,
    and gives up (None) on whatever it refuses."""
    import json

    from chronicle._files import _json_walk

    text = json.dumps(doc, indent=indent)
    if damage == " x":
        text += damage
    elif damage:
        text = text.replace(damage[1], damage, 1)
    try:
        expected: object = json.loads(text)
    except ValueError:
        expected = None
    walked = _json_walk(text, json.JSONDecoder())
    assert (None if walked is None else walked[0]) == expected
    if walked is not None:
        for kind, lines in walked[1].items():
            assert len(lines) == len(walked[0][kind])  # type: ignore[arg-type]


def test_a_record_that_fails_is_checked_for_its_own_kind_of_references_only(
    tmp_path: Path,
) -> None:
    """Found by review: a resolution without an event was said to resolve the event of its
    own id, and an ``account`` key on a source was checked as a reference."""
    text = (
        HEADER
        + GOOD_ACCOUNT
        + '\n[[source]]\nid = "extra"\ntitle = "Invented"\nkind = "news"\naccount = "nope"\n'
        + '\n[[resolution]]\nid = "r1"\nfield = "when"\nreason = "invented"\nvalue = "2023-03-16"\n'
        + '\n[[resolution]]\nid = "r2"\nevent = "launch"\nfield = "colour"\nreason = "invented"\n'
        + 'recorded = "not a date"\n'
    )
    with pytest.raises(LedgerError) as info:
        load(write(tmp_path, text))
    messages = {(f.record, f.message) for f in info.value.findings}
    assert not any("unknown event 'r1'" in m for _, m in messages)
    assert not any("unknown account" in m for _, m in messages)
    # a resolution that fails still has its field checked: one problem never hides another
    assert any(r == "r2" and m.startswith("field 'colour' cannot be resolved") for r, m in messages)


def test_failed_records_without_ids_are_numbered_within_their_kind(tmp_path: Path) -> None:
    """Each is named by its place among its kind (worked out once: it was searched for,
    per finding, which took quadratic time)."""
    import json

    rows = [{"kind": "launch", "title": "T", "when": "2023", "bogus": 1} for _ in range(300)]
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps({"source": [{"nope": 1}], "account": rows}), encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        load(path)
    named = [f.record for f in info.value.findings if "bogus" in f.message]
    assert named == [f"account #{n}" for n in range(1, 301)]
    assert any(f.record == "source #1" for f in info.value.findings)


@pytest.mark.parametrize(
    ("tag", "ok"),
    [("en", True), ("EN", True), ("zh-Hant", True), ("en-US-u-ca-gregory", True),
     ("Chinese", False), ("en\n", False), ("e", False), ("zh_Hant", False)],
)  # fmt: skip
def test_a_language_tag_is_matched_whole(tag: str, ok: bool) -> None:
    """Found by review: ``en\\n`` passed (``^...$`` with ``match``), ``EN`` did not."""
    published = chronicle.parse_when("2023")
    if ok:
        assert chronicle.Source(id="s", title="T", kind="news", language=tag).language == tag
        translated = (("de", "x"), (tag, "y")) if tag.lower() != "de" else ()
        assert chronicle.Account(
            id="a",
            kind="launch",
            title="T",
            when=published,
            citations=[chronicle.Citation(source="s")],
            translations=translated,
        ).translations
    else:
        with pytest.raises(ValueError, match="is not a language tag"):
            chronicle.Source(id="s", title="T", kind="news", language=tag)


def test_a_part_of_chain_thousands_deep_is_checked_without_recursion() -> None:
    """Found by review: the cycle search recursed, and ~1,100 links overflowed Python's stack."""
    chain = [
        chronicle.Actor(id=f"a{i:05d}", name=f"Invented {i}", kind="company",
                        part_of=f"a{i + 1:05d}" if i < 2999 else None)
        for i in range(3000)
    ]  # fmt: skip
    assert len(Ledger([], chain, []).actors) == 3000
    looped = [
        *chain[:-1],
        chronicle.Actor(id="a02999", name="Last", kind="company", part_of="a00000"),
    ]
    with pytest.raises(LedgerError, match="part_of forms a cycle: a00000 → a00001"):
        Ledger([], looped, [])


def test_adding_a_duplicate_does_not_point_at_the_original(tmp_path: Path) -> None:
    """Found by review: the finding for the record being added carried the first copy's
    file and line."""
    ledger = load(write(tmp_path, HEADER + GOOD_ACCOUNT))
    with pytest.raises(LedgerError) as info:
        ledger.add(ledger.accounts[0])
    (finding,) = info.value.findings
    assert "duplicate account id 'launch'" in finding.message
    assert (finding.path, finding.line) == (None, None)


def test_load_reads_each_file_once(tmp_path: Path) -> None:
    """A file named twice, or inside a folder also given, is read once (not a duplicate)."""
    root = Path(__file__).resolve().parent.parent / "events"
    whole = chronicle.load(root)
    assert chronicle.load(root, root / "baidu.toml") == whole
    assert chronicle.load(root / "baidu.toml", root, root) == chronicle.load(
        root / "baidu.toml", *sorted(p for p in root.glob("*.toml") if p.name != "baidu.toml")
    )


def test_a_folder_of_json_lines_files_takes_the_fast_path(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent / "events"
    whole = chronicle.load(root)
    (tmp_path / "seed.jsonl").write_text(chronicle.to_json(whole, lines=True), encoding="utf-8")
    fast = chronicle.load(tmp_path)
    assert fast == whole
    assert "numbering" in fast._cache  # what only the fast loader leaves behind


@pytest.mark.parametrize("tz", ["", "Mars/Olympus"])
def test_an_unknown_zone_is_an_error_before_any_file_is_read(tz: str) -> None:
    root = Path(__file__).resolve().parent.parent / "events"
    with pytest.raises(chronicle.ChronicleError, match="zone"):
        chronicle.load(root, tz=tz)
    with pytest.raises(chronicle.ChronicleError, match="zone"):
        chronicle.parse_when("2023", tz=tz)
