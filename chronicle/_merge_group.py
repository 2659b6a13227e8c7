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
dates (overlapping, or a near-miss of zones or a day boundary).

Only accounts that can match are compared: blocks of (kind, planned, versions, root
actor), sorted by date, swept with a window; no all-pairs over the ledger.
"""

from __future__ import annotations

__all__ = ["Actors", "Group", "group"]

import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._merge_text import likeness, norm, residue, stages, versions
from ._merge_values import near_miss, when_interval
from ._records import Account, Actor
from ._when import When

_WINDOW = 2 * 86_400 * 1_000_000  # two days in µs: wide enough for any near-miss

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
            nt = norm(title)
            names, rest = self.scan(nt)
            res = self._residues.get(rest)
            if res is None:
                res = self._residues[rest] = residue(rest)
            done = self._read[title] = (names, res, versions(nt), stages(nt))
        return done

    def scan(self, text: str) -> tuple[frozenset[str], str]:
        """(identities named in normalised ``text``, the text with those names cut out).

        Longest name first at each position; a Latin name must stand as a whole word.
        """
        found: set[str] = set()
        out: list[str] = []
        i, n = 0, len(text)
        trie = self._trie
        while i < n:
            node = trie.get(text[i])
            if node is None:  # most characters begin no name
                out.append(text[i])
                i += 1
                continue
            hits: list[tuple[int, str]] = []
            j = i + 1
            while node is not None:
                c = node.get("")
                if c is not None:
                    hits.append((j - i, c))
                if j >= n:
                    break
                node = node.get(text[j])
                j += 1
            for size, c in reversed(hits):  # longest first
                if _word_edges(text, i, size):
                    found.add(c)
                    out.append(" ")
                    i += size
                    break
            else:
                out.append(text[i])
                i += 1
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


@attrs.frozen
class Sig:
    """What grouping needs to know about one account."""

    index: int
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
    texts = [a.title, *(t for _, t in a.translations)]
    found: set[str] = {actors.canon[x] for x in a.actors if x in actors.canon}
    vers: set[str] = set()
    stage: set[str] = set(stages("", a.tags))
    residues: dict[Residue, None] = {}
    for t in texts:
        names, res, vt, st = actors.read(t)
        found |= names
        vers |= vt
        stage |= st
        residues[res] = None
    subjects = actors.subjects(found)
    roots: set[str] = set()
    for s in subjects:
        roots |= actors.roots(s)
    lo, hi = when_interval(a.when) if isinstance(a.when, When) else _span_interval(a)
    return Sig(
        index=i,
        kind=a.kind,
        planned=a.planned,
        versions=frozenset(vers),
        stages=frozenset(stage),
        subjects=subjects,
        above=actors.up(subjects),
        roots=frozenset(roots) or frozenset({""}),
        residues=tuple(residues),
        lo=lo,
        hi=hi,
        when=a.when if isinstance(a.when, When) else None,
    )


def _span_interval(a: Account) -> tuple[float, float]:
    w = a.when
    lo = -float("inf") if w._e is None else w._e
    hi = float("inf") if w._l is None else w._l
    return lo, hi


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


def _candidate_pairs(sigs: Sequence[Sig], wanted: Sequence[bool]) -> list[tuple[int, int]]:
    """Pairs that share a block and whose dates, widened by the window, overlap.

    Each pair once, in the order the sweep meets them: block by block, so that the
    accounts compared one after another are near each other in memory (on a large
    ledger, comparing pairs in a scattered order costs twice the time).
    """
    blocks: dict[tuple[object, ...], list[Sig]] = {}
    for s in sigs:
        vkey = tuple(sorted(s.versions))
        for r in s.roots:
            blocks.setdefault((s.kind, s.planned, vkey, r), []).append(s)
    seen: set[tuple[int, int]] = set()
    pairs: list[tuple[int, int]] = []
    for members in blocks.values():
        if len(members) < 2 or not any(wanted[m.index] for m in members):
            continue
        members.sort(key=lambda s: (s.lo, s.index))
        live: list[tuple[float, int, bool]] = []  # (hi, index, wanted) of earlier members
        for s in members:
            while live and live[0][0] + _WINDOW < s.lo:
                heapq.heappop(live)
            i, want = s.index, wanted[s.index]
            for _, j, other in live:
                if want or other:
                    pair = (i, j) if i < j else (j, i)
                    if pair not in seen:
                        seen.add(pair)
                        pairs.append(pair)
            heapq.heappush(live, (s.hi, i, want))
    return pairs


def group(
    accounts: Sequence[Account], actor_records: Mapping[str, Actor], similarity: float
) -> list[Group]:
    """The accounts, sorted by id, split into groups (see the module's docstring)."""
    keyed: dict[str, list[int]] = {}
    loose: list[int] = []
    for i, a in enumerate(accounts):
        if a.event is not None:
            keyed.setdefault(a.event, []).append(i)
        else:
            loose.append(i)
    owner: dict[int, str] = {i: k for k, members in keyed.items() for i in members}
    ambiguous: dict[int, tuple[str, ...]] = {}
    rest: list[int] = []
    for i in loose:
        if accounts[i].id in keyed:  # its own id names a keyed event
            owner[i] = accounts[i].id
            keyed[accounts[i].id].append(i)
        else:
            rest.append(i)

    if rest:
        actors = Actors(actor_records)
        loose_sigs = {i: _signature(i, accounts[i], actors) for i in rest}
        # a keyed account is read only when accounts without a key share its kind and
        # the root of one of its actors (or it names none): the others cannot match them
        near: dict[tuple[str, bool], set[str]] = {}
        for s in loose_sigs.values():
            near.setdefault((s.kind, s.planned), set()).update(s.roots)
        sigs: dict[int, Sig] = dict(loose_sigs)
        for i, a in enumerate(accounts):
            if i in loose_sigs:
                continue
            roots = near.get((a.kind, a.planned))
            own = {r for x in a.actors if x in actors.canon for r in actors.roots(actors.canon[x])}
            if roots is not None and (not own or own & roots):
                sigs[i] = _signature(i, a, actors)
        wanted = [False] * len(accounts)
        for i in rest:
            wanted[i] = True
        edges: dict[tuple[int, int], float] = {}
        for i, j in _candidate_pairs(list(sigs.values()), wanted):
            m = match(sigs[i], sigs[j], similarity)
            if m is not None:
                edges[(i, j)] = m
        # keyless accounts join the keyed event they match best, if exactly one is best
        votes: dict[int, dict[str, int]] = {}
        free = set(rest)
        for i, j in edges:
            for x, y in ((i, j), (j, i)):
                if x in free and y in owner:
                    tally = votes.setdefault(x, {})
                    tally[owner[y]] = tally.get(owner[y], 0) + 1
        attached: dict[int, str] = {}
        for i, tally in votes.items():
            top = max(tally.values())
            best = sorted(k for k, v in tally.items() if v == top)
            if len(best) == 1:
                attached[i] = best[0]
            else:
                ambiguous[i] = tuple(best)
        for i in sorted(attached):
            keyed[attached[i]].append(i)
            owner[i] = attached[i]
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
        loose_groups = list(comp.values())
    else:
        loose_groups = []

    out = [
        Group(key=k, accounts=tuple(accounts[i] for i in sorted(members)), keyed=True)
        for k, members in keyed.items()
    ]
    for members in loose_groups:
        members.sort()
        amb = tuple(sorted({k for i in members for k in ambiguous.get(i, ())}))
        out.append(
            Group(
                key=accounts[members[0]].id,
                accounts=tuple(accounts[i] for i in members),
                keyed=False,
                ambiguous=amb,
            )
        )
    out.sort(key=lambda g: g.key)
    return out
