"""Serialising plain ledger data to TOML, JSON and JSON Lines bytes.

TOML is written the way people write it by hand: one ``[[kind]]`` table per
record, nested tables as ``[account.quantity]`` and ``[[account.citations]]``,
short values inline. String escaping is tomli-w's.
"""

from __future__ import annotations

__all__ = ["dump", "dump_account_toml", "toml_record"]

import json
import re
from typing import Any

import tomli_w

_KINDS = ("source", "actor", "account", "resolution")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE_KEY.match(k) else _value(k)


def _value(v: Any) -> str:
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return tomli_w.dumps({"x": v})[4:-1]


def toml_record(kind: str, row: dict[str, Any]) -> str:
    """One record as a ``[[kind]]`` block."""
    lines = [f"[[{kind}]]"]
    nested: list[tuple[str, dict[str, Any]]] = []
    for k, v in row.items():
        if isinstance(v, dict) and k != "when" and k != "published" and k != "recorded":
            nested.append((f"[{kind}.{_key(k)}]", v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            nested.extend((f"[[{kind}.{_key(k)}]]", x) for x in v)
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    for header, table in nested:
        lines.append("")
        lines.append(header)
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def dump(data: dict[str, Any], fmt: str) -> bytes:
    """``data`` (from ``Ledger.to_data``) as the bytes of a ``fmt`` file."""
    if fmt == "toml":
        blocks = []
        meta = data.get("ledger")
        if meta:
            blocks.append(
                "[ledger]\n" + "".join(f"{_key(k)} = {_value(v)}\n" for k, v in meta.items())
            )
        for kind in _KINDS:
            blocks.extend(toml_record(kind, row) for row in data.get(kind, ()))
        return "\n".join(blocks).encode("utf-8")
    if fmt == "json":
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "jsonl":
        lines = [json.dumps({"type": "ledger", **data.get("ledger", {})}, ensure_ascii=False)]
        for kind in _KINDS:
            for row in data.get(kind, ()):
                lines.append(json.dumps({"type": kind, **row}, ensure_ascii=False))
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"cannot write {fmt!r}; expected toml, json or jsonl")


def dump_account_toml(row: dict[str, Any]) -> str:
    """One ``[[account]]`` block (with its ``[[account.citations]]``) as TOML text."""
    return toml_record("account", row)
