"""The one cattrs converter that turns records into plain data and back.

Every format (TOML, JSON, JSON Lines, CSV import) goes through
:func:`make_converter`; nothing registers hooks on cattrs' global converter.

Dates are structured from a ``When``/``Span`` already parsed in context (the
ledger reader does that, because relative dates need the source's publication
date), from EDTF text, or from a table ``{edtf = "...", text = "...", tz = "..."}``.
They are unstructured to that table form; the writers compact it to a plain
string where that loses nothing.
"""

from __future__ import annotations

__all__ = ["WhenData", "make_converter", "scale_number", "structure_when", "unstructure_when"]

import datetime as _dt
import enum
import math
import re
import sys
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from ._calendar import get_zone
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
from ._when import Span, When

WhenData = str | dict[str, Any]

_WHEN_KEYS = frozenset({"edtf", "text", "tz", "inferred"})


def structure_when(value: Any, ref: Any = None, tz: str | None = None) -> When | Span:
    """A ``When``/``Span`` from a parsed value, a date text, or a ``{edtf, text, tz}`` table."""
    if isinstance(value, (When, Span)):
        return value
    if isinstance(value, str):
        return parse_when(value, ref=ref, tz=tz)
    if isinstance(value, dict):
        extra = set(value) - _WHEN_KEYS
        if extra:
            raise ValueError(
                f"unknown key(s) {', '.join(sorted(extra))} in a date table; "
                "expected edtf, text, tz"
            )
        edtf, text, zone, inferred = (value.get(k) for k in ("edtf", "text", "tz", "inferred"))
        for key, v in (("edtf", edtf), ("text", text)):
            if v is not None and not isinstance(v, str):  # never str() of a list or number
                raise ValueError(f"{key} in a date table must be text, got {_shown(v)}")
        if zone is not None and not isinstance(zone, str):
            raise ValueError(
                f"tz in a date table must be a zone name like 'Asia/Shanghai', got {_shown(zone)}"
            )
        if inferred is not None and not isinstance(inferred, bool):
            raise ValueError(
                f"inferred in a date table must be true or false, got {_shown(inferred)}"
            )
        if zone is None:
            zone = tz
        else:
            get_zone(zone)  # an empty or unknown zone is an error, never the file's instead
        if edtf is not None:
            w = parse_when(edtf, ref=ref, tz=zone)
        elif text is not None:
            w = parse_when(text, ref=ref, tz=zone)
        else:
            raise ValueError("a date table needs `edtf` or `text`")
        if text is not None:
            w = _with_text(w, text, bool(inferred))
        return w
    if isinstance(value, (_dt.date, _dt.time)):
        text = value.isoformat()
        raise ValueError(
            f'write the date as quoted text, "{text}": a bare TOML date or time '
            "has no zone and no precision"
        )
    raise ValueError(f"expected a date text or table, got {type(value).__name__} {_shown(value)}")


def _with_text(w: When | Span, text: str, inferred: bool) -> When | Span:
    import attrs

    if isinstance(w, When):
        return attrs.evolve(w, text=text, inferred=inferred or w.inferred)
    return attrs.evolve(w, text=text)


def unstructure_when(w: When | Span) -> dict[str, Any]:
    """``{edtf, tz[, text][, inferred]}`` for ``w``."""
    d: dict[str, Any] = {"edtf": w.to_edtf(), "tz": w.tz}
    if w.text is not None and w.text != d["edtf"]:
        d["text"] = w.text
    if w.inferred:
        d["inferred"] = True
    return d


_SCALE = {
    "万": 10_000,
    "萬": 10_000,
    "亿": 100_000_000,
    "億": 100_000_000,
    "千": 1_000,
    "百万": 1_000_000,
    "千万": 10_000_000,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
}
_NUMBER = re.compile(
    r"^\s*([+-]?\d[\d,]*(?:\.\d+)?)\s*(万|萬|亿|億|千万|百万|千|k|thousand|m|million|bn|b|billion)?\s*$",
    re.I,
)


def scale_number(value: Any) -> int | float:
    """A number as given, or text like ``"8万"``/``"214.16亿"``/``"1.4 million"`` scaled.

    >>> scale_number("214.16亿"), scale_number("8万"), scale_number(22.4)
    (21416000000, 80000, 22.4)
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {_shown(value)}")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        m = _NUMBER.match(value)
        if m:
            digits = m.group(1).replace(",", "")
            factor = (
                _SCALE[m.group(2).lower() if m.group(2) and m.group(2).isascii() else m.group(2)]
                if m.group(2)
                else 1
            )
            whole = len(digits.split(".")[0].lstrip("+-")) + len(str(factor)) - 1
            limit = sys.get_int_max_str_digits()
            if limit and whole > limit:  # (Python would neither read it nor print it)
                raise ValueError(
                    f"expected a number of at most {limit} digits, got one of {whole} "
                    f"digits: {_shown(value)}"
                )
            if "." in digits:
                from decimal import Decimal, localcontext

                with localcontext() as exact:  # every digit kept: 28 would round 1.99…9 to 2
                    exact.prec = len(digits) + 20
                    scaled = Decimal(digits) * factor
                if scaled == scaled.to_integral_value():
                    return int(scaled)
                number = float(scaled)
                if math.isinf(number):
                    raise ValueError(f"expected a number, got {_shown(value)}, too large to hold")
                return number
            return int(digits) * factor
    raise ValueError(f"expected a number (optionally with 万/亿/million), got {_shown(value)}")


def _shown(value: Any) -> str:
    """``value`` as a message quotes it: its repr, cut short when long."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _each(value: list[Any] | tuple[Any, ...], t: Any, item: Any) -> tuple[Any, ...]:
    """``item(v)`` for every element, with every failure reported at its index
    (``field[2]``), as cattrs reports the elements of the lists it structures."""
    try:  # the common case: every element is fine (``item`` has no side effects)
        return tuple(map(item, value))
    except Exception:  # read again below, each failure at its index
        pass
    from cattrs.errors import IterableValidationError, IterableValidationNote

    out: list[Any] = []
    errors: list[Exception] = []
    for i, v in enumerate(value):
        try:
            out.append(item(v))
        except Exception as e:  # collected, then raised together, as cattrs does
            e.add_note(IterableValidationNote(f"Structuring {t} @ index {i}", i, t))
            errors.append(e)
    if errors:
        raise IterableValidationError(f"While structuring {t}", errors, t)
    return tuple(out)


_PAIRS_EXAMPLE = 'a table of language = text like { en = "..." }'


def _pairs_from(value: Any, _t: Any) -> tuple[tuple[str, str], ...]:
    items: Any
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)) and all(
        isinstance(p, (list, tuple)) and len(p) == 2 for p in value
    ):
        items = value  # [[language, text], ...]: the pairs the record holds
    else:
        raise ValueError(f"expected {_PAIRS_EXAMPLE}, got {_shown(value)}")
    out = []
    for k, v in items:
        if not isinstance(k, str):
            raise ValueError(f"expected a language tag like 'en', got {_shown(k)}")
        if not isinstance(v, str):
            raise ValueError(f"expected text for {k!r}, got {_shown(v)}")
        out.append((k, v))
    return tuple(sorted(out))


def _text_item(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"expected text, got {type(v).__name__} {_shown(v)}")
    return v


def _str_tuple(value: Any, t: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ValueError(
            f"expected a list of texts, got the single text {_shown(value)}; write [{_shown(value)}]"
        )
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of texts, got {_shown(value)}")
    if all(type(v) is str for v in value):  # the common case, checked in one pass
        return tuple(value)
    return _each(value, t, _text_item)


_CITATION_EXAMPLE = '{ source = "s1" }'
_QUANTITY_EXAMPLE = '{ value = 80000, unit = "enterprises" }'


def _tables_hook(c: cattrs.Converter, cls: type, example: str) -> Any:
    """The hook for a list of ``cls`` records: a list, each element a table."""

    found: list[Any] = []  # the converter's hook for cls, looked up on first use, once

    def table(v: Any) -> Any:
        if not isinstance(v, dict):
            raise ValueError(f"expected a table like {example}, got {_shown(v)}")
        if not found:
            found.append(c.get_structure_hook(cls))
        return found[0](v, cls)

    def hook(value: Any, t: Any) -> tuple[Any, ...]:
        if isinstance(value, dict):
            raise ValueError(
                f"expected a list of tables like [{example}], got a single table {_shown(value)}; "
                "in TOML write [[...]] for each, in JSON a list"
            )
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"expected a list of tables like [{example}], got {_shown(value)}")
        return _each(value, t, table)

    return hook


def _table_hook(c: cattrs.Converter, cls: type, example: str) -> Any:
    """The hook for an optional ``cls`` record: nothing, or a table."""

    def hook(value: Any, _t: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ValueError(f"expected a table like {example}, got {_shown(value)}")
        return c.structure(value, cls)

    return hook


def _str(value: Any, _t: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__} {_shown(value)}")
    return value


def _opt_str(value: Any, _t: Any) -> str | None:
    return None if value is None else _str(value, _t)


def _bool(value: Any, _t: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_shown(value)}")
    return value


def _opt_int(value: Any, _t: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {_shown(value)}")
    return value


def _opt_float(value: Any, _t: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {_shown(value)}")
    return float(value)


def make_converter() -> cattrs.Converter:
    """A new converter for chronicle's records (never cattrs' global one).

    Structuring is strict: unknown keys, wrong types and missing fields are errors,
    reported by cattrs with the path of the offending field.
    """
    c = cattrs.Converter(forbid_extra_keys=True)
    c.register_structure_hook(str, _str)
    c.register_structure_hook(str | None, _opt_str)
    c.register_structure_hook(bool, _bool)
    c.register_structure_hook(int | None, _opt_int)
    c.register_structure_hook(float | None, _opt_float)
    c.register_structure_hook_func(lambda t: t == tuple[str, ...], _str_tuple)
    # lists of records and optional records: the wrong shape is said so, never iterated
    # into (a text is not a list of its characters, nor a list of texts a list of tables)
    c.register_structure_hook_func(
        lambda t: t == tuple[Citation, ...], _tables_hook(c, Citation, _CITATION_EXAMPLE)
    )
    c.register_structure_hook_func(
        lambda t: t == Quantity | None, _table_hook(c, Quantity, _QUANTITY_EXAMPLE)
    )
    pairs = tuple[tuple[str, str], ...]
    c.register_structure_hook_func(lambda t: t == pairs, _pairs_from)
    c.register_unstructure_hook_func(lambda t: t == pairs, dict)
    c.register_structure_hook(When, lambda v, _t: _expect_when(structure_when(v)))
    c.register_structure_hook(
        When | None, lambda v, _t: None if v is None else _expect_when(structure_when(v))
    )
    c.register_structure_hook(When | Span, lambda v, _t: structure_when(v))
    c.register_structure_hook(int | float, lambda v, _t: scale_number(v))
    c.register_structure_hook(
        int | float | None, lambda v, _t: None if v is None else scale_number(v)
    )
    c.register_unstructure_hook(When, unstructure_when)
    c.register_unstructure_hook(Span, unstructure_when)
    # each record class's functions are generated the first time it is (un)structured,
    # so a command that reads TOML does not pay for generating what it never writes
    records = frozenset((Source, Actor, Quantity, Citation, Account, Resolution))
    c.register_structure_hook_factory(
        records.__contains__,
        lambda cls: make_dict_structure_fn(cls, c, _cattrs_forbid_extra_keys=True),
    )
    c.register_unstructure_hook_factory(
        records.__contains__,
        lambda cls: make_dict_unstructure_fn(cls, c, _cattrs_omit_if_default=True),
    )
    for enum_cls in (SourceKind, ActorKind, Bound):
        c.register_structure_hook(enum_cls, _enum_hook(enum_cls))
        c.register_unstructure_hook(enum_cls, str)
    return c


def describe_error(exc: BaseException, path: str = "$") -> list[tuple[str, str]]:
    """(field path, message) pairs for a cattrs structuring failure, most specific first.

    ``ValueError``s raised by chronicle's hooks and validators keep their own words.
    """
    from cattrs import transform_error
    from cattrs.v import format_exception

    def fmt(e: BaseException, t: type | None) -> str:
        if isinstance(e, (ValueError, TypeError)) and not isinstance(e, cattrs.BaseValidationError):
            msg = str(e)
            if msg and "object is not" not in msg:
                return msg
        return format_exception(e, t)

    out = []
    for line in transform_error(exc, path=path, format_exception=fmt):
        msg, _, where = line.rpartition(" @ ")
        out.append((where or path, msg or line))
    return out


def _enum_hook(enum_cls: type[enum.StrEnum]) -> Any:
    allowed = ", ".join(m.value for m in enum_cls)

    def hook(value: Any, _t: Any) -> enum.StrEnum:
        try:
            return enum_cls(value)
        except ValueError:
            raise ValueError(f"{_shown(value)} is not one of: {allowed}") from None

    return hook


def _expect_when(w: When | Span) -> When:
    if not isinstance(w, When):
        raise ValueError(f"expected a single date, got the interval {w.to_edtf()!r}")
    return w
