"""The fast JSON Lines path (chronicle._bulk) gives exactly what the ordinary loader gives,
and hands everything it does not cover -- every invalid file among them -- back to it."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import Ledger, LedgerError, UnreadableInput, parse_when
from chronicle._bulk import load_jsonl
from chronicle._edtf_fast import NotCanonical, fast_when
from chronicle._files import read_path
from chronicle._ledger import build
from tests.conftest import write_synthetic

from .strategies import ZONES, ledgers


def slow(path: Path) -> Ledger:
    return build(list(read_path(path)))


def assert_same(fast: Ledger, ordinary: Ledger) -> None:
    assert fast == ordinary
    assert fast.tz == ordinary.tz
    assert dict(fast._origins) == dict(ordinary._origins)
    for a, b in zip(fast.accounts, ordinary.accounts, strict=True):
        for w, v in (
            (a.when, b.when),
            (getattr(a.quantity, "as_of", None), getattr(b.quantity, "as_of", None)),
        ):
            if w is None:
                assert v is None
                continue
            assert (w.text, w.inferred, w._e, w._l) == (v.text, v.inferred, v._e, v._l)
            if w.earliest is not None:
                assert w.earliest.isoformat() == v.earliest.isoformat()
            if w.latest is not None:
                assert w.latest.isoformat() == v.latest.isoformat()
        assert type(a.quantity.value if a.quantity else 0) is type(
            b.quantity.value if b.quantity else 0
        )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic(tmp_path_factory.mktemp("synth"), 1500)


def test_synthetic_ledger_takes_the_fast_path_and_matches(synthetic: Path) -> None:
    fast = load_jsonl([synthetic], "UTC")
    assert fast is not None
    assert_same(fast, slow(synthetic))
    assert chronicle.load(synthetic) == fast


def test_saving_what_was_loaded_gives_the_same_bytes(synthetic: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.jsonl"
    chronicle.load(synthetic).save(again)
    assert again.read_bytes() == synthetic.read_bytes()


def test_gc_is_left_as_it_was(synthetic: Path) -> None:
    assert gc.isenabled()
    chronicle.load(synthetic)
    assert gc.isenabled()
    gc.disable()
    try:
        chronicle.load(synthetic)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_big_ledger_is_frozen_before_the_collector_resumes(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything the load made is young: frozen only after the collector resumed, it
    would all be traversed by the next collection first. Only the young objects made
    before the load are collected (so that no garbage is frozen with the ledger)."""
    from chronicle import _bulk

    monkeypatch.setattr(_bulk, "_FREEZE_AT", 100)  # (the synthetic ledger has 1,500 accounts)
    assert gc.isenabled()
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    before = gc.get_freeze_count()
    gc.callbacks.append(seen)
    try:
        ledger = load_jsonl([synthetic], "UTC")
        young, frozen = gc.get_count()[0], gc.get_freeze_count()
    finally:
        gc.callbacks.remove(seen)
        gc.unfreeze()  # (not to keep this test's objects for the rest of the run)
    assert ledger is not None and gc.isenabled()
    assert collections == [0]  # the one before the load
    assert young < 100  # no young collection due: the load's objects are not young
    assert frozen - before > len(ledger)  # the accounts, and what they hold


def test_a_small_ledger_is_not_frozen(synthetic: Path) -> None:
    frozen = gc.get_freeze_count()
    assert load_jsonl([synthetic], "UTC") is not None  # 1,500 accounts: under _FREEZE_AT
    assert gc.get_freeze_count() == frozen


@settings(max_examples=30)
@given(ledger=ledgers(max_accounts=10))
def test_any_saved_ledger_loads_the_same_both_ways(
    ledger: Ledger, tmp_path_factory: pytest.TempPathFactory
) -> None:
    p = tmp_path_factory.mktemp("h") / "l.jsonl"
    ledger.save(p)
    fast = load_jsonl([p], "UTC")
    ordinary = slow(p)
    if fast is not None:  # declining is always allowed; giving something else never is
        assert_same(fast, ordinary)
    assert chronicle.load(p) == ordinary


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def _first(rows: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(r for r in rows if r["type"] == kind)


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: _first(rows, "account").update(when="2023-13-45"),
        lambda rows: _first(rows, "account").update(id="bad id"),
        lambda rows: _first(rows, "account").update(id="ａ1"),  # a letter, but not A-Z
        lambda rows: _first(rows, "account").update(id=""),
        lambda rows: _first(rows, "account").update(id="-a"),
        lambda rows: _first(rows, "account").update(actors=["nobody"]),
        lambda rows: _first(rows, "account").update(citations=[{"source": "nowhere"}]),
        lambda rows: _first(rows, "account").update(citations=[]),
        lambda rows: _first(rows, "account").update(surprise=1),
        lambda rows: _first(rows, "account").update(kind="Not A Token"),
        lambda rows: _first(rows, "account").update(title="  "),
        lambda rows: _first(rows, "account").update(tz="Mars/Olympus"),
        lambda rows: _first(rows, "account").update(planned=1),
        lambda rows: _first(rows, "account").update(quantity={"value": 1}),
        lambda rows: _first(rows, "account").update(quantity={"value": True, "unit": "x"}),
        lambda rows: _first(rows, "account").update(
            quantity={"value": 2, "unit": "x", "bound": "between", "upper": 1}
        ),
        lambda rows: _first(rows, "account").update(translations={"english": "x"}),
        lambda rows: rows.append(dict(_first(rows, "account"))),  # duplicate id
        lambda rows: _first(rows, "source").update(cites=["nowhere"]),
        lambda rows: _first(rows, "source").update(kind="rumour"),
        lambda rows: _first(rows, "actor").update(part_of="nobody"),
        lambda rows: rows.append({"type": "gossip"}),
    ],
)
def test_invalid_files_get_the_ordinary_errors(
    synthetic: Path, tmp_path: Path, change: Any
) -> None:
    rows = _lines(synthetic)
    change(rows)
    p = _write(tmp_path / "bad.jsonl", rows)
    assert load_jsonl([p], "UTC") is None
    with pytest.raises((LedgerError, UnreadableInput)) as fast_error:
        chronicle.load(p)
    with pytest.raises((LedgerError, UnreadableInput)) as slow_error:
        slow(p)
    assert str(fast_error.value) == str(slow_error.value)


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: _first(rows, "account").update(
            quantity={"value": "8万", "unit": "家"}
        ),  # text number
        lambda rows: _first(rows, "account").update(translations=[["en", "A title"]]),  # pairs
        lambda rows: _first(rows, "account").update(when={"edtf": "2023-03", "text": "三月"}),
        lambda rows: _first(rows, "account").update(event=None, place=None),  # explicit nulls
        lambda rows: rows.insert(1, rows.pop()),  # an account before the sources it needs
    ],
)
def test_unusual_but_valid_files_load_the_same(
    synthetic: Path, tmp_path: Path, change: Any
) -> None:
    rows = _lines(synthetic)
    change(rows)
    p = _write(tmp_path / "odd.jsonl", rows)
    assert chronicle.load(p) == slow(p)
    fast = load_jsonl([p], "UTC")
    if fast is not None:
        assert_same(fast, slow(p))


def test_blank_lines_and_bom_keep_line_numbers(synthetic: Path, tmp_path: Path) -> None:
    text = synthetic.read_text(encoding="utf-8")
    p = tmp_path / "spaced.jsonl"
    p.write_text("\ufeff" + text.replace("\n", "\n\n", 3), encoding="utf-8")
    assert dict(chronicle.load(p)._origins) == dict(slow(p)._origins)


@pytest.mark.parametrize("chunk", [64, 256, 4096, 1 << 22])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("last_newline", [False, True])
def test_the_read_buffer_cuts_anywhere(
    synthetic: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
    bom: bool,
    last_newline: bool,
) -> None:
    """The file is read into one reused buffer: reads that end mid-line, lines longer
    than a read (the buffer grows), a byte order mark, a last line without its newline
    -- the rows and their line numbers are the ordinary loader's."""
    from chronicle import _bulk

    monkeypatch.setattr(_bulk, "_CHUNK", chunk)
    text = synthetic.read_text(encoding="utf-8").rstrip("\n")
    p = tmp_path / "cut.jsonl"
    p.write_text(("\ufeff" if bom else "") + text + ("\n" if last_newline else ""), "utf-8")
    fast = load_jsonl([p], "UTC")
    assert fast is not None
    assert_same(fast, slow(p))


def test_a_blank_line_in_any_read_is_left_to_the_ordinary_loader(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chronicle import _bulk

    monkeypatch.setattr(_bulk, "_CHUNK", 4096)
    lines = synthetic.read_text(encoding="utf-8").splitlines()
    for at in (1, len(lines) // 2, len(lines) - 1):
        p = tmp_path / f"blank{at}.jsonl"
        p.write_text("\n".join([*lines[:at], "  ", *lines[at:]]) + "\n", "utf-8")
        assert load_jsonl([p], "UTC") is None
        assert dict(chronicle.load(p)._origins) == dict(slow(p)._origins)


def test_several_files(synthetic: Path, tmp_path: Path) -> None:
    rows = _lines(synthetic)
    head = [r for r in rows if r["type"] != "account"]
    accounts = [r for r in rows if r["type"] == "account"]
    a = _write(tmp_path / "a.jsonl", head + accounts[:700])
    b = _write(tmp_path / "b.jsonl", [rows[0], *accounts[700:]])
    fast = load_jsonl([a, b], "UTC")
    assert fast is not None
    ordinary = build([*read_path(a), *read_path(b)])
    assert_same(fast, ordinary)
    assert fast.origin("account", accounts[-1]["id"])[0] == str(b)


# ---------------------------------------------------------------------------- dates

texts = st.builds(
    lambda y, m, d, h, mi, s, off, q, shape: shape(y, m, d, h, mi, s, off) + q,
    st.integers(1, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 24),
    st.integers(0, 60),
    st.integers(0, 60),
    st.sampled_from(["Z", "+08:00", "-07:00", "-08:00", "+05:30", "+00:00", "+01:00"]),
    st.sampled_from(["", "", "~", "?", "%"]),
    st.sampled_from(
        [
            lambda y, m, d, h, mi, s, off: f"{y:04d}",
            lambda y, m, d, h, mi, s, off: f"{y:04d}-{m:02d}",
            lambda y, m, d, h, mi, s, off: f"{y:04d}-{m:02d}-{d:02d}",
            lambda y, m, d, h, mi, s, off: f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}{off}",
            lambda y, m, d, h, mi, s, off: f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{off}",
        ]
    ),
)


@settings(max_examples=200)
@given(
    text=texts,
    tz=st.sampled_from([*ZONES, "America/Los_Angeles", "Europe/Berlin", "Australia/Lord_Howe"]),
)
def test_fast_when_is_parse_when(text: str, tz: str) -> None:
    try:
        fast = fast_when(text, tz)
    except NotCanonical:
        return
    slow_w = parse_when(text, tz=tz)
    assert fast == slow_w
    assert (fast.text, fast.inferred, fast._e, fast._l, fast.tz) == (
        slow_w.text,
        slow_w.inferred,
        slow_w._e,
        slow_w._l,
        slow_w.tz,
    )
    assert fast.earliest.isoformat() == slow_w.earliest.isoformat()
    assert fast.latest.isoformat() == slow_w.latest.isoformat()
    assert fast.earliest.tzinfo == slow_w.earliest.tzinfo


def test_fast_when_declines_what_it_does_not_cover() -> None:
    for text, tz in [
        ("2022-36", "Asia/Shanghai"),
        ("[..2023-03-17]", "Asia/Shanghai"),
        ("2022-09/2023-03", "Asia/Shanghai"),
        ("2023-11-05T01:30-07:00", "America/Los_Angeles"),  # a wall time the clocks repeat
        ("2023-03-12T02:30", "America/Los_Angeles"),  # no offset: a clock time, in a gap
        ("0001-01-01T00:00Z", "America/New_York"),  # before 0001-01-01 in that zone
        ("3月16日", "Asia/Shanghai"),
        ("Sept 2022", "Asia/Shanghai"),
        ("2023-02-29", "Asia/Shanghai"),
    ]:
        with pytest.raises(NotCanonical):
            fast_when(text, tz)


@pytest.mark.parametrize(
    ("text", "tz", "kept_in"),
    [
        ("2023-03-16T14:00+09:00", "Asia/Shanghai", "+09:00"),
        ("2015-12-24T14:41:00-07:00", "Asia/Shanghai", "-07:00"),
        ("2023-03-16T06:00Z", "Asia/Shanghai", "UTC"),
        ("2023-01-05T10:00Z", "Europe/London", "Europe/London"),  # agrees in winter
        ("2023-07-05T10:00Z", "Europe/London", "UTC"),  # not in summer
        ("2023-03-12T02:30-08:00", "America/Los_Angeles", "-08:00"),  # 03:30 PDT, in no gap
    ],
)
def test_fast_when_keeps_another_zones_offset_as_parse_when_does(
    text: str, tz: str, kept_in: str
) -> None:
    fast, slow = fast_when(text, tz), parse_when(text, tz=tz)
    assert fast.tz == slow.tz == kept_in
    assert fast == slow and (fast._e, fast._l) == (slow._e, slow._l)
    assert fast.earliest.tzinfo == slow.earliest.tzinfo


@pytest.mark.parametrize("second_declares_zone", [True, False])
def test_a_file_without_a_zone_takes_the_one_the_others_agree_on(
    synthetic: Path, tmp_path: Path, second_declares_zone: bool
) -> None:
    rows = _lines(synthetic)
    head = [r for r in rows if r["type"] != "account"]
    accounts = [r for r in rows if r["type"] == "account"]
    a = _write(tmp_path / "a.jsonl", head + accounts[:10])
    b = _write(tmp_path / "b.jsonl", ([rows[0]] if second_declares_zone else []) + accounts[10:20])
    ordinary = build([*read_path(a), *read_path(b)])
    assert chronicle.load(a, b) == ordinary
    fast = load_jsonl([a, b], "UTC")
    if fast is not None:
        assert_same(fast, ordinary)


def test_records_before_the_ledger_line(synthetic: Path, tmp_path: Path) -> None:
    rows = _lines(synthetic)
    p = _write(tmp_path / "late-zone.jsonl", rows[1:] + rows[:1])
    ordinary = slow(p)
    assert chronicle.load(p) == ordinary
    assert chronicle.load(p).tz == ordinary.tz


@pytest.mark.parametrize(
    "body",
    [
        # two objects on one line, one object over two: as many rows as lines
        '{"type": "account", "id": "a1", "kind": "launch", "title": "T", "when": "2023", '
        '"citations": [{"source": "s1"}]} {"type": "account", "id": "a2", "kind": "launch", '
        '"title": "T", "when": "2023", "citations": [{"source": "s1"}]}\n'
        '{"type": "account", "id": "a3", "kind": "launch", "title": "T", "when": "2023",\n'
        ' "citations": [{"source": "s1"}]}\n',
        # the same, the split object's first line ending in a nested "}"
        '{"type": "account", "id": "a1", "kind": "launch", "title": "T", "when": "2023", '
        '"citations": [{"source": "s1"}]} {"type": "account", "id": "a2", "kind": "launch", '
        '"title": "T", "when": "2023", "citations": [{"source": "s1"}]}\n'
        '{"type": "account", "id": "a3", "kind": "launch", "title": "T", "when": "2023", '
        '"citations": [{"source": "s1"}]\n}\n',
    ],
)
def test_lines_that_do_not_hold_one_object_each_leave_the_fast_path(
    tmp_path: Path, body: str
) -> None:
    """Found by review: two faults that cancel out passed the count of rows against lines."""
    path = tmp_path / "l.jsonl"
    head = '{"type": "source", "id": "s1", "title": "S", "kind": "news"}\n'
    path.write_text(head + body, encoding="utf-8")
    assert load_jsonl([path], "UTC") is None
    with pytest.raises(chronicle.UnreadableInput, match="not valid JSON"):
        chronicle.load(path)


# ---------------------------------------------------------------------------- hostile lines


@pytest.mark.parametrize(
    "line",
    [
        '{"type": "ledger", "title": ' + "[" * 100_000 + "]" * 100_000 + "}",  # msgspec recurses
        '{"type": "account", "id": "a", "when": {"edtf": ' + "[" * 5000 + "]" * 5000 + "}}",
        '{"type": "ledger", "tz": "Mars/Olympus"}',  # no record after it
        '{"type": "ledger", "tz": ""}',
        '{"type": "ledger", "title": ["a list"]}',
        '{"type": "source", "id": "s2", "title": "S\\ud800", "kind": "news"}',  # half a pair
        '{"type": "source", "id": "s2", "title": "S", "kind": "news", "reliability": '
        + "9" * 5000
        + "}",
    ],
)
def test_hostile_lines_are_left_to_the_ordinary_loader(
    synthetic: Path, tmp_path: Path, line: str
) -> None:
    """Found by the hostile-input sweep: a line nested deeper than msgspec follows raised
    a RecursionError out of the fast path, and a ledger line with an unknown zone and no
    record after it loaded there (the ordinary loader refuses it)."""
    text = synthetic.read_text(encoding="utf-8")
    p = tmp_path / "hostile.jsonl"
    p.write_text(text + line + "\n", encoding="utf-8")
    assert load_jsonl([p], "UTC") is None
    with pytest.raises(UnreadableInput) as e:
        chronicle.load(p)
    assert e.value.path == str(p) and e.value.line == text.count("\n") + 1


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_files_never_escape_the_fast_path(
    synthetic: Path, tmp_path: Path, data: st.DataObject
) -> None:
    """Bytes inserted, replaced or cut anywhere in a valid file: the fast path gives the
    ordinary loader's ledger or declines, and never raises."""
    lines = synthetic.read_bytes().split(b"\n")
    body = bytearray(b"\n".join(lines[:40]) + b"\n")
    pieces = [b"\x00", b"\xff", b"\r", b"\n", b"{", b"}", b"[", b'"', b"\\ud800", b"9" * 30, b"1e999", b"NaN", b" "]  # fmt: skip
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(body)))
        piece = data.draw(st.sampled_from(pieces) | st.binary(min_size=1, max_size=3))
        if data.draw(st.booleans()):
            body[at:at] = piece
        else:
            del body[at : at + len(piece)]
    p = tmp_path / "mutated.jsonl"
    p.write_bytes(bytes(body))
    fast = load_jsonl([p], "UTC")
    try:
        ordinary = slow(p)
    except (LedgerError, UnreadableInput):
        assert fast is None
        return
    if fast is not None:
        assert_same(fast, ordinary)
