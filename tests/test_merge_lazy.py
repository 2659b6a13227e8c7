"""A merged timeline builds each event on first use, and nothing shows it but the time.

``Ledger.merge`` groups the accounts at once and builds an event (statuses, decisions,
explanations) the first time it is asked for. These tests compare timelines whose
events are asked for in any order, or only some of them, with timelines built whole,
on the invented ledgers of ``test_merge_props`` and on the fixtures.
"""

from __future__ import annotations

import copy
import math
import pickle
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import Flag, Ledger, Resolution, Source, Status, Timeline, When, parse_when
from chronicle._merge_values import when_interval

from .test_merge_props import ledgers

FIXTURES = Path(__file__).parent / "fixtures" / "merge"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.toml"))


def _whole(ledger: Ledger) -> Timeline:
    """A timeline with every event built before anything else is asked of it."""
    t = ledger.merge()
    assert len(t.events) == len(t)
    return t


def _span(w: When | chronicle.Span) -> tuple[float, float]:
    return (-math.inf if w._e is None else w._e, math.inf if w._l is None else w._l)


def _same_event(a: chronicle.MergedEvent, b: chronicle.MergedEvent) -> None:
    assert a == b
    assert a.explain() == b.explain()
    assert a.to_data() == b.to_data()


@given(ledgers(), st.data())
def test_events_asked_for_in_any_order_are_those_built_at_once(
    ledger: Ledger, data: st.DataObject
) -> None:
    whole = _whole(ledger)
    keys = [e.event for e in whole]
    order = data.draw(st.permutations(keys))
    some = order[: data.draw(st.integers(0, len(order)))]
    lazy = ledger.merge()
    assert len(lazy) == len(whole)
    for k in some:
        _same_event(lazy[k], whole[k])
        assert lazy[k] is lazy[k]  # built once, kept
    first = {k: lazy[k] for k in some}
    assert lazy == whole
    assert [e.event for e in lazy] == keys  # the same chronological order
    assert all(first[k] is next(e for e in lazy if e.event == k) for k in some)
    assert [e.explain() for e in lazy] == [e.explain() for e in whole]
    assert lazy.to_data() == whole.to_data()


@given(ledgers(), st.data())
def test_event_of_and_missing_keys_answer_alike_before_and_after_building(
    ledger: Ledger, data: st.DataObject
) -> None:
    whole = _whole(ledger)
    lazy = ledger.merge()
    ids = data.draw(st.lists(st.sampled_from([a.id for a in ledger.accounts]), max_size=4))
    for a in ids:
        _same_event(lazy.event_of(a), whole.event_of(a))
        assert lazy.event_of(a) is lazy[lazy.event_of(a).event]
    for missing in ("no-such-event", "s0", ""):
        with pytest.raises(KeyError):
            lazy[missing]
        with pytest.raises(KeyError):
            lazy.event_of(missing)
    list(lazy)
    with pytest.raises(KeyError):
        lazy["no-such-event"]


@given(ledgers(), st.data())
def test_conflicts_counts_and_exports_do_not_depend_on_what_was_built_first(
    ledger: Ledger, data: st.DataObject
) -> None:
    whole = _whole(ledger)
    lazy = ledger.merge()
    keys = [e.event for e in whole]
    for k in data.draw(st.lists(st.sampled_from(keys), max_size=3)):
        lazy[k]
    assert list(lazy.conflicts()) == list(whole.conflicts())
    assert lazy.unresolved == whole.unresolved
    assert lazy.counts() == whole.counts()
    assert lazy.orphans == whole.orphans
    assert chronicle.to_csv(lazy.events, ledger=ledger) == chronicle.to_csv(
        whole.events, ledger=ledger
    )


@given(ledgers())
def test_the_groups_date_intersections_agree_with_the_built_events(ledger: Ledger) -> None:
    """What merging works out before building (the pandas baseline's work) is what the events say."""
    lazy = ledger.merge()
    bounds = lazy._source.grouping.bounds  # type: ignore[union-attr]
    assert sorted(bounds) == sorted(e.event for e in lazy)
    for e in lazy:
        n, lo, hi = bounds[e.event]
        assert n == len(e.accounts)
        accounts = [ledger.account(a) for a in e.accounts]
        assert lo == max(_span(a.when)[0] for a in accounts)
        assert hi == min(_span(a.when)[1] for a in accounts)
        plain = (
            all(isinstance(a.when, When) and not a.planned for a in accounts)
            and not any(r.event in (e.event, *e.accounts) for r in ledger.resolutions)
            and Flag.SERIES not in e.all_flags
        )
        if not plain:
            continue
        (when,) = e.field("when")
        if lo <= hi:
            assert when.status in (Status.CONSISTENT, Status.REFINED)
            assert isinstance(e.when, When)
            assert when_interval(e.when) == (lo, hi)
        else:
            assert when.status in (Status.RESOLVED, Status.CONTESTED, Status.UNRESOLVED)


def test_adding_to_the_ledger_after_merging_changes_no_event_built_later() -> None:
    ledger = chronicle.load(FIXTURES / "pins.toml")
    before = chronicle.load(FIXTURES / "pins.toml").merge()
    lazy = ledger.merge()
    ledger.add(
        Source(id="pn-later-source", title="Invented later source", kind="news", reliability=9),
        Resolution(
            id="pn-pin-later",
            event="pn-region-opening",
            field="when",
            account="pn-a-outlet",
            reason="Recorded after merging (invented).",
            recorded=parse_when("2021-09-01"),
        ),
    )
    assert ledger.merge()["pn-region-opening"] != before["pn-region-opening"]
    assert lazy["pn-region-opening"] == before["pn-region-opening"]
    assert lazy == before


@pytest.mark.parametrize("name", NAMES)
def test_a_timeline_is_frozen_hashable_and_copies_whole(name: str) -> None:
    ledger = chronicle.load(FIXTURES / f"{name}.toml")
    lazy, whole = ledger.merge(), _whole(ledger)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        lazy.orphans = ()  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del lazy.policy
    assert hash(ledger.merge()) == hash(whole)
    for again in (pickle.loads(pickle.dumps(ledger.merge())), copy.deepcopy(ledger.merge())):
        assert again == whole
        assert again.policy == whole.policy
        assert [e.explain() for e in again] == [e.explain() for e in whole]
    assert repr(ledger.merge()) == repr(whole)
    assert repr(lazy).startswith("Timeline(events=(MergedEvent(")
    assert lazy != whole.events and lazy == whole


def test_a_timeline_made_from_events_works_as_before() -> None:
    whole = _whole(chronicle.load(FIXTURES / "launch_month.toml"))
    t = Timeline(events=whole.events, orphans=whole.orphans)
    assert t == whole and len(t) == len(whole)
    assert t["lm-launch"] is whole["lm-launch"]
    assert t.event_of("lm-cloud") is whole["lm-launch"]
    with pytest.raises(KeyError):
        t.event_of("nothing")
    assert t.counts() == whole.counts()


def test_merging_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    ledger = chronicle.load(FIXTURES / "figures.toml")
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            t = ledger.merge()
            list(t)
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


def test_an_unvalidated_ledger_with_repeated_ids_keeps_every_group() -> None:
    """Two accounts without a key that share an id but not a kind: two events of that name."""
    src = Source(id="s", title="Invented source", kind="news")
    accounts = [
        chronicle.Account(
            id="dup",
            kind=kind,
            title="Invented launch",
            when=parse_when(day),
            citations=[chronicle.Citation(source="s")],
        )
        for kind, day in (("launch", "2021-03-01"), ("release", "2021-04-01"))
    ]
    t = Ledger([src], [], accounts, validate=False).merge()
    assert len(t) == 2
    assert [e.kind for e in t] == ["launch", "release"]
    assert t["dup"] is t.events[-1]  # the later, as a dict of the events keeps it
    assert t.event_of("dup") is t.events[-1]


@given(ledgers())
def test_orphans_are_the_resolutions_that_no_event_answers_to(ledger: Ledger) -> None:
    """An event answers to its key and to its accounts' event keys, as before building."""
    extra = [
        Resolution(id=f"x-{n}", event=name, field="when", value="2021", reason="Invented.")
        for n, name in enumerate(["nothing", *(a.id for a in ledger.accounts)])
    ]
    ledger = Ledger(
        ledger.sources.values(),
        ledger.actors.values(),
        ledger.accounts,
        [*ledger.resolutions, *extra],
        tz=ledger.tz,
        validate=False,
    )
    t = ledger.merge()
    names = {e.event for e in t} | {ledger.account(a).event_key for e in t for a in e.accounts}
    assert t.orphans == tuple(
        f"Resolution {r.id} is stale: no account of event {r.event} is in the ledger."
        for r in sorted(ledger.resolutions, key=lambda r: r.id)
        if r.event not in names
    )
    assert t.orphans  # "nothing" at least


def _grouping_facts(ledger: Ledger) -> tuple[object, ...]:
    g = ledger.merge()._source.grouping  # type: ignore[union-attr]
    full = [c for c in range(len(g.keys)) if g.counts[c]]
    return (
        g.keys,
        g.assign,
        g.order,
        g.starts,
        g.counts,
        [g.late[c] for c in full],
        [g.early[c] for c in full],
        g.disjoint,
        g.code,
        g.bounds,
        [(x.key, x.accounts, x.keyed, x.ambiguous) for x in g.groups()],
    )


def _both_ways(ledger: Ledger) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """What grouping works out with numpy, and without it."""
    from chronicle import _merge_group

    before = _merge_group._NUMPY_FROM
    try:
        _merge_group._NUMPY_FROM = 0
        with_numpy = _grouping_facts(ledger)
        _merge_group._NUMPY_FROM = 10**9
        return with_numpy, _grouping_facts(ledger)
    finally:
        _merge_group._NUMPY_FROM = before


@given(ledgers())
def test_grouping_with_numpy_and_without_agree(ledger: Ledger) -> None:
    """Large ledgers sort and sum their groups with numpy, small ones in Python: the same."""
    with_numpy, without = _both_ways(ledger)
    assert with_numpy == without


@pytest.mark.parametrize("name", NAMES)
def test_grouping_with_numpy_and_without_agree_on_the_fixtures(name: str) -> None:
    with_numpy, without = _both_ways(chronicle.load(FIXTURES / f"{name}.toml"))
    assert with_numpy == without
