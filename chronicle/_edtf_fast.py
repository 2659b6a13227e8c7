"""The fast path for the commonest EDTF texts: built straight from their digits.

``parse_when`` and the bulk JSON Lines loader try :func:`fast_when` first; anything it
does not cover raises :class:`NotCanonical` and is read by ``chronicle._edtf``. The
results are equal in every field (``tests/test_fastload.py`` checks it with hypothesis).
"""

from __future__ import annotations

__all__ = ["NotCanonical", "fast_when"]

import datetime as _dt
import re
from typing import Any

from pendulum import DateTime as _DateTime

from ._calendar import Precision, days_in_month, get_zone, offset_name, plain_us
from ._when import When


class NotCanonical(Exception):
    """The text is not one of the forms :func:`fast_when` builds directly."""


_CANON = re.compile(
    r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
    r"(Z|[+-][0-9]{2}:[0-9]{2}))?)?)?([~?%]?)"  # ASCII digits only: \d is any script's
)
_EPOCH_ORD = _dt.date(1970, 1, 1).toordinal()
_datetime = _dt.datetime
_UTC = _dt.UTC
_FLAGS = {"": (False, False), "~": (True, False), "?": (False, True), "%": (True, True)}


def _wall(zone: Any, y: int, mo: int, d: int, h: int, mi: int, s: int, us: int) -> tuple[Any, int]:
    """(DateTime, µs since the epoch) for an unambiguous wall time, as ``_calendar.wall`` makes it."""
    stamp = plain_us(
        zone, _datetime(y, mo, d, h, mi, s, us), _datetime(y, mo, d, h, mi, s, us, fold=1)
    )
    if stamp is None:
        raise NotCanonical  # in a DST gap or fold: leave it to the calendar code
    return _DateTime(y, mo, d, h, mi, s, us, tzinfo=zone), stamp


def _make_when(
    e: Any, e_us: int, l: Any, l_us: int, p: Precision, tz: str, q: str, text: str
) -> When:
    approximate, uncertain = _FLAGS[q]
    return When._unchecked(e, l, p, tz, approximate, uncertain, text, e_us=e_us, l_us=l_us)


def fast_when(text: str, tz: str) -> When:
    """``parse_when(text, tz=tz)`` for the common canonical EDTF forms, built directly.

    Covers ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` and ``YYYY-MM-DDThh:mm[:ss]`` with ``Z`` or
    an offset (kept in ``tz`` when it agrees with ``tz`` at that instant, else in that
    offset), each optionally followed by ``~``, ``?`` or ``%``; anything else (and a wall
    time of ``tz`` in a DST gap or fold) raises
    ``NotCanonical`` so the caller reads it the long way. The result equals ``parse_when``'s
    in every field (``tests/test_fastload.py`` checks this with hypothesis).
    """
    m = _CANON.fullmatch(text)
    if m is None:
        raise NotCanonical
    ys, mos, ds, hs, mis, ss, zs, q = m.groups()
    y = int(ys)
    if y < 1:
        raise NotCanonical
    zone = get_zone(tz)
    if mos is None:
        e, e_us = _wall(zone, y, 1, 1, 0, 0, 0, 0)
        l, l_us = _wall(zone, y, 12, 31, 23, 59, 59, 999_999)
        return _make_when(e, e_us, l, l_us, Precision.YEAR, tz, q, text)
    mo = int(mos)
    if not 1 <= mo <= 12:
        raise NotCanonical
    last = days_in_month(y, mo)
    if ds is None:
        e, e_us = _wall(zone, y, mo, 1, 0, 0, 0, 0)
        l, l_us = _wall(zone, y, mo, last, 23, 59, 59, 999_999)
        return _make_when(e, e_us, l, l_us, Precision.MONTH, tz, q, text)
    d = int(ds)
    if not 1 <= d <= last:
        raise NotCanonical
    if hs is None:
        e, e_us = _wall(zone, y, mo, d, 0, 0, 0, 0)
        l, l_us = _wall(zone, y, mo, d, 23, 59, 59, 999_999)
        return _make_when(e, e_us, l, l_us, Precision.DAY, tz, q, text)
    h, mi, s = int(hs), int(mis), int(ss) if ss else 0
    if h > 23 or mi > 59 or s > 59:
        raise NotCanonical
    if zs == "Z":
        given = 0
    else:
        oh, om = int(zs[1:3]), int(zs[4:6])
        if oh > 23 or om > 59:  # not an offset: parse_when says so, pointing at it
            raise NotCanonical
        given = (oh * 3600 + om * 60) * (-1 if zs[0] == "-" else 1)
    naive = _datetime(y, mo, d, h, mi, s)
    stamp = ((naive.toordinal() - _EPOCH_ORD) * 86_400 + h * 3600 + mi * 60 + s - given) * 1_000_000
    p = Precision.MINUTE if ss is None else Precision.SECOND
    # ``tz``'s offset at that instant
    try:
        at = (
            (naive - _dt.timedelta(seconds=given)).replace(tzinfo=_UTC).astimezone(zone).utcoffset()
        )
    except OverflowError:  # beyond 0001-01-01 or 9999-12-31, in UTC or in ``tz``
        raise NotCanonical from None
    if at is None or at.microseconds:
        raise NotCanonical
    if at.days * 86_400 + at.seconds != given:
        # another zone's offset: the instant is kept in that offset ("Z": UTC), as
        # ``parse_when`` keeps it when the offset disagrees with ``tz``
        name = "UTC" if zs == "Z" else offset_name(given)
        inst = _DateTime(y, mo, d, h, mi, s, tzinfo=get_zone(name))
        return _make_when(inst, stamp, inst, stamp, p, name, q, text)
    # read in ``tz``, the wall time must be that instant, unambiguously (else: parse_when)
    off = zone.utcoffset(naive)
    if off != at or off != zone.utcoffset(_datetime(y, mo, d, h, mi, s, fold=1)):
        raise NotCanonical
    inst = _DateTime(y, mo, d, h, mi, s, tzinfo=zone)
    return _make_when(inst, stamp, inst, stamp, p, tz, q, text)
