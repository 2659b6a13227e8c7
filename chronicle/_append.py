"""Appending an account to a hand-written TOML file without touching what is there."""

from __future__ import annotations

__all__ = ["append_account"]

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._files import (
    FORMATS,
    RawRecord,
    atomic_write,
    ledger_files,
    parse_toml,
    read_bytes_and_text,
    read_file,
)
from ._ledger import build, converter
from ._records import Account
from ._write import dump_account_toml
from .errors import UnreadableInput


def _ledger_paths(target: Path) -> list[Path]:
    """The file itself, or its whole folder when the folder holds other ledger files."""
    folder = target.parent
    try:
        siblings = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FORMATS]
    except OSError as e:
        raise UnreadableInput(f"cannot read folder: {e.strerror or e}", path=str(folder)) from None
    return [folder] if len(siblings) > 1 else [target]


def _declared_tz(text: str, target: Path) -> str | None:
    meta = parse_toml(target, text).get("ledger", {}) if text.strip() else {}
    tz = meta.get("tz") if isinstance(meta, dict) else None
    return tz if isinstance(tz, str) else None


def append_account(
    path: str | os.PathLike[str],
    account: Account | dict[str, Any],
    *,
    ledger: Sequence[str | os.PathLike[str]] | None = None,
    tz: str | None = None,
) -> Account:
    """Append one ``[[account]]`` to the TOML file at ``path`` and return it as read back.

    The account is checked against the ledger the file belongs to -- ``ledger`` (files
    and folders), else the file's folder when it holds other ledger files, else the file
    alone: its sources, actors and relative dates are resolved exactly as
    ``chronicle.load`` would, in the zone the file declares (else ``tz``, as
    ``chronicle.load(..., tz=)`` reads files that declare none). The file is extended, never
    rewritten: comments, order, line endings and formatting stay as they were. The write
    is atomic; nothing is written when the account is invalid.
    """
    target = Path(path)
    if target.suffix.lower() != ".toml":
        raise UnreadableInput("chronicle add appends to .toml files", path=str(target))
    if not target.exists():
        raise UnreadableInput("no such file; create it first (it may be empty)", path=str(target))
    data = converter().unstructure(account) if isinstance(account, Account) else dict(account)
    raw_bytes, old = read_bytes_and_text(target)
    file_tz = _declared_tz(old, target)
    roots = [Path(p) for p in ledger] if ledger else _ledger_paths(target)
    seen: set[Path] = set()  # each file read once, the target too (as ``load`` does)
    raws = [r for p in (*roots, target) for f in ledger_files(p, seen) for r in read_file(f)]
    new = RawRecord("account", data, str(target), None, file_tz)
    built = build([*raws, new], default_tz=tz or "UTC")
    added = built.account(str(data.get("id")))
    block = dump_account_toml(built.record_data(added))
    newline = "\r\n" if "\r\n" in old else "\n"
    body = old.replace("\r\n", "\n")
    sep = "" if not body or body.endswith("\n\n") else ("\n" if body.endswith("\n") else "\n\n")
    addition = (sep + block).replace("\n", newline)
    text = old + addition
    parse_toml(target, text)  # never write a file that would not read back
    bom = b"\xef\xbb\xbf" if raw_bytes.startswith(b"\xef\xbb\xbf") else b""
    atomic_write(target, bom + text.encode("utf-8"))
    return added
