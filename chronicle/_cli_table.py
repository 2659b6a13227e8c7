"""``chronicle table``: print accounts as a table.

:func:`select_accounts` is the one place where the command line decides which
accounts are shown or exported (``chronicle export`` uses it too): filters are
wired in there.
"""

from __future__ import annotations

__all__ = ["add_ledger_arguments", "add_zone_argument", "register", "run", "select_accounts"]

import argparse
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._records import Account


def select_accounts(ledger: Ledger, args: argparse.Namespace) -> list[Account]:
    """The accounts a command works on: those the filters pick, in chronological order
    (accounts with equal dates by id)."""
    from ._cli_filters import select

    return select(ledger, args)


def add_ledger_arguments(sp: argparse.ArgumentParser) -> None:
    """``PATH...``, ``--tz`` and the filters, shared by ``table`` and ``export``."""
    from ._cli_filters import add_filter_args

    sp.add_argument("paths", nargs="+", metavar="PATH", help="ledger files or folders")
    add_zone_argument(sp)
    add_filter_args(sp)


def add_zone_argument(sp: argparse.ArgumentParser) -> None:
    """``--tz ZONE``, the same for every command that reads a ledger."""
    from ._cli_filters import zone_arg

    sp.add_argument(
        "--tz",
        default=None,
        type=zone_arg,
        metavar="ZONE",
        help="zone for the files that declare none (default UTC)",
    )


def _cells(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of columns, got {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"a width cannot be negative, got {n}")
    return n


def register(sub: Any) -> None:
    from ._cli_filters import text_arg

    sp = sub.add_parser(
        "table",
        help="print a ledger's accounts as a table, in chronological order",
        description="Print accounts as a table, each date at its own precision. On a terminal "
        "the table is fitted to its width by truncating long text with …; piped, nothing is cut.",
    )
    add_ledger_arguments(sp)
    sp.add_argument(
        "--format",
        "-f",
        default="simple",
        type=text_arg,
        help="any tabulate format: simple (default), plain, github, grid, pipe, rst, html, ...; "
        "markup formats are escaped so the text shows as it is (unsafehtml, latex_raw, "
        "moinmoin and youtrack are refused)",
    )
    sp.add_argument(
        "--columns",
        "-c",
        default=None,
        type=text_arg,
        help="comma-separated columns from: date, title, kind, actors, quantity, sources, "
        "status, id, event, tags, place, url, precision, edtf, note "
        "(default: date,title,kind,actors,quantity,sources)",
    )
    sp.add_argument(
        "--lang",
        default=None,
        type=text_arg,
        help="titles and actor names in this language where translated (e.g. en)",
    )
    sp.add_argument(
        "--width",
        type=_cells,
        default=None,
        metavar="N",
        help="fit the table to N columns (default: the terminal's width on a terminal, "
        "no limit when piped; 0 = no limit)",
    )
    sp.add_argument(
        "--merged",
        action="store_true",
        help="one row per merged event of the chosen accounts (with its status) "
        "instead of one per account",
    )
    sp.set_defaults(handler=run)


def table_width(requested: int | None, out: TextIO) -> int | None:
    """The width to fit to: ``--width``, else the terminal's when ``out`` is one, else none."""
    if requested is not None:
        return requested if requested > 0 else None
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._cli_filters import as_of_date
    from ._ledger import load
    from ._table import DEFAULT_COLUMNS, check_columns, check_format, to_table

    check_format(args.format)
    default = (*DEFAULT_COLUMNS, "status") if args.merged else DEFAULT_COLUMNS
    columns = (
        default
        if args.columns is None
        else check_columns([c.strip() for c in args.columns.split(",") if c.strip()])
    )
    ledger = load(*args.paths, tz=args.tz)
    items: list[Any] = select_accounts(ledger, args)
    if args.merged:
        from ._cli_merge import merged

        ledger, timeline = merged(ledger, items, as_of=as_of_date(ledger, args))
        items = sorted(timeline.events, key=lambda e: (e.when.sort_key, e.event))
    width = table_width(args.width, out)
    print(
        to_table(
            items, fmt=args.format, columns=columns, ledger=ledger, lang=args.lang, width=width
        ),
        file=out,
    )
    return 0
