"""Reading ledger files into raw tables, and writing tables back, atomically.

Formats: TOML (``[[source]]``, ``[[actor]]``, ``[[account]]``, ``[[resolution]]``
and an optional ``[ledger]`` table), JSON (the same shape), JSON Lines (one
record per line with a ``"type"`` key) and CSV (accounts only, import).
This module knows files and their syntax; what the tables mean is the loader's.
"""

from __future__ import annotations

__all__ = ["KINDS", "RawRecord", "atomic_write", "read_path", "suffix_format"]

import contextlib
import io
import os
import re
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
    """
    if path.is_dir():
        found = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in FORMATS
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not found:
            raise UnreadableInput(
                "no ledger files (.toml, .json, .jsonl, .csv) in this folder", path=str(path)
            )
        return found if seen is None else _unseen(found, seen)
    if not path.exists():
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


def read_path(path: str | os.PathLike[str]) -> Iterator[RawRecord]:
    """Every raw record in a file or folder, in file order."""
    for p in ledger_files(Path(path)):
        yield from read_file(p)


def _read_text(p: Path) -> str:
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnreadableInput(f"cannot read file: {e.strerror or e}", path=str(p)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise UnreadableInput(
            f"not UTF-8 text (byte {e.start}); save the file as UTF-8", path=str(p), line=line
        ) from None


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
    for m in _HEADER.finditer(text):
        lines[m.group(1)].append(text.count("\n", 0, m.start()) + 1)
    return lines


def _ledger_table(p: Path, doc: dict[str, Any]) -> str | None:
    meta = doc.get("ledger", {})
    if not isinstance(meta, dict):
        raise UnreadableInput("`ledger` must be a table", path=str(p))
    unknown = set(meta) - {"tz", "title", "description"}
    if unknown:
        raise UnreadableInput(
            f"unknown key(s) in [ledger]: {', '.join(sorted(unknown))}; expected tz, title, description",
            path=str(p),
        )
    tz = meta.get("tz")
    if tz is not None:
        from ._calendar import get_zone

        try:
            get_zone(tz) if isinstance(tz, str) else None
        except ChronicleError as e:
            raise UnreadableInput(f"[ledger] tz: {e.message}", path=str(p)) from None
        if not isinstance(tz, str):
            raise UnreadableInput(
                "[ledger] tz must be a zone name like 'Asia/Shanghai'", path=str(p)
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


def _read_toml(p: Path, text: str) -> Iterator[RawRecord]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise UnreadableInput(
            f"not valid TOML: {e}", path=str(p), line=int(m.group(1)) if m else None
        ) from None
    yield from _tables(p, doc, _header_lines(text))


def _read_json(p: Path, text: str) -> Iterator[RawRecord]:
    import json  # here, not at the top: reading TOML (the common case) does without it

    walked = _json_walk(text, json.JSONDecoder())
    lines: dict[str, list[int]] | None = None
    if walked is None:  # not the object a ledger is: json says exactly what is wrong
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise UnreadableInput(f"not valid JSON: {e.msg}", path=str(p), line=e.lineno) from None
    else:
        doc, lines = walked
    if not isinstance(doc, dict):
        raise UnreadableInput(
            "a JSON ledger is an object with source/actor/account/resolution arrays", path=str(p)
        )
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
    # only "\n" ends a line: str.splitlines() would also split on U+2028 inside a string
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            raise UnreadableInput(f"not valid JSON: {e.msg}", path=str(p), line=n) from None
        if not isinstance(item, dict) or "type" not in item:
            raise UnreadableInput(
                'each line must be an object with a "type" (ledger, source, actor, account, resolution)',
                path=str(p),
                line=n,
            )
        kind = item.pop("type")
        if kind == "ledger":
            tz = _ledger_table(p, {"ledger": item})
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
            f"unknown CSV column(s): {', '.join(map(repr, unknown))}; "
            f"expected some of {', '.join(CSV_COLUMNS)}",
            path=str(p),
            line=line,
        )


def _wrong_row_length(p: Path, line: int, header: list[str], row: list[str]) -> None:
    """The error for a CSV row with more or fewer cells than its header has columns."""
    at = header.index("id") if "id" in header else len(row)
    record = row[at].strip() or None if at < len(row) else None
    n = len(row)
    cells = f"this row has {n} cell{'s' if n != 1 else ''} but the header has {len(header)} columns"
    if n > len(header):
        extra = ", ".join(map(repr, row[len(header) :]))
        message = f"{cells}; {extra} belong(s) to no column (quote a cell that holds a comma)"
    else:
        missing = ", ".join(header[n:])
        message = f"{cells}: none for {missing} (give every column a cell, empty for no value)"
    raise UnreadableInput(message, path=str(p), line=line, record=record)


def _read_csv(p: Path, text: str) -> Iterator[RawRecord]:
    import csv

    reader = csv.reader(io.StringIO(text))
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
        yield RawRecord("account", data, str(p), line, None)


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
