"""How items look to people: dates at their own precision, and the row view exporters read.

Dates are printed at the precision they were stated in:

>>> from chronicle import parse_when
>>> show_when(parse_when("2022-36"))
'2022-Q4'
>>> show_when(parse_when("至3月17日下午2点", ref="2023-03-24", tz="Asia/Shanghai"))
'≤ 2023-03-17 14:00 +08'
>>> show_when(parse_when("2022-12/2023-02"))
'2022-12 → 2023-02'
>>> describe_when(parse_when("2022-09~"))
'sometime in 2022-09 (month precision; approximate)'

**The row view.** Every exporter (tables, iCalendar, CSV, Markdown) reads items
through one small, flat record, :class:`Row`: the date (a ``When`` or ``Span``),
title, kind, actor names, quantity, cited sources with their titles, publishers,
dates and URLs, a status, the key calendar UIDs are made from, tags, place and
free-text notes. :func:`rows` turns items into rows with :func:`to_row`, a
``functools.singledispatch`` function with one adapter per item type:

- ``Account`` (+ the ``Ledger`` for actor names and source titles): built in here;
- ``Row``: passed through, so callers can build rows themselves;
- **merged events**: the adapter seam. ``chronicle._merge`` registers its own, e.g.::

      from chronicle._display import Row, RowContext, to_row

      @to_row.register(MergedEvent)
      def _merged_row(event: MergedEvent, ctx: RowContext) -> Row:
          return Row(key=f"event/{event.event}", id=event.event, event=event.event,
                     when=event.when, title=..., kind=...,
                     actors=ctx.actor_names(<actor ids>),
                     sources=ctx.source_refs(<citations of its accounts>),
                     status=str(event.status), tentative=<unresolved or contested>,
                     notes=(<explanation lines>,), accounts=<the ids of its accounts>, ...)

  ``ctx`` (a :class:`RowContext`) carries the ledger (``ctx.ledger``, may be None),
  the language asked for (``ctx.lang``), and cached name and source lookups.

  After that, ``to_table``, ``to_ics``, ``to_csv`` and ``to_markdown`` accept merged
  events unchanged. Use the key ``event/<event key>`` so a calendar entry keeps its
  UID across exports (accounts use ``account/<id>``).
"""

from __future__ import annotations

__all__ = ["Row", "RowContext", "SourceRef", "describe_when", "rows", "show_when", "to_row"]

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from pendulum import DateTime

from ._calendar import UTC_NAMES, Precision, get_zone, is_unit_end, to_us, unit_end
from ._records import Account, Quantity
from ._when import Span, When

if TYPE_CHECKING:
    from ._ledger import Ledger


# ------------------------------------------------------------------------ dates


def _offset(d: DateTime, tz: str) -> str:
    if tz in UTC_NAMES:
        return "UTC"
    off = d.utcoffset()
    assert off is not None
    secs = int(off.total_seconds())
    sign = "-" if secs < 0 else "+"
    secs = abs(secs)
    hh, mm = secs // 3600, (secs % 3600) // 60
    return f"{sign}{hh:02d}" + (f":{mm:02d}" if mm else "")


def _local(dt: DateTime, tz: str) -> DateTime:
    zone = get_zone(tz)
    if dt.tzinfo is zone:  # bounds are normally already in their own zone; skip the work
        return dt
    return dt.in_timezone(zone)


def _unit(dt: DateTime, p: Precision, tz: str) -> str:
    d = _local(dt, tz)
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


def _is_single(w: When) -> bool:
    """``w`` is one unit of its precision (one month, one day, one instant).

    Both bounds are edges of ``w.precision`` units (``When`` checks that), so it is
    enough to compare the calendar fields of the two bounds in ``w``'s zone.
    """
    lo, hi, p = w.earliest, w.latest, w.precision
    if lo is None or hi is None:
        return False
    if p.is_instant:
        return w.is_instant  # the same instant: == would take 01:30 EDT for 01:30 EST
    if p == Precision.WEEK:  # a week can straddle a new year
        return to_us(unit_end(lo, p, get_zone(w.tz))) == w._l  # as instants, fold and all
    a, b = _local(lo, w.tz), _local(hi, w.tz)
    if a.year != b.year:
        return False
    if p == Precision.YEAR:
        return True
    if p == Precision.HALF:
        return (a.month - 1) // 6 == (b.month - 1) // 6
    if p == Precision.QUARTER:
        return (a.month - 1) // 3 == (b.month - 1) // 3
    if p == Precision.MONTH:
        return a.month == b.month
    return a.month == b.month and a.day == b.day


def _hi_precision(w: When) -> Precision:
    hi, p = w.latest, w.precision
    if hi is None or not p.is_instant or is_unit_end(hi, p, get_zone(w.tz)):
        return p
    return Precision.DAY  # "from 10:00, within that day": the upper bound is a day's end


def _when(w: When) -> str:
    p, tz, lo, hi = w.precision, w.tz, w.earliest, w.latest
    if _is_single(w):
        core = _unit(lo, p, tz)  # type: ignore[arg-type]
    elif lo is None:
        core = f"≤ {_unit(hi, _hi_precision(w), tz)}"  # type: ignore[arg-type]
    elif hi is None:
        core = f"≥ {_unit(lo, p, tz)}"
    else:
        core = f"{_unit(lo, p, tz)} – {_unit(hi, _hi_precision(w), tz)}"
    if w.approximate:
        core = "~" + core
    if w.uncertain:
        core += "?"
    return core


@functools.lru_cache(maxsize=16384)
def show_when(w: When | Span) -> str:
    """``w`` as a person would write it, at its own precision.

    Cached: equal ``When``s show the same (``text`` and ``inferred`` are not shown).
    """
    if isinstance(w, Span):
        start = "…" if w.start is None else _when(w.start)
        end = "…" if w.end is None else _when(w.end)
        return f"{start} → {end}"
    return _when(w)


def _words(w: When) -> str:
    p, tz, lo, hi = w.precision, w.tz, w.earliest, w.latest
    if _is_single(w):
        label = _unit(lo, p, tz)  # type: ignore[arg-type]
        if p.is_instant:
            return f"at {label}"
        if p == Precision.DAY:
            return f"on {label}"
        return f"sometime in {label}"
    if lo is None:
        return f"no later than {_unit(hi, _hi_precision(w), tz)}"  # type: ignore[arg-type]
    if hi is None:
        return f"no earlier than {_unit(lo, p, tz)}"
    return f"sometime between {_unit(lo, p, tz)} and {_unit(hi, _hi_precision(w), tz)}"


def _flags(w: When | Span) -> list[str]:
    flags = [f"{w.precision.label} precision"]
    if w.approximate:
        flags.append("approximate")
    if w.uncertain:
        flags.append("uncertain")
    if w.inferred:
        flags.append("partly inferred from context")
    return flags


def describe_when(w: When | Span) -> str:
    """``w`` in words, with its precision and flags, for descriptions and reports.

    >>> from chronicle import parse_when
    >>> describe_when(parse_when("2023-03-16"))
    'on 2023-03-16 (day precision)'
    >>> describe_when(parse_when("2023-03-16/..", tz="Asia/Shanghai"))
    'from 2023-03-16 to an unknown end (day precision)'
    >>> describe_when(parse_when("[..2023-03-17T14:00+08:00]", tz="Asia/Shanghai"))
    'no later than 2023-03-17 14:00 +08 (minute precision)'
    """
    return _describe(w, w.inferred)


@functools.lru_cache(maxsize=16384)
def _describe(w: When | Span, inferred: bool) -> str:
    # ``inferred`` is in the key because When equality ignores it
    if isinstance(w, Span):
        start = "an unknown start" if w.start is None else _words(w.start)
        end = "an unknown end" if w.end is None else _words(w.end)
        start = start.removeprefix("on ").removeprefix("at ")
        end = end.removeprefix("on ").removeprefix("at ")
        text = f"from {start} to {end}"
    else:
        text = _words(w)
    return f"{text} ({'; '.join(_flags(w))})"


# ------------------------------------------------------------------------- rows


@attrs.frozen(kw_only=True)
class SourceRef:
    """One cited source as exporters show it: where a statement comes from."""

    id: str
    title: str
    publisher: str | None = None
    published: When | None = None
    url: str | None = None
    locator: str | None = None
    quote: str | None = None


@attrs.frozen(kw_only=True)
class Row:
    """The flat view of one item (an account or a merged event) that every exporter reads.

    ``key`` is what calendar UIDs are made from (``account/<id>``, ``event/<key>``);
    ``id`` is what a table shows; ``status`` is free text (``planned``, a merge status);
    ``tentative`` marks items a calendar should show as tentative; ``notes`` are extra
    lines for descriptions (a note, a conflict, an explanation).
    """

    key: str
    id: str
    when: When | Span
    title: str
    kind: str
    event: str | None = None
    actors: tuple[str, ...] = ()
    actor_ids: tuple[str, ...] = ()
    quantity: Quantity | None = None
    sources: tuple[SourceRef, ...] = ()
    status: str = ""
    tentative: bool = False
    url: str | None = None
    tags: tuple[str, ...] = ()
    place: str | None = None
    notes: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()


def joined(values: Sequence[str]) -> str:
    """``values`` comma-separated, each once, in their order ("" for none)."""
    if len(values) < 2:
        return values[0] if values else ""
    return ", ".join(dict.fromkeys(values))


class RowContext:
    """What a row adapter needs besides the item: the ledger, the language, lookups.

    One context serves one export, so names and sources are looked up once per id.
    """

    __slots__ = ("_actor_texts", "_names", "_refs", "lang", "ledger")

    def __init__(self, ledger: Ledger | None = None, lang: str | None = None) -> None:
        self.ledger = ledger
        self.lang = lang
        self._names: dict[str, str] = {}
        self._actor_texts: dict[tuple[str, ...], str] = {}
        self._refs: dict[tuple[str, str | None, str | None], SourceRef] = {}

    def actor_name(self, id: str) -> str:
        """The actor's display name (in ``lang`` where given), or the id if unknown."""
        name = self._names.get(id)
        if name is None:
            actor = None if self.ledger is None else self.ledger.actors.get(id)
            name = id if actor is None else actor.name_in(self.lang)
            self._names[id] = name
        return name

    def actor_names(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(map(self.actor_name, ids))

    def actors_text(self, ids: tuple[str, ...]) -> str:
        """The actors' display names, each once, comma-separated (worked out once per
        tuple: accounts of a ledger share a few actor lists)."""
        text = self._actor_texts.get(ids)
        if text is None:
            text = self._actor_texts[ids] = joined(self.actor_names(ids))
        return text

    def source_ref(
        self, source: str, locator: str | None = None, quote: str | None = None
    ) -> SourceRef:
        """A ``SourceRef`` for a citation of ``source``, with the ledger's title, date, URL."""
        key = (source, locator, quote)
        ref = self._refs.get(key)
        if ref is None:
            src = None if self.ledger is None else self.ledger.sources.get(source)
            if src is None:
                ref = SourceRef(id=source, title=source, locator=locator, quote=quote)
            else:
                ref = SourceRef(
                    id=src.id,
                    title=src.title,
                    publisher=src.publisher,
                    published=src.published,
                    url=src.url,
                    locator=locator,
                    quote=quote,
                )
            self._refs[key] = ref
        return ref

    def source_refs(self, citations: Iterable[Any]) -> tuple[SourceRef, ...]:
        """``SourceRef``s for citations (anything with ``source``, ``locator``, ``quote``)."""
        return tuple(self.source_ref(c.source, c.locator, c.quote) for c in citations)


@functools.singledispatch
def to_row(item: Any, ctx: RowContext) -> Row:
    """The :class:`Row` for one item; register an adapter per item type (see the module)."""
    raise TypeError(
        f"cannot export {type(item).__name__} items; register an adapter with "
        "@chronicle._display.to_row.register (see the chronicle._display docstring)"
    )


@to_row.register(Row)
def _row_row(item: Row, ctx: RowContext) -> Row:
    return item


@to_row.register(Account)
def _account_row(item: Account, ctx: RowContext) -> Row:
    sources = ctx.source_refs(item.citations)
    return Row(
        key=f"account/{item.id}",
        id=item.id,
        event=item.event_key,
        when=item.when,
        title=item.title_in(ctx.lang),
        kind=item.kind,
        actors=ctx.actor_names(item.actors),
        actor_ids=item.actors,
        quantity=item.quantity,
        sources=sources,
        status="planned" if item.planned else "",
        tentative=item.planned,
        url=next((s.url for s in sources if s.url), None),
        tags=item.tags,
        place=item.place,
        notes=() if item.note is None else (item.note,),
        accounts=(item.id,),
    )


def items_of(items: Any, ledger: Ledger | None) -> tuple[Iterable[Any], Ledger | None]:
    """(items, ledger): a ``Ledger`` given as items stands for all its accounts."""
    from ._ledger import Ledger

    if isinstance(items, Ledger):
        return items.accounts, ledger if ledger is not None else items
    return items, ledger


def rows(items: Any, ledger: Ledger | None = None, lang: str | None = None) -> list[Row]:
    """Rows for ``items`` (a ``Ledger``, or accounts, rows, merged events ...), in order."""
    its, led = items_of(items, ledger)
    ctx = RowContext(led, lang)
    return [to_row(i, ctx) for i in its]
