"""Terminal tables of accounts (and merged events) with tabulate.

The only module that imports ``tabulate`` (inside :func:`to_table`, so importing
chronicle stays fast). Cells come from the row view (:mod:`chronicle._display`),
so anything with a row adapter can be tabulated.

- **Alignment**: tabulate measures cells with ``wcwidth`` (installed with
  ``tabulate[widechars]``), so a CJK character counts two cells and columns line up.
- **Terminal safety**: no control character from the data reaches the terminal.
  C0 controls print as their Unicode control pictures (ESC as ``␛``), newlines as
  ``⏎``, tabs as a space; C1 controls, bidirectional overrides and isolates,
  zero-width and other invisible format characters print as ``�``.
- **Pipes**: in formats whose cells ``|`` separates in a markup read again
  (``github`` and ``pipe`` Markdown, ``asciidoc``, ``jira``, ``mediawiki``,
  ``textile``, ``orgtbl``) a ``|`` in the text is escaped, so it cannot start a cell.
- **Width**: with ``width=N`` the table is fitted to ``N`` terminal cells by
  truncating text columns with ``…``: sources, actors, tags and other secondary
  columns first, the title last, each down to a readable floor (8 to 12 cells), and
  only when that is not enough, every text column down to the width of its header. Dates, kinds and
  statuses are never cut. Truncating keeps one line per item, so rows stay easy
  to scan and to ``grep``. ``width=None`` (the default, and what ``chronicle table``
  does when its output is piped) never truncates.

>>> from chronicle import Account, Citation, parse_when
>>> a = Account(id="a", kind="launch", title="文心一言发布",
...             when=parse_when("2023-03-16"), citations=[Citation(source="s")])
>>> print(to_table([a], columns=["date", "title", "kind"], fmt="github"))
| date       | title        | kind   |
|------------|--------------|--------|
| 2023-03-16 | 文心一言发布 | launch |
"""

from __future__ import annotations

__all__ = ["COLUMNS", "DEFAULT_COLUMNS", "clean", "to_table"]

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ._display import Row, RowContext, items_of, joined, show_when, to_row
from ._records import Account
from .errors import ChronicleError

if TYPE_CHECKING:
    from ._ledger import Ledger


_CELLS: dict[str, Callable[[Row], str]] = {
    "date": lambda r: show_when(r.when),
    "title": lambda r: r.title,
    "kind": lambda r: r.kind,
    "actors": lambda r: joined(r.actors),
    "quantity": lambda r: "" if r.quantity is None else str(r.quantity),
    "sources": lambda r: joined([s.id for s in r.sources]),
    "status": lambda r: r.status,
    "id": lambda r: r.id,
    "event": lambda r: r.event or "",
    "tags": lambda r: joined(r.tags),
    "place": lambda r: r.place or "",
    "url": lambda r: r.url or "",
    "precision": lambda r: r.when.precision.label,
    "edtf": lambda r: r.when.to_edtf(),
    "note": lambda r: " / ".join(r.notes),
}

# The same cells read straight from an Account: tables of accounts are the common case,
# and skipping the Row (and its SourceRefs) halves the time. tests/test_table.py checks
# that both paths give the same text.
_ACCOUNT_CELLS: dict[str, Callable[[Account, RowContext], str]] = {
    "date": lambda a, c: show_when(a.when),
    "title": lambda a, c: a.title_in(c.lang),
    "kind": lambda a, c: a.kind,
    "actors": lambda a, c: c.actors_text(a.actors),
    "quantity": lambda a, c: "" if a.quantity is None else str(a.quantity),
    "sources": lambda a, c: joined([x.source for x in a.citations]),
    "status": lambda a, c: "planned" if a.planned else "",
    "id": lambda a, c: a.id,
    "event": lambda a, c: a.event_key,
    "tags": lambda a, c: joined(a.tags),
    "place": lambda a, c: a.place or "",
    "url": lambda a, c: next((s.url for s in c.source_refs(a.citations) if s.url), ""),
    "precision": lambda a, c: a.when.precision.label,
    "edtf": lambda a, c: a.when.to_edtf(),
    "note": lambda a, c: a.note or "",
}

COLUMNS: tuple[str, ...] = tuple(_CELLS)
"""Every column a table (and ``--columns``) can show."""

DEFAULT_COLUMNS: tuple[str, ...] = ("date", "title", "kind", "actors", "quantity", "sources")

# columns that may be truncated to fit a width, the most expendable first, and how narrow
_FLEXIBLE = {
    "sources": 8,
    "actors": 10,
    "tags": 8,
    "place": 8,
    "url": 12,
    "note": 12,
    "event": 10,
    "id": 10,
    "quantity": 10,
    "title": 12,
}
_LAST_RESORT = 3

_NEWLINE = " \u23ce "  # ⏎


def _safe_char(ch: str) -> str:
    o = ord(ch)
    if o < 0x20:
        return " " if o == 0x09 else chr(0x2400 + o)  # control pictures: ESC -> ␛
    if o == 0x7F:
        return "\u2421"  # ␡
    cat = unicodedata.category(ch)
    if cat in ("Zl", "Zp"):
        return _NEWLINE
    if cat in ("Cc", "Cf", "Cs") and ch != "\u200d":  # keep ZWJ: it joins emoji
        return "\ufffd"
    return ch  # spaces (Zs), private-use and unassigned characters are harmless


def clean(text: str) -> str:
    """Text safe for a terminal cell: one line, no control, bidi or invisible format characters.

    >>> clean("a\\x1b[31mred\\nline\\u202eevil")
    'a␛[31mred ⏎ line�evil'
    """
    if text.isprintable():  # the common case: nothing to do
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", _NEWLINE)
    return "".join(ch if ch.isprintable() else _safe_char(ch) for ch in text)


def check_columns(columns: Sequence[str]) -> tuple[str, ...]:
    """``columns`` validated (a ``ChronicleError`` names the unknown ones)."""
    bad = [c for c in columns if c not in _CELLS]
    if bad:
        raise ChronicleError(
            f"unknown column(s) {', '.join(map(repr, bad))}; choose from {', '.join(COLUMNS)}",
            text=", ".join(bad),
        )
    if not columns:
        raise ChronicleError(f"no columns; choose from {', '.join(COLUMNS)}")
    return tuple(columns)


def check_format(fmt: str) -> str:
    """``fmt`` if tabulate knows it (a ``ChronicleError`` lists the formats otherwise)."""
    from tabulate import tabulate_formats

    if fmt not in tabulate_formats:
        raise ChronicleError(
            f"unknown table format {fmt!r}; choose from {', '.join(sorted(tabulate_formats))}",
            text=fmt,
        )
    return fmt


def table_cells(
    items: Any,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    ledger: Ledger | None = None,
    lang: str | None = None,
) -> list[list[str]]:
    """The cleaned cell texts ``to_table`` hands to tabulate, one list per item."""
    cols = check_columns(columns)
    its, led = items_of(items, ledger)
    ctx = RowContext(led, lang)
    by_row = [_CELLS[c] for c in cols]
    by_account = [_ACCOUNT_CELLS[c] for c in cols]
    out = []
    for item in its:
        if type(item) is Account:
            cells = [f(item, ctx) for f in by_account]
        else:
            row = to_row(item, ctx)
            cells = [f(row) for f in by_row]
        out.append([c if c.isprintable() else clean(c) for c in cells])
    return out


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` terminal cells, ending in ``…`` when cut.

    >>> truncate("文心一言发布会", 9)
    '文心一言…'
    """
    from ._textwidth import display_width  # wcwidth loads only when a table is fitted

    if display_width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


_BACKSLASHED_PIPE = re.compile(r"(\\*)\|")


def _backslash_pipes(text: str) -> str:
    """``|`` as ``\\|``, and the backslashes right before it doubled so they stay text."""
    return _BACKSLASHED_PIPE.sub(lambda m: m.group(1) * 2 + "\\|", text)


# Formats whose cells are separated by ``|`` in a markup that is read again (Markdown,
# wikis, Org): a ``|`` in the text must be escaped there, or it starts a new cell.
# Formats that only draw ``|`` (grid, psql, presto, ...) are read by people, not parsers.
_PIPE_ESCAPES: dict[str, Callable[[str], str]] = {
    "github": _backslash_pipes,  # GitHub Flavored Markdown: \| in a table cell
    "pipe": _backslash_pipes,  # Markdown pipe tables (PHP Markdown Extra, pandoc)
    "asciidoc": _backslash_pipes,  # AsciiDoc: the cell separator escaped with \
    "jira": _backslash_pipes,  # Jira wiki markup: \X escapes X
    "mediawiki": lambda t: t.replace("|", "&#124;"),  # MediaWiki: a | starts attributes
    "textile": lambda t: t.replace("|", "&#124;"),
    "orgtbl": lambda t: t.replace("|", "\\vert{}"),  # Org mode's entity for |
}


def escape_cells(cells: list[list[str]], fmt: str) -> list[list[str]]:
    r"""``cells`` with ``|`` escaped for formats whose cells ``|`` separates.

    >>> print(*escape_cells([["A|B", r"a\|b", "文心"]], "github")[0])
    A\|B a\\\|b 文心
    >>> print(*escape_cells([["A|B"]], "mediawiki")[0], *escape_cells([["A|B"]], "simple")[0])
    A&#124;B A|B
    """
    esc = _PIPE_ESCAPES.get(fmt)
    if esc is None or "|" not in "\n".join(["\n".join(row) for row in cells]):
        return cells  # a join is one pass in C: most tables hold no | at all
    return [[esc(c) if "|" in c else c for c in row] for row in cells]


def _render(cells: list[list[str]], headers: list[str], fmt: str) -> str:
    from tabulate import tabulate

    return str(tabulate(cells, headers=headers, tablefmt=fmt, disable_numparse=True))


def _fit(cells: list[list[str]], headers: list[str], fmt: str, width: int) -> str:
    from ._textwidth import display_width

    text = _render(cells, headers, fmt)
    # a column is never cut narrower than its header (+2, tabulate's header padding):
    # that would lose text and gain no width
    flexible = [
        (i, max(floor, display_width(c) + 2), max(_LAST_RESORT, display_width(c) + 2))
        for c, floor in _FLEXIBLE.items()
        if c in headers
        for i in (headers.index(c),)
    ]
    # first down to readable floors, most expendable column first; then, if the terminal
    # is narrower still, every text column down to its last resort rather than let lines wrap
    order = [(i, floor) for i, floor, _ in flexible] + [(i, last) for i, _, last in flexible]
    limits = {
        i: max([display_width(headers[i])] + [display_width(row[i]) for row in cells])
        for i, _, _ in flexible
    }
    for _ in range(4):  # the first pass usually fits; padding rules may need another
        excess = max((display_width(line) for line in text.splitlines()), default=0) - width
        if excess <= 0:
            break
        for i, floor in order:
            take = min(excess, max(0, limits[i] - floor))
            limits[i] -= take
            excess -= take
        cut = [
            [truncate(v, limits[i]) if i in limits else v for i, v in enumerate(row)]
            for row in cells
        ]
        text = _render(cut, headers, fmt)
    return text


def to_table(
    items: Any,
    *,
    fmt: str = "simple",
    columns: Sequence[str] = DEFAULT_COLUMNS,
    ledger: Ledger | None = None,
    lang: str | None = None,
    width: int | None = None,
) -> str:
    """A table of ``items`` in any tabulate format, dates at their own precision.

    ``items`` is a ``Ledger`` (all its accounts) or an iterable of accounts, rows or
    merged events, shown in the order given. ``ledger`` supplies actor names (in
    ``lang`` where translated) and source titles; ``lang`` also picks title
    translations. ``width`` fits the table to that many terminal cells by truncating
    text columns (see the module docs); ``None`` never truncates.
    """
    check_format(fmt)
    cols = check_columns(columns)
    # escaped before fitting, so that widths count the escapes (a cut through one leaves
    # a lone backslash before the "…", which Markdown shows as it is)
    cells = escape_cells(table_cells(items, cols, ledger, lang), fmt)
    headers = list(cols)
    if width is None or width <= 0:
        return _render(cells, headers, fmt)
    return _fit(cells, headers, fmt, width)
