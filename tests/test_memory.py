"""What a ledger loaded by the fast JSON Lines path holds: equal values are one object,
and nothing the loader used along the way stays alive with the ledger."""

from __future__ import annotations

import contextlib
import gc
import json
import math
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from chronicle import Account, Ledger, _bulk
from chronicle._bulk import load_jsonl
from chronicle._files import read_path
from chronicle._ledger import build


def _write(path: Path, accounts: list[dict[str, Any]]) -> Path:
    rows: list[dict[str, Any]] = [
        {"type": "ledger", "tz": "Asia/Shanghai"},
        {"type": "source", "id": "s1", "title": "One", "kind": "news", "published": "2023-03-20"},
        {"type": "source", "id": "s2", "title": "Two", "kind": "news", "published": "2023-03-21"},
        {"type": "actor", "id": "baidu", "name": "百度", "kind": "company"},
    ]
    for i, a in enumerate(accounts):
        rows.append(
            {"type": "account", "id": f"a{i}", "kind": "launch", "title": "百度发布文心一言",
             "when": "2023-03-16", "citations": [{"source": "s1"}], **a}
        )  # fmt: skip
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _load(path: Path) -> Ledger:
    fast = load_jsonl([path], "UTC")
    assert fast is not None
    assert fast == build(list(read_path(path)))
    return fast


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decode a few lines at a time, so that the accounts below fall in different chunks."""
    monkeypatch.setattr(_bulk, "_CHUNK", 256)


ACCOUNTS: list[dict[str, Any]] = [
    {"citations": [{"source": "s1", "quote": "百度今日发布文心一言。"}], "actors": ["baidu"]},
    {"citations": [{"source": "s2", "quote": "百度今日发布文心一言。"}], "actors": ["baidu"],
     "translations": {"en": "Baidu launches ERNIE Bot"}},
    {"citations": [{"source": "s1", "quote": "百度今日发布文心一言。"}],
     "translations": {"en": "Baidu launches ERNIE Bot"}},
    {"citations": [{"source": "s2", "locator": "p. 1"},
                   {"source": "s1", "quote": "百度今日发布文心一言。"}]},
    {"citations": [{"source": "s2", "locator": "p. 1"}]},
]  # fmt: skip


def test_equal_values_are_one_object(tmp_path: Path, small_chunks: None) -> None:
    """Unquoted citations, translations, actor lists and dates are shared across the
    whole file."""
    a, b, c, d, e = _load(_write(tmp_path / "l.jsonl", ACCOUNTS)).accounts
    assert {type(x) for x in (a, b, c, d, e)} == {Account}  # made as _Unfrozen, handed out frozen
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.title = "x"  # type: ignore[misc]
    # equal citations without a quote, lone or not: one Citation
    assert e.citations[0] is d.citations[0]
    assert b.translations is c.translations
    assert a.actors is b.actors
    assert a.when is b.when is c.when is d.when
    assert a.tags is d.tags == ()


def test_nearby_texts_are_one_object(tmp_path: Path) -> None:
    """Titles, quotes and quoted citations are shared among neighbours: an event's
    accounts sit together."""
    a, b, c, d, e = _load(_write(tmp_path / "l.jsonl", ACCOUNTS)).accounts
    assert a.title is b.title is c.title is d.title is e.title
    assert a.citations[0].quote is b.citations[0].quote is d.citations[1].quote
    # equal quoted citations, lone or not: one Citation (and one 1-tuple for the lone ones)
    assert a.citations is c.citations
    assert d.citations[1] is a.citations[0]
    assert e.citations[0] is d.citations[0]


def test_confidence_zero_keeps_its_sign(tmp_path: Path) -> None:
    ledger = _load(
        _write(
            tmp_path / "l.jsonl",
            [
                {"citations": [{"source": "s1", "confidence": 0.0}]},
                {"citations": [{"source": "s1", "confidence": -0.0}]},
            ],
        )
    )
    confidences = [a.citations[0].confidence for a in ledger.accounts]
    assert [math.copysign(1, c) for c in confidences if c is not None] == [1, -1]


def test_quantity_zero_keeps_its_sign(tmp_path: Path) -> None:
    zero = {"value": 0.0, "unit": "家"}
    rows = [{"quantity": zero}, {"quantity": {**zero, "value": -0.0}}, {"quantity": zero}]
    ledger = _load(_write(tmp_path / "l.jsonl", rows))
    values = [a.quantity.value for a in ledger.accounts if a.quantity is not None]
    assert [math.copysign(1, v) for v in values] == [1, -1, 1]


@pytest.fixture
def builders(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[Any]]:
    """Weak references to every bulk builder made while the test runs."""
    made: list[weakref.ref[Any]] = []
    init = _bulk._Builder.__init__

    def spy(self: Any, *args: Any) -> None:
        init(self, *args)
        made.append(weakref.ref(self))

    monkeypatch.setattr(_bulk._Builder, "__init__", spy)
    return made


@contextlib.contextmanager
def gc_off() -> Iterator[None]:
    """The cyclic collector off, so that only reference counting frees anything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def test_nothing_but_the_ledger_stays_alive(
    tmp_path: Path, builders: list[weakref.ref[Any]]
) -> None:
    """The builder refers to itself; it must be taken apart, not left to the collector.

    ``load_jsonl`` may ``gc.freeze()`` whatever is alive after a big load, and a cycle
    frozen there is never freed.
    """
    path = _write(tmp_path / "l.jsonl", [{"event": "e1"}, {"event": "e1"}])
    made = builders
    with gc_off():
        ledger = load_jsonl([path], "UTC")
        assert ledger is not None and len(made) == 1
        assert made[0]() is None  # freed by reference counting alone


def test_a_declined_file_leaves_no_builder_behind(
    tmp_path: Path, builders: list[weakref.ref[Any]]
) -> None:
    path = _write(tmp_path / "l.jsonl", [{"id": "same"}, {"id": "same"}])  # a duplicate id
    made = builders
    with gc_off():
        assert load_jsonl([path], "UTC") is None
        assert made and made[0]() is None
