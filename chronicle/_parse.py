"""``parse_when``: read EDTF, English or Chinese date text into a ``When`` or ``Span``."""

from __future__ import annotations

__all__ = ["Ref", "normalize_text", "parse_when", "to_ref"]

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

import attrs
import pendulum

from ._calendar import Precision, get_zone, unit_start
from ._edtf_fast import NotCanonical, fast_when
from ._when import Span, When
from .errors import ChronicleError, ParseError, ReferenceRequired

MAX_LENGTH = 200


@attrs.frozen(cache_hash=True)  # a key of parse_when's cache: hashed on every call
class Ref:
    """The reference date relative forms are read against, and how precisely it is known.

    ``precision`` is the precision of the source's publication date: "去年" needs only
    the year, "上个月" the month, "昨天" the day.
    """

    date: pendulum.Date
    precision: Precision = Precision.DAY
    tz: str | None = None
    vague: str | None = None
    """Why the reference cannot anchor anything (it is open, or spans years), or None."""
    approximate: bool = False
    uncertain: bool = False
    """The reference date is approximate (``~``) or uncertain (``?``): so is what counts
    from its day or month (a year counted from an approximate day is not)."""


RefLike = Ref | When | Span | _dt.date | str | None


def to_ref(ref: RefLike) -> Ref | None:
    """Normalise what callers pass as ``ref`` (a date, an ISO string, a When) to a ``Ref``.

    A ``When`` anchors relative forms only as far as both its bounds agree, read in its
    own zone: a source published "2023" anchors "去年" but not "上个月", and one
    published "[2023-01..2023-03-24]" anchors "今年" but not "上个月". An open-ended
    one ("[..2023-03-24]", published no later than that) anchors nothing: reading
    "去年" against it would be a guess.
    """
    if ref is None or isinstance(ref, Ref):
        return ref
    return _ref_of(ref)


@lru_cache(maxsize=4096)
def _ref_of(ref: When | Span | _dt.date | str) -> Ref:
    """``to_ref`` for one value (cached: a ledger has few distinct publication dates)."""
    if isinstance(ref, (When, Span)):
        zone = get_zone(ref.tz)
        lo, hi = ref.earliest, ref.latest
        some = lo if lo is not None else hi
        assert some is not None
        d = some.in_timezone(zone)
        day = pendulum.Date(d.year, d.month, d.day)
        if lo is None or hi is None:
            why = f"it is open-ended ({ref.to_edtf()})"
            return Ref(day, Precision.YEAR, ref.tz, vague=why)
        a, b = lo.in_timezone(zone), hi.in_timezone(zone)
        if a.year != b.year:
            return Ref(day, Precision.YEAR, ref.tz, vague=f"it spans years ({ref.to_edtf()})")
        if (a.month, a.day) == (b.month, b.day):
            agreed = Precision.DAY
        elif a.month == b.month:
            agreed = Precision.MONTH
        elif (a.month - 1) // 3 == (b.month - 1) // 3:
            agreed = Precision.QUARTER
        else:
            agreed = Precision.YEAR
        return Ref(
            day,
            min(ref.precision, agreed),
            ref.tz,
            approximate=getattr(ref, "approximate", False),
            uncertain=getattr(ref, "uncertain", False),
        )
    if isinstance(ref, _dt.datetime):
        return Ref(pendulum.Date(ref.year, ref.month, ref.day), Precision.DAY)
    if isinstance(ref, _dt.date):
        return Ref(pendulum.Date(ref.year, ref.month, ref.day), Precision.DAY)
    if isinstance(ref, str):
        return _ref_of(parse_when(ref))
    raise TypeError(f"ref must be a date, an ISO date string or a When, not {type(ref).__name__}")


_SPACES = re.compile(r"\s+")
_EDTF_SHAPED = re.compile(r"^(?:\[|\.\.|Y?[\dX]{4}(?:-|$|[?~%/])|[\dX]+/)")


def normalize_text(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), collapse spaces, strip."""
    if text.isascii() and " " not in text and text.isprintable():
        return text  # the common case for EDTF: nothing to do
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def parse_when(
    text: str,
    *,
    ref: RefLike = None,
    tz: str | None = None,
    floor: When | Span | str | None = None,
) -> When | Span:
    """Read ``text`` as a ``When`` (or a ``Span`` for things that last).

    ``ref`` anchors relative forms ("去年9月", "3月16日", "last month"); ``tz`` is
    the zone calendar units are read in when the text names none (default UTC).
    The verbatim ``text`` is kept on the result.

    ``floor`` closes the open start of a "by X" date with what the caller knows: the
    earliest it can have happened (a ``When``, or a text read with the same ``ref``
    and ``tz``; its earliest bound is used, down to the start of the date's unit: a
    floor in mid-2000 closes "by 2000" on 1 January). The result is then ``inferred``.
    A date with a start of its own is returned as it is; a floor after it is an error.

    >>> w = parse_when("去年9月", ref="2023-03-24", tz="Asia/Shanghai")
    >>> w.to_edtf(), w.precision.label, w.inferred
    ('2022-09', 'month', True)
    >>> w.earliest.isoformat()
    '2022-09-01T00:00:00+08:00'
    >>> parse_when("至3月17日下午2点", ref="2023-03-24", tz="Asia/Shanghai").to_edtf()
    '[..2023-03-17T14+08:00]'
    >>> parse_when("至3月17日下午2点", ref="2023-03-24", tz="Asia/Shanghai", floor="3月16日").to_edtf()
    '[2023-03-16T00+08:00..2023-03-17T14+08:00]'
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_when() takes a str, not {type(text).__name__}")
    result = _parse_cached(text, to_ref(ref), "UTC" if tz is None else tz)
    if floor is None:
        return result
    return _with_floor(result, floor, ref, tz)


def _with_floor(
    w: When | Span, floor: When | Span | str, ref: RefLike, tz: str | None
) -> When | Span:
    """``w`` with its open start closed at ``floor``'s earliest bound (see ``parse_when``)."""
    if isinstance(floor, str):
        written = floor
        try:
            floor = parse_when(written, ref=ref, tz=tz)
        except ReferenceRequired as e:
            raise ReferenceRequired(
                f"the floor {written!r} is relative and needs a reference date: {e.message}",
                text=written,
            ) from None
        except ParseError as e:
            raise ParseError(f"the floor {written!r}: {e.message}", text=written) from None
    if not isinstance(floor, When | Span):
        raise TypeError(f"floor must be a When, a Span or a str, not {type(floor).__name__}")
    start = floor.earliest
    if start is None:
        raise ParseError(
            f"the floor {floor.to_edtf()!r} has no earliest bound to close a date with",
            text=floor.text or floor.to_edtf(),
        )
    if w.latest is not None and start > w.latest:  # before rounding: 14:30 is after 14:00
        raise ParseError(
            f"the floor {floor.to_edtf()!r} is after {w.to_edtf()!r}: nothing is left between them",
            text=w.text or w.to_edtf(),
        )
    if not isinstance(w, When) or w.earliest is not None:
        return w
    zone = get_zone(w.tz)
    try:
        start = unit_start(start.in_timezone(zone), w.precision, zone)  # bounds are unit edges
        if start.in_timezone("UTC").year < 1:  # what no date text can say (nor read back)
            raise ValueError("before year 1 in UTC")
        closed = attrs.evolve(w, earliest=start, inferred=True)
    except (OverflowError, ValueError) as e:  # near year 1, in the date's zone
        raise ParseError(
            f"the floor {floor.to_edtf()!r} is too early to close {w.to_edtf()!r} in {w.tz}",
            text=w.text or w.to_edtf(),
        ) from e
    return closed


_CACHE: dict[str, dict[Ref | None, dict[str, When | Span]]] = {}
_CACHE_MAX = 1 << 17
_cached = 0


def clear_cache() -> None:
    """Forget every date read so far (benchmarks time reading, not remembering)."""
    global _cached
    _CACHE.clear()
    _cached = 0


def _parse_cached(text: str, ref: Ref | None, tz: str) -> When | Span:
    """``_parse`` remembered by zone, then reference, then text.

    Dates repeat across a ledger ("2023-03-24" in every source), so each is read once.
    Nested dicts rather than ``functools.lru_cache``: a hit allocates nothing (no key
    tuple, no LRU link), so reading many dates gives the garbage collector no extra
    objects to track; when full, the cache is emptied and fills again.
    """
    global _cached
    by_ref = _CACHE.get(tz)
    if by_ref is not None:
        by_text = by_ref.get(ref)
        if by_text is not None:
            hit = by_text.get(text)
            if hit is not None:
                return hit
    result = _parse(text, ref, tz)  # errors are not remembered: each says where it is
    if _cached >= _CACHE_MAX:
        clear_cache()
    _CACHE.setdefault(tz, {}).setdefault(ref, {})[text] = result
    _cached += 1
    return result


def _parse(text: str, ref: Ref | None, tz: str) -> When | Span:
    get_zone(tz)  # an unknown zone is the caller's error, reported before anything else
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"cannot read a date from {len(text)} characters of text "
            f"(dates are at most {MAX_LENGTH}); starts {text[:40]!r}",
            text=text[:MAX_LENGTH],
        )
    norm = normalize_text(text)
    if not norm:
        raise ParseError("empty date text", text=text, position=0)
    try:  # the commonest EDTF forms, built straight from their digits
        return _keep_text(fast_when(norm, tz), text)
    except NotCanonical:
        pass
    from ._edtf import looks_like_edtf, parse_edtf

    if looks_like_edtf(norm):
        try:
            result = parse_edtf(norm, tz=tz, wording=text)
        except ParseError as edtf_error:
            try:
                result = _natural(norm, ref, tz)
            except ChronicleError as natural_error:
                # report the reading the text most looks like
                best = edtf_error if _EDTF_SHAPED.match(norm) else natural_error
                raise _with_text(best, text) from None  # type: ignore[arg-type]
    else:
        try:
            result = _natural(norm, ref, tz)
        except ParseError as e:
            raise _with_text(e, text) from None
    return _keep_text(result, text)


def _natural(norm: str, ref: Ref | None, tz: str) -> When | Span:
    from ._natural import parse_natural

    return parse_natural(norm, ref=ref, tz=tz)


def _with_text(error: ParseError, original: str) -> ParseError:
    """The same error, pointing into the caller's original text when it was normalised."""
    if error.text == original:
        return error
    error.text = original if len(original) == len(error.text or "") else error.text
    return error


def _keep_text(result: When | Span, text: str) -> When | Span:
    """``result`` with its original wording."""
    return result if result.text == text else result.with_text(text)
