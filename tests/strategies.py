"""Hypothesis strategies for chronicle's values and records (all data here is invented)."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

import pendulum
from hypothesis import strategies as st

from chronicle import (
    Account,
    Actor,
    Citation,
    Ledger,
    Precision,
    Quantity,
    Resolution,
    Source,
    Span,
    When,
)
from chronicle._calendar import get_zone, unit_end, unit_start

ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Europe/London", "+05:30", "-03:00"]


@st.composite
def datetimes(draw: Any, tz: str) -> pendulum.DateTime:
    naive = draw(
        st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2099, 12, 30))
    )
    return pendulum.instance(naive, tz=get_zone(tz))


@st.composite
def whens(draw: Any, zones: list[str] | None = None, open_bounds: bool = True) -> When:
    tz = draw(st.sampled_from(zones or ZONES))
    zone = get_zone(tz)
    p = draw(st.sampled_from(list(Precision)))
    a = draw(datetimes(tz))
    b = draw(datetimes(tz))
    if b < a:
        a, b = b, a
    e = unit_start(a, p, zone)
    l = unit_end(b, p, zone) if draw(st.booleans()) else unit_end(a, p, zone)
    if p.is_instant and draw(st.booleans()):
        l = e
    if open_bounds:
        side = draw(st.sampled_from(["none", "none", "none", "lo", "hi"]))
        if side == "lo":
            e = None
        elif side == "hi":
            l = None
    return When(e, l, p, tz, approximate=draw(st.booleans()), uncertain=draw(st.booleans()))


@st.composite
def spans(draw: Any) -> Span:
    tz = draw(st.sampled_from(ZONES))
    a = draw(whens(zones=[tz], open_bounds=False))
    b = draw(whens(zones=[tz], open_bounds=False))
    if b.certainly_before(a):
        a, b = b, a
    start: When | None = a
    end: When | None = b
    which = draw(st.sampled_from(["both", "both", "start", "end"]))
    if which == "start":
        end = None
    elif which == "end":
        start = None
    return Span(start, end)


ids = st.text(
    alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12
).filter(lambda s: s[0].isalnum())
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() != "")
tokens = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=10).filter(
    lambda s: s[0].isalpha()
)
numbers = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e15, max_value=1e15),
)


@st.composite
def quantities(draw: Any) -> Quantity:
    from chronicle import Bound

    bound = draw(st.sampled_from(list(Bound)))
    value = draw(numbers)
    upper = None
    if bound == Bound.BETWEEN:
        upper = value + abs(draw(numbers))
    return Quantity(
        value=value,
        unit=draw(texts),
        bound=bound,
        upper=upper,
        as_of=draw(st.none() | whens()),
        text=draw(st.none() | texts),
    )


@st.composite
def ledgers(draw: Any, max_accounts: int = 8) -> Ledger:
    """A small valid ledger; every date is EDTF-built, so it survives any context."""
    n_sources = draw(st.integers(1, 3))
    source_ids = draw(st.lists(ids, min_size=n_sources, max_size=n_sources, unique=True))
    sources = []
    for i, sid in enumerate(source_ids):
        cites = tuple(x for x in source_ids[:i] if draw(st.booleans()))
        sources.append(
            Source(
                id=sid,
                title=draw(texts),
                kind=draw(st.sampled_from(["news", "report", "filing", "statement"])),
                publisher=draw(st.none() | texts),
                authors=tuple(draw(st.lists(texts, max_size=2))),
                published=draw(st.none() | whens()),
                url=draw(st.none() | st.just("https://example.invalid/x?a=1&b=2")),
                language=draw(st.none() | st.sampled_from(["zh", "en"])),
                reliability=draw(st.none() | st.integers(1, 5)),
                cites=cites,
                note=draw(st.none() | texts),
            )
        )
    actor_ids = draw(st.lists(ids, max_size=3, unique=True))
    actors = [
        Actor(
            id=aid,
            name=draw(texts),
            kind=draw(st.sampled_from(["company", "product", "person"])),
            aliases=tuple(draw(st.lists(texts, max_size=2))),
            names=draw(
                st.dictionaries(st.sampled_from(["en", "zh", "zh-Hant"]), texts, max_size=2)
            ),
            part_of=actor_ids[0] if i > 0 and draw(st.booleans()) else None,
        )
        for i, aid in enumerate(actor_ids)
    ]
    account_ids = draw(st.lists(ids, min_size=1, max_size=max_accounts, unique=True))
    accounts = []
    for aid in account_ids:
        accounts.append(
            Account(
                id=aid,
                kind=draw(tokens),
                title=draw(texts),
                when=draw(st.one_of(whens(), spans())),
                citations=[
                    Citation(
                        source=draw(st.sampled_from(source_ids)),
                        locator=draw(st.none() | texts),
                        quote=draw(st.none() | texts),
                        confidence=draw(st.none() | st.floats(0, 1)),
                    )
                ],
                event=draw(st.none() | ids),
                translations=draw(
                    st.dictionaries(st.sampled_from(["en", "zh"]), texts, max_size=2)
                ),
                actors=tuple(
                    draw(st.lists(st.sampled_from(actor_ids), unique=True)) if actor_ids else ()
                ),
                place=draw(st.none() | texts),
                quantity=draw(st.none() | quantities()),
                tags=tuple(draw(st.lists(tokens, max_size=2, unique=True))),
                planned=draw(st.booleans()),
                tz=draw(st.none() | st.sampled_from(ZONES)),
                note=draw(st.none() | texts),
            )
        )
    resolutions = []
    if draw(st.booleans()):
        target = draw(st.sampled_from(accounts))
        resolutions.append(
            Resolution(
                id="res-" + target.id,
                event=target.event_key,
                field="when",
                reason=draw(texts),
                account=target.id,
                recorded=draw(st.none() | whens()),
            )
        )
    return Ledger(sources, actors, accounts, resolutions, tz=draw(st.sampled_from(ZONES)))
