"""The fast path for big machine-made ledgers: JSON Lines as ``Ledger.save`` writes them.

"Validate once, structure fast." :func:`load_jsonl` reads well-formed files in bulk:

- the file is decoded a few megabytes at a time by ``msgspec`` straight into typed rows
  (unknown keys, wrong types and missing fields are refused right there, in C);
- every record is then checked with plain Python -- the same rules the records'
  validators and the converter's hooks apply -- and built without going through cattrs;
  values that repeat (kinds, tags, actor lists, citations, titles, quotes, translations,
  quantities, dates) are checked once and the objects shared, and the tables that find
  them are dropped once the ledger is made;
- a date text is read once per (text, zone) and the ``When`` shared: of two million
  date texts in a big ledger only a few hundred thousand differ. The common EDTF forms
  (``2023``, ``2023-03``, ``2023-03-16``, ``2023-03-16T14:00+08:00``) are built
  directly from their digits; anything else goes through ``parse_when``;
- the cross-record checks (duplicate ids, unknown sources and actors, cycles, zones)
  run on sets;
- the cyclic garbage collector is paused while the objects are made, and resumed as
  it was; none of them form reference cycles.

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


class _Dates:
    """Date texts read once per context, and the ``When`` shared."""

    def __init__(self) -> None:
        self.plain: dict[tuple[str, str], When | Span] = {}  # (text, zone): EDTF, no ref needed
        self.relative: dict[tuple[Any, ...], When | Span] = {}  # (text, zone, ref)

    def read(self, value: Any, ref: When | None, tz: str) -> When | Span:
        if type(value) is str:
            key = (value, tz)
            w = self.plain.get(key)
            if w is not None:
                return w
            try:
                w = self.plain[key] = fast_when(value, tz)
                return w
            except NotCanonical:
                pass
            rkey = (value, tz, ref)
            w = self.relative.get(rkey)
            if w is None:
                w = self.relative[rkey] = parse_when(value, ref=ref, tz=tz)
            return w
        if type(value) is dict:
            from ._convert import structure_when

            dkey = (tuple(sorted(value.items())), tz, ref)
            w = self.relative.get(dkey)
            if w is None:
                w = self.relative[dkey] = structure_when(value, ref=ref, tz=tz)
            return w
        raise _Decline


# ------------------------------------------------------------------------------- rows
# What msgspec decodes each line into. A field a writer omits gets its default; a value
# of the wrong type, a missing required field or an unknown key fails the decoding, and
# the file is read the ordinary way. ``UNSET`` marks fields where an explicit null is an
# error for the converter, so it must fail here too.

_Str = str | None
_DateData = str | dict[str, Any] | None


class _Cit(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    source: str
    locator: _Str = None
    quote: _Str = None
    confidence: float | None = None


class _Qty(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    value: int | float
    unit: str
    bound: str = "exact"
    upper: int | float | None = None
    as_of: _Str = None
    text: _Str = None


class _Acc(msgspec.Struct, tag="account", tag_field="type", forbid_unknown_fields=True):
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


class _Src(msgspec.Struct, tag="source", tag_field="type", forbid_unknown_fields=True):
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


class _Act(msgspec.Struct, tag="actor", tag_field="type", forbid_unknown_fields=True):
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    names: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    part_of: _Str = None
    note: _Str = None


class _Res(msgspec.Struct, tag="resolution", tag_field="type", forbid_unknown_fields=True):
    id: str
    event: str
    field: str
    reason: str
    account: _Str = None
    value: _Str = None
    recorded: _DateData = None
    by: _Str = None


class _Led(msgspec.Struct, tag="ledger", tag_field="type", forbid_unknown_fields=True):
    tz: _Str = None
    title: Any = None
    description: Any = None


_Row = _Acc | _Src | _Act | _Res | _Led
_CitKey = tuple[str, str | None, str | None, float | None]
_CitMemo = tuple[tuple[Citation], When | None, str | None]

# ---------------------------------------------------------------------------- records

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
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
        if _LANG.fullmatch(k) is None or not t or t.isspace():
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
        self.actor_lists: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.tag_lists: dict[tuple[str, ...], tuple[str, ...]] = {}
        # (source, locator, quote, confidence) -> (the citation as a 1-tuple, the source's
        # published date and zone)
        self.citations: dict[_CitKey, _CitMemo] = {}
        self.quotes: dict[str, str] = {}  # the same words quoted from several sources
        self.quantities: dict[tuple[Any, ...], Quantity] = {}
        # what the ledger gets
        self.accounts: list[Account | None] = []
        self.account_ids: dict[str, int] = {}
        self.ids: list[str] = []
        self.lines = array("I")  # line numbers: 4 bytes each
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
                    file_tz = r.tz
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

    def citation(self, c: _Cit) -> _CitMemo:
        """A citation not seen before, as a 1-tuple with its source's context.

        It is remembered under its (source, locator, quote, confidence) made of the shared
        strings, so that the memo holds none of the decoded rows.
        """
        src = self.sources.get(c.source)
        if src is None:
            raise _Unknown
        locator = c.locator
        if c.confidence is not None and not 0 <= c.confidence <= 1:
            raise _Decline  # the ordinary loader reports it
        cit: Citation = _new(Citation)
        _C_SOURCE(cit, src.id)
        _C_LOCATOR(cit, None if locator is None else self.share(locator))
        quote = c.quote
        _C_QUOTE(cit, None if quote is None else self.quotes.setdefault(quote, quote))
        _C_CONF(cit, c.confidence)
        got = ((cit,), *self.contexts[src.id])
        if c.confidence != 0:  # 0.0 and -0.0 are equal keys, but not the same value
            self.citations[(cit.source, cit.locator, cit.quote, cit.confidence)] = got
        return got

    def actor_list(self, key: tuple[str, ...]) -> tuple[str, ...]:
        actors = self.actors
        for a in key:
            if a not in actors:
                raise _Unknown
        got = self.actor_lists[key] = tuple([actors[a].id for a in key])
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
        citations_get = self.citations.get
        citation = self.citation
        plain_get = self.dates.plain.get
        read_date = self.dates.read
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
        quotes = self.quotes
        # translations, fewer, are shared across the whole load: the same wording comes
        # back across events, and each copy would be kept
        pairs: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}

        def forget() -> None:
            events.clear()
            titles.clear()
            quotes.clear()

        self.forget = forget

        def cited(c: _Cit) -> _CitMemo:
            return citations_get((c.source, c.locator, c.quote, c.confidence)) or citation(c)

        def make(r: _Acc, file_tz: str | None) -> Account:
            cits = r.citations
            citations: tuple[Citation, ...]
            if len(cits) == 1:
                c = cits[0]
                memo = citations_get((c.source, c.locator, c.quote, c.confidence))
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
            when = plain_get((value, zone)) if type(value) is str else None
            if when is None:
                when = read_date(value, ref, zone)
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
            actors = r.actors
            actors = actors_get(actors) or (actor_list(actors) if actors else ())
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
            return a  # type: ignore[no-any-return]

        return make


# ------------------------------------------------------------------------------ files

_CHUNK = 1 << 22  # bytes decoded at a time: some ten thousand lines
_DECODER = msgspec.json.Decoder(_Row)


def _chunks(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(first line number, decoded rows) for successive runs of whole lines of ``path``.

    Blank lines, and anything that does not decode to one row per line, raise
    ``_Decline``: the ordinary reader numbers and reports them.
    """
    decode = _DECODER.decode_lines
    line = 1
    carry = b""
    with open(path, "rb") as f:
        block = f.read(_CHUNK)
        if block.startswith(b"\xef\xbb\xbf"):
            block = block[3:]
        while block:
            buf = carry + block if carry else block
            cut = buf.rfind(b"\n") + 1
            carry, body = buf[cut:], buf[:cut]
            if body:
                rows = decode(body)
                if len(rows) != body.count(b"\n"):
                    raise _Decline
                yield line, rows
                line += len(rows)
            block = f.read(_CHUNK)
    if carry:
        rows = decode(carry)
        if len(rows) != 1:
            raise _Decline
        yield line, rows


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
    was. When it was running, everything alive at that moment -- the new ledger with it --
    is then moved to the collector's permanent generation (``gc.freeze()``): the records
    hold no reference cycles, and a million of them would otherwise be traversed again by
    each of the next full collections, seconds of work a program would pay later. They are
    still freed as usual when no longer used; ``gc.unfreeze()`` undoes the move.
    """
    with paused_gc() as enabled:
        try:
            ledger = _load(paths, default_tz)
        except (_Decline, ValueError, TypeError, LookupError, OverflowError, OSError):
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
    return ledger
