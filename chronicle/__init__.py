"""chronicle: sourced chronologies of an industry.

>>> import chronicle
>>> chronicle.parse_when("2022-36", tz="Asia/Shanghai").earliest.isoformat()
'2022-10-01T00:00:00+08:00'
"""

from ._append import append_account
from ._calendar import Precision
from ._export import to_csv, to_json, to_markdown
from ._html import to_html
from ._ical import CoarseDates, OpenDates, to_ics
from ._ledger import Ledger, load
from ._merge_policy import Policy, PolicyError, Rule
from ._merge_result import Flag, MergedEvent, MergedValue, Overruled, Status, Timeline
from ._parse import parse_when
from ._query import Query
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
from ._table import to_table
from ._version import __version__
from ._when import Span, When
from .errors import (
    ChronicleError,
    Finding,
    LedgerError,
    ParseError,
    ReferenceRequired,
    UnreadableInput,
)

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
