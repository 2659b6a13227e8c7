"""chronicle: sourced chronologies of an industry.

>>> import chronicle
>>> chronicle.parse_when("2022年第四季度", tz="Asia/Shanghai").to_edtf()
'2022-36'
"""

from ._calendar import Precision
from ._parse import parse_when
from ._version import __version__
from ._when import Span, When
from .errors import ChronicleError, Finding, LedgerError, ParseError, ReferenceRequired

__all__ = [
    "ChronicleError",
    "Finding",
    "LedgerError",
    "ParseError",
    "Precision",
    "ReferenceRequired",
    "Span",
    "When",
    "__version__",
    "parse_when",
]
