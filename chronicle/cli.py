"""The ``chronicle`` command line.

``main(argv)`` parses arguments and does the I/O; the library does the work.
Data goes to stdout, messages to stderr. Exit codes: 0 fine, 1 findings (an
invalid ledger for ``check``, unresolved conflicts with ``--strict``), 2 bad
input or usage.
"""

from __future__ import annotations

__all__ = ["main", "program"]

import argparse
import contextlib
import gc
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from ._version import __version__
from .errors import ChronicleError, LedgerError, UnreadableInput

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors exit 2, as argparse does, no traceback
        self.print_usage(sys.stderr)
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


def _build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for every command; for an ``argv`` naming one, the parser for that one.

    Only the module of the command being run is imported: ``chronicle table`` need not
    load what ``chronicle merge`` needs. Help, ``--version`` and a mistyped command get
    every command, so argparse can list them.
    """
    p = _Parser(
        prog="chronicle",
        description="Sourced chronologies: read, check, query, merge and export ledgers of accounts.",
    )
    p.add_argument("--version", action="version", version=f"chronicle {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    sp = sub.add_parser("parse", help="show how a date text is read")
    sp.add_argument("text", help="the date text, e.g. 去年9月, 'Q4 2022', 2022-09~")
    sp.add_argument("--ref", help="reference date for relative forms (e.g. 2023-03-24)")
    sp.add_argument("--tz", help="zone calendar units are read in (default UTC)")
    sp.add_argument("--json", action="store_true", help="print one JSON object")
    sp.set_defaults(handler=_cmd_parse)

    sp = sub.add_parser(
        "check", help="validate a ledger; print problems as file:line: record: message"
    )
    sp.add_argument("paths", nargs="+", metavar="PATH")
    sp.set_defaults(handler=_cmd_check)

    import importlib

    command = next((a for a in argv if not a.startswith("-")), None) if argv else None
    if command in ("parse", "check"):
        modules: Iterable[str] = ()
    elif command in _COMMAND_MODULES:
        modules = (_COMMAND_MODULES[command],)
    else:
        modules = dict.fromkeys(_COMMAND_MODULES.values())
    for name in modules:
        importlib.import_module(f"chronicle.{name}").register(sub)
    return p


# the module defining each of the other commands, with ``register(subparsers)``
_COMMAND_MODULES = {
    "table": "_cli_table",
    "add": "_cli_add",
    "export": "_cli_export",
    "merge": "_cli_merge",
    "conflicts": "_cli_merge",
}


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    return _run(argv, stdout, stderr)


def program() -> int:
    """The ``chronicle`` program (and ``python -m chronicle``): :func:`main`, then exit.

    Before the process exits, every object is moved to the garbage collector's permanent
    generation (``gc.freeze()``): the interpreter's collections at exit would otherwise
    go through every module, class and record once more -- a tenth of a short command's
    time -- to free memory the operating system takes back anyway. Only the program does
    this; :func:`main`, called from Python, leaves the collector alone.
    """
    try:
        return main()
    finally:
        gc.freeze()


def _run(argv: Sequence[str] | None, stdout: TextIO | None, stderr: TextIO | None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _build_parser(sys.argv[1:] if argv is None else argv)
    try:
        with contextlib.redirect_stdout(out):  # --help and --version print through argparse
            args = parser.parse_args(argv)
    except _UsageError as e:
        print(e, file=err)
        return 2
    except SystemExit as e:  # --help / --version
        return int(e.code or 0)
    handler: Handler = args.handler
    try:
        return handler(args, out, err)
    except LedgerError as e:
        for f in e.findings:
            print(str(f), file=err)
        done = "written" if getattr(args, "command", None) == "add" else "loaded"
        print(f"chronicle: {len(e.findings)} problem(s); nothing was {done}", file=err)
        return 2
    except UnreadableInput as e:
        print(f"chronicle: {e}", file=err)
        return 2
    except ChronicleError as e:
        print(f"chronicle: {e}", file=err)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def _cmd_parse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._display import show_when
    from ._parse import parse_when
    from ._when import Span

    w = parse_when(args.text, ref=args.ref, tz=args.tz)

    def iso(d: Any) -> str | None:
        return None if d is None else str(d.isoformat())

    if args.json:
        import json

        obj: dict[str, Any] = {
            "text": args.text,
            "edtf": w.to_edtf(),
            "earliest": iso(w.earliest),
            "latest": iso(w.latest),
            "precision": w.precision.label,
            "tz": w.tz,
            "approximate": w.approximate,
            "uncertain": w.uncertain,
            "inferred": w.inferred,
            "span": isinstance(w, Span),
            "display": show_when(w),
        }
        if isinstance(w, Span):
            obj["start"] = None if w.start is None else w.start.to_edtf()
            obj["end"] = None if w.end is None else w.end.to_edtf()
        print(json.dumps(obj, ensure_ascii=False), file=out)
        return 0
    rows = [
        ("text", args.text),
        ("edtf", w.to_edtf()),
        ("shown as", show_when(w)),
        ("earliest", iso(w.earliest) or "open"),
        ("latest", iso(w.latest) or "open"),
        ("precision", w.precision.label),
        ("zone", w.tz),
    ]
    flags = [f for f in ("approximate", "uncertain", "inferred") if getattr(w, f)]
    if isinstance(w, Span):
        flags.insert(0, "span")
    if flags:
        rows.append(("flags", ", ".join(flags)))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}", file=out)
    return 0


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._ledger import load

    try:
        ledger = load(*args.paths)
    except LedgerError as e:
        for f in e.findings:
            print(str(f), file=out)
        print(f"{len(e.findings)} problem(s)", file=err)
        return 1
    print(
        f"ok: {len(ledger.sources)} sources, {len(ledger.actors)} actors, "
        f"{len(ledger)} accounts, {len(ledger.resolutions)} resolutions",
        file=err,
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
