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
import io
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO, cast

from ._version import __version__
from .errors import ChronicleError, Finding, LedgerError, UnreadableInput

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


class _Parser(argparse.ArgumentParser):
    """A usage error is one line naming the command, the option and the bad value, with
    where to look (``chronicle table: unrecognized arguments: --bogus; see chronicle table
    --help``), exit 2; the whole usage is for ``--help``."""

    commands: dict[str, _Parser] | None = None
    """(The top-level parser's) each command's parser."""

    def error(self, message: str) -> Any:
        raise _UsageError(f"{self.prog}: {message}; see {self.prog} --help")

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        # argparse leaves an option a command does not know to the top-level parser, whose
        # message would name neither the command nor its --help: the command's parser says it
        got, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(got, "command", None)
            parser = (self.commands or {}).get(command or "", self)
            argv = list(sys.argv[1:] if args is None else args)
            if command in argv and extras[0] in argv[: argv.index(command)]:
                parser = self  # given before the command: chronicle's own option
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
        return got


class _UsageError(Exception):
    pass


class _WriteFailed(Exception):
    """Writing to standard output or standard error failed (``error`` says why)."""

    def __init__(self, stream: str, error: OSError) -> None:
        super().__init__(f"cannot write to {stream}: {error}")
        self.stream = stream
        self.error = error


class _Writes:
    """Write and flush to ``inner``; a failure raises :class:`_WriteFailed`, so that a full
    disk or a closed pipe is told apart from the errors of the command's own work."""

    def __init__(self, inner: Any, name: str) -> None:
        self.inner = inner
        self.name = name

    def write(self, data: Any) -> int:
        try:
            written = self.inner.write(data)
        except OSError as e:
            raise _WriteFailed(self.name, e) from None
        return len(data) if written is None else int(written)  # some streams return None

    def flush(self) -> None:
        try:
            self.inner.flush()
        except OSError as e:
            raise _WriteFailed(self.name, e) from None


class _Guarded(_Writes, io.TextIOBase):
    """Standard output or error as a text stream, guarded (see :class:`_Writes`); its
    ``buffer``, when it has one, is guarded the same way."""

    def __init__(self, inner: TextIO, name: str) -> None:
        io.TextIOBase.__init__(self)
        _Writes.__init__(self, inner, name)

    def isatty(self) -> bool:
        return bool(self.inner.isatty())

    def fileno(self) -> int:
        return int(self.inner.fileno())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", None) or "utf-8"

    @property
    def buffer(self) -> _Writes:
        """The binary stream under a real stdout (AttributeError when there is none)."""
        inner = getattr(self.inner, "buffer", None)
        if inner is None:
            raise AttributeError("buffer")
        return _Writes(inner, self.name)


def _build_parser(argv: Sequence[str] | None = None) -> _Parser:
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
    p.commands = sub.choices

    from ._cli_filters import text_arg, zone_arg

    sp = sub.add_parser("parse", help="show how a date text is read")
    sp.add_argument("text", help="the date text, e.g. 去年9月, 'Q4 2022', 2022-09~")
    sp.add_argument(
        "--ref",
        type=text_arg,
        metavar="DATE",
        help="reference date for relative forms (e.g. 2023-03-24)",
    )
    sp.add_argument(
        "--tz", type=zone_arg, metavar="ZONE", help="zone calendar units are read in (default UTC)"
    )
    sp.add_argument(
        "--floor",
        type=text_arg,
        metavar="DATE",
        help="the earliest a 'by X' date can be, closing its open start (e.g. 2023-03-16)",
    )
    sp.add_argument("--json", action="store_true", help="print one JSON object")
    sp.set_defaults(handler=_cmd_parse)

    sp = sub.add_parser(
        "check", help="validate a ledger; print problems as file:line: record: message"
    )
    sp.add_argument("paths", nargs="+", metavar="PATH", help="ledger files or folders")
    sp.add_argument(
        "--tz",
        type=zone_arg,
        metavar="ZONE",
        help="zone for the files that declare none (default UTC)",
    )
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
    raw_out = stdout or sys.stdout
    raw_err = stderr or sys.stderr
    out = cast(TextIO, _Guarded(raw_out, "standard output"))
    err = cast(TextIO, _Guarded(raw_err, "standard error"))
    try:
        code = _dispatch(argv, out, err)
        out.flush()  # here, not at exit: a full disk is reported like any other error
        err.flush()
        return code
    except _WriteFailed as e:
        return _write_failed(e, raw_out, raw_err)


def _write_failed(e: _WriteFailed, out: TextIO, err: TextIO) -> int:
    """Exit quietly when the reader of standard output went away (``| head``); else say
    what failed and exit 2. Either way, nothing is left for the interpreter to fail to
    write at exit (it would print a traceback-like note and exit 120)."""
    failed = out if e.stream == "standard output" else err
    _discard(failed)
    if isinstance(e.error, BrokenPipeError) and failed is out:
        return 0
    if failed is out:
        with contextlib.suppress(OSError):
            print(f"chronicle: {e}", file=err)
            err.flush()
    return 2


def _discard(stream: TextIO) -> None:
    """Send what is still buffered for the process's own ``stream``, and anything written
    to it later, to the null device."""
    if stream is not sys.__stdout__ and stream is not sys.__stderr__:
        return
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)


def _dispatch(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
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
        for f in _in_order(e.findings):
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
    except KeyboardInterrupt:
        return 130


def _cmd_parse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._cli_filters import cli_date
    from ._display import show_when
    from ._parse import parse_when
    from ._when import Span
    from .errors import ReferenceRequired

    if args.ref is not None:
        cli_date(
            args.ref, "--ref", example="2023-03-24"
        )  # read as the parser will read it; an error names --ref

    def read(text: str, what: str) -> Any:
        try:
            return parse_when(text, ref=args.ref, tz=args.tz)
        except ReferenceRequired as e:
            message = (
                f"{what}{text!r} is relative and needs a reference date: pass --ref DATE, "
                "e.g. --ref 2023-03-24"
                if args.ref is None
                else f"{what}{e.message} (--ref {args.ref})"  # a reference too vague for it
            )
            raise ReferenceRequired(
                message, text=text, position=e.position, length=e.length
            ) from None

    w = read(args.text, "")
    floor_note = None
    if args.floor is not None:
        floor = read(args.floor, "--floor: ")
        closed = parse_when(args.text, ref=args.ref, tz=args.tz, floor=floor)
        floor_note = args.floor if closed != w else f"{args.floor} (not used: the date has a start)"
        w = closed

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
            "ref": args.ref,
            "floor": floor_note,
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
    if args.ref is not None:
        rows.append(("read against", args.ref))
    if floor_note is not None:
        rows.append(("floor", floor_note))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}", file=out)
    return 0


def _in_order(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` by file, then line (a whole file's first), then record; those of no
    file last. (The loader finds them check by check, not in reading order.)"""
    return sorted(
        findings,
        key=lambda f: (
            f.path is None,
            f.path or "",
            -1 if f.line is None else f.line,
            f.record or "",
        ),
    )


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._ledger import load

    try:
        ledger = load(*args.paths, tz=args.tz)
    except LedgerError as e:
        for f in _in_order(e.findings):
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
