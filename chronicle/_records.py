"""The ledger's records: Source, Actor, Account, Quantity, Citation, Resolution.

Immutable ``attrs`` classes (frozen, slotted, keyword-only, tuples not lists).
Change one with ``attrs.evolve``. Converting to and from files is the converter's
job (``chronicle._convert``), not the records'.
"""

from __future__ import annotations

__all__ = [
    "Account",
    "Actor",
    "ActorKind",
    "Bound",
    "Citation",
    "Quantity",
    "Record",
    "Resolution",
    "Source",
    "SourceKind",
]

import enum
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from ._when import Span, When


class SourceKind(enum.StrEnum):
    """What kind of text a source is."""

    NEWS = "news"
    REPORT = "report"
    PRESS_RELEASE = "press_release"
    FILING = "filing"
    INTERVIEW = "interview"
    STATEMENT = "statement"
    SOCIAL = "social"
    DATASET = "dataset"
    BOOK = "book"


class ActorKind(enum.StrEnum):
    """What kind of thing an actor is."""

    COMPANY = "company"
    ORGANISATION = "organisation"
    PERSON = "person"
    PRODUCT = "product"
    MODEL = "model"
    FACILITY = "facility"


class Bound(enum.StrEnum):
    """How a quantity was stated: "突破8万" is at least 80,000."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    ABOUT = "about"
    BETWEEN = "between"


_E = TypeVar("_E", bound=enum.StrEnum)


def _member(cls: type[_E], value: Any) -> _E:
    """``cls(value)``, or a ValueError that lists what is allowed."""
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise ValueError(f"{value!r} is not one of: {allowed}") from None


def _source_kind(value: str) -> SourceKind:
    return _member(SourceKind, value)


def _actor_kind(value: str) -> ActorKind:
    return _member(ActorKind, value)


def _bound(value: str) -> Bound:
    return _member(Bound, value)


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_TOKEN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
"""A BCP 47 language tag's shape (``en``, ``zh-Hant``, ``en-US-u-ca-gregory``), matched
whole (``fullmatch``): the bulk loader checks the same."""


def _is_id(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError(
            f"{attr.name} must be an id of letters, digits and . _ : - (got {value!r})"
        )


def _ids(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    for v in value:
        _is_id(_inst, attr, v)


def _opt_id(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _is_id(_inst, attr, value)


def _is_token(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _TOKEN.match(value):
        raise ValueError(
            f"{attr.name} must be a lower-case word of letters, digits, _ and - (got {value!r})"
        )


def _tokens(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    for v in value:
        _is_token(_inst, attr, v)


def _nonempty(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attr.name} must be non-empty text")


def _translations(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    seen = set()
    for lang, text in value:
        if not LANGUAGE_TAG.fullmatch(lang):
            raise ValueError(f"{attr.name}: {lang!r} is not a language tag like 'en' or 'zh-Hant'")
        if lang in seen:
            raise ValueError(f"{attr.name}: language {lang!r} given twice")
        seen.add(lang)
        if not text.strip():
            raise ValueError(f"{attr.name}: empty text for {lang!r}")


def _language(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not (isinstance(value, str) and LANGUAGE_TAG.fullmatch(value)):
        raise ValueError(f"{attr.name}: {value!r} is not a language tag like 'en' or 'zh-Hant'")


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError(f"expected a list of texts, got the single text {value!r}")
    return tuple(value)


def _citations(value: Iterable[Citation]) -> tuple[Citation, ...]:
    if isinstance(value, (str, Citation)):
        raise TypeError(f"citations: expected a list of Citations, got {value!r}")
    out = tuple(value)
    for i, c in enumerate(out):
        if not isinstance(c, Citation):
            raise TypeError(f"citations[{i}]: expected a Citation, got {c!r}")
    return out


def _sorted_pairs(
    value: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    if isinstance(value, str):
        raise TypeError(f"expected a mapping of language to text, got the single text {value!r}")
    pairs: Iterable[Any] = value.items() if isinstance(value, Mapping) else value
    out = []
    for pair in pairs:
        if isinstance(pair, str) or not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"expected (language, text) pairs, got {pair!r}")
        out.append((str(pair[0]), str(pair[1])))
    return tuple(sorted(out))


def _number(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is None and attr.name != "value":
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{attr.name} must be a number (got {value!r})")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{attr.name} must be a finite number (got {value!r})")


WhenOrSpan = When | Span


def _a_when(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is None and attr.name != "when":
        return
    allowed = (When, Span) if attr.name == "when" else (When,)
    if not isinstance(value, allowed):
        what = "a When or Span" if attr.name == "when" else "a When"
        hint = (
            f"; read text with chronicle.parse_when({value!r}, ref=..., tz=...)"
            if isinstance(value, str)
            else ""
        )
        raise TypeError(f"{attr.name} must be {what}, got {type(value).__name__}{hint}")


def _url(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not re.match(r"^https?://\S", value, re.I):
        raise ValueError(f"url must be an http(s) address, got {value!r}")


def _unit_interval(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"{attr.name} must be a number from 0 to 1, got {value!r}")


def _ordinal(_inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{attr.name} must be a whole number from 0 up, got {value!r}")


@attrs.frozen(kw_only=True)
class Source:
    """A text that says things: an article, a report, a filing, a person's statement.

    ``published`` is a ``When`` (it anchors relative dates in the accounts that cite
    it); ``cites`` lists the ids of the sources it relies on, so that a syndicated
    story is not counted as independent support.
    """

    id: str = attrs.field(validator=_is_id)
    title: str = attrs.field(validator=_nonempty)
    kind: SourceKind = attrs.field(converter=_source_kind)
    publisher: str | None = None
    authors: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    editors: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    published: When | None = attrs.field(default=None, validator=_a_when)
    url: str | None = attrs.field(default=None, validator=_url)
    language: str | None = attrs.field(default=None, validator=_language)
    reliability: int | None = attrs.field(default=None, validator=_ordinal)
    cites: tuple[str, ...] = attrs.field(default=(), converter=_texts, validator=_ids)
    tz: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Actor:
    """Someone or something that acts: a company, a product, a model, a person, a facility.

    ``aliases`` are every other name in any language; ``names`` the display name per
    language; ``part_of`` the id of the actor this one belongs to (百度智能云 → 百度).
    """

    id: str = attrs.field(validator=_is_id)
    name: str = attrs.field(validator=_nonempty)
    kind: ActorKind = attrs.field(converter=_actor_kind)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    names: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_sorted_pairs, validator=_translations
    )
    part_of: str | None = attrs.field(default=None, validator=_opt_id)
    note: str | None = None

    def name_in(self, lang: str | None) -> str:
        """The display name in ``lang`` when there is one, else ``name``."""
        if lang:
            for code, text in self.names:
                if code == lang:
                    return text
        return self.name

    @property
    def all_names(self) -> tuple[str, ...]:
        """``name``, every alias and every display name, without repeats."""
        seen: dict[str, None] = dict.fromkeys(
            (self.name, *self.aliases, *(t for _, t in self.names))
        )
        return tuple(seen)


@attrs.frozen(kw_only=True)
class Quantity:
    """A number with its unit and how it was stated.

    ``bound`` says what the number means: exactly ``value``, at least, at most, about,
    or between ``value`` and ``upper``. ``as_of`` is when a running figure held
    ("截止2022年底 535万开发者"). ``text`` keeps the original wording ("突破8万家").
    """

    value: int | float = attrs.field(validator=_number)
    unit: str = attrs.field(validator=_nonempty)
    bound: Bound = attrs.field(default=Bound.EXACT, converter=_bound)
    upper: int | float | None = attrs.field(default=None, validator=_number)
    as_of: When | None = attrs.field(default=None, validator=_a_when)
    text: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.bound == Bound.BETWEEN) != (self.upper is not None):
            raise ValueError("`upper` is given exactly when bound is 'between'")
        if self.upper is not None and self.upper < self.value:
            raise ValueError(f"upper {self.upper} is below value {self.value}")

    def __str__(self) -> str:
        v = _num(self.value)
        if self.bound == Bound.BETWEEN:
            return f"{v}–{_num(self.upper)} {self.unit}"
        sign = {Bound.EXACT: "", Bound.AT_LEAST: "≥ ", Bound.AT_MOST: "≤ ", Bound.ABOUT: "≈ "}
        return f"{sign[self.bound]}{v} {self.unit}"


def _num(v: int | float | None) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        v = int(v)
    return f"{v:,}" if isinstance(v, int) else f"{v:,.6g}"


@attrs.frozen(kw_only=True)
class Citation:
    """Where an account comes from: a source, a place in it, and the quoted text.

    A citation without a ``quote`` says the account is attributed to that source
    (read through another one).
    """

    source: str = attrs.field(validator=_is_id)
    locator: str | None = None
    quote: str | None = None
    confidence: float | None = attrs.field(default=None, validator=_unit_interval)


@attrs.frozen(kw_only=True)
class Account:
    """One source's statement that something happened.

    ``event`` is the key of the real-world event it describes, when known; accounts
    of the same event share it. ``when`` is a ``When`` or, for things that last, a
    ``Span``; its ``text`` keeps the original wording. The first citation is the
    account's own source.
    """

    id: str = attrs.field(validator=_is_id)
    kind: str = attrs.field(validator=_is_token)
    title: str = attrs.field(validator=_nonempty)
    when: WhenOrSpan = attrs.field(validator=_a_when)
    citations: tuple[Citation, ...] = attrs.field(converter=_citations)
    event: str | None = attrs.field(default=None, validator=_opt_id)
    translations: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_sorted_pairs, validator=_translations
    )
    actors: tuple[str, ...] = attrs.field(default=(), converter=_texts, validator=_ids)
    place: str | None = None
    quantity: Quantity | None = None
    tags: tuple[str, ...] = attrs.field(default=(), converter=_texts, validator=_tokens)
    planned: bool = False
    tz: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.citations:
            raise ValueError("an account needs at least one citation")

    @property
    def source(self) -> str:
        """The id of the account's own source (its first citation)."""
        return self.citations[0].source

    @property
    def event_key(self) -> str:
        """``event`` when given, else the account's own id."""
        return self.event or self.id

    def title_in(self, lang: str | None) -> str:
        """The title in ``lang`` when a translation exists, else the original title."""
        if lang:
            for code, text in self.translations:
                if code == lang:
                    return text
        return self.title


@attrs.frozen(kw_only=True)
class Resolution:
    """A researcher's recorded decision for a conflict, kept in the ledger like an account.

    It pins ``field`` of ``event`` to the value of ``account`` (or to ``value``),
    for ``reason``. ``recorded`` is when the decision was made (``as_of`` uses it).
    """

    id: str = attrs.field(validator=_is_id)
    event: str = attrs.field(validator=_is_id)
    field: str = attrs.field(validator=_is_token)
    reason: str = attrs.field(validator=_nonempty)
    account: str | None = attrs.field(default=None, validator=_opt_id)
    value: str | None = None
    recorded: When | None = attrs.field(default=None, validator=_a_when)
    by: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.account is None) == (self.value is None):
            raise ValueError("a resolution names exactly one of `account` or `value`")


Record = Source | Actor | Account | Resolution
