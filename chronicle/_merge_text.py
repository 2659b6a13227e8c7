"""Reading titles for grouping: normalised text, stage words, version tokens, likeness.

Merging uses titles only to keep *different* things apart; the ``event`` key, kind,
actors and dates do the joining. Everything here is a pure function of text.

>>> norm("ＥＲＮＩＥ　Bot 文心一言（邀測）")
'ernie bot 文心一言(邀测)'
>>> sorted(versions(norm("文心一言 2.0 正式发布"))), sorted(versions(norm("ERNIE Bot 4")))
(['2'], ['4'])
>>> sorted(stages(norm("文心一言开启邀测"))), sorted(stages(norm("百度正式发布文心一言")))
(['invitation'], ['formal'])
"""

from __future__ import annotations

__all__ = [
    "STAGES",
    "likeness",
    "norm",
    "residue",
    "stages",
    "versions",
]

import re
import unicodedata
from functools import lru_cache

# A small traditional → simplified table: enough for company and product names and the
# words of launches. Not a converter; names outside it simply stay as written.
_TRAD = (
    "雲華訊飛龍圖東團義湯視從譜萬崙啟靈極鳳創遠維銳鴻網絡數據電腦機學習門測試"
    "發佈開體億導產業務戶與國際廣臺灣長為會們這個來說對時後進現經動實關點還並"
    "於當應統繼續費較處車輛醫療區塊鏈軟"
)
_SIMP = (
    "云华讯飞龙图东团义汤视从谱万仑启灵极凤创远维锐鸿网络数据电脑机学习门测试"
    "发布开体亿导产业务户与国际广台湾长为会们这个来说对时后进现经动实关点还并"
    "于当应统继续费较处车辆医疗区块链软"
)
_T2S = str.maketrans(_TRAD, _SIMP)

_SPACES = re.compile(r"\s+")


_TRAD_CHARS = re.compile(f"[{_TRAD}]")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """NFKC, case-folded, traditional characters simplified (small table), spaces collapsed."""
    t = unicodedata.normalize("NFKC", text).casefold()
    if _TRAD_CHARS.search(t) is not None:  # translating is slow; most titles need none
        t = t.translate(_T2S)
    return " ".join(t.split())  # what ``_SPACES.sub(" ", t).strip()`` gives, faster


# ------------------------------------------------------------------------------ stages

STAGES: dict[str, tuple[str, ...]] = {
    "invitation": (
        "邀测", "邀请测试", "内测", "邀请码", "invitation test", "invitation-only", "invite-only",
        "invite only", "closed beta", "private beta", "private preview",
    ),
    "public-test": ("公测", "public beta", "open beta", "public preview"),
    "formal": (
        "正式发布", "正式上线", "正式推出", "正式版", "正式开放", "全面开放",
        "general availability", "generally available", "formal launch", "formally launch",
        "official launch", "officially launch",
    ),
}  # fmt: skip
"""Stage words: an invitation test and a formal launch of one product are two events.

A title naming no stage is compatible with any stage; two titles naming different
stages never group. Tags with the stage's name (``invitation``, ``public-test``,
``formal``) count too.
"""

_STAGE_WORDS = sorted(((w, s) for s, ws in STAGES.items() for w in ws), key=lambda x: -len(x[0]))
_STAGE_RE = re.compile("|".join(re.escape(w) for w, _ in _STAGE_WORDS))
_STAGE_OF = dict(_STAGE_WORDS)


_NONE: frozenset[str] = frozenset()


def stages(text: str, tags: tuple[str, ...] = ()) -> frozenset[str]:
    """The stages a normalised title (and tags) name."""
    if not tags and _STAGE_RE.search(text) is None:  # most titles name none
        return _NONE
    found = {_STAGE_OF[m.group(0)] for m in _STAGE_RE.finditer(text)} if text else set()
    found.update(t for t in tags if t in STAGES)
    return frozenset(found)


# ---------------------------------------------------------------------------- versions

_CN_DIGITS = dict(zip("一二两三四五六七八九", "1223456789", strict=True)) | {"十": "10"}
_VERSION = re.compile(
    r"(?<![0-9.])v?(\d+(?:\.\d+)+)(?![\d.])"  # 2.0, 3.5, v1.2.3
    r"|(?<![a-z0-9])v(\d+)(?![\d.])"  # v2
    r"|(?<![a-z0-9])[a-z]+[ -]?(\d{1,3})(?![\d.])"  # gpt-4, gpt4, h100, ernie bot 4
    r"|第?([0-9]+|[一二两三四五六七八九十])(?:代|版)"  # 昆仑芯2代, 第二代, 3版
)


def _canon_version(v: str) -> str:
    v = _CN_DIGITS.get(v, v)
    while v.endswith(".0"):
        v = v[:-2]
    return v


# Every version the pattern finds holds a decimal digit (``\d``), 代 or 版: a title with
# none of them names no version, and one search for them is far cheaper than the pattern.
_VERSION_HINT = re.compile(r"[\d代版]")


@lru_cache(maxsize=65536)
def versions(text: str) -> frozenset[str]:
    """Version and generation numbers in a normalised title: ``2.0`` and ``2`` are one."""
    if _VERSION_HINT.search(text) is None:
        return _NONE
    out = set()
    for m in _VERSION.finditer(text):
        v = next(g for g in m.groups() if g is not None)
        out.add(_canon_version(v))
    return frozenset(out)


# ------------------------------------------------------------------------------ likeness

# Words that say *that* something happened, not *what*: the kind says that already.
_FILLER = (
    "发布会", "发布", "推出", "上线", "亮相", "面世", "问世", "宣布", "召开", "举行", "正式",
    "推出了", "发布了", "首次", "全新", "新一代", "开启", "开放", "launches", "launched", "launch",
    "releases", "released", "release", "unveils", "unveiled", "unveil", "introduces", "introduced",
    "introduce", "announces", "announced", "announce", "debuts", "debuted", "debut", "opens",
    "opened", "the", "a", "an", "of", "in", "on", "for", "to", "and", "its", "with", "by",
    "at", "as", "new", "officially", "formally",
)  # fmt: skip
_FILLER_LONGEST = sorted(_FILLER, key=len, reverse=True)
# Two patterns, not one alternation of all the words: a plain alternation of the CJK
# words lets the regex engine skip to a possible first character, which the Latin
# words' look-behinds prevent. Cutting the CJK words first, then the Latin ones, cuts
# exactly what one pass would: the words of the two scripts share no character, so
# their matches never overlap, and a Latin word's look-arounds (ASCII letters and
# digits) see a CJK word and the space that replaces it alike.
_FILLER_CJK = re.compile("|".join(re.escape(w) for w in _FILLER_LONGEST if not w.isascii()))
_FILLER_LATIN = re.compile(
    r"(?<![a-z0-9])(?:"
    + "|".join(re.escape(w) for w in _FILLER_LONGEST if w.isascii())
    + r")(?![a-z0-9])"
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*")


def residue(text: str) -> tuple[str, frozenset[str]]:
    """(script, tokens) of what a normalised title says beyond names, stages and filler.

    Call it on the title with actor names already cut out. Tokens are CJK character
    bigrams and Latin words; the script is ``"cjk"`` when any CJK is left, else ``"latin"``.
    """
    t = _STAGE_RE.sub(" ", text)
    t = _FILLER_LATIN.sub(" ", _FILLER_CJK.sub(" ", t))
    tokens: set[str] = set()
    cjk = False
    for run in _CJK.findall(t):
        cjk = True
        if len(run) == 1:
            tokens.add(run)
        tokens.update(run[i : i + 2] for i in range(len(run) - 1))
    tokens.update(w for w in _WORD.findall(t) if len(w) > 1 or w.isdigit())
    return ("cjk" if cjk else "latin", frozenset(tokens))


def likeness(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two token sets; 1.0 when either is empty (nothing to disagree on).

    >>> likeness(frozenset({"大底", "底座"}), frozenset({"大底", "底座", "ai"}))
    0.8
    """
    if not a or not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))
