"""EDTF (ISO 8601-2) reading and writing for ``When`` and ``Span``.

Supported: level 0 and 1 (dates, date-times with offsets, ``?``/``~``/``%``
qualifiers, unspecified digits ``201X``/``2022-XX``, sub-year groupings 21-24,
intervals with open or unknown ends), and from level 2 the groupings 25-41
(quarters 33-36, halves 40-41) and one-of-a-set ``[A..B]``, ``[..B]``, ``[A..]``,
``[a, b, c]``. Extensions, documented in ``docs/dates.md``: ISO week dates
(``2022-W35``) and reduced-precision times (``T14``, ``T14:00``).
"""

from __future__ import annotations

__all__ = ["format_span", "format_when", "looks_like_edtf", "parse_edtf"]

import re

from pendulum import DateTime

from ._calendar import (
    UTC_NAMES,
    NonexistentTime,
    Precision,
    clock_time,
    days_in_month,
    get_zone,
    is_unit_end,
    offset_name,
    to_us,
    unit_end,
    wall,
    zone_name,
)
from ._when import InvalidWhen, Span, When, _aligned_precision
from .errors import ParseError

# ---------------------------------------------------------------------------- writing

_GROUP_BASE = {Precision.HALF: (40, 6), Precision.QUARTER: (33, 3)}


def _offset(dt: DateTime, tz: str) -> str:
    if tz in UTC_NAMES:
        return "Z"
    off = dt.utcoffset()
    assert off is not None
    return offset_name(int(off.total_seconds()))


def _fmt(dt: DateTime, p: Precision, tz: str) -> str:
    d = dt.in_timezone(get_zone(tz)) if dt.tzinfo is not None else dt
    y = d.year
    if p == Precision.YEAR:
        return f"{y:04d}"
    if p in _GROUP_BASE:
        base, size = _GROUP_BASE[p]
        return f"{y:04d}-{base + (d.month - 1) // size}"
    if p == Precision.MONTH:
        return f"{y:04d}-{d.month:02d}"
    if p == Precision.WEEK:
        iy, iw, _ = d.isocalendar()
        return f"{iy:04d}-W{iw:02d}"
    day = f"{y:04d}-{d.month:02d}-{d.day:02d}"
    if p == Precision.DAY:
        return day
    off = _offset(d, tz)
    if p == Precision.HOUR:
        return f"{day}T{d.hour:02d}{off}"
    if p == Precision.MINUTE:
        return f"{day}T{d.hour:02d}:{d.minute:02d}{off}"
    return f"{day}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}{off}"


def _qualifier(w: When) -> str:
    if w.approximate and w.uncertain:
        return "%"
    if w.approximate:
        return "~"
    if w.uncertain:
        return "?"
    return ""


def format_when(w: When) -> str:
    """The EDTF text for ``w``; ``parse_edtf(format_when(w), tz=w.tz) == w``."""
    p, tz, e, l = w.precision, w.tz, w.earliest, w.latest
    zone = get_zone(tz)
    q = _qualifier(w)
    if e is not None and l is not None:
        # bounds compared as instants: in one zone, == ignores which of two repeated
        # wall times (the hour the clocks go back) a datetime is
        if p.is_instant and w._e == w._l:
            return _fmt(e, p, tz) + q
        if not p.is_instant and to_us(unit_end(e, p, zone)) == w._l:
            return _fmt(e, p, tz) + q
    lo = "" if e is None else _fmt(e, p, tz)
    if l is None:
        hi = ""
    elif p.is_instant and not is_unit_end(l, p, zone):
        hi = _fmt(l, Precision.DAY, tz)  # an instant range that runs to the end of a day
    else:
        hi = _fmt(l, p, tz)
    return f"[{lo}..{hi}]{q}"


def format_span(s: Span) -> str:
    lo = ".." if s.start is None else format_when(s.start)
    hi = ".." if s.end is None else format_when(s.end)
    return f"{lo}/{hi}"


# ---------------------------------------------------------------------------- reading

_EDTF_CHARS = re.compile(r"^[0-9XYW\-+:.T Z~?%\[\],/]+$")


def looks_like_edtf(text: str) -> bool:
    """Cheap test: only characters EDTF uses, and starts like a date or a set."""
    return bool(_EDTF_CHARS.match(text)) and (text[0].isdigit() or text[0] in "[.XY/")


_DATE = re.compile(
    r"""
    (?P<y>Y?[0-9X]{4})
    (?: -W(?P<w>\d{2})
      | -(?P<m>[0-9X]{2})
        (?: -(?P<d>[0-9X]{2})
          (?: [T ](?P<H>\d{2})
              (?: :(?P<M>\d{2}) (?: :(?P<S>\d{2}) (?:\.(?P<f>\d{1,6}))? )? )?
              (?P<z>Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?
          )?
        )?
    )?
    (?P<q>[?~%])?
    """,
    re.VERBOSE,
)

# sub-year groupings: code -> (first month, number of months, precision)
_GROUPINGS: dict[int, tuple[int, int, Precision]] = {
    21: (3, 3, Precision.MONTH),  # spring
    22: (6, 3, Precision.MONTH),  # summer
    23: (9, 3, Precision.MONTH),  # autumn
    24: (12, 3, Precision.MONTH),  # winter: December to February of the next year
    25: (3, 3, Precision.MONTH),  # spring, northern hemisphere
    26: (6, 3, Precision.MONTH),
    27: (9, 3, Precision.MONTH),
    28: (12, 3, Precision.MONTH),
    29: (9, 3, Precision.MONTH),  # spring, southern hemisphere
    30: (12, 3, Precision.MONTH),
    31: (3, 3, Precision.MONTH),
    32: (6, 3, Precision.MONTH),
    33: (1, 3, Precision.QUARTER),
    34: (4, 3, Precision.QUARTER),
    35: (7, 3, Precision.QUARTER),
    36: (10, 3, Precision.QUARTER),
    37: (1, 4, Precision.MONTH),  # quadrimesters
    38: (5, 4, Precision.MONTH),
    39: (9, 4, Precision.MONTH),
    40: (1, 6, Precision.HALF),  # semesters (halves)
    41: (7, 6, Precision.HALF),
}


class _Member:
    """One parsed date: its bounds, precision, zone and qualifiers."""

    __slots__ = ("approximate", "earliest", "latest", "precision", "tz", "uncertain")

    def __init__(
        self,
        earliest: DateTime,
        latest: DateTime,
        precision: Precision,
        tz: str,
        q: str | None,
    ) -> None:
        self.earliest, self.latest, self.precision, self.tz = earliest, latest, precision, tz
        self.approximate = q in ("~", "%")
        self.uncertain = q in ("?", "%")


def _err(text: str, msg: str, pos: int, length: int = 1) -> ParseError:
    return ParseError(
        f"cannot read {text!r} as EDTF: {msg}", text=text, position=pos, length=length
    )


def _int(text: str, raw: str, lo: int, hi: int, what: str, pos: int, context: str = "") -> int:
    v = int(raw)
    if not lo <= v <= hi:
        raise _err(text, f"{what} {raw} is out of range {lo}-{hi}{context}", pos, len(raw))
    return v


def _parse_date(text: str, s: str, offset: int, tz: str) -> _Member:
    """Parse one EDTF date ``s`` (found at ``offset`` in ``text``)."""
    m = _DATE.fullmatch(s)
    if not m:
        stop = _DATE.match(s)
        pos = offset + (stop.end() if stop else 0)
        if s.startswith("-"):
            raise _err(text, "years before 1 CE are not supported", offset)
        raise _err(text, "not a date", pos, max(1, len(s) - (pos - offset)))
    g = m.groupdict()
    ytxt = g["y"].lstrip("Y")
    ypos = offset + m.start("y")
    if ytxt == "0000" or (ytxt.isdigit() and int(ytxt) < 1):
        raise _err(text, "years before 1 CE are not supported", ypos, 4)
    zone = get_zone(tz)
    q = g["q"]
    if "X" in ytxt:
        stem = ytxt.rstrip("X")
        if "X" in stem or g["m"] or g["w"]:
            raise _err(text, "unspecified digits are supported only at the end of a year", ypos, 4)
        k = 4 - len(stem)
        lo = max(1, int(stem + "0" * k) if stem else 1)
        hi = int(stem + "9" * k) if stem else 9999
        return _Member(
            wall(zone, lo), unit_end(wall(zone, hi), Precision.YEAR, zone), Precision.YEAR, tz, q
        )
    year = int(ytxt)
    if g["w"]:
        week = int(g["w"])
        try:
            import datetime as _dt

            monday = _dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise _err(
                text, f"week {g['w']} does not exist in {year}", offset + m.start("w"), 2
            ) from None
        start = wall(zone, monday.year, monday.month, monday.day)
        try:
            end = unit_end(start, Precision.WEEK, zone)
        except OverflowError:
            raise _err(
                text, f"week {g['w']} of {year} ends after year 9999", ypos, len(s)
            ) from None
        return _Member(start, end, Precision.WEEK, tz, q)
    if g["m"] is None:
        start = wall(zone, year)
        return _Member(start, unit_end(start, Precision.YEAR, zone), Precision.YEAR, tz, q)
    mtxt, mpos = g["m"], offset + m.start("m")
    if mtxt == "XX":
        if g["d"] not in (None, "XX"):
            raise _err(
                text,
                "a day cannot be given when the month is unspecified",
                offset + m.start("d"),
                2,
            )
        p = Precision.DAY if g["d"] == "XX" else Precision.MONTH
        return _Member(wall(zone, year), unit_end(wall(zone, year, 12, 31), p, zone), p, tz, q)
    month = int(mtxt)
    if month in _GROUPINGS:
        if g["d"] is not None:
            raise _err(
                text, f"a day cannot follow sub-year grouping {month}", offset + m.start("d"), 2
            )
        first, size, p = _GROUPINGS[month]
        start = wall(zone, year, first)
        last_month = first + size - 1
        ly, lm = (year + 1, last_month - 12) if last_month > 12 else (year, last_month)
        if ly > 9999:
            raise _err(text, f"{s} ends after year 9999", ypos, len(s))
        end = wall(zone, ly, lm, days_in_month(ly, lm), 23, 59, 59, 999_999)
        return _Member(start, end, p, tz, q)
    if not 1 <= month <= 12:
        raise _err(
            text,
            f"month {mtxt} is out of range (01-12, or 21-41 for seasons, quarters and halves)",
            mpos,
            2,
        )
    if g["d"] is None:
        start = wall(zone, year, month)
        return _Member(start, unit_end(start, Precision.MONTH, zone), Precision.MONTH, tz, q)
    dtxt, dpos = g["d"], offset + m.start("d")
    if dtxt == "XX":
        start = wall(zone, year, month)
        return _Member(start, unit_end(start, Precision.MONTH, zone), Precision.DAY, tz, q)
    day = _int(text, dtxt, 1, days_in_month(year, month), "day", dpos, f" in {year}-{month:02d}")
    if g["H"] is None:
        start = wall(zone, year, month, day)
        return _Member(start, unit_end(start, Precision.DAY, zone), Precision.DAY, tz, q)
    hour = _int(text, g["H"], 0, 23, "hour", offset + m.start("H"))
    minute = 0 if g["M"] is None else _int(text, g["M"], 0, 59, "minute", offset + m.start("M"))
    second = 0 if g["S"] is None else _int(text, g["S"], 0, 59, "second", offset + m.start("S"))
    if g["f"] is not None and int(g["f"]) != 0:
        raise _err(
            text, "fractions of a second are not supported", offset + m.start("f"), len(g["f"])
        )
    p = (
        Precision.HOUR
        if g["M"] is None
        else Precision.MINUTE
        if g["S"] is None
        else Precision.SECOND
    )
    ztxt = g["z"]
    if ztxt is None:
        try:
            inst = clock_time(zone, year, month, day, hour, minute, second)
        except NonexistentTime as e:
            raise _err(text, e.message, offset + m.start("H"), len(s) - m.start("H")) from None
        out_tz = tz
    else:
        try:
            given = get_zone(ztxt if ztxt != "Z" else "UTC")
        except Exception:
            raise _err(text, f"bad UTC offset {ztxt!r}", offset + m.start("z"), len(ztxt)) from None
        inst = DateTime(year, month, day, hour, minute, second, tzinfo=given)
        try:
            local = inst.in_timezone(zone)
        except OverflowError:
            raise _err(
                text, f"this instant is outside years 1-9999 in {tz}", offset, len(s)
            ) from None
        # keep the caller's named zone when the offset agrees with it at that instant
        out_tz = tz if local.utcoffset() == inst.utcoffset() else zone_name(given)
        inst = inst.in_timezone(get_zone(out_tz))
    return _Member(inst, inst, p, out_tz, q)


def _when_from(
    members: list[_Member],
    text: str,
    lows: list[DateTime] | None,
    highs: list[DateTime] | None,
) -> When:
    """The When covering ``members``: from the least of ``lows`` to the greatest of ``highs``.

    ``lows``/``highs`` default to every member's bounds; ``None`` means open. In a
    range ``A..B`` only A's start and B's end count.
    """
    finest = max(m.precision for m in members)
    tz = next((m.tz for m in members if m.precision == finest), members[0].tz)
    lo = None if lows is None else min(lows)
    hi = None if highs is None else max(highs)
    if lo is not None and hi is not None and lo > hi:
        raise _err(text, "the set's first date is after its last", 0, len(text))
    p, tz = _aligned_precision(lo, hi, finest, [tz])
    return When(
        lo,
        hi,
        p,
        tz,
        approximate=any(m.approximate for m in members),
        uncertain=any(m.uncertain for m in members),
    )


_SET_Q = re.compile(r"^(\[.*\])([?~%])?$")


def _parse_set(text: str, s: str, offset: int, tz: str) -> When:
    m = _SET_Q.match(s)
    if not m:
        raise _err(text, "a set opened with '[' must close with ']'", offset + len(s) - 1)
    body, q = m.group(1)[1:-1], m.group(2)
    if not body.strip():
        raise _err(text, "empty set", offset)
    members: list[_Member] = []
    lows: list[DateTime] = []
    highs: list[DateTime] = []
    open_lo = open_hi = False
    pos = offset + 1
    parts = body.split(",")
    for i, part in enumerate(parts):
        raw = part
        part = part.strip()
        ppos = pos + (len(raw) - len(raw.lstrip()))
        if ".." in part:
            a, _, b = part.partition("..")
            if not a:
                if i != 0:
                    raise _err(text, "'..' with no start is allowed only first", ppos, 2)
                open_lo = True
            else:
                first = _parse_date(text, a, ppos, tz)
                members.append(first)
                lows.append(first.earliest)
            if not b:
                if i != len(parts) - 1:
                    raise _err(text, "'..' with no end is allowed only last", ppos, len(part))
                open_hi = True
            else:
                last = _parse_date(text, b, ppos + len(a) + 2, tz)
                members.append(last)
                highs.append(last.latest)
            if a and b and first.earliest > last.latest:
                raise _err(text, f"range {part!r} ends before it starts", ppos, len(part))
        elif part:
            one = _parse_date(text, part, ppos, tz)
            members.append(one)
            lows.append(one.earliest)
            highs.append(one.latest)
        else:
            raise _err(text, "empty member in set", ppos)
        pos += len(raw) + 1
    if not members:
        raise _err(text, "a set needs at least one date", offset)
    if q:
        for mem in members:
            mem.approximate = mem.approximate or q in ("~", "%")
            mem.uncertain = mem.uncertain or q in ("?", "%")
    return _when_from(members, text, None if open_lo else lows, None if open_hi else highs)


def _parse_member(text: str, s: str, offset: int, tz: str, wording: str | None = None) -> When:
    if s.startswith("["):
        return _parse_set(text, s, offset, tz)
    if s.startswith("{"):
        raise _err(
            text, "all-of-a-set {...} is not a single date; write one account per date", offset
        )
    one = _parse_date(text, s, offset, tz)
    # one date's bounds are the edges of its own unit by construction: nothing to re-check
    return When._unchecked(
        one.earliest, one.latest, one.precision, one.tz, one.approximate, one.uncertain, wording
    )


def parse_edtf(text: str, *, tz: str = "UTC", wording: str | None = None) -> When | Span:
    """Parse EDTF ``text``; date-only values are read in ``tz``; ``wording`` becomes ``.text``.

    >>> parse_edtf("2022-36", tz="Asia/Shanghai").earliest.isoformat()
    '2022-10-01T00:00:00+08:00'
    >>> parse_edtf("[..2023-03-17T14:00:00+08:00]", tz="Asia/Shanghai").latest.isoformat()
    '2023-03-17T14:00:00+08:00'
    """
    s = text.strip()
    try:
        if "/" in s:
            if s.count("/") > 1:
                raise _err(text, "an interval has exactly one '/'", s.index("/", s.index("/") + 1))
            a, _, b = s.partition("/")
            start = None if a in ("", "..") else _parse_member(text, a, 0, tz)
            end = None if b in ("", "..") else _parse_member(text, b, len(a) + 1, tz)
            if start is None and end is None:
                raise _err(text, "an interval needs a start or an end", 0, len(s))
            return Span(start, end, text=wording)
        w = _parse_member(text, s, 0, tz, wording)
        return w if w.text == wording else w.with_text(wording)
    except InvalidWhen as e:
        raise _err(text, e.message, 0, len(text)) from None
