"""chronicle: sourced chronologies of an industry.

>>> import chronicle
>>> chronicle.parse_when("2022-36", tz="Asia/Shanghai").earliest.isoformat()
'2022-10-01T00:00:00+08:00'
"""

from ._append import append_account
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
)

__all__ = [
    "Account",
    "Actor",
    "ActorKind",
    "Bound",
    "ChronicleError",
    "Citation",
    "Finding",
    "Ledger",
    "LedgerError",
    "ParseError",
    "Precision",
    "Quantity",
    "ReferenceRequired",
    "Resolution",
    "Source",
    "SourceKind",
    "Span",
    "UnreadableInput",
    "When",
    "__version__",
    "append_account",
    "load",
    "parse_when",
]
