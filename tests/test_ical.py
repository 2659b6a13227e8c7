"""iCalendar export: read back by icalendar and by vobject, field by field.

The ledger in tests/fixtures/invented.toml is invented test data.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import Account, ChronicleError, Citation, Ledger, Source, parse_when
from chronicle._display import Row, RowContext, SourceRef, to_row
from chronicle._ical import (
    NAMESPACE,
    CoarseDates,
    OpenDates,
    build_calendar,
    coarse_policy,
    to_ics,
    uid,
)
from chronicle.cli import main
from tests.golden import check_golden

FIXTURE = Path(__file__).parent / "fixtures" / "invented.toml"
EVENTS = Path(__file__).resolve().parent.parent / "events"
SH = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
D = dt.date


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return chronicle.load(FIXTURE)


@pytest.fixture(scope="module")
def ics(ledger: Ledger) -> bytes:
    return to_ics(ledger, name="示例时间线")


def _stamp(y: int, m: int, d: int) -> dt.datetime:
    """The end of a day in Shanghai, in UTC, whole seconds: a day-precision publication."""
    return dt.datetime(y, m, d, 15, 59, 59, tzinfo=UTC)


# id -> (summary, start, end, stamp, categories, location, url, status)
DAILY = "https://example.com/daily/2023-03-24"
WIRE = "https://example.org/wire/12?lang=en&x=a,b"
EXPECTED: dict[str, tuple[Any, ...]] = {
    "lingxi-launch": (
        "灵犀大模型发布",
        D(2023, 3, 16),
        D(2023, 3, 17),
        _stamp(2023, 3, 24),
        ["launch", "llm"],
        "北京",
        DAILY,
        None,
    ),
    "lingxi-test": (
        "灵犀邀请测试开始",
        D(2022, 9, 1),
        D(2022, 10, 1),
        _stamp(2023, 3, 24),
        ["test", "llm", "beta"],
        None,
        DAILY,
        None,
    ),
    "cloud-customers": (
        "示例云企业客户突破8万家",
        D(2022, 10, 1),
        D(2023, 1, 1),
        _stamp(2023, 12, 31),
        ["metric"],
        None,
        None,
        None,
    ),
    "press-conference": (
        "示例科技发布会",
        dt.datetime(2023, 3, 16, 14, 0, tzinfo=SH),
        dt.datetime(2023, 3, 16, 14, 30, tzinfo=SH),
        _stamp(2023, 3, 24),
        ["event"],
        "北京, 海淀",
        DAILY,
        None,
    ),
    "api-deadline": (
        "[≤ 2023-03-17 14:00 +08] API 申请截止",
        D(2023, 3, 17),
        D(2023, 3, 18),
        _stamp(2023, 3, 24),
        ["deadline"],
        None,
        DAILY,
        None,
    ),
    "compute-build": (
        "智算中心建设",
        D(2022, 12, 1),
        D(2023, 3, 1),
        _stamp(2023, 12, 31),
        ["construction", "compute"],
        None,
        None,
        None,
    ),
    "compute-operating": (
        "[2023-03-01 → …] 智算中心投入运营",
        D(2023, 3, 1),
        D(2023, 3, 2),
        _stamp(2023, 3, 24),
        ["operation"],
        None,
        DAILY,
        None,
    ),
    "strategy-2022": (
        '[~2022] All in AI strategy, "phase one"',
        D(2022, 1, 1),
        D(2023, 1, 1),
        _stamp(2023, 12, 31),
        ["strategy"],
        None,
        None,
        None,
    ),
    "lingxi-2": (
        "灵犀 2.0 计划发布",
        D(2023, 7, 1),
        D(2024, 1, 1),
        _stamp(2023, 3, 24),
        ["launch"],
        None,
        DAILY,
        "TENTATIVE",
    ),
    "wire-utc": (
        '=HYPERLINK("http://evil.example") statement at 09:30 UTC',
        dt.datetime(2023, 3, 20, 9, 30, tzinfo=UTC),
        dt.datetime(2023, 3, 20, 10, 0, tzinfo=UTC),
        _stamp(2023, 3, 20),
        ["statement"],
        None,
        WIRE,
        None,
    ),
}


def _by_uid_icalendar(data: bytes) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _by_uid_vobject(data: bytes) -> dict[str, Any]:
    cal = vobject.readOne(data.decode("utf-8"), validate=True)
    return {e.uid.value: e for e in cal.vevent_list}


def _same_time(a: Any, b: Any) -> bool:
    if isinstance(b, dt.datetime):
        return isinstance(a, dt.datetime) and a.tzinfo is not None and a == b
    return type(a) is dt.date and a == b


# ----------------------------------------------------------------- calendar level


def test_one_calendar_with_name_prodid_and_stable_uid(ics: bytes) -> None:
    cal = icalendar.Calendar.from_ical(ics)
    assert ics.count(b"BEGIN:VCALENDAR") == 1
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//chronicle-ledger//chronicle//EN"
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "示例时间线"
    assert str(cal["UID"]) == uid("calendar/示例时间线")
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert "METHOD" not in cal  # never REQUEST; without METHOD, DTSTAMP is the revision time
    v = vobject.readOne(ics.decode("utf-8"), validate=True)
    assert v.contents["x-wr-calname"][0].value == "示例时间线"
    assert v.contents["name"][0].value == "示例时间线"


def test_vtimezone_for_every_tzid(ics: bytes) -> None:
    cal = icalendar.Calendar.from_ical(ics)
    assert cal.get_used_tzids() == {"Asia/Shanghai"}
    assert cal.get_missing_tzids() == set()
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    v = vobject.readOne(ics.decode("utf-8"), validate=True)
    assert [tz.tzid.value for tz in v.vtimezone_list] == ["Asia/Shanghai"]


def test_crlf_and_folding(ics: bytes) -> None:
    assert b"\n" not in ics.replace(b"\r\n", b"")
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a character


# -------------------------------------------------------------- every field back


@pytest.mark.parametrize("account_id", sorted(EXPECTED))
def test_every_field_round_trips_through_icalendar(
    ledger: Ledger, ics: bytes, account_id: str
) -> None:
    summary, start, end, stamp, cats, location, url, status = EXPECTED[account_id]
    ev = _by_uid_icalendar(ics)[uid(f"account/{account_id}")]
    assert str(ev["SUMMARY"]) == summary
    assert _same_time(ev.start, start)
    assert _same_time(ev.end, end)
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime):
        assert ev["DTSTART"].params["VALUE"] == "DATE"
        assert ev["DTEND"].params["VALUE"] == "DATE"
    elif start.tzinfo is SH:
        assert ev["DTSTART"].params["TZID"] == ev["DTEND"].params["TZID"] == "Asia/Shanghai"
    assert stamp == ev.DTSTAMP
    assert [str(c) for c in ev.categories] == cats
    assert (str(ev["LOCATION"]) if "LOCATION" in ev else None) == location
    assert (str(ev["URL"]) if "URL" in ev else None) == url
    assert str(ev["TRANSP"]) == "TRANSPARENT"
    assert (str(ev["STATUS"]) if "STATUS" in ev else None) == status
    assert len(ev.get("URL", "") and [ev["URL"]]) <= 1
    _check_description(ledger, account_id, str(ev["DESCRIPTION"]))


@pytest.mark.parametrize("account_id", sorted(EXPECTED))
def test_every_field_round_trips_through_vobject(
    ledger: Ledger, ics: bytes, account_id: str
) -> None:
    summary, start, end, stamp, cats, location, url, status = EXPECTED[account_id]
    ev = _by_uid_vobject(ics)[uid(f"account/{account_id}")]
    assert ev.summary.value == summary
    assert _same_time(ev.dtstart.value, start)
    assert _same_time(ev.dtend.value, end)
    assert ev.dtstamp.value == stamp
    assert ev.categories.value == cats
    assert (ev.location.value if hasattr(ev, "location") else None) == location
    assert (ev.url.value if hasattr(ev, "url") else None) == url
    assert ev.transp.value == "TRANSPARENT"
    assert (ev.status.value if hasattr(ev, "status") else None) == status
    _check_description(ledger, account_id, ev.description.value)


def _check_description(ledger: Ledger, account_id: str, text: str) -> None:
    a = ledger.account(account_id)
    lines = text.split("\n")
    assert lines[0].startswith(f"Date: {chronicle._display.show_when(a.when)} — ")
    assert f"({a.when.precision.label} precision" in lines[0]
    assert f"Kind: {a.kind}" in lines
    assert lines[-1] == f"Id: {a.id}"
    for n, c in enumerate(a.citations, 1):
        src = ledger.source(c.source)
        entry = next(line for line in lines if line.startswith(f"[{n}] "))
        assert src.title in entry
        if src.publisher:
            assert src.publisher in entry
        if src.url:
            assert src.url in entry
        if c.quote:
            assert f"    “{c.quote}”" in lines
    if a.quantity is not None:
        assert f"Quantity: {a.quantity}" in text
    if a.planned:
        assert "Status: planned" in lines
    if a.note:
        assert f"Note: {a.note}" in lines


def test_precision_and_flags_in_words(ics: bytes) -> None:
    events = _by_uid_icalendar(ics)
    desc = {k: str(events[uid(f"account/{k}")]["DESCRIPTION"]) for k in EXPECTED}
    assert (
        "sometime in 2022-09 (month precision; partly inferred from context)" in desc["lingxi-test"]
    )
    assert "sometime in 2022 (year precision; approximate)" in desc["strategy-2022"]
    assert "no later than 2023-03-17 14:00 +08" in desc["api-deadline"]
    assert "Calendar: shown on the day of its latest possible date" in desc["api-deadline"]
    assert "Calendar: a point in time, drawn 30 minutes long" in desc["press-conference"]
    assert "Quantity: ≥ 80,000 家企业 (突破8万家)" in desc["cloud-customers"]


# ------------------------------------------------------------------ hostile text

HOSTILE = (
    "Launch\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:evil, with commas; semicolons \\ backslash\r"
    + "文心一言大模型发布会" * 20
)


def _single(title: str, **fields: Any) -> tuple[bytes, Account]:
    src = Source(
        id="s", title="An invented source", kind="news", published=parse_when("2023-03-24")
    )
    acc = Account(
        id="hostile",
        kind="launch",
        title=title,
        when=parse_when("2023-03-16"),
        citations=[Citation(source="s")],
        **fields,
    )
    led = Ledger(sources=[src], accounts=[acc])
    return to_ics(led), acc


def _expected_line(text: str) -> str:
    text = (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n")
    )
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text).replace("\t", " ")
    return " ".join(text.split("\n"))


def test_hostile_title_stays_one_well_formed_event() -> None:
    assert len("文心一言大模型发布会" * 20) == 200
    data, _ = _single(HOSTILE, note="first line\nEND:VEVENT\nBEGIN:VCALENDAR;x,y")
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1
    assert lines.count(b"END:VEVENT") == 1
    assert lines.count(b"BEGIN:VCALENDAR") == 1
    assert lines.count(b"END:VCALENDAR") == 1
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a UTF-8 sequence
    summary = _expected_line(HOSTILE)
    (ev,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(ev["SUMMARY"]) == summary
    assert str(ev["UID"]) == uid("account/hostile")
    assert "Note: first line\nEND:VEVENT\nBEGIN:VCALENDAR;x,y\n" in str(ev["DESCRIPTION"])
    v = vobject.readOne(data.decode("utf-8"), validate=True)
    assert len(v.vevent_list) == 1
    assert v.vevent.summary.value == summary
    assert v.vevent.uid.value == uid("account/hostile")
    assert "Note: first line\nEND:VEVENT\nBEGIN:VCALENDAR;x,y\n" in v.vevent.description.value


@given(st.text(min_size=1).filter(lambda t: t.strip() != ""))
def test_any_title_round_trips(title: str) -> None:
    data, _ = _single(title)
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1
    assert all(len(line) <= 75 for line in lines)
    expected = _expected_line(title)
    (ev,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(ev["SUMMARY"]) == expected
    v = vobject.readOne(data.decode("utf-8"), validate=True)
    assert v.vevent.summary.value == expected


# -------------------------------------------------------------- reproducibility


def test_two_exports_are_byte_identical_and_order_free(ledger: Ledger) -> None:
    a = to_ics(ledger, name="x")
    assert a == to_ics(chronicle.load(FIXTURE), name="x")
    assert a == to_ics(list(reversed(ledger.accounts)), ledger=ledger, name="x")


def _vevents(data: bytes) -> dict[str, bytes]:
    blocks = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.S)
    return {re.search(rb"\r\nUID:([^\r]+)", b).group(1).decode(): b for b in blocks}  # type: ignore[union-attr]


def test_adding_an_account_changes_only_its_event(ledger: Ledger) -> None:
    before = to_ics(ledger)
    new = Account(
        id="lingxi-api",
        kind="release",
        title="灵犀 API 开放",
        when=parse_when("2023-03-18"),
        citations=[Citation(source="daily-2023-03-24")],
        actors=["lingxi"],
    )
    bigger = Ledger(
        sources=ledger.sources.values(),
        actors=ledger.actors.values(),
        accounts=[*ledger.accounts, new],
        tz=ledger.tz,
    )
    after = to_ics(bigger)
    old, now = _vevents(before), _vevents(after)
    assert set(now) - set(old) == {uid("account/lingxi-api")}
    assert all(now[k] == v for k, v in old.items())
    assert before.split(b"BEGIN:VEVENT")[0] == after.split(b"BEGIN:VEVENT")[0]  # header + VTIMEZONE


def test_uids_are_uuid5_of_the_key_and_unique(ics: bytes, ledger: Ledger) -> None:
    import uuid

    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == len(ledger)
    assert uid("account/x") == str(uuid.uuid5(NAMESPACE, "account/x"))
    assert all(uuid.UUID(u).version == 5 for u in uids)


def test_shared_key_is_an_error(ledger: Ledger) -> None:
    row = to_row(ledger.account("lingxi-launch"), RowContext(ledger))
    with pytest.raises(ChronicleError, match="share the key"):
        to_ics([row, attrs.evolve(row, id="other")])


def test_dtstamp_without_dated_sources_is_the_epoch() -> None:
    src = Source(id="s", title="Undated", kind="news")
    acc = Account(
        id="a",
        kind="launch",
        title="t",
        when=parse_when("2023-03-16"),
        citations=[Citation(source="s")],
    )
    (ev,) = icalendar.Calendar.from_ical(to_ics(Ledger(sources=[src], accounts=[acc]))).walk(
        "VEVENT"
    )
    assert dt.datetime(1970, 1, 1, tzinfo=UTC) == ev.DTSTAMP


# -------------------------------------------------------------------- policies


def _placed(ledger: Ledger, **kw: Any) -> dict[str, tuple[Any, Any, str]]:
    cal, _ = build_calendar(ledger, **kw)
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    out = {}
    for a in ledger:
        e = by_uid.get(uid(f"account/{a.id}"))
        if e is not None:
            out[a.id] = (e.start, e.end, str(e["SUMMARY"]))
    return out


def test_coarse_first_day(ledger: Ledger) -> None:
    got = _placed(ledger, coarse="first-day")
    assert got["lingxi-test"] == (D(2022, 9, 1), D(2022, 9, 2), "[2022-09] 灵犀邀请测试开始")
    assert got["cloud-customers"] == (
        D(2022, 10, 1),
        D(2022, 10, 2),
        "[2022-Q4] 示例云企业客户突破8万家",
    )
    assert got["lingxi-2"][:2] == (D(2023, 7, 1), D(2023, 7, 2))
    # a span lasted: it keeps its extent; a single day is exact
    assert got["compute-build"] == (D(2022, 12, 1), D(2023, 3, 1), "智算中心建设")
    assert got["lingxi-launch"] == (D(2023, 3, 16), D(2023, 3, 17), "灵犀大模型发布")


def test_coarse_skip_and_per_precision(ledger: Ledger) -> None:
    got = _placed(ledger, coarse="skip")
    assert set(got) == {
        "lingxi-launch",
        "press-conference",
        "api-deadline",
        "compute-operating",
        "wire-utc",
    }
    got = _placed(ledger, coarse={"year": "first-day", "half": "skip"})
    assert got["strategy-2022"] == (
        D(2022, 1, 1),
        D(2022, 1, 2),
        '[~2022] All in AI strategy, "phase one"',
    )
    assert "lingxi-2" not in got
    assert got["lingxi-test"][:2] == (D(2022, 9, 1), D(2022, 10, 1))


def test_open_skip(ledger: Ledger) -> None:
    cal, skipped = build_calendar(ledger, open_ended=OpenDates.SKIP)
    assert skipped == 2
    assert len(cal.walk("VEVENT")) == len(ledger) - 2


def test_instant_minutes(ledger: Ledger) -> None:
    got = _placed(ledger, instant_minutes=1)
    start, end, _ = got["press-conference"]
    assert end - start == dt.timedelta(minutes=1)
    with pytest.raises(ChronicleError, match="at least 1"):
        to_ics(ledger, instant_minutes=0)


def test_policy_errors() -> None:
    with pytest.raises(ChronicleError, match="unknown coarse-date policy 'wide'"):
        coarse_policy("wide")
    with pytest.raises(ChronicleError, match="not minute"):
        coarse_policy({"minute": "span"})
    assert coarse_policy({"month": CoarseDates.SKIP})[chronicle.Precision.MONTH] is CoarseDates.SKIP


def _one(when: str, tz: str = "Asia/Shanghai") -> icalendar.Event:
    src = Source(id="s", title="src", kind="news", published=parse_when("2023-03-24"))
    acc = Account(
        id="a", kind="k", title="t", when=parse_when(when, tz=tz), citations=[Citation(source="s")]
    )
    (ev,) = icalendar.Calendar.from_ical(to_ics(Ledger(sources=[src], accounts=[acc], tz=tz))).walk(
        "VEVENT"
    )
    return ev


def test_timed_spans_and_fixed_offsets() -> None:
    ev = _one("2023-03-17T10:00/2023-03-17T12:30")
    assert ev.start == dt.datetime(2023, 3, 17, 10, 0, tzinfo=SH)
    assert ev.end == dt.datetime(2023, 3, 17, 12, 30, tzinfo=SH)
    ev = _one("2023-03-17T14:00+08:00", tz="+08:00")  # a fixed offset has no TZID: written in UTC
    assert ev.start == dt.datetime(2023, 3, 17, 6, 0, tzinfo=UTC)
    assert "TZID" not in ev["DTSTART"].params
    ev = _one("2023-03-16/2023-03-18")
    assert (ev.start, ev.end) == (D(2023, 3, 16), D(2023, 3, 19))
    ev = _one("2023-W11")
    assert (ev.start, ev.end) == (D(2023, 3, 13), D(2023, 3, 20))


def test_old_times_get_a_vtimezone_covering_them() -> None:
    ev_cal = icalendar.Calendar.from_ical(
        to_ics(
            Ledger(
                sources=[Source(id="s", title="s", kind="news")],
                accounts=[
                    Account(
                        id="a",
                        kind="k",
                        title="t",
                        when=parse_when("1988-06-01T12:00", tz="Asia/Shanghai"),
                        citations=[Citation(source="s")],
                    )
                ],
            )
        )
    )
    assert ev_cal.get_missing_tzids() == set()
    (ev,) = ev_cal.walk("VEVENT")
    assert ev.start.utcoffset() == dt.timedelta(hours=9)  # Shanghai kept summer time in 1988


def test_missing_vtimezone_is_an_error_naming_the_zone(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    # icalendar skips a zone it cannot build without a word; chronicle must not
    monkeypatch.setattr(icalendar.Calendar, "add_missing_timezones", lambda self, **kw: None)
    with pytest.raises(ChronicleError, match="Asia/Shanghai"):
        to_ics(ledger)


# -------------------------------------------------------------- the adapter seam


@attrs.frozen
class FakeMergedEvent:
    """Stands in for chronicle._merge's merged event (its adapter is written there)."""

    key: str
    when: str


@to_row.register(FakeMergedEvent)
def _fake_row(item: FakeMergedEvent, ctx: RowContext) -> Row:
    return Row(
        key=f"event/{item.key}",
        id=item.key,
        event=item.key,
        when=parse_when(item.when, tz="Asia/Shanghai"),
        title="合并事件",
        kind="launch",
        status="refined",
        notes=("2 accounts: 2022 and 2022-12; refined to 2022-12",),
        sources=(SourceRef(id="s", title="src", published=parse_when("2023-03-24")),),
    )


def test_merged_events_export_through_a_row_adapter() -> None:
    data = to_ics([FakeMergedEvent("ai-base", "2022-12")])
    (ev,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(ev["UID"]) == uid("event/ai-base")
    assert (ev.start, ev.end) == (D(2022, 12, 1), D(2023, 1, 1))
    assert "Status: refined" in str(ev["DESCRIPTION"])
    with pytest.raises(TypeError, match="register an adapter"):
        to_ics([object()])


# ---------------------------------------------------------------------- golden + CLI


def test_golden_invented(ics: bytes) -> None:
    check_golden("invented.ics", ics)


@pytest.mark.skipif(not (EVENTS / "sources.toml").exists(), reason="no seed ledger")
def test_golden_seed() -> None:
    seed = chronicle.load(EVENTS)
    data = to_ics(seed, name="中国大模型时间线")
    check_golden("seed.ics", data)
    assert data == to_ics(chronicle.load(EVENTS), name="中国大模型时间线")
    assert len(_by_uid_vobject(data)) == len(_by_uid_icalendar(data)) == len(seed)


def test_cli_export_ics(tmp_path: Path, ledger: Ledger) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "out.ics"
    code = main(
        ["export", "ics", str(FIXTURE), "-o", str(target), "--name", "示例时间线"],
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    assert target.read_bytes() == to_ics(ledger, name="示例时间线")
    assert out.getvalue() == ""
    assert "wrote" in err.getvalue()
    out = io.StringIO()
    assert (
        main(
            ["export", "ics", str(FIXTURE), "--coarse", "year=first-day,half=skip"],
            stdout=out,
            stderr=err,
        )
        == 0
    )
    assert out.getvalue().encode() == to_ics(ledger, coarse={"year": "first-day", "half": "skip"})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coarse", "wide"], "unknown coarse-date policy"),
        (["--coarse", "year=first-day,oops"], "expected precision=policy"),
        (["--instant-minutes", "0"], "at least 1"),
        (["-o", "/nonexistent-dir/x.ics"], "/nonexistent-dir/x.ics: cannot write: No such file"),
    ],
)
def test_cli_export_ics_errors(args: list[str], message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["export", "ics", str(FIXTURE), *args], stdout=out, stderr=err) == 2
    assert message in err.getvalue()
    assert out.getvalue() == ""


def test_cli_notes_skipped_items_and_empty_calendars() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["export", "ics", str(FIXTURE), "--open", "skip"], stdout=out, stderr=err) == 0
    assert "2 item(s) left out" in err.getvalue()
    err = io.StringIO()
    args = ["export", "ics", str(FIXTURE), "--coarse", "skip", "--open", "skip"]
    assert main(args, stdout=io.StringIO(), stderr=err) == 0
    assert "left out" in err.getvalue()


def test_empty_calendar_is_still_readable() -> None:
    data = to_ics([])
    assert data.count(b"BEGIN:VEVENT") == 0
    assert str(icalendar.Calendar.from_ical(data)["NAME"]) == "chronicle"
    vobject.readOne(data.decode("utf-8"), validate=True)


def test_times_before_1970_round_down_and_up_correctly() -> None:
    ev = _one("1969-12-31T23:59:30/1970-01-01T00:00:30", tz="UTC")
    assert ev.start == dt.datetime(1969, 12, 31, 23, 59, 30, tzinfo=UTC)
    assert ev.end == dt.datetime(1970, 1, 1, 0, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["UCT", "Zulu", "Etc/Universal", "GMT0", "Etc/Greenwich"])
def test_every_name_of_utc_is_written_as_utc(zone: str) -> None:
    """Found by review: ``tz = "UCT"`` made the export fail for want of a VTIMEZONE."""
    source = Source(id="s1", title="Invented", kind="news", published=parse_when("2023-03-24"))
    account = Account(
        id="a1",
        kind="launch",
        title="Invented launch",
        when=parse_when("2023-03-16T14:00", tz=zone),
        citations=[Citation(source="s1")],
    )
    ics = chronicle.to_ics(Ledger([source], [], [account], tz=zone))
    assert b"DTSTART:20230316T140000Z" in ics
    assert b"VTIMEZONE" not in ics
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == dt.datetime(2023, 3, 16, 14, tzinfo=dt.UTC)
