"""``chronicle export {ics,json,jsonl,csv,md,html} PATH... [-o FILE|-]``.

The accounts exported are chosen by :func:`chronicle._cli_table.select_accounts`,
the same as ``chronicle table`` shows. Output goes to stdout (``-o -``, the default)
or to FILE, written atomically: an interrupted export leaves no half-written file.
"""

from __future__ import annotations

__all__ = ["FORMATS", "register", "run"]

import argparse
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._records import Account

FORMATS = ("ics", "json", "jsonl", "csv", "md", "html")


# the options that only some formats use, and those formats: giving one to another
# format is an error, not silently nothing
FORMAT_OPTIONS = {
    "lang": ("--lang", ("ics", "csv", "md", "html")),
    "coarse": ("--coarse", ("ics",)),
    "open_ended": ("--open", ("ics",)),
    "instant_minutes": ("--instant-minutes", ("ics",)),
    "columns": ("--columns", ("csv",)),
    "bom": ("--bom", ("csv",)),
    "lanes": ("--lanes", ("html",)),
    "name": ("--name", ("ics", "md", "html")),  # each names the calendar or the page
    "title": ("--title", ("ics", "md", "html")),
}
DEFAULTS = {"coarse": "span", "open_ended": "bound-day", "instant_minutes": 30, "lanes": "actor"}


def register(sub: Any) -> None:
    from ._cli_filters import text_arg
    from ._cli_table import add_ledger_arguments

    sp = sub.add_parser(
        "export",
        help="export accounts as iCalendar, JSON, JSON Lines, CSV, Markdown or HTML",
        description="Export a ledger's accounts. ics: a calendar for Google, Apple, Outlook or "
        "Thunderbird (see docs/calendar.md); json/jsonl: the ledger itself, lossless, readable "
        "by chronicle; csv: one row per account, safe to open in a spreadsheet; md: a "
        "chronology by year with footnoted sources; html: a self-contained timeline page "
        "(see docs/timeline.md).",
    )
    sp.add_argument(
        "format", choices=FORMATS, metavar="FORMAT", help="one of: " + ", ".join(FORMATS)
    )
    add_ledger_arguments(sp)
    sp.add_argument(
        "-o", "--output", default="-", metavar="FILE", help="write to FILE (default -, stdout)"
    )
    g = sp.add_argument_group("every format but json and jsonl")
    g.add_argument(
        "--lang",
        default=None,
        type=text_arg,
        help="titles and actor names in this language where translated",
    )
    g.add_argument(
        "--merged",
        action="store_true",
        help="export the merged events of the chosen accounts instead of the accounts "
        "(one calendar entry, row, item or bar per event, with its status and explanation; "
        "html also draws the competing dates of a conflict); with --as-of, only the "
        "resolutions recorded by then apply",
    )
    g = sp.add_argument_group("ics, md and html")
    g.add_argument(
        "--name",
        default=None,
        type=text_arg,
        help="the calendar's name (default: --title, else chronicle); for md and html, the "
        "heading when there is no --title",
    )
    g.add_argument(
        "--title",
        default=None,
        type=text_arg,
        help="the heading of the Markdown chronology or the HTML page (default: --name, else "
        "Chronology); for ics, the calendar's name when there is no --name",
    )
    g = sp.add_argument_group("ics")
    g.add_argument(
        "--coarse",
        default=None,
        type=text_arg,
        metavar="POLICY",
        help="dates coarser than a day: span (all-day over the whole unit, default), first-day, "
        "skip; or per precision, e.g. year=first-day,quarter=first-day",
    )
    g.add_argument(
        "--open",
        dest="open_ended",
        default=None,
        choices=("bound-day", "skip"),
        help="dates open at one end: bound-day (one day at the known bound, default) or skip",
    )
    g.add_argument(
        "--instant-minutes",
        type=int,
        default=None,
        metavar="N",
        help="how long a clock time is drawn (default 30)",
    )
    g = sp.add_argument_group("csv")
    g.add_argument(
        "--bom",
        action="store_true",
        default=None,
        help="start with a UTF-8 byte-order mark (for Excel)",
    )
    g.add_argument(
        "--columns",
        default=None,
        type=text_arg,
        help="comma-separated CSV columns (default: all)",
    )
    g = sp.add_argument_group("html")
    g.add_argument(
        "--lanes",
        default=None,
        choices=("actor", "kind"),
        help="one swimlane per main actor (default) or per kind",
    )
    sp.set_defaults(handler=run)


def _coarse_arg(text: str) -> str | dict[str, str]:
    if "=" not in text:
        return text.strip()
    out: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep:
            from .errors import ChronicleError

            raise ChronicleError(f"expected precision=policy in --coarse, got {part!r}", text=part)
        out[key.strip()] = value.strip()
    return out


def _merged(
    ledger: Ledger, accounts: list[Account], fmt: str, args: argparse.Namespace
) -> tuple[Ledger, Any]:
    """(ledger, merged timeline) of the chosen accounts, for ``--merged``; with
    ``--as-of``, only the resolutions recorded by then."""
    from ._cli_filters import as_of_date
    from ._cli_merge import merged
    from .errors import ChronicleError

    if fmt in ("json", "jsonl"):
        raise ChronicleError(
            "--merged: JSON export writes ledger records; "
            "merged timelines have their own JSON (chronicle merge --json)"
        )
    return merged(ledger, accounts, as_of=as_of_date(ledger, args))


def check_options(fmt: str, args: argparse.Namespace) -> None:
    """Refuse an option ``fmt`` does not use (``export json --bom``): it would do nothing."""
    from .errors import ChronicleError

    groups: dict[tuple[str, ...], list[str]] = {}
    for dest, (option, formats) in FORMAT_OPTIONS.items():
        if getattr(args, dest, None) is not None and fmt not in formats:
            groups.setdefault(formats, []).append(option)
    if groups:
        said = "; ".join(
            f"{' and '.join(options)} {'is' if len(options) == 1 else 'are'} for "
            f"{', '.join(formats)} export only"
            for formats, options in groups.items()
        )
        n = sum(len(options) for options in groups.values())
        raise ChronicleError(f"{said}; {fmt} does not use {'it' if n == 1 else 'them'}")


def render(fmt: str, args: argparse.Namespace, err: TextIO | None = None) -> bytes:
    """The exported bytes for ``args`` (the ledger is loaded here); notes go to ``err``."""
    from ._cli_table import select_accounts
    from ._ledger import load

    check_options(fmt, args)
    for dest, default in DEFAULTS.items():
        if getattr(args, dest, None) is None:
            setattr(args, dest, default)

    ledger = load(*args.paths, tz=args.tz)
    accounts = select_accounts(ledger, args)
    items: Any = accounts
    if args.merged:
        ledger, items = _merged(ledger, accounts, fmt, args)
    title = args.title or args.name or "Chronology"
    if fmt == "ics":
        from ._ical import assemble, calendar_parts

        parts = calendar_parts(
            items,
            ledger=ledger,
            name=args.name or args.title or "chronicle",
            lang=args.lang,
            coarse=_coarse_arg(args.coarse),
            open_ended=args.open_ended,
            instant_minutes=args.instant_minutes,
        )
        if err is not None and parts.skipped:
            print(f"chronicle: {parts.skipped} item(s) left out by --coarse/--open skip", file=err)
        if err is not None and not parts.events:
            print("chronicle: the calendar has no events", file=err)
        return bytes(assemble(parts).to_ical())
    if fmt == "html":
        from ._html import to_html

        page = to_html(items, ledger=ledger, lanes=args.lanes, title=title, lang=args.lang)
        return page.encode("utf-8")
    from . import _export

    if fmt in ("json", "jsonl"):
        return _export.to_json(items, ledger=ledger, lines=fmt == "jsonl").encode("utf-8")
    if fmt == "csv":
        columns = (
            _export.CSV_COLUMNS
            if args.columns is None
            else [c.strip() for c in args.columns.split(",") if c.strip()]
        )
        if not columns:
            from .errors import ChronicleError

            raise ChronicleError(
                f"--columns {args.columns!r} names no column; choose from "
                + ", ".join(_export.CSV_COLUMNS)
            )
        return _export.to_csv(
            items, ledger=ledger, columns=columns, lang=args.lang, bom=bool(args.bom)
        ).encode("utf-8")
    return _export.to_markdown(items, ledger=ledger, title=title, lang=args.lang).encode("utf-8")


def _check_output(args: argparse.Namespace) -> None:
    """Refuse to write over a file of the ledger being read, or a ledger-looking file of
    another format (``export json -o notes.toml``)."""
    from pathlib import Path

    from ._files import FORMATS, ledger_files
    from .errors import ChronicleError

    target = Path(args.output).resolve()
    for p in args.paths:
        try:
            inputs = ledger_files(Path(p))
        except ChronicleError:
            continue  # reported when the ledger is read
        if target in {f.resolve() for f in inputs}:
            raise ChronicleError(
                "refusing to write over this file: it is part of the ledger being read",
                path=args.output,
            )
    kind = FORMATS.get(target.suffix.lower())
    if kind is not None and kind != args.format:
        raise ChronicleError(
            f"refusing to write {args.format} into this file: its suffix says {kind}",
            path=args.output,
        )


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    check_options(args.format, args)  # before reading anything
    if args.output != "-":
        _check_output(args)
    data = render(args.format, args, err)
    if args.output == "-":
        buffer = getattr(out, "buffer", None)
        if buffer is not None:  # a real stdout: write the bytes as they are (CRLF intact)
            out.flush()
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8"))
        return 0
    from ._files import atomic_write

    atomic_write(args.output, data)  # an UnwritableOutput names the file
    print(f"wrote {args.output} ({args.format}, {len(data):,} bytes)", file=err)
    return 0
