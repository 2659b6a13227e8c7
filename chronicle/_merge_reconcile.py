"""Reconciling one field of one group of accounts, and deciding its conflicts.

``settle`` takes the accounts' values for a field as intervals and returns a
``MergedValue``:

1. all values share a point → their intersection (``consistent`` or ``refined``);
2. otherwise the readings are the maximal compatible sets (``cliques``); readings
   that differ only by zones or a day boundary are one reading (``near-miss``);
3. a resolution in the ledger (a pin) decides first; one whose account is gone or
   whose value no account supports is ``stale`` and not applied; one that an account
   published after it contradicts is ``challenged``;
4. then the policy's rules; a tie is ``unresolved``.
"""

from __future__ import annotations

__all__ = ["DateField", "Item", "QuantityField", "settle"]

import math
import re
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

import attrs

from ._merge_policy import Decision, Evidence, Rule, decide
from ._merge_result import (
    Candidate,
    Claim,
    Flag,
    MergedValue,
    Overruled,
    Status,
    in_flag_order,
    show_value,
)
from ._merge_values import (
    Interval,
    cliques,
    hull_when,
    interval,
    meet_when,
    near_miss,
    quantity_from,
    when_interval,
)
from ._records import Account, Quantity, Resolution
from ._when import Span, When
from .errors import ChronicleError

V = TypeVar("V")


@attrs.frozen
class Item(Generic[V]):
    """One account's value for the field being settled, with its interval."""

    account: Account
    value: V
    lo: float
    hi: float
    text: str | None = None


class Field(Protocol[V]):
    """How ``settle`` handles one kind of value (dates or quantities)."""

    name: str
    dates: bool

    def claimed(self, item: Item[V]) -> When | Span | Quantity: ...
    def meet(self, values: Sequence[V]) -> V | None: ...
    def hull(self, values: Sequence[V]) -> V: ...
    def span(self, value: V) -> Interval: ...
    def show(self, value: V) -> str: ...
    def result(self, value: V, said: Sequence[Item[V]]) -> When | Span | Quantity | None: ...
    def parse(self, text: str) -> V: ...


class DateField:
    """Dates: ``When`` values, met with ``When.intersection``."""

    dates = True

    def __init__(self, name: str, tz: str) -> None:
        self.name = name
        self.tz = tz

    def claimed(self, item: Item[When]) -> When:
        return item.value

    def meet(self, values: Sequence[When]) -> When | None:
        return meet_when(values)

    def hull(self, values: Sequence[When]) -> When:
        return hull_when(values)

    def span(self, value: When) -> Interval:
        return when_interval(value)

    def show(self, value: When) -> str:
        return show_value(value)

    def result(self, value: When, said: Sequence[Item[When]]) -> When:
        return value

    def parse(self, text: str) -> When:
        from ._parse import parse_when

        w = parse_when(text, tz=self.tz)
        if isinstance(w, Span):
            end = w.end if self.name == "end" else w.start
            if end is None:
                raise ChronicleError(f"{text!r} gives no {self.name}", text=text)
            return end
        return w


_SCALE = r"(?:万|亿|k|m|million|bn|billion)?"
_PIN_NUMBER = re.compile(
    r"^\s*(≥|>=|at least|≤|<=|at most|~|≈|about|约)?"
    rf"\s*([+-]?[\d,.]+\s*{_SCALE})(?:\s*(?:–|-|to)\s*([\d,.]+\s*{_SCALE}))?",
    re.I,
)
_PIN_BOUND = {
    "≥": "at_least",
    ">=": "at_least",
    "at least": "at_least",
    "≤": "at_most",
    "<=": "at_most",
    "at most": "at_most",
}


class QuantityField:
    """Figures of one unit at one ``as_of`` point: intervals from their bound kinds."""

    name = "quantity"
    dates = False

    def __init__(self, unit: str, as_of: When | None, tolerance: float) -> None:
        self.unit = unit
        self.as_of = as_of
        self.tolerance = tolerance

    def claimed(self, item: Item[Interval]) -> Quantity:
        assert item.account.quantity is not None
        return item.account.quantity

    def meet(self, values: Sequence[Interval]) -> Interval | None:
        lo = max(v[0] for v in values)
        hi = min(v[1] for v in values)
        return (lo, hi) if lo <= hi else None

    def hull(self, values: Sequence[Interval]) -> Interval:
        return (min(v[0] for v in values), max(v[1] for v in values))

    def span(self, value: Interval) -> Interval:
        return value

    def show(self, value: Interval) -> str:
        if value[0] == -math.inf and value[1] == math.inf:
            return f"any number of {self.unit}"
        return str(quantity_from(value[0], value[1], self.unit, None))

    def result(self, value: Interval, said: Sequence[Item[Interval]]) -> Quantity | None:
        """The figure as the accounts that say exactly ``value`` gave it, when they agree
        (\"约140万\" stays about 1,400,000, not the range its tolerance compares with);
        else the interval, as a range or a bound."""
        if value[0] == -math.inf and value[1] == math.inf:  # "≤ 5" and "≥ 9", unresolved
            return None
        given = [self.claimed(it) for it in said]
        if given and len({(q.value, q.bound, q.upper) for q in given}) == 1:
            return attrs.evolve(given[0], unit=self.unit, as_of=self.as_of, text=None)
        return quantity_from(value[0], value[1], self.unit, self.as_of)

    def parse(self, text: str) -> Interval:
        from ._convert import scale_number

        m = _PIN_NUMBER.match(text)
        if not m:
            raise ChronicleError(f"cannot read {text!r} as a figure", text=text)
        sign = (m.group(1) or "").lower()
        v = scale_number(m.group(2).replace(" ", ""))
        rest = text[m.end() :].strip()
        if rest and (rest[0].isdigit() or rest[0] in "-–/."):
            raise ChronicleError(f"cannot read {text!r} as a figure", text=text)
        if m.group(3):
            upper = scale_number(m.group(3).replace(" ", ""))
            if upper < v:
                raise ChronicleError(f"{text!r}: the upper figure is below the lower", text=text)
            return (v, upper)
        bound = _PIN_BOUND.get(sign, "about" if sign else "exact")
        return interval(Quantity(value=v, unit=self.unit, bound=bound), self.tolerance)


@attrs.define
class _Reading(Generic[V]):
    """Accounts (by index) that can all be right together, and what they share."""

    members: tuple[int, ...]
    value: V
    near: tuple[str, ...] = ()


class _Settle(Generic[V]):
    """One field of one event being settled; see ``settle``."""

    def __init__(
        self,
        field: Field[V],
        items: Sequence[Item[V]],
        ev: Evidence,
        rules: Sequence[Rule],
        name: str,
        unit: str | None,
        as_of: When | None,
    ) -> None:
        self.field = field
        self.items = items
        self.ev = ev
        self.rules = rules
        self.name = name
        self.unit = unit
        self.as_of = as_of
        self.notes: list[str] = []
        self.flags: list[Flag] = []
        self.claims = tuple(
            Claim(
                account=it.account.id,
                source=it.account.source,
                value=field.claimed(it),
                text=it.text,
            )
            for it in items
        )
        self.readings = self._readings()
        self.candidates: tuple[Candidate, ...] = ()
        if len(self.readings) > 1 or self.readings[0].near:
            self.candidates = tuple(
                Candidate(
                    value=field.show(r.value),
                    accounts=tuple(sorted(items[k].account.id for k in r.members)),
                )
                for r in self.readings
            )

    def _readings(self) -> list[_Reading[V]]:
        items = self.items
        if max(it.lo for it in items) <= min(it.hi for it in items):
            groups: list[tuple[int, ...]] = [tuple(range(len(items)))]
        else:
            groups = cliques([(it.lo, it.hi, k) for k, it in enumerate(items)])
        readings = []
        for g in groups:
            value = self.field.meet([items[k].value for k in g])
            assert value is not None  # a clique's values share a point
            readings.append(_Reading(g, value))
        if self.field.dates and len(readings) > 1:
            readings = _join_near_misses(readings, self.field)
            if any(r.near for r in readings):
                self.flags.append(Flag.NEAR_MISS)
                for r in readings:
                    self.notes.extend(r.near)
        return readings

    # -- pieces ----------------------------------------------------------------------------

    def support(self, r: _Reading[V]) -> list[Account]:
        return [self.items[k].account for k in r.members]

    def saying(self, members: Sequence[int], value: V) -> list[Item[V]]:
        """The items among ``members`` that say exactly ``value``."""
        lo, hi = self.field.span(value)
        its = self.items
        return [its[k] for k in members if its[k].lo == lo and its[k].hi == hi]

    def split(
        self, members: Sequence[int], value: V, said: Sequence[Item[V]]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(accounts that determined ``value``, those compatible but coarser), given the
        items that ``said`` it exactly."""
        lo, hi = self.field.span(value)
        its = self.items
        det = {it.account.id for it in said}
        if not det:  # no account says exactly this: those that bound it on a side
            det = {its[k].account.id for k in members if its[k].lo == lo or its[k].hi == hi}
        if not det:  # a near-miss: every reading counts
            det = {its[k].account.id for k in members}
        coarse = {its[k].account.id for k in members} - det
        return tuple(sorted(det)), tuple(sorted(coarse))

    def value(
        self,
        value: V,
        status: Status,
        members: Sequence[int],
        *,
        overruled: Sequence[Overruled] = (),
        candidates: bool = True,
        decided_by: str | None = None,
        lead: Sequence[str] = (),
        determined: tuple[str, ...] | None = None,
    ) -> MergedValue:
        said = self.saying(members, value)
        det, coarse = self.split(members, value, said) if determined is None else (determined, ())
        return MergedValue(
            field=self.name,
            value=self.field.result(value, said),
            status=status,
            claims=self.claims,
            determined_by=det,
            coarser=coarse,
            overruled=tuple(sorted(overruled, key=lambda o: o.account)),
            candidates=self.candidates if candidates else (),
            decided_by=decided_by,
            flags=in_flag_order(self.flags),
            notes=(*lead, *self.notes),
            unit=self.unit,
            as_of=self.as_of,
        )

    def overruled(self, decision: Decision, keep: set[int]) -> list[Overruled]:
        out: dict[int, Overruled] = {}
        for e in decision.eliminated:
            for k in self.readings[e.index].members:
                if k not in keep:
                    out[k] = Overruled(
                        account=self.items[k].account.id,
                        field=self.name,
                        value=self.field.show(self.items[k].value),
                        rule=e.rule.value,
                        why=f"{e.loser} against {e.winner}",
                    )
        return list(out.values())

    def unresolved(self, decision: Decision) -> MergedValue:
        live = [self.readings[i] for i in decision.survivors]
        keep = {k for r in live for k in r.members}
        rules = ", ".join(r.value for r in self.rules) or "none"
        self.notes.append(
            f"No rule of the policy ({rules}) separates "
            + " and ".join(self.field.show(r.value) for r in live)
            + "; the value shown only covers them. Record a resolution to decide."
        )
        return self.value(
            self.field.hull([r.value for r in live]),
            Status.UNRESOLVED,
            sorted(keep),
            overruled=self.overruled(decision, keep),
            determined=tuple(sorted({self.items[k].account.id for k in keep})),
        )

    # -- the steps ---------------------------------------------------------------------------

    def pinned(self, pin: Resolution, group_ids: frozenset[str]) -> MergedValue | None:
        """The value as ``pin`` decides it, or None (with a note) when the pin is stale."""
        outcome = _apply_pin(pin, self.readings, self.items, self.field, group_ids)
        if isinstance(outcome, str):
            self.flags.append(Flag.STALE)
            self.notes.append(outcome)
            return None
        chosen, value = outcome
        decision: Decision | None = None
        if len(chosen) > 1:
            supporters = [self.support(r) for r in self.readings]
            decision = decide(supporters, self.rules, self.ev, among=chosen)
            if decision.winner is None:
                self.notes.append(
                    f"Resolution {pin.id} leaves {len(decision.survivors)} readings "
                    "and no rule of the policy separates them."
                )
                return self.unresolved(decision)
            chosen = [decision.winner]
        win = self.readings[chosen[0]]
        if value is None:
            value, members = win.value, win.members
        else:
            plo, phi = self.field.span(value)
            members = tuple(k for k, it in enumerate(self.items) if it.lo <= phi and plo <= it.hi)
        over = (
            {}
            if decision is None
            else {o.account: o for o in self.overruled(decision, set(members))}
        )
        for k, it in enumerate(self.items):
            if k not in members and it.account.id not in over:
                over[it.account.id] = Overruled(
                    account=it.account.id,
                    field=self.name,
                    value=self.field.show(it.value),
                    rule=f"resolution {pin.id}",
                    why=pin.reason,
                )
        later = _later_than(
            pin, [it.account for k, it in enumerate(self.items) if k not in members], self.ev
        )
        if later:
            self.flags.append(Flag.CHALLENGED)
            shown = {it.account.id: self.field.show(it.value) for it in self.items}
            self.notes.append(
                f"Resolution {pin.id} is challenged: "
                + "; ".join(f"{a.id} was published after it and says {shown[a.id]}" for a in later)
                + "."
            )
        return self.value(
            value,
            Status.PINNED,
            members,
            overruled=list(over.values()),
            candidates=len(self.readings) > 1,
            decided_by=f"resolution {pin.id}",
            lead=(f"Resolution {pin.id}: {pin.reason}",),
        )

    def agreed(self) -> MergedValue:
        r = self.readings[0]
        if r.near:
            status = Status.CONTESTED
        elif all(it.value == self.items[0].value for it in self.items):
            status = Status.CONSISTENT
        else:
            status = Status.REFINED
        return self.value(r.value, status, r.members, candidates=bool(r.near))

    def by_policy(self) -> MergedValue:
        decision = decide([self.support(r) for r in self.readings], self.rules, self.ev)
        if decision.winner is None:
            return self.unresolved(decision)
        win = self.readings[decision.winner]
        return self.value(
            win.value,
            Status.RESOLVED,
            win.members,
            overruled=self.overruled(decision, set(win.members)),
            decided_by=str(decision.rule),
        )


def settle(
    field: Field[V],
    items: Sequence[Item[V]],
    pins: Sequence[Resolution],
    ev: Evidence,
    rules: Sequence[Rule],
    *,
    group_ids: frozenset[str],
    unit: str | None = None,
    as_of: When | None = None,
) -> MergedValue:
    """Reconcile ``items`` (sorted by account id) into one ``MergedValue``."""
    s = _Settle(field, items, ev, rules, field.name, unit, as_of)
    pin = _latest(pins, s.notes)
    if pin is not None:
        done = s.pinned(pin, group_ids)
        if done is not None:
            return done
    if len(s.readings) == 1:
        return s.agreed()
    return s.by_policy()


def _join_near_misses(readings: list[_Reading[V]], field: Field[V]) -> list[_Reading[V]]:
    """Readings that differ only by zones or a day boundary become one (their hull)."""
    n = len(readings)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    why: dict[int, list[str]] = {}
    for i in range(n):
        for j in range(i + 1, n):
            a, b = readings[i].value, readings[j].value
            if not isinstance(a, When) or not isinstance(b, When):
                continue
            reason = near_miss(a, b)
            if reason is not None:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
                why.setdefault(i, []).append(
                    f"{show_value(a)} and {show_value(b)} are a near-miss, "
                    f"not a conflict: {reason}."
                )
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(find(i), []).append(i)
    out = []
    for root in sorted(comps):
        idx = comps[root]
        if len(idx) == 1:
            out.append(readings[idx[0]])
            continue
        members = tuple(sorted({k for i in idx for k in readings[i].members}))
        value = field.hull([readings[i].value for i in idx])
        out.append(_Reading(members, value, tuple(s for i in idx for s in why.get(i, ()))))
    return out


def _latest(pins: Sequence[Resolution], notes: list[str]) -> Resolution | None:
    if not pins:
        return None

    def key(r: Resolution) -> tuple[int, tuple[object, ...], str]:
        return (0, (), r.id) if r.recorded is None else (1, r.recorded.sort_key, r.id)

    order = sorted(pins, key=key)
    for older in order[:-1]:
        notes.append(f"Resolution {older.id} is superseded by {order[-1].id}, recorded later.")
    return order[-1]


def _apply_pin(
    pin: Resolution,
    readings: Sequence[_Reading[V]],
    items: Sequence[Item[V]],
    field: Field[V],
    group_ids: frozenset[str],
) -> str | tuple[list[int], V | None]:
    """(chosen readings, pinned value or None), or why the pin is stale."""
    if pin.account is not None:
        if pin.account not in group_ids:
            return (
                f"Resolution {pin.id} is stale and not applied: it names account {pin.account}, "
                "which is not an account of this event any more."
            )
        ks = [k for k, it in enumerate(items) if it.account.id == pin.account]
        if not ks:
            return (
                f"Resolution {pin.id} is stale and not applied: account {pin.account} gives no "
                f"{field.name} here."
            )
        return [i for i, r in enumerate(readings) if ks[0] in r.members], None
    assert pin.value is not None
    try:
        value = field.parse(pin.value)
    except (ChronicleError, ValueError) as e:
        return (
            f"Resolution {pin.id} is stale and not applied: "
            f"cannot read its value {pin.value!r} ({e})."
        )
    plo, phi = field.span(value)
    chosen = [
        i
        for i, r in enumerate(readings)
        if any(items[k].lo <= phi and plo <= items[k].hi for k in r.members)
    ]
    if not chosen:
        return (
            f"Resolution {pin.id} is stale and not applied: no account supports its value "
            f"{field.show(value)} any more."
        )
    return chosen, value


def _later_than(pin: Resolution, accounts: Sequence[Account], ev: Evidence) -> list[Account]:
    if pin.recorded is None:
        return []
    out = []
    for a in accounts:  # said after the pin: every source it cites certainly published later
        pubs = ev.all_published(a)
        if all(p is not None and pin.recorded.certainly_before(p) for p in pubs):
            out.append(a)
    return out


def point_interval(w: When | Span) -> Interval:
    """An ``as_of`` read as a point: "截至 3月17日下午2点" (open start) is at its closed end."""
    lo, hi = (-math.inf if w._e is None else w._e), (math.inf if w._l is None else w._l)
    if w._e is None:
        lo = hi
    if w._l is None:
        hi = lo
    return lo, hi
