"""The HTML timeline: every item present at its extent with its sources, conflicts drawn,
text escaped, the page light and self-contained. Parsed with the standard library only.

Ledgers built here and the fixtures under tests/fixtures/ are invented test data; the seed
ledger is events/.
"""

from __future__ import annotations

import io
import itertools
import json
import random
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import (
    Account,
    Actor,
    ChronicleError,
    Citation,
    Ledger,
    Quantity,
    Source,
    Span,
    When,
    parse_when,
    to_html,
)
from chronicle._display import show_when
from chronicle._table import clean
from chronicle.cli import main
from tests.strategies import texts, tokens, whens

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
MERGE = Path(__file__).parent / "fixtures" / "merge"


# ------------------------------------------------------------------------ parsing


class Page(HTMLParser):
    """What a page holds: its event groups (attributes, <title>, marks, label), scripts, links."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[dict[str, Any]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.links: list[str] = []
        self.lanes: list[str] = []
        self.meta: list[dict[str, str | None]] = []
        self.html_attrs: dict[str, str | None] = {}
        self._ev: dict[str, Any] | None = None
        self._depth = 0
        self._in: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._buf: list[str] = []
        self._lane: list[str] | None = None
        self.feed(text)
        self.close()
        self.data = json.loads(
            next(body for a, body in self.scripts if a.get("id") == "chronicle-data")
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.html_attrs = a
        if tag == "meta":
            self.meta.append(a)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "script":
            self._script, self._buf = a, []
        if tag == "text" and "lname" in classes:
            self._lane = []
        if tag == "g" and "ev" in classes and self._ev is None:
            self._ev = {"attrs": a, "title": "", "marks": [], "label": "", "glyphs": []}
            self._depth = 0
        if self._ev is not None:
            if tag == "g":
                self._depth += 1
            else:
                self._ev["marks"].append((tag, classes))
        self._in.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buf)))
            self._script = None
        if tag == "text" and self._lane is not None:
            self.lanes.append("".join(self._lane))
            self._lane = None
        if self._ev is not None and tag == "g":
            self._depth -= 1
            if self._depth == 0:
                self.events.append(self._ev)
                self._ev = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._buf.append(data)
        if self._lane is not None and "title" not in self._in and "tspan" not in self._in:
            self._lane.append(data)
        if self._ev is not None and self._in:
            where = self._in[-1]
            if where == "title":
                self._ev["title"] += data
            elif where in ("text", "tspan"):
                classes = self._ev["marks"][-1][1] if self._ev["marks"] else []
                if "glyph" in classes:
                    self._ev["glyphs"].append(data)
                else:
                    self._ev["label"] += data

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {e["attrs"]["data-id"]: e for e in self.events}

    def details(self, event: dict[str, Any]) -> dict[str, Any]:
        detail: dict[str, Any] = self.data["ev"][int(event["attrs"]["data-n"])]
        return detail


def iso(dt: Any) -> str:
    return "" if dt is None else str(dt.isoformat())


def plot_svg(page: str) -> ET.Element:
    """The picture's SVG, parsed as XML (it must be well-formed)."""
    m = re.search(r'<svg id="plot".*?</svg>', page, re.S)
    assert m is not None
    return ET.fromstring(m.group(0))


@pytest.fixture(scope="module")
def seed() -> Ledger:
    return chronicle.load(EVENTS)


@pytest.fixture(scope="module")
def seed_page(seed: Ledger) -> str:
    return to_html(seed)


@pytest.fixture(scope="module")
def seed_merged_page(seed: Ledger) -> str:
    return to_html(seed.merge(), ledger=seed)


def when(text: str) -> When | Span:
    return parse_when(text, tz="Asia/Shanghai")


SOURCES = [
    Source(
        id="daily",
        title="示例日报",
        kind="news",
        published=when("2023-03-24"),  # type: ignore[arg-type]
        reliability=3,
        url="https://example.com/daily?a=1&b=2",
    ),
    Source(
        id="weekly",
        title="示例周刊",
        kind="news",
        published=when("2023-03-24"),  # type: ignore[arg-type]
        reliability=3,
    ),
]


def account(id: str, when_text: str, title: str = "标题", **kw: Any) -> Account:
    kw.setdefault("citations", [Citation(source="daily")])
    return Account(id=id, kind=kw.pop("kind", "launch"), title=title, when=when(when_text), **kw)


# ---------------------------------------------------------------- the seed ledger


def test_seed_every_account_is_drawn_at_its_extent_with_its_sources(
    seed: Ledger, seed_page: str
) -> None:
    page = Page(seed_page)
    drawn = page.by_id()
    assert set(drawn) == {a.id for a in seed.accounts}
    assert len(page.events) == len(seed.accounts)
    for a in seed.accounts:
        ev = drawn[a.id]
        at = ev["attrs"]
        assert at["data-earliest"] == iso(a.when.earliest), a.id
        assert at["data-latest"] == iso(a.when.latest), a.id
        assert at["data-precision"] == a.when.precision.label
        assert at["data-edtf"] == a.when.to_edtf()
        assert at["data-tz"] == a.when.tz
        assert at["data-span"] == ("true" if isinstance(a.when, Span) else "false")
        assert at["data-kind"] == a.kind
        cited = list(dict.fromkeys(c.source for c in a.citations))
        assert at["data-sources"].split() == cited
        titles = [seed.sources[s].title for s in cited]
        for t in titles:  # in the SVG <title> (hover without scripts) ...
            assert f"source: {t}" in ev["title"]
        detail = page.details(ev)  # ... and in the details, one per citation, with its quote
        assert [s["t"] for s in detail["src"]] == [
            seed.sources[c.source].title for c in a.citations
        ]
        assert [s.get("l") for s in detail["src"]] == [c.locator for c in a.citations]
        assert detail["t"] == clean(a.title)
        assert detail["d"] == show_when(a.when)
        assert ev["title"].startswith(clean(a.title))
        assert show_when(a.when) in ev["title"]
        assert ev["marks"], a.id


def test_seed_page_has_quantities_dates_and_list(seed: Ledger, seed_page: str) -> None:
    page = Page(seed_page)
    ev = page.by_id()["ernie-bot-api-applications-leiphone"]
    assert "≥ 80,000 enterprises" in ev["title"]
    assert page.details(ev)["q"] == "≥ 80,000 enterprises"
    assert page.details(ev)["qt"] == "突破8万家"
    assert page.details(ev)["wt"] == "至3月17日下午2点"
    assert page.details(ev)["d"] == "≤ 2023-03-17 14:00 +08"
    # no later than 14:00 on 17 March: open to the left, a fade, not a point
    assert ev["attrs"]["data-earliest"] == ""
    assert ("rect", ["fade"]) in ev["marks"]
    # the list below the picture has every account, in date order
    items = re.findall(r'<li id="li(\d+)"', seed_page)
    assert [int(i) for i in items] == list(range(len(seed.accounts)))


def test_seed_merged_events_are_all_drawn(seed: Ledger, seed_merged_page: str) -> None:
    timeline = seed.merge()
    page = Page(seed_merged_page)
    drawn = page.by_id()
    assert set(drawn) == {e.event for e in timeline}
    for e in timeline:
        at = drawn[e.event]["attrs"]
        assert at["data-accounts"].split() == list(e.accounts)
        assert at["data-status"] == str(e.status)
        assert at["data-earliest"] == iso(e.when.earliest)
        assert at["data-latest"] == iso(e.when.latest)
        assert at["data-key"] == f"event/{e.event}"
        sources = {c.source for a in e.accounts for c in seed.account(a).citations}
        assert set(at["data-sources"].split()) == sources
    # the two-account event keeps both accounts and explains itself
    detail = page.details(drawn["ai-big-base-release"])
    assert detail["s"] == "refined"
    assert any("refined" in line for line in detail["x"])
    assert "no date conflicts" in seed_merged_page


@pytest.mark.parametrize("which", ["accounts", "merged"])
def test_seed_page_is_light_and_self_contained(
    seed_page: str, seed_merged_page: str, which: str
) -> None:
    text = seed_page if which == "accounts" else seed_merged_page
    assert len(text.encode("utf-8")) < 400_000  # well under 1 MB
    page = Page(text)
    assert {"charset": "utf-8"} in page.meta
    assert page.html_attrs.get("lang") == "zh"  # the sources' language
    # nothing is fetched: no external script, style, image, font or frame
    assert not re.search(r"<(link|img|iframe|object|embed)\b", text)
    assert not re.search(r"\bsrc\s*=", text)
    assert "@import" not in text
    assert set(re.findall(r"url\(([^)]*)\)", text)) <= {
        f"#{g}{side}" for g in [*(f"g{i}" for i in range(20)), "gg", "lg"] for side in "lr"
    }
    assert len(page.scripts) == 3  # the error trap, the data, the viewer
    assert page.data["v"] == 1
    plot_svg(text)  # well-formed


def test_seed_axis_lanes_and_legend(seed: Ledger, seed_page: str) -> None:
    page = Page(seed_page)
    names = [n.strip() for n in page.lanes]
    assert names[0] == "百度"  # the busiest organisation first, its parts after it
    assert "↳ 百度智能云" in names
    assert names[-1] == "(no actor)"
    assert names.index("↳ 百度智能云") < names.index("↳ 飞桨") < names.index("阿里云")
    assert "阿里达摩院" in names  # a sibling of 阿里云 (both part of 阿里巴巴, which has no lane)
    assert 'class="ctx" x=' in seed_page and ">2022<" in seed_page and ">2023<" in seed_page
    levels = [lv[0] for lv in page.data["levels"]]
    assert levels[-1] == "d" and "m" in levels and "q" in levels  # days at the deepest zoom
    for word in ("a day", "a clock time", "sometime within", "no earlier bound", "approximate"):
        assert word in seed_page
    kinds = Page(to_html(seed, lanes="kind"))
    assert sorted(n.strip() for n in kinds.lanes) == sorted({a.kind for a in seed.accounts})


def test_lang_picks_translations(seed: Ledger) -> None:
    text = to_html(seed, lang="en", title="Baidu and the cloud")
    page = Page(text)
    assert page.html_attrs["lang"] == "en"
    ev = page.by_id()["ernie-bot-launch-leiphone"]
    assert ev["title"].startswith("ERNIE Bot officially launched")
    assert "<title>Baidu and the cloud</title>" in text
    assert any(n.strip() == "Baidu" for n in page.lanes)


def test_rows_in_a_lane_do_not_overlap(seed_page: str) -> None:
    """At zoom 1 no two items of one lane row overlap, labels included (as the script packs)."""
    lanes = re.findall(
        r'<g class="lane" data-lane="\d+"[^>]*>(.*?)(?=<g class="lane"|</g></svg>)', seed_page, re.S
    )
    assert lanes
    for lane in lanes:
        rows: dict[str, list[tuple[float, float]]] = {}
        for m in re.finditer(r'<g class="ev[^"]*"([^>]*)>', lane):
            at = dict(re.findall(r'(data-[a-z]+|transform)="([^"]*)"', m.group(1)))
            xl, xr = float(at["data-xl"]), float(at["data-xr"])
            pl, pr, lw = float(at["data-pl"]), float(at["data-pr"]), float(at["data-lw"])
            left, right = xl - pl, xr + pr
            if right + 6 + lw <= 1200:
                right += 6 + lw
            elif left - 6 - lw >= 0:
                left -= 6 + lw
            else:
                right = max(right, xl + 4 + lw)
            rows.setdefault(at["transform"], []).append((left, right))
        for spans in rows.values():
            spans.sort()
            for (_, r), (l, _) in itertools.pairwise(spans):
                assert r <= l, spans


# ------------------------------------------------------------------------- marks


def test_each_kind_of_date_has_its_mark() -> None:
    ledger = Ledger(
        sources=SOURCES,
        tz="Asia/Shanghai",
        accounts=[
            account("day", "2023-03-16"),
            account("clock", "2023-03-17T14:00:00+08:00"),
            account("month", "2022-09"),
            account("quarter", "2022-Q4"),
            account("by", "[..2023-03-17T14:00:00+08:00]"),
            account("after", "2023-02/.."),
            account("span", "2022-12/2023-02"),
            account("approx", "2022-09~"),
            account("maybe", "2022-10?"),
            account("days", "[2022-11-01..2022-11-20]"),
            account("plan", "2023-06", planned=True),
        ],
    )
    page = Page(to_html(ledger))
    ev = page.by_id()

    def marks(id: str) -> list[tuple[str, list[str]]]:
        return [(tag, cls) for tag, cls in ev[id]["marks"] if "mk" in cls or "fade" in cls]

    assert ("circle", ["mk", "main"]) in marks("day")
    assert ("path", ["mk", "main"]) in marks("clock")  # a diamond
    assert marks("month") == [("rect", ["mk", "main", "within"])]
    assert marks("quarter") == [("rect", ["mk", "main", "within"])]
    assert ("rect", ["fade"]) in marks("by") and ev["by"]["attrs"]["data-earliest"] == ""
    assert ("rect", ["fade"]) in marks("after") and ev["after"]["attrs"]["data-latest"] == ""
    assert ("rect", ["mk", "main", "lasting"]) in marks("span")
    assert ev["span"]["attrs"]["data-span"] == "true"
    assert "approx" in ev["approx"]["attrs"]["class"].split() and ev["approx"]["glyphs"] == ["~"]
    assert ev["approx"]["attrs"]["data-approximate"] == "true"
    assert "uncert" in ev["maybe"]["attrs"]["class"].split() and ev["maybe"]["glyphs"] == ["?"]
    assert ev["maybe"]["attrs"]["data-uncertain"] == "true"
    assert marks("days") == [("rect", ["mk", "main", "within"])]  # a range of days is a bar
    assert "planned" in ev["plan"]["attrs"]["class"].split()
    assert all(not e["attrs"]["data-conflict"] for e in page.events)


# --------------------------------------------------------------------- conflicts


def test_resolved_conflict_shows_ghosts_and_the_chosen_reading() -> None:
    ledger = chronicle.load(MERGE / "launch_month.toml")
    timeline = ledger.merge()
    page = Page(to_html(timeline, ledger=ledger))
    ev = page.by_id()["lm-launch"]
    assert ev["attrs"]["data-conflict"] == "resolved"
    assert "c-resolved" in ev["attrs"]["class"].split()
    assert "≠ resolved" in ev["label"]
    ghosts = [m for m in ev["marks"] if "ghost" in m[1]]
    assert ghosts  # the overruled reading, 2021-06, drawn at its own extent
    readings = page.details(ev)["r"]
    chosen = [r for r in readings if r[2]]
    assert len(chosen) == 1 and chosen[0][0] == show_when(timeline["lm-launch"].when)
    assert {r[0] for r in readings} == {"2021-05-20", "2021-06"}
    assert any("Overruled" in line for line in page.details(ev)["x"])


def test_unresolved_conflict_emphasises_no_reading() -> None:
    ledger = Ledger(
        sources=SOURCES,
        tz="Asia/Shanghai",
        accounts=[
            account("a", "2023-03-16", event="e"),
            account("b", "2023-03-10", event="e", citations=[Citation(source="weekly")]),
        ],
    )
    timeline = ledger.merge()
    assert str(timeline["e"].status) == "unresolved"
    page = Page(to_html(timeline, ledger=ledger))
    ev = page.by_id()["e"]
    assert ev["attrs"]["data-conflict"] == "unresolved"
    assert "≠ unresolved" in ev["label"]
    readings = page.details(ev)["r"]
    assert sorted(r[0] for r in readings) == ["2023-03-10", "2023-03-16"]
    assert not any(r[2] for r in readings)
    assert any("hull" in cls for _, cls in ev["marks"])
    assert sum("ghost" in cls for _, cls in ev["marks"]) >= 2
    assert "1 unresolved" in to_html(timeline, ledger=ledger)


def test_contested_near_miss_and_pinned() -> None:
    zones = chronicle.load(MERGE / "zones.toml")
    page = Page(to_html(zones.merge(), ledger=zones))
    ev = page.by_id()["zn-release"]
    assert ev["attrs"]["data-conflict"] == "contested"
    assert "near-miss" in page.details(ev)["f"]
    assert len(page.details(ev)["r"]) == 2  # each account's own day
    pins = chronicle.load(MERGE / "pins.toml")
    page = Page(to_html(pins.merge(), ledger=pins))
    ev = page.by_id()["pn-region-opening"]
    assert ev["attrs"]["data-conflict"] == "pinned"
    assert "challenged" in page.details(ev)["f"]


def test_merged_events_without_a_ledger_still_draw() -> None:
    ledger = chronicle.load(MERGE / "launch_month.toml")
    page = Page(to_html(ledger.merge()))
    ev = page.by_id()["lm-launch"]
    assert ev["attrs"]["data-conflict"] == "resolved"
    assert "r" not in page.details(ev)  # competing dates need the ledger's accounts
    assert page.details(ev)["x"]


# ---------------------------------------------------------------------- escaping


HOSTILE = [
    '</script><script>alert("x")</script>',
    "<b>bold</b> & <i>it</i>",
    "\"double\" 'single' `back` <!-- comment -->",
    "文心一言" * 50,  # 200 CJK characters
    "\u202eevil\u200b\x1b[2J\nline",
]


def test_hostile_text_stays_escaped() -> None:
    src = Source(id="evil", title='<img src=x onerror="alert(1)">', kind="news")
    # records refuse such a URL; the page must not link one that got in some other way
    object.__setattr__(src, "url", "javascript:alert(1)")
    actor = Actor(id="who", name="<svg onload=alert(1)>", kind="company")
    accounts = [
        account(
            f"h{i}",
            "2023-03-16",
            title,
            actors=["who"],
            citations=[Citation(source="evil", quote="</script>", locator="<¶>")],
            quantity=Quantity(value=1, unit="<u>", text="</script>"),
            note="</script><b>note</b>",
        )
        for i, title in enumerate(HOSTILE)
    ]
    ledger = Ledger(sources=[src], actors=[actor], accounts=accounts, tz="Asia/Shanghai")
    for text in (
        to_html(ledger, title="</title><script>x</script>", lang='zh"><script>'),
        to_html(ledger.merge(), ledger=ledger, title="<b>"),
    ):
        assert text.count("<script") == 3 and text.count("</script>") == 3
        for raw in (
            "<b>bold",
            "<b>note",
            "<i>",
            "<img",
            "<svg onload",
            "<!-- comment",
            "<u>",
            "<¶>",
        ):
            assert raw not in text
        assert "javascript:" not in text.lower() or 'href="javascript' not in text.lower()
        page = Page(text)
        assert not page.links  # the only URL is not http(s): not linked
        plot_svg(text)  # still well-formed
        for ev in page.events:
            detail = page.details(ev)
            assert "u" not in detail["src"][0]
            assert detail["src"][0]["t"] == src.title  # exact text back out of the JSON
            assert detail["src"][0]["qt"] == "</script>"
    page = Page(to_html(ledger))
    for a in accounts:
        ev = page.by_id()[a.id]
        assert ev["title"].startswith(clean(a.title))  # the text, not markup
        assert page.details(ev)["t"] == clean(a.title)
    long = page.by_id()["h3"]
    assert long["label"].endswith("…") and len(long["label"]) < 30  # cut in the picture
    assert page.details(long)["t"] == "文心一言" * 50  # whole in the details
    assert "\u202e" not in to_html(ledger)


def test_bad_lanes_is_an_error(seed: Ledger) -> None:
    with pytest.raises(ChronicleError, match="unknown lanes 'source'"):
        to_html(seed, lanes="source")  # type: ignore[arg-type]


# ----------------------------------------------------------------- other inputs


def test_empty_and_rows_and_no_ledger() -> None:
    page = Page(to_html([]))
    assert page.events == [] and page.data["ev"] == []
    assert "No events." in to_html([])
    a = account("solo", "2023-03-16", actors=["ghost-co"])
    page = Page(to_html([a]))
    assert page.by_id()["solo"]["attrs"]["data-sources"] == "daily"
    assert [n.strip() for n in page.lanes] == ["ghost-co"]  # the id stands in for a name
    assert page.details(page.events[0])["src"][0]["t"] == "daily"


def test_output_is_deterministic_and_ignores_input_order(seed: Ledger, seed_page: str) -> None:
    shuffled = list(seed.accounts)
    random.Random(7).shuffle(shuffled)
    assert to_html(shuffled, ledger=seed) == seed_page


def test_many_items_are_compact() -> None:
    accounts = [
        account(f"x{i}", f"20{10 + i % 13}-{1 + i % 12:02d}-{1 + i % 28:02d}", f"事件 {i}")
        for i in range(700)
    ]
    ledger = Ledger(sources=SOURCES, accounts=accounts, tz="Asia/Shanghai")
    text = to_html(ledger)
    page = Page(text)
    assert len(page.events) == 700
    assert page.data["labels"] is False and 'class=" nolabels"' in text
    assert len(text.encode()) < 700 * 1_600


# Zones whose DST changes never fall at midnight: in a zone where one does (Asia/Shanghai in
# 1949), chronicle._calendar.wall() puts the unit's start before the gap and When rejects it,
# so tests.strategies.ledgers() can fail while generating (a bug outside this module).
SAFE_ZONES = ["UTC", "+05:30", "-03:00", "America/New_York", "Europe/London"]


@st.composite
def safe_dates(draw: Any) -> When | Span:
    tz = draw(st.sampled_from(SAFE_ZONES))
    a: When = draw(whens(zones=[tz]))
    if a.is_open or draw(st.booleans()):
        return a
    b: When = draw(whens(zones=[tz], open_bounds=False))
    start, end = (b, a) if b.certainly_before(a) else (a, b)
    return Span(start, end if draw(st.booleans()) else None)


@st.composite
def pages(draw: Any) -> Ledger:
    sources = [
        Source(id=f"s{i}", title=draw(texts), kind="news", url=draw(st.none() | st.just(u)))
        for i, u in enumerate(["https://example.invalid/?a=1&b=<2>", "https://e.invalid/<x>"])
    ]
    actors = [Actor(id="a0", name=draw(texts), kind="company")]
    accounts = [
        Account(
            id=f"x{i}",
            kind=draw(tokens),
            title=draw(texts),
            when=draw(safe_dates()),
            actors=draw(st.sampled_from([[], ["a0"]])),
            citations=[Citation(source=draw(st.sampled_from(["s0", "s1"])), quote=draw(texts))],
        )
        for i in range(draw(st.integers(1, 8)))
    ]
    return Ledger(sources=sources, actors=actors, accounts=accounts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_any_ledger_draws_every_account(ledger: Ledger) -> None:
    text = to_html(ledger)
    page = Page(text)
    drawn = page.by_id()
    assert set(drawn) == {a.id for a in ledger.accounts}
    for a in ledger.accounts:
        ev = drawn[a.id]
        at = ev["attrs"]
        assert (at["data-earliest"], at["data-latest"]) == (
            iso(a.when.earliest),
            iso(a.when.latest),
        )
        detail = page.details(ev)
        assert detail["d"] == show_when(a.when)
        assert detail["t"] == clean(a.title)
        assert detail["src"][0]["t"] == clean(ledger.sources[a.source].title)
        assert detail["src"][0].get("u", "https://").startswith("https://")
    assert all(link.startswith("https://") for link in page.links)
    plot_svg(text)


# --------------------------------------------------------------------------- CLI


def test_cli_export_html(tmp_path: Path) -> None:
    target = tmp_path / "seed.html"
    err = io.StringIO()
    assert main(["export", "html", str(EVENTS), "-o", str(target)], stderr=err) == 0
    assert f"wrote {target} (html," in err.getvalue()
    out = io.StringIO()
    assert main(["export", "html", str(EVENTS)], stdout=out, stderr=io.StringIO()) == 0
    assert target.read_bytes() == out.getvalue().encode("utf-8")
    assert len(Page(out.getvalue()).events) == 58

    out = io.StringIO()
    args = ["export", "html", str(MERGE / "launch_month.toml"), "--merged", "--lanes", "kind"]
    assert main([*args, "--title", "星云", "--lang", "en"], stdout=out) == 0
    page = Page(out.getvalue())
    assert page.by_id()["lm-launch"]["attrs"]["data-conflict"] == "resolved"
    assert [n.strip() for n in page.lanes] == ["launch"]
    assert "<title>星云</title>" in out.getvalue()

    err = io.StringIO()
    assert main(["export", "html", str(EVENTS), "--lanes", "nope"], stderr=err) == 2
