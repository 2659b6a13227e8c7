"""Queries: window modes at their edges, actors through aliases and part_of, sources,
text, quantities, knowledge time (as_of), order, and the index against a plain scan."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import Account, Citation, Ledger, Query, Resolution, Source, parse_when
from chronicle._cli_filters import add_filter_args, query_from_args, select
from chronicle._fold import fold
from chronicle._query import QueryError, run_query

from .strategies import ledgers, spans, whens

LEDGER = """
[ledger]
tz = "Asia/Shanghai"

[[source]]
id = "wire"
title = "A wire report"
kind = "news"
published = "2023-03-01"

[[source]]
id = "daily"
title = "A daily that relies on the wire"
kind = "news"
published = "2023-03-24"
cites = ["wire"]

[[source]]
id = "undated"
title = "A source with no date"
kind = "news"

[[actor]]
id = "baidu"
name = "百度"
kind = "company"
aliases = ["Baidu", "百度公司"]
names = { en = "Baidu", zh = "百度" }

[[actor]]
id = "baidu-ai-cloud"
name = "百度智能云"
kind = "organisation"
aliases = ["Baidu AI Cloud", "百度智能雲"]
part_of = "baidu"

[[actor]]
id = "qianfan"
name = "千帆"
kind = "product"
aliases = ["Qianfan"]
part_of = "baidu-ai-cloud"

[[actor]]
id = "alibaba"
name = "阿里巴巴"
kind = "company"
aliases = ["Alibaba"]

[[account]]
id = "month"
kind = "launch"
title = "百度智能云发布大模型平台"
when = "2022-09"
actors = ["baidu-ai-cloud"]
tags = ["cloud", "llm"]
[[account.citations]]
source = "daily"
quote = "百度智能云於九月發布"

[[account]]
id = "day"
kind = "upgrade"
title = "Baidu upgrades its MLOps tools"
when = "2022-09-20"
actors = ["baidu"]
tags = ["cloud"]
translations = { zh = "百度升级MLOps工具" }
[[account.citations]]
source = "wire"

[[account]]
id = "by"
kind = "metric"
title = "至3月17日下午2点，企业申请突破8万家"
when = "[..2023-03-17T14:00+08:00]"
actors = ["qianfan"]
quantity = { value = 80000, unit = "家", bound = "at_least" }
[[account.citations]]
source = "daily"

[[account]]
id = "after"
kind = "announcement"
title = "Alibaba says more after January"
when = "[2023-02..]"
actors = ["alibaba"]
note = "ＥＲＮＩＥ is mentioned in passing"
[[account.citations]]
source = "undated"

[[account]]
id = "la"
kind = "launch"
title = "A launch dated in Los Angeles"
when = "2023-03-16"
tz = "America/Los_Angeles"
actors = ["alibaba"]
quantity = { value = 12, unit = "models" }
[[account.citations]]
source = "wire"

[[account]]
id = "same-day"
kind = "launch"
title = "Another launch on the LA day, listed later"
when = "2023-03-16"
tz = "America/Los_Angeles"
actors = ["baidu"]
[[account.citations]]
source = "daily"

[[resolution]]
id = "r-early"
event = "month"
field = "when"
account = "month"
reason = "decided early"
recorded = "2023-03-10"

[[resolution]]
id = "r-late"
event = "day"
field = "when"
account = "day"
reason = "decided late"
recorded = "2023-04-01"
"""


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    p = tmp_path_factory.mktemp("q") / "ledger.toml"
    p.write_text(LEDGER, encoding="utf-8")
    return chronicle.load(p)


def ids(accounts: list[Account]) -> list[str]:
    return [a.id for a in accounts]


# ------------------------------------------------------------------------------ window


def test_month_account_against_a_window_starting_mid_month(ledger: Ledger) -> None:
    q = Query(start="2022-09-15", end="2022-12-31")
    assert "month" in ids(ledger.query(q))  # September overlaps the window
    assert "month" not in ids(ledger.query(q.where(mode="certainly")))  # but may be before it
    assert "day" in ids(ledger.query(q.where(mode="certainly")))  # the 20th is inside


def test_window_text_edges_cover_their_whole_unit(ledger: Ledger) -> None:
    # "2022-09" .. "2022-09": from the first to the last instant of September
    assert ids(ledger.query(start="2022-09", end="2022-09", mode="certainly")) == ["month", "day"]
    assert ids(ledger.query(start="2022-09-21", end="2022-09", mode="certainly")) == []


def test_open_earliest_is_possibly_but_never_certainly_in_a_closed_window(ledger: Ledger) -> None:
    window = Query(start="2023-03-01", end="2023-03-31")
    assert "by" in ids(ledger.query(window))
    assert "by" not in ids(ledger.query(window.where(mode="certainly")))
    # with the window's start left open, "by 17 March 14:00" is certainly before its end
    assert "by" in ids(ledger.query(end="2023-03-31", mode="certainly"))
    # and it cannot be in a window that starts after its latest instant
    assert "by" not in ids(ledger.query(start="2023-03-17T14:01+08:00", end="2023-12"))


def test_open_latest(ledger: Ledger) -> None:
    assert "after" in ids(ledger.query(start="2030", end="2030"))
    assert "after" not in ids(ledger.query(start="2030", end="2030", mode="certainly"))
    assert "after" in ids(ledger.query(start="2023-01", mode="certainly"))
    assert "after" not in ids(ledger.query(end="2023-01"))


def test_zones_a_los_angeles_day_against_shanghai_dates(ledger: Ledger) -> None:
    # 16 March in Los Angeles is 16 Mar 15:00 .. 17 Mar 14:59:59 in Shanghai (UTC-7 vs +8)
    assert "la" in ids(ledger.query(start="2023-03-17", end="2023-03-17"))
    assert "la" not in ids(ledger.query(start="2023-03-17", end="2023-03-17", mode="certainly"))
    assert "la" not in ids(ledger.query(start="2023-03-16", end="2023-03-16", mode="certainly"))
    la = ledger.query(start=dt.date(2023, 3, 16), end=dt.date(2023, 3, 17), mode="certainly")
    assert "la" in ids(la)


def test_window_edges_as_dates_datetimes_and_whens(ledger: Ledger) -> None:
    by_date = ids(ledger.query(start=dt.date(2022, 9, 1), end=dt.date(2022, 9, 30)))
    by_text = ids(ledger.query(start="2022-09", end="2022-09"))
    by_when = ids(
        ledger.query(
            start=parse_when("2022-09", tz="Asia/Shanghai"),
            end=parse_when("2022-09", tz="Asia/Shanghai"),
        )
    )
    aware = pendulum.datetime(2022, 9, 1, tz="Asia/Shanghai")
    by_instant = ids(ledger.query(start=aware, end=aware.add(months=1).subtract(microseconds=1)))
    naive = ids(
        ledger.query(
            start=dt.datetime(2022, 9, 1), end=dt.datetime(2022, 9, 30, 23, 59, 59, 999999)
        )
    )
    assert by_date == by_text == by_when == by_instant == naive == ["by", "month", "day"]


def test_bad_windows(ledger: Ledger) -> None:
    with pytest.raises(QueryError, match="ends before it starts"):
        ledger.query(start="2023", end="2022")
    with pytest.raises(QueryError, match="start"):
        ledger.query(start="Smarch 2022")
    with pytest.raises(QueryError, match="must be a date"):
        ledger.query(start=[2022])
    with pytest.raises(QueryError, match="possibly"):
        Query(mode="maybe")


# ------------------------------------------------------------------------------ actors


@pytest.mark.parametrize("name", ["baidu", "Baidu", "BAIDU", "ＢＡＩＤＵ", "百度", "百度公司"])
def test_actor_by_id_name_alias_any_case_and_width(ledger: Ledger, name: str) -> None:
    assert set(ids(ledger.query(actor=name))) == {"month", "day", "by", "same-day"}


def test_part_of_is_followed_transitively_unless_told_not_to(ledger: Ledger) -> None:
    assert "by" in ids(ledger.query(actor="百度"))  # 千帆 ⊂ 百度智能云 ⊂ 百度
    assert set(ids(ledger.query(actor="百度", part_of=False))) == {"day", "same-day"}
    assert set(ids(ledger.query(actor="Baidu AI Cloud"))) == {"month", "by"}
    assert ids(ledger.query(actor="百度智能雲", part_of=False)) == ["month"]  # traditional script


def test_several_actors_mean_any_of_them(ledger: Ledger) -> None:
    got = ids(ledger.query(actor=["Alibaba", "千帆"]))
    assert got == ["by", "la", "after"] or set(got) == {"by", "la", "after"}
    assert len(got) == len(set(got))


def test_unknown_actor_is_an_error_with_a_suggestion(ledger: Ledger) -> None:
    with pytest.raises(QueryError, match=r"no actor called 'Biadu'.*baidu") as e:
        ledger.query(actor="Biadu")
    assert isinstance(e.value, chronicle.ChronicleError)
    assert isinstance(e.value, ValueError)


# --------------------------------------------------------------------- other filters


def test_kind_any_and_tags_all(ledger: Ledger) -> None:
    assert set(ids(ledger.query(kind=["launch", "metric"]))) == {"month", "by", "la", "same-day"}
    assert set(ids(ledger.query(tag="cloud"))) == {"month", "day"}
    assert ids(ledger.query(tag=["cloud", "llm"])) == ["month"]


def test_source_directly_or_through_a_source_citing_it(ledger: Ledger) -> None:
    assert set(ids(ledger.query(source="daily"))) == {"month", "by", "same-day"}
    # the daily cites the wire: asking for the wire finds what the daily says too
    assert set(ids(ledger.query(source="wire"))) == {"month", "day", "by", "la", "same-day"}
    # ... unless only the accounts citing the wire themselves are wanted
    assert set(ids(ledger.query(source="wire", via_citing=False))) == {"day", "la"}
    assert set(ids(ledger.query(source="daily", via_citing=False))) == {"month", "by", "same-day"}
    args = _args("--source", "wire", "--cited-directly")
    assert set(ids(select(ledger, args))) == {"day", "la"}
    assert set(ids(select(ledger, _args("--source", "wire")))) == {
        "month",
        "day",
        "by",
        "la",
        "same-day",
    }
    with pytest.raises(QueryError, match="no source called 'wir'"):
        ledger.query(source="wir")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mlops", {"day"}),  # title, any case
        ("ＭＬＯＰＳ", {"day"}),  # full width
        ("升级", {"day"}),  # a translation
        ("雲", {"month"}),  # quote in traditional script; title in simplified
        ("九月发布", {"month"}),  # simplified query, traditional quote
        ("ernie", {"after"}),  # the note, full-width there
        ("baidu tools", {"day"}),  # every word, anywhere
        ("baidu alibaba", set()),
    ],
)
def test_text_is_case_width_and_script_insensitive(
    ledger: Ledger, text: str, expected: set[str]
) -> None:
    assert set(ids(ledger.query(text=text))) == expected


def test_quantity_range_and_unit(ledger: Ledger) -> None:
    assert set(ids(ledger.query(min_quantity=100))) == {"by"}
    assert set(ids(ledger.query(max_quantity=100))) == {"la"}
    assert set(ids(ledger.query(min_quantity=10, max_quantity=100_000))) == {"by", "la"}
    assert ids(ledger.query(unit="MODELS")) == ["la"]
    with pytest.raises(QueryError):
        Query(min_quantity="many")


# ----------------------------------------------------------------------- knowledge time


def test_as_of_before_and_after_a_source_is_published(ledger: Ledger) -> None:
    assert set(ids(ledger.query(as_of="2023-02-28"))) == set()
    assert set(ids(ledger.query(as_of="2023-03-01"))) == {"day", "la"}  # the wire, that day
    assert set(ids(ledger.query(as_of="2023-03-24"))) == {"month", "day", "by", "la", "same-day"}
    # a source with no publication date is never certainly published
    assert "after" not in ids(ledger.query(as_of="2099"))


def test_ledger_as_of_keeps_sources_actors_and_dated_resolutions(ledger: Ledger) -> None:
    early = ledger.as_of("2023-03-10")
    assert isinstance(early, Ledger)
    assert set(ids(list(early.accounts))) == {"day", "la"}
    assert [r.id for r in early.resolutions] == ["r-early"]
    assert early.sources == ledger.sources
    assert early.actors == ledger.actors
    late = ledger.as_of(dt.date(2023, 4, 1))
    assert [r.id for r in late.resolutions] == ["r-early", "r-late"]
    assert len(late) == 5
    assert ledger.as_of("2023-03-09").resolutions == ()


# ------------------------------------------------------------------------------- order


def test_results_are_chronological_then_in_ledger_order(ledger: Ledger) -> None:
    everything = ledger.query()
    assert ids(everything) == ["by", "month", "day", "after", "la", "same-day"]
    keys = [a.when.sort_key for a in everything]
    assert keys == sorted(keys)
    # "la" and "same-day" have the same dates: ledger order decides
    assert ids(ledger.query(start="2023-03-16", end="2023-03-17")) == [
        "by",
        "after",
        "la",
        "same-day",
    ]


def test_query_object_composes(ledger: Ledger) -> None:
    q = Query(actor="百度")
    assert q.where(kind="launch") == Query(actor=("百度",), kind=("launch",))
    assert ids(ledger.query(q, kind="launch")) == ids(ledger.query(q.where(kind="launch")))
    assert ids(ledger.query(q)) == ids(ledger.query(actor="百度"))


def test_index_is_rebuilt_after_add(tmp_path: Path) -> None:
    src = Source(id="s", title="A source", kind="news", published=parse_when("2023-03-24"))
    first = Account(
        id="a",
        kind="launch",
        title="First",
        when=parse_when("2023-03-16"),
        citations=[Citation(source="s")],
    )
    ledger = Ledger(sources=[src], accounts=[first])
    march = Query(start="2023-03")
    assert ids(run_query(ledger, march, use_index=True)) == ["a"]
    second = Account(
        id="b",
        kind="launch",
        title="Second",
        when=parse_when("2023-03-10"),
        citations=[Citation(source="s")],
    )
    ledger.add(second)
    assert ids(run_query(ledger, march, use_index=True)) == ["b", "a"]


# ------------------------------------------------------------------- index = scan


def _oracle(ledger: Ledger, q: Query) -> list[str]:
    """Window and actor by the definitions, with datetimes, one account at a time."""
    tz = ledger.tz
    lo = None if q.start is None else parse_when(q.start, tz=tz).earliest
    hi = None if q.end is None else parse_when(q.end, tz=tz).latest
    wanted: set[str] | None = None
    if q.actor:
        wanted = set()
        for actor in ledger.actors.values():
            if fold(q.actor[0]) in {fold(n) for n in (actor.id, *actor.all_names)}:
                wanted.add(actor.id)
        if q.part_of:
            grew = True
            while grew:
                more = {a.id for a in ledger.actors.values() if a.part_of in wanted}
                grew = not more <= wanted
                wanted |= more
    out = []
    for a in ledger.accounts:
        if wanted is not None and not wanted & set(a.actors):
            continue
        e, l = a.when.earliest, a.when.latest
        if q.mode == "possibly":
            ok = (hi is None or e is None or e <= hi) and (lo is None or l is None or l >= lo)
        else:
            ok = (lo is None or (e is not None and e >= lo)) and (
                hi is None or (l is not None and l <= hi)
            )
        if ok:
            out.append(a)
    return [a.id for a in sorted(out, key=lambda a: a.when.sort_key)]


edges = st.none() | st.sampled_from(
    ["1950", "1999-12", "2000-01-01", "2022", "2022-09", "2022-09-15", "2023-36", "2050-06", "2080"]
)


def _window_query(data: Any, actor: str | list[str] | tuple[()]) -> Query:
    """A query for ``actor`` in a drawn window (either edge may be open), mode and part_of."""
    start, end = data.draw(edges), data.draw(edges)
    if (
        start is not None
        and end is not None
        and parse_when(start).earliest > parse_when(end).latest
    ):
        start, end = end, start
    return Query(
        start=start,
        end=end,
        mode=data.draw(st.sampled_from(["possibly", "certainly"])),
        actor=actor,
        part_of=data.draw(st.booleans()),
    )


@settings(max_examples=50)
@given(ledger=ledgers(max_accounts=25), data=st.data())
def test_indexed_query_returns_exactly_what_a_scan_returns(ledger: Ledger, data: Any) -> None:
    names = [n for a in ledger.actors.values() for n in (a.id, *a.all_names)]
    actor = data.draw(st.sampled_from(names)) if names and data.draw(st.booleans()) else ()
    q = _window_query(data, actor)
    indexed = ids(run_query(ledger, q, use_index=True))
    assert indexed == ids(run_query(ledger, q, use_index=False))
    assert indexed == _oracle(ledger, q)


@settings(max_examples=30)
@given(ledger=ledgers(max_accounts=12))
def test_every_account_exactly_once_in_order(ledger: Ledger) -> None:
    got = ledger.query()
    assert sorted(ids(got)) == sorted(a.id for a in ledger.accounts)
    keys = [(a.when.sort_key, ledger.accounts.index(a)) for a in got]
    assert keys == sorted(keys)


# --------------------------------------------------------------------------- command line


def _args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    add_filter_args(p)
    return p.parse_args(argv)


def test_cli_filters_build_the_same_query() -> None:
    args = _args(
        "--from", "2022-09", "--to", "2023-03", "--certainly", "--actor", "百度", "--actor", "Alibaba",
        "--no-part-of", "--kind", "launch", "--tag", "cloud", "--source", "wire", "--text", "mlops",
        "--min", "10", "--max", "100", "--unit", "家", "--as-of", "2023-03-24",
    )  # fmt: skip
    assert query_from_args(args) == Query(
        start="2022-09", end="2023-03", mode="certainly", actor=("百度", "Alibaba"), part_of=False,
        kind="launch", tag="cloud", source="wire", text="mlops", min_quantity=10.0,
        max_quantity=100.0, unit="家", as_of="2023-03-24",
    )  # fmt: skip
    assert query_from_args(_args()) == Query()


def test_cli_select(ledger: Ledger) -> None:
    assert ids(
        select(ledger, _args("--actor", "百度", "--from", "2022-09", "--to", "2022-09"))
    ) == ["by", "month", "day"]
    assert ids(select(ledger, _args())) == ids(ledger.query())


def test_resolution_filter_needs_recorded_date() -> None:
    src = Source(id="s", title="A source", kind="news", published=parse_when("2023-03-24"))
    acc = Account(
        id="a",
        kind="launch",
        title="T",
        when=parse_when("2023-03-16"),
        citations=[Citation(source="s")],
    )
    undated = Resolution(id="r", event="a", field="when", account="a", reason="no date given")
    ledger = Ledger(sources=[src], accounts=[acc], resolutions=[undated])
    assert ledger.as_of("2099").resolutions == ()


# ------------------------------------------------------- the index on deeper families


@st.composite
def _family_ledgers(draw: Any) -> Ledger:
    """Invented: up to six actors in a part_of tree (up to four levels), accounts naming
    any of them (sometimes the same actor and its parent together), random dates."""
    n_actors = draw(st.integers(1, 6))
    actors = [
        chronicle.Actor(
            id=f"a{i}",
            name=f"Actor {i}",
            kind="company",
            part_of=None if i == 0 or draw(st.booleans()) else f"a{draw(st.integers(0, i - 1))}",
        )
        for i in range(n_actors)
    ]
    src = Source(id="s", title="An invented source", kind="news")
    ids_ = [a.id for a in actors]
    accounts = [
        Account(
            id=f"x{i}",
            kind="launch",
            title=f"Invented {i}",
            when=draw(st.one_of(whens(), spans())),
            citations=[Citation(source="s")],
            actors=tuple(draw(st.lists(st.sampled_from(ids_), max_size=3, unique=True))),
        )
        for i in range(draw(st.integers(0, 30)))
    ]
    return Ledger([src], actors, accounts, tz=draw(st.sampled_from(["UTC", "Asia/Shanghai"])))


@settings(max_examples=60)
@given(ledger=_family_ledgers(), data=st.data())
def test_index_on_families_and_several_actors_matches_a_scan(ledger: Ledger, data: Any) -> None:
    q = _window_query(data, data.draw(st.lists(st.sampled_from(sorted(ledger.actors)), max_size=3)))
    indexed = ids(run_query(ledger, q, use_index=True))
    assert indexed == ids(run_query(ledger, q, use_index=False))
    assert len(indexed) == len(set(indexed))  # an account found through two actors comes once


def test_small_ledgers_are_scanned_and_big_ones_indexed(ledger: Ledger) -> None:
    from chronicle._index import SMALL

    assert len(ledger.accounts) < SMALL
    ledger.query(actor="百度", start="2023")
    assert "index" not in ledger._cache  # no numpy import for a handful of accounts
    run_query(ledger, Query(actor="百度", start="2023"), use_index=True)
    assert "index" in ledger._cache


def test_index_of_a_ledger_without_accounts_or_actors() -> None:
    empty = Ledger()
    assert run_query(empty, Query(start="2023"), use_index=True) == []
    src = Source(id="s", title="An invented source", kind="news")
    lone = Account(
        id="a", kind="launch", title="Invented", when=parse_when("2023-03"),
        citations=[Citation(source="s")],
    )  # fmt: skip
    ledger = Ledger([src], [], [lone])
    assert ids(run_query(ledger, Query(start="2023-03-15", end="2023-04"), use_index=True)) == ["a"]
    q = Query(start="2023-03-15", end="2023-04", mode="certainly")
    assert run_query(ledger, q, use_index=True) == []


@settings(max_examples=300)
@given(
    day=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    tz=st.sampled_from(
        # Sao Paulo and Havana moved their clocks at midnight: days that start at 01:00
        [
            "UTC",
            "Asia/Shanghai",
            "America/New_York",
            "Europe/London",
            "America/Sao_Paulo",
            "America/Havana",
            "Asia/Tehran",
            "Australia/Lord_Howe",
            "+05:30",
        ]
    ),
    end=st.booleans(),
)
def test_a_date_edge_is_where_the_date_text_begins_or_ends(
    day: dt.date, tz: str, end: bool
) -> None:
    from chronicle._query import _day_edge

    w = parse_when(day.isoformat(), tz=tz)
    assert _day_edge(day, tz, end) == (w._l if end else w._e)


@pytest.mark.parametrize(
    ("day", "tz"),
    [(dt.date(2018, 11, 4), "America/Sao_Paulo"), (dt.date(2016, 2, 20), "America/Sao_Paulo")],
)
def test_a_date_edge_on_a_day_without_midnight(day: dt.date, tz: str) -> None:
    from chronicle._query import _day_edge

    w = parse_when(day.isoformat(), tz=tz)
    assert (_day_edge(day, tz, False), _day_edge(day, tz, True)) == (w._e, w._l)


def test_as_of_knows_an_account_from_any_source_it_cites() -> None:
    """An account relayed by a later article is known from the earliest source it cites
    (invented records)."""
    sources = [
        Source(id="report", title="A report", kind="report", published=parse_when("2023-03-01")),
        Source(id="article", title="An article", kind="news", published=parse_when("2023-03-24")),
        Source(id="undated", title="Undated", kind="news"),
    ]

    def account(id: str, *cites: str) -> Account:
        return Account(
            id=id,
            kind="report",
            title=f"Invented {id}",
            when=parse_when("2023-03-01"),
            citations=[Citation(source=s) for s in cites],
        )

    ledger = Ledger(
        sources=sources,
        accounts=[
            account("relayed", "article", "report"),
            account("only-later", "article"),
            account("undated-first", "undated", "report"),
            account("never", "undated"),
        ],
    )
    early = {"relayed", "undated-first"}
    assert set(ids(list(ledger.as_of("2023-03-20").accounts))) == early
    assert set(ids(ledger.query(as_of="2023-03-20"))) == early
    assert set(ids(ledger.query(as_of="2023-02-28"))) == set()
    assert set(ids(ledger.query(as_of="2023-03-24"))) == early | {"only-later"}
    assert set(ids(ledger.query(as_of="2023-03-24", kind="report"))) == early | {"only-later"}


def test_the_seed_knows_trendforces_report_before_the_article() -> None:
    seed = chronicle.load(Path(__file__).parent.parent / "events")
    assert {a.id for a in seed.as_of("2023-03-20")} == {
        "trendforce-gpt-3-5-gpus-leiphone",
        "trendforce-gpt-3-5-parameters-leiphone",
        "trendforce-gpt-commercial-gpus-leiphone",
    }


def test_a_query_suggests_the_names_that_start_with_an_unknown_one() -> None:
    """The library suggests as the command line does (one message builder for both)."""
    seed = chronicle.load(Path(__file__).parent.parent / "events")
    with pytest.raises(QueryError, match="did you mean 'leiphone-2023-03-24'"):
        seed.query(source="leiphone")
