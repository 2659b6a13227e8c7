"""Values as intervals: meeting, widening, maximal compatible sets, near-misses.

A ``When`` is already an interval of instants. A ``Quantity`` becomes one from how it
was stated (``interval``): exact ``[v, v]``, at least ``[v, ∞)``, at most ``(-∞, v]``,
about ``[v - |v|·t, v + |v|·t]`` with the policy's tolerance ``t`` (10 % by default),
between ``[v, upper]``.

Compatible values are those whose intervals intersect. On a line, a set of intervals
has a common point exactly when every two of them do, so the readings a conflict
offers are the *maximal* sets of mutually compatible values (``cliques``), found by
one sweep over the sorted end points.
"""

from __future__ import annotations

__all__ = [
    "Interval",
    "cliques",
    "hull_when",
    "interval",
    "meet_when",
    "near_miss",
    "quantity_from",
    "when_interval",
]

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

import pendulum

from ._calendar import Precision, get_zone, to_us
from ._records import Bound, Quantity
from ._when import InvalidWhen, When, _copy_with, fits

Interval = tuple[float, float]
K = TypeVar("K")

_INF = math.inf
_MICRO = 1_000_000


def when_interval(w: When) -> Interval:
    """``w``'s bounds as microseconds since the epoch; an open bound is ∓∞."""
    return (-_INF if w._e is None else w._e, _INF if w._l is None else w._l)


def interval(q: Quantity, tolerance: float) -> Interval:
    """The numbers ``q`` allows.

    >>> from chronicle import Quantity
    >>> interval(Quantity(value=80_000, unit="家", bound="at_least"), 0.1)
    (80000, inf)
    >>> interval(Quantity(value=82_000, unit="家", bound="about"), 0.1)
    (73800, 90200)
    """
    v = q.value
    if q.bound == Bound.EXACT:
        return (v, v)
    if q.bound == Bound.AT_LEAST:
        return (v, _INF)
    if q.bound == Bound.AT_MOST:
        return (-_INF, v)
    if q.bound == Bound.BETWEEN:
        assert q.upper is not None
        return (v, q.upper)
    d = abs(v) * tolerance
    return (_tidy(v - d), _tidy(v + d))


def _tidy(x: float) -> float:
    """Round away float noise: ``82000 * 1.1`` is 90200, not 90200.00000000001."""
    r = float(f"{x:.12g}")
    return int(r) if r.is_integer() and abs(r) < 2**53 else r


def quantity_from(lo: float, hi: float, unit: str, as_of: When | None) -> Quantity:
    """The quantity that allows exactly ``[lo, hi]``."""
    if lo == hi:
        return Quantity(value=lo, unit=unit, as_of=as_of)
    if hi == _INF:
        return Quantity(value=lo, unit=unit, bound=Bound.AT_LEAST, as_of=as_of)
    if lo == -_INF:
        return Quantity(value=hi, unit=unit, bound=Bound.AT_MOST, as_of=as_of)
    return Quantity(value=lo, unit=unit, bound=Bound.BETWEEN, upper=hi, as_of=as_of)


def cliques(items: Sequence[tuple[float, float, K]]) -> list[tuple[K, ...]]:
    """The maximal sets of items whose closed intervals share a point, left to right.

    >>> cliques([(0, 10, "a"), (0, 3, "b"), (5, 6, "c")])
    [('a', 'b'), ('a', 'c')]
    """
    points: list[tuple[float, int, int]] = []
    for i, (lo, hi, _) in enumerate(items):
        points.append((lo, 0, i))
        points.append((hi, 1, i))
    points.sort()
    active: dict[int, None] = {}
    out: list[tuple[K, ...]] = []
    opened = False
    for _, kind, i in points:
        if kind == 0:
            active[i] = None
            opened = True
        else:
            if opened:
                out.append(tuple(items[j][2] for j in sorted(active)))
            del active[i]
            opened = False
    return out


def _canonical(ws: Sequence[When]) -> list[When]:
    return sorted(ws, key=lambda w: w.sort_key)  # the sort key holds every compared field


def meet_when(ws: Sequence[When]) -> When | None:
    """The intersection of compatible ``ws`` (None when some two are disjoint).

    Folded in a canonical order, so the result does not depend on the order given.
    """
    if not ws:
        return None
    first = ws[0]
    if all(w == first for w in ws):
        return min(ws, key=lambda w: w.text or "")  # equal values: the same one for any order
    finest = _strictly_finest(ws)
    return finest if finest is not None else _fold(ws)


def _fold(ws: Sequence[When]) -> When | None:
    """``meet_when`` the long way: pairwise intersections in the canonical order."""
    order = _canonical(ws)
    out: When | None = order[0]
    for w in order[1:]:
        assert out is not None
        out = _meet2(out, w)
        if out is None:
            return None
    return out


def _strictly_finest(ws: Sequence[When]) -> When | None:
    """The one value that lies strictly inside every other, when the fold would return it.

    A fast path for ``meet_when``, read off the integer bounds, building no ``When``:
    the common case of nested readings (``2022``, ``2022-12``, ``2022-12-05``). Say
    ``m`` alone spans the intersection of all the intervals, and the others alone
    meet in something wider. Then whatever the fold has met before reaching ``m`` is
    strictly wider than ``m``, and ``When.intersection`` of ``m`` with a strictly wider
    value returns ``m`` itself; so does every later step. In any other case (two
    values spanning the intersection, or the others already meeting exactly there),
    this returns None and the fold decides.
    """
    spans = [when_interval(w) for w in ws]
    lo = max(s[0] for s in spans)
    hi = min(s[1] for s in spans)
    at = [k for k, s in enumerate(spans) if s == (lo, hi)]
    if len(at) != 1:
        return None
    alone_lo = sum(1 for s in spans if s[0] == lo) == 1
    alone_hi = sum(1 for s in spans if s[1] == hi) == 1
    return ws[at[0]] if alone_lo or alone_hi else None


def _meet2(a: When, b: When) -> When | None:
    if a._e == b._e and a._l == b._l and a.precision == b.precision and a.tz == b.tz:
        # the same unit, read twice (flags or wording apart): what ``intersection``
        # returns for it, without working the bounds out again
        return _copy_with(  # type: ignore[no-any-return]
            a,
            approximate=a.approximate and b.approximate,
            uncertain=a.uncertain and b.uncertain,
            inferred=a.inferred or b.inferred,
            text=None,
            _key=None,
        )
    try:
        return a.intersection(b)
    except InvalidWhen:  # bounds from two zones that no single unit of one zone fits
        if a.disjoint(b):
            return None
        lo = _pick(a.earliest, b.earliest, max)
        hi = _pick(a.latest, b.latest, min)
        return _fit(lo, hi, (a, b))


def hull_when(ws: Sequence[When]) -> When:
    """The smallest When holding every one of ``ws`` (open when any is open)."""
    order = _canonical(ws)
    es = [w.earliest for w in order]
    ls = [w.latest for w in order]
    lo = None if any(x is None for x in es) else min(x for x in es if x is not None)
    hi = None if any(x is None for x in ls) else max(x for x in ls if x is not None)
    if len({(w.sort_key, w.tz) for w in order}) == 1:
        return order[0]
    return _fit(lo, hi, order)


def _pick(
    a: pendulum.DateTime | None,
    b: pendulum.DateTime | None,
    f: Callable[[pendulum.DateTime, pendulum.DateTime], pendulum.DateTime],
) -> pendulum.DateTime | None:
    if a is None:
        return b
    if b is None:
        return a
    return f(a, b)


def _fit(lo: pendulum.DateTime | None, hi: pendulum.DateTime | None, ws: Sequence[When]) -> When:
    """A When with bounds ``lo``..``hi`` in the coarsest precision and first zone that fit."""
    zones = sorted({w.tz for w in ws})
    precs = sorted({w.precision for w in ws} | {Precision.DAY, Precision.SECOND})
    for p in precs:
        for tz in zones:
            if fits(lo, hi, p, get_zone(tz)):
                return When(lo, hi, p, tz)
    for tz in ("UTC", *zones):  # a latest that is no unit's end anywhere: keep it as an instant
        if fits(lo, hi, Precision.SECOND, get_zone(tz)):
            return When(lo, hi, Precision.SECOND, tz)
    raise InvalidWhen(
        f"no precision fits {lo} .. {hi}"
    )  # pragma: no cover - bounds come from Whens


DAY_BOUNDARY_SLIP = 3600 * 1_000_000
"""How close (µs) two disjoint readings on either side of a midnight may be to be one."""


def near_miss(a: When, b: When) -> str | None:
    """Why two disjoint day-or-finer dates may still be one, or None.

    Either they are the same wall-clock reading in two zones (the date was written in
    one zone and read in another: "2023-03-16" in UTC+14 and in UTC-12), or a clock time
    lies at most an hour across a midnight from the other (a day-boundary slip: "16
    March" and "00:30 on 17 March"); two whole days side by side are a real conflict.
    Disjoint dates that a zone difference alone could explain do not exist: readings of
    one instant in two zones always overlap. Or one is approximate ("about September
    2022") and the other lies within one unit of its precision of it (see
    ``APPROXIMATE_UNIT``): "about" allows that much, at any precision.

    >>> from chronicle import parse_when
    >>> near_miss(parse_when("2023-03-16", tz="Etc/GMT+12"), parse_when("2023-03-16", tz="Pacific/Kiritimati"))
    'the same local day read in Etc/GMT+12 and in Pacific/Kiritimati'
    >>> near_miss(parse_when("2023-03-16", tz="Asia/Shanghai"), parse_when("2023-03-17T00:30+08:00"))
    'readings 30 minutes apart across a midnight'
    >>> print(near_miss(parse_when("2023-03-16", tz="Asia/Shanghai"), parse_when("2023-03-17", tz="America/Los_Angeles")))
    None
    >>> near_miss(parse_when("about Sept 2022"), parse_when("2022-10-01"))
    '~2022-09 is approximate and 2022-10-01 is within a month of it'
    >>> print(near_miss(parse_when("about Sept 2022"), parse_when("2022-11-01")))
    None
    """
    if a.is_open or b.is_open or a.overlaps(b):
        return None
    if a.approximate or b.approximate:
        reason = _approximately(a, b) or _approximately(b, a)
        if reason is not None:
            return reason
    if min(a.precision, b.precision) < Precision.DAY:
        return None
    ae, al, be, bl = a.earliest, a.latest, b.earliest, b.latest
    assert ae is not None
    assert al is not None
    assert be is not None
    assert bl is not None
    za, zb = get_zone(a.tz), get_zone(b.tz)
    la = (ae.in_timezone(za).naive(), al.in_timezone(za).naive())
    lb = (be.in_timezone(zb).naive(), bl.in_timezone(zb).naive())
    if la[0] <= lb[1] and lb[0] <= la[1]:
        return f"the same local {min(a.precision, b.precision)} read in {a.tz} and in {b.tz}"
    if not (a.precision.is_instant or b.precision.is_instant):
        return None  # two whole days side by side are two different days
    first, second = (a, b) if when_interval(a)[1] < when_interval(b)[0] else (b, a)
    gap = when_interval(second)[0] - when_interval(first)[1] - 1
    if gap <= DAY_BOUNDARY_SLIP and _midnight_between(first, second):
        minutes = max(1, round(gap / (60 * _MICRO)))
        return f"readings {minutes} minute{'s' if minutes != 1 else ''} apart across a midnight"
    return None


def _midnight_between(first: When, second: When) -> bool:
    """A midnight of either's zone lies from ``first``'s end to ``second``'s start:
    they fall on two days there (two clock readings of one afternoon do not)."""
    end, start = first.latest, second.earliest
    assert end is not None and start is not None
    return any(
        end.in_timezone(z).date() != start.in_timezone(z).date()
        for z in (get_zone(first.tz), get_zone(second.tz))
    )


_DAY = 86_400 * _MICRO
APPROXIMATE_UNIT: dict[Precision, tuple[str, dict[str, int] | int]] = {
    Precision.YEAR: ("year", {"years": 1}),
    Precision.HALF: ("half-year", {"months": 6}),
    Precision.QUARTER: ("quarter", {"months": 3}),
    Precision.MONTH: ("month", {"months": 1}),
    Precision.WEEK: ("week", 7 * _DAY),
    Precision.DAY: ("day", _DAY),
    Precision.HOUR: ("hour", 3_600 * _MICRO),
    Precision.MINUTE: ("minute", 60 * _MICRO),
    Precision.SECOND: ("second", _MICRO),
}
"""How far "about" reaches when dates are compared, by precision: one unit on each side
(an approximate date's own bounds never move; only matching and reconciling widen it).
A calendar unit is counted with pendulum; a week or less is a fixed number of µs (a day
as 24 hours: "about" needs no DST precision, nor the calendar's range near 1 and 9999)."""


def reach(w: When) -> Interval:
    """``w``'s interval (µs) as comparing sees it: widened by ``APPROXIMATE_UNIT`` on each
    side when ``w`` is approximate and closed (a date with an open bound is not widened,
    as ``near_miss`` reads none); a side that would pass year 1 or 9999 is ∓∞."""
    lo, hi = when_interval(w)
    if not w.approximate or w.earliest is None or w.latest is None:
        return lo, hi
    step = APPROXIMATE_UNIT[w.precision][1]
    if isinstance(step, int):
        return lo - step, hi + step
    zone = get_zone(w.tz)
    try:
        lo = to_us(w.earliest.in_timezone(zone).subtract(**step))
    except (OverflowError, ValueError):  # before year 1
        lo = -_INF
    try:  # from the start of the next unit (30 September + 3 months is not 31 December)
        hi = to_us(w.latest.in_timezone(zone).add(microseconds=1).add(**step)) - 1
    except (OverflowError, ValueError):  # after year 9999
        hi = _INF
    return lo, hi


def _approximately(x: When, other: When) -> str | None:
    """Why ``other`` is within the reach of approximate ``x``, or None."""
    if not x.approximate:
        return None
    lo, hi = reach(x)
    olo, ohi = when_interval(other)
    if lo <= ohi and olo <= hi:
        from ._merge_result import show_value

        name = APPROXIMATE_UNIT[x.precision][0]
        article = "an" if name == "hour" else "a"
        return f"{show_value(x)} is approximate and {show_value(other)} is within {article} {name} of it"
    return None


def _hours(us: float, unit: str = " hours") -> str:
    h = us / (3600 * _MICRO)
    shown = f"{h:.0f}" if abs(h - round(h)) < 1e-9 else f"{h:.1f}"
    if unit == " hours" and shown == "1":
        return "1 hour"
    return f"{shown}{unit}"
