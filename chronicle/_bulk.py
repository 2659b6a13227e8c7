"""The fast path for big machine-made ledgers: JSON Lines as ``Ledger.save`` writes them.

"Validate once, structure fast." :func:`load_jsonl` reads well-formed files in bulk:

- the file is decoded a few hundred lines at a time by ``msgspec`` straight into typed
  rows (unknown keys, wrong types and missing fields are refused right there, in C),
  which are built into records while they are still in the processor's cache;
- every record is then checked with plain Python -- the same rules the records'
  validators and the converter's hooks apply -- and built without going through cattrs;
  values that repeat (kinds, tags, actor lists, citations, titles, quotes, translations,
  quantities, dates) are checked once and the objects shared, and the tables that find
  them are dropped once the ledger is made. Those that come back across the file are
  shared across it; titles, quotes, quoted citations and quantities, which repeat among
  the accounts of one event (they sit together), within a chunk -- small tables that
  stay in the processor's cache, as do those of the dates and actor lists met in the
  chunk, looked up before the big ones;
- a date text is read once per (text, zone) and the ``When`` shared: of two million
  date texts in a big ledger only a few hundred thousand differ. The common EDTF forms
  (``2023``, ``2023-03``, ``2023-03-16``, ``2023-03-16T14:00+08:00``) are built
  directly from their digits; anything else goes through ``parse_when``;
- the cross-record checks (duplicate ids, unknown sources and actors, cycles, zones)
  run on sets;
- the cyclic garbage collector is paused while the objects are made, and resumed as
  it was; none of them form reference cycles (the decoded rows are not even tracked).
  A big ledger is frozen before it resumes (see :func:`load_jsonl`);
- each account's date and actor tuple are numbered as they are looked up, and the
  numbers left with the ledger (``chronicle._index.Numbering``): its first query's index
  need not find them again.

Whenever anything is not exactly as expected -- a line that does not decode, a record
or value the fast rules do not cover, a check that fails -- it gives up and returns
``None``, and :func:`chronicle.load` reads the files again the ordinary way, which
reports every problem with file, line, record and field, as for any other format. A
valid file gives an equal ``Ledger`` either way (``tests/test_fastload.py`` compares
them), and an invalid one the same errors.
"""

from __future__ import annotations

__all__ = ["load_jsonl"]

import gc
import math
import re
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from ._calendar import get_zone
from ._edtf_fast import NotCanonical, fast_when
from ._gc import paused_gc
from ._parse import parse_when
from ._records import (
    LANGUAGE_TAG,
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

if TYPE_CHECKING:
    from ._ledger import Ledger

_new = object.__new__


class _Decline(Exception):
    """The fast path does not cover this input; read it the ordinary way."""


class _Unknown(_Decline):
    """An account names a source or actor not read (yet): build it after the whole file."""


def _setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[Any, Any], None], ...]:
    """The slot setters of a frozen attrs class: records made here skip ``__init__``.

    Every value is checked before it is set, by the rules ``__init__``'s converters and
    validators apply.
    """
    return tuple(cls.__dict__[name].__set__ for name in names)


_C_SOURCE, _C_LOCATOR, _C_QUOTE, _C_CONF = _setters(
    Citation, ("source", "locator", "quote", "confidence")
)
_Q_VALUE, _Q_UNIT, _Q_BOUND, _Q_UPPER, _Q_AS_OF, _Q_TEXT = _setters(
    Quantity, ("value", "unit", "bound", "upper", "as_of", "text")
)


class _Unfrozen(Account):
    """An Account being made: the same slots, set by plain assignment.

    Frozen, an attrs class refuses ``a.x = v``; the slots' own setters take a call each,
    fourteen per account. This subclass adds no slots and restores ``object``'s
    ``__setattr__``, so that assignments run at the speed of the interpreter's slot
    stores; once every slot is set, ``a.__class__ = Account`` makes it the frozen record
    (the layouts are the same). No ``_Unfrozen`` leaves this module.
    """

    __slots__ = ()
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__


# ------------------------------------------------------------------------------ dates


_Dated = tuple[When | Span, int]  # a date and its number


class _Dates:
    """Date texts read once per context, the ``When`` shared, and each numbered."""

    def __init__(self) -> None:
        self.plain: dict[tuple[str, str], _Dated] = {}  # (text, zone): EDTF, no ref needed
        self.relative: dict[tuple[Any, ...], _Dated] = {}  # (text, zone, ref)
        self.values: list[When | Span] = []  # by number

    def _numbered(self, w: When | Span) -> _Dated:
        self.values.append(w)
        return w, len(self.values) - 1

    def read(self, value: Any, ref: When | None, tz: str) -> When | Span:
        return self.numbered(value, ref, tz)[0]

    def numbered(self, value: Any, ref: When | None, tz: str) -> _Dated:
        if type(value) is str:
            key = (value, tz)
            got = self.plain.get(key)
            if got is not None:
                return got
            try:
                got = self.plain[key] = self._numbered(fast_when(value, tz))
                return got
            except NotCanonical:
                pass
            rkey = (value, tz, ref)
            got = self.relative.get(rkey)
            if got is None:
                got = self.relative[rkey] = self._numbered(parse_when(value, ref=ref, tz=tz))
            return got
        if type(value) is dict:
            from ._convert import structure_when

            dkey = (tuple(sorted(value.items())), tz, ref)
            got = self.relative.get(dkey)
            if got is None:
                got = self.relative[dkey] = self._numbered(structure_when(value, ref=ref, tz=tz))
            return got
        raise _Decline


# ------------------------------------------------------------------------------- rows
# What msgspec decodes each line into. A field a writer omits gets its default; a value
# of the wrong type, a missing required field or an unknown key fails the decoding, and
# the file is read the ordinary way. ``UNSET`` marks fields where an explicit null is an
# error for the converter, so it must fail here too. Decoded JSON cannot form reference
# cycles: the rows are not tracked by the garbage collector (``gc=False``), which spares
# tracking and untracking a few million short-lived objects.

_Str = str | None
_DateData = str | dict[str, Any] | None


class _Cit(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    source: str
    locator: _Str = None
    quote: _Str = None
    confidence: float | None = None


class _Qty(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    value: int | float
    unit: str
    bound: str = "exact"
    upper: int | float | None = None
    as_of: _Str = None
    text: _Str = None


class _Acc(msgspec.Struct, tag="account", tag_field="type", forbid_unknown_fields=True, gc=False):
    id: str
    kind: str
    title: str
    when: str | dict[str, Any]
    citations: tuple[_Cit, ...]
    event: _Str = None
    translations: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    actors: tuple[str, ...] = ()
    place: _Str = None
    quantity: _Qty | None = None
    tags: tuple[str, ...] = ()
    planned: bool = False
    tz: _Str = None
    note: _Str = None


class _Src(msgspec.Struct, tag="source", tag_field="type", forbid_unknown_fields=True, gc=False):
    id: str
    title: str
    kind: str
    publisher: _Str = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    published: _DateData = None
    url: _Str = None
    language: _Str = None
    reliability: int | None = None
    cites: tuple[str, ...] = ()
    tz: _Str = None
    note: _Str = None


class _Act(msgspec.Struct, tag="actor", tag_field="type", forbid_unknown_fields=True, gc=False):
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    names: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    part_of: _Str = None
    note: _Str = None


class _Res(
    msgspec.Struct, tag="resolution", tag_field="type", forbid_unknown_fields=True, gc=False
):
    id: str
    event: str
    field: str
    reason: str
    account: _Str = None
    value: _Str = None
    recorded: _DateData = None
    by: _Str = None


class _Led(msgspec.Struct, tag="ledger", tag_field="type", forbid_unknown_fields=True, gc=False):
    tz: _Str = None
    title: _Str = None
    description: _Str = None


_Row = _Acc | _Src | _Act | _Res | _Led
_CitKey = tuple[str, str | None, str | None, float | None]
_CitMemo = tuple[tuple[Citation], When | None, str | None]

# ---------------------------------------------------------------------------- records

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9_-]*")

_BOUNDS = {b.value: b for b in Bound}


def _is_id(v: str) -> str:
    if _ID.fullmatch(v) is None:
        raise _Decline
    return v


def _text(v: str) -> str:
    if not v or v.isspace():
        raise _Decline
    return v


def _pairs(v: dict[str, str]) -> tuple[tuple[str, str], ...]:
    for k, t in v.items():
        if LANGUAGE_TAG.fullmatch(k) is None or not t or t.isspace():
            raise _Decline
    return tuple(sorted(v.items()))


def _number(v: int | float) -> int | float:
    if type(v) is float and not math.isfinite(v):
        raise _Decline
    return v


class _Builder:
    """Checks and builds records, sharing every value that repeats."""

    def __init__(self, default_tz: str, paths: Sequence[str]) -> None:
        self.default_tz = default_tz
        self.paths = paths
        self.dates = _Dates()
        self.sources: dict[str, Source] = {}
        self.actors: dict[str, Actor] = {}
        # source id -> (published, the source's own zone): the context of its accounts
        self.contexts: dict[str, tuple[When | None, str | None]] = {}
        self.tokens: dict[str, str] = {}
        self.zones: dict[str, str] = {}
        self.strings: dict[str, str] = {}
        # actor lists, each with its number (see ``chronicle._index.Numbering``)
        self.actor_lists: dict[tuple[str, ...], tuple[tuple[str, ...], int]] = {(): ((), 0)}
        self.actor_values: list[tuple[str, ...]] = [()]  # by number
        self.tag_lists: dict[tuple[str, ...], tuple[str, ...]] = {}
        # (source, locator, quote, confidence) -> (the citation as a 1-tuple, the source's
        # published date and zone): across the whole file for citations without a quote
        # (the same source and page come back), within a chunk for quoted ones (the same
        # words are quoted by the accounts of one event, which sit together)
        self.citations: dict[_CitKey, _CitMemo] = {}
        self.quoted: dict[_CitKey, _CitMemo] = {}
        self.quotes: dict[str, str] = {}  # the same words quoted from several sources
        # shared within a chunk: equal quantities are an event's, whose accounts sit together
        self.quantities: dict[tuple[Any, ...], Quantity] = {}
        # what the ledger gets
        self.accounts: list[Account | None] = []
        self.account_ids: dict[str, int] = {}
        self.ids: list[str] = []
        self.lines = array("I")  # line numbers: 4 bytes each
        # the number of each account's date and actor list (``chronicle._index.Numbering``)
        self.date_numbers = array("I")  # ("I": appended faster than "i", which parses a format)
        self.actor_numbers = array("I")
        self.files: array[int] | None = array("H") if len(paths) > 1 else None
        self.resolutions: list[Resolution] = []
        self.small_origins: dict[tuple[str, str], tuple[str | None, int | None]] = {}
        self.file_zones: set[str] = set()
        self.untagged = False  # a record read in a file with no zone (yet)
        # accounts that name a source or actor read later in the file, built at the end
        self.deferred: list[tuple[int, _Acc, str | None]] = []
        self.pending_resolutions: list[tuple[int, int, _Res, str | None]] = []
        self.forget: Callable[[], None] = lambda: None
        self.account = self._account_maker()

    def close(self) -> None:
        """Drop everything: the memo tables are garbage once the ledger is made.

        The builder and its account maker refer to each other, a cycle only the garbage
        collector would free -- and ``load_jsonl`` may then freeze it for good with the
        ledger. What the ledger keeps (records, ids, origins) it holds itself.
        """
        self.__dict__.clear()

    def share(self, s: str) -> str:
        return self.strings.setdefault(s, s)

    def token(self, v: str) -> str:
        got = self.tokens.get(v)
        if got is None:
            if _TOKEN.fullmatch(v) is None:
                raise _Decline
            got = self.tokens[v] = self.share(v)
        return got

    def zone(self, v: str | None) -> str | None:
        if v is None:
            return None
        got = self.zones.get(v)
        if got is None:
            get_zone(v)  # an unknown zone: the ordinary path reports it
            got = self.zones[v] = self.share(v)
        return got

    # -- rows ----------------------------------------------------------------------------

    def feed(self, rows: list[Any], first_line: int, file: int, file_tz: str | None) -> str | None:
        """Read one chunk of a file's rows; returns the file's zone after them."""
        make = self.account
        self.forget()  # values shared within a chunk: accounts of one event sit together
        accounts, lines, files = self.accounts, self.lines, self.files
        append, append_line = accounts.append, lines.append
        ids = self.ids.append
        seen = len(accounts)
        for n, r in enumerate(rows, first_line):
            if type(r) is not _Acc:
                if type(r) is _Led:
                    if file_tz and len(accounts) > seen:
                        self.file_zones.add(file_tz)
                    seen = len(accounts)
                    file_tz = self.zone(r.tz)  # (an unknown zone: even with no record after it)
                else:
                    self.other(r, n, file, file_tz)
                continue
            if not file_tz:
                self.untagged = True
            try:
                a = make(r, file_tz)
            except _Unknown:
                self.deferred.append((len(accounts), r, file_tz))
                append(None)
            else:
                append(a)
            ids(r.id)
            append_line(n)
            if files is not None:
                files.append(file)
        if file_tz and len(accounts) > seen:
            self.file_zones.add(file_tz)  # as the ordinary loader: the zones of files with records
        return file_tz

    def other(self, r: Any, n: int, file: int, file_tz: str | None) -> None:
        if file_tz:
            self.file_zones.add(file_tz)
        elif type(r) is not _Act:
            self.untagged = True  # its dates are read in the zone the files agree on
        where = (self.paths[file], n)
        if type(r) is _Src:
            self.small_origins[("source", self.source(r, file_tz).id)] = where
        elif type(r) is _Act:
            self.small_origins[("actor", self.actor(r).id)] = where
        elif type(r) is _Res:
            self.pending_resolutions.append((file, n, r, file_tz))
        else:  # pragma: no cover - msgspec decodes nothing else
            raise _Decline

    def finish(self) -> None:
        """Build the deferred accounts and the resolutions, now that everything is read."""
        for i, r, file_tz in self.deferred:
            try:
                self.accounts[i] = self.account(r, file_tz)
            except _Unknown:
                raise _Decline from None  # names a source or actor that is not in the ledger
        accounts = self.accounts
        self.account_ids = ids = dict(zip(self.ids, range(len(accounts)), strict=True))
        self.ids = []
        if len(ids) != len(accounts):
            raise _Decline  # a duplicate id
        for f, n, res, file_tz in self.pending_resolutions:
            resolution = self.resolution(res, file_tz)
            self.resolutions.append(resolution)
            self.small_origins[("resolution", resolution.id)] = (self.paths[f], n)

    # -- sources, actors, resolutions (few: their own constructors check them too) -------

    def source(self, r: _Src, file_tz: str | None) -> Source:
        published = None
        if r.published is not None:
            w = self.dates.read(r.published, None, r.tz or file_tz or self.default_tz)
            if not isinstance(w, When):
                raise _Decline
            published = w
        src = Source(
            id=_is_id(r.id),
            title=_text(r.title),
            kind=SourceKind(r.kind),
            publisher=r.publisher,
            authors=r.authors,
            editors=r.editors,
            published=published,
            url=r.url,
            language=r.language,
            reliability=r.reliability,
            cites=r.cites,
            tz=self.zone(r.tz),
            note=r.note,
        )
        if src.id in self.sources:
            raise _Decline  # a duplicate id
        self.sources[src.id] = src
        self.contexts[src.id] = (published, r.tz)
        return src

    def actor(self, r: _Act) -> Actor:
        a = Actor(
            id=_is_id(r.id),
            name=_text(r.name),
            kind=ActorKind(r.kind),
            aliases=r.aliases,
            names=() if r.names is msgspec.UNSET else _pairs(r.names),
            part_of=None if r.part_of is None else _is_id(r.part_of),
            note=r.note,
        )
        if a.id in self.actors:
            raise _Decline
        self.actors[a.id] = a
        return a

    def resolution(self, r: _Res, file_tz: str | None) -> Resolution:
        recorded = None
        if r.recorded is not None:
            w = self.dates.read(r.recorded, None, file_tz or self.default_tz)
            if not isinstance(w, When):
                raise _Decline
            recorded = w
        return Resolution(
            id=_is_id(r.id),
            event=_is_id(r.event),
            field=self.token(r.field),
            reason=_text(r.reason),
            account=None if r.account is None else _is_id(r.account),
            value=r.value,
            recorded=recorded,
            by=r.by,
        )

    # -- parts of accounts ---------------------------------------------------------------

    def actor_list(self, key: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
        """A list of actors not seen before, and its number."""
        actors = self.actors
        for a in key:
            if a not in actors:
                raise _Unknown
        values = self.actor_values
        values.append(tuple([actors[a].id for a in key]))
        got = self.actor_lists[key] = (values[-1], len(values) - 1)
        return got

    def tag_list(self, key: tuple[str, ...]) -> tuple[str, ...]:
        got = self.tag_lists[key] = tuple([self.token(t) for t in key])
        return got

    def quantity(self, q: _Qty, ref: When | None, tz: str) -> Quantity:
        # types are part of the key: 1, 1.0 are equal as dict keys but not as values
        key: tuple[Any, ...] = (q, type(q.value), type(q.upper))
        if q.as_of is not None:
            key = (*key, ref, tz)
        # 0.0 and -0.0 are equal keys but not the same value: zeros are not shared
        shared = q.value != 0 and q.upper != 0
        got = self.quantities.get(key) if shared else None
        if got is not None:
            return got
        value = _number(q.value)
        upper = None if q.upper is None else _number(q.upper)
        bound = _BOUNDS.get(q.bound)
        if bound is None:
            raise _Decline
        if (bound is Bound.BETWEEN) != (upper is not None) or (upper is not None and upper < value):
            raise _Decline
        as_of = None
        if q.as_of is not None:
            w = self.dates.read(q.as_of, ref, tz)
            if not isinstance(w, When):
                raise _Decline
            as_of = w
        got = _new(Quantity)
        _Q_VALUE(got, value)
        _Q_UNIT(got, self.share(_text(q.unit)))
        _Q_BOUND(got, bound)
        _Q_UPPER(got, upper)
        _Q_AS_OF(got, as_of)
        _Q_TEXT(got, q.text)
        if shared:
            self.quantities[key] = got
        return got

    def _account_maker(self) -> Callable[[_Acc, str | None], Account]:
        """The function that checks and builds one account.

        It runs once per account, a million times for a big ledger: everything it uses is
        bound in its closure, repeated values are looked up in the memo tables first, and
        the record is made by setting its slots (see ``_Unfrozen``).
        """
        id_ok = _ID.fullmatch
        new = _new
        unset = msgspec.UNSET
        citations = self.citations
        citations_get = citations.get
        quoted = self.quoted
        quoted_get = quoted.get
        sources_get = self.sources.get
        share = self.strings.setdefault
        plain_get = self.dates.plain.get
        date_of = self.dates.numbered
        date_number = self.date_numbers.append
        actor_number = self.actor_numbers.append
        tokens_get = self.tokens.get
        token = self.token
        actors_get = self.actor_lists.get
        actor_list = self.actor_list
        tags_get = self.tag_lists.get
        tag_list = self.tag_list
        quantity_of = self.quantity
        contexts = self.contexts
        zones_get = self.zones.get
        zone_of = self.zone
        default_tz = self.default_tz
        # shared within a chunk only: the accounts of one event sit together in a file,
        # and a small table stays in the processor's cache
        events: dict[str, str] = {}
        titles: dict[str, str] = {}
        # in front of the big tables of dates and actor lists, the ones met in this chunk:
        # most repeat nearby (found in the cache) and the rest come back later
        near_dates: dict[tuple[str, str], _Dated] = {}
        near_dates_get = near_dates.get
        near_actors: dict[tuple[str, ...], tuple[tuple[str, ...], int]] = {}
        near_actors_get = near_actors.get
        quantities = self.quantities
        quotes = self.quotes
        share_quote = quotes.setdefault
        # translations, fewer, are shared across the whole load: the same wording comes
        # back across events, and each copy would be kept
        pairs: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}

        def forget() -> None:
            events.clear()
            titles.clear()
            quotes.clear()
            quoted.clear()
            near_dates.clear()
            near_actors.clear()
            quantities.clear()

        self.forget = forget

        def citation(c: _Cit) -> _CitMemo:
            """A citation not seen before, as a 1-tuple with its source's context.

            It is remembered under its (source, locator, quote, confidence) made of the
            shared strings, so that the memo holds none of the decoded rows.
            """
            src = sources_get(c.source)
            if src is None:
                raise _Unknown
            confidence = c.confidence
            if confidence is not None and not 0 <= confidence <= 1:
                raise _Decline  # the ordinary loader reports it
            source = src.id
            locator = c.locator
            if locator is not None:
                locator = share(locator, locator)
            quote = c.quote
            if quote is not None:
                quote = share_quote(quote, quote)
            cit: Citation = new(Citation)
            _C_SOURCE(cit, source)
            _C_LOCATOR(cit, locator)
            _C_QUOTE(cit, quote)
            _C_CONF(cit, confidence)
            published, source_tz = contexts[source]
            got = ((cit,), published, source_tz)
            if confidence != 0:  # 0.0 and -0.0 are equal keys, but not the same value
                (citations if quote is None else quoted)[(source, locator, quote, confidence)] = got
            return got

        def cited(c: _Cit) -> _CitMemo:
            key = (c.source, c.locator, c.quote, c.confidence)
            return (citations_get(key) if c.quote is None else quoted_get(key)) or citation(c)

        def make(r: _Acc, file_tz: str | None) -> Account:
            """The account of ``r``; its date's and actors' numbers appended, once it is
            made (the accounts deferred by ``_Unknown`` get none)."""
            cits = r.citations
            citations: tuple[Citation, ...]
            if len(cits) == 1:
                c = cits[0]
                key = (c.source, c.locator, c.quote, c.confidence)
                memo = citations_get(key) if c.quote is None else quoted_get(key)
                citations, ref, source_tz = memo or citation(c)
            elif cits:
                citations = tuple([cited(c)[0][0] for c in cits])
                ref, source_tz = contexts[citations[0].source]
            else:
                raise _Decline  # an account needs a citation
            tz = r.tz
            if tz is not None:
                tz = zones_get(tz) or zone_of(tz)
            zone = tz or source_tz or file_tz or default_tz
            value = r.when
            if type(value) is str:
                date_key = (value, zone)
                dated = near_dates_get(date_key)
                if dated is None:
                    dated = plain_get(date_key)  # (EDTF texts: a relative one needs ``ref``)
                    if dated is None:
                        dated = date_of(value, ref, zone)
                    else:
                        near_dates[date_key] = dated
            else:
                dated = date_of(value, ref, zone)
            when, when_number = dated
            aid = r.id
            if not (aid.isascii() and aid.isalnum()) and id_ok(aid) is None:
                raise _Decline
            kind = tokens_get(r.kind) or token(r.kind)
            title = r.title
            if not title or title.isspace():
                raise _Decline
            title = titles.setdefault(title, title)
            event = r.event
            if event is not None:
                shared = events.get(event)
                if shared is None:
                    shared = events[_is_id(event)] = event
                event = shared
            tr = r.translations
            if tr is unset:
                translations: tuple[tuple[str, str], ...] = ()
            else:
                items = tuple(tr.items())
                known = pairs.get(items)
                if known is None:
                    known = pairs[items] = _pairs(tr)
                translations = known
            actor_key = r.actors
            listed = near_actors_get(actor_key)
            if listed is None:
                listed = near_actors[actor_key] = actors_get(actor_key) or actor_list(actor_key)
            actors, actors_number = listed
            tags = r.tags
            tags = tags_get(tags) or (tag_list(tags) if tags else ())
            q = r.quantity
            a: Any = new(_Unfrozen)
            a.id = aid
            a.kind = kind
            a.title = title
            a.when = when
            a.citations = citations
            a.event = event
            a.translations = translations
            a.actors = actors
            a.place = r.place
            a.quantity = None if q is None else quantity_of(q, ref, zone)
            a.tags = tags
            a.planned = r.planned
            a.tz = tz
            a.note = r.note
            a.__class__ = Account  # the same slots: from here on a frozen Account
            date_number(when_number)
            actor_number(actors_number)
            return a  # type: ignore[no-any-return]

        return make


# ------------------------------------------------------------------------------ files

# bytes decoded at a time: some two hundred lines. Their rows (a few times the text's
# size) stay in the processor's cache until they are built, and the next chunk's reuse
# their memory: at a million accounts, 10% faster than 4 MB at a time.
_CHUNK = 1 << 16
_DECODER = msgspec.json.Decoder(_Row)


def _chunks(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(first line number, decoded rows) for successive runs of whole lines of ``path``.

    The file is read into one buffer, reused (a new one each time would cost a copy or
    two); the unfinished last line of each read moves to its start. Blank lines, and
    anything that does not decode to one row per line, raise ``_Decline``: the ordinary
    reader numbers and reports them.
    """
    decode = _DECODER.decode_lines
    line = 1
    buf = bytearray(2 * _CHUNK)
    held = 0  # bytes at the start of ``buf`` not decoded yet: a line still being read
    start = -1  # where the text starts in ``buf`` (after a byte order mark); -1: not read yet
    with open(path, "rb") as f:
        while True:
            if len(buf) - held < _CHUNK:  # a line longer than the room left
                buf.extend(bytes(len(buf)))
            got = f.readinto(memoryview(buf)[held : held + _CHUNK])
            if not got:
                break
            end = held + got
            if start < 0:
                start = 3 if buf.startswith(b"\xef\xbb\xbf") else 0
            cut = buf.rfind(b"\n", start, end) + 1
            if not cut:
                held = end
                continue
            rows = decode(memoryview(buf)[start:cut])
            if not _one_per_line(buf, start, cut, len(rows)):
                raise _Decline
            yield line, rows
            line += len(rows)
            held = end - cut
            buf[:held] = buf[cut:end]
            start = 0
    if held > max(start, 0):
        rows = decode(memoryview(buf)[max(start, 0) : held])
        if len(rows) != 1:
            raise _Decline
        yield line, rows


def _one_per_line(buf: bytearray, start: int, cut: int, rows: int) -> bool:
    """Whether the whole lines ``buf[start:cut]`` hold one JSON object each (``rows`` of
    them decoded): as many rows as lines, every line from ``{`` to ``}``, no blank one.

    Counting rows against lines alone lets two faults cancel out (two objects on one
    line, one object over two); each line must also end where the next begins, with
    ``}`` then ``{`` (a JSON string holds no raw line break). A file with spaces around
    its lines is declined too: the ordinary reader reads it.
    """
    lines = buf.count(b"\n", start, cut)
    if rows != lines or buf[start] != 0x7B:  # "{"
        return False
    ends = buf.count(b"}\n{", start, cut) + buf.count(b"}\r\n{", start, cut)
    last = buf[cut - 2] if buf[cut - 2] != 0x0D else buf[cut - 3]  # before "\n" or "\r\n"
    return ends == lines - 1 and last == 0x7D  # "}"


class _Origins(Mapping[tuple[str, str], tuple[str | None, int | None]]):
    """Where each record was read: a small dict for most kinds, an array for accounts."""

    def __init__(
        self,
        small: dict[tuple[str, str], tuple[str | None, int | None]],
        account_ids: Mapping[str, int],
        paths: Sequence[str],
        files: array[int] | None,
        lines: array[int],
    ) -> None:
        self._small = small
        self._ids = account_ids
        self._paths = paths
        self._files = files
        self._lines = lines

    def __getitem__(self, key: tuple[str, str]) -> tuple[str | None, int | None]:
        kind, rid = key
        if kind != "account":
            return self._small[key]
        i = self._ids[rid]
        if i >= len(self._lines):
            raise KeyError(key)
        path = self._paths[0 if self._files is None else self._files[i]]
        return path, self._lines[i]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        yield from self._small
        n = len(self._lines)
        for rid, i in self._ids.items():
            if i < n:
                yield ("account", rid)

    def __len__(self) -> int:
        n = len(self._lines)
        return len(self._small) + sum(1 for i in self._ids.values() if i < n)


def load_jsonl(paths: Sequence[Path], default_tz: str) -> Ledger | None:
    """The ledger in these JSON Lines files, or None when the fast path does not apply.

    The cyclic garbage collector is paused while the records are made and resumed as it
    was. When it was running, everything alive at the end -- the new ledger with it -- is
    moved to the collector's permanent generation (``gc.freeze()``) before it resumes: the
    records hold no reference cycles, and every one of them, made while it was paused,
    would otherwise be traversed by its very next collection (a tenth of a big load's
    time) and again by each of the next full ones, seconds of work a program would pay
    later. The young objects made before the load are collected first, so that young
    garbage is not frozen with the ledger (older cyclic garbage, not yet collected, is:
    ``docs/format.md`` says so). The records are still freed as usual when no longer
    used; ``gc.unfreeze()`` undoes the move.
    """
    if gc.isenabled():
        gc.collect(0)
    with paused_gc() as enabled:
        try:
            ledger = _load(paths, default_tz)
        except (
            _Decline,
            ValueError,
            TypeError,
            LookupError,
            OverflowError,
            OSError,
            RecursionError,  # values nested deeper than msgspec follows
        ):
            return None  # the ordinary path reads it again and says what is wrong
        if enabled and len(ledger) >= _FREEZE_AT:
            gc.freeze()
    return ledger


_FREEZE_AT = 10_000  # accounts: below that, a collection of them costs next to nothing


def _load(paths: Sequence[Path], default_tz: str) -> Ledger:
    b = _Builder(default_tz, [str(p) for p in paths])
    try:
        return _build(b, paths, default_tz)
    finally:
        b.close()


def _build(b: _Builder, paths: Sequence[Path], default_tz: str) -> Ledger:
    from ._ledger import RESOLVABLE_FIELDS, Ledger, _bad_value, _cycles

    for f, p in enumerate(paths):
        file_tz: str | None = None
        for first, rows in _chunks(p):
            file_tz = b.feed(rows, first, f, file_tz)
    # as the ordinary loader: a file that declares no zone takes the one the others agree
    # on; records read before that was known are read again the ordinary way
    zones = b.file_zones
    agreed = next(iter(zones)) if len(zones) == 1 else default_tz
    if b.untagged and agreed != default_tz:
        raise _Decline
    b.default_tz = agreed
    b.finish()

    # the cross-record checks of check_records, on sets: duplicate ids were refused as
    # they came, unknown sources and actors of accounts by ``finish``
    resolutions = b.resolutions
    if len({r.id for r in resolutions}) != len(resolutions):
        raise _Decline
    for s in b.sources.values():
        if any(c not in b.sources for c in s.cites):
            raise _Decline
    for actor in b.actors.values():
        if actor.part_of is not None and actor.part_of not in b.actors:
            raise _Decline
    accounts: list[Account] = b.accounts  # type: ignore[assignment]  # no None left
    if resolutions:
        events = {a.event_key for a in accounts}
        for r in resolutions:
            if r.event not in events or (r.account is not None and r.account not in b.account_ids):
                raise _Decline
            if r.field not in RESOLVABLE_FIELDS or (
                r.value is not None and _bad_value(r.field, r.value)
            ):
                raise _Decline
    if _cycles({s.id: s.cites for s in b.sources.values()}) or _cycles(
        {a.id: (a.part_of,) if a.part_of else () for a in b.actors.values()}
    ):
        raise _Decline

    ledger = Ledger(
        sources=b.sources.values(),
        actors=b.actors.values(),
        resolutions=resolutions,
        tz=agreed,
        validate=False,
    )
    ledger._accounts = accounts
    ledger._account_ids = b.account_ids
    ledger._origins = _Origins(b.small_origins, b.account_ids, b.paths, b.files, b.lines)  # type: ignore[assignment]
    if not b.deferred:  # (a deferred account's numbers were appended out of order)
        from ._index import NUMBERING, Numbering

        ledger._cache[NUMBERING] = Numbering(
            b.date_numbers, b.dates.values, b.actor_numbers, b.actor_values
        )
    return ledger
