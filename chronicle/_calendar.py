"""Calendar arithmetic: zones, precisions and the bounds of calendar units.

All datetimes here are aware pendulum ``DateTime`` objects. A unit (a year, a
quarter, a day, ...) is read in a zone: "16 Mar 2023" in Asia/Shanghai starts at
2023-03-16T00:00+08:00. Sub-day precisions (hour, minute, second) denote the
instant itself: "14:00" is 14:00:00.000000, not the whole minute.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from functools import lru_cache

import pendulum
from pendulum import DateTime

from .errors import ChronicleError

__all__ = ["Precision", "UnknownZone", "get_zone", "unit_end", "unit_start"]

_ONE_US = _dt.timedelta(microseconds=1)


class Precision(enum.IntEnum):
    """The unit a date was stated in, from coarsest to finest.

    Ordered: ``Precision.YEAR < Precision.DAY`` (a day is finer than a year).

    >>> Precision.parse("quarter")
    <Precision.QUARTER: 2>
    >>> str(Precision.MONTH)
    'month'
    """

    YEAR = 0
    HALF = 1
    QUARTER = 2
    MONTH = 3
    WEEK = 4
    DAY = 5
    HOUR = 6
    MINUTE = 7
    SECOND = 8

    def __str__(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> str:
        """The lower-case name used in files and JSON (``"month"``)."""
        return self.name.lower()

    @property
    def is_instant(self) -> bool:
        """True for hour, minute and second: the When is a clock reading, an instant."""
        return self >= Precision.HOUR

    @classmethod
    def parse(cls, name: str | Precision) -> Precision:
        """The precision called ``name`` (case-insensitive)."""
        if isinstance(name, Precision):
            return name
        try:
            return cls[name.strip().upper()]
        except KeyError:
            names = ", ".join(p.label for p in cls)
            raise ChronicleError(
                f"unknown precision {name!r}; expected one of {names}", text=name
            ) from None


class UnknownZone(ChronicleError, ValueError):
    """A time-zone name that is neither an IANA zone, ``UTC`` nor an offset like ``+08:00``."""


_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$")

UTC_NAMES = frozenset(
    {"Z", "utc", *(p + n for p in ("", "Etc/") for n in ("UTC", "UCT", "Universal", "Zulu",
     "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich"))}
)  # fmt: skip
"""Every name of UTC itself: ``Z`` and the IANA zones that are UTC under another name."""


@lru_cache(maxsize=512)
def get_zone(name: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    """The pendulum zone for an IANA name (``Asia/Shanghai``), ``UTC``/``Z``, or ``+08:00``.

    >>> get_zone("Asia/Shanghai").name
    'Asia/Shanghai'
    >>> get_zone("+08:00").name
    '+08:00'
    """
    if not isinstance(name, str) or not name.strip():
        raise UnknownZone(f"empty time zone {name!r}", text=str(name))
    n = name.strip()
    if n in UTC_NAMES:
        return pendulum.UTC
    m = _OFFSET.match(n)
    if m:
        sign, hh, mm, ss = m.group(1), int(m.group(2)), int(m.group(3) or 0), int(m.group(4) or 0)
        if hh > 23 or mm > 59 or ss > 59:
            raise UnknownZone(f"bad UTC offset {name!r}", text=name)
        secs = (hh * 3600 + mm * 60 + ss) * (-1 if sign == "-" else 1)
        return pendulum.FixedTimezone(secs, name=offset_name(secs))
    try:
        return pendulum.timezone(n)
    except Exception:
        raise UnknownZone(
            f"unknown time zone {name!r}; use an IANA name like 'Asia/Shanghai', "
            "'UTC', or an offset like '+08:00'",
            text=name,
        ) from None


def offset_name(seconds: int) -> str:
    """``+08:00`` for 28800; ``-03:30`` for -12600; ``+08:05:43`` for a local mean time."""
    sign = "-" if seconds < 0 else "+"
    s = abs(seconds)
    name = f"{sign}{s // 3600:02d}:{(s % 3600) // 60:02d}"
    return name + f":{s % 60:02d}" if s % 60 else name


def zone_name(tz: _dt.tzinfo) -> str:
    """The name chronicle stores for a zone object."""
    name = getattr(tz, "name", None) or getattr(tz, "key", None)
    if isinstance(name, str) and name:
        return "UTC" if name in ("UTC", "Etc/UTC") else name
    off = tz.utcoffset(None)
    if off is None:
        raise UnknownZone(f"cannot name time zone {tz!r}")
    return offset_name(int(off.total_seconds()))


def _near_transition(tz: _dt.tzinfo, dt: _dt.datetime) -> bool:
    """The wall time is ambiguous or missing in ``tz`` (its two folds disagree)."""
    naive = _dt.datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second)
    return tz.utcoffset(naive) != tz.utcoffset(naive.replace(fold=1))


@lru_cache(maxsize=1 << 16)
def wall(
    tz: _dt.tzinfo,
    year: int,
    month: int = 1,
    day: int = 1,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
) -> DateTime:
    """The aware DateTime showing this wall-clock time in ``tz``.

    A wall time that does not exist (a DST gap) moves forward, as pendulum does. One that
    occurs twice (the clocks went back over it) is its first occurrence -- except the last
    microsecond of a day, which ends days, months and years: that is its last, so that a
    day the clocks turned back at midnight lasts until the next one begins.
    """
    dt = DateTime(year, month, day, hour, minute, second, microsecond, tzinfo=tz)
    if isinstance(tz, pendulum.Timezone) and _near_transition(tz, dt):
        # near a transition: the wall time is ambiguous or missing (move on)
        back = dt.astimezone(_dt.UTC).astimezone(tz)
        if (back.hour, back.minute) != (hour, minute):
            # a missing wall time (e.g. DST starting at midnight): the first instant after it
            return back if isinstance(back, DateTime) else pendulum.instance(back)
        if (hour, minute, second, microsecond) == (23, 59, 59, 999_999):
            return dt.replace(fold=1)
    return dt


class NonexistentTime(ChronicleError, ValueError):
    """A clock time the zone skipped (clocks moved forward over it)."""


def clock_time(
    tz: _dt.tzinfo, year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0
) -> DateTime:
    """The instant a clock in ``tz`` showed this time.

    A time the clocks skipped is an error, not moved silently; a time they showed twice
    (clocks moved back) is the first of the two -- write the offset to choose the second.
    """
    dt = wall(tz, year, month, day, hour, minute, second)
    if (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second) != (
        year, month, day, hour, minute, second,
    ):  # fmt: skip
        name = zone_name(tz)
        raise NonexistentTime(
            f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d} does not exist in "
            f"{name}: the clocks skipped it; write the UTC offset you mean"
        )
    return dt


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """Days in ``month`` of ``year`` (proleptic Gregorian), as ``calendar.monthrange``
    says, without its two calls: the EDTF fast path asks for it per date.

    >>> days_in_month(2024, 2), days_in_month(1900, 2), days_in_month(2000, 2)
    (29, 28, 29)
    """
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month]


_FIRST_MONTH = {Precision.YEAR: 12, Precision.HALF: 6, Precision.QUARTER: 3, Precision.MONTH: 1}


def unit_start(dt: DateTime, precision: Precision, tz: _dt.tzinfo) -> DateTime:
    """Start of the ``precision`` unit that contains ``dt`` (read in ``tz``)."""
    d = dt.astimezone(tz)
    if precision in _FIRST_MONTH:
        size = _FIRST_MONTH[precision]
        month = ((d.month - 1) // size) * size + 1
        return wall(tz, d.year, month)
    if precision == Precision.WEEK:
        day = d.date() - _dt.timedelta(days=d.weekday())
        return wall(tz, day.year, day.month, day.day)
    if precision == Precision.DAY:
        return wall(tz, d.year, d.month, d.day)
    if precision == Precision.HOUR:
        return wall(tz, d.year, d.month, d.day, d.hour)
    if precision == Precision.MINUTE:
        return wall(tz, d.year, d.month, d.day, d.hour, d.minute)
    return wall(tz, d.year, d.month, d.day, d.hour, d.minute, d.second)


def unit_end(dt: DateTime, precision: Precision, tz: _dt.tzinfo) -> DateTime:
    """Last instant of the unit that contains ``dt``; for sub-day precisions the instant itself."""
    if precision.is_instant:
        return unit_start(dt, precision, tz)
    d = dt.astimezone(tz)
    if precision in _FIRST_MONTH:
        size = _FIRST_MONTH[precision]
        last = ((d.month - 1) // size) * size + size
        return wall(tz, d.year, last, days_in_month(d.year, last), 23, 59, 59, 999_999)
    if precision == Precision.WEEK:
        day = d.date() + _dt.timedelta(days=6 - d.weekday())
        return wall(tz, day.year, day.month, day.day, 23, 59, 59, 999_999)
    return wall(tz, d.year, d.month, d.day, 23, 59, 59, 999_999)


def _local(dt: DateTime, tz: _dt.tzinfo) -> _dt.datetime:
    return dt if dt.tzinfo is tz else dt.astimezone(tz)


def is_unit_start(dt: DateTime, precision: Precision, tz: _dt.tzinfo) -> bool:
    """``dt`` is the first instant of a ``precision`` unit in ``tz``."""
    d = _local(dt, tz)
    if d.microsecond:
        return False
    if precision == Precision.SECOND:
        return True
    if d.second:
        return False
    if precision == Precision.MINUTE:
        return True
    if d.minute:
        return False
    if precision == Precision.HOUR:
        return True
    if d.hour:
        return unit_start(dt, precision, tz) == dt  # a day that starts late (DST at midnight)
    if precision == Precision.DAY:
        return True
    if precision == Precision.WEEK:
        return d.weekday() == 0
    if d.day != 1:
        return False
    return (d.month - 1) % _FIRST_MONTH[precision] == 0


def is_unit_end(dt: DateTime, precision: Precision, tz: _dt.tzinfo) -> bool:
    """``dt`` is the last instant of a ``precision`` unit (for instants: a unit start)."""
    if precision.is_instant:
        return is_unit_start(dt, precision, tz)
    d = _local(dt, tz)
    if (d.hour, d.minute, d.second, d.microsecond) != (23, 59, 59, 999_999):
        return unit_end(dt, precision, tz) == dt
    if precision == Precision.DAY:
        return True
    if precision == Precision.WEEK:
        return d.weekday() == 6
    if d.day != days_in_month(d.year, d.month):
        return False
    return d.month % _FIRST_MONTH[precision] == 0


def unit_bounds(dt: DateTime, precision: Precision, tz: _dt.tzinfo) -> tuple[DateTime, DateTime]:
    return unit_start(dt, precision, tz), unit_end(dt, precision, tz)


def before(dt: DateTime) -> DateTime:
    """The instant one microsecond before ``dt`` ("before 2023" ends here)."""
    return dt - _ONE_US


def after(dt: DateTime) -> DateTime:
    """The instant one microsecond after ``dt``."""
    return dt + _ONE_US


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_EPOCH_ORDINAL = _EPOCH.toordinal()


def plain_us(tz: _dt.tzinfo, naive: _dt.datetime, folded: _dt.datetime) -> int | None:
    """Microseconds since the Unix epoch of the wall time ``naive`` in ``tz``, or None when
    ``tz`` skipped it or shows it twice (``folded`` is the same wall time with fold=1).

    The quick way for the common case; None leaves it to :func:`wall`.
    """
    off = tz.utcoffset(naive)
    if off is None or off != tz.utcoffset(folded):
        return None
    clock = (naive.hour * 3600 + naive.minute * 60 + naive.second) * 1_000_000
    local = (naive.toordinal() - _EPOCH_ORDINAL) * 86_400_000_000 + clock + naive.microsecond
    return local - ((off.days * 86_400 + off.seconds) * 1_000_000 + off.microseconds)


def to_us(dt: _dt.datetime) -> int:
    """Microseconds since the Unix epoch (exact; for fast comparison and sorting)."""
    delta = _dt.datetime.__sub__(dt, _EPOCH)  # a plain timedelta, not a pendulum Interval
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
