"""Clock times the clocks repeat, dates at the ends of years 1-9999, pipes in table cells.

Every ledger here is invented test data. Calendars are read back with icalendar and
with vobject, and instants are compared as instants (timestamps): Python's ``==``
between aware datetimes ignores ``fold`` in one zone and answers False for a time in a
repeated hour against another zone, so it cannot be trusted for these cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
import vobject

import chronicle
from chronicle import Account, Citation, Ledger, Source, parse_when, to_csv, to_ics, to_table
from chronicle._display import describe_when, show_when
from chronicle.cli import main


def _ledger(*whens: tuple[str, str], tz: str) -> Ledger:
    """One account per ``(id, date text)``, read in ``tz``."""
    src = Source(id="s", title="src", kind="news", published=parse_when("2024-01-01"))
    accounts = [
        Account(
            id=id,
            kind="k",
            title=f"title {id}",
            when=parse_when(text, tz=tz),
            citations=[Citation(source="s")],
        )
        for id, text in whens
    ]
    return Ledger(sources=[src], accounts=accounts, tz=tz)


def _read_back(data: bytes) -> dict[str, tuple[Any, Any, Any, Any]]:
    """{summary: (icalendar start, icalendar end or duration, vobject start, vobject end)}."""
    out: dict[str, list[Any]] = {}
    for e in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        end = e["DTEND"].dt if "DTEND" in e else e["DURATION"].dt
        out[str(e["SUMMARY"])] = [e["DTSTART"].dt, end]
    for v in vobject.readOne(data.decode("utf-8"), validate=True).vevent_list:
        end = v.dtend.value if hasattr(v, "dtend") else v.duration.value
        out[v.summary.value] += [v.dtstart.value, end]
    return {k: (a, b, c, d) for k, (a, b, c, d) in out.items()}


def _ts(t: Any) -> float:
    assert isinstance(t, dt.datetime) and t.tzinfo is not None, t
    return t.timestamp()


# ----------------------------------------------------- A. the hour repeated in autumn

NY = "America/New_York"
REPEATED = [
    # (text, zone, start in UTC); each lasts 30 minutes
    ("2023-11-05T01:30-04:00", NY, "2023-11-05T05:30:00+00:00"),  # first 01:30
    ("2023-11-05T01:30-05:00", NY, "2023-11-05T06:30:00+00:00"),  # second 01:30
    ("2023-11-05T01:00-05:00", NY, "2023-11-05T06:00:00+00:00"),
    ("2023-11-05T00:45-04:00", NY, "2023-11-05T04:45:00+00:00"),  # ends in the repeated hour
    ("2023-11-05T02:00", NY, "2023-11-05T07:00:00+00:00"),
    # São Paulo turned its clocks back at midnight: 23:00-24:00 on 17 Feb 2018 twice
    ("2018-02-17T23:30-02:00", "America/Sao_Paulo", "2018-02-18T01:30:00+00:00"),
    ("2018-02-17T23:30-03:00", "America/Sao_Paulo", "2018-02-18T02:30:00+00:00"),
    # Havana turns them back from 01:00 to midnight: 00:00-01:00 twice
    ("2023-11-05T00:30-04:00", "America/Havana", "2023-11-05T04:30:00+00:00"),
    ("2023-11-05T00:30-05:00", "America/Havana", "2023-11-05T05:30:00+00:00"),
]


@pytest.mark.parametrize(("text", "tz", "utc"), REPEATED)
def test_repeated_hour_reads_back_as_the_same_instant(text: str, tz: str, utc: str) -> None:
    data = to_ics(_ledger(("a", text), tz=tz))
    ((ical_start, ical_end, vobj_start, vobj_end),) = _read_back(data).values()
    start = dt.datetime.fromisoformat(utc).timestamp()
    assert _ts(ical_start) == _ts(vobj_start) == start
    assert _ts(ical_end) == _ts(vobj_end) == start + 30 * 60
    assert b"drawn 30 minutes long" in data.replace(b"\r\n ", b"")


def test_both_occurrences_of_0130_are_one_hour_apart_in_the_calendar() -> None:
    data = to_ics(
        _ledger(("first", "2023-11-05T01:30-04:00"), ("second", "2023-11-05T01:30-05:00"), tz=NY)
    )
    got = _read_back(data)
    for i in range(4):
        gap = _ts(got["title second"][i]) - _ts(got["title first"][i])
        assert gap == 3600
    # RFC 5545 reads a repeated local time as its first occurrence: neither is written
    # with the TZID's wall time, which one reader or another would take for the other
    assert b"TZID=America/New_York:20231105T013000" not in data


def test_a_range_between_the_two_0130s_lasts_an_hour() -> None:
    for text in (
        "2023-11-05T01:30-04:00/2023-11-05T01:30-05:00",
        "[2023-11-05T01:30-04:00..2023-11-05T01:30-05:00]",
    ):
        ((s, e, vs, ve),) = _read_back(to_ics(_ledger(("a", text), tz=NY))).values()
        assert _ts(e) - _ts(s) == _ts(ve) - _ts(vs) == 3600
        w = parse_when(text, tz=NY)
        assert "-04" in show_when(w) and "-05" in show_when(w)
        assert "-05" in describe_when(w)


def test_unambiguous_times_keep_their_tzid() -> None:
    data = to_ics(_ledger(("a", "2023-11-05T03:00"), tz=NY))
    assert b"DTSTART;TZID=America/New_York:20231105T030000" in data
    assert b"DTEND;TZID=America/New_York:20231105T033000" in data


def test_table_and_csv_show_the_real_offset_of_each_occurrence() -> None:
    led = _ledger(("first", "2023-11-05T01:30-04:00"), ("second", "2023-11-05T01:30-05:00"), tz=NY)
    for order in (led.accounts, led.accounts[::-1]):  # whichever is shown first
        chronicle._display.show_when.cache_clear()
        table = to_table(order, columns=["id", "date"], fmt="plain")
        assert "first   2023-11-05 01:30 -04" in table
        assert "second  2023-11-05 01:30 -05" in table
        csv_text = to_csv(order, columns=["id", "date", "edtf"])
        assert "first,2023-11-05 01:30 -04,2023-11-05T01:30-04:00" in csv_text
        assert "second,2023-11-05 01:30 -05,2023-11-05T01:30-05:00" in csv_text
        md = chronicle.to_markdown(order)
        assert "**2023-11-05 01:30 -04** title first" in md
        assert "**2023-11-05 01:30 -05** title second" in md


def test_a_source_published_in_the_repeated_hour_shows_its_offset() -> None:
    srcs = [
        Source(id=id, title=id, kind="news", published=parse_when(text, tz=NY))
        for id, text in (("s1", "2023-11-05T01:30-04:00"), ("s2", "2023-11-05T01:30-05:00"))
    ]
    accounts = [
        Account(id=s.id, kind="k", title=s.id, when=parse_when("2023-11-04", tz=NY),
                citations=[Citation(source=s.id)])
        for s in srcs
    ]  # fmt: skip
    data = to_ics(Ledger(sources=srcs, accounts=accounts, tz=NY)).replace(b"\r\n ", b"")
    assert b"[1] s1 \xe2\x80\x94 2023-11-05 01:30 -04" in data
    assert b"[1] s2 \xe2\x80\x94 2023-11-05 01:30 -05" in data


# -------------------------------------------------- B. the ends of years 1 to 9999

FAR = [
    # (text, zone, DTSTART line, DTEND or DURATION line)
    ("9999-12-31", "UTC", "DTSTART;VALUE=DATE:99991231", "DURATION:P1D"),
    ("9999-12-31", "America/Los_Angeles", "DTSTART;VALUE=DATE:99991231", "DURATION:P1D"),
    ("9999", "Asia/Shanghai", "DTSTART;VALUE=DATE:99990101", "DURATION:P365D"),
    ("9999-Q4", "UTC", "DTSTART;VALUE=DATE:99991001", "DURATION:P92D"),
    ("9999-12-30/9999-12-31", "UTC", "DTSTART;VALUE=DATE:99991230", "DURATION:P2D"),
    ("[..9999-12-31]", "UTC", "DTSTART;VALUE=DATE:99991231", "DURATION:P1D"),
    ("9999-12-31/..", "UTC", "DTSTART;VALUE=DATE:99991231", "DURATION:P1D"),
    ("9999-12/..", "UTC", "DTSTART;VALUE=DATE:99991201", "DTEND;VALUE=DATE:99991202"),
    ("9999-12-31T23:59", "UTC", "DTSTART:99991231T235900Z", "DURATION:PT30M"),
    # late in 9999 no VTIMEZONE can be built (icalendar needs 64 days to spare): UTC
    ("9999-12-31T23:45", "Asia/Shanghai", "DTSTART:99991231T154500Z", "DTEND:99991231T161500Z"),
    ("9999-12-31T10:00", NY, "DTSTART:99991231T150000Z", "DTEND:99991231T153000Z"),
    # 9999-12-31T23:00 in New York is in year 10000 in UTC: an all-day stand-in
    ("9999-12-31T23:00", NY, "DTSTART;VALUE=DATE:99991231", "DURATION:P1D"),
    ("0001-01-01", NY, "DTSTART;VALUE=DATE:00010101", "DTEND;VALUE=DATE:00010102"),
    ("0001", NY, "DTSTART;VALUE=DATE:00010101", "DTEND;VALUE=DATE:00020101"),
    ("[..0001-01-01]", NY, "DTSTART;VALUE=DATE:00010101", "DTEND;VALUE=DATE:00010102"),
    ("0001-01-01/..", NY, "DTSTART;VALUE=DATE:00010101", "DTEND;VALUE=DATE:00010102"),
    ("0001-01-01T00:00", NY, "DTSTART;TZID=America/New_York:00010101T000000", "DTEND;TZID="),
    # 00:30 on 1 January 1 in Shanghai is in year 0 in UTC: an all-day stand-in
    ("0001-01-01T00:30", "Asia/Shanghai", "DTSTART;VALUE=DATE:00010101", "DTEND;VALUE=DATE:00010102"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "tz", "start", "end"), FAR)
def test_far_dates_export_and_read_back(text: str, tz: str, start: str, end: str) -> None:
    led = _ledger(("a", text), tz=tz)
    data = to_ics(led)
    lines = data.decode("utf-8").split("\r\n")
    event = lines[lines.index("BEGIN:VEVENT") :]
    assert start in event
    assert any(line.startswith(end) for line in event)
    assert not ("DTEND" in end and any(x.startswith("DURATION") for x in event))
    got = _read_back(data)  # both readers accept the file
    ((ical_start, _, vobj_start, _),) = got.values()
    if isinstance(ical_start, dt.datetime) and ical_start.year > 1:
        assert _ts(ical_start) == _ts(vobj_start) == parse_when(text, tz=tz).earliest.timestamp()
    elif isinstance(ical_start, dt.datetime):  # vobject reads local mean time (-4:56:02) as -5
        assert _ts(ical_start) == parse_when(text, tz=tz).earliest.timestamp()
    else:
        assert ical_start == vobj_start
    # the other exporters were already fine; they stay so
    assert chronicle.to_table(led) and chronicle.to_csv(led) and chronicle.to_markdown(led)


def test_stand_ins_at_the_edges_say_so() -> None:
    data = to_ics(_ledger(("a", "9999-12-31T23:00"), tz=NY)).replace(b"\r\n ", b"")
    assert b"SUMMARY:[9999-12-31 23:00 -05] title a" in data
    assert b"Calendar: shown as an all-day event: in UTC its time falls outside years 1" in data


def test_cli_export_ics_of_a_far_date(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "far.toml"
    path.write_text(
        '[ledger]\ntz = "UTC"\n[[source]]\nid = "s"\ntitle = "S"\nkind = "news"\n'
        '[[account]]\nid = "far"\nkind = "launch"\ntitle = "far future"\nwhen = "9999-12-31"\n'
        '[[account.citations]]\nsource = "s"\n',
        encoding="utf-8",
    )
    assert main(["export", "ics", str(path)]) == 0
    out = capsys.readouterr().out
    assert "DTSTART;VALUE=DATE:99991231" in out and "DURATION:P1D" in out


# ------------------------------------------------------ C. pipes in Markdown tables


def _pipe_ledger() -> Ledger:
    led = _ledger(("a", "2023-03-16"), ("b", "2023-03-17"), tz="UTC")
    a, b = led.accounts
    return Ledger(
        sources=list(led.sources.values()),
        accounts=[
            Account(
                id=a.id,
                kind="k",
                title="Title | with pipe",
                when=a.when,
                citations=a.citations,
                place="A|B 北京",
            ),
            Account(
                id=b.id, kind="k", title=r"back\|slash 文心一言", when=b.when, citations=b.citations
            ),
        ],
        tz="UTC",
    )


def test_github_and_pipe_tables_escape_pipes() -> None:
    led = _pipe_ledger()
    cols = ["date", "title", "place"]
    assert to_table(led, fmt="github", columns=cols) == (
        "| date       | title                  | place     |\n"
        "|------------|------------------------|-----------|\n"
        "| 2023-03-16 | Title \\| with pipe     | A\\|B 北京 |\n"
        "| 2023-03-17 | back\\\\\\|slash 文心一言 |           |"
    )
    assert to_table(led, fmt="pipe", columns=cols).splitlines()[2] == (
        "| 2023-03-16 | Title \\| with pipe     | A\\|B 北京 |"
    )
    # every line of the table has as many unescaped | as the header row
    for fmt in ("github", "pipe"):
        lines = to_table(led, fmt=fmt, columns=cols).splitlines()
        counts = {line.replace("\\\\", "").replace("\\|", "").count("|") for line in lines}
        assert counts == {4}


def test_other_formats_are_unchanged() -> None:
    led = _pipe_ledger()
    cols = ["date", "title", "place"]
    assert to_table(led, fmt="plain", columns=cols) == (
        "date        title                 place\n"
        "2023-03-16  Title | with pipe     A|B 北京\n"
        "2023-03-17  back\\|slash 文心一言"
    )
    for fmt in ("simple", "grid"):
        assert "Title | with pipe" in to_table(led, fmt=fmt, columns=cols)
    assert "Title &#124; with pipe" in to_table(led, fmt="mediawiki", columns=cols)


def test_cli_table_github_escapes_pipes(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    path = tmp_path / "l.json"
    path.write_text(chronicle.to_json(_pipe_ledger()), encoding="utf-8")
    assert main(["table", str(path), "-f", "github", "-c", "date,title,place"]) == 0
    out = capsys.readouterr().out
    assert "| 2023-03-16 | Title \\| with pipe     | A\\|B 北京 |" in out


@pytest.mark.parametrize("width", [36, 40])
def test_fitting_a_width_still_escapes(width: int) -> None:
    """The escapes count towards the width (found by review: they were added after it)."""
    from wcwidth import wcswidth

    led = _pipe_ledger()
    text = to_table(led, fmt="github", columns=["date", "title", "place"], width=width)
    for line in text.splitlines():
        assert line.replace("\\\\", "").replace("\\|", "").count("|") == 4
        assert wcswidth(line) <= width


def test_the_timeline_draws_a_range_between_the_two_repeated_times_as_a_range() -> None:
    """Found by review: the HTML timeline took it for a point (DateTime == ignores fold)."""
    from chronicle._html import _is_point

    w = chronicle.parse_when(
        "[2023-11-05T01:30-04:00..2023-11-05T01:30-05:00]", tz="America/New_York"
    )
    assert isinstance(w, chronicle.When)
    assert not w.is_instant and not _is_point(w)
    assert _is_point(chronicle.parse_when("2023-11-05T01:30-05:00", tz="America/New_York"))
