"""Terminal tables of accounts (and merged events) with tabulate."""

from __future__ import annotations

__all__ = ["COLUMNS", "to_table"]

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ._display import show_when
from ._records import Account

if TYPE_CHECKING:
    from ._ledger import Ledger

COLUMNS = ("date", "title", "kind", "actors", "quantity", "sources")
DEFAULT_COLUMNS = ("date", "title", "kind", "actors", "quantity", "sources")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text safe for a terminal cell: control and bidi characters shown as �, newlines as ⏎."""
    return _CONTROL.sub("\ufffd", text.replace("\r\n", "\n").replace("\n", " ⏎ ").replace("\t", " "))


def _cell(account: Account, column: str, ledger: Ledger | None, lang: str | None) -> str:
    if column == "date":
        return show_when(account.when)
    if column == "title":
        return account.title_in(lang)
    if column == "kind":
        return account.kind
    if column == "actors":
        if ledger is None:
            return ", ".join(account.actors)
        return ", ".join(
            ledger.actors[a].name_in(lang) if a in ledger.actors else a for a in account.actors
        )
    if column == "quantity":
        return "" if account.quantity is None else str(account.quantity)
    if column == "sources":
        return ", ".join(dict.fromkeys(c.source for c in account.citations))
    if column == "id":
        return account.id
    if column == "event":
        return account.event_key
    if column == "tags":
        return ", ".join(account.tags)
    raise ValueError(f"unknown column {column!r}; choose from {', '.join(COLUMNS)}, id, event, tags")


def to_table(
    items: Iterable[Account],
    *,
    fmt: str = "simple",
    columns: Sequence[str] = DEFAULT_COLUMNS,
    ledger: Ledger | None = None,
    lang: str | None = None,
) -> str:
    """A table of ``items`` in any tabulate format, dates at their own precision."""
    from tabulate import tabulate

    rows: list[list[Any]] = [
        [clean(_cell(a, c, ledger, lang)) for c in columns] for a in items
    ]
    return str(tabulate(rows, headers=list(columns), tablefmt=fmt, disable_numparse=True))
