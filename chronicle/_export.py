"""Exports for other tools: JSON and JSON Lines (lossless), CSV, Markdown.

- **JSON / JSON Lines** write exactly the schema the ledger reads
  (``Ledger.to_data``): loading the output gives the same ledger back. Exporting a
  selection of accounts writes the ledger restricted to them, plus the sources they
  cite (and the sources those cite), the actors they name (and the actors those are
  part of) and the resolutions about their events. Exporting every account writes
  the whole ledger, unreferenced sources and actors included.
- **CSV**: one row per item (an account or a merged event), UTF-8, RFC 4180 (CRLF
  line ends, quoted where needed), optionally with a byte-order mark for Excel. A
  cell a spreadsheet would run as a formula -- one starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return -- gets a leading apostrophe ``'``
  (plain numbers such as ``-5`` are left alone).
- **Markdown**: a chronology grouped by year, each item with its date at its own
  precision and footnotes (``[^1]``) giving each cited source's title, publisher,
  date, locator and URL.

CSV and Markdown read items through the row view (:mod:`chronicle._display`), so
merged events export as soon as they have a row adapter. JSON needs ledger
records: merged events have their own JSON (``chronicle merge --json``).
"""

from __future__ import annotations

__all__ = ["CSV_COLUMNS", "restrict", "to_csv", "to_json", "to_markdown"]

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ._display import Row, SourceRef, items_of, rows, show_when
from ._records import Account
from .errors import ChronicleError

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._when import Span, When


# ------------------------------------------------------------------------- JSON


def restrict(ledger: Ledger, accounts: Iterable[Account]) -> Ledger:
    """The ledger restricted to ``accounts`` and the records they depend on.

    Keeps the ledger's order. Sources cited (directly, or through another source's
    ``cites``), actors named (or reached through ``part_of``), and resolutions whose
    event is kept and whose account, if any, is kept.
    """
    from ._ledger import Ledger

    keep: set[str] = set()
    for a in accounts:
        try:
            mine = ledger.account(a.id)
        except KeyError:
            mine = None
        if mine != a:
            raise ChronicleError(f"account {a.id!r} is not in this ledger", record=a.id)
        keep.add(a.id)
    if len(keep) == len(ledger):
        return ledger
    chosen = [a for a in ledger.accounts if a.id in keep]
    source_ids = _closure(
        (c.source for a in chosen for c in a.citations),
        lambda s: ledger.sources[s].cites if s in ledger.sources else (),
    )
    actor_ids = _closure(
        (x for a in chosen for x in a.actors),
        lambda x: (p,) if x in ledger.actors and (p := ledger.actors[x].part_of) else (),
    )
    events = {a.event_key for a in chosen}
    return Ledger(
        sources=[s for s in ledger.sources.values() if s.id in source_ids],
        actors=[x for x in ledger.actors.values() if x.id in actor_ids],
        accounts=chosen,
        resolutions=[
            r
            for r in ledger.resolutions
            if r.event in events and (r.account is None or r.account in keep)
        ],
        tz=ledger.tz,
        validate=False,
    )


def _closure(start: Iterable[str], step: Callable[[str], Iterable[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        x = todo.pop()
        if x not in seen:
            seen.add(x)
            todo.extend(step(x))
    return seen


def to_json(items: Any, *, ledger: Ledger | None = None, lines: bool = False) -> str:
    """The ledger (or the part of it ``items`` select) as JSON, or JSON Lines with ``lines``.

    ``items`` is a ``Ledger`` or accounts of ``ledger``. The output is what
    :func:`chronicle.load` reads back into an equal ledger.
    """
    from ._ledger import Ledger
    from ._write import dump

    if isinstance(items, Ledger):
        led = items
    else:
        if ledger is None:
            raise ChronicleError(
                "exporting JSON needs the ledger the accounts come from (ledger=...)"
            )
        its = list(items)
        bad = next((i for i in its if not isinstance(i, Account)), None)
        if bad is not None:
            raise ChronicleError(
                f"JSON export writes ledger records, not {type(bad).__name__}; "
                "merged timelines have their own JSON (chronicle merge --json)"
            )
        led = restrict(ledger, its)
    return dump(led.to_data(), "jsonl" if lines else "json").decode("utf-8")


# -------------------------------------------------------------------------- CSV


def _list(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(values))


def _num(v: int | float | None) -> str:
    if v is None:
        return ""
    return repr(v) if isinstance(v, float) else str(v)


def _iso(t: Any) -> str:
    return "" if t is None else str(t.isoformat())


_CSV: dict[str, Callable[[Row], str]] = {
    "id": lambda r: r.id,
    "event": lambda r: r.event or "",
    "date": lambda r: show_when(r.when),
    "edtf": lambda r: r.when.to_edtf(),
    "earliest": lambda r: _iso(r.when.earliest),
    "latest": lambda r: _iso(r.when.latest),
    "precision": lambda r: r.when.precision.label,
    "tz": lambda r: r.when.tz,
    "title": lambda r: r.title,
    "kind": lambda r: r.kind,
    "actors": lambda r: _list(r.actors),
    "actor_ids": lambda r: _list(r.actor_ids),
    "quantity": lambda r: "" if r.quantity is None else str(r.quantity),
    "quantity_value": lambda r: "" if r.quantity is None else _num(r.quantity.value),
    "quantity_upper": lambda r: "" if r.quantity is None else _num(r.quantity.upper),
    "quantity_unit": lambda r: "" if r.quantity is None else r.quantity.unit,
    "quantity_bound": lambda r: "" if r.quantity is None else str(r.quantity.bound),
    "sources": lambda r: _list(s.id for s in r.sources),
    "source_titles": lambda r: _list(s.title for s in r.sources),
    "url": lambda r: r.url or "",
    "status": lambda r: r.status,
    "tags": lambda r: _list(r.tags),
    "place": lambda r: r.place or "",
    "note": lambda r: " / ".join(r.notes),
}

CSV_COLUMNS: tuple[str, ...] = tuple(_CSV)
"""The CSV columns, in order (lists inside a cell are joined with ``; ``)."""

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def neutralise(cell: str) -> str:
    """``cell`` with a leading ``'`` if a spreadsheet would run it as a formula.

    >>> neutralise("=1+1"), neutralise("-5"), neutralise("@SUM(A1)"), neutralise("文心")
    ("'=1+1", '-5', "'@SUM(A1)", '文心')
    """
    if cell.startswith(_FORMULA) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def to_csv(
    items: Any,
    *,
    ledger: Ledger | None = None,
    columns: Sequence[str] = CSV_COLUMNS,
    lang: str | None = None,
    bom: bool = False,
) -> str:
    """One CSV row per item (a header row first), formula-like cells neutralised.

    ``bom`` starts the text with U+FEFF, which Excel needs to read UTF-8. Write the
    result with ``newline=""`` (or encode it yourself) to keep its CRLF line ends.
    """
    bad = [c for c in columns if c not in _CSV]
    if bad or not columns:
        raise ChronicleError(
            f"unknown CSV column(s) {', '.join(map(repr, bad))}; "
            f"choose from {', '.join(CSV_COLUMNS)}",
            text=", ".join(bad),
        )
    funcs = [_CSV[c] for c in columns]
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows(items, ledger, lang):
        w.writerow([neutralise(f(r)) for f in funcs])
    return buf.getvalue()


# --------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_SPACES = re.compile(r"\s+")


def md_text(s: str) -> str:
    """Inline Markdown for plain text: one line, punctuation that means markup escaped.

    >>> print(md_text("a *b* [c]\\n<d> (e) #1 + 2"))
    a \\*b\\* \\[c\\] \\<d\\> (e) #1 + 2
    """
    s = "".join(ch if ch.isprintable() or ch in "\t\n\r" else "\ufffd" for ch in s)
    return _MD_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", s).strip())


def md_url(url: str) -> str:
    """An autolink ``<url>``, with the characters that would end it percent-encoded."""
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def _year(w: When | Span) -> int | None:
    """The year an item is listed under: of its earliest possible date, else its latest."""
    from ._calendar import get_zone

    t = w.earliest if w.earliest is not None else w.latest
    return None if t is None else int(t.astimezone(get_zone(w.tz)).year)


def _footnote(s: SourceRef) -> str:
    parts = [f"“{md_text(s.title)}”"]
    if s.publisher:
        parts.append(md_text(s.publisher))
    if s.published is not None:
        parts.append(md_text(show_when(s.published)))
    if s.locator:
        parts.append(md_text(s.locator))
    text = ", ".join(parts) + "."
    if s.url:
        text += " " + md_url(s.url)
    return text


def to_markdown(
    items: Any,
    *,
    ledger: Ledger | None = None,
    title: str = "Chronology",
    lang: str | None = None,
) -> str:
    """A chronology in Markdown: items by year, in date order (equal dates by account id,
    or event key), with footnoted sources.

    Each distinct (source, locator) cited gets one footnote, numbered in order of
    first use.
    """
    its, led = items_of(items, ledger)
    keyed = [(_year(r.when), r) for r in rows(its, led, lang)]
    # equal dates by key (an account's id): the order never depends on file names
    keyed.sort(key=lambda yr: (yr[0] is None, yr[0] or 0, yr[1].when.sort_key, yr[1].key))
    notes: dict[tuple[str, str | None], tuple[int, SourceRef]] = {}
    out = [f"# {md_text(title)}", ""]
    year: int | str | None = ""
    for y, r in keyed:
        if y != year:
            if year != "":
                out.append("")
            out += [f"## {'Undated' if y is None else f'{y:04d}'}", ""]
            year = y
        refs = []
        for s in r.sources:
            key = (s.id, s.locator)
            if key not in notes:
                notes[key] = (len(notes) + 1, s)
            refs.append(f"[^{notes[key][0]}]")
        line = f"- **{md_text(show_when(r.when))}** {md_text(r.title)}"
        details = [f"*{md_text(r.kind)}*"]
        if r.actors:
            details.append(md_text(", ".join(r.actors)))
        if r.quantity is not None:
            details.append(md_text(str(r.quantity)))
        if r.place:
            details.append(md_text(r.place))
        if r.status:
            details.append(f"({md_text(r.status)})")
        out.append(f"{line} — {' · '.join(details)}{''.join(dict.fromkeys(refs))}")
        out.extend(f"  - {md_text(n)}" for n in r.notes)
    if not keyed:
        out.append("*No items.*")
    if notes:
        out.append("")
        out.extend(f"[^{n}]: {_footnote(s)}" for n, s in notes.values())
    return "\n".join(out) + "\n"
