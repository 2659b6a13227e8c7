"""The filter options shared by the commands that pick accounts (``table``, ``export``).

``add_filter_args(parser)`` adds them; ``select(ledger, args)`` returns the accounts
they pick, in chronological order (with no filter: every account). They mean exactly
what the fields of :class:`chronicle.Query` mean; ``docs/cli.md`` lists them.
"""

from __future__ import annotations

__all__ = ["add_filter_args", "query_from_args", "select"]

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._query import Query
    from ._records import Account


def add_filter_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--from``, ``--to``, ``--certainly``, ``--actor``, ... to ``parser``."""
    g = parser.add_argument_group(
        "filters",
        "Pick accounts; every filter given must match. Dates are EDTF or natural text "
        "read in the ledger's zone; a --from date starts at the beginning of its unit, "
        "a --to or --as-of date ends at the end of its unit (--to 2023-03 is up to the "
        "last instant of March 2023).",
    )
    g.add_argument(
        "--from", dest="start", metavar="DATE", help="only accounts possibly at or after DATE"
    )
    g.add_argument(
        "--to", dest="end", metavar="DATE", help="only accounts possibly at or before DATE"
    )
    g.add_argument(
        "--certainly",
        action="store_true",
        help="with --from/--to: only accounts whose dates lie wholly inside the window "
        "(default: any that may fall in it)",
    )
    g.add_argument(
        "--actor",
        action="append",
        default=[],
        metavar="NAME",
        help="an actor's id, name or alias in any language; its parts too (repeatable: any of them)",
    )
    g.add_argument(
        "--no-part-of",
        dest="part_of",
        action="store_false",
        help="with --actor: that actor only, not the actors that are part of it",
    )
    g.add_argument(
        "--kind",
        action="append",
        default=[],
        metavar="KIND",
        help="launch, metric, ... (repeatable: any of them)",
    )
    g.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="a tag (repeatable: all of them)"
    )
    g.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="ID",
        help="cited by this source or by a source citing it (repeatable: any of them)",
    )
    g.add_argument(
        "--cited-directly",
        dest="via_citing",
        action="store_false",
        help="with --source: only accounts that cite the source themselves, not through a "
        "source citing it",
    )
    g.add_argument(
        "--text",
        metavar="WORDS",
        help="every word in the title, a translation, a quote or the note",
    )
    g.add_argument(
        "--min", dest="min_quantity", type=float, metavar="N", help="a quantity of at least N"
    )
    g.add_argument(
        "--max", dest="max_quantity", type=float, metavar="N", help="a quantity of at most N"
    )
    g.add_argument("--unit", metavar="UNIT", help="a quantity in this unit")
    g.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        help="as a reader saw it then: only accounts whose source was certainly published by the end of DATE",
    )


def query_from_args(args: argparse.Namespace) -> Query:
    """The :class:`chronicle.Query` the options in ``args`` describe."""
    from ._query import Query

    return Query(
        start=getattr(args, "start", None),
        end=getattr(args, "end", None),
        mode="certainly" if getattr(args, "certainly", False) else "possibly",
        actor=getattr(args, "actor", ()) or (),
        part_of=getattr(args, "part_of", True),
        kind=getattr(args, "kind", ()) or (),
        tag=getattr(args, "tag", ()) or (),
        source=getattr(args, "source", ()) or (),
        via_citing=getattr(args, "via_citing", True),
        text=getattr(args, "text", None),
        min_quantity=getattr(args, "min_quantity", None),
        max_quantity=getattr(args, "max_quantity", None),
        unit=getattr(args, "unit", None),
        as_of=getattr(args, "as_of", None),
    )


def select(ledger: Ledger, args: argparse.Namespace) -> list[Account]:
    """The accounts the filter options in ``args`` pick, in chronological order."""
    from ._query import run_query

    return run_query(ledger, query_from_args(args))
