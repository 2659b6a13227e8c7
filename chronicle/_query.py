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
  (transitively) cites it -- only directly with ``via_citing=False``;
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
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs

from ._calendar import Precision, get_zone, plain_us, to_us, unit_end, wall
from ._fold import fold, fold_text
from ._index import OPEN_HIGH, OPEN_LOW, SMALL, descendants, index_of, name_table
from ._when import Span, When
from .errors import ChronicleError

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._records import Account

MODES = ("possibly", "certainly")
_SORT_KEY = attrgetter("when.sort_key")


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
    via_citing: bool = True
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
    if type(value) is _dt.date:
        return _day_edge(value, tz, end)
    if isinstance(value, str):
        from ._parse import parse_when

        value = parse_when(value, tz=tz)
    if isinstance(value, (When, Span)):
        bound = value._l if end else value._e
        if bound is None:
            return OPEN_HIGH if end else OPEN_LOW
        return bound
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=get_zone(tz))
        return to_us(value)
    if isinstance(value, _dt.date):
        return _day_edge(value, tz, end)
    raise TypeError(value)


# the first and last instant of a day, each with fold 0 and fold 1 (datetime.combine
# keeps the fold, and is several times faster than passing fold= to the constructor)
_CLOCKS = (
    (_dt.time(0), _dt.time(0, fold=1)),
    (_dt.time(23, 59, 59, 999_999), _dt.time(23, 59, 59, 999_999, fold=1)),
)


def _day_edge(day: _dt.date, tz: str, end: bool) -> int:
    """The first (or last) microsecond of ``day`` in zone ``tz``, as ``_calendar`` reads it."""
    zone = get_zone(tz)
    first, folded = _CLOCKS[end]
    got = plain_us(zone, _dt.datetime.combine(day, first), _dt.datetime.combine(day, folded))
    if got is None:
        # midnight in a DST gap or fold: let the calendar code decide, as for any date
        start = wall(zone, day.year, day.month, day.day)
        return to_us(unit_end(start, Precision.DAY, zone) if end else start)
    return got


# ------------------------------------------------------------------------------ plans


@attrs.define  # (not frozen: it is private, and a frozen class's __init__ is slower)
class _Filters:
    """A query's filters besides the window and the actors, resolved against a ledger."""

    kinds: frozenset[str] | None
    tags: frozenset[str]
    sources: frozenset[str] | None
    words: tuple[str, ...]
    qmin: float | None
    qmax: float | None
    unit: str | None
    known: frozenset[str] | None
    """With ``as_of``: the sources certainly published by then."""

    def apply(self, found: list[Account]) -> list[Account]:
        """``found`` narrowed by these filters."""
        return [a for a in found if _accepts(self, a)]


_NO_TAGS: frozenset[str] = frozenset()


def _window(ledger: Ledger, q: Query) -> tuple[int, int]:
    """The window's edges in microseconds (open ones far away)."""
    lo = _edge(q.start, ledger, False, "start")
    hi = _edge(q.end, ledger, True, "end")
    if lo > hi:
        raise QueryError("the window ends before it starts")
    return lo, hi


def _roots(q: Query, names: dict[str, set[str]]) -> frozenset[str] | None:
    """The ids of the actors the query names (None: any actor)."""
    if not q.actor:
        return None
    named: set[str] = set()
    for name in q.actor:
        ids = names.get(fold(name))
        if not ids:
            raise QueryError(unknown_name("actor", name, names, fold), text=name)
        named |= ids
    return frozenset(named)


def _filters(ledger: Ledger, q: Query) -> _Filters | None:
    """The query's other filters, or None when it has none."""
    if not (
        q.kind
        or q.tag
        or q.source
        or q.text
        or q.min_quantity is not None
        or q.max_quantity is not None
        or q.unit is not None
        or q.as_of is not None
    ):
        return None
    sources = None if not q.source else frozenset(_citing(ledger, q.source, q.via_citing))
    known = None
    if q.as_of is not None:
        known = _published_by(ledger, _edge(q.as_of, ledger, True, "as_of"))
    return _Filters(
        kinds=frozenset(q.kind) if q.kind else None,
        tags=frozenset(q.tag) if q.tag else _NO_TAGS,
        sources=sources,
        words=tuple(fold_text(q.text).split()) if q.text else (),
        qmin=q.min_quantity,
        qmax=q.max_quantity,
        unit=None if q.unit is None else fold(q.unit),
        known=known,
    )


_SHOWN = 5  # suggestions named at most
_LISTED = 30  # with none alike, every name is listed when there are no more than this


def unknown_name(
    what: str,
    name: str,
    known: Iterable[str],
    norm: Callable[[str], str] = str.casefold,
    said: str | None = None,
) -> str:
    """``no source called 'x' in this ledger; did you mean ...?``: the names that start
    with ``name`` (``leiphone`` for ``leiphone-2023-03-24``), then those spelled alike,
    compared through ``norm``; with none, every name when there are few. ``said`` words
    the head differently ("no account has")."""
    import difflib

    key = norm(name)
    known = sorted(known)
    starting = [k for k in known if norm(k).startswith(key)]
    close = difflib.get_close_matches(key, [norm(k) for k in known], n=3, cutoff=0.6)
    by_norm = {norm(k): k for k in known}
    fuzzy = [by_norm[c] for c in close if by_norm[c] not in starting]
    shown = [*starting[:_SHOWN], *fuzzy]
    more = max(0, len(starting) - _SHOWN)
    head = f"{said} the {what} {name!r}" if said else f"no {what} called {name!r} in this ledger"
    if not shown:
        if 0 < len(known) <= _LISTED:  # nothing alike, but few to choose from: name them all
            return f"{head}; the ledger's {what}s: {', '.join(known)}"
        return head
    listed = ", ".join(repr(k) for k in shown)
    tail = f" (and {more} more starting with {name!r})" if more else ""
    return f"{head}; did you mean {listed}{tail}?"


def _citing(ledger: Ledger, wanted: Iterable[str], via_citing: bool = True) -> set[str]:
    """The given sources and (``via_citing``) every source that cites one of them,
    transitively."""
    cited_by: dict[str, list[str]] = {}
    for s in ledger.sources.values():
        for c in s.cites:
            cited_by.setdefault(c, []).append(s.id)
    out: set[str] = set()
    for sid in wanted:
        if sid not in ledger.sources:
            raise QueryError(unknown_name("source", sid, ledger.sources), text=sid)
        stack = [sid]
        while stack:
            one = stack.pop()
            if one not in out:
                out.add(one)
                if via_citing:
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


def _known(a: Account, known: frozenset[str]) -> bool:
    """Some source the account cites is among ``known``: it had said so by then."""
    cs = a.citations
    return cs[0].source in known or (len(cs) > 1 and any(c.source in known for c in cs))


def _accepts(p: _Filters, a: Account) -> bool:
    """Every filter but the window and the actors (which the index applies)."""
    if p.kinds is not None and a.kind not in p.kinds:
        return False
    if p.tags and not p.tags.issubset(a.tags):
        return False
    if p.sources is not None and not any(c.source in p.sources for c in a.citations):
        return False
    if p.known is not None and not _known(a, p.known):
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


def run_query(ledger: Ledger, q: Query, *, use_index: bool | None = None) -> list[Account]:
    """The accounts of ``ledger`` that ``q`` matches, in chronological order.

    ``use_index=None`` (the default) uses the index on ledgers of
    :data:`~chronicle._index.SMALL` accounts or more and scans smaller ones;
    ``True`` always uses it, ``False`` always checks every account in turn (the
    reference the index is tested against; same results, much slower on a big ledger).
    """
    if use_index is None:
        use_index = len(ledger._accounts) >= SMALL
    if not use_index:
        return _scan(ledger, q)
    lo, hi = _window(ledger, q)
    index = index_of(ledger)
    roots = _roots(q, index.names)
    filters = _filters(ledger, q)
    windowed = q.start is not None or q.end is not None
    if roots is not None:
        if windowed:
            ranks = index.window(roots, q.part_of, lo, hi, q.mode == "certainly")
        else:
            ranks = index.every(roots, q.part_of)
    elif windowed:
        ranks = index.window_all(lo, hi, q.mode == "certainly")
    else:
        found = index.chrono.tolist()
        return found if filters is None else filters.apply(found)
    found = index.accounts_of(ranks)
    return found if filters is None else filters.apply(found)


def _scan(ledger: Ledger, q: Query) -> list[Account]:
    """``run_query`` without the index: every account checked, then sorted."""
    lo, hi = _window(ledger, q)
    names, children = name_table(ledger)
    roots = _roots(q, names)
    filters = _filters(ledger, q)
    actors = None
    if roots is not None:
        actors = (
            frozenset().union(*(descendants(r, children) for r in roots)) if q.part_of else roots
        )
    certainly = q.mode == "certainly"
    found = []
    for a in ledger._accounts:
        if actors is not None and actors.isdisjoint(a.actors):
            continue
        e, l = a.when._e, a.when._l
        e = OPEN_LOW if e is None else e
        l = OPEN_HIGH if l is None else l
        if (e >= lo and l <= hi) if certainly else (e <= hi and l >= lo):
            found.append(a)
    found.sort(key=_SORT_KEY)  # stable: ledger order among equal dates
    return found if filters is None else filters.apply(found)


# ----------------------------------------------------------------------------- as of


def as_of(ledger: Ledger, day: Any) -> Ledger:
    """The ledger as a reader at the end of ``day`` saw it (see ``Ledger.as_of``)."""
    from ._ledger import Ledger as _Ledger

    cutoff = _edge(day, ledger, True, "as_of")
    known = _published_by(ledger, cutoff)
    accounts = [a for a in ledger.accounts if _known(a, known)]
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
