"""The filter options shared by the commands that pick accounts (``table``, ``export``).

``add_filter_args(parser)`` adds them; ``select(ledger, args)`` returns the accounts
they pick, in chronological order (with no filter: every account). They mean exactly
what the fields of :class:`chronicle.Query` mean; ``docs/cli.md`` lists them.
"""

from __future__ import annotations

__all__ = [
    "add_filter_args",
    "as_of_date",
    "by_date_then_id",
    "check_names",
    "cli_date",
    "number_arg",
    "query_from_args",
    "select",
    "text_arg",
    "zone_arg",
]

import argparse
from operator import attrgetter
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


def number_arg(text: str) -> int | float:
    """``--min``/``--max``: a finite number, written as a ledger file may write one
    (``80000``, ``8万``, ``214.16亿``, ``1.4 million``, ``1e5``)."""
    import math

    from ._convert import scale_number

    n: int | float
    try:
        n = scale_number(text)
    except ValueError:
        try:
            n = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a number (optionally with 万, 亿, k, million, ...), got {text!r}"
            ) from None
    if isinstance(n, float) and not math.isfinite(n):
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
        help="launch, metric, ... (repeatable: any of them; one no account has is an error)",
    )
    g.add_argument(
        "--tag",
        action="append",
        default=[],
        type=text_arg,
        metavar="TAG",
        help="a tag (repeatable: all of them; one no account has is an error)",
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
        "--min",
        dest="min_quantity",
        type=number_arg,
        metavar="N",
        help="a quantity of at least N (as in a ledger file: 80000, 8万, 1.4 million)",
    )
    g.add_argument(
        "--max",
        dest="max_quantity",
        type=number_arg,
        metavar="N",
        help="a quantity of at most N (as --min)",
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
    """The accounts the filter options in ``args`` pick, in chronological order, accounts
    with equal dates by id (so that the order does not depend on the files' names or how
    the ledger is split into files).

    An actor, source, kind or tag the ledger does not have is an error that suggests
    the names it does have, nearest first.
    """
    from ._query import run_query

    q = query_from_args(args)
    check_names(ledger, q)
    # the dates are read here, in the ledger's zone as the query would, so that an error
    # names the option (--from), not the query's field (start)
    dates = {
        field: cli_date(text, option, tz=ledger.tz)
        for field, option in (("start", "--from"), ("end", "--to"), ("as_of", "--as-of"))
        if isinstance(text := getattr(q, field), str)
    }
    return by_date_then_id(run_query(ledger, q.where(**dates) if dates else q))


def by_date_then_id(accounts: list[Account]) -> list[Account]:
    """``accounts``, already in chronological order, with each run of equal dates
    (``When.sort_key``) sorted by account id, in place; returns the list."""
    n = len(accounts)
    i = 0
    while i < n:
        w = accounts[i].when
        e, l = w._e, w._l
        j = i + 1
        while j < n:
            v = accounts[j].when
            # (equal keys have equal bounds: only those are compared whole, once known)
            if v is not w and (v._e != e or v._l != l or v.sort_key != w.sort_key):
                break
            j += 1
        if j - i > 1:
            accounts[i:j] = sorted(accounts[i:j], key=attrgetter("id"))
        i = j
    return accounts


def as_of_date(ledger: Ledger, args: argparse.Namespace) -> When | Span | None:
    """``--as-of`` read in the ledger's zone (None when not given); an error names it."""
    text = getattr(args, "as_of", None)
    return None if text is None else cli_date(text, "--as-of", tz=ledger.tz)


# -- names the ledger does not have --------------------------------------------------------


def check_names(ledger: Ledger, q: Query) -> None:
    """Refuse an actor, source, kind or tag that ``ledger`` does not have, suggesting the
    nearest it has: those that start with what was typed (``leiphone`` for
    ``leiphone-2023-03-24``), then those spelled alike. A kind or tag no account has would
    otherwise give an empty table without a word."""
    from ._fold import fold
    from ._index import name_table
    from ._query import QueryError, unknown_name

    if q.actor:
        names = name_table(ledger)[0]
        for name in q.actor:
            if fold(name) not in names:
                raise QueryError(unknown_name("actor", name, names, fold), text=name)
    for sid in q.source:
        if sid not in ledger.sources:
            raise QueryError(unknown_name("source", sid, ledger.sources), text=sid)
    if q.kind or q.tag:
        kinds: set[str] = set()
        tags: set[str] = set()
        for a in ledger.accounts:
            kinds.add(a.kind)
            tags.update(a.tags)
        for what, wanted, have in (("kind", q.kind, kinds), ("tag", q.tag, tags)):
            for name in wanted:
                if name not in have:
                    raise QueryError(
                        unknown_name(what, name, have, str.casefold, "no account has"), text=name
                    )
