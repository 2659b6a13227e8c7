"""``chronicle add``: append an account to a TOML ledger file."""

from __future__ import annotations

import argparse
from typing import Any, TextIO


def register(sub: Any) -> None:
    sp = sub.add_parser(
        "add",
        help="append an [[account]] to a TOML file (comments and layout kept)",
        description="Append one account to FILE. Relative dates are read against the source's "
        "published date; the account is checked against the whole ledger before anything is written.",
    )
    sp.add_argument("file", metavar="FILE", help="the .toml file to append to")
    sp.add_argument("--id", required=True)
    sp.add_argument("--kind", required=True, help="launch, release, upgrade, metric, ...")
    sp.add_argument("--title", required=True)
    sp.add_argument("--when", required=True, help="EDTF or natural text, e.g. 2023-03-16, 去年9月")
    sp.add_argument("--source", required=True, help="id of the source this comes from")
    sp.add_argument("--quote", help="the quoted original text")
    sp.add_argument("--locator", help="where in the source (paragraph, page)")
    sp.add_argument("--event", help="key of the real-world event")
    sp.add_argument("--actor", action="append", default=[], help="actor id (repeatable)")
    sp.add_argument("--tag", action="append", default=[], help="tag (repeatable)")
    sp.add_argument("--title-en", help="English translation of the title")
    sp.add_argument("--place")
    sp.add_argument("--note")
    sp.add_argument("--value", help="quantity value, e.g. 80000 or 8万")
    sp.add_argument("--unit", help="quantity unit")
    sp.add_argument("--bound", help="exact, at_least, at_most, about, between (with --upper)")
    sp.add_argument("--upper", help="with --bound between: the upper value")
    sp.add_argument(
        "--value-as-of", metavar="DATE", help="when a running figure held, e.g. 2022-12"
    )
    # the old name of --value-as-of (elsewhere --as-of is the knowledge date); deprecated
    sp.add_argument("--as-of", dest="old_as_of", metavar="DATE", help=argparse.SUPPRESS)
    sp.add_argument("--value-text", help="the figure's original wording, e.g. 突破8万家")
    sp.add_argument(
        "--ledger",
        action="append",
        default=[],
        metavar="PATH",
        help="the ledger to check the account against (repeatable; default: FILE's folder "
        "when it holds other ledger files, else FILE)",
    )
    from ._cli_table import add_zone_argument

    add_zone_argument(sp)
    sp.set_defaults(handler=run)


def _check_quantity_options(args: argparse.Namespace, err: TextIO) -> None:
    """Say in command-line terms what the quantity options need (a record's own message
    would name its fields); ``--as-of`` still works, with a warning, for ``--value-as-of``."""
    from .errors import ChronicleError

    if args.old_as_of is not None:
        if args.value_as_of is not None:
            raise ChronicleError("give --value-as-of only (--as-of is its deprecated name)")
        print("chronicle: add --as-of is deprecated; use --value-as-of", file=err)
        args.value_as_of = args.old_as_of
    if args.value is not None and not args.unit:
        raise ChronicleError("--value needs --unit (what is counted: users, USD, GPUs, …)")
    if args.value is None:
        given = [
            option
            for option, value in (
                ("--unit", args.unit),
                ("--bound", args.bound),
                ("--upper", args.upper),
                ("--value-as-of", args.value_as_of),
                ("--value-text", args.value_text),
            )
            if value
        ]
        if given:
            verb = "is" if len(given) == 1 else "are"
            raise ChronicleError(f"{' and '.join(given)} {verb} for a quantity: give --value too")
    if args.bound == "between" and not args.upper:
        raise ChronicleError("--bound between needs --upper VALUE")
    if args.upper and args.bound != "between":
        raise ChronicleError("--upper VALUE is for --bound between")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._append import append_account

    _check_quantity_options(args, err)

    data: dict[str, Any] = {
        "id": args.id,
        "kind": args.kind,
        "title": args.title,
        "when": args.when,
        "citations": [
            {
                k: v
                for k, v in (
                    ("source", args.source),
                    ("locator", args.locator),
                    ("quote", args.quote),
                )
                if v
            }
        ],
    }
    for key, value in (("event", args.event), ("place", args.place), ("note", args.note)):
        if value:
            data[key] = value
    if args.actor:
        data["actors"] = args.actor
    if args.tag:
        data["tags"] = args.tag
    if args.title_en:
        data["translations"] = {"en": args.title_en}
    if args.value is not None or args.unit is not None:
        q: dict[str, Any] = {"value": args.value}
        if args.unit:
            q["unit"] = args.unit
        for key, value in (
            ("bound", args.bound),
            ("upper", args.upper),
            ("as_of", args.value_as_of),
            ("text", args.value_text),
        ):
            if value:
                q[key] = value
        data["quantity"] = q
    added = append_account(args.file, data, ledger=args.ledger or None, tz=args.tz)
    print(f"added {added.id} ({added.when.to_edtf()}) to {args.file}", file=err)
    return 0
