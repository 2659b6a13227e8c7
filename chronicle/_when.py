"""``When`` (an imprecise instant) and ``Span`` (something that lasts).

A ``When`` is the set of instants at which something may have happened: closed
bounds ``earliest``..``latest`` (either may be open, ``None``), the
``precision`` it was stated in, the zone ``tz`` its calendar units were read in,
EDTF's ``approximate`` (~) and ``uncertain`` (?) flags, whether anything came
from context (``inferred``), and the original wording (``text``).

Two ``When``s are equal when they mean the same thing: same bounds, precision,
zone and flags. ``text`` and ``inferred`` describe where a value came from and
do not take part in equality, so ``parse_when(w.to_edtf(), tz=w.tz) == w``.
"""

from __future__ import annotations

__all__ = ["Span", "When"]

from typing import TYPE_CHECKING, Any

import attrs
from pendulum import DateTime

from ._calendar import (
    Precision,
    get_zone,
    is_unit_end,
    is_unit_start,
    to_us,
    unit_end,
    unit_start,
)
from .errors import ChronicleError

if TYPE_CHECKING:
    from collections.abc import Callable

SortKey = tuple[int, int, int, int, int, str, int, int, int]


class InvalidWhen(ChronicleError, ValueError):
    """A ``When`` was built with bounds that do not fit its precision."""


def _check_bound(name: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, DateTime) or value.tzinfo is None:
            raise InvalidWhen(f"{name} must be an aware pendulum DateTime or None, got {value!r}")

    return check


def _to_precision(value: Precision | str) -> Precision:
    return Precision.parse(value)


class _Extent:
    """Interval relations shared by ``When`` and ``Span``.

    Subclasses provide ``_e`` and ``_l``: the bounds as integer microseconds since
    the epoch, or ``None`` when open.
    """

    __slots__ = ()
    _e: int | None
    _l: int | None
    _key: SortKey | None

    @property
    def sort_key(self) -> SortKey:
        """Total order: (earliest, latest, precision, ...); open earliest first, open latest last.

        A Span sorts after a When with the same extent. Computed once, then kept.
        """
        key = self._key
        if key is None:
            key = self._make_key()
            object.__setattr__(self, "_key", key)
        return key

    def _make_key(self) -> SortKey:
        raise NotImplementedError

    def certainly_before(self, other: When | Span) -> bool:
        """Every instant of ``self`` is before every instant of ``other``.

        >>> from chronicle import parse_when
        >>> parse_when("2022-09").certainly_before(parse_when("2022-12"))
        True
        >>> parse_when("2022").certainly_before(parse_when("2022-12"))
        False
        """
        return self._l is not None and other._e is not None and self._l < other._e

    def possibly_before(self, other: When | Span) -> bool:
        """Some instant of ``self`` is before some instant of ``other``."""
        return self._e is None or other._l is None or self._e < other._l

    def overlaps(self, other: When | Span) -> bool:
        """The two could be the same instant (their bounds intersect)."""
        return (self._e is None or other._l is None or self._e <= other._l) and (
            other._e is None or self._l is None or other._e <= self._l
        )

    def disjoint(self, other: When | Span) -> bool:
        """The two cannot be the same instant."""
        return not self.overlaps(other)

    def within(self, other: When | Span) -> bool:
        """``self`` refines ``other``: its bounds lie inside ``other``'s.

        >>> from chronicle import parse_when
        >>> parse_when("2022-12").within(parse_when("2022"))
        True
        """
        lo_ok = other._e is None or (self._e is not None and self._e >= other._e)
        hi_ok = other._l is None or (self._l is not None and self._l <= other._l)
        return lo_ok and hi_ok

    def is_before(self, other: When | Span) -> bool | None:
        """Three-valued "happened before": True or False when the bounds tell, else None.

        >>> from chronicle import parse_when
        >>> print(parse_when("2022").is_before(parse_when("2022-12")))
        None
        """
        if self.certainly_before(other):
            return True
        if not self.possibly_before(other):
            return False
        return None

    @property
    def is_open(self) -> bool:
        """True when either bound is unknown."""
        return self._e is None or self._l is None


@attrs.frozen(repr=False)
class When(_Extent):
    """An imprecise instant: the set of instants at which something may have happened.

    Build one with :func:`chronicle.parse_when` rather than by hand:

    >>> from chronicle import parse_when
    >>> w = parse_when("2022-09", tz="Asia/Shanghai")
    >>> w.earliest.isoformat(), w.latest.isoformat()
    ('2022-09-01T00:00:00+08:00', '2022-09-30T23:59:59.999999+08:00')
    >>> w.precision, w.tz
    (<Precision.MONTH: 3>, 'Asia/Shanghai')
    >>> w.to_edtf()
    '2022-09'
    """

    # Equality compares the bounds as instants (``_e``, ``_l``), not as datetimes: two
    # aware datetimes in one zone compare by wall time, so 01:30 EDT would equal 01:30
    # EST (the hour repeated when the clocks go back), an hour apart.
    earliest: DateTime | None = attrs.field(validator=_check_bound("earliest"), eq=False)
    latest: DateTime | None = attrs.field(validator=_check_bound("latest"), eq=False)
    precision: Precision = attrs.field(converter=_to_precision)
    tz: str = "UTC"
    approximate: bool = False
    uncertain: bool = False
    inferred: bool = attrs.field(default=False, eq=False)
    text: str | None = attrs.field(default=None, eq=False)
    _e: int | None = attrs.field(init=False)
    _l: int | None = attrs.field(init=False)
    _key: SortKey | None = attrs.field(init=False, eq=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        e, l = self.earliest, self.latest
        if e is None and l is None:
            raise InvalidWhen("a When needs at least one bound; both are open")
        zone = get_zone(self.tz)
        p = self.precision
        if not fits(e, l, p, zone):
            raise InvalidWhen(
                f"bounds {e.isoformat() if e else '..'} / {l.isoformat() if l else '..'} "
                f"are not edges of a {p} in {self.tz}"
            )
        e_us = None if e is None else to_us(e)
        l_us = None if l is None else to_us(l)
        if e_us is not None and l_us is not None and e_us > l_us:
            raise InvalidWhen(f"earliest {e.isoformat()} is after latest {l.isoformat()}")  # type: ignore[union-attr]
        object.__setattr__(self, "_e", e_us)
        object.__setattr__(self, "_l", l_us)

    # -- construction -----------------------------------------------------------------

    @classmethod
    def parse(cls, text: str, *, ref: Any = None, tz: str | None = None) -> When:
        """Like :func:`chronicle.parse_when`, for text that must be a single date (not a Span).

        >>> When.parse("2022年第四季度", tz="Asia/Shanghai").to_edtf()
        '2022-36'
        """
        from ._parse import parse_when

        w = parse_when(text, ref=ref, tz=tz)
        if not isinstance(w, When):
            from .errors import ParseError

            raise ParseError(
                f"{text!r} is an interval ({w.to_edtf()}), not a single date",
                text=text,
                position=0,
                length=len(text),
            )
        return w

    @classmethod
    def unit(
        cls, dt: DateTime, precision: Precision | str, tz: str | None = None, **kw: Any
    ) -> When:
        """The ``precision`` unit containing ``dt``, read in ``tz`` (default: ``dt``'s zone).

        >>> import pendulum
        >>> When.unit(pendulum.datetime(2023, 3, 16, 9, 30), "day").to_edtf()
        '2023-03-16'
        """
        p = Precision.parse(precision)
        from ._calendar import zone_name

        name = tz if tz is not None else zone_name(dt.tzinfo)  # type: ignore[arg-type]
        zone = get_zone(name)
        return cls(unit_start(dt, p, zone), unit_end(dt, p, zone), p, name, **kw)

    # -- properties ---------------------------------------------------------------------

    @property
    def is_instant(self) -> bool:
        """True when both bounds are the same instant (a clock time)."""
        return self._e is not None and self._e == self._l

    def _make_key(self) -> SortKey:
        return (
            0 if self._e is None else 1,
            self._e or 0,
            1 if self._l is None else 0,
            self._l or 0,
            int(self.precision),
            self.tz,
            int(self.approximate),
            int(self.uncertain),
            0,
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, (When, Span)):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, (When, Span)):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, (When, Span)):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, (When, Span)):
            return NotImplemented
        return self.sort_key >= other.sort_key

    # -- relations ----------------------------------------------------------------------

    def intersection(self, other: When) -> When | None:
        """The instants both could be: the finer reading, or None when disjoint.

        Commutative. ``2022`` ∩ ``2022-12`` is ``2022-12``:

        >>> from chronicle import parse_when
        >>> parse_when("2022").intersection(parse_when("2022-12")).to_edtf()
        '2022-12'
        >>> print(parse_when("2022-09").intersection(parse_when("2022-12")))
        None
        """
        if not self.overlaps(other):
            return None
        inner_self, inner_other = self.within(other), other.within(self)
        if inner_self and not inner_other:
            return self
        if inner_other and not inner_self:
            return other
        finer = max(self.precision, other.precision)
        e = _max_bound(self.earliest, other.earliest)
        l = _min_bound(self.latest, other.latest)
        # the finer statement's zone first (ties by name, so the result commutes)
        zones = sorted({(-int(x.precision), x.tz) for x in (self, other)})
        p, tz = _aligned_precision(e, l, finer, [z for _, z in zones])
        return When(
            e,
            l,
            p,
            tz,
            approximate=self.approximate and other.approximate,
            uncertain=self.uncertain and other.uncertain,
            inferred=self.inferred or other.inferred,
        )

    # -- text ---------------------------------------------------------------------------

    def to_edtf(self) -> str:
        """This When in EDTF (ISO 8601-2), with the extensions in ``docs/dates.md``."""
        from ._edtf import format_when

        return format_when(self)

    def __str__(self) -> str:
        return self.to_edtf()

    def __repr__(self) -> str:
        extra = ""
        if self.text is not None and self.text != self.to_edtf():
            extra = f", text={self.text!r}"
        return f"When({self.to_edtf()!r}, tz={self.tz!r}{extra})"

    @classmethod
    def _unchecked(
        cls,
        earliest: DateTime | None,
        latest: DateTime | None,
        precision: Precision,
        tz: str,
        approximate: bool = False,
        uncertain: bool = False,
        text: str | None = None,
        *,
        e_us: int | None = None,
        l_us: int | None = None,
    ) -> When:
        """Build without checking: only for bounds made as unit edges (the EDTF readers').

        ``e_us``/``l_us`` are the bounds in µs since the epoch when the caller has them.
        """
        new = object.__new__(cls)
        s_e, s_l, s_p, s_tz, s_a, s_u, s_i, s_t, s_eu, s_lu, s_k = _WHEN_SETTERS
        s_e(new, earliest)
        s_l(new, latest)
        s_p(new, precision)
        s_tz(new, tz)
        s_a(new, approximate)
        s_u(new, uncertain)
        s_i(new, False)
        s_t(new, text)
        s_eu(new, e_us if e_us is not None or earliest is None else to_us(earliest))
        s_lu(new, l_us if l_us is not None or latest is None else to_us(latest))
        s_k(new, None)
        return new

    def with_text(self, text: str | None) -> When:
        """The same When with another original wording (cheap: nothing is re-checked)."""
        return _copy_with(self, text=text)  # type: ignore[no-any-return]

    def evolve(self, **changes: Any) -> When:
        """A copy with ``changes`` applied (``attrs.evolve``)."""
        return attrs.evolve(self, **changes)


# the slots' own setters, in field order: ``_unchecked`` sets them without ``__setattr__``
_WHEN_SETTERS: tuple[Callable[[Any, Any], None], ...] = tuple(
    When.__dict__[name].__set__
    for name in (
        "earliest", "latest", "precision", "tz", "approximate", "uncertain", "inferred", "text",
        "_e", "_l", "_key",
    )
)  # fmt: skip


def _copy_with(obj: Any, **changes: Any) -> Any:
    """A copy of a slotted, frozen value with ``changes``; its invariants do not depend on them."""
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(a.name for a in attrs.fields(cls))
    new = object.__new__(cls)
    for name in names:
        object.__setattr__(new, name, changes[name] if name in changes else getattr(obj, name))
    return new


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _max_bound(a: DateTime | None, b: DateTime | None) -> DateTime | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if a >= b else b


def _min_bound(a: DateTime | None, b: DateTime | None) -> DateTime | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if a <= b else b


def fits(e: DateTime | None, l: DateTime | None, p: Precision, zone: Any) -> bool:
    """Both bounds are edges of ``p`` units in ``zone``.

    For sub-day precisions (instants) ``latest`` may also be the end of a day:
    "from 10:00 on 17 March, within that day" is ``[2023-03-17T10:00..2023-03-17]``.
    A bound whose clock time in ``zone`` would fall outside years 1-9999 fits nothing.
    """
    try:
        if e is not None and not is_unit_start(e, p, zone):
            return False
        if l is None or is_unit_end(l, p, zone):
            return True
        return p.is_instant and is_unit_end(l, Precision.DAY, zone)
    except OverflowError:  # the last hours of 9999 read in a zone east of the bound's
        return False


def _aligned_precision(
    e: DateTime | None, l: DateTime | None, finest: Precision, zones: list[str]
) -> tuple[Precision, str]:
    """The precision and zone in which both bounds are unit edges.

    ``finest`` when they fit it; else days (a week cut by a month) or, when the
    bounds come from different zones, instants in the zone where they fit.
    """
    seen: list[str] = []
    for tz in zones:
        if tz in seen:
            continue
        seen.append(tz)
        zone = get_zone(tz)
        for p in (finest, Precision.DAY, Precision.HOUR, Precision.MINUTE, Precision.SECOND):
            if fits(e, l, p, zone):
                return p, tz
    raise InvalidWhen(f"bounds {e} .. {l} fit no precision in {', '.join(zones)}")


def _span_bound(name: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not isinstance(value, When):
            raise InvalidWhen(f"a Span's {name} must be a When or None, got {value!r}")

    return check


@attrs.frozen(repr=False)
class Span(_Extent):
    """Something that lasts: a start ``When`` and an end ``When`` (either may be open).

    >>> from chronicle import parse_when
    >>> s = parse_when("2022-12/2023-02", tz="Asia/Shanghai")
    >>> s.earliest.isoformat(), s.latest.isoformat()
    ('2022-12-01T00:00:00+08:00', '2023-02-28T23:59:59.999999+08:00')
    >>> s.to_edtf()
    '2022-12/2023-02'
    """

    start: When | None = attrs.field(validator=_span_bound("start"))
    end: When | None = attrs.field(validator=_span_bound("end"))
    text: str | None = attrs.field(default=None, eq=False)
    _e: int | None = attrs.field(init=False, eq=False)
    _l: int | None = attrs.field(init=False, eq=False)
    _key: SortKey | None = attrs.field(init=False, eq=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.start is None and self.end is None:
            raise InvalidWhen("a Span needs a start or an end; both are open")
        if (
            self.start is not None
            and self.end is not None
            and self.end.certainly_before(self.start)
        ):
            raise InvalidWhen(
                f"span ends ({self.end.to_edtf()}) before it starts ({self.start.to_edtf()})"
            )
        object.__setattr__(self, "_e", None if self.start is None else self.start._e)
        object.__setattr__(self, "_l", None if self.end is None else self.end._l)

    @property
    def earliest(self) -> DateTime | None:
        """When the span may have started at the earliest."""
        return None if self.start is None else self.start.earliest

    @property
    def latest(self) -> DateTime | None:
        """When the span may have ended at the latest."""
        return None if self.end is None else self.end.latest

    @property
    def precision(self) -> Precision:
        """The coarser of the two ends' precisions."""
        ends = [w.precision for w in (self.start, self.end) if w is not None]
        return min(ends)

    @property
    def tz(self) -> str:
        """The zone its EDTF is read in: that of an end written without one (a day or
        coarser), since an end with a clock time carries its offset; else the start's.

        >>> from chronicle import parse_when
        >>> s = parse_when("17 Mar 2023 14:00 UTC – 18 Mar 2023", tz="Asia/Shanghai")
        >>> s.to_edtf(), s.tz
        ('2023-03-17T14:00Z/2023-03-18', 'Asia/Shanghai')
        >>> parse_when(s.to_edtf(), tz=s.tz) == s
        True
        """
        ends = [w for w in (self.start, self.end) if w is not None]
        for w in ends:
            if not w.precision.is_instant:
                return w.tz
        # two clock times, each with its offset: a named zone is kept only as the zone
        # read in, while an offset (or UTC) survives any: prefer the named one
        for w in ends:
            if "/" in w.tz:
                return w.tz
        return ends[0].tz

    @property
    def approximate(self) -> bool:
        return any(w.approximate for w in (self.start, self.end) if w is not None)

    @property
    def uncertain(self) -> bool:
        return any(w.uncertain for w in (self.start, self.end) if w is not None)

    @property
    def inferred(self) -> bool:
        return any(w.inferred for w in (self.start, self.end) if w is not None)

    def _make_key(self) -> SortKey:
        ends = (self.start or self.end).sort_key  # type: ignore[union-attr]
        return (
            0 if self._e is None else 1,
            self._e or 0,
            1 if self._l is None else 0,
            self._l or 0,
            int(self.precision),
            ends[5],
            int(self.approximate),
            int(self.uncertain),
            1,
        )

    __lt__ = When.__lt__
    __le__ = When.__le__
    __gt__ = When.__gt__
    __ge__ = When.__ge__

    def intersection(self, other: Span) -> Span | None:
        """Both ends refined: start ∩ start, end ∩ end; None when either pair is disjoint."""
        start, ok_start = _refine(self.start, other.start)
        end, ok_end = _refine(self.end, other.end)
        if not (ok_start and ok_end):
            return None
        try:
            return Span(start, end)
        except InvalidWhen:
            return None

    def with_text(self, text: str | None) -> Span:
        """The same Span with another original wording (cheap: nothing is re-checked)."""
        return _copy_with(self, text=text)  # type: ignore[no-any-return]

    def to_edtf(self) -> str:
        """EDTF interval ``start/end``; an open end is ``..``."""
        from ._edtf import format_span

        return format_span(self)

    def __str__(self) -> str:
        return self.to_edtf()

    def __repr__(self) -> str:
        return f"Span({self.to_edtf()!r}, tz={self.tz!r})"


def _refine(a: When | None, b: When | None) -> tuple[When | None, bool]:
    """(a ∩ b, True), or (None, False) when they are disjoint; an open end takes the other."""
    if a is None:
        return b, True
    if b is None:
        return a, True
    r = a.intersection(b)
    return r, r is not None


WhenLike = When | Span
