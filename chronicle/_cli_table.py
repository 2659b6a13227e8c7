"""``chronicle table``: print accounts as a table."""

from __future__ import annotations

import argparse
from typing import Any, TextIO


def register(sub: Any) -> None:
    sp = sub.add_parser("table", help="print a ledger's accounts as a table, in chronological order")
    sp.add_argument("paths", nargs="+", metavar="PATH", help="ledger files or folders")
    sp.add_argument("--format", "-f", default="simple", help="any tabulate format (simple, github, grid, plain, ...)")
    sp.add_argument("--columns", "-c", default=None, help="comma-separated columns (date,title,kind,actors,quantity,sources,id,event,tags)")
    sp.add_argument("--lang", default=None, help="show titles and names in this language where translated (e.g. en)")
    sp.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._ledger import load
    from ._table import DEFAULT_COLUMNS, to_table

    ledger = load(*args.paths)
    columns = tuple(c.strip() for c in args.columns.split(",")) if args.columns else DEFAULT_COLUMNS
    accounts = sorted(ledger, key=lambda a: a.when.sort_key)
    print(to_table(accounts, fmt=args.format, columns=columns, ledger=ledger, lang=args.lang), file=out)
    return 0
