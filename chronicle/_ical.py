"""iCalendar export for calendar apps (Google, Apple, Outlook, Thunderbird).

The only module that imports ``icalendar``, and only inside :func:`to_ics`. Items
are read through the row view (:mod:`chronicle._display`), so accounts and merged
events export alike. What is emitted, and why, follows
``calendar-conventions.md``; ``docs/calendar.md`` explains it for users:

- one VCALENDAR with PRODID, VERSION, NAME + X-WR-CALNAME, a UID derived from the
  calendar name, no METHOD (so DTSTAMP means "last revision", which we derive);
- per item a VEVENT with UID ``uuid5(NAMESPACE, row.key)`` (``account/<id>`` or
  ``event/<key>``), DTSTAMP = the latest publication date among its cited sources
  (UTC, whole seconds; the Unix epoch when none is dated), SUMMARY, DESCRIPTION
  (date in words with its precision, quantity, status, notes, sources with titles,
  publishers, dates, URLs and quotes), at most one URL, CATEGORIES (kind and tags),
  LOCATION, TRANSP:TRANSPARENT, STATUS:TENTATIVE for planned/tentative items;
- day precision: an all-day event, VALUE=DATE on both ends, DTEND exclusive;
- clock times (hour/minute/second): a timed event with TZID and a matching
  VTIMEZONE (UTC for ``UTC`` and for fixed offsets such as ``+08:00``), lasting
  ``instant_minutes`` (default 30) because a point in time has no length and
  zero-length events are drawn or read inconsistently. A time whose clock time
  occurs twice in its zone (the hour repeated when summer time ends), and any time
  from October 9999 on, is written in UTC: RFC 5545 reads a repeated local time as
  its first occurrence, and icalendar cannot build a VTIMEZONE reaching 9999-12-31;
- an end after 9999-12-31 (an all-day event on that day, say) is written as
  DURATION instead of DTEND; a clock time outside years 1-9999 in UTC becomes an
  all-day event on its day, its date in brackets in SUMMARY;
- coarser dates (a week, month, quarter, half, year, or a range of days) follow
  the ``coarse`` policy; dates open at one end follow the ``open_ended`` policy.
  Whenever the calendar cannot show the date exactly (a first-day placement, an
  open bound) or the date is approximate or uncertain, SUMMARY starts with the date
  as written in brackets, e.g. ``[2022-Q4] …``.

Events are written in chronological order (ties by key), so the file does not
depend on the order of the input, and two exports of the same data are identical.
"""

from __future__ import annotations

__all__ = ["NAMESPACE", "CoarseDates", "OpenDates", "to_ics"]

import datetime as dt
import enum
import functools
import math
import re
import uuid
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ._calendar import UTC_NAMES, Precision, get_zone
from ._display import Row, SourceRef, describe_when, items_of, rows, show_when
from ._when import Span, When
from .errors import ChronicleError

if TYPE_CHECKING:
    from icalendar import Calendar

    from ._ledger import Ledger

NAMESPACE = uuid.UUID("9d3f6b1e-4c1a-5b7e-8f61-2c0a7d5e3b90")
"""The fixed namespace of chronicle's UIDs: ``uuid5(NAMESPACE, "account/<id>")``."""

PRODID = "-//chronicle-ledger//chronicle//EN"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DAY = dt.timedelta(days=1)

_OFFSET = re.compile(r"^(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?$")


class CoarseDates(enum.StrEnum):
    """How a date coarser than a day (or a range of days) appears in a calendar."""

    SPAN = "span"
    """An all-day event over every day it may have happened (the default)."""
    FIRST_DAY = "first-day"
    """A one-day all-day event on its first possible day, the date shown in SUMMARY."""
    SKIP = "skip"
    """Left out of the calendar."""


class OpenDates(enum.StrEnum):
    """How a date known only on one side (``≤ 2023-03-17``, ``2023-03-16/..``) appears."""

    BOUND_DAY = "bound-day"
    """A one-day all-day event on the day of the known bound, the date shown in SUMMARY."""
    SKIP = "skip"
    """Left out of the calendar."""


CoarseSpec = (
    CoarseDates | str | Mapping[str, CoarseDates | str] | Mapping[Precision, CoarseDates | str]
)
"""A :class:`CoarseDates` policy, or ``{precision: policy}`` (``{"year": "first-day"}``)."""

_COARSE_PRECISIONS = (
    Precision.YEAR,
    Precision.HALF,
    Precision.QUARTER,
    Precision.MONTH,
    Precision.WEEK,
    Precision.DAY,
)


def coarse_policy(
    value: CoarseSpec,
) -> dict[Precision, CoarseDates]:
    """One policy for every precision, or ``{precision: policy}`` over the default (span).

    ``"day"`` in a mapping means a range of days ("between 16 and 18 March").

    >>> coarse_policy("first-day")[Precision.YEAR]
    <CoarseDates.FIRST_DAY: 'first-day'>
    >>> coarse_policy({"year": "skip"})[Precision.MONTH]
    <CoarseDates.SPAN: 'span'>
    """
    out = dict.fromkeys(_COARSE_PRECISIONS, CoarseDates.SPAN)
    if isinstance(value, str):
        return dict.fromkeys(_COARSE_PRECISIONS, _coarse(value))
    for key, policy in value.items():
        p = Precision.parse(key)
        if p not in out:
            raise ChronicleError(
                f"a coarse-date policy applies to year, half, quarter, month, week or day, not {p}",
                text=str(key),
            )
        out[p] = _coarse(policy)
    return out


def _coarse(value: CoarseDates | str) -> CoarseDates:
    try:
        return CoarseDates(value)
    except ValueError:
        choices = ", ".join(c.value for c in CoarseDates)
        raise ChronicleError(
            f"unknown coarse-date policy {value!r}; choose from {choices}", text=str(value)
        ) from None


def _open(value: OpenDates | str) -> OpenDates:
    try:
        return OpenDates(value)
    except ValueError:
        choices = ", ".join(c.value for c in OpenDates)
        raise ChronicleError(
            f"unknown open-date policy {value!r}; choose from {choices}", text=str(value)
        ) from None


# ------------------------------------------------------------------- placement


@attrs.frozen
class Placement:
    """Where an item lands in a calendar: dates (all-day, DTEND exclusive) or datetimes.

    ``end`` is None when the end cannot be written (it would fall after 9999-12-31);
    the event then has ``duration`` (RFC 5545 DURATION) instead of DTEND.
    """

    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    exact: bool  # False: the calendar shows a stand-in (first day, known bound)
    how: str  # for DESCRIPTION, e.g. "shown on its first possible day"
    duration: dt.timedelta | None = None


_LAST_ZONED = dt.datetime(9999, 10, 1)
"""Clock times from here on are written in UTC: icalendar builds a VTIMEZONE only for
days at least 64 days before the last date Python can hold, and a VTIMEZONE that
stops short would give the last months of 9999 the wrong offset."""


def _zone(tz: str) -> dt.tzinfo:
    """The tzinfo a timed event is written in: an IANA zone, or UTC."""
    if tz in UTC_NAMES or _OFFSET.match(tz):
        return dt.UTC  # a fixed offset is no TZID; UTC keeps the instant exact
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ChronicleError(
            f"time zone {tz!r} is not in the IANA database; cannot write a TZID", text=tz
        ) from None


def _day(t: Any, tz: str) -> dt.date:
    """The calendar date of instant ``t`` in zone ``tz``."""
    zone = get_zone(tz)
    local = t if t.tzinfo is zone else t.astimezone(zone)
    return dt.date(local.year, local.month, local.day)


def _days(first: dt.date, last: dt.date, exact: bool = True, how: str = "") -> Placement:
    """An all-day event from ``first`` to ``last`` inclusive (DTEND is the day after).

    On 9999-12-31 there is no day after to write: the event gets a DURATION instead.
    """
    if last < dt.date.max:
        return Placement(first, last + _DAY, exact, how)
    return Placement(first, None, exact, how, duration=last - first + _DAY)


def _instant(t: Any) -> dt.timedelta:
    """Instant ``t`` exactly, as time since 0001-01-01 UTC (never overflows, unlike UTC).

    Two aware datetimes in the same zone compare by wall time alone, so ``==`` takes
    01:30 EDT and 01:30 EST (the hour repeated when summer time ends) for one instant.
    """
    off: dt.timedelta | None = t.utcoffset()
    assert off is not None
    wall = dt.datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond)
    return wall - dt.datetime.min - off


def _is_point(w: When | Span) -> bool:
    """``w`` is one instant."""
    lo, hi = w.earliest, w.latest
    return lo is not None and hi is not None and _instant(lo) == _instant(hi)


def _seconds(t: Any, *, up: bool = False) -> int:
    """Instant ``t`` as whole seconds since the epoch (rounded up with ``up``)."""
    ts = float(t.timestamp())
    secs = math.floor(ts)
    return secs + 1 if up and ts > secs else secs


def _clock(secs: int, zone: dt.tzinfo) -> dt.datetime | None:
    """The instant ``secs`` as a plain aware datetime in ``zone`` (fold set), or None.

    None: the instant, or its clock time in ``zone``, is outside years 1 to 9999.
    """
    try:
        return dt.datetime.fromtimestamp(secs, zone)
    except (OverflowError, ValueError, OSError):
        return None


def _ambiguous(t: dt.datetime) -> bool:
    """The clock time of ``t`` occurs twice in its zone (the clocks went back over it)."""
    return t.replace(fold=0).utcoffset() != t.replace(fold=1).utcoffset()


def _needs_utc(t: dt.datetime | None) -> bool:
    """A zoned time a TZID cannot carry exactly: one that occurs twice, or late in 9999.

    RFC 5545 (3.3.5) reads a local time that occurs twice as its first occurrence, so
    the second cannot be written with a TZID; UTC is exact for every reader, so both
    occurrences are written in UTC.
    """
    if t is None or not isinstance(t.tzinfo, ZoneInfo):
        return False
    return _ambiguous(t) or t.replace(tzinfo=None) >= _LAST_ZONED


def _timed(lo: Any, hi: Any, tz: str, instant: dt.timedelta) -> Placement:
    """A timed event from ``lo`` to ``hi`` (``instant`` long when they are equal)."""
    zone = _zone(tz)
    first = _seconds(lo)
    point = _instant(lo) == _instant(hi)  # not lo == hi: that ignores fold in one zone
    last = first + int(instant.total_seconds()) if point else _seconds(hi, up=True)
    start, end = _clock(first, zone), _clock(last, zone)
    if start is None:  # within hours of year 1 or 10000: no DATE-TIME can say it
        d = _day(lo, tz)
        how = "shown as an all-day event: in UTC its time falls outside years 1 to 9999"
        return _days(d, d, False, how)
    if _needs_utc(start) or _needs_utc(end):
        start = start.astimezone(dt.UTC)
        end = _clock(last, dt.UTC)  # in UTC it may still be before year 10000
    if end is None:  # after 9999-12-31: no DTEND can say it
        return Placement(start, None, True, "", duration=dt.timedelta(seconds=last - first))
    return Placement(start, end, True, "")


def place(
    w: When | Span,
    coarse: Mapping[Precision, CoarseDates],
    open_ended: OpenDates,
    instant: dt.timedelta,
) -> Placement | None:
    """Where ``w`` goes in a calendar under these policies, or None when it is skipped."""
    lo, hi, tz = w.earliest, w.latest, w.tz
    if lo is None or hi is None:
        if open_ended == OpenDates.SKIP or (lo is None and hi is None):
            return None
        d = _day(hi if lo is None else lo, tz)
        side = "latest" if lo is None else "earliest"
        return _days(d, d, False, f"shown on the day of its {side} possible date")
    timed = (
        all(x is not None and x.precision.is_instant for x in (w.start, w.end))
        if isinstance(w, Span)
        else w.precision.is_instant
    )
    if timed:
        return _timed(lo, hi, tz, instant)
    first, last = _day(lo, tz), _day(hi, tz)
    if isinstance(w, Span):  # something that lasted: shown over its whole extent
        if w.precision < Precision.DAY and coarse[w.precision] == CoarseDates.SKIP:
            return None
        return _days(first, last)
    if w.precision == Precision.DAY and first == last:
        return _days(first, first)
    policy = coarse[w.precision]  # coarser than a day, or a range of days
    if policy == CoarseDates.SKIP:
        return None
    if policy == CoarseDates.FIRST_DAY:
        return _days(first, first, False, "shown on its first possible day")
    return _days(first, last)


def _length(pl: Placement) -> dt.timedelta:
    """How long the event lasts (by the clock on the wall of UTC, not of its zone)."""
    if pl.end is None:
        assert pl.duration is not None
        return pl.duration
    if isinstance(pl.start, dt.datetime) and isinstance(pl.end, dt.datetime):
        return dt.timedelta(seconds=pl.end.timestamp() - pl.start.timestamp())
    return pl.end - pl.start


# ----------------------------------------------------------------- description


def _stamp(sources: tuple[SourceRef, ...]) -> dt.datetime:
    """DTSTAMP: the latest publication among the sources, in UTC, whole seconds."""
    best: dt.datetime | None = None
    for s in sources:
        pub = s.published
        if pub is None:
            continue
        t = pub.latest if pub.latest is not None else pub.earliest
        if t is not None and (best is None or t > best):
            best = t
    if best is None:
        return _EPOCH
    return dt.datetime.fromtimestamp(math.floor(best.timestamp()), dt.UTC)


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _text(s: str) -> str:
    """TEXT without control characters (RFC 5545 allows none but line breaks).

    CR, CRLF and the Unicode line and paragraph separators become ``\\n`` line breaks.
    """
    if s.isprintable():  # the common case: nothing to remove
        return s
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROLS.sub("", s)


def _line(s: str) -> str:
    """One line of TEXT: line breaks and tabs become spaces."""
    if s.isprintable():
        return s
    return " ".join(_text(s).replace("\t", " ").split("\n"))


def source_line(n: int, s: SourceRef) -> str:
    """``[n] title — publisher, date, locator — url`` for DESCRIPTION."""
    return f"[{n}] {_source_text(s)}"


@functools.lru_cache(maxsize=4096)
def _source_text(s: SourceRef) -> str:
    parts = [s.title]
    published = None if s.published is None else show_when(s.published)
    meta = [x for x in (s.publisher, published, s.locator) if x]
    if meta:
        parts.append(", ".join(meta))
    if s.url:
        parts.append(s.url)
    return " — ".join(_line(p) for p in parts)


def describe_row(row: Row, placement: Placement) -> str:
    """The DESCRIPTION text: date in words, what the calendar shows, facts, sources."""
    lines = [f"Date: {show_when(row.when)} — {describe_when(row.when)}"]
    if placement.how:
        lines.append(f"Calendar: {placement.how}")
    elif isinstance(placement.start, dt.datetime) and _is_point(row.when):
        minutes = int(_length(placement).total_seconds()) // 60
        lines.append(f"Calendar: a point in time, drawn {minutes} minutes long")
    lines.append(f"Kind: {_line(row.kind)}")
    if row.actors:
        lines.append("Actors: " + _line(", ".join(row.actors)))
    if row.quantity is not None:
        q = str(row.quantity)
        if row.quantity.text and row.quantity.text != q:
            q += f" ({row.quantity.text})"
        if row.quantity.as_of is not None:
            q += f", as of {show_when(row.quantity.as_of)}"
        lines.append(f"Quantity: {_line(q)}")
    if row.status:
        lines.append(f"Status: {_line(row.status)}")
    lines.extend(f"Note: {_text(n)}" for n in row.notes)
    if row.sources:
        lines.append("Sources:")
        for n, s in enumerate(row.sources, 1):
            lines.append(source_line(n, s))
            if s.quote:
                lines.append(f"    “{_line(s.quote)}”")
    lines.append(f"Id: {_line(row.id)}")
    return "\n".join(lines)  # every piece is clean TEXT already


def summary(row: Row, placement: Placement) -> str:
    """SUMMARY: the title on one line, after the date in brackets if the calendar can't show it."""
    title = _line(row.title)
    w = row.when
    if not placement.exact or w.approximate or w.uncertain:
        return f"[{show_when(w)}] {title}"
    return title


def uid(key: str) -> str:
    """The stable UID for a row key.

    >>> uid("account/tongyi-launch")
    '5c229465-9d79-509f-9836-8b944dc4c009'
    """
    return str(uuid.uuid5(NAMESPACE, key))


# ----------------------------------------------------------------------- export


def event_fields(row: Row, pl: Placement) -> dict[str, Any]:
    """The keyword arguments of ``icalendar.Event.new`` for one row (what a VEVENT says).

    An event whose end falls after 9999-12-31 has ``end=None`` and a ``duration`` key,
    which ``Event.new`` does not take: :func:`assemble` writes it as DURATION.
    """
    from icalendar.enums import STATUS, TRANSP

    fields = {
        "uid": uid(row.key),
        "summary": summary(row, pl),
        "start": pl.start,
        "end": pl.end,
        "stamp": _stamp(row.sources),
        "description": describe_row(row, pl),
        "categories": list(dict.fromkeys([row.kind, *row.tags])),
        "location": None if row.place is None else _line(row.place),
        "url": row.url,
        "transparency": TRANSP.TRANSPARENT,
        "status": STATUS.TENTATIVE if row.tentative else None,
    }
    if pl.duration is not None:
        fields["duration"] = pl.duration
    return fields


def _order(item: tuple[Row, Placement]) -> tuple[dt.date, tuple[Any, ...], str]:
    """Calendar order: the day shown, then the date's own order, then the key (unique)."""
    row, pl = item
    start = pl.start
    day = start.date() if isinstance(start, dt.datetime) else start
    return day, row.when.sort_key, row.key


@attrs.frozen
class CalendarParts:
    """What a calendar says, computed by chronicle; only icalendar's assembly is left.

    ``header`` and each of ``events`` are keyword arguments of ``Calendar.new`` and
    ``Event.new``; ``window`` the years VTIMEZONEs must cover (None: no timed event).
    """

    header: dict[str, Any]
    hint: str | None  # X-WR-TIMEZONE
    events: list[dict[str, Any]]
    window: tuple[dt.date, dt.date] | None
    tzids: frozenset[str]  # every TZID the events use
    skipped: int


def calendar_parts(
    items: Any,
    *,
    ledger: Ledger | None = None,
    name: str = "chronicle",
    lang: str | None = None,
    coarse: CoarseSpec = CoarseDates.SPAN,
    open_ended: OpenDates | str = OpenDates.BOUND_DAY,
    instant_minutes: int = 30,
    description: str | None = None,
    tz: str | None = None,
) -> CalendarParts:
    """Rows placed, ordered and turned into VEVENT fields (see :func:`to_ics`)."""
    if instant_minutes < 1:
        raise ChronicleError(f"instant_minutes must be at least 1, got {instant_minutes}")
    policy = coarse_policy(coarse)
    open_policy = _open(open_ended)
    instant = dt.timedelta(minutes=instant_minutes)
    items, ledger = items_of(items, ledger)
    placed: list[tuple[Row, Placement]] = []
    skipped = 0
    for r in rows(items, ledger, lang):
        pl = place(r.when, policy, open_policy, instant)
        if pl is None:
            skipped += 1
        else:
            placed.append((r, pl))
    placed.sort(key=_order)
    keys = Counter(r.key for r, _ in placed)
    if len(keys) != len(placed):
        dup = sorted(k for k, n in keys.items() if n > 1)
        raise ChronicleError(
            f"two items share the key {dup[0]!r}; calendar UIDs must be unique", text=dup[0]
        )
    header = {
        "name": _line(name),
        "prodid": PRODID,
        "uid": uid(f"calendar/{name}"),
        "description": None if description is None else _text(description),
    }
    zone = tz if tz is not None else (ledger.tz if ledger is not None else None)
    hint = zone if zone and "/" in zone and zone not in UTC_NAMES else None
    zoned = [
        t
        for _, pl in placed
        for t in (pl.start, pl.end)
        if isinstance(t, dt.datetime) and isinstance(t.tzinfo, ZoneInfo)
    ]
    years = [t.year for t in zoned]
    window = None
    if years:  # zoned times end before _LAST_ZONED, which icalendar can still reach
        last = (
            _LAST_ZONED.date() if max(years) >= _LAST_ZONED.year else dt.date(max(years) + 1, 1, 1)
        )
        window = (dt.date(min(years), 1, 1), last)
    tzids = frozenset(t.tzinfo.key for t in zoned if isinstance(t.tzinfo, ZoneInfo))
    events = [event_fields(r, pl) for r, pl in placed]
    return CalendarParts(header, hint, events, window, tzids, skipped)


def assemble(parts: CalendarParts) -> Calendar:
    """The ``icalendar.Calendar`` for ``parts``, with a VTIMEZONE for every TZID used."""
    from icalendar import Calendar, Event

    cal = Calendar.new(**parts.header)
    if parts.hint:
        cal.add("X-WR-TIMEZONE", parts.hint)  # a hint only; every time also carries a TZID
    for fields in parts.events:
        if "duration" in fields:  # an end after 9999-12-31
            fields = dict(fields)
            duration = fields.pop("duration")
            event = Event.new(**fields)
            event.add("DURATION", duration)
            cal.add_component(event)
        else:
            cal.add_component(Event.new(**fields))
    if parts.window is not None:
        cal.add_missing_timezones(first_date=parts.window[0], last_date=parts.window[1])
        # icalendar skips a zone it cannot build, silently. This is get_missing_tzids()
        # without walking every property again: the TZIDs used are the zones chronicle
        # gave the events' starts and ends.
        present = {str(c["TZID"]) for c in cal.subcomponents if c.name == "VTIMEZONE"}
        missing = parts.tzids - present
        if missing:
            names = ", ".join(sorted(missing))
            raise ChronicleError(
                f"cannot write a VTIMEZONE for {names}; calendar apps would shift these times",
                text=names,
            )
    return cal


def build_calendar(items: Any, **options: Any) -> tuple[Calendar, int]:
    """The ``icalendar.Calendar`` ``to_ics`` serialises, and how many items were skipped."""
    parts = calendar_parts(items, **options)
    return assemble(parts), parts.skipped


def to_ics(
    items: Any,
    *,
    ledger: Ledger | None = None,
    name: str = "chronicle",
    lang: str | None = None,
    coarse: CoarseSpec = CoarseDates.SPAN,
    open_ended: OpenDates | str = OpenDates.BOUND_DAY,
    instant_minutes: int = 30,
    description: str | None = None,
    tz: str | None = None,
) -> bytes:
    """``items`` as the bytes of one ``.ics`` calendar (CRLF, folded at 75 octets).

    ``items`` is a ``Ledger`` (all its accounts) or an iterable of accounts, rows or
    merged events; ``ledger`` supplies actor names and source titles, dates and URLs.
    ``name`` is the calendar's name (NAME, X-WR-CALNAME, and the seed of its UID).
    ``coarse`` is a :class:`CoarseDates` policy, or a mapping from precision to one
    (``{"year": "first-day"}``); ``open_ended`` an :class:`OpenDates` policy.
    ``instant_minutes`` is how long a point in time is drawn. ``tz`` (default the
    ledger's zone) is written as the X-WR-TIMEZONE hint when it is an IANA name.

    Raises :class:`~chronicle.ChronicleError` when two items share a key or a zone
    has no VTIMEZONE.
    """
    parts = calendar_parts(
        items,
        ledger=ledger,
        name=name,
        lang=lang,
        coarse=coarse,
        open_ended=open_ended,
        instant_minutes=instant_minutes,
        description=description,
        tz=tz,
    )
    return bytes(assemble(parts).to_ical())
