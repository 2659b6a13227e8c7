"""EDTF reading and writing, table-driven (tz Asia/Shanghai unless the text has an offset)."""

from __future__ import annotations

import pytest

from chronicle import ParseError, Span, When, parse_when

SH = "Asia/Shanghai"
END = "T23:59:59.999999+08:00"
START = "T00:00:00+08:00"

# text, earliest, latest (None = open), precision, canonical EDTF
CASES = [
    ("2022", "2022-01-01" + START, "2022-12-31" + END, "year", "2022"),
    ("2022-09", "2022-09-01" + START, "2022-09-30" + END, "month", "2022-09"),
    ("2023-02", "2023-02-01" + START, "2023-02-28" + END, "month", "2023-02"),
    ("2024-02", "2024-02-01" + START, "2024-02-29" + END, "month", "2024-02"),
    ("2023-03-16", "2023-03-16" + START, "2023-03-16" + END, "day", "2023-03-16"),
    ("2022-33", "2022-01-01" + START, "2022-03-31" + END, "quarter", "2022-33"),
    ("2022-34", "2022-04-01" + START, "2022-06-30" + END, "quarter", "2022-34"),
    ("2022-35", "2022-07-01" + START, "2022-09-30" + END, "quarter", "2022-35"),
    ("2022-36", "2022-10-01" + START, "2022-12-31" + END, "quarter", "2022-36"),
    ("2023-40", "2023-01-01" + START, "2023-06-30" + END, "half", "2023-40"),
    ("2023-41", "2023-07-01" + START, "2023-12-31" + END, "half", "2023-41"),
    ("2022-21", "2022-03-01" + START, "2022-05-31" + END, "month", "[2022-03..2022-05]"),
    ("2022-22", "2022-06-01" + START, "2022-08-31" + END, "month", "[2022-06..2022-08]"),
    ("2022-23", "2022-09-01" + START, "2022-11-30" + END, "month", "[2022-09..2022-11]"),
    ("2022-24", "2022-12-01" + START, "2023-02-28" + END, "month", "[2022-12..2023-02]"),
    ("2022-25", "2022-03-01" + START, "2022-05-31" + END, "month", "[2022-03..2022-05]"),
    ("2022-29", "2022-09-01" + START, "2022-11-30" + END, "month", "[2022-09..2022-11]"),
    ("2022-32", "2022-06-01" + START, "2022-08-31" + END, "month", "[2022-06..2022-08]"),
    ("2022-37", "2022-01-01" + START, "2022-04-30" + END, "month", "[2022-01..2022-04]"),
    ("2022-39", "2022-09-01" + START, "2022-12-31" + END, "month", "[2022-09..2022-12]"),
    ("2022-09~", "2022-09-01" + START, "2022-09-30" + END, "month", "2022-09~"),
    ("2022-09?", "2022-09-01" + START, "2022-09-30" + END, "month", "2022-09?"),
    ("2022-09%", "2022-09-01" + START, "2022-09-30" + END, "month", "2022-09%"),
    ("201X", "2010-01-01" + START, "2019-12-31" + END, "year", "[2010..2019]"),
    ("20XX", "2000-01-01" + START, "2099-12-31" + END, "year", "[2000..2099]"),
    ("2022-XX", "2022-01-01" + START, "2022-12-31" + END, "month", "[2022-01..2022-12]"),
    ("2022-09-XX", "2022-09-01" + START, "2022-09-30" + END, "day", "[2022-09-01..2022-09-30]"),
    ("[..2023-03-17]", None, "2023-03-17" + END, "day", "[..2023-03-17]"),
    ("[2023-02..]", "2023-02-01" + START, None, "month", "[2023-02..]"),
    ("[2022-11..2022-12]", "2022-11-01" + START, "2022-12-31" + END, "month", "[2022-11..2022-12]"),
    ("[2022, 2023]", "2022-01-01" + START, "2023-12-31" + END, "year", "[2022..2023]"),
    (
        "[2022-11..2022-12]~",
        "2022-11-01" + START,
        "2022-12-31" + END,
        "month",
        "[2022-11..2022-12]~",
    ),
    (
        "[..2023-03-17T14:00:00+08:00]",
        None,
        "2023-03-17T14:00:00+08:00",
        "second",
        "[..2023-03-17T14:00:00+08:00]",
    ),
    (
        "[..2023-03-17T14:00+08:00]",
        None,
        "2023-03-17T14:00:00+08:00",
        "minute",
        "[..2023-03-17T14:00+08:00]",
    ),
    (
        "2023-03-17T14:00:00+08:00",
        "2023-03-17T14:00:00+08:00",
        "2023-03-17T14:00:00+08:00",
        "second",
        "2023-03-17T14:00:00+08:00",
    ),
    (
        "2023-03-17T14+08:00",
        "2023-03-17T14:00:00+08:00",
        "2023-03-17T14:00:00+08:00",
        "hour",
        "2023-03-17T14+08:00",
    ),
    (
        "2023-03-17T14:00",
        "2023-03-17T14:00:00+08:00",
        "2023-03-17T14:00:00+08:00",
        "minute",
        "2023-03-17T14:00+08:00",
    ),
    (
        "2023-03-17 14:00",
        "2023-03-17T14:00:00+08:00",
        "2023-03-17T14:00:00+08:00",
        "minute",
        "2023-03-17T14:00+08:00",
    ),
    (
        "2023-03-17T06:00Z",
        "2023-03-17T06:00:00+00:00",
        "2023-03-17T06:00:00+00:00",
        "minute",
        "2023-03-17T06:00Z",
    ),
    ("2022-W35", "2022-08-29" + START, "2022-09-04" + END, "week", "2022-W35"),
    ("2020-W53", "2020-12-28" + START, "2021-01-03" + END, "week", "2020-W53"),
    ("Y2022", "2022-01-01" + START, "2022-12-31" + END, "year", "2022"),
    ("２０２２－０９", "2022-09-01" + START, "2022-09-30" + END, "month", "2022-09"),
]


@pytest.mark.parametrize(("text", "earliest", "latest", "precision", "edtf"), CASES)
def test_edtf_reading(
    text: str, earliest: str | None, latest: str | None, precision: str, edtf: str
) -> None:
    w = parse_when(text, tz=SH)
    assert isinstance(w, When)
    iso = lambda d: None if d is None else d.isoformat()  # noqa: E731
    assert (iso(w.earliest), iso(w.latest), w.precision.label) == (earliest, latest, precision)
    assert w.to_edtf() == edtf
    assert w.text == text
    assert parse_when(edtf, tz=w.tz) == w


SPANS = [
    ("2022-12/2023-02", "2022-12-01" + START, "2023-02-28" + END, "2022-12/2023-02"),
    ("2023-03-16/..", "2023-03-16" + START, None, "2023-03-16/.."),
    ("2023-03-16/", "2023-03-16" + START, None, "2023-03-16/.."),
    ("../2023", None, "2023-12-31" + END, "../2023"),
    ("/2023", None, "2023-12-31" + END, "../2023"),
    ("2022-36/2023-40", "2022-10-01" + START, "2023-06-30" + END, "2022-36/2023-40"),
    ("2022~/2023?", "2022-01-01" + START, "2023-12-31" + END, "2022~/2023?"),
]


@pytest.mark.parametrize(("text", "earliest", "latest", "edtf"), SPANS)
def test_edtf_intervals(text: str, earliest: str | None, latest: str | None, edtf: str) -> None:
    s = parse_when(text, tz=SH)
    assert isinstance(s, Span)
    iso = lambda d: None if d is None else d.isoformat()  # noqa: E731
    assert (iso(s.earliest), iso(s.latest)) == (earliest, latest)
    assert s.to_edtf() == edtf
    assert parse_when(edtf, tz=SH) == s


def test_named_zone_kept_only_when_the_offset_agrees() -> None:
    assert parse_when("2023-03-17T14:00+08:00", tz=SH).tz == SH
    assert parse_when("2023-03-17T14:00+09:00", tz=SH).tz == "+09:00"
    assert parse_when("2023-03-17T14:00+08:00").tz == "+08:00"


BAD = [
    ("2023-13-45", "month 13 is out of range", 5),
    ("2023-02-30", "day 30 is out of range 1-28 in 2023-02", 8),
    ("2022-42", "month 42 is out of range", 5),
    ("2023-03-17T25:00", "hour 25 is out of range", 11),
    ("0000", "years before 1 CE", 0),
    ("9999-12-31T23:00-05:00", "this instant is outside years 1-9999 in UTC", 0),
    ("9999-W52", "week 52 of 9999 ends after year 9999", 0),
    ("2023-03-16T14:00+12:75", "bad UTC offset '+12:75'", 16),  # found by review
    ("2023-03-16T14:00-24:00", "bad UTC offset '-24:00'", 16),
    ("2023-03-\u0661\u0666%", None, None),  # digits of another script: no fast path (review)
    ("9999-24", "9999-24 ends after year 9999", 0),
    ("[2023..2022]", "ends before it starts", 1),
    ("2022-W54", "week 54 does not exist", 6),
    ("2/1/3", "exactly one '/'", 3),
    ("[2022", "must close", 4),
    ("{2022,2023}", None, None),
    ("2X22", "unspecified digits", 0),
]


@pytest.mark.parametrize(("text", "message", "position"), BAD)
def test_bad_edtf(text: str, message: str | None, position: int | None) -> None:
    with pytest.raises(ParseError) as info:
        parse_when(text)
    err = info.value
    assert isinstance(err, ValueError)  # a ParseError is also a ValueError
    assert err.text == text
    if message is not None:
        assert message in str(err)
        assert err.position == position
        # the caret line points at the offending text
        lines = str(err).splitlines()
        assert lines[-2].strip() == text
        assert lines[-1].index("^") - 2 == position


def test_error_caret_is_drawn_under_the_bad_part() -> None:
    with pytest.raises(ParseError) as info:
        parse_when("2023-13-45")
    assert str(info.value).splitlines()[1:] == ["  2023-13-45", "       ^~"]
