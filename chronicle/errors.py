"""Errors raised by chronicle.

Every error chronicle raises on bad input is a :class:`ChronicleError`. Each
subclass also inherits the builtin it specialises (``ValueError``, ``OSError``),
so ``except ValueError`` keeps working for callers who do not know chronicle.

Errors carry structured fields -- ``path``, ``line``, ``record``, ``field`` and
``text`` -- so tools can point at the offending place, and ``str(error)`` is a
message a person can act on.

>>> from chronicle import parse_when, ParseError
>>> try:
...     parse_when("Smarch 2022")
... except ParseError as e:
...     print(e)
cannot read 'Smarch 2022' as a date: unknown word 'Smarch'
  Smarch 2022
  ^~~~~~
"""

from __future__ import annotations

__all__ = [
    "ChronicleError",
    "Finding",
    "LedgerError",
    "ParseError",
    "ReferenceRequired",
    "UnreadableInput",
    "UnwritableOutput",
]

import attrs


class ChronicleError(Exception):
    """Base class of every error chronicle raises on purpose.

    ``path``, ``line``, ``record``, ``field`` and ``text`` are filled in where
    known, so a message can name the file, the record and the offending text.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.record = record
        self.field = field
        self.text = text

    def where(self) -> str:
        """``file:line: record: `` prefix for this error (empty parts omitted)."""
        parts = []
        if self.path is not None:
            parts.append(self.path if self.line is None else f"{self.path}:{self.line}")
        if self.record is not None:
            parts.append(self.record)
        return "".join(p + ": " for p in parts)

    def __str__(self) -> str:
        return self.where() + self.message


class ParseError(ChronicleError, ValueError):
    """A date or value could not be read.

    ``text`` is the whole input and ``position`` the index where reading it
    stopped making sense; ``str()`` draws a caret under that place.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str,
        position: int | None = None,
        length: int = 1,
        **context: str | int | None,
    ) -> None:
        super().__init__(message, text=text, **context)  # type: ignore[arg-type]
        self.position = position
        self.length = max(1, length)

    def __str__(self) -> str:
        shown = self.text if self.text is not None else ""
        head = self.where() + self.message
        if self.position is None or len(shown) > 200 or "\n" in shown:
            return head
        from ._textwidth import display_width

        pad = display_width(shown[: self.position])
        mark = "^" + "~" * (display_width(shown[self.position : self.position + self.length]) - 1)
        return f"{head}\n  {shown}\n  {' ' * pad}{mark}"


class ReferenceRequired(ParseError):
    """A relative date ("去年9月", "last month", "3月16日") was read without a reference date."""


class UnreadableInput(ChronicleError, OSError):
    """A file could not be read at all (missing, not UTF-8, not valid TOML/JSON)."""


class UnwritableOutput(ChronicleError, OSError):
    """A file could not be written (no such folder, no permission, the disk full); the
    file as it was is left in place."""


@attrs.frozen
class Finding:
    """One problem found while validating a ledger."""

    message: str
    path: str | None = None
    line: int | None = None
    record: str | None = None
    field: str | None = None
    text: str | None = None

    def __str__(self) -> str:
        loc = self.path or "<ledger>"
        if self.line is not None:
            loc += f":{self.line}"
        rec = f" {self.record}:" if self.record else ""
        return f"{loc}:{rec} {self.message}"


class LedgerError(ChronicleError, ValueError):
    """A ledger failed validation. ``findings`` lists every problem at once."""

    def __init__(self, findings: list[Finding] | tuple[Finding, ...]) -> None:
        self.findings = tuple(findings)
        n = len(self.findings)
        first = self.findings[0] if self.findings else None
        summary = f"{n} problem{'s' if n != 1 else ''} in ledger"
        body = "\n".join(str(f) for f in self.findings)
        super().__init__(
            f"{summary}:\n{body}" if body else summary,
            path=first.path if first else None,
            record=first.record if first else None,
        )

    def __str__(self) -> str:
        return self.message
