"""The seed chronology in events/: it loads cleanly, and its facts are the article's."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pendulum
import pytest

import chronicle
from chronicle.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "seed" / "article-2023-03-24-leiphone.txt"
SH = "Asia/Shanghai"


@pytest.fixture(scope="module")
def seed() -> chronicle.Ledger:
    return chronicle.load(ROOT / "events")


def test_check_reports_nothing() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(ROOT / "events")], stdout=out, stderr=err) == 0
    assert out.getvalue() == ""


def start(y: int, m: int, d: int = 1) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, tz=SH)


def end(y: int, m: int, d: int) -> pendulum.DateTime:
    return pendulum.datetime(y, m, d, 23, 59, 59, 999999, tz=SH)


def test_the_five_card_facts(seed: chronicle.Ledger) -> None:
    tongyi = seed.account("tongyi-launch-leiphone").when
    assert (tongyi.earliest, tongyi.latest, tongyi.precision.label) == (
        start(2022, 9),
        end(2022, 9, 30),
        "month",
    )
    assert tongyi.text == "去年9月" and tongyi.inferred

    base = seed.account("ai-big-base-release-leiphone-p45").when
    assert (base.earliest, base.latest, base.precision.label) == (
        start(2022, 12),
        end(2022, 12, 31),
        "month",
    )

    mlops = seed.account("baidu-ai-cloud-mlops-upgrade-leiphone").when
    assert (mlops.earliest, mlops.latest, mlops.precision.label) == (
        start(2023, 2),
        end(2023, 2, 28),
        "month",
    )

    ernie = seed.account("ernie-bot-launch-leiphone").when
    assert (ernie.earliest, ernie.latest, ernie.precision.label) == (
        start(2023, 3, 16),
        end(2023, 3, 16),
        "day",
    )

    apps = seed.account("ernie-bot-api-applications-leiphone")
    assert apps.when.earliest is None
    assert apps.when.latest == pendulum.datetime(2023, 3, 17, 14, tz=SH)
    q = apps.quantity
    assert q is not None
    assert (q.value, q.bound, q.unit) == (80000, chronicle.Bound.AT_LEAST, "enterprises")
    assert q.as_of is not None and q.as_of.latest == pendulum.datetime(2023, 3, 17, 14, tz=SH)


def test_money_is_scaled(seed: chronicle.Ledger) -> None:
    rd = [
        a
        for a in seed
        if a.quantity and a.quantity.unit == "CNY" and a.quantity.value == 21_416_000_000
    ]
    assert rd, "Baidu's 2022 R&D expense of 214.16亿元"
    assert rd[0].when.to_edtf() == "2022"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(not ARTICLE.exists(), reason="../shared/seed is not beside this checkout")
def test_every_quote_is_verbatim_from_the_article(seed: chronicle.Ledger) -> None:
    article = _squash(ARTICLE.read_text(encoding="utf-8"))
    quotes = [(a.id, c.quote) for a in seed for c in a.citations if c.quote]
    assert len(quotes) >= len(seed)
    missing = [(i, q) for i, q in quotes if _squash(q) not in article]
    assert not missing


def test_every_account_cites_the_article_with_a_quote(seed: chronicle.Ledger) -> None:
    for a in seed:
        first = a.citations[0]
        assert first.source == "leiphone-2023-03-24" and first.quote and first.locator, a.id
        assert a.when.text, a.id  # the wording of the date is kept


def test_table_is_chronological(seed: chronicle.Ledger) -> None:
    out = io.StringIO()
    assert (
        main(
            ["table", str(ROOT / "events"), "--columns", "id", "--format", "plain"],
            stdout=out,
            stderr=io.StringIO(),
        )
        == 0
    )
    ids = [line.strip() for line in out.getvalue().splitlines()[1:]]
    order = [a.id for a in sorted(seed, key=lambda a: (a.when.sort_key, a.id))]  # ties: by id
    assert ids == order
    assert len(ids) == len(seed) >= 20
