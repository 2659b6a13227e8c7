"""chronicle: sourced chronologies of an industry.

>>> import chronicle
>>> chronicle.parse_when("2022-36", tz="Asia/Shanghai").earliest.isoformat()
'2022-10-01T00:00:00+08:00'

The exporters, appending, merging and querying are imported on first use, so that
``import chronicle`` (and ``chronicle table``) start fast.
"""

from typing import TYPE_CHECKING, Any

from ._calendar import Precision
from ._ledger import Ledger, load
from ._parse import parse_when
from ._records import (
    Account,
    Actor,
    ActorKind,
    Bound,
    Citation,
    Quantity,
    Resolution,
    Source,
    SourceKind,
)
from ._version import __version__
from ._when import Span, When
from .errors import (
    ChronicleError,
    Finding,
    LedgerError,
    ParseError,
    ReferenceRequired,
    UnreadableInput,
    UnwritableOutput,
)

if TYPE_CHECKING:
    from ._append import append_account
    from ._export import to_csv, to_json, to_markdown
    from ._html import to_html
    from ._ical import CoarseDates, OpenDates, to_ics
    from ._merge_policy import Policy, PolicyError, Rule
    from ._merge_result import Flag, MergedEvent, MergedValue, Overruled, Status, Timeline
    from ._query import Query
    from ._table import to_table

_LAZY = {
    "append_account": "_append",
    "to_csv": "_export",
    "to_json": "_export",
    "to_markdown": "_export",
    "to_html": "_html",
    "CoarseDates": "_ical",
    "OpenDates": "_ical",
    "to_ics": "_ical",
    "Policy": "_merge_policy",
    "PolicyError": "_merge_policy",
    "Rule": "_merge_policy",
    "Flag": "_merge_result",
    "MergedEvent": "_merge_result",
    "MergedValue": "_merge_result",
    "Overruled": "_merge_result",
    "Status": "_merge_result",
    "Timeline": "_merge_result",
    "Query": "_query",
    "to_table": "_table",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'chronicle' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"chronicle.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Account",
    "Actor",
    "ActorKind",
    "Bound",
    "ChronicleError",
    "Citation",
    "CoarseDates",
    "Finding",
    "Flag",
    "Ledger",
    "LedgerError",
    "MergedEvent",
    "MergedValue",
    "OpenDates",
    "Overruled",
    "ParseError",
    "Policy",
    "PolicyError",
    "Precision",
    "Quantity",
    "Query",
    "ReferenceRequired",
    "Resolution",
    "Rule",
    "Source",
    "SourceKind",
    "Span",
    "Status",
    "Timeline",
    "UnreadableInput",
    "UnwritableOutput",
    "When",
    "__version__",
    "append_account",
    "load",
    "parse_when",
    "to_csv",
    "to_html",
    "to_ics",
    "to_json",
    "to_markdown",
    "to_table",
]
