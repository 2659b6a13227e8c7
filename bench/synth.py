"""A deterministic synthetic ledger, written as JSON Lines in the ledger's own format.

``write(path, n)`` writes ``n`` accounts (plus the sources and actors they need) exactly
as ``Ledger.save(path.jsonl)`` would write the same ledger, so that loading the file and
saving it again gives the same bytes (``tests/test_bench.py`` checks this). Same ``n`` and
``seed``, same bytes, on every machine.

The shape follows issue 4:

- dates: ~40% day, ~40% month, ~15% minute with an explicit UTC offset, ~5% year
  precision, all as EDTF (``2023-03-16``, ``2022-09``, ``2023-03-17T14:00+08:00``,
  ``2022``), a few approximate (``2022-09~``); the ledger's zone is Asia/Shanghai, and
  accounts of US actors are read in America/Los_Angeles;
- ~2,000 actors with Chinese and English names and aliases (some aliases in traditional
  script), companies with business units, products and models ``part_of`` them (two levels
  deep for some), and people;
- events with several accounts each (1-5, three on average), each account from a
  different source published within two weeks after the event;
- 15% of accounts carry a quantity, some quote their source, some have an English title.
"""

from __future__ import annotations

__all__ = ["SEED", "cached", "ledger_rows", "write"]

import datetime as _dt
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

SEED = 20230324
VERSION = 4  # bump when the generator's output changes (invalidates cached files)

OUT = Path(__file__).resolve().parent / "out"

LEDGER_TZ = "Asia/Shanghai"
US_TZ = "America/Los_Angeles"
_ZONES = {LEDGER_TZ: ZoneInfo(LEDGER_TZ), US_TZ: ZoneInfo(US_TZ)}

FIRST_DAY = _dt.date(2015, 1, 1)
DAYS = 3653  # 2015-01-01 .. 2024-12-31

# characters for Chinese names, with the syllable used for the English name
_SYLLABLES = [
    "百bai",
    "度du",
    "阿a",
    "里li",
    "腾teng",
    "讯xun",
    "华hua",
    "为wei",
    "字zi",
    "节jie",
    "京jing",
    "东dong",
    "美mei",
    "团tuan",
    "小xiao",
    "米mi",
    "商shang",
    "汤tang",
    "旷kuang",
    "视shi",
    "云yun",
    "从cong",
    "科ke",
    "大da",
    "飞fei",
    "智zhi",
    "谱pu",
    "月yue",
    "之zhi",
    "暗an",
    "面mian",
    "零ling",
    "万wan",
    "物wu",
    "昆kun",
    "仑lun",
    "星xing",
    "辰chen",
    "天tian",
    "工gong",
    "文wen",
    "心xin",
    "通tong",
    "义yi",
    "混hun",
    "元yuan",
    "盘pan",
    "古gu",
    "火huo",
    "启qi",
    "明ming",
    "深shen",
    "求qiu",
    "索suo",
    "灵ling",
    "犀xi",
    "极ji",
    "光guang",
    "海hai",
    "山shan",
    "龙long",
    "凤feng",
    "金jin",
    "新xin",
    "创chuang",
    "未wei",
    "来lai",
    "远yuan",
    "航hang",
    "量liang",
    "子zi",
    "思si",
    "维wei",
    "象xiang",
    "限xian",
    "蓝lan",
    "图tu",
    "锐rui",
    "捷jie",
    "鸿hong",
    "蒙meng",
    "网wang",
    "络luo",
    "数shu",
    "据ju",
    "电dian",
    "脑nao",
    "机ji",
    "器qi",
    "学xue",
    "习xi",
]
_CHARS = [(s[0], s[1:]) for s in _SYLLABLES]
_SURNAMES = [("李", "Li"), ("王", "Wang"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
             ("杨", "Yang"), ("赵", "Zhao"), ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu"),
             ("沈", "Shen"), ("宋", "Song"), ("梁", "Liang"), ("何", "He"), ("林", "Lin")]  # fmt: skip
# simplified -> traditional, for aliases written in traditional script
_TRAD = str.maketrans("云华讯飞龙图东团义汤视从谱暗万仑辰启灵极凤创远航维锐鸿网络数据电脑机器学习门",
                      "雲華訊飛龍圖東團義湯視從譜闇萬崙辰啟靈極鳳創遠航維銳鴻網絡數據電腦機器學習門")  # fmt: skip

_COMPANY_SUFFIX = [("科技", "Technology"), ("智能", "AI"), ("集团", "Group"), ("网络", "Networks"),
                   ("数据", "Data"), ("云", "Cloud")]  # fmt: skip
_UNIT_SUFFIX = [
    ("智能云", "AI Cloud"),
    ("研究院", "Research"),
    ("实验室", "Lab"),
    ("事业群", "Business Group"),
]
_PRODUCT_SUFFIX = [("大模型", "LLM"), ("助手", "Assistant"), ("芯片", "Chip"), ("搜索", "Search"),
                   ("智能体", "Agent"), ("云平台", "Cloud Platform"), ("一言", "Bot")]  # fmt: skip

_KINDS = [  # (kind, zh verb, en verb, weight)
    ("launch", "发布", "launches", 20), ("release", "上线", "releases", 15),
    ("upgrade", "升级", "upgrades", 12), ("announcement", "宣布", "announces", 15),
    ("metric", "用户数突破", "passes", 10), ("financial", "营收达到", "reports revenue of", 5),
    ("partnership", "与伙伴合作推出", "partners on", 8), ("report", "被报道", "is reported on", 10),
    ("statement", "表示", "says", 5),
]  # fmt: skip
_OBJECTS = [("新版本", "a new version"), ("企业服务", "enterprise services"), ("开发者平台", "a developer platform"),
            ("算力中心", "a computing centre"), ("开源模型", "an open model"), ("行业方案", "industry solutions"),
            ("移动应用", "a mobile app"), ("API服务", "an API service"), ("训练集群", "a training cluster")]  # fmt: skip
_TAGS = ["ai", "cloud", "llm", "chips", "funding", "open-source", "search", "mobile", "enterprise",
         "developer", "compute", "policy", "china", "us", "partnership", "pricing", "benchmark",
         "hiring", "research", "security"]  # fmt: skip
_UNITS = [
    ("家", "enterprises"),
    ("万用户", "users"),
    ("亿元", "CNY"),
    ("个", "apps"),
    ("次", "calls"),
]
_OUTLETS = [  # (id stem, name, language, zone or None)
    ("leiphone", "雷峰网", "zh", None), ("36kr", "36氪", "zh", None), ("jiqizhixin", "机器之心", "zh", None),
    ("caixin", "财新", "zh", None), ("sina-tech", "新浪科技", "zh", None), ("xinhua", "新华社", "zh", None),
    ("huxiu", "虎嗅", "zh", None), ("jiemian", "界面新闻", "zh", None), ("yicai", "第一财经", "zh", None),
    ("thepaper", "澎湃新闻", "zh", None), ("scmp", "South China Morning Post", "en", None),
    ("reuters", "Reuters", "en", US_TZ), ("bloomberg", "Bloomberg", "en", US_TZ),
    ("techcrunch", "TechCrunch", "en", US_TZ), ("the-verge", "The Verge", "en", US_TZ),
    ("ft", "Financial Times", "en", None),
]  # fmt: skip
_REPORTERS = ["trendforce", "idc", "gartner", "guosheng", "citic", "iresearch"]


def _rank_weights(n: int) -> list[float]:
    return [1.0 / (i + 20) ** 0.8 for i in range(n)]


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def unique(self, zh: str, en: str) -> tuple[str, str]:
        base_zh, base_en, k = zh, en, 1
        while zh in self.seen or en.lower() in self.seen:
            k += 1
            zh, en = f"{base_zh}{k}", f"{base_en} {k}"
        self.seen.add(zh)
        self.seen.add(en.lower())
        return zh, en

    def stem(self, length: int) -> tuple[str, str]:
        picks = [self.rng.choice(_CHARS) for _ in range(length)]
        return "".join(c for c, _ in picks), "".join(s for _, s in picks).capitalize()


def _actors(rng: random.Random, n_actors: int) -> list[dict[str, Any]]:
    names = _Names(rng)
    n_companies = max(2, n_actors * 15 // 100)
    n_units = n_actors * 8 // 100
    n_people = n_actors * 12 // 100
    n_products = max(1, n_actors - n_companies - n_units - n_people)
    rows: list[dict[str, Any]] = []
    companies: list[tuple[str, str, str]] = []
    for i in range(n_companies):
        zh0, en0 = names.stem(rng.choice((2, 2, 3)))
        sz, se = rng.choice(_COMPANY_SUFFIX)
        zh, en = names.unique(zh0 + sz, f"{en0} {se}")
        aid = f"co{i:04d}"
        aliases = [zh, en, en0, f"{zh0}公司"]
        trad = zh.translate(_TRAD)
        if trad != zh:
            aliases.append(trad)
        rows.append({"id": aid, "name": zh, "kind": "company", "aliases": aliases,
                     "names": {"en": en, "zh": zh}})  # fmt: skip
        companies.append((aid, zh0, en0))
    units: list[tuple[str, str, str]] = []
    for i in range(n_units):
        parent, pzh, pen = companies[rng.randrange(len(companies))]
        sz, se = rng.choice(_UNIT_SUFFIX)
        zh, en = names.unique(pzh + sz, f"{pen} {se}")
        aid = f"un{i:04d}"
        aliases = [zh, en]
        trad = zh.translate(_TRAD)
        if trad != zh:
            aliases.append(trad)
        rows.append({"id": aid, "name": zh, "kind": "organisation", "aliases": aliases,
                     "names": {"en": en, "zh": zh}, "part_of": parent})  # fmt: skip
        units.append((aid, pzh, pen))
    owners = companies + units
    for i in range(n_products):
        parent, pzh, pen = owners[rng.randrange(len(owners))]
        zh0, en0 = names.stem(2)
        sz, se = rng.choice(_PRODUCT_SUFFIX)
        zh, en = names.unique(zh0 + sz, f"{en0} {se}")
        aid = f"pr{i:04d}"
        kind = "model" if sz == "大模型" else "product"
        rows.append({"id": aid, "name": zh, "kind": kind, "aliases": [zh, en, pzh + zh],
                     "names": {"en": en, "zh": zh}, "part_of": parent})  # fmt: skip
    for i in range(n_people):
        (szh, sen), (gzh, gen) = rng.choice(_SURNAMES), names.stem(2)
        zh, en = names.unique(szh + gzh, f"{gen} {sen}")
        rows.append({"id": f"pe{i:04d}", "name": zh, "kind": "person", "aliases": [zh, en],
                     "names": {"en": en, "zh": zh}})  # fmt: skip
    return rows


def _offset(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    s = abs(seconds)
    return f"{sign}{s // 3600:02d}:{(s % 3600) // 60:02d}"


def _stated(rng: random.Random, t: _dt.datetime, zone: str) -> str:
    """How one account states the event's time ``t`` (naive wall time in ``zone``)."""
    r = rng.random()
    if r < 0.40:
        return f"{t:%Y-%m-%d}"
    if r < 0.80:
        return f"{t:%Y-%m}" + ("~" if rng.random() < 0.02 else "")
    if r < 0.95:
        aware = t.replace(tzinfo=_ZONES[zone])
        off = aware.utcoffset()
        assert off is not None
        return f"{t:%Y-%m-%dT%H:%M}" + _offset(int(off.total_seconds()))
    return f"{t:%Y}"


def ledger_rows(n: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """The rows of the synthetic ledger with ``n`` accounts, in file order."""
    rng = random.Random(f"{seed}:{n}")
    n_actors = max(20, min(2000, n // 5))
    actors = _actors(rng, n_actors)
    by_id = {a["id"]: a for a in actors}
    doers = [a for a in actors if a["kind"] != "person"]
    people = [a for a in actors if a["kind"] == "person"]
    weights = _rank_weights(len(doers))
    cum = list(_accumulate(weights))

    def us_actor(a: dict[str, Any]) -> bool:  # actors read in America/Los_Angeles
        root = a
        while "part_of" in root:
            root = by_id[root["part_of"]]
        return int(root["id"][2:]) % 4 == 0

    # events, then accounts; sources are made on demand (outlet x ISO week)
    sources: dict[str, dict[str, Any]] = {}
    reports: list[str] = []
    accounts: list[dict[str, Any]] = []
    acc_no = 0
    k = -1
    while acc_no < n:
        k += 1
        kind, vzh, ven, _w = rng.choices(_KINDS, weights=[x[3] for x in _KINDS])[0]
        main = doers[_pick(rng, cum)]
        ids = [main["id"]]
        if rng.random() < 0.3:
            other = doers[_pick(rng, cum)] if rng.random() < 0.7 else rng.choice(people)
            if other["id"] not in ids:
                ids.append(other["id"])
        zone = US_TZ if us_actor(main) else LEDGER_TZ
        day = FIRST_DAY + _dt.timedelta(days=rng.randrange(DAYS))
        t = _dt.datetime(day.year, day.month, day.day, rng.randrange(7, 22), rng.randrange(60))
        ozh, oen = rng.choice(_OBJECTS)
        title_zh = f"{main['name']}{vzh}{ozh}"
        title_en = f"{main['names']['en']} {ven} {oen}"
        tags = sorted(rng.sample(_TAGS, rng.choice((0, 1, 1, 2, 3))))
        quantity: dict[str, Any] | None = None
        if kind in ("metric", "financial") or rng.random() < 0.05:
            uzh, _uen = rng.choice(_UNITS)
            quantity = {"value": rng.randrange(1, 50_000) * rng.choice((1, 10, 100))}
            quantity["unit"] = uzh
            b = rng.random()
            if b < 0.4:
                quantity["bound"] = "at_least"
            elif b < 0.5:
                quantity["bound"] = "about"
        for j in range(rng.choice((1, 2, 3, 3, 4, 5))):
            if acc_no >= n:
                break
            src = _source(rng, sources, reports, t.date() + _dt.timedelta(days=rng.randrange(15)))
            acc: dict[str, Any] = {"id": f"a{acc_no:07d}", "kind": kind}
            acc["title"] = (
                title_zh
                if j == 0 or rng.random() < 0.6
                else f"据{sources[src]['publisher']}报道，{title_zh}"
            )
            acc["when"] = _stated(rng, t, zone)
            cit: dict[str, Any] = {"source": src}
            if rng.random() < 0.5:
                cit["locator"] = f"¶{rng.randrange(1, 40)}"
            if rng.random() < 0.3:
                cit["quote"] = f"{title_zh}。"
            cits = [cit]
            if rng.random() < 0.1 and reports:
                cits.append({"source": rng.choice(reports)})
            acc["citations"] = cits
            acc["event"] = f"e{k:07d}"
            if rng.random() < 0.4:
                acc["translations"] = {"en": title_en}
            acc["actors"] = ids
            if quantity is not None:
                q = dict(quantity)
                if rng.random() < 0.3:
                    q["as_of"] = f"{t:%Y-%m}"
                acc["quantity"] = q
            if tags:
                acc["tags"] = tags
            src_zone = sources[src].get("tz") or LEDGER_TZ
            if zone != src_zone:
                acc["tz"] = zone
            if rng.random() < 0.02:
                acc["note"] = "机器抽取，未经人工核对。"
            accounts.append(acc)
            acc_no += 1
    yield {"type": "ledger", "tz": LEDGER_TZ}
    for sid in sorted(sources):
        yield {"type": "source", **sources[sid]}
    for a in actors:
        yield {"type": "actor", **a}
    for acc in accounts:
        yield {"type": "account", **acc}


def _accumulate(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pick(rng: random.Random, cum: list[float]) -> int:
    import bisect

    return min(len(cum) - 1, bisect.bisect_left(cum, rng.random() * cum[-1]))


def _source(
    rng: random.Random, sources: dict[str, dict[str, Any]], reports: list[str], day: _dt.date
) -> str:
    """A source published on ``day`` by a random outlet (one per outlet and ISO week)."""
    stem, name, lang, zone = rng.choice(_OUTLETS)
    iy, iw, _ = day.isocalendar()
    sid = f"{stem}-{iy}w{iw:02d}"
    if sid not in sources:
        src: dict[str, Any] = {"id": sid, "title": f"{name} {iy}年第{iw}周科技报道", "kind": "news",
                               "publisher": name, "published": f"{day:%Y-%m-%d}", "language": lang,
                               "reliability": 1 + rng.randrange(5)}  # fmt: skip
        if reports and rng.random() < 0.3:
            src["cites"] = sorted({rng.choice(reports) for _ in range(rng.choice((1, 2)))})
        if zone is not None:
            src["tz"] = zone
        sources[sid] = src
        if rng.random() < 0.02:  # now and then an analyst report that later news cites
            rid = f"{rng.choice(_REPORTERS)}-{day:%Y%m%d}"
            if rid not in sources:
                sources[rid] = {"id": rid, "title": f"{rid} 行业报告", "kind": "report",
                                "published": f"{day:%Y-%m-%d}", "reliability": 4}  # fmt: skip
                reports.append(rid)
    return sid


def write(path: str | os.PathLike[str], n: int, seed: int = SEED) -> Path:
    """Write the synthetic ledger with ``n`` accounts to ``path`` (JSON Lines)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f"{p.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for row in ledger_rows(n, seed):
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")
    os.replace(tmp, p)
    return p


def cached(n: int, seed: int = SEED) -> Path:
    """The synthetic ledger with ``n`` accounts under ``bench/out/``, written once."""
    p = OUT / f"synth-v{VERSION}-{seed}-{n}.jsonl"
    if not p.exists():
        write(p, n, seed)
    return p
