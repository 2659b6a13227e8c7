"""Edge cases found in review: each was once read wrongly or crashed late."""

from __future__ import annotations

import pytest

import chronicle
from chronicle import ParseError, ReferenceRequired, parse_when
from chronicle._display import show_when

SH = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("上个月", "[..2023-03-24]"),  # published no later than: no anchor at all
        ("去年", "[..2023-03-24]"),
        ("上个月", "[2023-01..2023-03-24]"),  # only the year is agreed
        ("去年", "[2022-12..2023-01]"),  # not even the year
        ("3月16日", "2023"),
    ],
)
def test_relative_dates_need_a_reference_that_anchors_them(text: str, ref: str) -> None:
    with pytest.raises(ReferenceRequired):
        parse_when(text, ref=ref, tz=SH)


def test_a_reference_range_anchors_what_its_bounds_agree_on() -> None:
    assert parse_when("去年", ref="[2023-01..2023-03-24]", tz=SH).to_edtf() == "2022"
    assert parse_when("上个月", ref="[2023-03-01..2023-03-24]", tz=SH).to_edtf() == "2023-02"


@pytest.mark.parametrize(
    ("text", "tz"),
    [
        ("2023-03-12T02:30", "America/New_York"),
        ("2023-03-26T01:30", "Europe/London"),
        ("2023年3月12日凌晨2点30分", "America/New_York"),
    ],
)
def test_a_clock_time_the_zone_skipped_is_an_error(text: str, tz: str) -> None:
    with pytest.raises(ParseError, match="does not exist"):
        parse_when(text, tz=tz)


def test_a_repeated_clock_time_is_the_first_unless_the_offset_says() -> None:
    first = parse_when("2023-11-05T01:30", tz="America/New_York")
    assert first.earliest is not None and first.earliest.isoformat() == "2023-11-05T01:30:00-04:00"
    second = parse_when("2023-11-05T01:30-05:00", tz="America/New_York")
    assert (
        second.earliest is not None and second.earliest.isoformat() == "2023-11-05T01:30:00-05:00"
    )
    assert second.tz == "America/New_York"


def test_evening_twelve_is_not_noon() -> None:
    with pytest.raises(ParseError, match="midnight"):
        parse_when("2023年3月16日晚上12点", tz=SH)
    assert parse_when("2023年3月16日凌晨12点", tz=SH).to_edtf() == "2023-03-16T00+08:00"
    assert parse_when("2023年3月16日中午12点", tz=SH).to_edtf() == "2023-03-16T12+08:00"


@pytest.mark.parametrize("week", ["2022-W52", "2019-W01", "2020-W53"])
def test_a_week_across_a_new_year_is_shown_as_one_week(week: str) -> None:
    assert show_when(parse_when(week, tz=SH)) == week


def test_records_refuse_text_where_a_date_belongs() -> None:
    with pytest.raises(TypeError, match="parse_when"):
        chronicle.Account(
            id="a", kind="launch", title="t", when="2022",  # type: ignore[arg-type]
            citations=[chronicle.Citation(source="s")],
        )  # fmt: skip
    with pytest.raises(TypeError, match="published must be a When"):
        chronicle.Source(id="s", title="t", kind="news", published="2023-03-24")  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "example.com"])
def test_source_urls_are_web_addresses(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        chronicle.Source(id="s", title="t", kind="news", url=url)


def test_confidence_is_between_zero_and_one() -> None:
    with pytest.raises(ValueError, match="0 to 1"):
        chronicle.Citation(source="s", confidence=7)
