"""What merging returns: a ``Timeline`` of ``MergedEvent``s whose values explain themselves.

Every value a merged event shows is a :class:`MergedValue`: the value, a
:class:`Status`, :class:`Flag`\\ s, the accounts that determined it, those that were
compatible but coarser, and those that were overruled, with the rule that overruled
them. ``explain()`` turns that record into sentences a reader can check against the
ledger. Nothing here decides anything; ``chronicle._merge`` does.
"""

from __future__ import annotations

__all__ = [
    "Candidate",
    "Claim",
    "Flag",
    "MergedEvent",
    "MergedValue",
    "Overruled",
    "Status",
    "Timeline",
]

import enum
from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from ._records import Quantity
from ._when import Span, When

if TYPE_CHECKING:
    from ._merge_policy import Policy

Value = When | Span | Quantity


class Status(enum.StrEnum):
    """How a merged value came about, from least to most in need of a reader's attention.

    >>> Status.REFINED < Status.UNRESOLVED
    True
    """

    CONSISTENT = "consistent"
    """Every account that gives the value gives the same one (or only one account does)."""
    REFINED = "refined"
    """The accounts differ but are compatible; the value is their intersection."""
    PINNED = "pinned"
    """A resolution recorded in the ledger decided it."""
    RESOLVED = "resolved"
    """The accounts conflict and a rule of the policy picked a winner."""
    CONTESTED = "contested"
    """The accounts disagree in a way no rule decides: a near-miss, or a count that fell."""
    UNRESOLVED = "unresolved"
    """The accounts conflict and nothing separated them: a tie, never an arbitrary pick."""

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return self.rank >= other.rank

    @property
    def is_conflict(self) -> bool:
        """True when the accounts did not all agree (pinned, resolved, contested, unresolved)."""
        return self.rank >= _RANK[Status.PINNED]


_RANK = {s: i for i, s in enumerate(Status)}


class Flag(enum.StrEnum):
    """Something a reader should know about a merged value beyond its status."""

    CHALLENGED = "challenged"
    """A pin that an account published after it contradicts."""
    STALE = "stale"
    """A pin whose account is gone or whose value no account supports any more; not applied."""
    NEAR_MISS = "near-miss"
    """Dates that differ only by a time zone or a day boundary."""
    SERIES = "series"
    """Running figures with different ``as_of`` times: a series, not a conflict."""
    DECREASING = "decreasing"
    """A cumulative count (tag ``cumulative``) that goes down over time."""
    UNITS = "units"
    """Figures in different units: not comparable, kept apart."""
    AMBIGUOUS = "ambiguous"
    """An account without an event key that matches several events equally; kept apart."""


def in_flag_order(flags: Collection[Flag]) -> tuple[Flag, ...]:
    """``flags`` without repeats, in the order ``Flag`` declares them."""
    return tuple(f for f in Flag if f in flags) if flags else ()


@attrs.frozen(kw_only=True)
class Claim:
    """One account's statement of a field, as the explanation shows it."""

    account: str
    source: str
    value: Value
    text: str | None = None

    @property
    def shown(self) -> str:
        """The value as a person reads it."""
        return show_value(self.value)

    def describe(self) -> str:
        shown = self.shown
        said = f"“{self.text}”, " if self.text and self.text != shown else ""
        return f"{self.account} ({self.source}: {said}{shown})"


@attrs.frozen(kw_only=True)
class Candidate:
    """One reading that some accounts support together, in a conflict."""

    value: str
    accounts: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Overruled:
    """An account whose value lost, the rule that decided it, and why in words."""

    account: str
    field: str
    value: str
    rule: str
    why: str

    def describe(self) -> str:
        return f"{self.account} ({self.value}) by {self.rule}: {self.why}"


@attrs.frozen(kw_only=True)
class MergedValue:
    """One reconciled field of a merged event: ``when``, ``start``, ``end`` or ``quantity``."""

    field: str
    value: Value | None
    status: Status
    claims: tuple[Claim, ...]
    determined_by: tuple[str, ...] = ()
    coarser: tuple[str, ...] = ()
    overruled: tuple[Overruled, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    decided_by: str | None = None
    flags: tuple[Flag, ...] = ()
    notes: tuple[str, ...] = ()
    unit: str | None = None
    as_of: When | None = None

    @property
    def shown(self) -> str:
        """The value as a person reads it (``—`` when there is none)."""
        return show_value(self.value)

    @property
    def label(self) -> str:
        """``when``, ``start``, ``end``, or ``quantity (unit, as of …)``."""
        if self.field != "quantity":
            return self.field
        bits = [b for b in (self.unit, self.as_of and f"as of {show_value(self.as_of)}") if b]
        return f"quantity ({', '.join(bits)})" if bits else "quantity"

    def explain(self) -> str:
        """Sentences saying how this value came about, one per line."""
        return "\n".join(self.sentences())

    def sentences(self) -> tuple[str, ...]:
        from ._merge_explain import sentences

        return sentences(self)


@attrs.frozen(kw_only=True)
class MergedEvent:
    """One real-world event and every account of it, with its reconciled fields.

    ``event`` is the ledger's event key, or for accounts without one the smallest
    account id of the group. ``fields`` holds ``when`` (or ``start`` and ``end`` for
    something that lasts) and one ``quantity`` per unit and ``as_of`` point.
    """

    event: str
    accounts: tuple[str, ...]
    kind: str
    title: str
    actors: tuple[str, ...]
    place: str | None
    planned: bool
    when: When | Span
    fields: tuple[MergedValue, ...]
    flags: tuple[Flag, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def status(self) -> Status:
        """The status of the field most in need of attention."""
        return max((f.status for f in self.fields), default=Status.CONSISTENT)

    def field(self, name: str) -> tuple[MergedValue, ...]:
        """The reconciled values of field ``name`` (``when``, ``start``, ``end``, ``quantity``)."""
        return tuple(f for f in self.fields if f.field == name)

    @property
    def quantities(self) -> tuple[MergedValue, ...]:
        return self.field("quantity")

    @property
    def quantity(self) -> MergedValue | None:
        """The event's headline figure: the latest point of its best-supported unit."""
        qs = self.quantities
        if not qs:
            return None
        count: dict[str, int] = {}
        for q in qs:
            count[q.unit or ""] = count.get(q.unit or "", 0) + len(q.claims)
        best = min(count, key=lambda u: (-count[u], u))
        return [q for q in qs if (q.unit or "") == best][-1]

    @property
    def overruled(self) -> tuple[Overruled, ...]:
        return tuple(o for f in self.fields for o in f.overruled)

    @property
    def all_flags(self) -> tuple[Flag, ...]:
        """The event's own flags and its fields', without repeats, in Flag order."""
        return in_flag_order(set(self.flags).union(*(f.flags for f in self.fields)))

    def explain(self) -> str:
        """Sentences about every field of this event, one per line."""
        lines = [f"{self.event}: {self.title} — {len(self.accounts)} account(s), {self.status}."]
        lines.extend(self.notes)
        for f in self.fields:
            lines.extend(f.sentences())
        return "\n".join(lines)

    def to_data(self) -> dict[str, Any]:
        """Plain data for ``chronicle merge --json`` (the schema is in ``docs/merge.md``)."""
        from ._merge_explain import event_data

        return event_data(self)


class EventSource(Protocol):
    """Where a lazily built ``Timeline`` gets its events (``chronicle._merge`` makes one)."""

    def __len__(self) -> int: ...
    def __contains__(self, event: object) -> bool: ...
    def build(self, event: str) -> MergedEvent: ...
    def build_all(self, built: Mapping[str, MergedEvent]) -> list[MergedEvent]: ...
    def key_of(self, account: str) -> str | None: ...


class Timeline:
    """Merged events in chronological order, and the resolutions that matched no event.

    Immutable, and compared by its events and orphans, like the other merged records.
    A timeline that ``Ledger.merge`` returns has grouped every account already, but
    builds each event (its statuses, decisions and explanations) the first time it is
    asked for — ``timeline[key]``, ``event_of``, iteration, ``conflicts()``, exports —
    and keeps it: the same key always gives the very same event, and a timeline's
    events are those a merge that built every event at once would give.
    """

    __slots__ = (
        "__weakref__",
        "_by_account",
        "_by_event",
        "_events",
        "_source",
        "orphans",
        "policy",
    )

    orphans: tuple[str, ...]
    policy: Policy | None
    _events: tuple[MergedEvent, ...] | None
    _source: EventSource | None
    _by_event: dict[str, MergedEvent]
    _by_account: dict[str, MergedEvent] | None

    def __init__(
        self,
        *,
        events: tuple[MergedEvent, ...],
        orphans: tuple[str, ...] = (),
        policy: Policy | None = None,
    ) -> None:
        _set = object.__setattr__
        _set(self, "_events", events)
        _set(self, "orphans", orphans)
        _set(self, "policy", policy)
        _set(self, "_source", None)
        _set(self, "_by_event", {e.event: e for e in events})
        _set(self, "_by_account", None)

    @classmethod
    def _lazy(
        cls, source: EventSource, orphans: tuple[str, ...], policy: Policy | None
    ) -> Timeline:
        """A timeline whose events ``source`` builds on first use."""
        t = cls(events=(), orphans=orphans, policy=policy)
        object.__setattr__(t, "_events", None)
        object.__setattr__(t, "_source", source)
        return t

    @property
    def events(self) -> tuple[MergedEvent, ...]:
        """Every merged event, in chronological order."""
        done = self._events
        return done if done is not None else self._build_all()

    def _build_all(self) -> tuple[MergedEvent, ...]:
        source = self._source
        assert source is not None
        built = self._by_event
        events = source.build_all(built)
        events.sort(key=lambda e: (e.when.sort_key, e.event))
        out = tuple(built.setdefault(e.event, e) for e in events)
        object.__setattr__(self, "_events", out)
        return out

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __repr__(self) -> str:
        return f"Timeline(events={self.events!r}, orphans={self.orphans!r})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Timeline)
        return (self.events, self.orphans) == (other.events, other.orphans)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((Timeline, self.events, self.orphans))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_timeline, (self.events, self.orphans, self.policy))

    def __iter__(self) -> Iterator[MergedEvent]:
        return iter(self.events)

    def __len__(self) -> int:
        if self._events is None:
            assert self._source is not None
            return len(self._source)
        return len(self._events)

    def __getitem__(self, event: str) -> MergedEvent:
        """The merged event with this key (KeyError when there is none)."""
        done = self._by_event.get(event)
        if done is not None:
            return done
        source = self._source
        if self._events is not None or source is None or event not in source:
            raise KeyError(event)
        return self._by_event.setdefault(event, source.build(event))

    def event_of(self, account: str) -> MergedEvent:
        """The merged event that holds ``account`` (KeyError when none does)."""
        source = self._source
        if source is not None:
            key = source.key_of(account)
            if key is None:
                raise KeyError(account)
            return self[key]
        by = self._by_account
        if by is None:
            by = {a: e for e in self.events for a in e.accounts}
            object.__setattr__(self, "_by_account", by)
        return by[account]

    def conflicts(self) -> Iterator[tuple[MergedEvent, MergedValue]]:
        """(event, value) for every value whose accounts did not simply agree or refine."""
        for e in self.events:
            for f in e.fields:
                if f.status.is_conflict or f.flags:
                    yield e, f

    @property
    def unresolved(self) -> tuple[tuple[MergedEvent, MergedValue], ...]:
        return tuple((e, f) for e, f in self.conflicts() if f.status is Status.UNRESOLVED)

    def counts(self) -> dict[str, int]:
        """How many events have each status."""
        out = {s.value: 0 for s in Status}
        for e in self.events:
            out[e.status.value] += 1
        return out

    def to_data(self) -> dict[str, Any]:
        """``{"events": [...], "orphans": [...], "counts": {...}}``."""
        return {
            "events": [e.to_data() for e in self.events],
            "orphans": list(self.orphans),
            "counts": self.counts(),
        }


def _timeline(
    events: tuple[MergedEvent, ...], orphans: tuple[str, ...], policy: Policy | None
) -> Timeline:
    """A pickled timeline, unpickled (every event built)."""
    return Timeline(events=events, orphans=orphans, policy=policy)


def show_value(v: Value | None) -> str:
    if v is None:
        return "—"
    if isinstance(v, Quantity):
        return str(v)
    from ._display import show_when

    return show_when(v)
