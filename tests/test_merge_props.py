"""Properties of merging: order, file splitting, saving and loading change nothing.

The ledgers are drawn from a small invented vocabulary (one company, its products,
a handful of dates and titles) so that accounts often group and often conflict.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import (
    Account,
    Actor,
    Citation,
    Flag,
    Ledger,
    Quantity,
    Resolution,
    Source,
    Status,
    Timeline,
    When,
    parse_when,
)
from chronicle._write import dump

ZONES = ["Asia/Shanghai", "UTC"]
DATES = [
    "2021",
    "2021-03",
    "2021-04",
    "2021-03-16",
    "2021-03-17",
    "2021-03-16T23:00",
    "[..2021-03-20]",
    "2021-03/2021-05",
]
PUBLISHED = ["2021-03-18", "2021-03-25", "2021-05-01", "[..2021-06-01]"]
TITLES = [
    "星云发布模型",
    "Nebula launches its model",
    "星云模型开启邀测",
    "星云模型正式發佈",
    "星云模型2.0发布",
    "星云发布云服务",
]
ACTORS = [
    Actor(id="nebula", name="星云科技", kind="company", aliases=["Nebula", "星云"]),
    Actor(id="model", name="星云模型", kind="model", aliases=["Nebula model"], part_of="nebula"),
    Actor(id="model-2", name="星云模型2.0", kind="model", part_of="nebula"),
    Actor(id="cloud", name="星云云服务", kind="product", part_of="nebula"),
]


@st.composite
def ledgers(draw: Any) -> Ledger:
    sources = []
    for i in range(3):
        cites = ("s0",) if i > 0 and draw(st.booleans()) else ()
        sources.append(
            Source(
                id=f"s{i}",
                title=f"Invented source {i}",
                kind=draw(st.sampled_from(["news", "press_release", "report"])),
                published=draw(st.none() | st.sampled_from(PUBLISHED).map(parse_when)),
                reliability=draw(st.none() | st.integers(1, 3)),
                cites=cites,
            )
        )
    n = draw(st.integers(1, 9))
    accounts = []
    for i in range(n):
        quantity = None
        if draw(st.integers(0, 2)) == 0:
            bound = draw(st.sampled_from(["exact", "at_least", "at_most", "about"]))
            quantity = Quantity(
                value=draw(st.sampled_from([80_000, 82_000, 100_000])),
                unit=draw(st.sampled_from(["enterprises", "devices"])),
                bound=bound,
                as_of=draw(st.none() | st.sampled_from(["2021-03", "2021-06"]).map(parse_when)),
            )
        accounts.append(
            Account(
                id=f"a{i}",
                event=draw(st.sampled_from([None, None, "e1", "e2"])),
                kind=draw(st.sampled_from(["launch", "release"])),
                title=draw(st.sampled_from(TITLES)),
                when=parse_when(draw(st.sampled_from(DATES)), tz=draw(st.sampled_from(ZONES))),
                citations=[Citation(source=draw(st.sampled_from(["s0", "s1", "s2"])))],
                actors=draw(
                    st.lists(st.sampled_from([a.id for a in ACTORS]), max_size=2, unique=True)
                ),
                quantity=quantity,
                tags=draw(st.lists(st.sampled_from(["cumulative", "correction"]), unique=True)),
                planned=draw(st.integers(0, 7)) == 0,
            )
        )
    events = sorted({a.event_key for a in accounts})
    resolutions = []
    for k in range(draw(st.integers(0, 2))):
        by_account = draw(st.booleans())
        field = draw(st.sampled_from(["when", "quantity"]))
        values = ["2021-03-16", "2021-04"] if field == "when" else ["82000", "≥ 80000"]
        resolutions.append(
            Resolution(
                id=f"r{k}",
                event=draw(st.sampled_from(events)),
                field=field,
                reason="An invented decision.",
                account=draw(st.sampled_from([a.id for a in accounts])) if by_account else None,
                value=None if by_account else draw(st.sampled_from(values)),
                recorded=draw(
                    st.none() | st.sampled_from(["2021-03-20", "2021-04-15"]).map(parse_when)
                ),
            )
        )
    return Ledger(sources, ACTORS, accounts, resolutions, tz="Asia/Shanghai")


def _rebuilt(ledger: Ledger, order: list[int]) -> Ledger:
    accounts = [ledger.accounts[i] for i in order]
    return Ledger(
        reversed(list(ledger.sources.values())),
        reversed(list(ledger.actors.values())),
        accounts,
        reversed(ledger.resolutions),
        tz=ledger.tz,
    )


def _same(a: Timeline, b: Timeline) -> None:
    assert a == b
    assert [e.explain() for e in a] == [e.explain() for e in b]
    assert a.to_data() == b.to_data()


@given(ledgers(), st.data())
def test_merging_does_not_depend_on_input_order(ledger: Ledger, data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(len(ledger.accounts))))
    _same(ledger.merge(), _rebuilt(ledger, list(order)).merge())


_BLOCK = re.compile(r"(?m)^(?=\[\[(?:source|actor|account|resolution)\]\])")


@given(ledgers(), st.data())
def test_merging_does_not_depend_on_how_accounts_are_split_across_files(
    ledger: Ledger, data: st.DataObject
) -> None:
    text = dump(ledger.to_data(), "toml").decode()
    head, *blocks = _BLOCK.split(text)
    files: dict[int, list[str]] = {0: []}
    for block in blocks:
        n = data.draw(st.integers(0, 2)) if block.startswith("[[account]]") else 0
        files.setdefault(n, []).append(block)
    with tempfile.TemporaryDirectory() as tmp:
        for n, parts in files.items():
            (Path(tmp) / f"part-{n}.toml").write_text(head + "\n".join(parts), encoding="utf-8")
        split = chronicle.load(tmp)
    _same(ledger.merge(), split.merge())


@given(ledgers(), st.sampled_from(["toml", "json", "jsonl"]))
def test_merging_a_saved_and_loaded_ledger_changes_nothing(ledger: Ledger, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"ledger.{fmt}"
        ledger.save(path)
        again = chronicle.load(path)
    _same(ledger.merge(), again.merge())


@given(ledgers())
def test_every_account_is_in_exactly_one_event(ledger: Ledger) -> None:
    t = ledger.merge()
    seen = [a for e in t for a in e.accounts]
    assert sorted(seen) == sorted(a.id for a in ledger.accounts)
    assert len({e.event for e in t}) == len(t)


@given(ledgers())
def test_values_are_accounted_for(ledger: Ledger) -> None:
    """Every value says which accounts made it; refined dates lie within those accounts'."""
    for e in ledger.merge():
        for f in e.fields:
            named = set(f.determined_by) | set(f.coarser)
            over = {o.account for o in f.overruled}
            assert not named & over
            assert named | over <= set(e.accounts)
            if f.status in (Status.CONSISTENT, Status.REFINED) and isinstance(f.value, When):
                if Flag.SERIES in f.flags:
                    continue
                for acc in named:
                    w = ledger.account(acc).when
                    part = w if isinstance(w, When) else (w.start if f.field == "start" else w.end)
                    assert part is not None
                    assert f.value.within(part)
            if f.status is Status.UNRESOLVED:
                assert len(f.candidates) >= 2


@given(ledgers())
def test_grouped_accounts_without_keys_match_each_other(ledger: Ledger) -> None:
    """Accounts without a key share an event only with compatible dates (or a near-miss)."""
    for e in ledger.merge():
        loose = [ledger.account(a) for a in e.accounts if ledger.account(a).event is None]
        if any(ledger.account(a).event is not None for a in e.accounts):
            continue
        for x in loose:
            for y in loose:
                assert x.kind == y.kind
                assert x.planned == y.planned
