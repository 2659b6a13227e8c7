"""Dates for people: each printed at its own precision.

>>> from chronicle import parse_when
>>> show_when(parse_when("2022-36"))
'2022-Q4'
>>> show_when(parse_when("至3月17日下午2点", ref="2023-03-24", tz="Asia/Shanghai"))
'≤ 2023-03-17 14:00 +08'
>>> show_when(parse_when("2022-12/2023-02"))
'2022-12 → 2023-02'
"""

from __future__ import annotations

__all__ = ["show_when"]

from pendulum import DateTime

from ._calendar import Precision, get_zone, is_unit_end, unit_end
from ._when import Span, When


def _offset(d: DateTime, tz: str) -> str:
    if tz == "UTC":
        return "UTC"
    off = d.utcoffset()
    assert off is not None
    secs = int(off.total_seconds())
    sign = "-" if secs < 0 else "+"
    secs = abs(secs)
    hh, mm = secs // 3600, (secs % 3600) // 60
    return f"{sign}{hh:02d}" + (f":{mm:02d}" if mm else "")


def _unit(dt: DateTime, p: Precision, tz: str) -> str:
    d = dt.in_timezone(get_zone(tz))
    if p == Precision.YEAR:
        return f"{d.year:04d}"
    if p == Precision.HALF:
        return f"{d.year:04d}-H{1 + (d.month - 1) // 6}"
    if p == Precision.QUARTER:
        return f"{d.year:04d}-Q{1 + (d.month - 1) // 3}"
    if p == Precision.MONTH:
        return f"{d.year:04d}-{d.month:02d}"
    if p == Precision.WEEK:
        iy, iw, _ = d.isocalendar()
        return f"{iy:04d}-W{iw:02d}"
    day = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    if p == Precision.DAY:
        return day
    clock = f"{d.hour:02d}:{d.minute:02d}" + (f":{d.second:02d}" if p == Precision.SECOND else "")
    return f"{day} {clock} {_offset(d, tz)}"


def _when(w: When) -> str:
    p, tz, e, l = w.precision, w.tz, w.earliest, w.latest
    zone = get_zone(tz)
    if e is not None and l is not None and (
        (p.is_instant and e == l) or (not p.is_instant and unit_end(e, p, zone) == l)
    ):
        core = _unit(e, p, tz)
    else:
        hi_p = p if l is None or not p.is_instant or is_unit_end(l, p, zone) else Precision.DAY
        if e is None:
            core = f"≤ {_unit(l, hi_p, tz)}"  # type: ignore[arg-type]
        elif l is None:
            core = f"≥ {_unit(e, p, tz)}"
        else:
            core = f"{_unit(e, p, tz)} – {_unit(l, hi_p, tz)}"
    if w.approximate:
        core = "~" + core
    if w.uncertain:
        core += "?"
    return core


def show_when(w: When | Span) -> str:
    """``w`` as a person would write it, at its own precision."""
    if isinstance(w, Span):
        start = "…" if w.start is None else _when(w.start)
        end = "…" if w.end is None else _when(w.end)
        return f"{start} → {end}"
    return _when(w)
