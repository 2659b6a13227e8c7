"""Grouping accounts into events.

1. Accounts with the same ``event`` key form one group; different keys never join.
   An account without a key whose id *is* a key (``Account.event_key``) joins it.
2. An account without a key joins a keyed group when it *matches* accounts of that
   group and of no other group as well; when two groups tie, it stays apart, flagged
   ``ambiguous``.
3. The remaining accounts without a key form groups in which every two accounts match
   (complete linkage), joined strongest match first, so the result is the same for
   any input order.

Two accounts *match* when they have the same kind, are both planned or both not,
name the same version numbers, do not name different stages (invitation test,
public test, formal launch), share a subject (see ``Actors``), have titles alike
enough once names, stage words and filler verbs are cut out, and have compatible
dates (overlapping, or a near-miss: of zones, of a day boundary, or within the reach
of an approximate date).

Only accounts that can match are compared: blocks of (kind, planned, versions, root
actor), sorted by date, swept with a window; no all-pairs over the ledger.
"""

from __future__ import annotations

__all__ = ["Actors", "Group", "Grouping", "group"]

import bisect
import heapq
import operator
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, NamedTuple, cast

import attrs

from ._merge_text import likeness, norm, residue, stages, versions
from ._merge_values import near_miss, reach
from ._records import Account, Actor
from ._when import When

_norm = norm.__wrapped__
_versions = versions.__wrapped__
_WINDOW = 2 * 86_400 * 1_000_000  # two days in µs: wide enough for any near-miss
_INF = float("inf")

Residue = tuple[str, frozenset[str]]
Reading = tuple[frozenset[str], Residue, frozenset[str], frozenset[str]]
"""What a title says to grouping: actor identities named, the residue, versions, stages."""


class Actors:
    """Actors as grouping sees them: who is the same, who is part of whom, names in text.

    Actors that share a name or alias (after normalising case, width and script) are
    one *identity* (the smallest id stands for it). ``part_of`` links identities into
    a hierarchy. An account's *subjects* are its actors and the actors its title names,
    minus any that is an ancestor of another (文心一言 makes 百度 redundant). Two
    accounts share a subject when a subject of one is, or is an ancestor of, a
    subject of the other; accounts naming no actor only match each other.
    """

    def __init__(self, actors: Mapping[str, Actor]) -> None:
        parent: dict[str, str] = {a: a for a in actors}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        owner: dict[str, str] = {}
        for aid in sorted(actors):
            for name in actors[aid].all_names:
                n = norm(name)
                if len(n) < 2:
                    continue
                other = owner.setdefault(n, aid)
                ra, rb = find(other), find(aid)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        self.canon: dict[str, str] = {a: find(a) for a in actors}
        self.parents: dict[str, set[str]] = {}
        for aid, actor in actors.items():
            if actor.part_of is not None and actor.part_of in self.canon:
                c, p = self.canon[aid], self.canon[actor.part_of]
                if c != p:
                    self.parents.setdefault(c, set()).add(p)
        self._anc: dict[str, frozenset[str]] = {}
        self._roots: dict[str, frozenset[str]] = {}
        self._read: dict[str, Reading] = {}
        self._residues: dict[str, Residue] = {}
        self._up: dict[frozenset[str], frozenset[str]] = {}
        self.names: dict[str, str] = {n: self.canon[a] for n, a in owner.items()}
        self._trie: dict[str, Any] = {}
        for n, c in self.names.items():
            node = self._trie
            for ch in n:
                node = node.setdefault(ch, {})
            node[""] = c
        self._pairs = {n[:2] for n in self.names}  # a name has two characters at least
        self._own: dict[tuple[str, ...], frozenset[str]] = {}
        self._place: dict[
            tuple[tuple[str, ...], frozenset[str]],
            tuple[frozenset[str], frozenset[str], frozenset[str]],
        ] = {}

    def ancestors(self, c: str) -> frozenset[str]:
        """Every identity ``c`` is part of, transitively (not ``c`` itself)."""
        done = self._anc.get(c)
        if done is not None:
            return done
        seen: set[str] = set()
        stack = list(self.parents.get(c, ()))
        while stack:
            p = stack.pop()
            if p not in seen and p != c:
                seen.add(p)
                stack.extend(self.parents.get(p, ()))
        out = frozenset(seen)
        self._anc[c] = out
        return out

    def roots(self, c: str) -> frozenset[str]:
        """The top identities above ``c`` (``c`` itself when it is part of nothing)."""
        done = self._roots.get(c)
        if done is None:
            tops = [a for a in (c, *self.ancestors(c)) if not self.parents.get(a)]
            done = self._roots[c] = frozenset(tops or (min((c, *self.ancestors(c))),))
        return done

    def read(self, title: str) -> Reading:
        """What grouping reads in one title: (names, residue of the rest, versions, stages).

        A pure function of the title and these actors, so each distinct title is read
        once: titles repeat across accounts (reprints, shared translations). What is
        left once names are cut out repeats far more (the same few verbs and objects),
        so its residue is kept by that text.
        """
        done = self._read.get(title)
        if done is None:
            nt = _norm(title)  # titles seldom repeat here: past ``norm``'s cache
            names, rest = self.scan(nt)
            res = self._residues.get(rest)
            if res is None:
                res = self._residues[rest] = residue(rest)
            done = self._read[title] = (names, res, _versions(nt), stages(nt))
        return done

    def read_all(
        self, texts: Sequence[str]
    ) -> tuple[frozenset[str], frozenset[str], frozenset[str], tuple[Residue, ...]]:
        """What a title and its translations say together: (names, versions, stages, residues).

        The residues are those of each text, without repeats, in the order given.
        """
        if len(texts) == 2:  # a title and one translation: most often
            n1, r1, v1, s1 = self.read(texts[0])
            n2, r2, v2, s2 = self.read(texts[1])
            return n1 | n2, v1 | v2, s1 | s2, (r1,) if r1 == r2 else (r1, r2)
        names: set[str] = set()
        vers: set[str] = set()
        stage: set[str] = set()
        residues: dict[Residue, None] = {}
        for t in texts:
            n, res, v, st = self.read(t)
            names |= n
            vers |= v
            stage |= st
            residues[res] = None
        return frozenset(names), frozenset(vers), frozenset(stage), tuple(residues)

    def own_roots(self, ids: tuple[str, ...]) -> frozenset[str]:
        """The roots of the identities of these actor ids (unknown ids add none)."""
        done = self._own.get(ids)
        if done is None:
            canon = self.canon
            done = self._own[ids] = frozenset(
                r for x in ids if x in canon for r in self.roots(canon[x])
            )
        return done

    def place(
        self, ids: tuple[str, ...], names: frozenset[str]
    ) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """(subjects, subjects and all above them, their roots) of an account.

        From its actor ids and the identities its title names; the same few
        combinations recur across a ledger, so each is worked out once.
        """
        key = (ids, names)
        done = self._place.get(key)
        if done is None:
            canon = self.canon
            subjects = self.subjects({canon[x] for x in ids if x in canon} | names)
            roots: set[str] = set()
            for c in subjects:
                roots |= self.roots(c)
            done = self._place[key] = (
                subjects,
                self.up(subjects),
                frozenset(roots) or frozenset({""}),
            )
        return done

    def scan(self, text: str) -> tuple[frozenset[str], str]:
        """(identities named in normalised ``text``, the text with those names cut out).

        Longest name first at each position; a Latin name must stand as a whole word.
        Only the places where some name's first two characters stand are tried.
        """
        found: set[str] = set()
        out: list[str] = []
        last, n = 0, len(text)
        pairs, trie = self._pairs, self._trie
        for i in [i for i in range(n - 1) if text[i : i + 2] in pairs]:
            if i < last:  # inside a name already cut out
                continue
            node = trie[text[i]]
            hits: list[tuple[int, str]] = []
            j = i + 1
            while node is not None:
                c = node.get("")
                if c is not None:
                    hits.append((j, c))
                if j >= n:
                    break
                node = node.get(text[j])
                j += 1
            for end, c in reversed(hits):  # longest first
                if _word_edges(text, i, end - i):
                    found.add(c)
                    out.append(text[last:i])
                    out.append(" ")
                    last = end
                    break
        if not out:
            return frozenset(found), text
        out.append(text[last:])
        return frozenset(found), "".join(out)

    def subjects(self, ids: Iterable[str]) -> frozenset[str]:
        """The most specific of these identities: none is an ancestor of another."""
        s = set(ids)
        above: set[str] = set()
        for c in s:
            above |= self.ancestors(c)
        return frozenset(s - above)

    def up(self, ids: frozenset[str]) -> frozenset[str]:
        """``ids`` and every identity one of them is part of (computed once per set)."""
        done = self._up.get(ids)
        if done is None:
            done = self._up[ids] = ids.union(*(self.ancestors(c) for c in ids))
        return done

    def related(self, a: frozenset[str], b: frozenset[str]) -> bool:
        """Some subject of ``a`` is, or is an ancestor of, a subject of ``b`` (or the reverse)."""
        if not a or not b:
            return not a and not b
        return not a.isdisjoint(self.up(b)) or not b.isdisjoint(self.up(a))


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _inside_word(text: str, i: int) -> bool:
    """``text[i]`` continues a Latin word, so no Latin name may start there."""
    return i > 0 and _latin(text[i]) and _latin(text[i - 1])


def _word_edges(text: str, i: int, size: int) -> bool:
    if _inside_word(text, i):
        return False
    j = i + size
    return not (j < len(text) and _latin(text[j - 1]) and _latin(text[j]))


class Sig(NamedTuple):
    """What grouping needs to know about one account."""

    at: int  # the account's place in the accounts being grouped
    kind: str
    planned: bool
    versions: frozenset[str]
    stages: frozenset[str]
    subjects: frozenset[str]
    above: frozenset[str]  # the subjects and every identity they are part of
    roots: frozenset[str]
    residues: tuple[Residue, ...]
    lo: float
    hi: float
    when: When | None


@attrs.frozen
class Group:
    """Accounts of one event: the key, the accounts (by id), and why some were kept out."""

    key: str
    accounts: tuple[Account, ...]
    keyed: bool
    ambiguous: tuple[str, ...] = ()


def _signature(i: int, a: Account, actors: Actors) -> Sig:
    if a.translations:
        names, vers, stage, residues = actors.read_all((a.title, *(t for _, t in a.translations)))
    else:
        names, res, vers, stage = actors.read(a.title)
        residues = (res,)
    if a.tags:
        stage = stage | stages("", a.tags)
    subjects, above, roots = actors.place(a.actors, names)
    w = a.when
    e, l_ = w._e, w._l
    return Sig(
        i,
        a.kind,
        a.planned,
        vers,
        stage,
        subjects,
        above,
        roots,
        residues,
        -_INF if e is None else e,
        _INF if l_ is None else l_,
        w if isinstance(w, When) else None,
    )


def _related(x: Sig, y: Sig) -> bool:
    """``Actors.related`` for the subjects of two accounts, from the sets kept in ``Sig``."""
    if not x.subjects or not y.subjects:
        return not x.subjects and not y.subjects
    return not x.subjects.isdisjoint(y.above) or not y.subjects.isdisjoint(x.above)


def _alike(x: Sig, y: Sig) -> float | None:
    """How alike two titles are (0..1), or None when they cannot be compared (two scripts)."""
    best: float | None = None
    for sx, tx in x.residues:
        for sy, ty in y.residues:
            if sx == sy:
                v = likeness(tx, ty)
                best = v if best is None else max(best, v)
    return best


def match(x: Sig, y: Sig, similarity: float) -> float | None:
    """How strongly two accounts match (higher is stronger), or None when they do not."""
    if x.kind != y.kind or x.planned != y.planned or x.versions != y.versions:
        return None
    if x.stages and y.stages and not (x.stages & y.stages):
        return None
    if not _related(x, y):
        return None
    overlap = x.lo <= y.hi and y.lo <= x.hi
    if not overlap and (x.when is None or y.when is None or near_miss(x.when, y.when) is None):
        return None
    alike = _alike(x, y)
    if alike is None:
        return similarity
    return alike if alike >= similarity else None


def _match_in_block(
    x: Sig, y: Sig, similarity: float, reaches: Mapping[int, tuple[float, float]] | None = None
) -> float | None:
    """``match`` for two accounts of one block: their kind, plans and versions are equal.

    ``reaches``: the ``reach`` of the approximate dates among them, by place, when the
    caller has worked them out (an approximate date within reach of the other is then
    known to be a near-miss without ``near_miss``).
    """
    sx, sy = x.stages, y.stages
    if sx and sy and sx.isdisjoint(sy):
        return None
    a, b = x.subjects, y.subjects
    if a and b:
        if a.isdisjoint(y.above) and b.isdisjoint(x.above):
            return None
    elif a or b:
        return None
    if not (x.lo <= y.hi and y.lo <= x.hi) and not _near(x, y, reaches):
        return None
    if len(x.residues) == 1 and len(y.residues) == 1:
        (kx, tx), (ky, ty) = x.residues[0], y.residues[0]
        if kx != ky:
            return similarity
        alike = likeness(tx, ty)
        return alike if alike >= similarity else None
    best = _alike(x, y)
    if best is None:
        return similarity
    return best if best >= similarity else None


def _near(x: Sig, y: Sig, reaches: Mapping[int, tuple[float, float]] | None) -> bool:
    """Two disjoint dates are a near-miss (``near_miss``), quickly where ``reaches`` tells."""
    if x.when is None or y.when is None:
        return False
    if reaches:
        rx, ry = reaches.get(x.at), reaches.get(y.at)
        if rx is not None and rx[0] <= y.hi and y.lo <= rx[1]:
            return True  # within the reach of approximate x
        if ry is not None and ry[0] <= x.hi and x.lo <= ry[1]:
            return True
        if (rx is not None or ry is not None) and (
            max(x.lo, y.lo) - min(x.hi, y.hi) > _WINDOW
        ):  # too far apart for a zone or a day boundary to explain
            return False
    return near_miss(x.when, y.when) is not None


def _edges(
    sigs: Mapping[int, Sig], wanted: Sequence[bool], similarity: float
) -> dict[tuple[int, int], float]:
    """How strongly each pair of accounts matches, for every pair that does.

    Only pairs that share a block and whose dates, widened by the window (and approximate
    ones by their reach), overlap are compared, each once, and only pairs with at least
    one account without a key (``wanted``). A block is swept in date order, keeping the members whose dates still
    reach the window; those without a key apart, so that a keyed account is compared
    only with them. Block by block: accounts compared one after another are near each
    other in memory (on a large ledger, a scattered order costs twice the time).
    """
    blocks: dict[tuple[object, ...], list[tuple[float, int]]] = {}
    reaches: dict[int, tuple[float, float]] = {}  # of approximate dates (rare): see ``reach``
    for s in sigs.values():
        lo = s.lo
        if s.when is not None and s.when.approximate:
            lo, _ = reaches[s.at] = reach(s.when)
        for r in s.roots:
            blocks.setdefault((s.kind, s.planned, s.versions, r), []).append((lo, s.at))
    seen: set[tuple[int, int]] = set()
    edges: dict[tuple[int, int], float] = {}
    for members in blocks.values():
        if len(members) < 2 or not any(wanted[i] for _, i in members):
            continue
        members.sort()
        live: list[tuple[float, int]] = []  # (hi, index) of earlier members without a key
        live_keyed: list[tuple[float, int]] = []  # and of those with one
        for lo, i in members:
            while live and live[0][0] + _WINDOW < lo:
                heapq.heappop(live)
            while live_keyed and live_keyed[0][0] + _WINDOW < lo:
                heapq.heappop(live_keyed)
            s = sigs[i]
            want = wanted[i]
            for _, j in (*live, *live_keyed) if want else live:
                t = sigs[j]
                pair = (i, j) if i < j else (j, i)
                if len(s.roots) > 1 and len(t.roots) > 1:  # the two may share another block
                    if pair in seen:
                        continue
                    seen.add(pair)
                m = _match_in_block(s, t, similarity, reaches)
                if m is not None:
                    edges[pair] = m
            hi = reaches[i][1] if i in reaches else s.hi
            heapq.heappush(live if want else live_keyed, (hi, i))
    return edges


def group(
    accounts: Sequence[Account],
    actor_records: Mapping[str, Actor],
    similarity: float,
    ids: list[str] | None = None,
) -> Grouping:
    """The accounts, sorted by id, split into groups (see the module's docstring).

    ``ids`` are the accounts' ids, when the caller has them already and has checked
    that they are unique (strictly increasing).
    """
    events = list(map(attrgetter("event"), accounts))
    # each account's group, numbered: first the event keys, in order of first use
    codes: dict[str | None, int] = dict.fromkeys(events, 0)
    for c, k in enumerate(codes):
        codes[k] = c
    assign = list(map(codes.__getitem__, events))
    keys: list[str | None] = list(codes)
    keyed = len(keys)
    ambiguous: dict[int, tuple[str, ...]] = {}
    codes.pop(None, None)  # accounts without a key: no group of their own
    by_key = cast("dict[str, int]", codes)
    if keyed > len(by_key):
        _loose(accounts, events, by_key, keys, assign, ambiguous, actor_records, similarity)
    return Grouping(accounts, keys, keyed, assign, by_key, ambiguous, ids)


def _loose(
    accounts: Sequence[Account],
    events: list[str | None],
    codes: dict[str, int],
    keys: list[str | None],
    assign: list[int],
    ambiguous: dict[int, tuple[str, ...]],
    actor_records: Mapping[str, Actor],
    similarity: float,
) -> None:
    """Group the accounts without an event key: each joins a keyed event or a new group.

    Changes ``assign`` (each account's group), appends the new groups' keys to ``keys``
    and adds them to ``codes`` (the last when repeated ids repeat one); ``ambiguous``
    gets, for each new group that ties between keyed events, those events.
    """
    rest: list[int] = []
    members = [e is not None for e in events]  # of a keyed event: by key, or by its id
    for i, e in enumerate(events):
        if e is None:
            own = codes.get(accounts[i].id)
            if own is not None:  # its own id names a keyed event
                assign[i] = own
                members[i] = True
            else:
                rest.append(i)
    if not rest:
        return
    actors = Actors(actor_records)
    sigs: dict[int, Sig] = {i: _signature(i, accounts[i], actors) for i in rest}
    # a keyed account is read only when accounts without a key share its kind and
    # the root of one of its actors (or it names none): the others cannot match them
    near: dict[tuple[str, bool], set[str]] = {}
    for s in sigs.values():
        near.setdefault((s.kind, s.planned), set()).update(s.roots)
    own_roots = actors.own_roots
    for i, keyed in enumerate(members):
        if not keyed:
            continue
        a = accounts[i]
        roots = near.get((a.kind, a.planned))
        if roots is not None:
            mine = own_roots(a.actors)
            if not mine or not mine.isdisjoint(roots):
                sigs[i] = _signature(i, a, actors)
    wanted = [False] * len(accounts)
    for i in rest:
        wanted[i] = True
    edges = _edges(sigs, wanted, similarity)
    # keyless accounts join the keyed event they match best, if exactly one is best
    votes: dict[int, dict[str, int]] = {}
    for i, j in edges:
        for x, y in ((i, j), (j, i)):
            if wanted[x] and not wanted[y]:  # y is in a keyed event: by key, or by its id
                k = accounts[y].event or accounts[y].id
                tally = votes.setdefault(x, {})
                tally[k] = tally.get(k, 0) + 1
    attached: set[int] = set()
    tied: dict[int, tuple[str, ...]] = {}
    for i, tally in votes.items():
        top = max(tally.values())
        best = sorted(k for k, v in tally.items() if v == top)
        if len(best) == 1:
            assign[i] = codes[best[0]]
            attached.add(i)
        else:
            tied[i] = tuple(best)
    rest = [i for i in rest if i not in attached]

    # the others: complete linkage, strongest match first, ties by id (then by place,
    # which only an unvalidated ledger with repeated ids needs)
    left = set(rest)
    comp: dict[int, list[int]] = {i: [i] for i in rest}
    where: dict[int, int] = {i: i for i in rest}
    order = sorted(
        ((s, i, j) for (i, j), s in edges.items() if i in left and j in left),
        key=lambda e: (-e[0], accounts[e[1]].id, accounts[e[2]].id, e[1], e[2]),
    )
    for _, i, j in order:
        ci, cj = where[i], where[j]
        if ci == cj:
            continue
        if all((min(x, y), max(x, y)) in edges for x in comp[ci] for y in comp[cj]):
            keep, gone = (ci, cj) if ci < cj else (cj, ci)
            comp[keep].extend(comp[gone])
            for x in comp[gone]:
                where[x] = keep
            del comp[gone]
    for first, ms in sorted(comp.items()):  # keyed by each group's first member
        code = len(keys)
        key = accounts[first].id
        keys.append(key)
        codes[key] = code
        for i in ms:
            assign[i] = code
        amb = sorted({k for i in ms for k in tied.get(i, ())})
        if amb:
            ambiguous[code] = tuple(amb)


_NUMPY_FROM = 20_000
"""From this many accounts, ``Grouping`` sorts and sums with numpy (the same results;
importing numpy costs more than the pure-Python work below it)."""
_OPEN = 2**62  # an open bound, beyond any date's microseconds (years 1 to 9999)


class Grouping:
    """The groups: each group's key and its accounts (by place in ``accounts``).

    Kept as indices, not ``Group`` objects: ``group(key)`` makes the ``Group`` of one
    key when merging builds that event. Groups are numbered: ``keys[c]`` is group
    ``c``'s key (the event keys first, then the groups of accounts without one),
    ``assign[i]`` the group of account ``i`` and ``code[key]`` the group of a key.
    """

    def __init__(
        self,
        accounts: Sequence[Account],
        keys: list[str | None],
        keyed: int,
        assign: list[int],
        code: dict[str, int],
        ambiguous: dict[int, tuple[str, ...]],
        ids: list[str] | None = None,
    ) -> None:
        self.accounts = accounts
        self.keys = keys
        self.keyed = keyed
        """Groups ``0 .. keyed - 1`` are events by key (one may be ``None``: no group)."""
        self.assign = assign
        self._ambiguous = ambiguous
        n, m = len(assign), len(keys)
        whens = list(map(attrgetter("when"), accounts))
        lo: list[int] = list(map(attrgetter("_e"), whens))  # None where open (rare) ...
        hi: list[int] = list(map(attrgetter("_l"), whens))
        if None in lo:  # ... then far away
            lo = [-_OPEN if e is None else e for e in lo]
        if None in hi:
            hi = [_OPEN if e is None else e for e in hi]
        # the accounts by group (in their order within each group: a stable counting
        # sort), where each group starts, and each group's date intersection
        if n >= _NUMPY_FROM:
            import numpy as np

            codes = np.array(assign, dtype=np.int64)
            order_a = np.argsort(codes, kind="stable")
            counts_a = np.bincount(codes, minlength=m)
            starts_a = np.zeros(m + 1, dtype=np.int64)
            np.cumsum(counts_a, out=starts_a[1:])
            full = np.flatnonzero(counts_a)
            late = np.full(m, -_OPEN - 1, dtype=np.int64)
            early = np.full(m, _OPEN + 1, dtype=np.int64)
            if len(full):
                at = starts_a[full]
                late[full] = np.maximum.reduceat(np.array(lo, dtype=np.int64)[order_a], at)
                early[full] = np.minimum.reduceat(np.array(hi, dtype=np.int64)[order_a], at)
            self.order: list[int] = order_a.tolist()
            self.starts: list[int] = starts_a.tolist()
            counts: list[int] = counts_a.tolist()
            self.late: list[int] = late.tolist()
            self.early: list[int] = early.tolist()
            self.disjoint = int(np.count_nonzero(late[full] > early[full]))
        else:
            counts = [0] * m
            for c in assign:
                counts[c] += 1
            self.starts = starts = [0] * (m + 1)
            for c in range(m):
                starts[c + 1] = starts[c] + counts[c]
            place = starts[:-1]
            self.order = order = [0] * n
            for i, c in enumerate(assign):
                order[place[c]] = i
                place[c] += 1
            self.late = [
                max(map(lo.__getitem__, order[starts[c] : starts[c + 1]]))
                if counts[c]
                else -_OPEN - 1
                for c in range(m)
            ]
            self.early = [
                min(map(hi.__getitem__, order[starts[c] : starts[c + 1]]))
                if counts[c]
                else _OPEN + 1
                for c in range(m)
            ]
            self.disjoint = sum(1 for c in range(m) if counts[c] and self.late[c] > self.early[c])
        self.counts = counts
        """Each group's size; with ``late`` (the latest earliest bound) and ``early`` (the
        earliest latest bound), its date intersection in µs, empty when ``late > early``:
        a summary at a glance (the pandas baseline's work); the built events say more.
        ``disjoint`` counts the groups whose intersection is empty."""
        self.code = code
        """The group of each key (the last, when repeated ids repeat a key): every group
        but ``None``'s, which accounts without a key leave for a keyed group or their own."""
        if ids is None:
            ids = list(map(attrgetter("id"), accounts))
            self.unique = all(map(operator.lt, ids, ids[1:]))
        else:
            self.unique = True
        self.ids = ids
        """No two accounts share an id (``accounts`` are sorted by id)."""
        self._key_of: dict[str, str] | None = None

    def __len__(self) -> int:
        return len(self.code)

    def __contains__(self, key: object) -> bool:
        return key in self.code

    @property
    def bounds(self) -> dict[str, tuple[int, float, float]]:
        """Each group's size and date intersection (µs; open bounds as infinities)."""

        def edge(v: int) -> float:
            return -_INF if v <= -_OPEN else _INF if v >= _OPEN else v

        return {
            k: (self.counts[c], edge(self.late[c]), edge(self.early[c]))
            for k, c in self.code.items()
        }

    def names(self, event: str) -> bool:
        """Some group answers to ``event``: its key, or the event key of one of its accounts."""
        if event in self.code:
            return True
        ids, accounts = self.ids, self.accounts
        i = bisect.bisect_left(ids, event)
        while i < len(ids) and ids[i] == event:
            if accounts[i].event is None:
                return True
            i += 1
        return False

    def group(self, key: str) -> Group:
        """The group with this key."""
        return self._group(self.code[key], key)

    def groups(self) -> list[Group]:
        """Every group, by key; two groups may share one only when accounts share an id."""
        out = [
            self._group(c, k) for c, k in enumerate(self.keys) if k is not None and self.counts[c]
        ]
        out.sort(key=attrgetter("key"))
        return out

    def _group(self, c: int, key: str) -> Group:
        members = self.order[self.starts[c] : self.starts[c + 1]]
        return Group(
            key=key,
            accounts=tuple(map(self.accounts.__getitem__, members)),
            keyed=c < self.keyed,
            ambiguous=self._ambiguous.get(c, ()),
        )

    def key_of(self, account: str) -> str | None:
        """The key of the group that holds ``account`` (None when none does)."""
        by = self._key_of
        if by is None:
            keys = self.keys
            by = self._key_of = {
                a.id: k
                for a, c in zip(self.accounts, self.assign, strict=True)
                if (k := keys[c]) is not None
            }
        return by.get(account)
