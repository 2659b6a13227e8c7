"""The policy that decides conflicts: an ordered list of rules per field.

A conflict offers several readings (*candidates*), each supported by some accounts.
Accounts that support every candidate tell them apart no more than a coarse date
does, so each rule looks only at a candidate's *distinguishing* supporters. Rules
run in order; each keeps the candidates it scores best and drops the rest (their
accounts are overruled by that rule). One candidate left: it wins. All tied after the
last rule: ``unresolved`` — never an arbitrary pick.

>>> [r.value for r in Policy().rules_for("when")]
['reliability', 'primary', 'independent', 'correction', 'latest_publication']
>>> Policy(rules=["independent"], fields={"quantity": ["reliability"]}).rules_for("quantity")
(<Rule.RELIABILITY: 'reliability'>,)
"""

from __future__ import annotations

__all__ = ["DEFAULT_RULES", "PRIMARY_KINDS", "Decision", "Policy", "Rule", "decide"]

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ._records import Account, Source, SourceKind
from ._when import Span, When
from .errors import ChronicleError


class Rule(enum.StrEnum):
    """The rules a policy can use, in any order."""

    RELIABILITY = "reliability"
    """The highest ``Source.reliability`` among a candidate's supporters (unrated is lowest)."""
    PRIMARY = "primary"
    """A candidate with a primary source (see ``Policy.primary_kinds``) beats one without."""
    INDEPENDENT = "independent"
    """More independent origins: sources that ``cites`` a common origin count once."""
    CORRECTION = "correction"
    """An account tagged ``correction`` beats those without; the most recent correction wins."""
    LATEST_PUBLICATION = "latest_publication"
    """The candidate whose newest supporting source was certainly published last."""
    EARLIEST_PUBLICATION = "earliest_publication"
    """The candidate whose oldest supporting source was certainly published first."""


DEFAULT_RULES = (
    Rule.RELIABILITY,
    Rule.PRIMARY,
    Rule.INDEPENDENT,
    Rule.CORRECTION,
    Rule.LATEST_PUBLICATION,
)
PRIMARY_KINDS = frozenset(
    {SourceKind.PRESS_RELEASE, SourceKind.FILING, SourceKind.STATEMENT, SourceKind.INTERVIEW}
)
FIELDS = ("when", "start", "end", "quantity")


class PolicyError(ChronicleError, ValueError):
    """A policy names a rule or field chronicle does not know."""


def _rules(value: Any) -> tuple[Rule, ...]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    out = []
    for v in value:
        try:
            out.append(Rule(v))
        except ValueError:
            known = ", ".join(r.value for r in Rule)
            raise PolicyError(f"unknown rule {v!r}; expected one of {known}", text=str(v)) from None
    return tuple(out)


def _fields(value: Any) -> tuple[tuple[str, tuple[Rule, ...]], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    out = []
    for name, rules in items:
        if name not in FIELDS:
            raise PolicyError(
                f"unknown field {name!r} in a policy; expected one of {', '.join(FIELDS)}",
                text=name,
            )
        out.append((name, _rules(rules)))
    return tuple(sorted(out))


def _kinds(value: Any) -> frozenset[SourceKind]:
    return frozenset(SourceKind(v) for v in value)


def _tolerance(_inst: Any, _attr: Any, value: float) -> None:
    if not 0 <= value < 1:
        raise PolicyError(f"the 'about' tolerance must be at least 0 and below 1, got {value!r}")


@attrs.frozen(kw_only=True)
class Policy:
    """How conflicts are decided after the ledger's own resolutions (pins).

    ``rules`` apply to every field unless ``fields`` gives a field (``when``, ``start``,
    ``end``, ``quantity``) its own list; ``start`` and ``end`` fall back to ``when``.
    ``about`` is the tolerance of an "about" figure (0.1: within 10 %). ``similarity``
    is how alike two titles without an event key must be to group (0..1).
    """

    rules: tuple[Rule, ...] = attrs.field(default=DEFAULT_RULES, converter=_rules)
    fields: tuple[tuple[str, tuple[Rule, ...]], ...] = attrs.field(default=(), converter=_fields)
    about: float = attrs.field(default=0.1, validator=_tolerance)
    similarity: float = 0.5
    primary_kinds: frozenset[SourceKind] = attrs.field(default=PRIMARY_KINDS, converter=_kinds)

    def rules_for(self, field: str) -> tuple[Rule, ...]:
        """The rules that decide ``field``."""
        own = dict(self.fields)
        if field in own:
            return own[field]
        if field in ("start", "end") and "when" in own:
            return own["when"]
        return self.rules


# ------------------------------------------------------------------------------ context


class Evidence:
    """What the rules read about accounts: their sources, origins, publication dates.

    Origins are computed once per source: a source's origins are itself and every source
    it ``cites``, transitively. Two accounts are independent when their origins are disjoint.
    """

    def __init__(self, sources: Mapping[str, Source], policy: Policy) -> None:
        self.sources = sources
        self.policy = policy
        self._origins: dict[str, frozenset[str]] = {}

    def source(self, a: Account) -> Source | None:
        return self.sources.get(a.source)

    def origins(self, a: Account) -> frozenset[str]:
        out: set[str] = set()
        for c in a.citations:
            out |= self._source_origins(c.source)
        return frozenset(out)

    def _source_origins(self, sid: str) -> frozenset[str]:
        done = self._origins.get(sid)
        if done is not None:
            return done
        seen = {sid}
        stack = [sid]
        while stack:
            s = self.sources.get(stack.pop())
            for c in s.cites if s else ():
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        found = frozenset(seen)
        self._origins[sid] = found
        return found

    def independent(self, accounts: Sequence[Account]) -> list[list[Account]]:
        """Accounts split into independent clusters (shared origins join a cluster)."""
        if len(accounts) == 1:  # one account is one cluster, as ``_clusters`` finds too
            return [list(accounts)]
        return self._clusters(accounts)

    def _clusters(self, accounts: Sequence[Account]) -> list[list[Account]]:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        origins = [sorted(self.origins(a)) for a in accounts]
        for o in origins:
            for x in o[1:]:
                ra, rb = find(o[0]), find(x)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        clusters: dict[str, list[Account]] = {}
        for a, o in zip(accounts, origins, strict=True):
            clusters.setdefault(find(o[0]), []).append(a)
        return [clusters[k] for k in sorted(clusters)]

    def published(self, a: Account) -> When | Span | None:
        """When the account was first said: the earliest publication date of the sources
        it cites (as ``Ledger.as_of`` knows it), None when none has one."""
        if len(a.citations) == 1:  # most accounts
            s = self.source(a)
            return s.published if s else None
        pubs = [p for p in self.all_published(a) if p is not None]
        return min(pubs, key=lambda p: p.sort_key) if pubs else None

    def all_published(self, a: Account) -> list[When | Span | None]:
        """The publication date of each source the account cites (None where unknown)."""
        return [
            s.published if (s := self.sources.get(c.source)) is not None else None
            for c in a.citations
        ]

    def reliability(self, a: Account) -> int | None:
        s = self.source(a)
        return s.reliability if s else None


# -------------------------------------------------------------------------------- rules


@attrs.frozen
class Score:
    """A rule's view of one candidate: something to compare, and how to say it."""

    key: Any
    text: str


Better = Callable[[Score, Score], bool]


def _show_pub(w: When | Span | None) -> str:
    from ._display import show_when

    return "an unknown date" if w is None else show_when(w)


def _score(rule: Rule, accounts: Sequence[Account], ev: Evidence) -> Score:
    if rule is Rule.RELIABILITY:
        rated = [r for a in accounts if (r := ev.reliability(a)) is not None]
        best = max(rated, default=None)
        return Score(
            -1 if best is None else best, "unrated" if best is None else f"reliability {best}"
        )
    if rule is Rule.PRIMARY:
        kinds = sorted(
            {
                str(s.kind)
                for a in accounts
                if (s := ev.source(a)) and s.kind in ev.policy.primary_kinds
            }
        )
        return Score(
            bool(kinds), f"a primary source ({', '.join(kinds)})" if kinds else "no primary source"
        )
    if rule is Rule.INDEPENDENT:
        clusters = ev.independent(accounts)
        n = len(clusters)
        reprints = sum(len(c) for c in clusters) - n
        extra = f", counting {reprints} dependent account(s) once" if reprints else ""
        return Score(n, f"{n} independent origin{'s' if n != 1 else ''}{extra}")
    if rule is Rule.CORRECTION:
        pubs = [ev.published(a) for a in accounts if "correction" in a.tags]
        if not pubs:
            return Score(None, "no correction")
        known = [p for p in pubs if p is not None]
        latest = max(known, key=lambda p: p.sort_key, default=None)
        return Score((True, latest), f"a correction published {_show_pub(latest)}")
    pubs2 = [p for a in accounts if (p := ev.published(a)) is not None]
    if not pubs2:
        return Score(None, "no known publication date")
    if rule is Rule.LATEST_PUBLICATION:
        p = max(pubs2, key=lambda w: (w._l is None, w._l or 0, w.sort_key))
        return Score(p, f"published {_show_pub(p)}")
    p = min(pubs2, key=lambda w: (w._e is not None, w._e or 0, w.sort_key))
    return Score(p, f"published {_show_pub(p)}")


def _better(rule: Rule) -> Better:
    if rule in (Rule.RELIABILITY, Rule.PRIMARY, Rule.INDEPENDENT):
        return lambda x, y: bool(x.key > y.key)
    if rule is Rule.CORRECTION:

        def corr(x: Score, y: Score) -> bool:
            if x.key is None:
                return False
            if y.key is None:
                return True
            px, py = x.key[1], y.key[1]
            return px is not None and py is not None and py.certainly_before(px)

        return corr
    if rule is Rule.LATEST_PUBLICATION:
        return lambda x, y: (
            x.key is not None and y.key is not None and y.key.certainly_before(x.key)
        )
    return lambda x, y: x.key is not None and y.key is not None and x.key.certainly_before(y.key)


@attrs.frozen
class Elimination:
    """Candidate ``index`` dropped by ``rule``: ``loser`` against ``winner`` in words."""

    index: int
    rule: Rule
    loser: str
    winner: str


@attrs.frozen
class Decision:
    """Which candidates survived the rules, and who was dropped by which rule."""

    survivors: tuple[int, ...]
    eliminated: tuple[Elimination, ...]
    rule: Rule | None

    @property
    def winner(self) -> int | None:
        return self.survivors[0] if len(self.survivors) == 1 else None


def decide(
    supporters: Sequence[Sequence[Account]],
    rules: Sequence[Rule],
    ev: Evidence,
    among: Sequence[int] | None = None,
) -> Decision:
    """Run ``rules`` over candidates given by their supporting accounts.

    Each candidate is judged by the supporters it does not share with every other
    candidate still in the running. ``among`` limits the contest to some candidates.
    """
    alive = list(among if among is not None else range(len(supporters)))
    gone: list[Elimination] = []
    for rule in rules:
        if len(alive) < 2:
            break
        ids = [{a.id for a in supporters[i]} for i in alive]
        shared = set.intersection(*ids)
        scores = {
            i: _score(rule, [a for a in supporters[i] if a.id not in shared], ev) for i in alive
        }
        better = _better(rule)
        keep = [i for i in alive if not any(better(scores[j], scores[i]) for j in alive if j != i)]
        if len(keep) == len(alive) or not keep:
            continue
        best = scores[keep[0]].text
        if len({scores[k].text for k in keep}) > 1:
            best = " / ".join(sorted({scores[k].text for k in keep}))
        for i in alive:
            if i not in keep:
                gone.append(Elimination(i, rule, scores[i].text, best))
        alive = keep
        if len(alive) == 1:
            return Decision(tuple(alive), tuple(gone), rule)
    return Decision(tuple(alive), tuple(gone), None)
