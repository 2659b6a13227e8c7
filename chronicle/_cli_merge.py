"""``chronicle merge`` and ``chronicle conflicts``: the merged timeline and its conflicts.

``merge`` prints one line per merged event (``--explain`` adds how each value came
about; ``--json`` prints the timeline, schema in ``docs/merge.md``). ``conflicts``
prints every value whose accounts did not simply agree, grouped by event and field;
with ``--strict`` it exits 1 when any is unresolved.
"""

from __future__ import annotations

__all__ = ["merged", "register", "run_conflicts", "run_merge"]

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ._ledger import Ledger
    from ._merge_policy import Policy
    from ._merge_result import Timeline
    from ._records import Account


def _common(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("paths", nargs="+", metavar="PATH", help="ledger files or folders")
    sp.add_argument(
        "--rules",
        default=None,
        metavar="LIST",
        help="the policy's rules in order, comma-separated, from: reliability, primary, "
        "independent, correction, latest_publication, earliest_publication "
        "(default: reliability,primary,independent,correction,latest_publication; "
        "'' for none)",
    )
    sp.add_argument(
        "--about",
        type=float,
        default=None,
        metavar="T",
        help="tolerance of an 'about' figure, as a fraction (default 0.1: within 10%%)",
    )
    from ._cli_filters import text_arg

    sp.add_argument(
        "--as-of",
        default=None,
        type=text_arg,
        metavar="DATE",
        help="merge only what sources had published by DATE (the ledger as a reader saw it)",
    )
    sp.add_argument("--json", action="store_true", help="print JSON")
    from ._cli_table import add_zone_argument

    add_zone_argument(sp)


def register(sub: Any) -> None:
    sp = sub.add_parser(
        "merge",
        help="group accounts into events and reconcile them, with explanations",
        description="Group a ledger's accounts into events and reconcile their dates and "
        "figures: compatible values refine each other, conflicts are decided by the ledger's "
        "resolutions and then the policy, ties are left unresolved. See docs/merge.md.",
    )
    _common(sp)
    sp.add_argument("--explain", action="store_true", help="say how each value came about")
    sp.set_defaults(handler=run_merge)

    sp = sub.add_parser(
        "conflicts",
        help="list the conflicts merging found, by event and field",
        description="List every merged value whose accounts did not simply agree: decided by a "
        "resolution or the policy, contested, or unresolved. Exit 1 with --strict when any is "
        "unresolved.",
    )
    _common(sp)
    sp.add_argument("--strict", action="store_true", help="exit 1 when any conflict is unresolved")
    sp.set_defaults(handler=run_conflicts)


def merged(
    ledger: Ledger,
    accounts: Sequence[Account] | None = None,
    *,
    as_of: Any = None,
    policy: Policy | None = None,
) -> tuple[Ledger, Timeline]:
    """The one way every command merges: (the ledger merged, its timeline).

    ``as_of`` (a date): the ledger as a reader then saw it, ``ledger.as_of(as_of)`` --
    its accounts, and only the resolutions recorded by then. ``accounts`` (of that
    ledger): only them, with the records they depend on (``merge``: all of them;
    ``table --merged`` and ``export --merged``: those the filters pick).
    """
    if as_of is not None:
        ledger = ledger.as_of(as_of)
    if accounts is not None:
        from ._export import restrict

        ledger = restrict(ledger, accounts)
    return ledger, ledger.merge(policy)


def _timeline(args: argparse.Namespace) -> Timeline:
    from ._cli_filters import as_of_date
    from ._ledger import load
    from ._merge_policy import DEFAULT_RULES, Policy

    ledger = load(*args.paths, tz=args.tz)
    kw: dict[str, Any] = {"rules": DEFAULT_RULES if args.rules is None else args.rules}
    if args.about is not None:
        kw["about"] = args.about
    return merged(ledger, as_of=as_of_date(ledger, args), policy=Policy(**kw))[1]


def _pad(text: str, width: int) -> str:
    from ._textwidth import display_width

    return text + " " * max(0, width - display_width(text))


def run_merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._display import show_when
    from ._textwidth import display_width

    timeline = _timeline(args)
    if args.json:
        import json

        print(json.dumps(timeline.to_data(), ensure_ascii=False, indent=2), file=out)
        return 0
    rows = [
        (show_when(e.when), e.status.value, str(len(e.accounts)), e.event, e.title)
        for e in timeline
    ]
    widths = [max((display_width(r[i]) for r in rows), default=0) for i in range(4)]
    for e, row in zip(timeline, rows, strict=True):
        cells = [_pad(c, w) for c, w in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip(), file=out)
        if args.explain:
            for line in e.explain().splitlines()[1:]:
                print(f"    {line}", file=out)
    for o in timeline.orphans:
        print(o, file=out)
    counts = ", ".join(f"{n} {s}" for s, n in timeline.counts().items() if n)
    n_acc = sum(len(e.accounts) for e in timeline)
    print(f"{len(timeline)} events from {n_acc} accounts: {counts or 'none'}", file=err)
    return 0


def run_conflicts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._merge_explain import value_data

    timeline = _timeline(args)
    found = list(timeline.conflicts())
    flagged = [e for e in timeline if e.flags]
    unresolved = sum(1 for _, v in found if v.status.value == "unresolved")
    if args.json:
        rows = []
        for e, v in found:
            row = {"event": e.event, "title": e.title, "label": v.label, **value_data(v)}
            rows.append(row)
        data = {
            "conflicts": rows,
            "events": [
                {"event": e.event, "flags": [f.value for f in e.flags], "notes": list(e.notes)}
                for e in flagged
            ],
            "unresolved": unresolved,
            "orphans": list(timeline.orphans),
        }
        import json

        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
    else:
        by_event: dict[str, list[Any]] = {}
        for e, v in found:
            by_event.setdefault(e.event, []).append(v)
        first = True
        for e in timeline:
            values = by_event.get(e.event, [])
            if not values and not e.flags:
                continue
            if not first:
                print(file=out)
            first = False
            print(f"{e.event}: {e.title}", file=out)
            if e.flags:
                print(f"  event: [{', '.join(f.value for f in e.flags)}]", file=out)
                for line in e.notes:
                    print(f"    {line}", file=out)
            for v in values:
                flags = f" [{', '.join(f.value for f in v.flags)}]" if v.flags else ""
                print(f"  {v.label}: {v.status.value}{flags} — {v.shown}", file=out)
                for line in v.sentences()[1:]:
                    print(f"    {line}", file=out)
        for o in timeline.orphans:
            print(o, file=out)
    events = len({e.event for e, _ in found})
    print(
        f"{len(found)} conflict(s) in {events} event(s); {unresolved} unresolved",
        file=err,
    )
    return 1 if args.strict and unresolved else 0
