"""The query index: built once per ledger on the first query, then cached on it.

Every account gets a *rank*: its place in the ledger's chronological order
(``When.sort_key``, then ledger order), so that a query's result is a set of ranks,
sorted as plain integers and read off one array of the accounts in that order.

For every actor -- and, for ``part_of``, every actor that has parts, together with them --
its accounts are kept in five *parts* by how long their bounds last --
up to a day (days, clock times), a month, a quarter, a year, and longer or open -- each
in rank order (so by start) with that part's longest duration. A time window [A, B]
then needs, per part, only the accounts whose start lies in [A - longest, B] (a
``bisect`` at each end): an account that starts earlier ends before A. Open bounds are
stored as far-away sentinels, so "by 17 March" sorts first and "after January" lasts for
ever; they land in the last part. Queries without an actor use the same structure over
all accounts, built the first time one is asked.

The parts of every actor are slices of three flat arrays of 64-bit integers (start, end
and rank of each (actor, account) pair), so the index costs 24 bytes per pair and a
query reads compact, contiguous memory. They are built with numpy, which sorts and
groups a million accounts in a fraction of a second; numpy is imported only when an
index is built, and small ledgers (see :data:`SMALL`) are scanned instead.

The index also resolves names: every actor's id, name, aliases and display names,
folded (case, width, traditional/simplified script), map to its id; ``part_of`` is
followed downwards, transitively, once per actor and remembered.

A ledger the bulk loader made carries a :class:`Numbering` of its accounts' dates and
actor tuples (the loader looks each distinct one up anyway), which spares the build its
two passes over the accounts that number them by identity; any other ledger -- made by
the constructor, ``as_of``, a filter, or changed by ``add`` -- has none, and the index
numbers them itself. Either way it is the same index (``tests/test_index_hint.py``).

Nothing here decides what a query means; :mod:`chronicle._query` does.
"""

from __future__ import annotations

__all__ = [
    "NUMBERING",
    "OPEN_HIGH",
    "OPEN_LOW",
    "SMALL",
    "Index",
    "Numbering",
    "descendants",
    "index_of",
    "name_table",
]

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress, count
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._fold import fold
from ._gc import paused_gc

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._records import Account
    from ._when import Span, When

OPEN_LOW = -(1 << 62)  # an open earliest bound: before everything
# an open latest bound: after everything (and OPEN_HIGH - OPEN_LOW fits in 64 bits)
OPEN_HIGH = (1 << 62) - 1

SMALL = 2048
"""Ledgers with fewer accounts than this are scanned, not indexed: a scan of them takes
well under a millisecond, less than importing numpy to build the index."""

_US_DAY = 86_400_000_000
# part upper limits on (latest - earliest), in microseconds; the last part has no limit
_LIMITS = (
    _US_DAY + 2 * 3_600_000_000,  # a day (25 h across a DST change) or a clock time
    32 * _US_DAY,  # a week, a month
    93 * _US_DAY,  # a quarter
    367 * _US_DAY,  # a half, a year
)
_CLASSES = len(_LIMITS) + 1

_WHEN = attrgetter("when")
_ACTORS = attrgetter("actors")
_E = attrgetter("_e")
_L = attrgetter("_l")

T = TypeVar("T")

Part = tuple[int, int, int]
"""(first, end, longest): a slice of the flat arrays, and its longest duration."""


class _Table:
    """Parts of several keys (actors, families, or everything) over three flat arrays.

    ``starts``, ``ends`` and ``ranks`` hold one entry per (key, account) pair, grouped by
    key, then duration class, then rank; ``parts`` gives each key's slices of them.
    """

    __slots__ = ("ends", "parts", "ranks", "starts")

    def __init__(
        self, np: Any, groups: Any, ranks: Any, starts: Any, ends: Any, keys: list[str]
    ) -> None:
        """``groups[i]`` (``code * classes + class``, ``keys[code]`` naming the key) and
        ``ranks[i]`` for each pair, in rank order; ``starts``/``ends`` by rank."""
        order = np.argsort(groups, kind="stable")  # (a radix sort for small numbers)
        groups, ranks = groups[order], ranks[order]
        del order
        if len(groups) > 1:  # an actor named twice in one account counts once
            same = (groups[1:] == groups[:-1]) & (ranks[1:] == ranks[:-1])
            if same.any():
                keep = np.concatenate(([True], ~same))
                groups, ranks = groups[keep], ranks[keep]
        pair_starts, pair_ends = starts[ranks], ends[ranks]
        self.starts = _array(np, pair_starts)
        self.ends = _array(np, pair_ends)
        self.ranks = _array(np, ranks)
        parts: dict[str, list[Part]] = {}
        if len(groups):
            firsts = np.flatnonzero(np.concatenate(([True], groups[1:] != groups[:-1])))
            lasts = np.concatenate((firsts[1:], [len(groups)]))
            longest = np.maximum.reduceat(pair_ends - pair_starts, firsts)
            for code, first, last, most in zip(
                (groups[firsts] // _CLASSES).tolist(),
                firsts.tolist(),
                lasts.tolist(),
                longest.tolist(),
                strict=True,
            ):
                parts.setdefault(keys[code], []).append((first, last, most))
        self.parts: dict[str, tuple[Part, ...]] = {k: tuple(v) for k, v in parts.items()}

    def window(
        self, parts: Iterable[Part], lo: int, hi: int, certainly: bool, out: list[int]
    ) -> None:
        """Append the ranks in ``parts`` possibly (or certainly) in [lo, hi]."""
        starts, ends, ranks = self.starts, self.ends, self.ranks
        if certainly:
            for first, end, _ in parts:
                j = bisect_left(starts, lo, first, end)
                k = bisect_right(starts, hi, j, end)
                if j < k:
                    out.extend(compress(ranks[j:k], map(hi.__ge__, ends[j:k])))
        else:
            for first, end, longest in parts:
                j = bisect_left(starts, lo - longest, first, end)
                k = bisect_right(starts, hi, j, end)
                if j < k:
                    out.extend(compress(ranks[j:k], map(lo.__le__, ends[j:k])))

    def every(self, parts: Iterable[Part], out: list[int]) -> None:
        """Append every rank in ``parts``."""
        for first, end, _ in parts:
            out.extend(self.ranks[first:end])


def _array(np: Any, values: Any) -> array[int]:
    """A numpy integer array as ``array('q')``: compact, and read by ``bisect`` in C.

    (Copied once, straight from the numpy array's memory.)"""
    got = array("q")
    got.frombytes(np.ascontiguousarray(values, dtype=np.int64).view(np.uint8))
    return got


def _small(np: Any, values: Any) -> Any:
    """``values`` (non-negative) in the narrowest integer type: numpy sorts 16-bit
    numbers by radix, in linear time."""
    top = int(values.max()) if len(values) else 0
    return values.astype(np.int16 if top < 1 << 15 else np.int32 if top < 1 << 31 else np.int64)


def _by_identity(np: Any, records: Sequence[Any], get: Callable[[Any], T]) -> tuple[Any, list[T]]:
    """Number the ``get(record)`` values by identity (a loaded ledger shares equal dates
    and tuples): each record's number, and one value per number, in order of first
    appearance. (The records keep the values alive, so their ids stay theirs.)"""
    first: dict[int, int] = {}
    firsts = np.fromiter(
        map(first.setdefault, map(id, map(get, records)), count()), np.int64, len(records)
    )  # the position where each value first appears
    at = np.flatnonzero(firsts == np.arange(len(records), dtype=np.int64))
    numbers = np.zeros(len(records), dtype=np.int64)
    numbers[at] = np.arange(len(at), dtype=np.int64)
    return numbers[firsts], [get(records[i]) for i in at.tolist()]


NUMBERING = "numbering"
"""The key of a bulk-loaded ledger's :class:`Numbering` in its ``_cache``."""


@attrs.frozen
class Numbering:
    """Each account's date and actor tuple as numbers, as the bulk loader found them.

    ``dates[i]`` and ``actors[i]`` number the ``when`` and ``actors`` of the ledger's
    ``i``-th account: ``date_values[dates[i]] is accounts[i].when`` and
    ``actor_values[actors[i]] is accounts[i].actors``. Equal values may have several
    numbers (the index gives them one rank); a number no account uses is harmless.

    Only the bulk loader makes one, for the ledger it has just made, in its account
    order: it is kept in the ledger's ``_cache`` (which ``Ledger.add`` clears, and which
    a derived ledger does not inherit) and dropped once the index is built.
    """

    dates: array[int]
    date_values: list[When | Span]
    actors: array[int]
    actor_values: list[tuple[str, ...]]

    def fits(self, accounts: Sequence[Account]) -> bool:
        """Whether it can number these accounts (a cheap check: their count)."""
        n = len(accounts)
        return len(self.dates) == n and len(self.actors) == n


def _numbered(np: Any, numbers: array[int]) -> Any:
    """An ``array`` of numbers as a numpy int64 array."""
    return np.frombuffer(numbers, dtype=np.dtype(numbers.typecode)).astype(np.int64)


def _bounds(np: Any, values: list[int | None], open_value: int) -> Any:
    """``values`` as int64, open (``None``) ones as ``open_value``."""
    if None in values:
        values = [open_value if v is None else v for v in values]
    return np.asarray(values, dtype=np.int64)


class Index:
    """Ranks, per-actor and per-family parts, and name lookup for one ledger's accounts."""

    def __init__(self, ledger: Ledger, numbering: Numbering | None = None) -> None:
        """``numbering``, when given, must number ``ledger``'s accounts as they are now
        (see :class:`Numbering`); without it they are numbered here."""
        # Per account, only C-level loops (map, itertools) feed numpy; Python code runs
        # once per distinct date (a loaded ledger shares equal ones) and once per part.
        import numpy as np

        accounts: Sequence[Account] = ledger._accounts
        n = len(accounts)
        self.accounts = accounts
        self.names, self.children = name_table(ledger)
        self._family: dict[str, frozenset[str]] = {}
        if numbering is not None and not numbering.fits(accounts):
            numbering = None
        # distinct dates, their bounds, and their rank in sort_key order
        if numbering is None:
            date_of, distinct = _by_identity(np, accounts, _WHEN)
        else:
            date_of, distinct = _numbered(np, numbering.dates), numbering.date_values
        w_e = _bounds(np, list(map(_E, distinct)), OPEN_LOW)
        w_l = _bounds(np, list(map(_L, distinct)), OPEN_HIGH)
        when_rank = _date_ranks(np, distinct, w_e, w_l)
        del distinct
        # accounts in chronological order, ledger order among equal dates: one sort of
        # distinct numbers (date rank, then position)
        order = when_rank[date_of] * n + np.arange(n, dtype=np.int64)
        order.sort()
        order %= n
        # the accounts in that order: put in place by a scatter that reads them in ledger
        # order (memory order), three times faster than reading them in rank order
        rank_of_row = np.empty(n, dtype=np.int64)
        rank_of_row[order] = np.arange(n, dtype=np.int64)
        self.chrono: Any = np.empty(n, dtype=object)
        """The accounts in chronological order (a numpy array of them): ``chrono[rank]``."""
        self.chrono[rank_of_row] = np.fromiter(accounts, dtype=object, count=n)
        del rank_of_row
        by_date = date_of[order]
        del date_of, when_rank
        starts = w_e[by_date]
        ends = w_l[by_date]
        classes = np.searchsorted(np.asarray(_LIMITS, dtype=np.int64), ends - starts, "left")
        self._arrays = (starts, ends, classes)  # for the table of everything, when asked
        # (actor, account) pairs in rank order, from each distinct tuple of actors
        if numbering is None:
            actors_of, tuples = _by_identity(np, accounts, _ACTORS)
        else:
            actors_of, tuples = _numbered(np, numbering.actors), numbering.actor_values
        del numbering
        names = list(ledger.actors)
        code_of = {a: i for i, a in enumerate(names)}
        if not code_of.keys() >= set(chain.from_iterable(tuples)):  # (an unvalidated ledger)
            names = sorted(set(chain.from_iterable(tuples)))
            code_of = {a: i for i, a in enumerate(names)}
        counts = np.fromiter(map(len, tuples), np.int64, len(tuples))
        flat = np.fromiter(map(code_of.__getitem__, chain.from_iterable(tuples)), np.int64)
        del tuples
        each = actors_of[order]  # each rank's tuple
        del actors_of, order
        many = counts[each]
        within = np.arange(int(many.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(many) - many, many
        )
        codes = flat[np.repeat((np.cumsum(counts) - counts)[each], many) + within]
        ranks = np.repeat(np.arange(n, dtype=np.int64), many)
        del each, many, within, flat, counts
        self.own = _Table(
            np, _small(np, codes * _CLASSES + classes[ranks]), ranks, starts, ends, names
        )
        """Each actor's own accounts."""
        codes, ranks = self._lifted(np, codes, ranks, code_of)
        self.families = _Table(
            np, _small(np, codes * _CLASSES + classes[ranks]), ranks, starts, ends, names
        )
        """For each actor that has parts, its accounts and theirs (``part_of``, transitively)."""
        self._all: _Table | None = None

    def _lifted(self, np: Any, codes: Any, ranks: Any, code_of: dict[str, int]) -> tuple[Any, Any]:
        """The (actor, rank) pairs again under every actor the pair's actor is part of,
        transitively, and under its own actor only if that actor has parts; in rank order."""
        parent_of = {c: p for p, cs in self.children.items() for c in cs}
        lifts: list[list[int]] = []  # per code: itself if it has parts, then its ancestors
        for child, code in code_of.items():
            up = [code] if child in self.children else []
            parent = parent_of.get(child)
            seen = {child}
            while parent is not None and parent not in seen:  # (a cycle stops the climb)
                seen.add(parent)
                if parent in code_of:
                    up.append(code_of[parent])
                parent = parent_of.get(parent)
            lifts.append(up)
        counts = np.fromiter(map(len, lifts), np.int64, len(lifts))
        first_of = np.cumsum(counts) - counts
        flat = np.fromiter(chain.from_iterable(lifts), np.int64, int(counts.sum()))
        reps = counts[codes]
        within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        return flat[np.repeat(first_of[codes], reps) + within], np.repeat(ranks, reps)

    # -- names ---------------------------------------------------------------------------

    def actor_ids(self, name: str) -> set[str]:
        """The ids of the actors called ``name`` (id, name, alias or display name)."""
        return self.names.get(fold(name), set())

    def family(self, actor: str) -> frozenset[str]:
        """``actor`` and every actor that is part of it, transitively."""
        got = self._family.get(actor)
        if got is None:
            got = self._family[actor] = descendants(actor, self.children)
        return got

    # -- ranks ---------------------------------------------------------------------------

    def accounts_of(self, ranks: list[int]) -> list[Account]:
        """The accounts of ``ranks``, in that order."""
        got: list[Account] = self.chrono.take(ranks).tolist() if ranks else []
        return got

    def _parts_of(
        self, actors: Iterable[str], part_of: bool
    ) -> list[tuple[_Table, tuple[Part, ...]]]:
        """The table and parts holding each of ``actors``' accounts (with their parts', if
        ``part_of``); actors without accounts left out."""
        got = []
        for actor in actors:
            if part_of and actor in self.families.parts:
                got.append((self.families, self.families.parts[actor]))
            elif actor in self.own.parts:
                got.append((self.own, self.own.parts[actor]))
        return got

    def window(
        self, actors: Iterable[str], part_of: bool, lo: int, hi: int, certainly: bool
    ) -> list[int]:
        """Ranks of the accounts of ``actors`` (with their parts, if ``part_of``) possibly
        (overlapping) or certainly (inside) in [lo, hi], ascending, each once."""
        out: list[int] = []
        found = self._parts_of(actors, part_of)
        for table, parts in found:
            table.window(parts, lo, hi, certainly, out)
        return sorted(set(out)) if len(found) > 1 else sorted(out)

    def every(self, actors: Iterable[str], part_of: bool) -> list[int]:
        """Ranks of every account of ``actors`` (with their parts, if ``part_of``),
        ascending, each once."""
        out: list[int] = []
        found = self._parts_of(actors, part_of)
        for table, parts in found:
            table.every(parts, out)
        return sorted(set(out)) if len(found) > 1 else sorted(out)

    def window_all(self, lo: int, hi: int, certainly: bool) -> list[int]:
        """Ranks of every account possibly or certainly in [lo, hi], ascending."""
        if self._all is None:
            import numpy as np

            starts, ends, classes = self._arrays
            ranks = np.arange(len(classes), dtype=np.int64)
            self._all = _Table(np, _small(np, classes), ranks, starts, ends, [""])
        out: list[int] = []
        self._all.window(self._all.parts.get("", ()), lo, hi, certainly, out)
        out.sort()
        return out


def _date_ranks(np: Any, distinct: Sequence[When | Span], w_e: Any, w_l: Any) -> Any:
    """Each distinct date's rank in ``sort_key`` order; equal keys share a rank.

    numpy orders them by bounds; only dates with equal bounds compare whole keys.
    """
    order = np.lexsort((w_l, w_e))
    se, sl = w_e[order], w_l[order]
    new = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        same = (se[1:] == se[:-1]) & (sl[1:] == sl[:-1])
        new[1:] = ~same
        tied = np.flatnonzero(same)
        if len(tied):
            listed = order.tolist()
            breaks = np.flatnonzero(np.diff(tied) > 1)
            run_firsts = tied[np.concatenate(([0], breaks + 1))].tolist()
            run_lasts = (tied[np.concatenate((breaks, [len(tied) - 1]))] + 2).tolist()
            for first, last in zip(run_firsts, run_lasts, strict=True):
                run = sorted(listed[first:last], key=lambda j: distinct[j].sort_key)
                listed[first:last] = run
                for i in range(first + 1, last):
                    new[i] = (
                        distinct[run[i - first]].sort_key != distinct[run[i - first - 1]].sort_key
                    )
            order = np.asarray(listed, dtype=np.int64)
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.cumsum(new) - 1
    return ranks


def descendants(actor: str, children: dict[str, list[str]]) -> frozenset[str]:
    """``actor`` and every actor that is part of it, transitively."""
    seen = {actor}
    stack = [actor]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


def name_table(ledger: Ledger) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Folded names -> actor ids, and each actor's direct parts (``part_of`` downwards).

    Built once per ledger and kept until it changes.
    """
    got: tuple[dict[str, set[str]], dict[str, list[str]]] | None = ledger._cache.get("names")
    if got is None:
        names: dict[str, set[str]] = {}
        children: dict[str, list[str]] = {}
        for actor in ledger.actors.values():
            for name in (actor.id, *actor.all_names):
                names.setdefault(fold(name), set()).add(actor.id)
            if actor.part_of is not None:
                children.setdefault(actor.part_of, []).append(actor.id)
        got = ledger._cache["names"] = (names, children)
    return got


def index_of(ledger: Ledger) -> Index:
    """The ledger's index, built on first use and kept until the ledger changes.

    A :class:`Numbering` the bulk loader left in the ledger's cache is used, then
    dropped: it serves this one build (a change to the ledger clears both).

    The cyclic garbage collector is paused while it is built (the index holds arrays
    and lists of numbers, no cycles) and resumed as it was.
    """
    got = ledger._cache.get("index")
    if got is None:
        with paused_gc():
            got = ledger._cache["index"] = Index(ledger, ledger._cache.pop(NUMBERING, None))
    return got
