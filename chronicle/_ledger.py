"""The ledger: sources, actors, accounts and resolutions, checked as a whole.

``load`` reads files into raw tables (``_files``), parses their dates in context
(a relative date is read against its source's publication date, in the nearest
declared zone), structures them with the one converter, and validates the
whole. Every problem is reported at once; nothing is half-loaded.
"""

from __future__ import annotations

__all__ = ["Ledger", "load"]

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
import cattrs

from ._convert import describe_error, make_converter, structure_when, unstructure_when
from ._files import RawRecord, atomic_write, ledger_files, read_file, suffix_format
from ._parse import parse_when
from ._records import Account, Actor, Record, Resolution, Source
from ._when import Span, When
from .errors import ChronicleError, Finding, LedgerError, ReferenceRequired

if TYPE_CHECKING:
    from ._merge_policy import Policy
    from ._merge_result import Timeline
    from ._query import Query

_CLASSES: dict[str, type[Any]] = {
    "source": Source,
    "actor": Actor,
    "account": Account,
    "resolution": Resolution,
}

_CONVERTER: list[cattrs.Converter] = []


def converter() -> cattrs.Converter:
    """The converter the ledger uses: made on first use, then shared."""
    if not _CONVERTER:
        _CONVERTER.append(make_converter())
    return _CONVERTER[0]


Origin = tuple[str | None, int | None]


class Ledger:
    """Sources, actors, accounts and resolutions, validated together.

    Append-only in spirit: :meth:`add` appends, nothing edits or removes a record.
    Build one with :func:`chronicle.load` or from records:

    >>> from chronicle import Ledger, Source, Account, Citation, parse_when
    >>> src = Source(id="s", title="An invented source", kind="news",
    ...              published=parse_when("2023-03-24"))
    >>> acc = Account(id="a", kind="launch", title="Invented launch",
    ...               when=parse_when("2023-03-16"), citations=[Citation(source="s")])
    >>> ledger = Ledger(sources=[src], accounts=[acc])
    >>> len(ledger), ledger.account("a").title
    (1, 'Invented launch')
    """

    def __init__(
        self,
        sources: Iterable[Source] = (),
        actors: Iterable[Actor] = (),
        accounts: Iterable[Account] = (),
        resolutions: Iterable[Resolution] = (),
        *,
        tz: str = "UTC",
        origins: Mapping[tuple[str, str], Origin] | None = None,
        validate: bool = True,
    ) -> None:
        self.tz = tz
        self._sources: dict[str, Source] = {}
        self._actors: dict[str, Actor] = {}
        self._accounts: list[Account] = []
        self._account_ids: dict[str, int] = {}
        self._resolutions: list[Resolution] = []
        self._origins: dict[tuple[str, str], Origin] = dict(origins or {})
        self._cache: dict[str, Any] = {}
        records: list[Record] = [*sources, *actors, *accounts, *resolutions]
        if validate:
            findings = check_records(records, self._origins)
            if findings:
                raise LedgerError(findings)
        for r in records:
            self._append(r)

    # -- reading ------------------------------------------------------------------------

    @property
    def sources(self) -> Mapping[str, Source]:
        """Sources by id (read-only)."""
        return MappingProxyType(self._sources)

    @property
    def actors(self) -> Mapping[str, Actor]:
        """Actors by id (read-only)."""
        return MappingProxyType(self._actors)

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Accounts in the order they were read or added."""
        return tuple(self._accounts)

    @property
    def resolutions(self) -> tuple[Resolution, ...]:
        return tuple(self._resolutions)

    def account(self, id: str) -> Account:
        """The account with this id (KeyError when there is none)."""
        return self._accounts[self._account_ids[id]]

    def source(self, id: str) -> Source:
        return self._sources[id]

    def actor(self, id: str) -> Actor:
        return self._actors[id]

    def origin(self, kind: str, id: str) -> Origin:
        """(file, line) a record was read from, or (None, None)."""
        return self._origins.get((kind, id), (None, None))

    def __len__(self) -> int:
        return len(self._accounts)

    def __iter__(self) -> Iterator[Account]:
        return iter(self._accounts)

    def records(self) -> Iterator[Record]:
        """Every record: sources, actors, accounts, resolutions."""
        yield from self._sources.values()
        yield from self._actors.values()
        yield from self._accounts
        yield from self._resolutions

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        return (
            self._sources == other._sources
            and self._actors == other._actors
            and self._accounts == other._accounts
            and self._resolutions == other._resolutions
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<Ledger: {len(self._sources)} sources, {len(self._actors)} actors, "
            f"{len(self._accounts)} accounts, {len(self._resolutions)} resolutions>"
        )

    # -- adding -------------------------------------------------------------------------

    def add(self, *records: Record) -> None:
        """Append records after checking them against the whole ledger.

        Raises :class:`LedgerError` (and adds nothing) when any is invalid.
        """
        findings = check_records([*self.records(), *records], self._origins)
        if findings:
            raise LedgerError(findings)
        for r in records:
            self._append(r)
        self._cache.clear()

    def _append(self, r: Record) -> None:
        if isinstance(r, Source):
            self._sources[r.id] = r
        elif isinstance(r, Actor):
            self._actors[r.id] = r
        elif isinstance(r, Account):
            self._account_ids[r.id] = len(self._accounts)
            self._accounts.append(r)
        elif isinstance(r, Resolution):
            self._resolutions.append(r)
        else:
            raise TypeError(f"not a ledger record: {r!r}")

    # -- context ------------------------------------------------------------------------

    def context(self, account: Account) -> tuple[When | None, str]:
        """(reference date, zone) an account's dates are read in."""
        src = self._sources.get(account.source)
        ref = src.published if src else None
        tz = account.tz or (src.tz if src else None) or self.tz
        return ref, tz

    # -- writing ------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """The ledger as plain data: ``{"ledger": {...}, "source": [...], ...}``.

        Dates are compacted to the text the reader would read back to the same value.
        """
        out: dict[str, Any] = {"ledger": {"tz": self.tz}}
        for kind, items in (
            ("source", self._sources.values()),
            ("actor", self._actors.values()),
            ("account", self._accounts),
            ("resolution", self._resolutions),
        ):
            rows = [self.record_data(r) for r in items]
            if rows:
                out[kind] = rows
        return out

    def record_data(self, r: Record) -> dict[str, Any]:
        """One record as plain data, dates compacted for this ledger's context."""
        data: dict[str, Any] = converter().unstructure(r)
        if isinstance(r, Source):
            if r.published is not None:
                data["published"] = compact_when(r.published, None, r.tz or self.tz)
        elif isinstance(r, Account):
            ref, tz = self.context(r)
            data["when"] = compact_when(r.when, ref, tz)
            if r.quantity is not None and r.quantity.as_of is not None:
                data["quantity"]["as_of"] = compact_when(r.quantity.as_of, ref, tz)
        elif isinstance(r, Resolution) and r.recorded is not None:
            data["recorded"] = compact_when(r.recorded, None, self.tz)
        return data

    def save(self, path: str | os.PathLike[str], *, format: str | None = None) -> None:
        """Write the whole ledger to one file (TOML, JSON or JSON Lines by suffix), atomically.

        A crash while saving leaves the previous file as it was; a file that cannot be
        written is an ``UnwritableOutput`` (an ``OSError``) naming it.
        """
        from ._write import dump

        p = Path(path)
        fmt = suffix_format(p, format)
        atomic_write(p, dump(self.to_data(), fmt))

    # -- views --------------------------------------------------------------------------

    def as_of(self, day: Any) -> Ledger:
        """The ledger as a reader on ``day`` saw it.

        Keeps the accounts that some source they cite had said by the end of ``day``
        (it was certainly published by then), the resolutions recorded by then, and
        every source and actor.
        """
        from ._query import as_of

        return as_of(self, day)

    def query(self, query: Query | None = None, /, **filters: Any) -> list[Account]:
        """Accounts matching ``filters`` (see :class:`chronicle.Query`), in chronological order."""
        from ._query import Query, run_query

        q = query if query is not None else Query(**filters)
        if query is not None and filters:
            q = attrs.evolve(query, **filters)
        return run_query(self, q)

    def merge(self, policy: Policy | None = None) -> Timeline:
        """Accounts grouped into events, each field reconciled and explained (``docs/merge.md``).

        The accounts are grouped at once; each event is built the first time the timeline
        is asked for it.
        """
        from . import _merge_row  # noqa: F401  (exporters read merged events through it)
        from ._merge import merge

        return merge(self, policy)


def compact_when(w: When | Span, ref: When | None, tz: str) -> str | dict[str, Any]:
    """The shortest data that reads back to ``w`` in this context.

    The original wording when re-reading it gives ``w`` again (so ``"去年9月"`` stays
    as the researcher wrote it), else the EDTF, else a ``{edtf, text, tz}`` table.
    """
    text = w.text
    if text is not None:
        try:
            again = parse_when(text, ref=ref, tz=tz)
        except ChronicleError:
            again = None
        if again == w and _same_ends(again, w):
            return text
    d = unstructure_when(w)
    if d["tz"] == tz:
        del d["tz"]
        if set(d) == {"edtf"} or (set(d) == {"edtf", "inferred"} and text is None):
            return str(d["edtf"])
    return d


def _same_ends(a: When | Span, b: When | Span) -> bool:
    # Span equality already compares ends; When equality ignores `inferred` on purpose,
    # but a compacted text must reproduce it too.
    return a.inferred == b.inferred


# ---------------------------------------------------------------------------- loading


def load(
    path: str | os.PathLike[str], *more: str | os.PathLike[str], tz: str | None = None
) -> Ledger:
    """Read a ledger from files and folders (TOML, JSON, JSON Lines, CSV) and check it.

    Each file is read once, however often it is named (directly or inside a folder).
    ``tz`` is the zone for files that declare none (default UTC). Raises
    :class:`~chronicle.LedgerError` listing every problem, or
    :class:`~chronicle.errors.UnreadableInput` when a file cannot be read at all.

    >>> import chronicle
    >>> ledger = chronicle.load("events/")
    >>> ledger.account("tongyi-launch-leiphone").when.to_edtf()
    '2022-09'
    """
    if tz is not None:
        from ._calendar import get_zone

        get_zone(tz)  # an unknown zone is the caller's error, reported before any file
    seen: set[Path] = set()  # a file named again, or inside a folder also given, is read once
    files = [f for p in (path, *more) for f in ledger_files(Path(p), seen)]
    if all(f.suffix.lower() in (".jsonl", ".ndjson") for f in files):
        # big machine-made ledgers: a fast path for well-formed files; anything it does
        # not cover, and every invalid file, is read again below (see chronicle._bulk)
        from ._bulk import load_jsonl

        fast = load_jsonl(files, "UTC" if tz is None else tz)
        if fast is not None:
            return fast
    raws: list[RawRecord] = []
    for f in files:
        raws.extend(read_file(f))
    return build(raws, default_tz="UTC" if tz is None else tz)


def _file_tz(raws: list[RawRecord], default: str) -> str:
    zones = {r.tz for r in raws if r.tz}
    return zones.pop() if len(zones) == 1 else default


def build(raws: list[RawRecord], *, default_tz: str = "UTC") -> Ledger:
    """Turn raw tables into a checked ``Ledger`` (every problem reported at once)."""
    findings: list[Finding] = []
    origins: dict[tuple[str, str], Origin] = {}
    # a file that declares no zone (a CSV import, say) takes the one the others agree on
    default_tz = _file_tz(raws, default_tz)
    by_kind: dict[str, list[RawRecord]] = {k: [] for k in _CLASSES}
    for r in raws:
        by_kind[r.kind].append(r)

    place_in_kind: dict[int, int] = {}  # each record's number among those of its kind
    for records_of_kind in by_kind.values():
        place_in_kind.update((id(x), n) for n, x in enumerate(records_of_kind, 1))

    def name_of(r: RawRecord) -> str:
        rid = r.data.get("id")
        return rid if isinstance(rid, str) and rid else f"{r.kind} #{place_in_kind[id(r)]}"

    def fail(r: RawRecord, message: str, field: str | None = None, text: str | None = None) -> None:
        findings.append(
            Finding(message, path=r.path, line=r.line, record=name_of(r), field=field, text=text)
        )

    def date(
        r: RawRecord,
        data: dict[str, Any],
        key: str,
        ref: When | None,
        tz: str,
        label: str | Callable[[], str],
    ) -> bool:
        value = data.get(key)
        if value is None or isinstance(value, (When, Span)):
            return True
        try:
            data[key] = structure_when(value, ref=ref, tz=tz)
            return True
        except ReferenceRequired as e:
            # the parser's own words after "is relative (...) and", when they add something
            detail = e.message.split(" and ", 1)[-1] if ref is not None else ""
            tail = f": {detail}" if detail else ""
            said = label if isinstance(label, str) else label()
            fail(r, f"{key} {_show(value)} is relative and {said}{tail}", key, _show(value))
        except ChronicleError as e:
            fail(r, f"{key}: {e.message}", key, _show(value))
        except (ValueError, TypeError) as e:
            fail(r, f"{key}: {e}", key, _show(value))
        return False

    structured: list[Record] = []
    failed: list[RawRecord] = []  # reported already; their ids and references still count
    located: dict[int, Origin] = {}  # each record's own place, when two share an id
    read_at = {id(r): n for n, r in enumerate(raws)}  # the order records were read in
    order: dict[int, int] = {}  # each built record's place in that order

    def structure(r: RawRecord, data: dict[str, Any]) -> None:
        cls = _CLASSES[r.kind]
        try:
            rec = converter().structure(data, cls)
        except Exception as e:  # cattrs wraps everything; describe_error unwraps it
            for where, msg in describe_error(e, path="$"):
                field = where[2:] if where.startswith("$.") else None
                fail(r, f"{field}: {msg}" if field else msg, field)
            failed.append(r)
            return
        structured.append(rec)
        origins[(r.kind, rec.id)] = located[id(rec)] = (r.path, r.line)
        order[id(rec)] = read_at[id(r)]

    published: dict[str, When | None] = {}
    written: dict[str, Any] = {}  # each source's published date as written
    source_tz: dict[str, str | None] = {}
    for r in by_kind["source"]:
        data = dict(r.data)
        tz = data.get("tz") if isinstance(data.get("tz"), str) else None
        ok = date(r, data, "published", None, tz or r.tz or default_tz, "has no reference date")
        if ok:
            structure(r, data)
        else:
            failed.append(r)
        if isinstance(data.get("id"), str):
            pub = data.get("published")
            published[data["id"]] = pub if isinstance(pub, When) else None
            written[data["id"]] = r.data.get("published")
            source_tz[data["id"]] = tz
    for r in by_kind["actor"]:
        structure(r, dict(r.data))
    for r in by_kind["account"]:
        data = dict(r.data)
        src_id = _first_source(data)
        ref = published.get(src_id) if src_id else None
        tz = data.get("tz") if isinstance(data.get("tz"), str) else None
        zone = tz or (source_tz.get(src_id) if src_id else None) or r.tz or default_tz
        why = partial(_why_no_reference, src_id, published, written)  # worded on failure
        ok = date(r, data, "when", ref, zone, why)
        q = data.get("quantity")
        if q is not None and not isinstance(q, dict):
            fail(
                r,
                f'quantity must be a table like {{ value = 80000, unit = "enterprises" }}, '
                f"got {_show(q)}",
                "quantity",
            )
            ok = False
        elif isinstance(q, dict):
            q = dict(q)
            if "unit" not in q or (isinstance(q.get("unit"), str) and not q["unit"].strip()):
                shown = q.get("text") or q.get("value")
                fail(
                    r,
                    f"quantity {_show(shown)} has no unit"
                    if shown is not None
                    else 'quantity has neither a value nor a unit; write it like { value = 80000, unit = "enterprises" }',
                    "quantity.unit",
                )
                ok = False
            ok = date(r, q, "as_of", ref, zone, why) and ok
            data["quantity"] = q
        if ok:
            structure(r, data)
        else:
            failed.append(r)
    for r in by_kind["resolution"]:
        data = dict(r.data)
        if date(r, data, "recorded", None, r.tz or default_tz, "has no reference date"):
            structure(r, data)
        else:
            failed.append(r)

    broken = [Broken(r, name_of(r), read_at[id(r)]) for r in failed]  # what can be read of them
    findings.extend(check_records(structured, origins, broken, located, order))
    if findings:
        raise LedgerError(findings)
    return Ledger(
        tz=default_tz,
        origins=origins,
        validate=False,
        **_split(structured),
    )


def _split(records: list[Record]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"sources": [], "actors": [], "accounts": [], "resolutions": []}
    for r in records:
        key = {Source: "sources", Actor: "actors", Account: "accounts", Resolution: "resolutions"}[
            type(r)
        ]
        out[key].append(r)
    return out


def _first_source(data: dict[str, Any]) -> str | None:
    cits = data.get("citations")
    if isinstance(cits, list) and cits and isinstance(cits[0], dict):
        s = cits[0].get("source")
        return s if isinstance(s, str) else None
    return None


def _show(value: Any) -> str:
    """``value`` as a message quotes it, cut short when long (a value of any size can be
    where a date or a table belongs)."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 80 else text[:77] + "..."


# ---------------------------------------------------------------------------- checking


class Broken(NamedTuple):
    """A record that could not be built (its problems are reported already)."""

    raw: RawRecord
    name: str  # as its findings name it: its id, else "account #3"
    read_at: int  # its place in the order the records were read


def check_records(
    records: Iterable[Record],
    origins: Mapping[tuple[str, str], Origin],
    broken: Sequence[Broken] = (),
    located: Mapping[int, Origin] | None = None,
    order: Mapping[int, int] | None = None,
) -> list[Finding]:
    """Cross-record problems: duplicate ids, unknown references, cycles.

    ``broken`` records could not be built: their ids still exist -- no reference to
    them is "unknown" -- and still clash with another record's, and their own
    references are checked as far as they can be read, so that one problem never
    hides another. ``located`` and ``order`` give each built record's own place and
    its place in the reading order, by identity (``origins`` has one place per id);
    of two records with one id, the one read later is the duplicate.
    """
    here: Origin | None = None  # the place of the record being checked

    def enter(rec: Any) -> None:
        nonlocal here
        here = None if located is None else located.get(id(rec))

    findings: list[Finding] = []
    sources: dict[str, Source] = {}
    actors: dict[str, Actor] = {}
    every: dict[str, list[Any]] = {"source": [], "actor": [], "account": [], "resolution": []}
    kind_of = {Source: "source", Actor: "actor", Account: "account", Resolution: "resolution"}

    def add(
        kind: str,
        rid: str,
        message: str,
        field: str | None = None,
        text: str | None = None,
        at: Origin | None = None,
    ) -> None:
        if at is None:
            at = here if here is not None else origins.get((kind, rid), (None, None))
        path, line = at
        findings.append(Finding(message, path=path, line=line, record=rid, field=field, text=text))

    # duplicates, in one pass: the first read of each (kind, id), and every later one
    first: dict[tuple[str, str], tuple[int, Origin | None]] = {}
    later: list[tuple[int, str, str, Origin | None]] = []

    def count(kind: str, rid: str, read_at: int, at: Origin | None) -> None:
        key = (kind, rid)
        seen = first.get(key)
        if seen is None:
            first[key] = (read_at, at)
        elif read_at < seen[0]:  # read before the one taken for first: that one is later
            later.append((seen[0], kind, rid, seen[1]))
            first[key] = (read_at, at)
        else:
            later.append((read_at, kind, rid, at))

    for n, r in enumerate(records):
        kind = kind_of[type(r)]
        every[kind].append(r)
        count(
            kind,
            r.id,
            n if order is None else order.get(id(r), n),
            None if located is None else located.get(id(r)),
        )
        if isinstance(r, Source):
            sources.setdefault(r.id, r)
        elif isinstance(r, Actor):
            actors.setdefault(r.id, r)
    refs = [_references(b.raw.kind, b.raw.data) for b in broken]
    for b in broken:
        rid = b.raw.data.get("id")
        if isinstance(rid, str) and rid:  # an empty id is refused as such, not as a duplicate
            count(b.raw.kind, rid, b.read_at, (b.raw.path, b.raw.line))
    for _, kind, rid, at in sorted(later, key=lambda x: x[0]):
        # a copy with no place of its own (one being added) has none: not the first's
        add(kind, rid, f"duplicate {kind} id {rid!r}", "id", rid, at or (None, None))
    known = {
        kind: {rid for k, rid in first if k == kind} for kind in ("source", "actor", "account")
    }  # built or not

    for s in every["source"]:
        enter(s)
        for c in s.cites:
            if c not in known["source"]:
                add("source", s.id, f"cites unknown source {c!r}", "cites", c)
        _check_zone(s.tz, lambda m, s=s: add("source", s.id, m, "tz", s.tz))
    for a in every["actor"]:
        enter(a)
        if a.part_of is not None and a.part_of not in known["actor"]:
            add("actor", a.id, f"part_of unknown actor {a.part_of!r}", "part_of", a.part_of)
    events = set()
    for acc in every["account"]:
        enter(acc)
        events.add(acc.event_key)
        for cit in acc.citations:
            if cit.source not in known["source"]:
                add(
                    "account",
                    acc.id,
                    f"cites unknown source {cit.source!r}",
                    "citations",
                    cit.source,
                )
        for actor in acc.actors:
            if actor not in known["actor"]:
                add("account", acc.id, f"names unknown actor {actor!r}", "actors", actor)
        _check_zone(acc.tz, lambda m, acc=acc: add("account", acc.id, m, "tz", acc.tz))
    for b, ref in zip(broken, refs, strict=True):
        if b.raw.kind == "account":
            events.update(ref["event"])
    here = None
    for b, ref in zip(broken, refs, strict=True):
        at = (b.raw.path, b.raw.line)
        for field, says, kind in (
            ("cites", "cites unknown source", "source"),
            ("citations", "cites unknown source", "source"),
            ("part_of", "part_of unknown actor", "actor"),
            ("actors", "names unknown actor", "actor"),
            ("account", "names unknown account", "account"),
        ):
            for x in ref[field]:
                if x not in known[kind]:
                    add(b.raw.kind, b.name, f"{says} {x!r}", field, x, at)
        if b.raw.kind == "resolution":
            for x in ref["event"]:
                if x not in events:
                    add(b.raw.kind, b.name, f"resolves unknown event {x!r}", "event", x, at)
            pinned, value = b.raw.data.get("field"), b.raw.data.get("value")
            if isinstance(pinned, str):
                problem = _resolution_problem(pinned, value if isinstance(value, str) else None)
                if problem is not None:
                    add(b.raw.kind, b.name, *problem, at)
    for res in every["resolution"]:
        enter(res)
        if res.event not in events:
            add("resolution", res.id, f"resolves unknown event {res.event!r}", "event", res.event)
        problem = _resolution_problem(res.field, res.value)
        if problem is not None:
            add("resolution", res.id, *problem)
        if res.account is not None and res.account not in known["account"]:
            add(
                "resolution",
                res.id,
                f"names unknown account {res.account!r}",
                "account",
                res.account,
            )

    here = None
    for cycle in _cycles({s.id: s.cites for s in sources.values()}):
        add("source", cycle[0], "cites form a cycle: " + " → ".join([*cycle, cycle[0]]), "cites")
    for cycle in _cycles({a.id: (a.part_of,) if a.part_of else () for a in actors.values()}):
        add(
            "actor", cycle[0], "part_of forms a cycle: " + " → ".join([*cycle, cycle[0]]), "part_of"
        )
    return findings


def _why_no_reference(
    src_id: str | None, published: Mapping[str, When | None], written: Mapping[str, Any]
) -> str:
    """Why an account's relative date has nothing to be read against."""
    if src_id is None:
        return "the account cites no source"
    if src_id not in published:
        return f"its source {src_id!r} is not in the ledger"
    pub = published[src_id]
    if pub is None:
        raw_pub = written.get(src_id)
        if raw_pub is None:
            return f"its source {src_id!r} has no published date"
        return f"its source's published date {_show(raw_pub)} could not be read"
    return f"its source {src_id!r} is dated {pub.to_edtf()}"


_REFERENCES = {
    "source": ("cites",),
    "actor": ("part_of",),
    "account": ("citations", "actors", "event"),
    "resolution": ("event", "account"),
}
"""The references each kind of record holds (a key a kind does not have is reported as
an unknown key, not checked as a reference)."""


def _references(kind: str, data: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The ids a raw record of ``kind`` refers to, where they can be read (a record that
    could not be built may hold anything): ``cites``, ``citations`` (sources),
    ``part_of``, ``actors``, ``account``, and the ``event`` (an account's key, else its
    id; a resolution's, when it is text)."""

    def texts(value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if isinstance(value, (list, tuple)):
            return tuple(v for v in value if isinstance(v, str))
        return ()

    cits = data.get("citations")
    sources = (
        tuple(c["source"] for c in cits if isinstance(c, dict) and isinstance(c.get("source"), str))
        if isinstance(cits, list)
        else ()
    )
    event = data.get("event")
    if kind == "account" and not isinstance(event, str):
        event = data.get("id")  # an account without a key is its own event
    every = {
        "cites": texts(data.get("cites")),
        "citations": sources,
        "part_of": texts(data.get("part_of")),
        "actors": texts(data.get("actors")),
        "event": texts(event),
        "account": texts(data.get("account")),  # the account a resolution names
    }
    return {k: every[k] if k in _REFERENCES.get(kind, ()) else () for k in every}


RESOLVABLE_FIELDS = ("when", "start", "end", "quantity")
"""The fields of a merged event a ``Resolution`` can pin (see docs/merge.md)."""


def _resolution_problem(field: str, value: str | None) -> tuple[str, str, str] | None:
    """(message, field, text) when a resolution's field or value cannot be used, or None."""
    if field not in RESOLVABLE_FIELDS:
        return (
            f"field {field!r} cannot be resolved; expected one of " + ", ".join(RESOLVABLE_FIELDS),
            "field",
            field,
        )
    if value is not None:
        problem = _bad_value(field, value)
        if problem:
            return f"value {value!r}: {problem}", "value", value
    return None


def _bad_value(field: str, value: str) -> str | None:
    """Why ``value`` cannot be a value of ``field``, or None."""
    from ._merge_reconcile import DateField, QuantityField  # how merging reads pinned values

    try:
        if field == "quantity":
            QuantityField("unit", None, 0.0).parse(value)
        else:
            DateField(field, "UTC").parse(value)
    except (ChronicleError, ValueError) as e:
        return getattr(e, "message", None) or str(e)
    return None


def _check_zone(tz: str | None, report: Any) -> None:
    if tz is None:
        return
    from ._calendar import get_zone

    try:
        get_zone(tz)
    except ChronicleError as e:
        report(e.message)


def _cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Each cycle once, starting at its smallest id."""
    found: dict[tuple[str, ...], list[str]] = {}
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    for root in sorted(graph):
        if root in state:
            continue
        # a depth-first walk with its own stack (a chain of thousands of part_of links
        # would overflow Python's): the path, and for each of its nodes what is left to see
        path: list[str] = [root]
        todo: list[Iterator[str]] = [iter(graph.get(root, ()))]
        state[root] = 1
        while path:
            m = next(todo[-1], None)
            if m is None:
                state[path.pop()] = 2
                todo.pop()
            elif m in graph:
                if state.get(m) == 1:
                    cyc = path[path.index(m) :]
                    i = cyc.index(min(cyc))
                    norm = cyc[i:] + cyc[:i]
                    found.setdefault(tuple(norm), norm)
                elif m not in state:
                    state[m] = 1
                    path.append(m)
                    todo.append(iter(graph.get(m, ())))
    return list(found.values())
