"""Appending an account to a hand-written TOML file without touching what is there."""

from __future__ import annotations

__all__ = ["append_account"]

import os
import tomllib
from pathlib import Path
from typing import Any

from ._files import FORMATS, RawRecord, atomic_write, read_path
from ._ledger import build, converter
from ._records import Account
from ._write import dump_account_toml
from .errors import UnreadableInput


def _ledger_paths(target: Path) -> list[Path]:
    """The file itself, or its whole folder when the folder is a ledger of several files."""
    folder = target.parent
    siblings = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FORMATS]
    return [folder] if len(siblings) > 1 else [target]


def append_account(path: str | os.PathLike[str], account: Account | dict[str, Any]) -> Account:
    """Append one ``[[account]]`` to the TOML file at ``path`` and return it as read back.

    The account is checked against the ledger the file belongs to (its folder, when
    the folder holds other ledger files): its sources, actors and relative dates are
    resolved exactly as ``chronicle.load`` would. The file is extended, never
    rewritten: comments, order and formatting stay as they were. The write is atomic.
    """
    target = Path(path)
    if target.suffix.lower() != ".toml":
        raise UnreadableInput("chronicle add appends to .toml files", path=str(target))
    if not target.exists():
        raise UnreadableInput("no such file; create it first (it may be empty)", path=str(target))
    data = converter().unstructure(account) if isinstance(account, Account) else dict(account)
    raws = []
    file_tz = None
    for p in _ledger_paths(target):
        for r in read_path(p):
            raws.append(r)
            if Path(r.path) == target and r.tz:
                file_tz = r.tz
    if not raws:
        text = target.read_text(encoding="utf-8")
        file_tz = tomllib.loads(text).get("ledger", {}).get("tz") if text.strip() else None
    new = RawRecord("account", data, str(target), None, file_tz)
    ledger = build([*raws, new])
    added = ledger.account(str(data.get("id")))
    block = dump_account_toml(ledger.record_data(added))
    old = target.read_bytes().decode("utf-8-sig")
    sep = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    text = old + sep + block
    tomllib.loads(text)  # never write a file that would not read back
    atomic_write(target, text.encode("utf-8"))
    return added
