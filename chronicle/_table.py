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
- **Markup**: in formats that are markup read again (``github`` and ``pipe``
  Markdown, ``rst``, ``asciidoc``, ``jira``, ``mediawiki``, ``textile``, ``orgtbl``)
  the text is escaped so that it shows as it is: a ``|`` cannot start a cell, nor
  ``*x*``, ``[a](b)``, ``<b>`` or ``{{x}}`` become emphasis, links, HTML or templates
  (see "escaping markup" below). ``html`` and ``latex*`` are escaped by tabulate;
  ``unsafehtml``, ``latex_raw``, ``moinmoin`` and ``youtrack`` are refused.
- **Width**: with ``width=N`` the table is fitted to ``N`` terminal cells by
  truncating text columns with ``…``: sources, actors, tags and other secondary
  columns first, the title last, each down to a readable floor (8 to 12 cells), and
  only when that is not enough, every text column down to the width of its header. Dates, kinds and
  statuses are never cut. Truncating keeps one line per item, so rows stay easy
  to scan and to ``grep``. Widths count escapes; text is cut before it is escaped, so
  a cut never splits an escape. ``width=None`` (the default, and what ``chronicle
  table`` does when its output is piped) never truncates.

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
from typing import TYPE_CHECKING, Any, NamedTuple

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
    """``fmt`` if chronicle writes it (a ``ChronicleError`` says why not, or lists the formats).

    Every tabulate format but those whose cells chronicle cannot make safe (see
    ``_REFUSED``: ``unsafehtml``, ``latex_raw``, ``moinmoin``, ``youtrack``, ``colon_grid``).
    """
    from tabulate import tabulate_formats

    if fmt in _REFUSED:
        raise ChronicleError(f"table format {fmt!r} is not offered: {_REFUSED[fmt]}", text=fmt)
    if fmt not in tabulate_formats:
        choices = sorted(set(tabulate_formats) - set(_REFUSED))
        raise ChronicleError(
            f"unknown table format {fmt!r}; choose from {', '.join(choices)}", text=fmt
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


# ---------------------------------------------------------------- escaping markup
#
# A table in a markup that is read again gets each cell's text escaped, so that a reader
# sees the text itself: nothing in it can split a cell, or start emphasis, a link, an
# image, HTML, a macro or a list. Only what can change a cell's rendering is escaped, so
# ordinary text stays readable ("GPT-4", "2023-03-16", in Markdown "~2022"). Each
# format has a ``trigger`` (a precompiled search for its special characters) and an
# ``escape`` run only on the cells the trigger finds, so a table of plain text costs one
# regex scan. docs/export.md lists what each format escapes; tests/test_table_escaping.py
# checks the Markdown, reStructuredText, MediaWiki, Textile and AsciiDoc ones against real
# parsers (cmark-gfm, docutils, mwparserfromhell, python-textile, Asciidoctor).


class _Markup(NamedTuple):
    trigger: re.Pattern[str]  # a cell without a match needs no escaping
    escape: Callable[[str], str]  # the cell's text as the markup shows it literally


def _numeric_ref(ch: str) -> str:
    return f"&#{ord(ch)};"


# Markdown: CommonMark 0.31.2 (https://spec.commonmark.org/0.31.2/) and GitHub Flavored
# Markdown 0.29 (https://github.github.com/gfm/). A table cell holds inline content only
# (GFM 4.10), so block syntax (#, >, -, 1., ```) is text there. What can change a cell:
# - "|" ends the cell (GFM 4.10): always "\|";
# - "\" before ASCII punctuation is an escape (2.4): doubled there, left alone elsewhere;
# - "&" starting an entity or numeric reference (2.5): "&amp;" then, so "AT&T" stays;
# - "<" starting raw HTML (6.6: a tag name's letter, "/", "!", "?") or an autolink (6.5:
#   a scheme's letter): "&lt;", an entity rather than "\<", which Markdown before
#   CommonMark (Markdown.pl, PHP Markdown Extra) shows with its backslash;
# - "`" code spans (6.1), "*" and "_" emphasis (6.2), "~" strikethrough (GFM 6.5), "$"
#   GitHub's math: each needs an opening and a closing run of its character, so it is
#   escaped only in a cell holding two or more ("~2022", "$5", "a_b" stay as they are);
# - "[" opening a link, image, reference or footnote (6.3, 6.4): only with a "]" in the cell.
# GFM autolinks bare URLs (6.9: "www.", "http://", "https://") reading them raw, so a
# backslash escape inside one would show: a URL that holds a character escaped here gets
# its "://" (or "www.") escaped as well, and shows as exact, unlinked text.
# pandoc's Markdown (read from `pipe` tables) adds "^superscript^" (paired, as above) and
# "@citations" (an "@" starting a word).
_MD_SPECIAL = (
    r"\\(?=[!-/:-@\[-`{-~])|[|`*_~$\[]|<(?=[A-Za-z/!?])"
    r"|&(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]*;)"
)
_GFM = re.compile(_MD_SPECIAL)
_PANDOC = re.compile(_MD_SPECIAL + r"|\^|(?<!\w)@(?=[\w{])")
# as far as cmark-gfm may read a link: to ASCII whitespace (an "&lt;" written for "<" is on it)
_BARE_URL = re.compile(r"(?i)(?:https?://|ftp://|www\.)[^ \t\n\r\f\v]*")
_LINK_START = re.compile(r"(?i)(?:https?|ftp)(:)//|www(\.)")


def _markdown(special: re.Pattern[str], paired: str) -> Callable[[str], str]:
    def escape(text: str) -> str:
        keep = {c for c in paired if text.count(c) < 2}  # a lone delimiter cannot pair
        if "]" not in text:
            keep.add("[")

        def one(m: re.Match[str]) -> str:
            s = m.group()
            if s == "<":
                return "&lt;"
            if s == "&":
                return "&amp;"
            return s if s in keep else "\\" + s

        edits = [(m.start(), m.end(), r) for m in special.finditer(text) if (r := one(m)) != m[0]]
        if edits and ("//" in text or "www" in text.lower()):
            for url in _BARE_URL.finditer(text):
                if any(url.start() <= at < url.end() for at, _, _ in edits):
                    # an escape would show inside a link: unlink it (and any link in it)
                    for link in _LINK_START.finditer(text, url.start(), url.end()):
                        cut = link.start(1) if link.start(1) >= 0 else link.start(2)
                        edits.append((cut, cut, "\\"))
            edits.sort()
        out: list[str] = []
        at = 0
        for start, end, replacement in edits:
            out += (text[at:start], replacement)
            at = end
        out.append(text[at:])
        return "".join(out)

    return escape


# reStructuredText (https://docutils.sourceforge.io/docs/ref/rst/restructuredtext.html).
# A backslash makes any character literal ("Escaping Mechanism"). Inline markup starts
# with "*", "`" or "|" (escaped everywhere: docutils warns about a lone one) and
# references end with "_" ("word_", "[1]_", "`x`__": an "_" not followed by a word
# character). A simple-table cell is a small document, so its start could begin a block:
# a cell starting with ASCII punctuation or a bullet ("- ", "* ", "..", ">>>", ":field:",
# "----", "====") or with an enumerator ("1. ", "(a) ", "iv) ", "#. ") gets a backslash
# before its first character; a cell ending in "::" would end in ":" before a literal
# block, so its last ":" is escaped.
_RST_INLINE = re.compile(r"[\\*`|]|_(?!\w)")
_ENUMERATOR = r"(?:[0-9]+|[A-Za-z]|[IVXLCDMivxlcdm]+|#)"
_RST_BLOCK = re.compile(
    rf"[!-/:-@\[-`{{-~\u2022\u2023\u2043]|{_ENUMERATOR}[.)](?:\s|$)|\({_ENUMERATOR}\)(?:\s|$)"
)
_RST_TRIGGER = re.compile(rf"[\\*`|]|_(?!\w)|::\s*$|^\s*(?:{_RST_BLOCK.pattern})", re.M)


def _escape_rst(text: str) -> str:
    if text.strip("\\") == "" and len(text) > 1:  # "\\\\" would be a transition line
        return f"``{text}``"
    out = _RST_INLINE.sub(r"\\\g<0>", text)
    if _RST_BLOCK.match(text) and out[:1] != "\\":
        out = "\\" + out
    if out.endswith("::"):
        out = out[:-1] + "\\:"
    return out


# Jira wiki markup (Atlassian's "Text Formatting Notation"; pandoc's Jira writer escapes
# the same way): "\X" shows a markup character X as itself, and a backslash is written
# "&#92;", since "\\" is a line break there. "|" (cells), "[" and "]" (links, mentions),
# "{" and "}" (macros, {{monospace}}) are always escaped; "*", "_", "+", "^", "~", "?"
# and "!" only in a cell holding two or more (they pair up); "-" only where it could
# open -deleted- text, not inside a word ("2023-03-16", "GPT-4").
_JIRA_TRIGGER = re.compile(r"[\\|\[\]{}*_+^~?!&-]")
_JIRA_SPECIAL = re.compile(
    r"[\\|\[\]{}*_+^~?!]|(?<!\w)-|&(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]*;)"
)


def _escape_jira(text: str) -> str:
    keep = {c for c in "*_+^~?!-" if text.count(c) < 2}

    def one(m: re.Match[str]) -> str:
        s = m.group()
        if s == "\\":
            return "&#92;"
        if s == "&":
            return "&amp;"
        return s if s in keep else "\\" + s

    return _JIRA_SPECIAL.sub(one, text)


# MediaWiki: characters as numeric references, the way MediaWiki's own wfEscapeWikiText
# does (https://www.mediawiki.org/wiki/Manual:Pipe_character and GlobalFunctions.php):
# "|" (cells, attributes), "[" (links), "{" (templates, tables, -{ }- language variants),
# "''" runs (italic, bold), "<" before a tag name or "!" (HTML, <ref>, <nowiki>, comments),
# "&" starting an entity, "~~~" (signatures, expanded on save), "__" (__TOC__ and other
# behaviour switches). Line-start markup (*, #, :, ;, ----) cannot occur inside a cell.
_WIKI_SPECIAL = re.compile(
    r"[|\[{]|'(?=')|(?<=')'|<(?=[A-Za-z/!?])|&(?=#?[0-9A-Za-z]+;)|~(?=~~)|_(?=_)"
)


# Textile (https://textile-lang.com; checked with python-textile): no backslash escapes,
# so characters are written as numeric references, which every Textile processor passes
# through. "|" (cells), "[" (footnotes, links), "(" ((c), (tm), ABC(acronym), (class)),
# '"' ("link":url, curly quotes), "'" (curly quotes), "<" (HTML), "&" (entities), "=="
# (notextile), "..." (ellipsis), "x" between numbers (2 x 4 -> 2 × 4), "-" not inside a
# word (-deleted-, " - " and "--" dashes), "#", ":" or ";" starting a cell (lists), and
# "*", "_", "?", "+", "^", "~", "%", "@", "!" everywhere: python-textile pairs them even
# across cells, so a lone one is not safe either.
_TEXTILE_SPECIAL = re.compile(
    r"""[|\[("'*_?+^~%@!]|<(?=[A-Za-z/!?])|&(?=#?[0-9A-Za-z]+;)|(?<!\w)-|-(?=-)"""
    r"""|=(?==)|\.(?=\.\.)|(?<=[0-9])x(?= ?[0-9])|(?<=[0-9] )x(?= ?[0-9])|^[#:;]"""
)


_TEXTILE_TRIGGER = re.compile(_TEXTILE_SPECIAL.pattern.replace("^[#:;]", r"^\s*[#:;]"), re.M)


def _escape_textile(text: str) -> str:
    return _TEXTILE_SPECIAL.sub(lambda m: _numeric_ref(m.group()), text)


# AsciiDoc (Asciidoctor, https://docs.asciidoctor.org/asciidoc/latest/subs/): a backslash
# escapes markup only where the markup would match and shows otherwise, so a cell holding
# markup characters goes into an inline passthrough, pass:c[...], which applies only the
# HTML special-character substitution: no formatting (* _ ` # ^ ~), attribute references
# ({name}), replacements ((C), --, ..., ->, the ' of "it's"), macros (link:, footnote:[]),
# anchors or raw passthroughs (+++). Inside it "]" is written "\]"; trailing backslashes
# stay outside it (they would escape its closing "]"). "|" is the cell separator: "\|",
# inside or out (a backslash before it is text: "\\|" shows "\|").
_ADOC_MARKUP = re.compile(r"[*_`#^~+{}\[\]<>&']|\((?:C|R|TM)\)|--|\.\.\.|=>")
_ADOC_TRIGGER = re.compile(_ADOC_MARKUP.pattern + r"|\|")


def _escape_asciidoc(text: str) -> str:
    if _ADOC_MARKUP.search(text) is None:
        return text.replace("|", "\\|")
    body = text.rstrip("\\")
    inner = body.replace("]", "\\]").replace("|", "\\|")
    return f"pass:c[{inner}]" + text[len(body) :]


_ESCAPES: dict[str, _Markup] = {
    "github": _Markup(re.compile(r"[\\|`*_~$\[<&]"), _markdown(_GFM, "`*_~$")),
    "pipe": _Markup(re.compile(r"[\\|`*_~$\[<&^@]"), _markdown(_PANDOC, "`*_~$^")),
    "rst": _Markup(_RST_TRIGGER, _escape_rst),
    "jira": _Markup(_JIRA_TRIGGER, _escape_jira),
    "mediawiki": _Markup(
        _WIKI_SPECIAL, lambda t: _WIKI_SPECIAL.sub(lambda m: _numeric_ref(m.group()), t)
    ),
    "textile": _Markup(_TEXTILE_TRIGGER, _escape_textile),
    "asciidoc": _Markup(_ADOC_TRIGGER, _escape_asciidoc),
    # Org mode has entities but no escape for its emphasis markers: only "|" is escaped
    "orgtbl": _Markup(re.compile(r"\|"), lambda t: t.replace("|", "\\vert{}")),
}

# formats chronicle does not write, and why
_REFUSED = {
    "unsafehtml": "it writes the text as raw HTML, so a title could add markup or scripts; "
    "use html, which escapes it",
    "latex_raw": "it writes the text as raw LaTeX, so a title could run LaTeX commands; "
    "use latex, which escapes it",
    "moinmoin": "MoinMoin markup has no escape chronicle can rely on for '||', macros and "
    "links in a cell; use html or mediawiki",
    "youtrack": "chronicle cannot escape text for YouTrack's wiki markup; YouTrack reads "
    "Markdown, so use github",
    "colon_grid": "it is pandoc's grid table, whose cells pandoc reads as Markdown blocks "
    "(lists, headings) that inline escaping cannot stop; use pipe for pandoc, or grid to read",
}

# LaTeX: tabulate escapes & % $ # _ { } ~ ^ \ < > in latex, latex_booktabs and
# latex_longtable; a row that starts with "[" or "*" would be read as the optional
# argument or star of the "\\" ending the row before, so such a row starts with "{}".
_LATEX = ("latex", "latex_booktabs", "latex_longtable")
_LATEX_ROW_START = re.compile(r"^( *)(?=[\[*])", re.M)


def escape_cell(fmt: str) -> Callable[[str], str]:
    """The function that escapes one cell's text for ``fmt`` (the identity for formats
    that need none)."""
    markup = _ESCAPES.get(fmt)
    if markup is None:
        return str
    trigger, escape = markup
    return lambda text: escape(text.strip()) if trigger.search(text) else text


def escape_cells(cells: list[list[str]], fmt: str) -> list[list[str]]:
    r"""``cells`` escaped for ``fmt`` (unchanged for formats that need no escaping).

    The cells hold no line break (``table_cells`` cleans them): the scan below reads
    cell ``i`` of the table as line ``i`` of one joined text.

    >>> print(*escape_cells([["A|B", r"a\|b", "*文心* ~2022"]], "github")[0])
    A\|B a\\\|b \*文心\* ~2022
    >>> print(*escape_cells([["A|B"]], "mediawiki")[0], *escape_cells([["A|B"]], "simple")[0])
    A&#124;B A|B
    """
    markup = _ESCAPES.get(fmt)
    if markup is None or not cells or not cells[0]:
        return cells
    trigger, escape = markup
    # one scan of the whole text (a join is one pass in C): most tables hold no special
    # character at all, and those that do are escaped cell by cell where the scan finds one
    text = "\n".join(map("\n".join, cells))  # cell i of the table is line i
    hit = trigger.search(text)
    if hit is None:
        return cells
    ncols = len(cells[0])
    out = list(cells)
    index, at = 0, 0
    while hit is not None:
        start = hit.start()
        index += text.count("\n", at, start)
        r, c = divmod(index, ncols)
        if out[r] is cells[r]:
            out[r] = list(cells[r])
        out[r][c] = escape(cells[r][c].strip())  # tabulate strips cells: so do escapes
        at = text.find("\n", start)
        if at < 0:
            break
        hit = trigger.search(text, at + 1)
    return out


def _render(cells: list[list[str]], headers: list[str], fmt: str) -> str:
    from tabulate import tabulate

    text = str(tabulate(cells, headers=headers, tablefmt=fmt, disable_numparse=True))
    if fmt in _LATEX:
        text = _LATEX_ROW_START.sub(r"\1{}", text)
    return text


def _cut(text: str, limit: int, escape: Callable[[str], str]) -> str:
    """``text`` cut to a limit of ``limit`` cells *as escaped*, escaped.

    The text is cut before it is escaped, so a cut never falls inside an escape (the
    escape of a character that does not fit is dropped with it).
    """
    from ._textwidth import display_width

    text = text.strip()  # as tabulate shows it
    shown = escape(text)
    if display_width(shown) <= limit:
        return shown
    kept = truncate(text, limit)[:-1]  # escaping only widens: this much at most
    while True:
        shown = escape(kept + "…")
        if not kept or display_width(shown) <= limit:
            return shown
        kept = kept[:-1]


def _fit(cells: list[list[str]], headers: list[str], fmt: str, width: int) -> str:
    from ._textwidth import display_width

    escape = escape_cell(fmt)
    shown = escape_cells(cells, fmt)
    text = _render(shown, headers, fmt)
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
        i: max([display_width(headers[i])] + [display_width(row[i]) for row in shown])
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
            [
                _cut(raw, limits[i], escape) if i in limits else v
                for i, (raw, v) in enumerate(zip(row, shown_row, strict=True))
            ]
            for row, shown_row in zip(cells, shown, strict=True)
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
    text columns (see the module docs); ``None`` never truncates. In formats that are
    markup (Markdown, reStructuredText, wikis, AsciiDoc, Textile) the text is escaped so
    that it shows as it is; widths count the escapes, and a cut never splits one.
    """
    check_format(fmt)
    cols = check_columns(columns)
    cells = table_cells(items, cols, ledger, lang)
    headers = list(cols)
    if width is None or width <= 0:
        return _render(escape_cells(cells, fmt), headers, fmt)
    return _fit(cells, headers, fmt, width)
