"""The numbering the bulk loader leaves with a ledger (``chronicle._index.Numbering``):
exactly valid when given, the same index and answers as without it, used once, and never
inherited by a ledger made from another one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import Account, Citation, Ledger, Query, parse_when
from chronicle._bulk import load_jsonl
from chronicle._index import NUMBERING, Index, Numbering, index_of
from chronicle._query import run_query
from tests.conftest import write_synthetic

from .strategies import ledgers


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic ledger big enough to be indexed by default (``SMALL`` accounts or more)."""
    return write_synthetic(tmp_path_factory.mktemp("synth"), 2500)


def _loaded(path: Path) -> Ledger:
    ledger = load_jsonl([path], "UTC")
    assert ledger is not None
    return ledger


def _numbering(ledger: Ledger) -> Numbering:
    got = ledger._cache.get(NUMBERING)
    assert isinstance(got, Numbering)
    return got


def _picture(index: Index) -> Any:
    """Everything an index answers from, as plain values."""

    def table(t: Any) -> Any:
        return (list(t.starts), list(t.ends), list(t.ranks), dict(t.parts))

    starts, ends, classes = index._arrays
    return (
        [a.id for a in index.chrono.tolist()],
        starts.tolist(),
        ends.tolist(),
        classes.tolist(),
        table(index.own),
        table(index.families),
    )


def assert_valid(ledger: Ledger, numbering: Numbering) -> None:
    accounts = ledger._accounts
    assert numbering.fits(accounts)
    for i, a in enumerate(accounts):
        assert numbering.date_values[numbering.dates[i]] is a.when
        assert numbering.actor_values[numbering.actors[i]] is a.actors


def test_a_bulk_loaded_ledger_numbers_its_accounts(synthetic: Path) -> None:
    ledger = _loaded(synthetic)
    numbering = _numbering(ledger)
    assert_valid(ledger, numbering)
    # equal actor lists are one object in a loaded ledger: fewer numbers than accounts
    assert len(numbering.actor_values) < len(ledger)


def test_the_index_is_the_same_with_and_without_the_numbering(synthetic: Path) -> None:
    ledger = _loaded(synthetic)
    numbering = _numbering(ledger)
    assert _picture(Index(ledger, numbering)) == _picture(Index(ledger))


def test_the_numbering_serves_one_build_then_goes(synthetic: Path) -> None:
    ledger = _loaded(synthetic)
    numbering = _numbering(ledger)
    index = index_of(ledger)
    assert NUMBERING not in ledger._cache  # dropped: the index holds what it gave
    assert index_of(ledger) is index
    assert _picture(index) == _picture(Index(ledger))
    assert _picture(index) == _picture(Index(ledger, numbering))


def test_a_numbering_that_does_not_fit_is_not_used(synthetic: Path) -> None:
    ledger = _loaded(synthetic)
    numbering = _numbering(ledger)
    short = Numbering(
        numbering.dates[:-1], numbering.date_values, numbering.actors, numbering.actor_values
    )
    assert not short.fits(ledger._accounts)
    assert _picture(Index(ledger, short)) == _picture(Index(ledger))


def _queries(ledger: Ledger) -> list[Query]:
    actors = sorted(ledger.actors)[:: max(1, len(ledger.actors) // 12)]
    out = [Query(start="2022-09", end="2023-03"), Query(start="2023", mode="certainly")]
    for i, actor in enumerate(actors):
        out.append(Query(actor=actor, part_of=bool(i % 2)))
        out.append(Query(actor=actor, start="2021-06", end="2022-06", part_of=bool(i % 3)))
    return out


def _ids(accounts: list[Account]) -> list[str]:
    return [a.id for a in accounts]


def test_derived_ledgers_do_not_inherit_the_numbering(synthetic: Path) -> None:
    ledger = _loaded(synthetic)
    assert NUMBERING in ledger._cache
    day = parse_when("2022-06-30").latest.date()
    derived = [
        ledger.as_of(day),
        Ledger(
            ledger.sources.values(),
            ledger.actors.values(),
            ledger.accounts[::-1],  # the same accounts in another order
            tz=ledger.tz,
            validate=False,
        ),
        Ledger(
            ledger.sources.values(),
            ledger.actors.values(),
            [a for a in ledger.accounts if len(a.actors) > 1],
            tz=ledger.tz,
            validate=False,
        ),
    ]
    for other in derived:
        assert NUMBERING not in other._cache
        for q in _queries(other):
            assert _ids(run_query(other, q, use_index=True)) == _ids(
                run_query(other, q, use_index=False)
            )


def test_adding_an_account_drops_the_numbering(synthetic: Path) -> None:
    ledger = _loaded(synthetic)
    first = ledger.accounts[0]
    ledger.add(
        Account(
            id="added-later",
            kind="launch",
            title="Added after the load",
            when=parse_when("2022-10-01"),
            citations=[Citation(source=first.source)],
            actors=first.actors,
        )
    )
    assert NUMBERING not in ledger._cache
    for q in [*_queries(ledger), Query(start="2022-10-01", end="2022-10-01")]:
        got = _ids(run_query(ledger, q, use_index=True))
        assert got == _ids(run_query(ledger, q, use_index=False))
    assert "added-later" in _ids(run_query(ledger, Query(start="2022-10-01", end="2022-10-01")))


def test_queries_on_a_loaded_ledger_match_a_scan(synthetic: Path) -> None:
    ledger = _loaded(synthetic)
    assert len(ledger) >= 2048  # indexed by default
    for q in _queries(ledger):
        indexed = _ids(run_query(ledger, q))
        assert NUMBERING not in ledger._cache
        assert indexed == _ids(run_query(ledger, q, use_index=False))


def test_accounts_read_before_their_sources_get_no_numbering(tmp_path: Path) -> None:
    """Accounts naming a source or actor further down the file are made last, out of
    order: the loader gives no numbering then, and the index numbers them itself."""
    rows: list[dict[str, Any]] = [
        {"type": "ledger", "tz": "Asia/Shanghai"},
        {"type": "account", "id": "early", "kind": "launch", "title": "Early",
         "when": "2023-03-16", "citations": [{"source": "later"}], "actors": ["baidu"]},
        {"type": "source", "id": "s1", "title": "One", "kind": "news", "published": "2023-03-20"},
        {"type": "actor", "id": "baidu", "name": "百度", "kind": "company"},
        {"type": "account", "id": "on-time", "kind": "launch", "title": "On time",
         "when": "2023-03", "citations": [{"source": "s1"}], "actors": ["baidu"]},
        {"type": "source", "id": "later", "title": "Later", "kind": "news"},
    ]  # fmt: skip
    path = tmp_path / "l.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    ledger = _loaded(path)
    assert NUMBERING not in ledger._cache
    q = Query(actor="baidu", start="2023-03")
    assert _ids(run_query(ledger, q, use_index=True)) == ["on-time", "early"]
    assert _ids(run_query(ledger, q, use_index=False)) == ["on-time", "early"]


@settings(max_examples=40, deadline=None)
@given(ledger=ledgers(max_accounts=25), data=st.data())
def test_any_loaded_ledger_is_numbered_right_and_indexed_the_same(
    ledger: Ledger, data: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("h") / "l.jsonl"
    ledger.save(path)
    loaded = load_jsonl([path], "UTC")
    if loaded is None:  # the fast path may decline; the ordinary loader gives no numbering
        assert NUMBERING not in chronicle.load(path)._cache
        return
    if NUMBERING not in loaded._cache:
        return  # (accounts made out of order)
    numbering = _numbering(loaded)
    assert_valid(loaded, numbering)
    if len(loaded):
        assert _picture(Index(loaded, numbering)) == _picture(Index(loaded))
    names = [n for a in loaded.actors.values() for n in (a.id, *a.all_names)]
    actor = data.draw(st.sampled_from(names)) if names and data.draw(st.booleans()) else ()
    start = data.draw(st.none() | st.sampled_from(["1999-12", "2022", "2022-09-15", "2050-06"]))
    q = Query(
        actor=actor,
        start=start,
        mode=data.draw(st.sampled_from(["possibly", "certainly"])),
        part_of=data.draw(st.booleans()),
    )
    assert _ids(run_query(loaded, q, use_index=True)) == _ids(run_query(loaded, q, use_index=False))
