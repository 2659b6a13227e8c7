"""``merge(ledger, policy)``: accounts grouped into events, each field reconciled.

The steps live in their own modules: grouping (``_merge_group``), values as
intervals (``_merge_values``), settling one field (``_merge_reconcile``), the policy
(``_merge_policy``), and the results with their explanations (``_merge_result``,
``_merge_explain``). This module puts one event together: which accounts speak to
which field, figures split by unit and ``as_of``, series and falling counts, and the
event's title, kind, actors and place. ``merge`` groups the accounts and returns a
``Timeline`` that builds each event that way the first time it is asked for. The
rules are in ``docs/merge.md``.

>>> import chronicle
>>> timeline = chronicle.load("events/").merge()
>>> timeline["ai-big-base-release"].when.to_edtf()
'2022-12'
"""

from __future__ import annotations

__all__ = ["merge"]

import operator
from collections.abc import Callable, Hashable, Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, TypeVar

from ._gc import paused_gc
from ._merge_group import Group, Grouping, group
from ._merge_policy import Evidence, Policy
from ._merge_reconcile import DateField, Item, QuantityField, point_interval, settle
from ._merge_result import (
    Flag,
    MergedEvent,
    MergedValue,
    Status,
    Timeline,
    in_flag_order,
    show_value,
)
from ._merge_text import norm
from ._merge_values import hull_when, interval, meet_when, when_interval
from ._records import Account, Quantity, Resolution
from ._when import InvalidWhen, Span, When

if TYPE_CHECKING:
    from ._ledger import Ledger

T = TypeVar("T", bound=Hashable)

_WHEN_FIELDS = ("when", "start", "end")
_EVENT_FIELDS = ("title", "kind", "place", "actors")


def merge(ledger: Ledger, policy: Policy | None = None) -> Timeline:
    """Group ``ledger``'s accounts into events and reconcile each field (see ``docs/merge.md``).

    The grouping is done here; each event is built when the timeline is first asked
    for it (see ``Timeline``), from what the ledger held now.
    """
    # Merging builds a few objects per account that all stay alive: the cyclic garbage
    # collector would find nothing to free and only scan them again and again (time
    # that grows with the ledger). It is off for the bulk work and restored after, as
    # for bulk loading (``chronicle._bulk``); building every event pauses it too.
    with paused_gc():
        return _merge(ledger, policy)


def _merge(ledger: Ledger, policy: Policy | None) -> Timeline:
    policy = policy if policy is not None else Policy()
    accounts: Sequence[Account] = ledger.accounts
    ids = list(map(attrgetter("id"), accounts))
    in_order = all(map(operator.lt, ids, ids[1:]))
    if not in_order:  # not in id order already (as files are), or ids repeat (unvalidated)
        accounts = sorted(accounts, key=attrgetter("id"))
    grouping = group(accounts, ledger.actors, policy.similarity, ids if in_order else None)
    resolutions = ledger.resolutions
    pins: dict[str, list[Resolution]] = {}
    for r in resolutions:
        pins.setdefault(r.event, []).append(r)
    # a snapshot of what building reads, so that adding to the ledger later changes nothing
    events = _Events(grouping, pins, Evidence(dict(ledger.sources), policy), policy, ledger.tz)
    orphans = tuple(
        f"Resolution {r.id} is stale: no account of event {r.event} is in the ledger."
        for r in sorted(resolutions, key=attrgetter("id"))
        if not grouping.names(r.event)
    )
    if not grouping.unique:  # repeated ids (an unvalidated ledger): build it all now
        built = [events.build_group(g) for g in grouping.groups()]
        built.sort(key=lambda e: (e.when.sort_key, e.event))
        return Timeline(events=tuple(built), orphans=orphans, policy=policy)
    return Timeline._lazy(events, orphans, policy)


class _Events:
    """The events of one merge, each built on request from its group (``EventSource``)."""

    def __init__(
        self,
        grouping: Grouping,
        pins: Mapping[str, list[Resolution]],
        ev: Evidence,
        policy: Policy,
        tz: str,
    ) -> None:
        self.grouping = grouping
        self.pins = pins
        self.ev = ev
        self.policy = policy
        self.tz = tz

    def __len__(self) -> int:
        return len(self.grouping)

    def __contains__(self, key: object) -> bool:
        return key in self.grouping

    def key_of(self, account: str) -> str | None:
        return self.grouping.key_of(account)

    def build(self, key: str) -> MergedEvent:
        return self.build_group(self.grouping.group(key))

    def build_group(self, g: Group) -> MergedEvent:
        pins = self.pins
        mine: list[Resolution] = []
        if pins:
            names = {g.key} | {a.event_key for a in g.accounts}
            mine = sorted((r for n in sorted(names) for r in pins.get(n, ())), key=attrgetter("id"))
        return _event(g, mine, self.ev, self.policy, self.tz)

    def build_all(self, built: Mapping[str, MergedEvent]) -> list[MergedEvent]:
        """Every event: those in ``built`` as they are, the others built now."""
        with paused_gc():
            return [built[k] if k in built else self.build(k) for k in sorted(self.grouping.code)]


def _event(g: Group, pins: list[Resolution], ev: Evidence, policy: Policy, tz: str) -> MergedEvent:
    accounts = list(g.accounts)
    occurred = [a for a in accounts if not a.planned]
    use = occurred or accounts
    notes: list[str] = []
    flags: list[Flag] = []
    ids = frozenset(a.id for a in accounts)
    if occurred and len(occurred) < len(accounts):
        for a in accounts:
            if a.planned:
                notes.append(
                    f"{a.id} ({a.source}) gave a plan, not an occurrence: {show_value(a.when)}; "
                    "plans do not count against what happened."
                )
    if g.ambiguous:
        flags.append(Flag.AMBIGUOUS)
        notes.append(
            "Its account matches events "
            + ", ".join(g.ambiguous)
            + " equally well, so it is kept apart; give it an event key to merge it."
        )
    by_field: dict[str, list[Resolution]] = {}
    for r in pins:
        by_field.setdefault(r.field, []).append(r)
    for f in sorted(by_field):
        if f not in (*_WHEN_FIELDS, "quantity", *_EVENT_FIELDS):
            notes.append(
                f"Resolution(s) {', '.join(r.id for r in by_field[f])} pin field {f!r}, "
                "which merging does not reconcile."
            )

    quantity_fields, series = _quantities(
        use, by_field.get("quantity", []), ev, policy, ids, flags, notes
    )
    when_fields = [series] if series is not None else _dates(use, by_field, ev, policy, ids, tz)
    when = _combined_when(when_fields)
    fields = (*when_fields, *quantity_fields)

    # ties go to what the accounts behind the event's date say, then to the first by id
    dated = frozenset(x for f in when_fields for x in f.determined_by)
    title = _best(use, lambda a: a.title, ev, by_field.get("title"), dated)
    kind = _best(use, lambda a: a.kind, ev, by_field.get("kind"), dated)
    place = _best(use, lambda a: a.place, ev, by_field.get("place"), dated)
    actors = _best(use, lambda a: tuple(sorted(a.actors)), ev, by_field.get("actors"), dated)
    return MergedEvent(
        event=g.key,
        accounts=tuple(sorted(ids)),
        kind=str(kind),
        title=str(title),
        actors=tuple(actors) if isinstance(actors, tuple) else (),
        place=place if isinstance(place, str) else None,
        planned=not occurred,
        when=when,
        fields=fields,
        flags=in_flag_order(flags),
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------------- dates


def _dates(
    accounts: Sequence[Account],
    pins: Mapping[str, list[Resolution]],
    ev: Evidence,
    policy: Policy,
    ids: frozenset[str],
    tz: str,
) -> list[MergedValue]:
    whens = [a.when for a in accounts if isinstance(a.when, When)]
    if len(whens) == len(accounts):
        items = [
            Item(a, w, *when_interval(w), text=w.text) for a, w in zip(accounts, whens, strict=True)
        ]
        return [
            settle(
                DateField("when", tz),
                items,
                pins.get("when", []),
                ev,
                policy.rules_for("when"),
                group_ids=ids,
            )
        ]
    out = []
    for end in ("start", "end"):
        items_e: list[Item[When]] = []
        for a in accounts:
            w = a.when
            part = (
                (w.end if end == "end" else w.start)
                if isinstance(w, Span)
                else (w if end == "start" else None)
            )
            if part is not None:
                items_e.append(Item(a, part, *when_interval(part), text=w.text))
        if items_e:
            out.append(
                settle(
                    DateField(end, tz),
                    items_e,
                    [*pins.get(end, []), *pins.get("when", [])],
                    ev,
                    policy.rules_for(end),
                    group_ids=ids,
                )
            )
    return out


def _combined_when(fields: Sequence[MergedValue]) -> When | Span:
    by = {f.field: f.value for f in fields}
    if "when" in by:
        v = by["when"]
        assert isinstance(v, (When, Span))
        return v
    start, end = by.get("start"), by.get("end")
    assert start is None or isinstance(start, When)
    assert end is None or isinstance(end, When)
    try:
        return Span(start, end)
    except InvalidWhen:  # a pinned end before a start: show the start alone
        return Span(start, None)


# ----------------------------------------------------------------------- quantities


def _quantities(
    accounts: Sequence[Account],
    pins: list[Resolution],
    ev: Evidence,
    policy: Policy,
    ids: frozenset[str],
    flags: list[Flag],
    notes: list[str],
) -> tuple[list[MergedValue], MergedValue | None]:
    """One value per unit and ``as_of`` point; and the series' dates, when there is one."""
    with_q = [a for a in accounts if a.quantity is not None]
    if not with_q:
        if pins:
            notes.append(
                f"Resolution(s) {', '.join(r.id for r in pins)} pin a quantity, but no account "
                "of this event gives one (stale)."
            )
            flags.append(Flag.STALE)
        return [], None
    units: dict[str, list[Account]] = {}
    for a in with_q:
        assert a.quantity is not None
        units.setdefault(norm(a.quantity.unit), []).append(a)
    if len(units) > 1:
        flags.append(Flag.UNITS)
        notes.append(
            "Figures in different units ("
            + ", ".join(_unit_name(units[u]) for u in sorted(units))
            + ") are not comparable and are kept apart."
        )
    out: list[MergedValue] = []
    series_points: list[When] = []
    names = {u: _unit_name(units[u]) for u in units}
    headline = min(units, key=lambda u: (-len(units[u]), names[u]))
    with_ids = {a.id for a in with_q}
    for u in sorted(units):
        members = units[u]
        name = names[u]
        # running figures (some give an ``as_of``) split into points in time; figures
        # that give none are of the event's one moment, even when its dates disagree
        running = any(a.quantity is not None and a.quantity.as_of is not None for a in members)
        points = _points(members) if running else [sorted(members, key=attrgetter("id"))]
        cumulative = any("cumulative" in a.tags for a in members)
        values: list[MergedValue] = []
        for n, point in enumerate(points):
            as_of = _as_of(point)
            items = []
            for a in point:
                q = a.quantity
                assert q is not None
                lo, hi = interval(q, policy.about)
                items.append(Item(a, (lo, hi), lo, hi, text=q.text))
            point_ids = {a.id for a in point}
            head = u == headline and n == len(points) - 1
            # a pin naming a figure applies where that figure is; any other to the headline
            mine = [
                r
                for r in pins
                if r.account in point_ids
                or (head and (r.account is None or r.account not in with_ids))
            ]
            values.append(
                settle(
                    QuantityField(name, as_of, policy.about),
                    items,
                    mine,
                    ev,
                    policy.rules_for("quantity"),
                    group_ids=ids,
                    unit=name,
                    as_of=as_of,
                )
            )
        if len(points) > 1:
            values = [
                _with(v, flags=(Flag.SERIES,), notes=(_series_note(name, len(points)),))
                for v in values
            ]
            series_points.extend(_point_when(p) for p in points)
        if cumulative:
            values = _falling(values)
        out.extend(values)
    series = _series_when(accounts, series_points) if series_points else None
    return out, series


def _unit_name(accounts: Sequence[Account]) -> str:
    count: dict[str, int] = {}
    for a in accounts:
        assert a.quantity is not None
        count[a.quantity.unit] = count.get(a.quantity.unit, 0) + 1
    return min(count, key=lambda u: (-count[u], u))


def _effective_as_of(a: Account) -> When:
    assert a.quantity is not None
    if a.quantity.as_of is not None:
        return a.quantity.as_of
    w = a.when
    if isinstance(w, Span):
        part = w.end or w.start
        assert part is not None
        return part
    return w


def _points(accounts: Sequence[Account]) -> list[list[Account]]:
    """Figures split into ``as_of`` points: chains of overlapping as_of times."""
    keyed = sorted(accounts, key=lambda a: (*point_interval(_effective_as_of(a)), a.id))
    out: list[list[Account]] = []
    reach = -float("inf")
    for a in keyed:
        lo, hi = point_interval(_effective_as_of(a))
        if not out or lo > reach:
            out.append([a])
            reach = hi
        else:
            out[-1].append(a)
            reach = max(reach, hi)
    return out


def _as_of(point: Sequence[Account]) -> When | None:
    ws = [_effective_as_of(a) for a in point]
    if not any(a.quantity is not None and a.quantity.as_of is not None for a in point):
        return None
    return meet_when(ws) or hull_when(ws)


def _point_when(point: Sequence[Account]) -> When:
    ws = [_effective_as_of(a) for a in point]
    return meet_when(ws) or hull_when(ws)


def _series_note(unit: str, n: int) -> str:
    return (
        f"One of {n} figures in {unit} at different times (each figure's as_of, else its "
        "account's date): a series, not a conflict."
    )


def _series_when(accounts: Sequence[Account], points: Sequence[When]) -> MergedValue:
    from ._merge_result import Claim

    first = min(points, key=lambda w: w.sort_key)
    last = max(points, key=lambda w: (w._l is None, w._l or 0, w.sort_key))
    value = Span(first, last)
    claims = tuple(
        Claim(account=a.id, source=a.source, value=a.when, text=a.when.text) for a in accounts
    )
    return MergedValue(
        field="when",
        value=value,
        status=Status.CONSISTENT,
        claims=claims,
        determined_by=tuple(sorted(a.id for a in accounts)),
        flags=(Flag.SERIES,),
        notes=(
            f"The accounts give a series of running figures, so the event spans from its first "
            f"figure ({show_value(first)}) to its last ({show_value(last)}).",
        ),
    )


def _with(
    v: MergedValue,
    flags: tuple[Flag, ...] = (),
    notes: tuple[str, ...] = (),
    status: Status | None = None,
) -> MergedValue:
    import attrs

    fl = in_flag_order(set(v.flags) | set(flags))
    return attrs.evolve(v, flags=fl, notes=(*v.notes, *notes), status=status or v.status)


def _falling(values: list[MergedValue]) -> list[MergedValue]:
    """Flag points of a cumulative count that fall below an earlier point."""
    from ._merge_values import interval as q_interval

    out: list[MergedValue] = []
    best: tuple[float, MergedValue] | None = None
    for v in values:
        q = v.value
        if not isinstance(q, Quantity):
            out.append(v)
            continue
        lo, hi = q_interval(q, 0.0)
        if best is not None and hi < best[0]:
            prev = best[1]
            note = (
                f"A cumulative count cannot fall: {prev.shown}"
                + (f" as of {show_value(prev.as_of)}" if prev.as_of else "")
                + f", but {v.shown}"
                + (f" as of {show_value(v.as_of)}" if v.as_of else "")
                + "."
            )
            v = _with(
                v, flags=(Flag.DECREASING,), notes=(note,), status=max(v.status, Status.CONTESTED)
            )
        if best is None or lo > best[0]:
            best = (lo, v)
        out.append(v)
    return out


# ------------------------------------------------------------------ titles and names


def _best(
    accounts: Sequence[Account],
    get: Callable[[Account], T],
    ev: Evidence,
    pins: list[Resolution] | None,
    dated: frozenset[str] = frozenset(),
) -> T:
    """The value with the most independent support, then the most accounts, then one that
    an account in ``dated`` gives, then the first account's (``accounts`` are by id)."""
    if pins:
        pin = sorted(
            pins, key=lambda r: ((0, ()) if r.recorded is None else (1, r.recorded.sort_key), r.id)
        )[-1]
        for a in accounts:
            if pin.account == a.id:
                return get(a)
        if pin.value is not None:
            sample = get(accounts[0])
            if isinstance(sample, str) or sample is None:
                return pin.value  # type: ignore[return-value]
    values = [get(a) for a in accounts]
    first = values[0]
    if all(v == first for v in values):
        return first
    support: dict[T, list[Account]] = {}  # in order of the first account giving each
    for a, v in zip(accounts, values, strict=True):
        support.setdefault(v, []).append(a)
    order = {v: n for n, v in enumerate(support)}
    return min(
        support,
        key=lambda v: (
            -len(ev.independent(support[v])),
            -len(support[v]),
            all(a.id not in dated for a in support[v]),
            order[v],
        ),
    )
