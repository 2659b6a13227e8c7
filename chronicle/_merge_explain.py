"""Merged values in words and as plain data.

``sentences`` says how a value came about: its status, the readings of a conflict,
the accounts that determined it, those that were compatible but coarser, and those
overruled, each with the rule and the reason. ``event_data`` is one event of
``chronicle merge --json`` (schema in ``docs/merge.md``).
"""

from __future__ import annotations

__all__ = ["event_data", "sentences", "value_data", "when_data"]

from typing import Any

from ._merge_result import MergedEvent, MergedValue, Status
from ._records import Quantity
from ._when import Span, When


def _name(v: MergedValue) -> str:
    label = v.label
    return label[0].upper() + label[1:]


def _accounts(v: MergedValue, ids: tuple[str, ...]) -> str:
    by = {c.account: c for c in v.claims}
    return ", ".join(by[i].describe() if i in by else i for i in ids)


def sentences(v: MergedValue) -> tuple[str, ...]:
    """How ``v`` came about, in sentences a reader can check against the ledger."""
    n = len(v.claims)
    out: list[str] = []
    shown = v.shown
    if v.status is Status.CONSISTENT:
        out.append(
            f"{_name(v)} {shown} is consistent: "
            + ("one account gives it." if n == 1 else f"all {n} accounts give it.")
        )
    elif v.status is Status.REFINED:
        out.append(
            f"{_name(v)} {shown} is refined: {n} accounts are compatible "
            "and this is what they share."
        )
    elif v.status is Status.PINNED:
        out.append(f"{_name(v)} {shown} is pinned by {v.decided_by}.")
    elif v.status is Status.RESOLVED:
        out.append(
            f"{_name(v)} {shown} is resolved by the policy's rule “{v.decided_by}”: "
            "the accounts conflict."
        )
    elif v.status is Status.CONTESTED:
        out.append(
            f"{_name(v)} {shown} is contested: the accounts disagree, "
            "and no rule decides this kind of disagreement."
        )
    else:
        out.append(
            f"{_name(v)} is unresolved: the accounts conflict; {shown} only covers their readings."
        )
    if len(v.candidates) > 1 or (v.candidates and v.status is Status.CONTESTED):
        out.append(
            "The readings: "
            + "; ".join(f"{c.value} from {', '.join(c.accounts)}" for c in v.candidates)
            + "."
        )
    if v.determined_by and v.status is not Status.CONSISTENT:
        verb = "Supported by" if v.status is Status.UNRESOLVED else "Determined by"
        out.append(f"{verb}: {_accounts(v, v.determined_by)}.")
    elif v.status is Status.CONSISTENT:
        out.append(f"Given by: {_accounts(v, v.determined_by)}.")
    if v.coarser:
        out.append(f"Compatible but coarser: {_accounts(v, v.coarser)}.")
    for o in v.overruled:
        by = {c.account: c for c in v.claims}
        who = by[o.account].describe() if o.account in by else o.account
        out.append(f"Overruled by {o.rule}: {who} — {o.why.rstrip('.')}.")
    out.extend(v.notes)
    return tuple(out)


def _iso(d: Any) -> str | None:
    return None if d is None else d.isoformat()


def when_data(w: When | Span) -> dict[str, Any]:
    """``{edtf, earliest, latest, precision, tz, shown}`` for a date."""
    from ._display import show_when

    return {
        "edtf": w.to_edtf(),
        "earliest": _iso(w.earliest),
        "latest": _iso(w.latest),
        "precision": w.precision.label,
        "tz": w.tz,
        "shown": show_when(w),
    }


def quantity_data(q: Quantity) -> dict[str, Any]:
    return {
        "value": q.value,
        "bound": q.bound.value,
        "upper": q.upper,
        "unit": q.unit,
        "as_of": None if q.as_of is None else when_data(q.as_of),
        "shown": str(q),
    }


def value_data(v: MergedValue) -> dict[str, Any]:
    """One reconciled field as plain data."""
    value: dict[str, Any] | None
    if isinstance(v.value, Quantity):
        value = quantity_data(v.value)
    elif v.value is None:
        value = None
    else:
        value = when_data(v.value)
    return {
        "field": v.field,
        "value": value,
        "status": v.status.value,
        "flags": [f.value for f in v.flags],
        "determined_by": list(v.determined_by),
        "coarser": list(v.coarser),
        "overruled": [_overruled(o) for o in v.overruled],
        "candidates": [{"value": c.value, "accounts": list(c.accounts)} for c in v.candidates],
        "decided_by": v.decided_by,
        "explanation": list(v.sentences()),
    }


def _overruled(o: Any) -> dict[str, Any]:
    return {"account": o.account, "field": o.field, "value": o.value, "rule": o.rule, "why": o.why}


def event_data(e: MergedEvent) -> dict[str, Any]:
    """One merged event as plain data (``chronicle merge --json``)."""
    when = when_data(e.when)
    dates = [f for f in e.fields if f.field in ("when", "start", "end")]
    when["status"] = max((f.status for f in dates), default=Status.CONSISTENT).value
    when["flags"] = sorted({fl.value for f in dates for fl in f.flags})
    headline = e.quantity
    quantity = None
    if headline is not None and isinstance(headline.value, Quantity):
        quantity = quantity_data(headline.value)
        quantity["status"] = headline.status.value
        quantity["flags"] = [f.value for f in headline.flags]
    return {
        "event": e.event,
        "title": e.title,
        "kind": e.kind,
        "actors": list(e.actors),
        "place": e.place,
        "planned": e.planned,
        "when": when,
        "quantity": quantity,
        "status": e.status.value,
        "flags": [f.value for f in e.all_flags],
        "accounts": list(e.accounts),
        "overruled": [_overruled(o) for o in e.overruled],
        "fields": [value_data(f) for f in e.fields],
        "explanation": e.explain().splitlines(),
    }
