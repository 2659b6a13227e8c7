"""The query index: built once per ledger on the first query, then cached on it.

For every actor, its accounts are kept in five *buckets* by how long their bounds
last -- up to a day (days, clock times), a month, a quarter, a year, and longer or open --
each sorted by the start of the bounds (``When._e``, microseconds) with that bucket's
longest duration. A time window [A, B] then needs, per bucket, only the accounts whose
start lies in [A - longest, B] (a ``bisect`` at each end): an account that starts earlier
ends before A. Open bounds are stored as far-away sentinels, so "by 17 March" sorts
first and "after January" lasts for ever; they land in the last bucket, which is
scanned whole (it is small). Queries without an actor use the same structure over all
accounts, built the first time one is asked.

The index also resolves names: every actor's id, name, aliases and display names,
folded (case, width, traditional/simplified script), map to its id; ``part_of`` is
followed downwards, transitively, once per actor and remembered.

Nothing here decides what a query means; :mod:`chronicle._query` does.
"""

from __future__ import annotations

__all__ = ["OPEN_HIGH", "OPEN_LOW", "Index", "index_of"]

import gc
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from ._fold import fold
from ._when import Span, When

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._records import Account

OPEN_LOW = -(1 << 62)  # an open earliest bound: before everything
OPEN_HIGH = 1 << 62  # an open latest bound: after everything

_US_DAY = 86_400_000_000
# bucket upper limits on (latest - earliest), in microseconds; the last bucket has no limit
_LIMITS = (
    _US_DAY + 2 * 3_600_000_000,  # a day (25 h across a DST change) or a clock time
    32 * _US_DAY,  # a week, a month
    93 * _US_DAY,  # a quarter
    367 * _US_DAY,  # a half, a year
)


_SHIFT = 1 << 64  # a bucket's rows sort by (class, start): class * _SHIFT + start - OPEN_LOW
_WHEN = attrgetter("when")
_E = attrgetter("_e")
_L = attrgetter("_l")
_ACTORS = attrgetter("actors")


class _Buckets:
    """One actor's accounts (or every account), by duration class, sorted by start.

    ``rows`` holds account numbers sorted by (class, start) -- the index's ``keys`` -- and
    ``parts`` the slice of each non-empty class with its longest duration.
    """

    __slots__ = ("parts", "rows")

    def __init__(self, rows: list[int], keys: list[int], durations: list[int]) -> None:
        rows.sort(key=keys.__getitem__)
        self.rows = rows
        self.parts: list[tuple[int, int, int, int]] = []  # (first, end, longest, class base)
        key = keys.__getitem__
        j = 0
        n = len(rows)
        while j < n:
            base = key(rows[j]) // _SHIFT * _SHIFT
            k = bisect_left(rows, base + _SHIFT, j, n, key=key)
            self.parts.append((j, k, max(map(durations.__getitem__, rows[j:k])), base - OPEN_LOW))
            j = k

    def overlapping(
        self, lo: int, hi: int, keys: list[int], ls: Sequence[int], out: list[int]
    ) -> None:
        """Append the rows whose bounds overlap [lo, hi]."""
        rows = self.rows
        key = keys.__getitem__
        for first, end, longest, base in self.parts:
            j = bisect_left(rows, base + lo - longest, first, end, key=key)
            k = bisect_right(rows, base + hi, j, end, key=key)
            part = rows[j:k]
            out.extend(compress(part, map(lo.__le__, map(ls.__getitem__, part))))

    def inside(self, lo: int, hi: int, keys: list[int], ls: Sequence[int], out: list[int]) -> None:
        """Append the rows whose bounds lie inside [lo, hi]."""
        rows = self.rows
        key = keys.__getitem__
        for first, end, _longest, base in self.parts:
            j = bisect_left(rows, base + lo, first, end, key=key)
            k = bisect_right(rows, base + hi, j, end, key=key)
            part = rows[j:k]
            out.extend(compress(part, map(hi.__ge__, map(ls.__getitem__, part))))

    def every(self, out: list[int]) -> None:
        out.extend(self.rows)


class Index:
    """Bounds, per-actor buckets and name lookup for one ledger's accounts."""

    def __init__(self, ledger: Ledger) -> None:
        # Everything here runs in C-level loops (map, sort, itertools): no Python code
        # per account, so that a million accounts index in well under a second or two.
        accounts: Sequence[Account] = ledger._accounts
        self.accounts = accounts
        whens = list(map(_WHEN, accounts))
        es = list(map(_E, whens))
        ls = list(map(_L, whens))
        if None in es:
            es = [OPEN_LOW if e is None else e for e in es]
        if None in ls:
            ls = [OPEN_HIGH if x is None else x for x in ls]
        self.es: list[int] = es
        self.ls: list[int] = ls
        durations = list(map(int.__sub__, ls, es))
        classes = map(partial(bisect_left, _LIMITS), durations)
        # sort key within an actor: (class, start) as one int
        self.keys = keys = list(
            map(int.__add__, map(_SHIFT.__mul__, classes), map((-OPEN_LOW).__add__, es))
        )
        self.durations = durations
        groups: dict[str, list[int]] = {}
        get = groups.get
        for i, actors in enumerate(map(_ACTORS, accounts)):
            for actor in actors:
                rows = get(actor)
                if rows is None:
                    groups[actor] = [i]
                elif rows[-1] != i:  # an actor named twice counts once
                    rows.append(i)
        self.by_actor = {actor: _Buckets(rows, keys, durations) for actor, rows in groups.items()}
        # the rest of When.sort_key after the bounds (precision, zone, flags), as a rank:
        # computed once per distinct When (a loaded ledger shares them), so that results
        # sort by (start, end, rest, ledger order) in a few C-level sorts
        by_id = dict(zip(map(id, whens), whens, strict=True))
        rest = {i: _rest_of_key(w) for i, w in by_id.items()}
        ranks = {r: n for n, r in enumerate(sorted(set(rest.values())))}
        self.ranks: list[int] = list(map(ranks.__getitem__, map(rest.__getitem__, map(id, whens))))
        del by_id, rest
        self._all: _Buckets | None = None
        # names -> actor ids, and part_of downwards
        self.names: dict[str, set[str]] = {}
        self.children: dict[str, list[str]] = {}
        for actor in ledger.actors.values():
            for name in (actor.id, *actor.all_names):
                self.names.setdefault(fold(name), set()).add(actor.id)
            if actor.part_of is not None:
                self.children.setdefault(actor.part_of, []).append(actor.id)
        self._family: dict[str, frozenset[str]] = {}

    # -- names ---------------------------------------------------------------------------

    def actor_ids(self, name: str) -> set[str]:
        """The ids of the actors called ``name`` (id, name, alias or display name)."""
        return self.names.get(fold(name), set())

    def family(self, actor: str) -> frozenset[str]:
        """``actor`` and every actor that is part of it, transitively."""
        got = self._family.get(actor)
        if got is None:
            seen = {actor}
            stack = [actor]
            while stack:
                for child in self.children.get(stack.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
            got = self._family[actor] = frozenset(seen)
        return got

    # -- rows ----------------------------------------------------------------------------

    def everything(self) -> _Buckets:
        """Every account in one set of buckets (for windows without an actor)."""
        if self._all is None:
            self._all = _Buckets(list(range(len(self.accounts))), self.keys, self.durations)
        return self._all

    def window(self, buckets: Iterable[_Buckets], lo: int, hi: int, certainly: bool) -> list[int]:
        """Rows of ``buckets`` possibly (overlapping) or certainly (inside) in [lo, hi]."""
        out: list[int] = []
        ls, keys = self.ls, self.keys
        for b in buckets:
            if certainly:
                b.inside(lo, hi, keys, ls, out)
            else:
                b.overlapping(lo, hi, keys, ls, out)
        return out

    def chronological(self, rows: list[int]) -> list[int]:
        """``rows`` by ``When.sort_key``, then ledger order: stable sorts, last key first."""
        rows.sort()
        rows.sort(key=self.ranks.__getitem__)
        rows.sort(key=self.ls.__getitem__)
        rows.sort(key=self.es.__getitem__)
        return rows


def _rest_of_key(w: When | Span) -> tuple[Any, ...]:
    """``w.sort_key`` after the bounds."""
    if type(w) is When:
        return (int(w.precision), w.tz, w.approximate, w.uncertain, 0)
    return w.sort_key[4:]


def index_of(ledger: Ledger) -> Index:
    """The ledger's index, built on first use and kept until the ledger changes.

    The cyclic garbage collector is paused while it is built (the index holds lists of
    numbers, no cycles) and resumed as it was.
    """
    got = ledger._cache.get("index")
    if got is None:
        enabled = gc.isenabled()
        gc.disable()
        try:
            got = ledger._cache["index"] = Index(ledger)
        finally:
            if enabled:
                gc.enable()
    return got
