"""The filter options shared by the commands that pick accounts (``table``, ``export``).

``add_filter_args(parser)`` adds them; ``select(ledger, args)`` returns the accounts
they pick, in chronological order (with no filter: every account). They mean exactly
what the fields of :class:`chronicle.Query` mean; ``docs/cli.md`` lists them.
"""

from __future__ import annotations

__all__ = [
    "add_filter_args",
    "cli_date",
    "number_arg",
    "query_from_args",
    "select",
    "text_arg",
    "zone_arg",
]

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._query import Query
    from ._records import Account
    from ._when import Span, When


# -- option types: a bad value is a usage error naming the option (exit 2) ---------------


def zone_arg(text: str) -> str:
    """``--tz``: a zone chronicle can read, checked even when no file needs it."""
    from ._calendar import get_zone
    from .errors import ChronicleError

    try:
        get_zone(text)
    except ChronicleError as e:
        raise argparse.ArgumentTypeError(e.message) from None
    return text


def text_arg(text: str) -> str:
    """A text option: empty text is an error, never a silent fallback to the default."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected some text, got an empty one")
    return text


def number_arg(text: str) -> float:
    """``--min``/``--max``: a finite number."""
    import math

    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(n):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return n


def cli_date(
    text: str, option: str, *, tz: str | None = None, ref: Any = None, example: str = "2023-02"
) -> When | Span:
    """``text``, given to ``option``, read as a date; an error names the option.

    A relative date (上个月, last month) needs a reference date, which only ``parse``
    takes (``--ref``); elsewhere the message says to write the date itself.
    """
    from ._parse import parse_when
    from .errors import ChronicleError, ParseError, ReferenceRequired

    try:
        return parse_when(text, tz=tz, ref=ref)
    except ReferenceRequired as e:
        message = (
            f"{option} {text!r} is relative and the command line has no date to read it "
            f"against; write the date itself, e.g. {option} {example}"
        )
        raise ParseError(message, text=text, position=e.position, length=e.length) from None
    except ParseError as e:
        raise ParseError(
            f"{option}: {e.message}", text=text, position=e.position, length=e.length
        ) from None
    except ChronicleError as e:
        raise ChronicleError(f"{option}: {e.message}", text=text) from None


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
        "--from",
        dest="start",
        metavar="DATE",
        type=text_arg,
        help="only accounts possibly at or after DATE",
    )
    g.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        type=text_arg,
        help="only accounts possibly at or before DATE",
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
        type=text_arg,
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
        type=text_arg,
        metavar="KIND",
        help="launch, metric, ... (repeatable: any of them)",
    )
    g.add_argument(
        "--tag",
        action="append",
        default=[],
        type=text_arg,
        metavar="TAG",
        help="a tag (repeatable: all of them)",
    )
    g.add_argument(
        "--source",
        action="append",
        default=[],
        type=text_arg,
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
        type=text_arg,
        metavar="WORDS",
        help="every word in the title, a translation, a quote or the note",
    )
    g.add_argument(
        "--min", dest="min_quantity", type=number_arg, metavar="N", help="a quantity of at least N"
    )
    g.add_argument(
        "--max", dest="max_quantity", type=number_arg, metavar="N", help="a quantity of at most N"
    )
    g.add_argument("--unit", metavar="UNIT", type=text_arg, help="a quantity in this unit")
    g.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        type=text_arg,
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

    q = query_from_args(args)
    # the dates are read here, in the ledger's zone as the query would, so that an error
    # names the option (--from), not the query's field (start)
    dates = {
        field: cli_date(text, option, tz=ledger.tz)
        for field, option in (("start", "--from"), ("end", "--to"), ("as_of", "--as-of"))
        if isinstance(text := getattr(q, field), str)
    }
    return run_query(ledger, q.where(**dates) if dates else q)
