"""The row view of a merged event, so every exporter accepts merged events.

Registered on :func:`chronicle._display.to_row` when merging is imported. A merged
event's row carries its reconciled date, its best-supported title (translated
where an account gives a translation), the headline figure when it is a single
value, every account's sources, its status, and the explanation as notes.
"""

from __future__ import annotations

__all__ = ["merged_row"]

from ._display import Row, RowContext, SourceRef, to_row
from ._merge_result import MergedEvent, Status
from ._records import Account, Quantity


def _accounts(event: MergedEvent, ctx: RowContext) -> list[Account]:
    ledger = ctx.ledger
    if ledger is None:
        return []
    out = []
    for a in event.accounts:
        try:
            out.append(ledger.account(a))
        except KeyError:
            continue
    return out


@to_row.register(MergedEvent)
def merged_row(event: MergedEvent, ctx: RowContext) -> Row:
    """The :class:`~chronicle._display.Row` of a merged event (key ``event/<key>``)."""
    accounts = _accounts(event, ctx)
    title = next((a.title_in(ctx.lang) for a in accounts if a.title == event.title), event.title)
    headline = event.quantity
    quantity = (
        headline.value if headline is not None and isinstance(headline.value, Quantity) else None
    )
    sources: tuple[SourceRef, ...] = tuple(
        dict.fromkeys(ref for a in accounts for ref in ctx.source_refs(a.citations))
    )
    tags = tuple(dict.fromkeys(t for a in accounts for t in a.tags))
    explanation = tuple(event.explain().splitlines()[1:])
    return Row(
        key=f"event/{event.event}",
        id=event.event,
        event=event.event,
        when=event.when,
        title=title,
        kind=event.kind,
        actors=ctx.actor_names(event.actors),
        actor_ids=event.actors,
        quantity=quantity,
        sources=sources,
        status=str(event.status),
        tentative=event.planned or event.status in (Status.CONTESTED, Status.UNRESOLVED),
        url=next((s.url for s in sources if s.url), None),
        tags=tags,
        place=event.place,
        notes=explanation,
        accounts=event.accounts,
    )
