"""Reading ledger files into raw tables, and writing tables back, atomically.

Formats: TOML (``[[source]]``, ``[[actor]]``, ``[[account]]``, ``[[resolution]]``
and an optional ``[ledger]`` table), JSON (the same shape), JSON Lines (one
record per line with a ``"type"`` key) and CSV (accounts only, import).
This module knows files and their syntax; what the tables mean is the loader's.
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "RawRecord",
    "atomic_write",
    "parse_toml",
    "read_bytes_and_text",
    "read_path",
    "suffix_format",
]

import codecs
import contextlib
import io
import os
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from .errors import ChronicleError, UnreadableInput, UnwritableOutput

KINDS = ("source", "actor", "account", "resolution")
FORMATS = {".toml": "toml", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


@attrs.frozen
class RawRecord:
    """One table as read from a file, before it is checked and turned into a record."""

    kind: str
    data: dict[str, Any]
    path: str
    line: int | None
    tz: str | None  # the file's [ledger] tz, if any


def suffix_format(path: Path, override: str | None = None) -> str:
    if override:
        if override not in FORMATS.values():
            raise UnreadableInput(
                f"unknown format {override!r}; expected toml, json, jsonl or csv", path=str(path)
            )
        return override
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableInput(
            f"cannot tell the format of {path.name!r} from its suffix; "
            "use .toml, .json, .jsonl or .csv",
            path=str(path),
        )
    return fmt


def ledger_files(path: Path, seen: set[Path] | None = None) -> list[Path]:
    """The ledger files under ``path`` (itself when it is a file), in name order.

    With ``seen``, a file already in it (by resolved path) is left out and each file
    returned is added to it: a file named twice, or inside a folder also given, is read once.

    A folder is read recursively; names starting with a dot are skipped, and so are links
    to folders (a folder linked into itself would never end). A folder that cannot be
    listed, and a link with a ledger file's suffix that leads nowhere, are errors: their
    records would otherwise be left out without a word.
    """
    if path.is_dir():
        found = sorted(_walk(path))
        if not found:
            raise UnreadableInput(
                "no ledger files (.toml, .json, .jsonl, .csv) in this folder", path=str(path)
            )
        return found if seen is None else _unseen(found, seen)
    if not path.exists():
        if path.is_symlink():
            raise _broken_link(path)
        raise UnreadableInput("no such file or folder", path=str(path))
    return [path] if seen is None else _unseen([path], seen)


def _unseen(files: list[Path], seen: set[Path]) -> list[Path]:
    """``files`` not in ``seen`` (by resolved path), each added to it."""
    out = []
    for f in files:
        real = f.resolve()
        if real not in seen:
            seen.add(real)
            out.append(f)
    return out


def _walk(root: Path) -> Iterator[Path]:
    """The files with a ledger suffix under ``root``, in no particular order."""
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as e:
            raise UnreadableInput(
                f"cannot read folder: {e.strerror or e}", path=str(folder)
            ) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            p = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(p)
                    continue
                if p.suffix.lower() not in FORMATS:
                    continue
                is_file = entry.is_file()  # (through a link too)
                broken = not is_file and entry.is_symlink() and not p.exists()
            except OSError as e:
                raise UnreadableInput(f"cannot read: {e.strerror or e}", path=str(p)) from None
            if is_file:
                yield p
            elif broken:
                raise _broken_link(p)


def _broken_link(p: Path) -> UnreadableInput:
    try:
        target = repr(os.readlink(p))
    except OSError:  # pragma: no cover - it was a link a moment ago
        target = "its target"
    return UnreadableInput(
        f"a link to {target}, which does not exist (or is a loop of links)", path=str(p)
    )


def read_path(path: str | os.PathLike[str]) -> Iterator[RawRecord]:
    """Every raw record in a file or folder, in file order."""
    for p in ledger_files(Path(path)):
        yield from read_file(p)


def _read_text(p: Path) -> str:
    return read_bytes_and_text(p)[1]


def read_bytes_and_text(p: Path) -> tuple[bytes, str]:
    """The bytes of file ``p`` and its text (UTF-8, a byte order mark dropped); an
    ``UnreadableInput`` when it cannot be read or is not UTF-8 text."""
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnreadableInput(f"cannot read file: {e.strerror or e}", path=str(p)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        for name, marks in _OTHER_UNICODE:
            if data.startswith(marks):
                raise UnreadableInput(
                    f"not UTF-8 text but {name} (it starts with {name}'s byte order mark); "
                    "save the file as UTF-8",
                    path=str(p),
                    line=1,
                ) from None
        line = data[: e.start].count(b"\n") + 1
        raise UnreadableInput(
            f"not UTF-8 text (byte {e.start}); save the file as UTF-8", path=str(p), line=line
        ) from None
    nul = data.find(b"\0")  # valid UTF-8, but no ledger format allows it: UTF-16, or not text
    if nul >= 0:
        raise UnreadableInput(
            f"not UTF-8 text: a NUL byte (byte {nul}), as in UTF-16 text or a file that is "
            "not text at all; save the file as UTF-8",
            path=str(p),
            line=data.count(b"\n", 0, nul) + 1,
        )
    return data, text


_OTHER_UNICODE = (
    ("UTF-32", (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)),  # (before UTF-16: FF FE 00 00)
    ("UTF-16", (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)),
)

# What is read when a file is nested too deeply or holds a number too long to read. The
# parsers say neither where nor how deep: these find it, on that error's path only.
_NUMBER = r"[+-]?[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?"
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|' + _NUMBER, re.S)
_TOML_TOKENS = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
    r"|[\[\]{}]|" + _NUMBER,
    re.S,
)


def _too_deep(p: Path, text: str, tokens: re.Pattern[str], first_line: int = 1) -> UnreadableInput:
    """The error for a file (or JSON line) whose arrays and tables nest deeper than the
    parser can follow: how deep, and the line of the deepest place."""
    depth = deepest = at = 0
    for m in tokens.finditer(text):
        c = m.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, m.start()
        elif c == "]" or c == "}":
            depth -= 1
    return UnreadableInput(
        f"nested too deeply to read: {deepest} levels of [ and {{ "
        "(a ledger's values nest a few levels at most)",
        path=str(p),
        line=first_line + text.count("\n", 0, at),
    )


def _too_long(
    p: Path, text: str, tokens: re.Pattern[str], error: ValueError, first_line: int = 1
) -> UnreadableInput:
    """The error for a number with more digits than Python reads (4300 unless set
    otherwise: ``sys.set_int_max_str_digits``)."""
    limit = sys.get_int_max_str_digits()
    for m in tokens.finditer(text):
        c = m.group()
        if c[0] not in "+-0123456789" or any(x in c for x in ".eE"):
            continue  # a text, a bracket, a float
        digits = len(c.lstrip("+-").replace("_", ""))
        if limit and digits > limit:
            return UnreadableInput(
                f"a number too long to read: {digits} digits ({c[:12]}...), at most {limit}",
                path=str(p),
                line=first_line + text.count("\n", 0, m.start()),
            )
    return UnreadableInput(f"cannot read a number: {error}", path=str(p))  # pragma: no cover


def _lone_surrogate(value: Any) -> tuple[str, str] | None:
    """(where, the character) for the first text in a decoded JSON value that holds half of
    a UTF-16 surrogate pair (``"\\ud800"`` with no other half): not a character at all, it
    could not be written back or printed. None when every text is whole."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError as e:
                return where, v[e.start]
        elif isinstance(v, dict):
            for k, x in reversed(v.items()):
                stack.append((f"{where}.{k}" if where else str(k), x))
                stack.append((where, k))
        elif isinstance(v, list):
            stack.extend((f"{where}[{i}]", x) for i, x in reversed(list(enumerate(v))))
    return None


def _surrogate_error(
    p: Path, found: tuple[str, str], line: int | None, record: Any = None
) -> UnreadableInput:
    where, char = found
    return UnreadableInput(
        f"{where + ': ' if where else ''}\\u{ord(char):04x} is half of a UTF-16 surrogate pair "
        "without its other half: not a character; write the character itself",
        path=str(p),
        line=line,
        record=record if isinstance(record, str) and record else None,
    )


def _may_hold_surrogates(text: str) -> bool:
    """Whether JSON ``text`` may hold a surrogate escape: a quick look, so that the decoded
    values are searched only then."""
    return "\\ud" in text or "\\uD" in text


def read_file(p: Path, fmt: str | None = None) -> Iterator[RawRecord]:
    kind = suffix_format(p, fmt)
    text = _read_text(p)
    if kind == "toml":
        yield from _read_toml(p, text)
    elif kind == "json":
        yield from _read_json(p, text)
    elif kind == "jsonl":
        yield from _read_jsonl(p, text)
    else:
        yield from _read_csv(p, text)


_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*(source|actor|account|resolution)[ \t]*\]\]", re.M)


def _header_lines(text: str) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {k: [] for k in KINDS}
    line, counted = 1, 0  # newlines counted from the last header on: linear, not quadratic
    for m in _HEADER.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        lines[m.group(1)].append(line)
    return lines


def _ledger_table(p: Path, doc: dict[str, Any], line: int | None = None) -> str | None:
    meta = doc.get("ledger", {})
    if not isinstance(meta, dict):
        raise UnreadableInput("`ledger` must be a table", path=str(p), line=line)
    unknown = set(meta) - {"tz", "title", "description"}
    if unknown:
        raise UnreadableInput(
            f"unknown key(s) in [ledger]: {', '.join(sorted(unknown))}; expected tz, title, description",
            path=str(p),
            line=line,
        )
    for key in ("title", "description"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            raise UnreadableInput(
                f"[ledger] {key} must be text, got {type(value).__name__}", path=str(p), line=line
            )
    tz = meta.get("tz")
    if tz is not None:
        from ._calendar import get_zone

        try:
            get_zone(tz) if isinstance(tz, str) else None
        except ChronicleError as e:
            raise UnreadableInput(f"[ledger] tz: {e.message}", path=str(p), line=line) from None
        if not isinstance(tz, str):
            raise UnreadableInput(
                "[ledger] tz must be a zone name like 'Asia/Shanghai'", path=str(p), line=line
            )
    return tz


def _tables(
    p: Path, doc: dict[str, Any], lines: dict[str, list[int]] | None
) -> Iterator[RawRecord]:
    unknown = set(doc) - {"ledger", *KINDS}
    if unknown:
        raise UnreadableInput(
            f"unknown top-level table(s): {', '.join(sorted(unknown))}; "
            "expected [ledger], [[source]], [[actor]], [[account]], [[resolution]]",
            path=str(p),
        )
    tz = _ledger_table(p, doc)
    for kind in KINDS:
        items = doc.get(kind, [])
        if not isinstance(items, list):
            raise UnreadableInput(f"`{kind}` must be an array of tables ([[{kind}]])", path=str(p))
        for i, item in enumerate(items):
            line = lines[kind][i] if lines and i < len(lines[kind]) else None
            if not isinstance(item, dict):
                raise UnreadableInput(f"{kind} #{i + 1} is not a table", path=str(p), line=line)
            yield RawRecord(kind, item, str(p), line, tz)


def parse_toml(p: Path, text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, every failure an ``UnreadableInput`` naming ``p``."""
    _check_dotted_keys(p, text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise UnreadableInput(
            f"not valid TOML: {e}", path=str(p), line=int(m.group(1)) if m else None
        ) from None
    except RecursionError:
        raise _too_deep(p, text, _TOML_TOKENS) from None
    except ValueError as e:  # an integer longer than Python reads
        raise _too_long(p, text, _TOML_TOKENS, e) from None


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_MAX_KEY_PARTS = 64  # a ledger's keys have one or two (names.en = ...)
_LONG_KEY = re.compile(
    rf"(?:^|[{{,])[ \t]*{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{_MAX_KEY_PARTS},}}[ \t]*=", re.M
)


def _check_dotted_keys(p: Path, text: str) -> None:
    """Refuse a dotted key of many parts (``a.a.a.… = 1``) before ``tomllib`` reads it:
    it keeps every prefix of such a key, memory in the square of its length -- 200 KB of
    ``.a`` would take tens of gigabytes. Such a key packs dots densely: only stretches of
    the text with many of them (counted in place, in C) are searched, line by line."""
    step = 1024
    searched = 0  # the text before this is searched already
    for start in range(0, len(text), step):
        if start < searched or text.count(".", start, start + step) < 16:
            continue
        lo = text.rfind("\n", 0, start) + 1
        hi = text.find("\n", start + step)
        searched = len(text) if hi < 0 else hi
        m = _LONG_KEY.search(text, lo, searched)
        if m is not None:
            raise UnreadableInput(
                f"a dotted key of more than {_MAX_KEY_PARTS} parts, too many to read "
                "(a ledger's keys have one or two)",
                path=str(p),
                line=text.count("\n", 0, m.start()) + 1,
            )


def _read_toml(p: Path, text: str) -> Iterator[RawRecord]:
    doc = parse_toml(p, text)
    yield from _tables(p, doc, _header_lines(text))


def _read_json(p: Path, text: str) -> Iterator[RawRecord]:
    import json  # here, not at the top: reading TOML (the common case) does without it

    lines: dict[str, list[int]] | None = None
    try:
        walked = _json_walk(text, json.JSONDecoder())
        if walked is None:  # not the object a ledger is: json says exactly what is wrong
            doc = json.loads(text)
        else:
            doc, lines = walked
    except json.JSONDecodeError as e:
        raise UnreadableInput(f"not valid JSON: {e.msg}", path=str(p), line=e.lineno) from None
    except RecursionError:
        raise _too_deep(p, text, _JSON_TOKENS) from None
    except ValueError as e:  # an integer longer than Python reads
        raise _too_long(p, text, _JSON_TOKENS, e) from None
    if not isinstance(doc, dict):
        raise UnreadableInput(
            "a JSON ledger is an object with source/actor/account/resolution arrays", path=str(p)
        )
    if _may_hold_surrogates(text):
        for key, value in doc.items():
            items = value if key in KINDS and isinstance(value, list) else [value]
            for i, item in enumerate(items):
                found = _lone_surrogate(item)
                if found is not None:
                    at = lines.get(key) if lines else None
                    line = at[i] if at and i < len(at) else None
                    rid = item.get("id") if isinstance(item, dict) else None
                    if key not in KINDS:
                        found = (f"{key}.{found[0]}" if found[0] else key, found[1])
                    raise _surrogate_error(p, found, line, rid)
    yield from _tables(p, doc, lines)


_SPACE = re.compile(r"[ \t\n\r]*")


def _json_walk(text: str, decoder: Any) -> tuple[dict[str, Any], dict[str, list[int]]] | None:
    """A JSON ledger read as ``json.loads`` reads it, with the line each record starts on.

    ``json`` gives no positions, so the top-level object is walked here, each array of
    records element by element (``raw_decode`` from an index), counting newlines.
    None when the text is not a well-formed JSON object: the caller then lets
    ``json.loads`` say what is wrong.
    """
    doc: dict[str, Any] = {}
    lines: dict[str, list[int]] = {}
    line, counted = 1, 0

    def skip(i: int) -> int:
        return _SPACE.match(text, i).end()  # type: ignore[union-attr]

    def after(i: int, close: str) -> int:
        """Past the comma after a member, or at ``close``; a ValueError if neither is
        there, or a comma is followed by ``close`` (JSON has no trailing commas)."""
        i = skip(i)
        if text.startswith(",", i):
            i = skip(i + 1)
            if not text.startswith(close, i):
                return i
        elif text.startswith(close, i):
            return i
        raise ValueError(f"not JSON at {i}")

    i = skip(0)
    if not text.startswith("{", i):
        return None
    try:
        i = skip(i + 1)
        while not text.startswith("}", i):
            key, i = decoder.raw_decode(text, i)
            i = skip(i)
            if not isinstance(key, str) or not text.startswith(":", i):
                return None
            i = skip(i + 1)
            if key in KINDS and text.startswith("[", i):
                items: list[Any] = []
                found: list[int] = []
                i = skip(i + 1)
                while not text.startswith("]", i):
                    line += text.count("\n", counted, i)
                    counted = i
                    found.append(line)
                    item, i = decoder.raw_decode(text, i)
                    items.append(item)
                    i = after(i, "]")
                doc[key], lines[key] = items, found
                i += 1
            else:
                doc[key], i = decoder.raw_decode(text, i)
            i = after(i, "}")
    except ValueError:  # json.JSONDecodeError included
        return None
    return (doc, lines) if skip(i + 1) == len(text) else None


def _read_jsonl(p: Path, text: str) -> Iterator[RawRecord]:
    import json

    tz: str | None = None
    surrogates = _may_hold_surrogates(text)
    # only "\n" ends a line: str.splitlines() would also split on U+2028 inside a string
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            raise UnreadableInput(f"not valid JSON: {e.msg}", path=str(p), line=n) from None
        except RecursionError:
            raise _too_deep(p, line, _JSON_TOKENS, n) from None
        except ValueError as e:  # an integer longer than Python reads
            raise _too_long(p, line, _JSON_TOKENS, e, n) from None
        if not isinstance(item, dict) or "type" not in item:
            raise UnreadableInput(
                'each line must be an object with a "type" (ledger, source, actor, account, resolution)',
                path=str(p),
                line=n,
            )
        if surrogates:
            found = _lone_surrogate(item)
            if found is not None:
                raise _surrogate_error(p, found, n, item.get("id"))
        kind = item.pop("type")
        if kind == "ledger":
            tz = _ledger_table(p, {"ledger": item}, n)
            continue
        if kind not in KINDS:
            raise UnreadableInput(f"unknown record type {kind!r}", path=str(p), line=n)
        yield RawRecord(kind, item, str(p), n, tz)


CSV_COLUMNS = (
    "id", "event", "kind", "title", "title_en", "when", "actors", "tags", "place",
    "source", "locator", "quote", "value", "unit", "bound", "upper", "as_of",
    "quantity_text", "note", "tz",
)  # fmt: skip


def _check_csv_header(p: Path, header: list[str], line: int) -> None:
    """Every column of a CSV header named, once, and known."""
    seen: dict[str, int] = {}
    for n, name in enumerate(header, 1):
        if not name.strip():
            raise UnreadableInput(
                f"column {n} of the header has no name; expected some of {', '.join(CSV_COLUMNS)}",
                path=str(p),
                line=line,
            )
        if name in seen:
            raise UnreadableInput(
                f"the header names column {name!r} twice (columns {seen[name]} and {n}); "
                "which one holds the value would be a guess",
                path=str(p),
                line=line,
            )
        seen[name] = n
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise UnreadableInput(
            f"unknown CSV column(s): {_some(unknown)}; expected some of {', '.join(CSV_COLUMNS)}",
            path=str(p),
            line=line,
        )


def _some(cells: list[str], shown: int = 8) -> str:
    """The first few of ``cells``, quoted, and how many more there are."""
    listed = ", ".join(repr(c if len(c) <= 40 else c[:37] + "...") for c in cells[:shown])
    return listed if len(cells) <= shown else f"{listed} and {len(cells) - shown} more"


def _wrong_row_length(p: Path, line: int, header: list[str], row: list[str]) -> None:
    """The error for a CSV row with more or fewer cells than its header has columns."""
    at = header.index("id") if "id" in header else len(row)
    record = row[at].strip() or None if at < len(row) else None
    n = len(row)
    cells = f"this row has {n} cell{'s' if n != 1 else ''} but the header has {len(header)} columns"
    if n > len(header):
        extra = _some(row[len(header) :])
        message = f"{cells}; {extra} belong(s) to no column (quote a cell that holds a comma)"
    else:
        missing = ", ".join(header[n:])
        message = f"{cells}: none for {missing} (give every column a cell, empty for no value)"
    raise UnreadableInput(message, path=str(p), line=line, record=record)


def _read_csv(p: Path, text: str) -> Iterator[RawRecord]:
    import csv

    # a cell may be as long as the file (a quote, a note): csv's limit, 128 KiB unless set
    # otherwise, is raised while a file longer than that is read, and restored
    limit = csv.field_size_limit()
    if len(text) > limit:
        csv.field_size_limit(len(text))
    try:
        # newline="": "\r\n", "\n" and a lone "\r" (old Mac spreadsheets) all end a row,
        # and a line break inside a quoted cell is kept as written
        reader = csv.reader(io.StringIO(text, newline=""))
        header: list[str] | None = None
        while True:
            before = reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise UnreadableInput(
                    f"not valid CSV: {e}", path=str(p), line=reader.line_num or None
                ) from None
            line = before + 1  # where the row starts: a quoted cell may run over several lines
            if not row:
                continue  # a blank line
            if header is None:
                header = row
                _check_csv_header(p, header, line)
                continue
            yield _csv_record(p, line, header, row)
    finally:
        csv.field_size_limit(limit)


def _csv_record(p: Path, line: int, header: list[str], row: list[str]) -> RawRecord:
    if len(row) != len(header):
        _wrong_row_length(p, line, header, row)
    r = {k: v.strip() for k, v in zip(header, row, strict=True) if v.strip() != ""}
    data: dict[str, Any] = {}
    for key in ("id", "event", "kind", "title", "when", "place", "note", "tz"):
        if key in r:
            data[key] = r[key]
    if "title_en" in r:
        data["translations"] = {"en": r["title_en"]}
    for key in ("actors", "tags"):
        if key in r:
            data[key] = [x.strip() for x in r[key].split(";") if x.strip()]
    if "source" in r:
        cit = {k: r[k] for k in ("source", "locator", "quote") if k in r}
        data["citations"] = [cit]
    if "value" in r or "unit" in r:
        q: dict[str, Any] = {"value": r.get("value")}
        if "unit" in r:
            q["unit"] = r["unit"]
        for src, dst in (
            ("bound", "bound"),
            ("upper", "upper"),
            ("as_of", "as_of"),
            ("quantity_text", "text"),
        ):
            if src in r:
                q[dst] = r[src]
        data["quantity"] = q
    return RawRecord("account", data, str(p), line, None)


# ---------------------------------------------------------------------------- writing


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one.

    The bytes go to a temporary file in the same folder, are flushed to disk, and
    the temporary file is renamed over ``path`` (``os.replace``). A failure is an
    ``UnwritableOutput`` naming ``path``; the temporary file is removed.
    """
    import tempfile  # here, not at the top: commands that only read never pay for it

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        _write_replacing(target, folder, data, tempfile)
    except OSError as e:
        raise UnwritableOutput(f"cannot write: {e.strerror or e}", path=str(target)) from None


def _write_replacing(target: Path, folder: Path, data: bytes, tempfile: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
