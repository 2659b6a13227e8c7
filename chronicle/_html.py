"""A chronology as one self-contained HTML page: an honest timeline picture.

:func:`to_html` draws accounts or merged events on a horizontal time axis, in
swimlanes by actor or by kind, each at the extent its bounds allow (how to read it:
``docs/timeline.md``):

- a **point** for a day (circle) or a clock time (diamond);
- a **light bar** over the whole unit for coarser dates (a month, a quarter, a year,
  a range of days): the thing happened *sometime* within it;
- a **solid bar** for something that lasts (a ``Span``), between the latest possible
  start and the earliest possible end: it was going on *throughout*;
- a **fade with a chevron** where a bound is open: "by 17 Mar" fades out to the left
  of its known end, "after Jan" to the right of its known start;
- **dashed** outlines and a ``~`` for approximate dates, a ``?`` for uncertain ones;
- for a merged event whose date is in conflict, every competing reading as a dashed
  **ghost**, the chosen one drawn solid, and a ``≠ status`` mark after the label.

Hovering (or focusing) an event shows its date as written, its date in words, its
figure, status, the explanation of a merge and its sources (titles, publishers,
links); clicking pins that box so its links can be followed.

The page is hand-written SVG, CSS and a little vanilla JavaScript, all inline: no
network at view time. Python lays the picture out at zoom 1, so it reads without
scripts; the script adds zoom (buttons, ``+``/``-``, ctrl + wheel), re-packs the
rows at each zoom, redraws the axis ticks (precomputed here in the chronology's
zone, so the browser needs no calendar arithmetic) and shows the details.

Items are read through the row view (:mod:`chronicle._display`): titles, actor names,
figures and sources are the same as in every other export.
"""

from __future__ import annotations

__all__ = ["to_html"]

import datetime as dt
import html
import json
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pendulum
from pendulum import DateTime

from ._calendar import Precision, get_zone, to_us, unit_start, wall
from ._display import Row, RowContext, describe_when, items_of, show_when, to_row
from ._merge_result import MergedEvent, MergedValue, Status
from ._records import Account
from ._version import __version__
from ._when import Span, When
from .errors import ChronicleError

if TYPE_CHECKING:
    from ._ledger import Ledger

Lanes = Literal["actor", "kind"]

# -------------------------------------------------------------------- geometry
# Lengths in CSS pixels. Time maps to x at zoom 1 over a plot _W0 wide; the script
# multiplies time positions by the zoom and leaves pixel lengths (marks, fades,
# labels) alone.

_W0 = 1200.0  # plot width at zoom 1
_PAD = 72.0  # room at each end of the plot (fades and labels of the first/last events)
_ROW = 22  # one row of a lane
_LANE_PAD = 5  # above and below a lane's rows
_LANE_W = 190  # the lane-name column
_AXIS_H = 42
_BAR_H = 10
_R = 5.0  # radius of a point
_FADE = 46.0  # length of the fade drawn for an open bound
_GLYPH = 9.0  # room for a "~" or "?" beside a mark
_GAP = 6.0  # between a mark and its label
_FONT = 12  # label size
_CELL = 6.6  # px per terminal cell of a label at _FONT (a CJK character is two cells)
_LABEL_MAX = 250.0  # longest label, px
_LABELS_UP_TO = 600  # more events than this: labels start hidden (compact rows)
_MAX_TICKS = 4000  # a tick level with more ticks is never offered
_TICK_MIN = 46.0  # the finest tick level whose ticks are at least this far apart

_PALETTE = (
    "#4e79a7",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#9c755f",
    "#edc948",
    "#ff9da7",
    "#79706e",
    "#8cd17d",
    "#499894",
    "#d4a6c8",
    "#86bcb6",
)
_STATUS_COLOUR = {
    "pinned": "#1f4e9c",
    "resolved": "#1f4e9c",
    "contested": "#c25e00",
    "unresolved": "#c62828",
}
_GHOST = "#8a8a8a"


# ---------------------------------------------------------------------- model


@attrs.frozen(kw_only=True)
class _Reading:
    """One competing date of a conflict, with the accounts that give it."""

    when: When | Span
    accounts: tuple[str, ...]
    chosen: bool


@attrs.frozen(kw_only=True)
class _Entry:
    """One drawn item: its row, where it goes, and what merging said about it."""

    row: Row
    lane: str
    lane_name: str
    status: str = ""  # a merge status; "" for an account
    conflict: str = ""  # the event's status when its accounts conflict (pinned .. unresolved)
    planned: bool = False
    flags: tuple[str, ...] = ()
    readings: tuple[_Reading, ...] = ()
    explanation: tuple[str, ...] = ()


def to_html(
    items: Any,
    *,
    ledger: Ledger | None = None,
    lanes: Lanes = "actor",
    title: str | None = None,
    lang: str | None = None,
) -> str:
    """The chronology as one self-contained HTML page (a timeline picture).

    ``items`` is a ``Ledger`` (all its accounts), accounts, a merged ``Timeline`` or
    merged events. ``ledger`` gives actor names, source titles and, for merged events,
    the accounts whose competing dates a conflict shows. ``lanes`` is ``"actor"``
    (one lane per main actor, an organisation's parts next to it) or ``"kind"``.
    ``lang`` picks translated titles and actor names; ``title`` heads the page.
    See ``docs/timeline.md`` for how to read the picture.
    """
    if lanes not in ("actor", "kind"):
        raise ChronicleError(f"unknown lanes {lanes!r}; choose 'actor' or 'kind'", text=str(lanes))
    its, led = items_of(items, ledger)
    ctx = RowContext(led, lang)
    entries = [_entry(item, ctx, led, lanes) for item in its]
    entries.sort(key=lambda e: (e.row.when.sort_key, e.row.key))
    return _Page(entries, led, lanes, title or "Chronology", lang).render()


def _row(item: Any, ctx: RowContext) -> Row:
    if isinstance(item, MergedEvent):
        from . import _merge_row  # noqa: F401  (registers the merged-event row adapter)
    return to_row(item, ctx)


def _has(led: Ledger, account: str) -> bool:
    try:
        led.account(account)
    except KeyError:
        return False
    return True


def _entry(item: Any, ctx: RowContext, led: Ledger | None, lanes: Lanes) -> _Entry:
    row = _row(item, ctx)
    if lanes == "kind":
        lane, name = row.kind, row.kind
    else:
        lane = _main_actor(item, row, led)
        name = ctx.actor_name(lane) if lane else "(no actor)"
    if not isinstance(item, MergedEvent):
        planned = item.planned if isinstance(item, Account) else row.status == "planned"
        return _Entry(row=row, lane=lane, lane_name=name, planned=planned, explanation=row.notes)
    dates = [f for f in item.fields if f.field in ("when", "start", "end")]
    conflicts = [f for f in dates if f.status.is_conflict]
    return _Entry(
        row=row,
        lane=lane,
        lane_name=name,
        status=str(item.status),
        conflict=str(item.status) if item.status.is_conflict else "",
        planned=item.planned,
        flags=tuple(str(f) for f in item.all_flags),
        readings=tuple(r for f in conflicts for r in _readings(f, led)),
        explanation=tuple(dict.fromkeys((*row.notes, *item.explain().splitlines()[1:]))),
    )


def _main_actor(item: Any, row: Row, led: Ledger | None) -> str:
    """The lane of an item: its first actor; for a merged event, its accounts' usual first."""
    if not row.actor_ids:
        return ""
    if isinstance(item, MergedEvent) and led is not None:
        firsts = Counter(
            led.account(a).actors[0]
            for a in item.accounts
            if _has(led, a) and led.account(a).actors
        )
        ranked = sorted(firsts, key=lambda x: (-firsts[x], x))
        for x in ranked:
            if x in row.actor_ids:
                return x
    return row.actor_ids[0]


def _part(w: When | Span, field: str) -> When | Span | None:
    if field == "when":
        return w
    if isinstance(w, Span):
        return w.start if field == "start" else w.end
    return w if field == "start" else None


def _readings(f: MergedValue, led: Ledger | None) -> Iterator[_Reading]:
    """The competing dates of a conflicted date field, from the ledger's accounts."""
    if led is None:
        return
    from ._merge_values import hull_when, meet_when

    groups = [c.accounts for c in f.candidates]
    if len(groups) < 2:  # a near-miss: one reading made of differing accounts; show each
        groups = [(c.account,) for c in f.claims]
    seen: set[Any] = set()
    for accounts in groups:
        parts = [_part(led.account(a).when, f.field) for a in accounts if _has(led, a)]
        whens = [p for p in parts if isinstance(p, When)]
        if not whens:
            continue
        w = meet_when(whens) or hull_when(whens)
        if w.sort_key in seen:
            continue
        seen.add(w.sort_key)
        chosen = f.status is not Status.UNRESOLVED and w == f.value
        yield _Reading(when=w, accounts=tuple(accounts), chosen=chosen)


# ------------------------------------------------------------------------ text


def _clean(text: str) -> str:
    """One line of text with control, bidi-override and invisible format characters shown."""
    from ._table import clean

    return clean(text)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _px(text: str) -> float:
    """About how wide ``text`` is in a label (a wide character takes two cells)."""
    return sum(
        2 * _CELL if unicodedata.east_asian_width(ch) in "WF" else _CELL
        for ch in text
        if not unicodedata.combining(ch)
    )


def _cut(text: str, limit: float) -> str:
    """``text`` cut to about ``limit`` px, ending in ``…`` when cut."""
    if _px(text) <= limit:
        return text
    out: list[str] = []
    used = _CELL  # the ellipsis
    for ch in text:
        used += _px(ch)
        if used > limit:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def _num(x: float) -> str:
    """A coordinate, short: 12.5, 3, -0.25."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _json(data: Any) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>``, ``&`` or line separators raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


def _safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link; anything else (``javascript:`` ...) is not linked."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


# ---------------------------------------------------------------------- scale


@attrs.frozen
class _Scale:
    """Time (µs since the epoch) to x at zoom 1."""

    t0: int
    t1: int

    @classmethod
    def of(cls, entries: Sequence[_Entry]) -> _Scale:
        known = [
            b
            for e in entries
            for w in (e.row.when, *(r.when for r in e.readings))
            for b in _bounds(w)
        ]
        if not known:
            now = to_us(pendulum.datetime(2000, 1, 1))
            return cls(now, now + 86_400_000_000)
        lo, hi = min(known), max(known)
        span = max(hi - lo, 86_400_000_000)  # at least a day
        mid = (lo + hi) // 2
        if hi - lo < span:
            lo, hi = mid - span // 2, mid + span // 2
        return cls(lo, hi)

    @property
    def per_px(self) -> float:
        """µs per px at zoom 1."""
        return (self.t1 - self.t0) / (_W0 - 2 * _PAD)

    def x(self, dt: DateTime) -> float:
        return _PAD + (to_us(dt) - self.t0) / self.per_px

    def time(self, x: float) -> int:
        return int(self.t0 + (x - _PAD) * self.per_px)


_FIRST_S = -62_135_510_400.0  # 0001-01-02T00:00Z: a day inside the calendar at either end
_LAST_S = 253_402_128_000.0  # 9999-12-30T00:00Z


def _local(seconds: float, zone: Any) -> DateTime:
    """The instant ``seconds`` after the epoch (kept within years 1..9999), in ``zone``."""
    clamped = min(max(seconds, _FIRST_S), _LAST_S)
    return pendulum.from_timestamp(clamped).in_timezone(zone)


def _bounds(w: When | Span) -> Iterator[int]:
    ends: Iterable[When | None] = (w.start, w.end) if isinstance(w, Span) else (w,)
    for p in ends:
        if p is not None:
            for b in (p.earliest, p.latest):
                if b is not None:
                    yield to_us(b)


# ---------------------------------------------------------------------- marks


@attrs.define
class _Geom:
    """SVG of one event's marks, and its extent: time x (zoom 1) plus pixels either side."""

    parts: list[str] = attrs.Factory(list)
    xl: float = math.inf
    xr: float = -math.inf
    pl: float = 0.0
    pr: float = 0.0

    def reach(self, xl: float, xr: float, pl: float, pr: float) -> None:
        self.xl, self.xr = min(self.xl, xl), max(self.xr, xr)
        self.pl, self.pr = max(self.pl, pl), max(self.pr, pr)


def _side(g: _Geom, lw: float, k: float, labels: bool) -> tuple[str, float, float]:
    """Where an event's label goes at zoom ``k`` -- right of it, left of it, or inside a
    long bar that leaves room on neither side -- and the event's left and right ends (px).

    The script does the same at every zoom (``layout`` in ``_SCRIPT``).
    """
    left, right = g.xl * k - g.pl, g.xr * k + g.pr
    if not labels:
        return "r", left, right
    if right + _GAP + lw <= _W0 * k:
        return "r", left, right + _GAP + lw
    if left - _GAP - lw >= 0:
        return "l", left - _GAP - lw, right
    return "i", left, max(right, g.xl * k + 4 + lw)


def _at(x: float, inner: str) -> str:
    """``inner`` (pixel-sized) placed at time x: it moves with the zoom but does not stretch."""
    return f'<g transform="translate({_num(x)},0)"><g class="u">{inner}</g></g>'


def _is_point(w: When) -> bool:
    if w.earliest is None or w.latest is None:
        return False
    if w.precision.is_instant:
        return w.is_instant  # the same instant: == would take 01:30 EDT for 01:30 EST
    if w.precision != Precision.DAY:
        return False
    zone = get_zone(w.tz)
    return bool(w.earliest.in_timezone(zone).date() == w.latest.in_timezone(zone).date())


def _point(w: When, x: float, cls: str) -> str:
    if w.precision.is_instant:
        r = _R + 1
        shape = f'<path class="{cls}" d="M0 {-r}L{r} 0L0 {r}L{-r} 0Z"/>'
    else:
        shape = f'<circle class="{cls}" r="{_num(_R)}"/>'
    return _at(x, shape)


def _fade(x: float, left: bool, grad: str, cls: str) -> str:
    """An open bound at x: a bar fading out away from x, a chevron at its far end, a cap."""
    f, h = _FADE, _BAR_H / 2
    if left:
        bar = f'<rect class="fade" x="{-f}" y="{-h}" width="{f}" height="{_BAR_H}" fill="url(#{grad})"/>'
        chev = f'<path class="chev {cls}" d="M{-f + 5} {-h}L{-f} 0L{-f + 5} {h}"/>'
    else:
        bar = (
            f'<rect class="fade" x="0" y="{-h}" width="{f}" height="{_BAR_H}" fill="url(#{grad})"/>'
        )
        chev = f'<path class="chev {cls}" d="M{f - 5} {-h}L{f} 0L{f - 5} {h}"/>'
    cap = f'<path class="cap {cls}" d="M0 {-h - 2}V{h + 2}"/>'
    return _at(x, bar + chev + cap)


def _range(x0: float, x1: float, cls: str) -> str:
    """A bar over time x0..x1 (it stretches with the zoom)."""
    h = _BAR_H / 2
    return (
        f'<rect class="{cls}" x="{_num(x0)}" y="{-h}" width="{_num(max(x1 - x0, 0.0))}" '
        f'height="{_BAR_H}"/>'
    )


def _draw_when(w: When, sc: _Scale, g: _Geom, style: str, grad: str) -> None:
    """Marks for one ``When``: a point, a "sometime within" bar, or a fade at an open bound."""
    lo = None if w.earliest is None else sc.x(w.earliest)
    hi = None if w.latest is None else sc.x(w.latest)
    mk = f"mk {style}"
    if lo is not None and hi is not None:
        if _is_point(w):
            c = (lo + hi) / 2
            if hi - lo > 0:  # the day itself, visible when zoomed in
                g.parts.append(_range(lo, hi, f"day {style}"))
            g.parts.append(_point(w, c, mk))
            g.reach(c, c, _R + 1, _R + 1)
        else:
            g.parts.append(_range(lo, hi, f"{mk} within"))
            g.reach(lo, hi, 1, 1)
    elif hi is not None:
        g.parts.append(_fade(hi, True, grad + "l", mk))
        g.reach(hi, hi, _FADE + 2, 2)
    elif lo is not None:
        g.parts.append(_fade(lo, False, grad + "r", mk))
        g.reach(lo, lo, 2, _FADE + 2)


def _draw(w: When | Span, sc: _Scale, g: _Geom, style: str, grad: str) -> None:
    if isinstance(w, When):
        _draw_when(w, sc, g, style, grad)
        return
    start, end = w.start, w.end
    for part in (start, end):
        if part is not None and not part.is_open:
            _draw_when(part, sc, g, style, grad)
    # the stretch it certainly lasted: from the latest start to the earliest end
    a = None if start is None or start.latest is None else sc.x(start.latest)
    b = None if end is None or end.earliest is None else sc.x(end.earliest)
    if a is not None and b is not None and b > a:
        g.parts.append(_range(a, b, f"mk {style} lasting"))
        g.reach(a, b, 1, 1)
    # an open end fades away from the nearest known instant of the span
    if w.earliest is None:
        x = _first(a, b, None if end is None or end.latest is None else sc.x(end.latest))
        if x is not None:
            g.parts.append(_fade(x, True, grad + "l", f"mk {style}"))
            g.reach(x, x, _FADE + 2, 2)
    if w.latest is None:
        x = _first(b, a, None if start is None or start.earliest is None else sc.x(start.earliest))
        if x is not None:
            g.parts.append(_fade(x, False, grad + "r", f"mk {style}"))
            g.reach(x, x, 2, _FADE + 2)


def _first(*xs: float | None) -> float | None:
    return next((x for x in xs if x is not None), None)


# ----------------------------------------------------------------------- ticks


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# name, precision of its unit, step in units, average µs per tick, its context row
_LEVELS: tuple[tuple[str, Precision, int, float, str], ...] = (
    ("y100", Precision.YEAR, 100, 100 * 365.2425 * 86400e6, ""),
    ("y50", Precision.YEAR, 50, 50 * 365.2425 * 86400e6, ""),
    ("y10", Precision.YEAR, 10, 10 * 365.2425 * 86400e6, ""),
    ("y5", Precision.YEAR, 5, 5 * 365.2425 * 86400e6, ""),
    ("y2", Precision.YEAR, 2, 2 * 365.2425 * 86400e6, ""),
    ("y1", Precision.YEAR, 1, 365.2425 * 86400e6, ""),
    ("q", Precision.QUARTER, 1, 91.31 * 86400e6, "y1"),
    ("m", Precision.MONTH, 1, 30.44 * 86400e6, "y1"),
    ("w", Precision.WEEK, 1, 7 * 86400e6, "mc"),
    ("d", Precision.DAY, 1, 86400e6, "mc"),
    ("h6", Precision.HOUR, 6, 6 * 3600e6, "dc"),
    ("h", Precision.HOUR, 1, 3600e6, "dc"),
)


def _label(level: str, d: DateTime, zh: bool) -> str:
    if level.startswith("y"):
        return f"{d.year}年" if zh and level == "y1" else str(d.year)
    if level == "q":
        return f"Q{(d.month - 1) // 3 + 1}"
    if level == "m":
        return f"{d.month}月" if zh else _MONTHS[d.month - 1]
    if level in ("w", "d"):
        return f"{d.day}日" if zh else str(d.day)
    if level in ("h6", "h"):
        return f"{d.hour:02d}:00"
    if level == "mc":
        return f"{d.year}年{d.month}月" if zh else f"{_MONTHS[d.month - 1]} {d.year}"
    return f"{d.year}年{d.month}月{d.day}日" if zh else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _starts(p: Precision, step: int, lo: DateTime, hi: DateTime, zone: Any) -> Iterator[DateTime]:
    """The starts of ``p`` units (every ``step``-th) in ``zone`` from about ``lo`` to ``hi``."""
    if p in (Precision.YEAR, Precision.QUARTER, Precision.MONTH):
        months = {Precision.YEAR: 12 * step, Precision.QUARTER: 3, Precision.MONTH: 1}[p]
        y = lo.year - lo.year % step if p == Precision.YEAR else lo.year
        m = 1 if p == Precision.YEAR else (lo.month - 1) // months * months + 1
        while (y, m) <= (hi.year, hi.month):
            if y >= 1:
                yield wall(zone, y, m)
            m += months
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    elif p in (Precision.WEEK, Precision.DAY):
        d = lo.date()
        if p == Precision.WEEK:
            d -= dt.timedelta(days=d.weekday())
        while d <= hi.date():
            yield wall(zone, d.year, d.month, d.day)
            if d >= dt.date.max - dt.timedelta(days=7):
                break
            d += dt.timedelta(days=7 if p == Precision.WEEK else 1)
    else:
        t = unit_start(lo, Precision.HOUR, zone)
        while t <= hi:
            if t.in_timezone(zone).hour % step == 0:
                yield t
            t = t.add(hours=1)


def _ticks(
    sc: _Scale, tz: str, zh: bool, max_zoom: float
) -> tuple[dict[str, list[list[Any]]], list[list[Any]]]:
    """Tick lists by name ({name: [[x, label], ...]}) and the levels [[name, px, context]].

    Only levels the zoom range can use are kept: none too fine to show even at
    ``max_zoom``, none with more than _MAX_TICKS ticks.
    """
    zone = get_zone(tz)
    lo = _local(sc.time(0) / 1e6, zone)
    hi = _local(sc.time(_W0) / 1e6, zone)
    total = sc.time(_W0) - sc.time(0)
    lists: dict[str, list[list[Any]]] = {}
    levels: list[list[Any]] = []

    def make(name: str, p: Precision, step: int) -> None:
        if name not in lists:
            lists[name] = [
                [round(sc.x(t), 2), _label(name, t, zh)] for t in _starts(p, step, lo, hi, zone)
            ]

    for name, p, step, avg, context in _LEVELS:
        if total / avg > _MAX_TICKS or avg / sc.per_px * max_zoom < _TICK_MIN:
            break
        make(name, p, step)
        if context == "mc":
            make("mc", Precision.MONTH, 1)
        elif context == "dc":
            make("dc", Precision.DAY, 1)
        elif context:
            make(context, Precision.YEAR, 1)
        levels.append([name, round(avg / sc.per_px, 4), context])
    return lists, levels


def _level_at(levels: Sequence[Sequence[Any]], k: float) -> Sequence[Any]:
    """The finest level whose ticks are at least _TICK_MIN apart at zoom ``k``."""
    fit = [lv for lv in levels if lv[1] * k >= _TICK_MIN]
    return fit[-1] if fit else levels[0]


# ------------------------------------------------------------------------ page


class _Page:
    """Lays out and writes the page for sorted entries."""

    def __init__(
        self, entries: list[_Entry], led: Ledger | None, lanes: Lanes, title: str, lang: str | None
    ) -> None:
        self.entries = entries
        self.led = led
        self.lanes_by = lanes
        self.title = title
        self.lang = lang
        self.sc = _Scale.of(entries)
        self.tz = _zone(entries, led)
        self.zh = bool(lang and lang.lower().startswith("zh"))
        self.labels = len(entries) <= _LABELS_UP_TO
        kinds = Counter(e.row.kind for e in entries)
        self.kinds = sorted(kinds, key=lambda k: (-kinds[k], k))
        self.colour = {k: _PALETTE[i % len(_PALETTE)] for i, k in enumerate(self.kinds)}
        self.lane_order = self._lanes()

    # -- lanes --------------------------------------------------------------------------

    def _lanes(self) -> list[tuple[str, str, int, int]]:
        """(lane, name, depth, count) in display order.

        By actor: an organisation's lanes together, as a tree (each lane followed by its
        parts' lanes, ``part_of``), bigger branches first; organisations by how many items
        they hold; "(no actor)" last. ``depth`` counts the lanes above one in its tree.
        By kind: the busiest kind first.
        """
        count = Counter(e.lane for e in self.entries)
        names = {e.lane: e.lane_name for e in self.entries}
        if self.lanes_by == "kind":
            order = sorted(count, key=lambda k: (-count[k], k))
            return [(k, names[k], 0, count[k]) for k in order]
        chains = {x: self._chain(x) if x else [x] for x in count}
        size: Counter[str] = Counter()
        for x, chain in chains.items():
            for a in chain:
                size[a] += count[x]

        def key(x: str) -> tuple[Any, ...]:
            return (x == "", *((-size[a], names.get(a, a), a) for a in chains[x]))

        return [
            (x, names[x], min(sum(a in count for a in chains[x][:-1]), 2), count[x])
            for x in sorted(count, key=key)
        ]

    def _chain(self, actor: str) -> list[str]:
        """``actor``'s organisation, down through ``part_of`` to ``actor`` itself."""
        chain = [actor]
        while (up := self._up(chain[0])) is not None and up not in chain:
            chain.insert(0, up)
        return chain

    def _up(self, actor: str) -> str | None:
        if self.led is None or actor not in self.led.actors:
            return None
        return self.led.actors[actor].part_of

    # -- events -------------------------------------------------------------------------

    def _event(self, e: _Entry) -> tuple[_Geom, str, float]:
        """One event's geometry, its label text and the label's width."""
        w = e.row.when
        kind = self.kinds.index(e.row.kind)
        grad = f"g{kind}"
        g = _Geom()
        for r in e.readings:
            if not r.chosen:
                _draw(r.when, self.sc, g, "ghost", "gg")
        _draw(w, self.sc, g, "hull" if e.conflict == "unresolved" else "main", grad)
        if w.approximate:
            g.parts.append(
                _at(g.xl, f'<text class="glyph" x="{-g.pl - 1}" text-anchor="end">~</text>')
            )
            g.pl += _GLYPH
        if w.uncertain:
            g.parts.append(_at(g.xr, f'<text class="glyph" x="{g.pr + 1}">?</text>'))
            g.pr += _GLYPH
        label = _cut(_clean(e.row.title), _LABEL_MAX)
        width = _px(label)
        if e.conflict:
            width += _px(f" ≠ {e.conflict}")
        return g, label, width

    def _label_svg(self, g: _Geom, label: str, e: _Entry, side: str) -> str:
        pill = f'<tspan class="pill">≠ {_esc(e.conflict)}</tspan>' if e.conflict else ""
        text = f"{_esc(label)} {pill}" if pill else _esc(label)
        if side == "r":
            at, x, anchor = g.xr, g.pr + _GAP, ""
        elif side == "l":
            at, x, anchor = g.xl, -g.pl - _GAP, ' text-anchor="end"'
        else:  # inside a long bar that has no room on either side
            at, x, anchor = g.xl, 4.0, ""
        return (
            f'<g class="lab" transform="translate({_num(at)},0)"><g class="u">'
            f'<text x="{_num(x)}"{anchor}>{text}</text></g></g>'
        )

    def _tooltip_title(self, e: _Entry) -> str:
        r = e.row
        lines = [_clean(r.title), f"{show_when(r.when)} — {describe_when(r.when)}"]
        if r.quantity is not None:
            lines.append(str(r.quantity))
        if e.status:
            lines.append(f"status: {e.status}")
        lines.extend(f"source: {_clean(s.title)}" for s in r.sources)
        return "\n".join(lines)

    def _details(self, e: _Entry) -> dict[str, Any]:
        r = e.row
        data: dict[str, Any] = {
            "t": _clean(r.title),
            "d": show_when(r.when),
            "w": describe_when(r.when),
            "k": r.kind,
            "a": [_clean(a) for a in r.actors],
            "id": r.id,
        }
        if r.quantity is not None:
            data["q"] = _clean(str(r.quantity))
            if r.quantity.text:
                data["qt"] = _clean(r.quantity.text)
        if r.when.text and r.when.text != show_when(r.when):
            data["wt"] = _clean(r.when.text)
        if e.status:
            data["s"] = e.status
        if e.conflict:
            data["c"] = e.conflict
        if e.flags:
            data["f"] = list(e.flags)
        if r.place:
            data["p"] = _clean(r.place)
        if e.readings:
            data["r"] = [[show_when(x.when), list(x.accounts), x.chosen] for x in e.readings]
        if e.explanation:
            data["x"] = [_clean(x) for x in e.explanation]
        if len(r.accounts) > 1 or (r.accounts and r.accounts[0] != r.id):
            data["acc"] = list(r.accounts)
        src = []
        for s in r.sources:
            one: dict[str, Any] = {"t": _clean(s.title), "id": s.id}
            if s.publisher:
                one["p"] = _clean(s.publisher)
            if s.published is not None:
                one["d"] = show_when(s.published)
            if (u := _safe_url(s.url)) is not None:
                one["u"] = u
            if s.locator:
                one["l"] = _clean(s.locator)
            if s.quote:
                one["qt"] = _clean(s.quote)
            src.append(one)
        data["src"] = src
        return data

    # -- layout -------------------------------------------------------------------------

    def render(self) -> str:
        placed = [(n, e, *self._event(e)) for n, e in enumerate(self.entries)]
        by_lane: dict[str, list[tuple[int, _Entry, _Geom, str, float]]] = {}
        for p in placed:
            by_lane.setdefault(p[1].lane, []).append(p)
        lanes_svg: list[str] = []
        names_svg: list[str] = []
        y = 0
        for i, (lane, name, depth, count) in enumerate(self.lane_order):
            rows_right: list[float] = []
            body: list[str] = []
            members = sorted(by_lane[lane], key=lambda p: p[2].xl - p[2].pl)
            for n, e, g, label, lw in members:
                side, left, end = _side(g, lw, 1.0, self.labels)
                row = next((j for j, r in enumerate(rows_right) if r + 8 <= left), None)
                if row is None:
                    row = len(rows_right)
                    rows_right.append(end)
                else:
                    rows_right[row] = end
                body.append(self._event_svg(n, e, g, label, lw, side, row))
            height = 2 * _LANE_PAD + max(1, len(rows_right)) * _ROW
            band = "b1" if i % 2 else "b0"
            lanes_svg.append(
                f'<g class="lane" data-lane="{i}" transform="translate(0,{y})">'
                f'<rect class="band {band}" width="{_num(_W0)}" height="{height}"/>'
                + "".join(body)
                + "</g>"
            )
            shown = _cut(_clean(name), _LANE_W - 40 - 12 * depth)
            names_svg.append(
                f'<g class="ln" data-lane="{i}" transform="translate(0,{y})">'
                f'<rect class="band {band}" width="{_LANE_W}" height="{height}"/>'
                f'<text class="lname d{depth}" x="{8 + 12 * depth}" y="{_LANE_PAD + _ROW / 2}">'
                f"<title>{_esc(_clean(name))} — {count} event{'s' if count != 1 else ''}</title>"
                f"{'↳ ' if depth else ''}{_esc(shown)}"
                f'<tspan class="count"> {count}</tspan></text></g>'
            )
            y += height
        return self._html(lanes_svg, names_svg, max(y, _ROW))

    def _event_svg(
        self, n: int, e: _Entry, g: _Geom, label: str, lw: float, side: str, row: int
    ) -> str:
        r = e.row
        w = r.when
        classes = ["ev", f"k{self.kinds.index(r.kind)}"]
        if e.conflict:
            classes.append(f"c-{e.conflict}")
        if w.approximate:
            classes.append("approx")
        if w.uncertain:
            classes.append("uncert")
        if e.planned:
            classes.append("planned")
        attrs_ = {
            "class": " ".join(classes),
            "id": f"e{n}",
            "tabindex": "0",
            "data-n": str(n),
            "data-id": r.id,
            "data-key": r.key,
            "data-edtf": w.to_edtf(),
            "data-earliest": "" if w.earliest is None else w.earliest.isoformat(),
            "data-latest": "" if w.latest is None else w.latest.isoformat(),
            "data-precision": w.precision.label,
            "data-tz": w.tz,
            "data-approximate": "true" if w.approximate else "false",
            "data-uncertain": "true" if w.uncertain else "false",
            "data-span": "true" if isinstance(w, Span) else "false",
            "data-kind": r.kind,
            "data-status": e.status,
            "data-conflict": e.conflict,
            "data-sources": " ".join(dict.fromkeys(s.id for s in r.sources)),
            "data-accounts": " ".join(r.accounts),
            "data-xl": _num(g.xl),
            "data-xr": _num(g.xr),
            "data-pl": _num(g.pl),
            "data-pr": _num(g.pr),
            "data-lw": _num(lw),
            "transform": f"translate(0,{_LANE_PAD + row * _ROW + _ROW // 2})",
        }
        head = " ".join(f'{k}="{_esc(v)}"' for k, v in attrs_.items())
        return (
            f"<g {head}><title>{_esc(self._tooltip_title(e))}</title>"
            + "".join(g.parts)
            + self._label_svg(g, label, e, side)
            + "</g>"
        )

    # -- the page -----------------------------------------------------------------------

    def _defs(self) -> str:
        out = ["<defs>"]
        colours = [(f"g{i}", self.colour[k]) for i, k in enumerate(self.kinds)] + [("gg", _GHOST)]
        for name, c in colours:
            out.append(
                f'<linearGradient id="{name}l"><stop offset="0" stop-color="{c}" stop-opacity="0"/>'
                f'<stop offset="1" stop-color="{c}" stop-opacity="0.85"/></linearGradient>'
                f'<linearGradient id="{name}r"><stop offset="0" stop-color="{c}" stop-opacity="0.85"/>'
                f'<stop offset="1" stop-color="{c}" stop-opacity="0"/></linearGradient>'
            )
        out.append("</defs>")
        return "".join(out)

    def _css(self) -> str:
        kinds = "".join(f".k{i}{{--c:{self.colour[k]}}}" for i, k in enumerate(self.kinds))
        status = "".join(f".c-{s}{{--s:{c}}}" for s, c in _STATUS_COLOUR.items())
        return _CSS + kinds + status

    def _axis_svg(self, lists: dict[str, list[list[Any]]], level: Sequence[Any]) -> str:
        name, _, context = level
        out = [
            f'<line class="base" x1="0" x2="{_num(_W0)}" y1="{_AXIS_H - 0.5}" y2="{_AXIS_H - 0.5}"/>'
        ]
        for x, label in lists.get(context, []) if context else []:
            out.append(
                f'<line class="ctx" x1="{x}" x2="{x}" y1="4" y2="{_AXIS_H}"/>'
                f'<text class="ctx" x="{x + 4}" y="15">{_esc(label)}</text>'
            )
        for x, label in lists[name]:
            out.append(
                f'<line x1="{x}" x2="{x}" y1="{_AXIS_H - 8}" y2="{_AXIS_H}"/>'
                f'<text x="{x + 3}" y="{_AXIS_H - 11}">{_esc(label)}</text>'
            )
        return "".join(out)

    def _grid_svg(self, lists: dict[str, list[list[Any]]], level: Sequence[Any], h: int) -> str:
        name, _, context = level
        out = [f'<line x1="{x}" x2="{x}" y1="0" y2="{h}"/>' for x, _ in lists[name]]
        if context:
            out += [
                f'<line class="ctx" x1="{x}" x2="{x}" y1="0" y2="{h}"/>' for x, _ in lists[context]
            ]
        return "".join(out)

    def _legend(self) -> str:
        def icon(inner: str, w: int = 34) -> str:
            return (
                f'<svg width="{w}" height="16" viewBox="0 -8 {w} 16" aria-hidden="true">'
                f"{inner}</svg>"
            )

        h = _BAR_H / 2
        c = "var(--ink2)"
        fade_l = (
            f'<rect x="4" y="{-h}" width="26" height="{_BAR_H}" fill="url(#lgl)"/>'
            f'<path d="M9 {-h}L4 0L9 {h}M30 {-h - 2}V{h + 2}" stroke="{c}" fill="none" stroke-width="1.5"/>'
        )
        fade_r = (
            f'<rect x="4" y="{-h}" width="26" height="{_BAR_H}" fill="url(#lgr)"/>'
            f'<path d="M25 {-h}L30 0L25 {h}M4 {-h - 2}V{h + 2}" stroke="{c}" fill="none" stroke-width="1.5"/>'
        )
        items = [
            (icon(f'<circle cx="17" r="{_R}" class="lg"/>'), "a day"),
            (icon('<path d="M17 -6L23 0L17 6L11 0Z" class="lg"/>'), "a clock time"),
            (
                icon(f'<rect x="3" y="{-h}" width="28" height="{_BAR_H}" class="lg within"/>'),
                "sometime within (month, quarter, year, range)",
            ),
            (
                icon(f'<rect x="3" y="{-h}" width="28" height="{_BAR_H}" class="lg lasting"/>'),
                "lasting throughout (a span)",
            ),
            (icon(fade_l), "no earlier bound (“by …”)"),
            (icon(fade_r), "no later bound (“after …”, “from … on”)"),
            (
                icon(
                    f'<text x="9" y="4" class="glyph">~</text><rect x="14" y="{-h}" width="18" height="{_BAR_H}" class="lg within dashed"/>'
                ),
                "approximate",
            ),
            (
                icon(
                    f'<circle cx="12" r="{_R}" class="lg"/><text x="20" y="4" class="glyph">?</text>'
                ),
                "uncertain",
            ),
            (icon(f'<circle cx="17" r="{_R}" class="lg planned"/>'), "planned"),
            (
                icon(
                    f'<rect x="2" y="{-h}" width="14" height="{_BAR_H}" class="lg ghost"/><rect x="18" y="{-h}" width="14" height="{_BAR_H}" class="lg chosen"/>',
                    34,
                ),
                "competing readings: ghost, and the chosen one",
            ),
            ('<span class="pill">≠ resolved</span>', "a conflict and how it stands"),
        ]
        grads = (
            '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            '<linearGradient id="lgl"><stop offset="0" stop-color="#666" stop-opacity="0"/>'
            '<stop offset="1" stop-color="#666" stop-opacity="0.85"/></linearGradient>'
            '<linearGradient id="lgr"><stop offset="0" stop-color="#666" stop-opacity="0.85"/>'
            '<stop offset="1" stop-color="#666" stop-opacity="0"/></linearGradient></defs></svg>'
        )
        marks = "".join(f"<li>{i}<span>{_esc(t)}</span></li>" for i, t in items)
        kinds = "".join(
            f'<li><i class="sw" style="background:{self.colour[k]}"></i><span>{_esc(_clean(k))}</span></li>'
            for k in self.kinds
        )
        return (
            f'<section class="legend" aria-label="How to read the picture">{grads}'
            f'<ul class="marks">{marks}</ul><ul class="kinds">{kinds}</ul></section>'
        )

    def _summary(self) -> str:
        n = len(self.entries)
        merged = any(e.status for e in self.entries)
        noun = "event" if merged else "account"
        parts = [f"{n:,} {noun}{'s' if n != 1 else ''}"]
        sources = {s.id for e in self.entries for s in e.row.sources}
        if sources:
            parts.append(f"{len(sources):,} source{'s' if len(sources) != 1 else ''}")
        known = sorted(b for e in self.entries for b in _bounds(e.row.when))
        if known:
            zone = get_zone(self.tz)
            a = _local(known[0] / 1e6, zone)
            b = _local(known[-1] / 1e6, zone)
            parts.append(f"{a.to_date_string()} – {b.to_date_string()} ({self.tz})")
        parts.append(f"lanes by {self.lanes_by}")
        if merged:
            conflicts = Counter(e.conflict for e in self.entries if e.conflict)
            parts.append(
                ", ".join(f"{v} {k}" for k, v in sorted(conflicts.items()))
                if conflicts
                else "no date conflicts"
            )
        return " · ".join(parts)

    def _list(self) -> str:
        out = []
        for n, e in enumerate(self.entries):
            r = e.row
            bits = [_esc(r.kind)]
            if r.actors:
                bits.append(_esc(", ".join(_clean(a) for a in r.actors)))
            if r.quantity is not None:
                bits.append(f"<b>{_esc(_clean(str(r.quantity)))}</b>")
            if e.status:
                bits.append(f'<span class="st">{_esc(e.status)}</span>')
            srcs = []
            for s in r.sources:
                t = _esc(_clean(s.title))
                u = _safe_url(s.url)
                srcs.append(f'<a href="{_esc(u)}" rel="noopener noreferrer">{t}</a>' if u else t)
            out.append(
                f'<li id="li{n}" data-n="{n}"><span class="d">{_esc(show_when(r.when))}</span> '
                f"{_esc(_clean(r.title))} <small>— {' · '.join(bits)}"
                + (f" — sources: {'; '.join(srcs)}" if srcs else "")
                + "</small></li>"
            )
        return "".join(out)

    def _html(self, lanes_svg: list[str], names_svg: list[str], height: int) -> str:
        max_zoom = max(4.0, min(256.0, (self.sc.t1 - self.sc.t0) / 86400e6 * 90 / _W0))
        lists, levels = _ticks(self.sc, self.tz, self.zh, max_zoom)
        level = _level_at(levels, 1.0)
        n = len(self.entries)
        data = {
            "v": 1,
            "w": _W0,
            "row": _ROW,
            "lanePad": _LANE_PAD,
            "gap": _GAP,
            "tickMin": _TICK_MIN,
            "maxZoom": round(max_zoom, 2),
            "labels": self.labels,
            "ticks": lists,
            "levels": levels,
            "ev": [self._details(e) for e in self.entries],
        }
        lang = self.lang or _page_lang(self.entries, self.led)
        title = _esc(_clean(self.title))
        width = _num(_W0)
        empty = "" if n else '<p class="empty">No events.</p>'
        return _TEMPLATE.format(
            lang=_esc(lang),
            title=title,
            version=_esc(__version__),
            css=self._css(),
            summary=_esc(self._summary()),
            legend=self._legend(),
            nolabels="" if self.labels else " nolabels",
            lane_w=_LANE_W,
            axis_h=_AXIS_H,
            width=width,
            height=height,
            axis=self._axis_svg(lists, level),
            names="".join(names_svg),
            defs=self._defs(),
            grid=self._grid_svg(lists, level, height),
            lanes="".join(lanes_svg),
            empty=empty,
            count=f"{n:,}",
            corner=f"lanes by {self.lanes_by} ↓ · time →",
            items=self._list(),
            data=_json(data),
            trap=_TRAP,
            script=_SCRIPT,
        )


def _zone(entries: Sequence[_Entry], led: Ledger | None) -> str:
    """The zone the axis is read in: the ledger's, else the items' most common."""
    if led is not None and led.tz:
        return led.tz
    zones = Counter(e.row.when.tz for e in entries)
    return min(zones, key=lambda z: (-zones[z], z)) if zones else "UTC"


def _page_lang(entries: Sequence[_Entry], led: Ledger | None) -> str:
    """The page's language: the cited sources' most common one, else undetermined."""
    if led is None:
        return "und"
    langs = Counter(
        src.language
        for e in entries
        for s in e.row.sources
        if (src := led.sources.get(s.id)) is not None and src.language
    )
    return min(langs, key=lambda x: (-langs[x], x)) if langs else "und"


# ---------------------------------------------------------------------- assets

_FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", '
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)

_CSS = (
    """
:root{--ink:#1d1d1f;--ink2:#555;--line:#d9d9de;--bg:#fff;--band0:#fafafc;--band1:#f1f2f6;
--font:"""
    + _FONTS
    + """}
*{box-sizing:border-box}
html,body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 var(--font)}
header{padding:14px 18px 6px}
h1{font-size:20px;margin:0 0 2px}
.sum{margin:0;color:var(--ink2);font-size:13px}
.tools{display:flex;gap:6px;align-items:center;margin:8px 0 0;font-size:13px}
.tools button{font:inherit;min-width:30px;padding:2px 8px;border:1px solid #bbb;border-radius:4px;
background:#f6f6f8;cursor:pointer}
.tools button:hover{background:#ececf1}
#zoom{min-width:44px;color:var(--ink2);text-align:center}
.hint{color:#888}
.legend{padding:2px 18px 8px;font-size:12px;color:var(--ink2)}
.legend ul{list-style:none;display:flex;flex-wrap:wrap;gap:3px 16px;margin:2px 0;padding:0}
.legend li{display:flex;align-items:center;gap:4px}
.legend .sw{display:inline-block;width:12px;height:12px;border-radius:2px}
.lg{fill:#666;stroke:#444;stroke-width:1.2}
.lg.within{fill:#bbb;fill-opacity:.45}
.lg.lasting{fill:#666}
.lg.dashed{stroke-dasharray:3 2}
.lg.ghost{fill:none;stroke:#888;stroke-dasharray:3 2}
.lg.planned{fill:#fff;stroke-width:1.8}
.lg.chosen{fill:#bbb;stroke:#1f4e9c;stroke-width:2}
#scroller{overflow:auto;max-height:calc(100vh - 150px);min-height:240px;border-top:1px solid var(--line);
border-bottom:1px solid var(--line);position:relative;overscroll-behavior-x:contain}
#grid{display:grid;grid-template-columns:"""
    + f"{_LANE_W}px auto"
    + """;width:max-content}
.corner{position:sticky;left:0;top:0;z-index:4;background:var(--bg);border-right:1px solid var(--line);
border-bottom:1px solid var(--line);font-size:11px;color:#888;padding:4px 8px}
#axis{position:sticky;top:0;z-index:3;background:var(--bg)}
#lanes{position:sticky;left:0;z-index:2;background:var(--bg);border-right:1px solid var(--line)}
svg text{font-family:var(--font)}
#axis text{font-size:11px;fill:var(--ink2)}
#axis text.ctx{font-size:12px;font-weight:600;fill:var(--ink)}
#axis line{stroke:#aaa;stroke-width:1}
#axis line.ctx{stroke:#777}
#axis line.base{stroke:#999}
#gl line{stroke:#ececf0;stroke-width:1}
#gl line.ctx{stroke:#d2d2da}
.band{stroke:none}.b0{fill:var(--band0)}.b1{fill:var(--band1)}
#plot .band{fill-opacity:.55}
.lname{font-size:12.5px;fill:var(--ink);dominant-baseline:central}
.lname.d1,.lname.d2{fill:#444;font-size:12px}
.lname .count{fill:#999;font-size:11px}
#evs{transform:scale(var(--k),1);transform-origin:0 0;transform-box:view-box}
.u{transform:scale(calc(1 / var(--k)),1);transform-origin:0 0;transform-box:view-box}
.ev{cursor:pointer;outline:none}
.ev text{font-size:"""
    + str(_FONT)
    + """px;fill:var(--ink);dominant-baseline:central;paint-order:stroke;
stroke:rgba(255,255,255,.85);stroke-width:3px;stroke-linejoin:round}
.ev .pill,.legend .pill{fill:var(--s);color:#1f4e9c;font-weight:600}
.legend .pill{color:#1f4e9c}
.nolabels .lab{display:none}
.mk{fill:var(--c);stroke:var(--c);stroke-width:1.2;vector-effect:non-scaling-stroke}
.mk.within{fill-opacity:.32;stroke-width:1.4}
.mk.lasting{fill-opacity:.95}
.day{fill:var(--c);fill-opacity:.18;stroke:none}
.fade{stroke:none}
.cap,.chev{fill:none;stroke:var(--c);stroke-width:1.6;vector-effect:non-scaling-stroke}
.glyph{font-weight:700;fill:var(--c);font-size:13px}
.legend .glyph{fill:#444}
.approx .mk{stroke-dasharray:3 2}
.uncert .mk{fill-opacity:.55}
.uncert .mk.within{fill-opacity:.18}
.planned .mk{fill:#fff;stroke-width:1.8}
.ghost{fill:none!important;stroke:#7d7d7d!important;stroke-dasharray:3 2;stroke-opacity:.9}
.day.ghost{stroke:none!important}
[class*=" c-"] .mk.main{stroke:var(--s);stroke-width:2.4}
.c-unresolved .ghost{stroke:var(--s)!important}
.hull{fill:none!important;stroke:var(--s)!important;stroke-dasharray:1 3;stroke-width:2}
.ev:hover .mk,.ev:focus .mk,.ev.sel .mk{stroke:#111;stroke-width:2.2}
.ev:hover text,.ev:focus text,.ev.sel text{font-weight:600}
#tip{position:fixed;z-index:10;max-width:440px;background:#fff;border:1px solid #bbb;border-radius:6px;
box-shadow:0 4px 18px rgba(0,0,0,.16);padding:8px 10px;font-size:12.5px;line-height:1.45;pointer-events:none}
#tip.pinned{pointer-events:auto}
#tip h2{font-size:14px;margin:0 22px 3px 0}
#tip p{margin:2px 0}
#tip .muted{color:#666}
#tip .q{font-weight:700}
#tip .st{font-weight:600;color:var(--s,#333)}
#tip ul{margin:3px 0;padding-left:18px}
#tip .x{color:#444;font-size:12px}
#tip .close{position:absolute;right:6px;top:4px;border:0;background:none;font-size:16px;cursor:pointer;
display:none}
#tip.pinned .close{display:block}
#tip a{color:#1a56b8}
#tip blockquote{margin:2px 0 2px 6px;padding-left:6px;border-left:2px solid #ddd;color:#555}
.list{padding:6px 18px 20px}
.list summary{cursor:pointer;color:var(--ink2)}
.list ol{padding-left:22px;font-size:13px}
.list .d{font-variant-numeric:tabular-nums;color:#333;font-weight:600}
.list small{color:#666}
.empty{padding:20px;color:#888}
footer{padding:0 18px 16px;font-size:12px;color:#888}
@media print{#scroller{max-height:none;overflow:visible}.tools{display:none}}
"""
)

# Catches errors from here on and keeps them where a headless browser's --dump-dom
# shows them (``data-js-errors`` on <body>); the test suite reads that attribute.
_TRAP = """(function(){var b=document.body;function add(m){var o=b.getAttribute("data-js-errors");
b.setAttribute("data-js-errors",(o?o+" | ":"")+m);}window.addEventListener("error",function(e){
add(String(e.message||e.type)+" @"+(e.lineno||0));});window.addEventListener("unhandledrejection",
function(e){add("rejection: "+String(e.reason));});})();"""

_SCRIPT = r"""(function(){
"use strict";
var D=JSON.parse(document.getElementById("chronicle-data").textContent);
var doc=document,body=doc.body,NS="http://www.w3.org/2000/svg";
var scroller=doc.getElementById("scroller"),plot=doc.getElementById("plot"),
  axis=doc.getElementById("axis"),lanesSvg=doc.getElementById("lanes"),
  gl=doc.getElementById("gl"),tip=doc.getElementById("tip");
var W0=D.w,k=1,labels=D.labels,pinned=null;
var lanes=[].slice.call(plot.querySelectorAll("g.lane")).map(function(g){
  var i=+g.getAttribute("data-lane");
  return {g:g,band:g.querySelector("rect.band"),name:lanesSvg.querySelector('g.ln[data-lane="'+i+'"]'),
    evs:[].slice.call(g.querySelectorAll("g.ev")).map(function(e){
      var t=e.querySelector("g.lab"),d=e.dataset;
      return {g:e,xl:+d.xl,xr:+d.xr,pl:+d.pl,pr:+d.pr,lw:+d.lw,lab:t,txt:t&&t.querySelector("text")};})};});
function el(name,at,text){var e=doc.createElementNS(NS,name);for(var a in at)e.setAttribute(a,at[a]);
  if(text!=null)e.textContent=text;return e;}
// where a label goes: right of its event, left of it, or inside a long bar (as _side does)
function side(v,W){
  var l=v.xl*k-v.pl,r=v.xr*k+v.pr;v.side="r";v.l=l;v.r=r;if(!labels)return;
  if(r+D.gap+v.lw<=W){v.r=r+D.gap+v.lw;}
  else if(l-D.gap-v.lw>=0){v.side="l";v.l=l-D.gap-v.lw;}
  else{v.side="i";v.r=Math.max(r,v.xl*k+4+v.lw);}}
function layout(){
  var W=W0*k,y=0;
  lanes.forEach(function(L){
    var rows=[];
    L.evs.forEach(function(v){side(v,W);});
    L.evs.slice().sort(function(a,b){return a.l-b.l;}).forEach(function(v){
      var r=-1;for(var j=0;j<rows.length;j++){if(rows[j]+8<=v.l){r=j;break;}}
      if(r<0){r=rows.length;rows.push(v.r);}else rows[r]=v.r;
      v.g.setAttribute("transform","translate(0,"+(D.lanePad+r*D.row+D.row/2)+")");
      if(v.lab){
        v.lab.setAttribute("transform","translate("+(v.side==="r"?v.xr:v.xl)+",0)");
        v.txt.setAttribute("x",v.side==="r"?v.pr+D.gap:v.side==="l"?-v.pl-D.gap:4);
        if(v.side==="l")v.txt.setAttribute("text-anchor","end");else v.txt.removeAttribute("text-anchor");}});
    var h=2*D.lanePad+Math.max(1,rows.length)*D.row;
    L.g.setAttribute("transform","translate(0,"+y+")");L.band.setAttribute("height",h);
    if(L.name){L.name.setAttribute("transform","translate(0,"+y+")");
      L.name.querySelector("rect").setAttribute("height",h);}
    y+=h;});
  var H=Math.max(y,D.row);
  plot.setAttribute("width",W);plot.setAttribute("height",H);
  lanesSvg.setAttribute("height",H);axis.setAttribute("width",W);
  plot.style.setProperty("--k",k);
  ticks(H);
  doc.getElementById("zoom").textContent="\u00d7"+(k<10?k.toFixed(1).replace(/\.0$/,""):Math.round(k));
}
function level(){var lv=D.levels,best=lv[0];
  for(var i=0;i<lv.length;i++){if(lv[i][1]*k>=D.tickMin)best=lv[i];}return best;}
function ticks(H){
  var lv=level(),fine=D.ticks[lv[0]]||[],ctx=lv[2]?(D.ticks[lv[2]]||[]):[],W=W0*k;
  while(axis.lastChild)axis.removeChild(axis.lastChild);
  while(gl.lastChild)gl.removeChild(gl.lastChild);
  var ah=+axis.getAttribute("height");
  axis.appendChild(el("line",{"class":"base",x1:0,x2:W,y1:ah-.5,y2:ah-.5}));
  var left=scroller.scrollLeft,seen=-1e9;
  fine.forEach(function(t){var x=t[0]*k;
    axis.appendChild(el("line",{x1:x,x2:x,y1:ah-8,y2:ah}));
    axis.appendChild(el("text",{x:x+3,y:ah-11},t[1]));
    gl.appendChild(el("line",{x1:x,x2:x,y1:0,y2:H}));});
  ctx.forEach(function(t,i){var x=t[0]*k,next=i+1<ctx.length?ctx[i+1][0]*k:W;
    axis.appendChild(el("line",{"class":"ctx",x1:x,x2:x,y1:4,y2:ah}));
    gl.appendChild(el("line",{"class":"ctx",x1:x,x2:x,y1:0,y2:H}));
    var lx=Math.max(x,left);if(lx+8*t[1].length+12>next&&x<left)return;
    axis.appendChild(el("text",{"class":"ctx",x:lx+4,y:15},t[1]));});
}
function zoomTo(nk,cx){
  nk=Math.max(fit()*.999,Math.min(D.maxZoom,nk));if(Math.abs(nk-k)<1e-9)return;
  var vw=scroller.clientWidth-lanesW(),at=(cx==null?vw/2:cx),t=(scroller.scrollLeft+at)/k;
  k=nk;layout();scroller.scrollLeft=t*k-at;
}
function lanesW(){return lanesSvg.getBoundingClientRect().width;}
function fit(){return Math.min(1,Math.max(.2,(scroller.clientWidth-lanesW()-2)/W0));}
doc.getElementById("zin").onclick=function(){zoomTo(k*2);};
doc.getElementById("zout").onclick=function(){zoomTo(k/2);};
doc.getElementById("zfit").onclick=function(){zoomTo(fit());};
var lab=doc.getElementById("labels");lab.checked=labels;
lab.onchange=function(){labels=lab.checked;plot.classList.toggle("nolabels",!labels);layout();};
// fn once, at the next frame (or soon, where no frames are drawn)
function soon(fn){var done=false;function once(){if(!done){done=true;fn();}}
  requestAnimationFrame(once);setTimeout(once,40);}
var wheel=null;  // ctrl + wheel: zoom around the pointer, at most once a frame
scroller.addEventListener("wheel",function(e){
  if(!(e.ctrlKey||e.metaKey))return;e.preventDefault();
  var r=scroller.getBoundingClientRect(),f=Math.pow(1.0015,-e.deltaY);
  if(wheel){wheel.f*=f;return;}
  wheel={f:f,x:e.clientX-r.left-lanesW()};
  soon(function(){var w=wheel;wheel=null;zoomTo(k*w.f,w.x);});
},{passive:false});
var queued=false;scroller.addEventListener("scroll",function(){if(queued)return;queued=true;
  soon(function(){queued=false;ticks(+plot.getAttribute("height"));});});
doc.addEventListener("keydown",function(e){
  if(e.ctrlKey||e.metaKey||e.altKey||(e.target&&/^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)))return;
  if(e.key==="+"||e.key==="="){zoomTo(k*2);}else if(e.key==="-"){zoomTo(k/2);}
  else if(e.key==="0"){zoomTo(fit());}else if(e.key==="Escape"){unpin();}
  else if(e.key==="Enter"&&e.target.classList&&e.target.classList.contains("ev")){pin(e.target);}});
// details ---------------------------------------------------------------------
function add(parent,tag,text,cls){var e=doc.createElement(tag);if(text!=null)e.textContent=text;
  if(cls)e.className=cls;parent.appendChild(e);return e;}
function fill(n){
  var v=D.ev[n];tip.textContent="";tip.className="";
  var c=add(tip,"button","\u00d7","close");c.setAttribute("aria-label","close");c.onclick=unpin;
  add(tip,"h2",v.t);
  var d=add(tip,"p");add(d,"b",v.d);d.appendChild(doc.createTextNode(" \u2014 "+v.w));
  if(v.wt)add(tip,"p","as written: \u201c"+v.wt+"\u201d","muted");
  var who=[v.k].concat(v.a||[]);if(v.p)who.push(v.p);add(tip,"p",who.join(" \u00b7 "),"muted");
  if(v.q){var q=add(tip,"p",v.q,"q");if(v.qt)q.appendChild(doc.createTextNode(" (\u201c"+v.qt+"\u201d)"));}
  if(v.s){var s=add(tip,"p",null);s.appendChild(doc.createTextNode("status: "));
    var st=add(s,"span",v.s+(v.f&&v.f.length?" ("+v.f.join(", ")+")":""),"st");
    if(v.c)tip.classList.add("c-"+v.c);}
  if(v.r&&v.r.length){add(tip,"p","Competing dates:","muted");var ul=add(tip,"ul");
    v.r.forEach(function(r){add(ul,"li",r[0]+" \u2014 "+r[1].join(", ")+(r[2]?"  \u2714 chosen":""));});}
  if(v.x&&v.x.length){var xl=add(tip,"div",null,"x");v.x.forEach(function(line){add(xl,"p",line);});}
  if(v.src&&v.src.length){add(tip,"p",v.src.length>1?"Sources:":"Source:","muted");var su=add(tip,"ul");
    v.src.forEach(function(s){var li=add(su,"li");
      if(s.u){var a=add(li,"a",s.t);a.href=s.u;a.rel="noopener noreferrer";a.target="_blank";}
      else add(li,"span",s.t);
      var more=[s.p,s.d,s.l].filter(Boolean);if(more.length)li.appendChild(doc.createTextNode(" \u2014 "+more.join(", ")));
      if(s.qt)add(li,"blockquote",s.qt.length>240?s.qt.slice(0,239)+"\u2026":s.qt);});}
  add(tip,"p",(v.acc?"accounts: "+v.acc.join(", "):"id: "+v.id),"muted");
}
function place(x,y){
  tip.hidden=false;var w=tip.offsetWidth,h=tip.offsetHeight,vw=innerWidth,vh=innerHeight;
  var px=x+14,py=y+14;if(px+w>vw-6)px=Math.max(6,x-w-14);if(py+h>vh-6)py=Math.max(6,vh-h-6);
  tip.style.left=px+"px";tip.style.top=py+"px";}
function evOf(t){while(t&&t!==plot){if(t.classList&&t.classList.contains("ev"))return t;t=t.parentNode;}return null;}
var sel=null;
function select(g){if(sel)sel.classList.remove("sel");sel=g;if(g)g.classList.add("sel");}
function show(g,x,y){fill(+g.getAttribute("data-n"));place(x,y);}
function pin(g){var r=g.getBoundingClientRect();pinned=g;select(g);show(g,r.left+Math.min(r.width,40),r.bottom-10);
  tip.classList.add("pinned");}
function unpin(){pinned=null;select(null);tip.hidden=true;tip.classList.remove("pinned");}
plot.addEventListener("mousemove",function(e){if(pinned)return;var g=evOf(e.target);
  if(g)show(g,e.clientX,e.clientY);else tip.hidden=true;});
plot.addEventListener("mouseleave",function(){if(!pinned)tip.hidden=true;});
plot.addEventListener("click",function(e){var g=evOf(e.target);if(g){pin(g);e.stopPropagation();}else unpin();});
doc.addEventListener("click",function(e){if(pinned&&!tip.contains(e.target))unpin();});
plot.addEventListener("focusin",function(e){var g=evOf(e.target);if(g&&!pinned){var r=g.getBoundingClientRect();
  show(g,r.left+Math.min(r.width,40),r.bottom-10);}});
plot.addEventListener("focusout",function(){if(!pinned)tip.hidden=true;});
[].slice.call(doc.querySelectorAll("#list li")).forEach(function(li){
  li.addEventListener("click",function(){var g=doc.getElementById("e"+li.getAttribute("data-n"));
    if(g){g.scrollIntoView({block:"center",inline:"center"});pin(g);}});});
// native tooltips would double the rich one: keep their text for screen readers only
[].slice.call(plot.querySelectorAll("g.ev > title")).forEach(function(t){
  t.parentNode.setAttribute("aria-label",t.textContent);t.parentNode.removeChild(t);});
doc.getElementById("tools").hidden=false;
k=fit();layout();
body.setAttribute("data-ready","1");
})();"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="chronicle {version}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<script>{trap}</script>
<header>
<h1>{title}</h1>
<p class="sum">{summary}</p>
<div class="tools" id="tools" role="toolbar" aria-label="zoom" hidden>
<button id="zout" type="button" title="zoom out (-)">−</button><span id="zoom">×1</span><button id="zin" type="button" title="zoom in (+)">+</button>
<button id="zfit" type="button" title="fit the window (0)">fit</button>
<label><input type="checkbox" id="labels"> labels</label>
<span class="hint">ctrl + wheel zooms · hover or click an event for its sources</span>
</div>
</header>
{legend}
<div id="scroller">
<div id="grid">
<div class="corner">{corner}</div>
<svg id="axis" width="{width}" height="{axis_h}" role="presentation">{axis}</svg>
<svg id="lanes" width="{lane_w}" height="{height}" role="presentation">{names}</svg>
<svg id="plot" class="{nolabels}" width="{width}" height="{height}" style="--k:1" role="img" aria-label="{title}">{defs}<g id="gl">{grid}</g><g id="evs">{lanes}</g></svg>
</div>
{empty}</div>
<div id="tip" role="tooltip" hidden></div>
<details class="list" id="list"><summary>All {count} as a list, with their sources</summary><ol>{items}</ol></details>
<footer>Made with chronicle {version}. How to read this picture: docs/timeline.md in chronicle.</footer>
<script type="application/json" id="chronicle-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
