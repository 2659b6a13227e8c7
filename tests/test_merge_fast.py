"""The shortcuts merging takes for speed give exactly what the long way gives.

Each shortcut is checked against the general code it stands in for, on values drawn
to hit its edge cases: dates nested, equal, overlapping across zones and day
boundaries, open; titles mixing scripts and filler words; single accounts.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import Account, Actor, Citation, Source, When, parse_when
from chronicle._merge_group import (
    Actors,
    Sig,
    _edges,
    _match_in_block,
    _related,
    _signature,
    _word_edges,
    match,
)
from chronicle._merge_policy import Evidence, Policy
from chronicle._merge_text import (
    _FILLER,
    _STAGE_RE,
    _VERSION,
    _canon_version,
    norm,
    residue,
    stages,
    versions,
)
from chronicle._merge_values import _fold, _meet2, _strictly_finest, meet_when, reach
from chronicle._when import InvalidWhen

ZONES = ["Asia/Shanghai", "UTC", "America/Los_Angeles", "Pacific/Kiritimati"]
DATES = [
    "2021",
    "2021-03",
    "2021-03~",
    "2021-03?",
    "2021~",
    "2021-02-27~",
    "2021-04-02T23:30+08:00~",
    "2020-06",  # within the reach of 2021~ only
    "2022-05-10",
    "2021-05-05",  # within the reach of 2021-03~'s only from 2021-04~
    "2021-04",
    "2021-03-16",
    "2021-03-17",
    "2021-03-31",
    "2021-04-01",
    "2021-03-16T23:00",
    "2021-03-17T00:30",
    "2021-03-16T23:00+08:00",
    "2021-03-16T15:00Z",
    "2021-W11",
    "[..2021-03-20]",
    "[2021-03-10..]",
]


def _when(text: str, tz: str) -> When:
    w = parse_when(text, tz=tz)
    assert isinstance(w, When)
    return w


whens = st.builds(_when, st.sampled_from(DATES), st.sampled_from(ZONES))


def _same_when(a: When | None, b: When | None) -> None:
    assert a == b
    if a is not None and b is not None:
        assert (a.text, a.inferred, repr(a)) == (b.text, b.inferred, repr(b))


@given(whens, whens, st.booleans(), st.booleans())
def test_one_unit_read_twice_meets_as_intersection_makes_it(
    a: When, b: When, a_inferred: bool, b_inferred: bool
) -> None:
    a, b = a.evolve(inferred=a_inferred), b.evolve(inferred=b_inferred)
    for x, y in ((a, b), (b, a), (a, a.evolve(text="another wording"))):
        try:
            slow = x.intersection(y)
        except InvalidWhen:  # bounds of two zones no unit fits: ``_meet2`` goes its own way
            continue
        met = _meet2(x, y)
        _same_when(met, slow)
        if met is not None and slow is not None:
            assert (met.sort_key, met._e, met._l) == (slow.sort_key, slow._e, slow._l)
            assert met.earliest == slow.earliest and met.latest == slow.latest


@given(st.lists(whens, min_size=1, max_size=6))
def test_the_strictly_finest_date_is_what_the_fold_returns(ws: list[When]) -> None:
    finest = _strictly_finest(ws)
    if finest is not None:
        assert _fold(ws) is finest  # the very object, text and all
    if not all(w == ws[0] for w in ws):
        _same_when(meet_when(ws), _fold(ws))


@given(st.lists(st.sampled_from(DATES[:6]), min_size=2, max_size=5), st.sampled_from(ZONES))
def test_nested_dates_in_one_zone_take_the_shortcut(texts: list[str], tz: str) -> None:
    ws = [_when(t, tz) for t in texts]
    finest = _strictly_finest(ws)
    if finest is not None:
        assert _fold(ws) is finest


# -- titles ---------------------------------------------------------------------------

_ONE_PASS = re.compile(
    "|".join(
        (re.escape(w) if not w.isascii() else rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])")
        for w in sorted(_FILLER, key=len, reverse=True)
    )
)
_PIECES = [*_FILLER, " ", "-", ".", "'", "x", "3", "ai", "云", "模型", "星", "，", "2.0", "版"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_filler_is_cut_as_one_alternation_of_all_words_would(text: str) -> None:
    script_tokens = residue(text)
    t = _ONE_PASS.sub(" ", _STAGE_RE.sub(" ", text))
    cjk = re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", t)
    tokens = {run for run in cjk if len(run) == 1}
    tokens |= {run[i : i + 2] for run in cjk for i in range(len(run) - 1)}
    words = re.findall(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*", t)
    tokens |= {w for w in words if len(w) > 1 or w.isdigit()}
    assert script_tokens == ("cjk" if cjk else "latin", frozenset(tokens))


_VERSION_PIECES = [
    "v",
    "gpt",
    "-",
    " ",
    ".",
    "0",
    "2",
    "3.5",
    "٣",
    "第",
    "二",
    "十",
    "代",
    "版",
    "h100",
    "云",
]


@given(st.lists(st.sampled_from(_VERSION_PIECES), max_size=8).map("".join))
def test_a_title_without_digits_or_generation_words_names_no_version(text: str) -> None:
    found = {
        _canon_version(next(g for g in m.groups() if g is not None))
        for m in _VERSION.finditer(text)
    }
    assert versions(text) == frozenset(found)


ACTORS = {
    a.id: a
    for a in [
        Actor(id="nebula", name="星云科技", kind="company", aliases=["Nebula", "星云"]),
        Actor(
            id="model", name="星云模型", kind="model", aliases=["Nebula model"], part_of="nebula"
        ),
        Actor(id="v2", name="星云模型2.0", kind="model", part_of="model"),
        Actor(id="cloud", name="星云云服务", kind="product", part_of="nebula"),
        Actor(id="moon", name="月光", kind="company"),
        Actor(id="moon-ai", name="月光智能", kind="organisation", part_of="moon"),
    ]
}
_TITLE_PIECES = ["星云", "Nebula", "nebula model", "星云模型", "雲服務", "发布", "邀测", " ", "2.0"]


@given(st.lists(st.sampled_from(_TITLE_PIECES), min_size=1, max_size=6).map("".join))
def test_a_title_read_once_reads_as_it_did_the_first_time(title: str) -> None:
    actors = Actors(ACTORS)
    nt = norm(title)
    names, rest = actors.scan(nt)
    expected = (names, residue(rest), versions(nt), stages(nt))
    assert actors.read(title) == expected
    assert actors.read(title) == expected  # and from the memo


_SIG = Sig(
    at=0,
    kind="launch",
    planned=False,
    versions=frozenset(),
    stages=frozenset(),
    subjects=frozenset(),
    above=frozenset(),
    roots=frozenset(),
    residues=(),
    lo=0,
    hi=0,
    when=None,
)
subject_sets = st.frozensets(st.sampled_from(sorted(ACTORS)), max_size=3)


@given(subject_sets, subject_sets)
def test_related_subjects_are_found_from_the_sets_above_them(
    a: frozenset[str], b: frozenset[str]
) -> None:
    actors = Actors(ACTORS)
    a, b = actors.subjects(actors.canon[x] for x in a), actors.subjects(actors.canon[x] for x in b)
    pairwise = any(
        x == y or x in actors.ancestors(y) or y in actors.ancestors(x) for x in a for y in b
    )
    assert actors.related(a, b) == (pairwise if a and b else not a and not b)
    x, y = (_SIG._replace(subjects=s, above=actors.up(s)) for s in (a, b))
    assert _related(x, y) == actors.related(a, b)


# -- sources ---------------------------------------------------------------------------


@given(st.lists(st.sampled_from(["s0", "s1", "s2"]), min_size=1, max_size=3))
def test_one_account_is_one_independent_cluster(cited: list[str]) -> None:
    sources = {
        "s0": Source(id="s0", title="Invented 0", kind="news"),
        "s1": Source(id="s1", title="Invented 1", kind="news", cites=("s0",)),
        "s2": Source(id="s2", title="Invented 2", kind="news", cites=("s1",)),
    }
    a = Account(
        id="a0",
        kind="launch",
        title="星云发布模型",
        when=parse_when("2021-03"),
        citations=[Citation(source=s) for s in cited],
    )
    ev = Evidence(sources, Policy())
    assert ev.independent([a]) == ev._clusters([a])


# -- reading titles and accounts for grouping -------------------------------------------


def _scan_char_by_char(actors: Actors, text: str) -> tuple[frozenset[str], str]:
    """``Actors.scan`` the plain way: at every character, the longest name that fits."""
    trie: dict[str, Any] = {}
    for name, c in actors.names.items():
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = c
    found: set[str] = set()
    out: list[str] = []
    i = 0
    while i < len(text):
        node = trie.get(text[i])
        hits = []
        j = i + 1
        while node is not None:
            if "" in node:
                hits.append((j - i, node[""]))
            if j >= len(text):
                break
            node = node.get(text[j])
            j += 1
        for size, c in reversed(hits):
            if _word_edges(text, i, size):
                found.add(c)
                out.append(" ")
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return frozenset(found), "".join(out)


_SCAN_PIECES = [*_TITLE_PIECES, "nebula", "nebulae", "x", "1", "星", "月光", "月光智能", "，", "-"]


@given(st.lists(st.sampled_from(_SCAN_PIECES), max_size=8).map("".join))
def test_names_are_found_where_the_plain_scan_finds_them(title: str) -> None:
    actors = Actors({**ACTORS, "n2": Actor(id="n2", name="Nebula AI", kind="product")})
    nt = norm(title)
    assert actors.scan(nt) == _scan_char_by_char(actors, nt)


def _signature_the_long_way(i: int, a: Account, actors: Actors) -> Sig:
    found = {actors.canon[x] for x in a.actors if x in actors.canon}
    vers: set[str] = set()
    stage = set(stages("", a.tags))
    residues: dict[tuple[str, frozenset[str]], None] = {}
    for t in [a.title, *(t for _, t in a.translations)]:
        names, res, vt, st_ = actors.read(t)
        found |= names
        vers |= vt
        stage |= st_
        residues[res] = None
    subjects = actors.subjects(found)
    roots: set[str] = set()
    for s in subjects:
        roots |= actors.roots(s)
    w = a.when
    return Sig(
        at=i,
        kind=a.kind,
        planned=a.planned,
        versions=frozenset(vers),
        stages=frozenset(stage),
        subjects=subjects,
        above=actors.up(subjects),
        roots=frozenset(roots) or frozenset({""}),
        residues=tuple(residues),
        lo=-math.inf if w._e is None else w._e,
        hi=math.inf if w._l is None else w._l,
        when=w if isinstance(w, When) else None,
    )


@given(
    st.lists(st.sampled_from(_TITLE_PIECES), min_size=1, max_size=4).map(
        lambda t: "x" + "".join(t)
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["en", "zh-Hant"]),
            st.lists(st.sampled_from(_TITLE_PIECES), min_size=1, max_size=3).map(
                lambda t: "".join(t) + "。"
            ),
        ),
        max_size=2,
        unique_by=lambda t: t[0],
    ),
    st.lists(st.sampled_from(sorted(ACTORS)), max_size=2, unique=True),
    st.lists(st.sampled_from(["formal", "invitation", "cumulative"]), unique=True),
    st.sampled_from([*DATES, "2021-03/2021-05"]),
)
def test_an_account_is_read_as_its_parts_are(
    title: str, translations: list[tuple[str, str]], actors: list[str], tags: list[str], date: str
) -> None:
    a = Account(
        id="a0",
        kind="launch",
        title=title,
        translations=translations,
        actors=actors,
        tags=tags,
        when=parse_when(date, tz="Asia/Shanghai"),
        citations=[Citation(source="s0")],
    )
    reader = Actors(ACTORS)
    assert _signature(0, a, reader) == _signature_the_long_way(0, a, Actors(ACTORS))
    assert _signature(0, a, reader) == _signature_the_long_way(0, a, reader)  # memos kept


_accounts = st.builds(
    lambda title, actors, tags, date, tz, translated: Account(
        id="a",
        kind="launch",
        title="x" + title,
        translations=[("en", translated + "。")] if translated else [],
        actors=actors,
        tags=tags,
        when=parse_when(date, tz=tz),
        citations=[Citation(source="s0")],
    ),
    st.lists(st.sampled_from(_TITLE_PIECES), min_size=1, max_size=4).map("".join),
    st.lists(st.sampled_from(sorted(ACTORS)), max_size=2, unique=True),
    st.lists(st.sampled_from(["formal", "invitation"]), unique=True),
    st.sampled_from([*DATES, "2021-03/2021-05"]),
    st.sampled_from(ZONES),
    st.none() | st.lists(st.sampled_from(_TITLE_PIECES), min_size=1, max_size=3).map("".join),
)


@given(_accounts, _accounts, st.sampled_from([0.0, 0.5, 0.9]))
def test_a_match_within_a_block_is_a_match(a: Account, b: Account, similarity: float) -> None:
    actors = Actors(ACTORS)
    x, y = _signature(0, a, actors), _signature(1, b, actors)
    if x.versions == y.versions:  # kind and plans are the same here
        assert _match_in_block(x, y, similarity) == match(x, y, similarity)
        assert _match_in_block(y, x, similarity) == match(y, x, similarity)
        # and with the reaches of their approximate dates worked out, as ``_edges`` does
        reaches = {s.at: reach(s.when) for s in (x, y) if s.when is not None and s.when.approximate}
        assert _match_in_block(x, y, similarity, reaches) == match(x, y, similarity)
        assert _match_in_block(y, x, similarity, reaches) == match(y, x, similarity)


@given(
    st.lists(_accounts, min_size=2, max_size=8),
    st.lists(st.booleans(), min_size=8, max_size=8),
    st.sampled_from([0.0, 0.5, 0.9]),
)
def test_the_sweep_finds_every_matching_pair(
    accounts: list[Account], keyless: list[bool], similarity: float
) -> None:
    """``_edges`` (blocks swept with a window, approximate dates by their reach) finds
    exactly the pairs that ``match`` with at least one account without a key."""
    actors = Actors(ACTORS)
    sigs = {i: _signature(i, a, actors) for i, a in enumerate(accounts)}
    wanted = keyless[: len(accounts)]
    found = _edges(sigs, wanted, similarity)
    expected = {}
    for i in range(len(accounts)):
        for j in range(i + 1, len(accounts)):
            if wanted[i] or wanted[j]:
                m = match(sigs[i], sigs[j], similarity)
                if m is not None:
                    expected[(i, j)] = m
    assert found == expected


@pytest.mark.parametrize(
    ("about", "other"),
    [("2021~", "2022-05-10"), ("2021~", "2020-06"), ("2021-03~", "2021-04-20")],
)
def test_the_sweep_reaches_as_far_as_an_approximate_date(about: str, other: str) -> None:
    """Dates farther apart than the window, within an approximate one's reach, are compared."""
    actors = Actors(ACTORS)
    accounts = [
        Account(
            id=f"a{i}",
            kind="launch",
            title="Acme launches X",
            when=parse_when(when),
            citations=[Citation(source="s0")],
        )
        for i, when in enumerate((about, other))
    ]
    sigs = {i: _signature(i, a, actors) for i, a in enumerate(accounts)}
    m = match(sigs[0], sigs[1], 0.5)
    assert m is not None
    assert _edges(sigs, [True, False], 0.5) == {(0, 1): m}
    assert _edges(sigs, [False, True], 0.5) == {(0, 1): m}
