"""The When/Span model: construction, relations, sort order, EDTF round trip."""

from __future__ import annotations

import itertools
import random

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import ChronicleError, Precision, Span, When, parse_when
from chronicle._calendar import get_zone, to_us, unit_start
from tests.strategies import spans, whens

SH = "Asia/Shanghai"


def w(text: str, tz: str = SH) -> When:
    r = parse_when(text, tz=tz)
    assert isinstance(r, When)
    return r


# -- properties -------------------------------------------------------------------------


@given(whens())
def test_edtf_round_trip(x: When) -> None:
    again = parse_when(x.to_edtf(), tz=x.tz)
    assert again == x
    assert again.to_edtf() == x.to_edtf()


@given(spans())
def test_span_edtf_round_trip(x: Span) -> None:
    assert parse_when(x.to_edtf(), tz=x.tz) == x


@given(st.lists(st.one_of(whens(), spans()), max_size=30))
def test_sort_is_total_and_never_raises(items: list[When | Span]) -> None:
    once = sorted(items)
    shuffled = items[:]
    random.Random(0).shuffle(shuffled)
    assert [i.sort_key for i in sorted(shuffled)] == [i.sort_key for i in once]
    for a, b in itertools.pairwise(once):
        assert not b < a


@given(whens(), whens())
def test_sort_agrees_with_certainly_before(a: When, b: When) -> None:
    if a.certainly_before(b):
        assert a < b
        assert not b.certainly_before(a)
        assert a.possibly_before(b)
        assert a.is_before(b) is True
        assert b.is_before(a) is False


@given(whens(), whens())
def test_intersection_commutes(a: When, b: When) -> None:
    assert a.intersection(b) == b.intersection(a)


@given(whens(), whens())
def test_intersection_is_within_both(a: When, b: When) -> None:
    r = a.intersection(b)
    if r is None:
        assert a.disjoint(b)
    else:
        assert r.within(a) and r.within(b)
        assert parse_when(r.to_edtf(), tz=r.tz) == r


@given(whens(), whens())
def test_within_implies_overlaps(a: When, b: When) -> None:
    if a.within(b):
        assert a.overlaps(b)
    assert a.overlaps(b) == b.overlaps(a)
    assert a.disjoint(b) == (not a.overlaps(b))


@given(whens())
def test_a_when_is_within_and_overlaps_itself(a: When) -> None:
    assert a.within(a) and a.overlaps(a)
    assert a.intersection(a) == a


# -- examples ---------------------------------------------------------------------------


def test_design_table_bounds() -> None:
    sept = w("2022-09")
    assert sept.earliest == pendulum.datetime(2022, 9, 1, tz=SH)
    assert sept.latest == pendulum.datetime(2022, 9, 30, 23, 59, 59, 999999, tz=SH)
    assert sept.precision is Precision.MONTH
    by = w("[..2023-03-17T14:00:00+08:00]")
    assert by.earliest is None
    assert by.latest == pendulum.datetime(2023, 3, 17, 14, tz=SH)
    assert by.tz == SH  # the offset agrees with the named zone, so the name is kept
    q4 = w("2022-36")
    assert (q4.earliest, q4.latest) == (
        pendulum.datetime(2022, 10, 1, tz=SH),
        pendulum.datetime(2022, 12, 31, 23, 59, 59, 999999, tz=SH),
    )
    approx = w("2022-09~")
    assert approx.approximate and approx.earliest == sept.earliest and approx.latest == sept.latest
    assert approx != sept


def test_zone_changes_the_day() -> None:
    assert w("2023-03-16", "UTC").overlaps(w("2023-03-16", SH))
    assert w("2023-03-16", "UTC") != w("2023-03-16", SH)
    assert w("2023-03-16", SH).earliest == pendulum.datetime(2023, 3, 15, 16, tz="UTC")


def test_relations_on_examples() -> None:
    year, dec, sept = w("2022"), w("2022-12"), w("2022-09")
    assert dec.within(year) and not year.within(dec)
    assert year.intersection(dec) == dec
    assert sept.certainly_before(dec)
    assert sept.intersection(dec) is None and sept.disjoint(dec)
    assert year.is_before(dec) is None
    by = w("[..2023-03-17T14:00:00+08:00]")
    assert by.possibly_before(w("2023-03-17")) and not by.certainly_before(w("2023-03-17"))
    assert w("2022").certainly_before(by) is False  # open start: not known


def test_intersection_of_week_and_month_falls_back_to_days() -> None:
    r = w("2022-W35").intersection(w("2022-09"))
    assert r is not None
    assert r.precision is Precision.DAY
    assert r.to_edtf() == "[2022-09-01..2022-09-04]"


def test_intersection_of_instant_range_and_day() -> None:
    r = w("2023-03-17").intersection(w("[2023-03-17T10:00+08:00..]"))
    assert r is not None
    assert r.to_edtf() == "[2023-03-17T10:00+08:00..2023-03-17]"
    assert parse_when(r.to_edtf(), tz=SH) == r


def test_open_bounds_sort_first_and_last() -> None:
    items = [w("2022"), w("[..2021]"), w("[2020..]"), w("2021-06")]
    assert [i.to_edtf() for i in sorted(items)] == ["[..2021]", "[2020..]", "2021-06", "2022"]


def test_when_rejects_misaligned_bounds() -> None:
    tz = get_zone(SH)
    with pytest.raises(ChronicleError, match="not edges of a month"):
        When(pendulum.datetime(2022, 9, 2, tz=tz), None, "month", SH)
    with pytest.raises(ChronicleError, match="at least one bound"):
        When(None, None, "day", SH)
    with pytest.raises(ChronicleError, match="aware pendulum DateTime"):
        When(pendulum.naive(2022, 9, 1), None, "month")  # type: ignore[arg-type]
    with pytest.raises(ChronicleError, match="after latest"):
        When(
            pendulum.datetime(2023, 1, 1, tz=tz),
            pendulum.datetime(2022, 1, 1, 23, 59, 59, 999999, tz=tz),
            "day",
            SH,
        )


def test_when_is_immutable_and_hashable() -> None:
    x = w("2022-09")
    with pytest.raises(AttributeError):
        x.tz = "UTC"  # type: ignore[misc]
    assert len({x, w("2022-09"), w("2022-10")}) == 2


def test_text_and_inferred_do_not_take_part_in_equality() -> None:
    a = parse_when("去年9月", ref="2023-03-24", tz=SH)
    b = w("2022-09")
    assert a == b and a.text == "去年9月" and a.inferred and not b.inferred


def test_span_properties() -> None:
    s = parse_when("2022-12/2023-02", tz=SH)
    assert isinstance(s, Span)
    assert s.precision is Precision.MONTH
    assert s.overlaps(w("2023-01")) and w("2023-01").within(s)
    assert parse_when("2023-03-16/..", tz=SH).latest is None
    with pytest.raises(ChronicleError, match="ends"):
        parse_when("2023/2022")


def test_sorting_a_million_mixed_values_is_covered_by_bench() -> None:
    # correctness of the key on a mixed sample; the 1M run lives in bench/parse.py
    items: list[When | Span] = [w("2022"), parse_when("2022-12/2023-02", tz=SH), w("[..2022-06]")]
    assert sorted(items)[0].to_edtf() == "[..2022-06]"


def test_a_day_that_starts_late_because_of_dst() -> None:
    # Asia/Shanghai skipped 1949-05-01 00:00-01:00: that day (and month) starts at 01:00+09:00
    may = parse_when("1949-05", tz=SH)
    assert may.earliest is not None and may.earliest.isoformat() == "1949-05-01T01:00:00+09:00"
    assert parse_when(may.to_edtf(), tz=SH) == may
    day = When.unit(pendulum.datetime(1949, 5, 1, 12, tz=SH), "day")
    assert day.earliest is not None and day.earliest.hour == 1


@pytest.mark.parametrize("tz", ["America/Sao_Paulo", "America/Havana", "Europe/London"])
def test_days_tile_time_with_no_gap_or_overlap(tz: str) -> None:
    # every day of twenty years: Sao Paulo and Havana moved their clocks at midnight (so
    # 2016-02-20 in Sao Paulo lasts 25 hours, and ends at the second 23:59:59.999999)
    day = pendulum.Date(2000, 1, 1)
    this = parse_when(day.isoformat(), tz=tz)
    for _ in range(20 * 365):
        day = day + pendulum.duration(days=1)
        after = parse_when(day.isoformat(), tz=tz)
        assert this._l is not None and after._e is not None
        assert this._l + 1 == after._e, (this, after)
        this = after


@pytest.mark.parametrize(
    ("text", "latest"),
    [
        ("2016-02-20", "2016-02-20T23:59:59.999999-03:00"),  # the clocks went back at midnight
        ("2016-02", "2016-02-29T23:59:59.999999-03:00"),
        ("2018-11-04", "2018-11-04T23:59:59.999999-02:00"),  # forward at midnight
    ],
)
def test_a_day_that_ends_twice_ends_the_second_time(text: str, latest: str) -> None:
    w = parse_when(text, tz="America/Sao_Paulo")
    # (compared as text: == between zones is always False for a wall time that occurs twice)
    assert w.latest.isoformat() == latest
    assert w._l == to_us(pendulum.parse(latest))


@pytest.mark.parametrize(
    ("text", "tz"),
    [
        ("17 Mar 2023 14:00 UTC – 18 Mar 2023", "Asia/Shanghai"),
        ("16 Mar 2023 – 17 Mar 2023 2pm UTC", "America/New_York"),
        ("2023-03-17T14:00Z/2023-03", "Asia/Shanghai"),
        ("2023-03-17T14:00Z/2023-03-18T10:00+08:00", "Asia/Shanghai"),  # two clock times
        ("2023-03-17T14:00+08:00/2023-03-18T10:00Z", "Asia/Shanghai"),
    ],
)
def test_a_span_with_a_clock_time_in_another_zone_survives_its_edtf(text: str, tz: str) -> None:
    """Found by review: the span's zone was its start's, so the end's day was re-read in UTC."""
    s = parse_when(text, tz=tz)
    assert isinstance(s, Span)
    assert s.tz == tz
    again = parse_when(s.to_edtf(), tz=s.tz)
    assert again == s
    assert (again._e, again._l) == (s._e, s._l)


def test_the_two_repeated_clock_times_are_not_equal() -> None:
    """Found by review: aware datetimes in one zone compare by wall time, fold ignored."""
    first = parse_when("2023-11-05T01:30-04:00", tz="America/New_York")
    second = parse_when("2023-11-05T01:30-05:00", tz="America/New_York")
    assert isinstance(first, When) and isinstance(second, When)
    assert first != second and hash(first) != hash(second)
    assert second._e - first._e == 3_600_000_000
    assert len({first, second}) == 2
    both = parse_when(f"[{first.to_edtf()}..{second.to_edtf()}]", tz="America/New_York")
    assert both.to_edtf() == "[2023-11-05T01:30-04:00..2023-11-05T01:30-05:00]"
    assert parse_when(both.to_edtf(), tz=both.tz) == both


# ------------------------------------------------------------------------- floors


def test_a_floor_closes_the_open_start_of_a_by_date() -> None:
    w = parse_when("至3月17日下午2点", ref="2023-03-24", tz="Asia/Shanghai", floor="3月16日")
    assert isinstance(w, When)
    assert w.earliest == pendulum.datetime(2023, 3, 16, tz="Asia/Shanghai")
    assert w.latest == pendulum.datetime(2023, 3, 17, 14, tz="Asia/Shanghai")
    assert w.inferred and w.text == "至3月17日下午2点"
    assert w.precision is Precision.HOUR
    assert parse_when(w.to_edtf(), tz=w.tz) == w


def test_a_floor_in_another_zone_is_the_same_instant() -> None:
    floor = parse_when("2023-03-16", tz="UTC")
    w = parse_when("by 17 Mar 2023 14:00", tz="Asia/Shanghai", floor=floor)
    assert w.earliest == floor.earliest
    assert w.tz == "Asia/Shanghai"


def test_a_floor_leaves_a_date_with_a_start_as_it_is() -> None:
    assert parse_when("2023-03-16", floor="2022") == parse_when("2023-03-16")
    span = parse_when("2022/2023")
    assert parse_when("2022/2023", floor="2020") == span
    with pytest.raises(ChronicleError, match="is after"):  # but never contradicts it
        parse_when("2023-03-16", floor="2023-03-20")


def test_a_relative_floor_needs_a_reference() -> None:
    from chronicle import ReferenceRequired

    with pytest.raises(ReferenceRequired, match="the floor '3月16日' is relative"):
        parse_when("[..2023-03-17]", floor="3月16日")


@pytest.mark.parametrize(
    ("floor", "message"),
    [
        ("3月18日", "is after"),
        ("3月17日下午2点半", "is after"),  # after 14:00, though within its hour
        ("[..2023-03-01]", "has no earliest bound"),
        ("Smarch", "the floor 'Smarch': cannot read"),
        ("0001-01-01", "too early"),  # 00:00 in Shanghai is still year 0 in UTC
    ],
)
def test_a_floor_that_cannot_close_the_date_is_an_error(floor: str, message: str) -> None:
    with pytest.raises(ChronicleError, match=message):
        parse_when("至3月17日下午2点", ref="2023-03-24", tz="Asia/Shanghai", floor=floor)


def test_a_floor_must_be_a_date() -> None:
    with pytest.raises(TypeError, match="floor must be"):
        parse_when("[..2023-03-17]", floor=20230316)  # type: ignore[arg-type]


def test_a_floor_within_the_dates_unit_closes_it_at_the_units_start() -> None:
    w = parse_when("[..2000]", tz="Asia/Shanghai", floor=parse_when("2000-06-15"))
    assert w.earliest == pendulum.datetime(2000, 1, 1, tz="Asia/Shanghai")


@given(whens(), whens(open_bounds=False))
def test_a_floor_gives_a_date_that_reads_back(w: When, floor: When) -> None:
    zone = get_zone(w.tz)
    assert floor.earliest is not None
    if w.latest is not None and floor.earliest > w.latest:
        with pytest.raises(ChronicleError, match="is after"):
            parse_when(w.to_edtf(), tz=w.tz, floor=floor)
        return
    try:
        closed = parse_when(w.to_edtf(), tz=w.tz, floor=floor)
    except ChronicleError as e:
        message = str(e)
        closed = None
    if closed is None:  # only a floor that reaches before year 1 in UTC
        assert w.earliest is None and "too early" in message
        return
    start = unit_start(floor.earliest.in_timezone(zone), w.precision, zone)
    if w.earliest is not None:
        assert closed == parse_when(w.to_edtf(), tz=w.tz)
        return
    assert isinstance(closed, When)
    assert closed.earliest == start <= floor.earliest
    assert closed.latest == w.latest
    assert parse_when(closed.to_edtf(), tz=closed.tz) == closed
