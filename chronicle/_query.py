"""Queries over a ledger: :class:`Query`, :func:`run_query` and :func:`as_of`.

A :class:`Query` is a value: every filter it holds must match (they compose with AND),
and ``Query.where(...)`` makes a narrower one. ``Ledger.query(...)`` runs one and
returns the matching accounts in chronological order. See ``docs/query.md`` for the
meaning of each filter; in short:

- **window** ``start``/``end`` (either may be left open) with ``mode="possibly"`` (the
  account's bounds overlap the window) or ``"certainly"`` (they lie inside it). A text
  edge covers its whole unit: ``start="2022-09", end="2023-03"`` is 1 September 2022
  00:00 to the last instant of March 2023, in the ledger's zone;
- **actor**: any of the named actors, each found by id, name, alias or display name in
  any language (case-, width- and script-insensitive), with everything that is
  ``part_of`` it, transitively, unless ``part_of=False``;
- **kind**: any of the given kinds; **tag**: all of the given tags;
- **source**: any of the given sources, cited directly, or through a source that
  (transitively) cites it;
- **text**: every word of it appears in the title, a translation, a quote or the note;
- **quantity**: the stated value(s) lie in ``[min_quantity, max_quantity]`` (and the unit
  is ``unit``, when given);
- **as_of**: only accounts whose source was certainly published by the end of that day.

Results are sorted by ``When.sort_key`` and, among equal keys, by ledger order.
"""

from __future__ import annotations

__all__ = ["Query", "QueryError", "as_of", "run_query"]

import datetime as _dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ._fold import fold, fold_text
from ._index import OPEN_HIGH, OPEN_LOW, Index, index_of
from ._when import Span, When
from .errors import ChronicleError

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._records import Account

MODES = ("possibly", "certainly")


class QueryError(ChronicleError, ValueError):
    """A query that cannot be run as asked: an unknown actor or source, a bad window."""


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """A single name or several, as a tuple (``"百度"`` and ``["百度"]`` mean the same)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    out = tuple(value)
    for v in out:
        if not isinstance(v, str):
            raise TypeError(f"expected names as text, got {v!r}")
    return out


def _mode(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
    if value not in MODES:
        raise QueryError(f"mode must be 'possibly' or 'certainly', not {value!r}")


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise QueryError(f"a quantity bound must be a number, not {value!r}")
    return value


@attrs.frozen(kw_only=True)
class Query:
    """What to look for in a ledger; every filter given must match.

    Window edges (``start``, ``end``) and ``as_of`` take a date, an aware datetime, a
    ``When``, or date text read in the ledger's zone (``"2022-09"``, ``"2023-03-16"``,
    ``"Q4 2022"``); a start means the beginning of its unit, an end and ``as_of`` its last
    instant. Names (``actor``, ``kind``, ``tag``, ``source``) take one text or several.

    >>> import chronicle
    >>> ledger = chronicle.load("docs/examples/query.toml")
    >>> q = chronicle.Query(actor="百度", start="2022-09", end="2023-03", mode="certainly")
    >>> [a.id for a in ledger.query(q)]
    ['ai-big-base', 'mlops-upgrade', 'ernie-bot-launch']
    >>> [a.id for a in ledger.query(q.where(kind="launch"))]
    ['ernie-bot-launch']
    """

    start: Any = None
    end: Any = None
    mode: str = attrs.field(default="possibly", validator=_mode)
    actor: tuple[str, ...] = attrs.field(default=(), converter=_names)
    part_of: bool = True
    kind: tuple[str, ...] = attrs.field(default=(), converter=_names)
    tag: tuple[str, ...] = attrs.field(default=(), converter=_names)
    source: tuple[str, ...] = attrs.field(default=(), converter=_names)
    text: str | None = None
    min_quantity: float | None = attrs.field(default=None, converter=_number)
    max_quantity: float | None = attrs.field(default=None, converter=_number)
    unit: str | None = None
    as_of: Any = None

    def where(self, **changes: Any) -> Query:
        """A copy with ``changes`` (``q.where(kind="launch")``)."""
        return attrs.evolve(self, **changes)


# ------------------------------------------------------------------------------ edges


def _edge(value: Any, ledger: Ledger, end: bool, what: str) -> int:
    """A window edge as microseconds since the epoch; open edges are far away."""
    if value is None:
        return OPEN_HIGH if end else OPEN_LOW
    try:
        return _edge_in(value, ledger.tz, end)
    except TypeError:  # not hashable: not a date, a datetime, a When or text either
        raise QueryError(
            f"{what} must be a date, a datetime, a When or date text, not {value!r}"
        ) from None
    except ChronicleError as e:
        raise QueryError(f"{what}: {e.message}", text=str(value)) from None


@functools.lru_cache(maxsize=4096)
def _edge_in(value: Any, tz: str, end: bool) -> int:
    from ._parse import parse_when

    if isinstance(value, str):
        value = parse_when(value, tz=tz)
    if isinstance(value, (When, Span)):
        bound = value._l if end else value._e
        if bound is None:
            return OPEN_HIGH if end else OPEN_LOW
        return bound
    if isinstance(value, _dt.datetime):
        from ._calendar import get_zone, to_us

        if value.tzinfo is None:
            value = value.replace(tzinfo=get_zone(tz))
        return to_us(value)
    if isinstance(value, _dt.date):
        return _day_edge(value, tz, end)
    raise TypeError(value)


_EPOCH_DAY = _dt.date(1970, 1, 1).toordinal()


def _day_edge(day: _dt.date, tz: str, end: bool) -> int:
    """The first (or last) microsecond of ``day`` in zone ``tz``, as ``_calendar`` reads it."""
    from ._calendar import get_zone

    zone = get_zone(tz)
    clock = (23, 59, 59, 999_999) if end else (0, 0, 0, 0)
    naive = _dt.datetime(day.year, day.month, day.day, *clock)
    off = zone.utcoffset(naive)
    if off is None or off != zone.utcoffset(naive.replace(fold=1)):
        # midnight in a DST gap or fold: let the calendar code decide, as for any date
        from ._calendar import Precision, to_us, unit_end, wall

        start = wall(zone, day.year, day.month, day.day)
        return to_us(unit_end(start, Precision.DAY, zone) if end else start)
    local = (day.toordinal() - _EPOCH_DAY) * 86_400_000_000 + (
        (clock[0] * 3600 + clock[1] * 60 + clock[2]) * 1_000_000 + clock[3]
    )
    return local - off // _dt.timedelta(microseconds=1)


# ------------------------------------------------------------------------------ plans


@attrs.frozen
class _Plan:
    """A query resolved against one ledger: ids, bounds in microseconds, folded text."""

    lo: int
    hi: int
    windowed: bool
    certainly: bool
    actors: frozenset[str] | None
    kinds: frozenset[str] | None
    tags: frozenset[str]
    sources: frozenset[str] | None
    words: tuple[str, ...]
    qmin: float | None
    qmax: float | None
    unit: str | None
    cutoff: int | None


def _plan(ledger: Ledger, q: Query, index: Index) -> _Plan:
    lo = _edge(q.start, ledger, False, "start")
    hi = _edge(q.end, ledger, True, "end")
    if lo > hi:
        raise QueryError("the window ends before it starts")
    actors: frozenset[str] | None = None
    if q.actor:
        found: set[str] = set()
        for name in q.actor:
            ids = index.actor_ids(name)
            if not ids:
                raise QueryError(_unknown("actor", name, index.names), text=name)
            for actor in ids:
                found |= index.family(actor) if q.part_of else {actor}
        actors = frozenset(found)
    sources: frozenset[str] | None = None
    if q.source:
        sources = frozenset(_citing(ledger, q.source))
    cutoff = None if q.as_of is None else _edge(q.as_of, ledger, True, "as_of")
    return _Plan(
        lo=lo,
        hi=hi,
        windowed=q.start is not None or q.end is not None,
        certainly=q.mode == "certainly",
        actors=actors,
        kinds=frozenset(q.kind) if q.kind else None,
        tags=frozenset(q.tag),
        sources=sources,
        words=tuple(fold_text(q.text).split()) if q.text else (),
        qmin=q.min_quantity,
        qmax=q.max_quantity,
        unit=None if q.unit is None else fold(q.unit),
        cutoff=cutoff,
    )


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(fold(name), list(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"no {what} called {name!r} in this ledger{hint}"


def _citing(ledger: Ledger, wanted: Iterable[str]) -> set[str]:
    """The given sources and every source that cites one of them, transitively."""
    cited_by: dict[str, list[str]] = {}
    for s in ledger.sources.values():
        for c in s.cites:
            cited_by.setdefault(c, []).append(s.id)
    out: set[str] = set()
    for sid in wanted:
        if sid not in ledger.sources:
            raise QueryError(_unknown("source", sid, ledger.sources), text=sid)
        stack = [sid]
        while stack:
            one = stack.pop()
            if one not in out:
                out.add(one)
                stack.extend(cited_by.get(one, ()))
    return out


# ---------------------------------------------------------------------------- running


def _published_by(ledger: Ledger, cutoff: int) -> frozenset[str]:
    """Sources certainly published by ``cutoff`` (their latest bound is not after it)."""
    return frozenset(
        s.id
        for s in ledger.sources.values()
        if s.published is not None and s.published._l is not None and s.published._l <= cutoff
    )


def _accepts(p: _Plan, a: Account, known: frozenset[str] | None) -> bool:
    """Every filter but the window and the actors (which the index applies)."""
    if p.kinds is not None and a.kind not in p.kinds:
        return False
    if p.tags and not p.tags.issubset(a.tags):
        return False
    if p.sources is not None and not any(c.source in p.sources for c in a.citations):
        return False
    if known is not None and a.citations[0].source not in known:
        return False
    if p.qmin is not None or p.qmax is not None or p.unit is not None:
        qty = a.quantity
        if qty is None:
            return False
        if p.unit is not None and fold(qty.unit) != p.unit:
            return False
        top = qty.value if qty.upper is None else qty.upper
        if p.qmin is not None and top < p.qmin:
            return False
        if p.qmax is not None and qty.value > p.qmax:
            return False
    if p.words:
        hay = _haystack(a)
        if not all(w in hay for w in p.words):
            return False
    return True


def _haystack(a: Account) -> str:
    parts = [a.title, *(t for _, t in a.translations), *(c.quote for c in a.citations if c.quote)]
    if a.note:
        parts.append(a.note)
    return fold_text("\n".join(parts))


def _in_window(p: _Plan, e: int, l: int) -> bool:
    if p.certainly:
        return e >= p.lo and l <= p.hi
    return e <= p.hi and l >= p.lo


def run_query(ledger: Ledger, q: Query, *, use_index: bool = True) -> list[Account]:
    """The accounts of ``ledger`` that ``q`` matches, in chronological order.

    ``use_index=False`` checks every account in turn instead (the reference the index
    is tested against; same results, much slower on a big ledger).
    """
    index = index_of(ledger)
    p = _plan(ledger, q, index)
    known = None if p.cutoff is None else _published_by(ledger, p.cutoff)
    accounts = index.accounts
    es, ls = index.es, index.ls
    if not use_index:
        rows = [
            i
            for i, a in enumerate(accounts)
            if (p.actors is None or not p.actors.isdisjoint(a.actors))
            and _in_window(p, es[i], ls[i])
        ]
    elif p.actors is not None:
        buckets = [index.by_actor[a] for a in p.actors if a in index.by_actor]
        if p.windowed:
            rows = index.window(buckets, p.lo, p.hi, p.certainly)
        else:
            rows = []
            for b in buckets:
                b.every(rows)
        if len(buckets) > 1:
            rows = list(set(rows))  # an account naming two of the actors comes once
    elif p.windowed:
        rows = index.window([index.everything()], p.lo, p.hi, p.certainly)
    else:
        rows = list(range(len(accounts)))
    if (
        p.kinds is not None
        or p.tags
        or p.sources is not None
        or known is not None
        or p.words
        or p.qmin is not None
        or p.qmax is not None
        or p.unit is not None
    ):
        rows = [i for i in rows if _accepts(p, accounts[i], known)]
    return list(map(accounts.__getitem__, index.chronological(rows)))


# ----------------------------------------------------------------------------- as of


def as_of(ledger: Ledger, day: Any) -> Ledger:
    """The ledger as a reader at the end of ``day`` saw it (see ``Ledger.as_of``)."""
    from ._ledger import Ledger as _Ledger

    cutoff = _edge(day, ledger, True, "as_of")
    known = _published_by(ledger, cutoff)
    accounts = [a for a in ledger.accounts if a.citations[0].source in known]
    resolutions = [
        r
        for r in ledger.resolutions
        if r.recorded is not None and r.recorded._l is not None and r.recorded._l <= cutoff
    ]
    return _Ledger(
        sources=ledger.sources.values(),
        actors=ledger.actors.values(),
        accounts=accounts,
        resolutions=resolutions,
        tz=ledger.tz,
        origins=ledger._origins,
        validate=False,
    )
