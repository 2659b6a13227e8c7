"""Reading natural English and Chinese date phrases into ``When`` and ``Span``.

``parse_natural("去年9月", ref=..., tz="Asia/Shanghai")`` is called by
:func:`chronicle.parse_when` for text that is not EDTF. The text arrives
NFKC-normalised (full-width digits are ASCII) with its spaces collapsed.

How it works: one pre-compiled regular expression cuts the text into tokens
(numbers, Chinese numerals, clock times, English words, Chinese keywords found by
longest match, punctuation), and a small recursive-descent reader walks them:

    phrase   := qualifier* relation? body relation-suffix? qualifier*
    body     := date | date SEP date | "between" date "and" date
    date     := year / half / quarter / month / week / day, a fuzzy part of a year
                or month (see ``_fuzzy.FUZZY``), or a day with a clock time

Relative forms (去年, last month, 3月16日 with no year, ...) are resolved against
``ref``; a missing or too coarse ``ref`` raises :class:`ReferenceRequired`.
Anything unreadable raises :class:`ParseError` pointing at the place where
reading stopped making sense. The supported forms and their conventions are
listed in ``docs/dates.md``.
"""

from __future__ import annotations

__all__ = ["parse_natural"]

import datetime as _dt
import re
from typing import TYPE_CHECKING, Final

from pendulum import DateTime

from ._calendar import (
    Precision,
    after,
    before,
    clock_time,
    days_in_month,
    get_zone,
    wall,
    zone_name,
)
from ._fuzzy import END_PHRASES, FUZZY, LAST_DAY
from ._when import InvalidWhen, Span, When, _aligned_precision, fits
from .errors import ParseError, ReferenceRequired

if TYPE_CHECKING:
    from pendulum import FixedTimezone, Timezone

    from ._parse import Ref

    Zone = Timezone | FixedTimezone

# ------------------------------------------------------------------------ tokens

Tok = tuple[str, int, str, int, int]
"""(kind, number, word, start, end): one token and where it sits in the text."""

_P = Precision

_MONTHS: Final = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

_MONTH_NAMES: Final = (
    "", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip

# English words other than month names: surface -> canonical word
_WORDS: Final = {
    **{w: w for w in (
        "in", "on", "at", "during", "the", "of", "by", "before", "after", "since", "from",
        "to", "between", "and", "starting", "beginning", "as", "no", "not", "later",
        "earlier", "than", "or", "prior", "onwards", "up", "latest", "earliest", "early",
        "mid", "late", "start", "end", "last", "this", "next", "year", "month", "week",
        "quarter", "half", "first", "second", "third", "fourth", "yesterday", "today",
        "tomorrow", "noon", "utc", "beijing", "time", "sometime", "now", "present",
    )},
    "middle": "mid", "onward": "onwards", "until": "until", "till": "until", "til": "until",
    "through": "through", "thru": "through", "t": "at",
    "about": "about", "around": "about", "circa": "about", "c": "about", "ca": "about",
    "approximately": "about", "approx": "about", "roughly": "about", "abt": "about",
    "possibly": "possibly", "perhaps": "possibly", "maybe": "possibly", "probably": "possibly",
    "midday": "noon", "gmt": "utc", "z": "utc",
}  # fmt: skip

# Chinese keywords: surface -> (kind, number, word). Found by longest match.
_CJK: Final[dict[str, tuple[str, int, str]]] = {
    "年": ("Y", 0, ""), "年度": ("Y", 0, ""),
    "月": ("M", 0, ""), "月份": ("M", 0, ""),
    "日": ("D", 0, ""), "号": ("D", 0, ""),
    "季度": ("QTR", 0, ""), "季": ("QTR", 0, ""), "第": ("ORD", 0, ""),
    "点": ("HR", 0, ""), "点钟": ("HR", 0, ""), "时": ("HR", 0, ""),
    "分": ("MIN", 0, ""), "秒": ("SEC", 0, ""),
    "半": ("HALFH", 0, ""), "刻": ("QH", 0, ""), "整": ("SHARP", 0, ""),
    "前年": ("RY", -2, "前年"), "去年": ("RY", -1, "去年"), "上年": ("RY", -1, "上年"),
    "今年": ("RY", 0, "今年"), "本年": ("RY", 0, "本年"), "明年": ("RY", 1, "明年"),
    "来年": ("RY", 1, "来年"), "后年": ("RY", 2, "后年"),
    "年初": ("YF", 0, "初"), "年中": ("YF", 0, "中"), "年底": ("YF", 0, "底"),
    "年末": ("YF", 0, "末"), "年终": ("YF", 0, "终"),
    "初": ("F", 0, "初"), "中": ("F", 0, "中"), "底": ("F", 0, "底"), "末": ("F", 0, "末"),
    "上旬": ("F", 0, "上旬"), "中旬": ("F", 0, "中旬"), "下旬": ("F", 0, "下旬"),
    "月初": ("MF", 0, "初"), "月中": ("MF", 0, "中"), "月底": ("MF", 0, "底"),
    "月末": ("MF", 0, "末"), "月上旬": ("MF", 0, "上旬"), "月中旬": ("MF", 0, "中旬"),
    "月下旬": ("MF", 0, "下旬"),
    "上半年": ("HALF", 1, "上半年"), "下半年": ("HALF", 2, "下半年"),
    "上个月": ("RM", -1, "上个月"), "上月": ("RM", -1, "上月"), "本月": ("RM", 0, "本月"),
    "这个月": ("RM", 0, "这个月"), "这月": ("RM", 0, "这月"), "当月": ("RM", 0, "当月"),
    "下个月": ("RM", 1, "下个月"), "下月": ("RM", 1, "下月"),
    "上周": ("RW", -1, "上周"), "上星期": ("RW", -1, "上星期"),
    "上个星期": ("RW", -1, "上个星期"), "上礼拜": ("RW", -1, "上礼拜"),
    "上个礼拜": ("RW", -1, "上个礼拜"), "本周": ("RW", 0, "本周"), "这周": ("RW", 0, "这周"),
    "本星期": ("RW", 0, "本星期"), "这星期": ("RW", 0, "这星期"),
    "这个星期": ("RW", 0, "这个星期"), "这礼拜": ("RW", 0, "这礼拜"),
    "这个礼拜": ("RW", 0, "这个礼拜"), "下周": ("RW", 1, "下周"), "下星期": ("RW", 1, "下星期"),
    "下个星期": ("RW", 1, "下个星期"), "下礼拜": ("RW", 1, "下礼拜"),
    "下个礼拜": ("RW", 1, "下个礼拜"),
    "上季度": ("RQ", -1, "上季度"), "上个季度": ("RQ", -1, "上个季度"),
    "上一季度": ("RQ", -1, "上一季度"), "本季度": ("RQ", 0, "本季度"),
    "这个季度": ("RQ", 0, "这个季度"), "这季度": ("RQ", 0, "这季度"),
    "下季度": ("RQ", 1, "下季度"), "下个季度": ("RQ", 1, "下个季度"),
    "下一季度": ("RQ", 1, "下一季度"),
    "大前天": ("RD", -3, "大前天"), "前天": ("RD", -2, "前天"), "昨天": ("RD", -1, "昨天"),
    "昨日": ("RD", -1, "昨日"), "今天": ("RD", 0, "今天"), "今日": ("RD", 0, "今日"),
    "今": ("RD", 0, "今"), "目前": ("RD", 0, "目前"), "现在": ("RD", 0, "现在"),
    "明天": ("RD", 1, "明天"), "明日": ("RD", 1, "明日"), "后天": ("RD", 2, "后天"),
    "大后天": ("RD", 3, "大后天"),
    "凌晨": ("PER", 0, "night"), "早上": ("PER", 0, "am"), "早晨": ("PER", 0, "am"),
    "清晨": ("PER", 0, "am"), "上午": ("PER", 0, "am"), "中午": ("PER", 0, "noon"),
    "下午": ("PER", 0, "pm"), "傍晚": ("PER", 0, "pm"), "晚上": ("PER", 0, "pm"),
    "晚间": ("PER", 0, "pm"), "夜里": ("PER", 0, "pm"), "夜间": ("PER", 0, "pm"),
    "至": ("TO", 0, ""), "截至": ("TO", 0, ""), "截止": ("TO", 0, ""), "截止到": ("TO", 0, ""),
    "截至到": ("TO", 0, ""), "到": ("TO", 0, ""), "直到": ("TO", 0, ""), "直至": ("TO", 0, ""),
    "为止": ("UNTILEND", 0, ""),
    "以前": ("BEFORE", 0, ""), "之前": ("BEFORE", 0, ""), "前": ("BEFORE", 0, ""),
    "以后": ("AFTER", 0, ""), "之后": ("AFTER", 0, ""), "后": ("AFTER", 0, ""),
    "起": ("SINCE", 0, ""), "开始": ("SINCE", 0, ""), "以来": ("SINCE", 0, ""),
    "起始": ("SINCE", 0, ""),
    "自": ("FROM", 0, ""), "从": ("FROM", 0, ""), "自从": ("FROM", 0, ""),
    "和": ("AND", 0, ""), "与": ("AND", 0, ""), "及": ("AND", 0, ""),
    "之间": ("BETWEEN", 0, ""),
    "在": ("IN", 0, ""), "于": ("IN", 0, ""),
    "约": ("APPROX", 0, ""), "大约": ("APPROX", 0, ""), "大概": ("APPROX", 0, ""),
    "约莫": ("APPROX", 0, ""), "大致": ("APPROX", 0, ""), "左右": ("APPROX", 0, ""),
    "前后": ("APPROX", 0, ""), "许": ("APPROX", 0, ""), "上下": ("APPROX", 0, ""),
    "可能": ("UNC", 0, ""), "或许": ("UNC", 0, ""), "也许": ("UNC", 0, ""),
    "疑似": ("UNC", 0, ""),
    "北京时间": ("TZ", 0, "Asia/Shanghai"), "东八区": ("TZ", 0, "+08:00"),
}  # fmt: skip

_CNUM_DIGITS: Final = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip

_TOKEN: Final = re.compile(
    r"""
    (?P<sp>\s+)
    |(?P<iso>\d{4}[-/.]\d{1,2}(?!\d)(?:[-/.]\d{1,2}(?!\d))?)
    |(?P<clock>\d{1,2}:\d{2}(?::\d{2})?(?!\d))
    |(?P<qh>[QqHh]\d(?![0-9A-Za-z]))
    |(?P<nqh>\d[QqHh](?:\d{4}|\d{2})?(?![0-9A-Za-z]))
    |(?P<ord>\d{1,2}(?:st|nd|rd|th)(?![A-Za-z]))
    |(?P<ampm>(?<=[\d\s])[AaPp]\.?[Mm]\.?(?![A-Za-z]))
    |(?P<num>\d+)
    |(?P<cnum>[〇零一二两三四五六七八九十]+)
    |(?P<cjk>"""
    + "|".join(sorted(_CJK, key=len, reverse=True))
    + r""")
    |(?P<word>[A-Za-z]+\.?)
    |(?P<p>[-,–—/~?()'’.:+@])
    |(?P<bad>.)
    """,
    re.VERBOSE,
)


def _cnum(s: str) -> tuple[int, str] | None:
    """A Chinese numeral: (value, digits) -- digits are set only for digit-by-digit
    numbers like 二〇二二, which can be years. None when it is not a number."""
    if "十" not in s:
        digits = "".join(str(_CNUM_DIGITS[c]) for c in s)
        return int(digits), digits
    tens, _, units = s.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    return (_CNUM_DIGITS[tens] if tens else 1) * 10 + (_CNUM_DIGITS[units] if units else 0), ""


def _tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    append = toks.append
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        s, e = m.span()
        if kind == "sp":
            continue
        raw = m.group()
        if kind == "num":
            append(("n", int(raw), raw, s, e))
        elif kind == "cjk":
            k, v, w = _CJK[raw]
            append((k, v, w, s, e))
        elif kind == "word":
            w = raw.rstrip(".").lower()
            mon = _MONTHS.get(w)
            if mon is not None:
                append(("mon", mon, w, s, e))
                continue
            canon = _WORDS.get(w)
            if canon is None:
                word = raw.rstrip(".")
                raise _error(text, f"unknown word {word!r}", s, len(word))
            append(("w", 0, canon, s, e))
        elif kind == "p":
            append(("p", 0, "-" if raw in "–—" else "'" if raw == "’" else raw, s, e))
        elif kind == "cnum":
            val = _cnum(raw)
            if val is None:
                raise _error(text, f"cannot read the Chinese number {raw!r}", s, e - s)
            append(("n", val[0], val[1], s, e))
        elif kind == "clock":
            parts = raw.split(":")
            sec = int(parts[2]) if len(parts) == 3 else 0
            append(
                (
                    "clock",
                    int(parts[0]) * 10000 + int(parts[1]) * 100 + sec,
                    "s" if len(parts) == 3 else "",
                    s,
                    e,
                )
            )
        elif kind == "iso":
            if len({c for c in raw if not c.isdigit()}) > 1:
                raise _error(text, f"mixed separators in the date {raw!r}", s, e - s)
            parts = raw.replace("/", "-").replace(".", "-").split("-")
            d = int(parts[2]) if len(parts) == 3 else 0
            append(("iso", int(parts[0]) * 10000 + int(parts[1]) * 100 + d, raw, s, e))
        elif kind == "ord":
            append(("n", int(raw[:-2]), "", s, e))
        elif kind == "qh":
            append(("q" if raw[0] in "Qq" else "h", int(raw[1]), "", s, e))
        elif kind == "nqh":
            append(("q" if raw[1] in "Qq" else "h", int(raw[0]), raw[2:], s, e))
        elif kind == "ampm":
            append(("ampm", 0, raw[0].lower() + "m", s, e))
        else:  # bad
            j = e
            while (
                j < len(text)
                and not text[j].isspace()
                and ((bad := _TOKEN.match(text, j)) is not None and bad.lastgroup == "bad")
            ):
                j += 1
            raise _error(text, f"unknown word {text[s:j]!r}", s, j - s)
    return toks


def _error(text: str, msg: str, position: int, length: int = 1) -> ParseError:
    return ParseError(
        f"cannot read {text!r} as a date: {msg}", text=text, position=position, length=length
    )


# ------------------------------------------------------------------------ dates read


class _Atom:
    """One date as read, before it becomes bounds: the fields it gives and how."""

    __slots__ = (
        "d", "end", "fz", "hour", "inferred", "m", "minute", "n", "need", "second",
        "start", "tp", "unit", "y", "zone",
    )  # fmt: skip

    def __init__(
        self,
        unit: str,
        y: int | None,
        m: int | None,
        d: int | None,
        start: int,
        end: int,
        *,
        n: int = 0,
        fz: str = "",
        inferred: bool = False,
        need: str = "",
    ) -> None:
        self.unit = unit  # Y, H(alf), Q, M, W, D, FY (fuzzy part of a year), FM (of a month)
        self.y, self.m, self.d, self.n, self.fz = y, m, d, n, fz
        self.start, self.end = start, end
        self.inferred = inferred
        # what ref must supply when y (or m) is missing: "year" (this year), "near"
        # (the nearest year or month), or "bare" (a day number that needs a month)
        self.need = need
        self.tp: Precision | None = None
        self.hour = self.minute = self.second = 0
        self.zone: str | None = None


_REL_EN: Final = {"last": -1, "this": 0, "next": 1}
_FUZZY_EN: Final = {
    "early": "early",
    "mid": "mid",
    "late": "late",
    "start": "start",
    "beginning": "start",
    "end": "end",
}
_DAYS_EN: Final = {"yesterday": -1, "today": 0, "now": 0, "present": 0, "tomorrow": 1}
_ORDINALS: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_RANGE_WORDS: Final = frozenset({"to", "until", "through"})
_RANGE_PUNCT: Final = frozenset({"-", "~", "/"})
_YEAR_FUZZ: Final = frozenset({"初", "中", "底", "末"})


def _level_name(p: Precision) -> str:
    return "day" if p == _P.DAY else p.label


class _Reader:
    __slots__ = ("approx", "i", "n", "ref", "text", "toks", "tz", "uncertain", "zone")

    def __init__(self, text: str, toks: list[Tok], ref: Ref | None, tz: str, zone: Zone) -> None:
        self.text, self.toks, self.ref, self.tz, self.zone = text, toks, ref, tz, zone
        self.i = 0
        self.n = len(toks)
        self.approx = self.uncertain = False

    # -- helpers -----------------------------------------------------------------------

    def kind(self, k: int = 0) -> str:
        j = self.i + k
        return self.toks[j][0] if j < self.n else ""

    def word(self, k: int = 0) -> str:
        """The canonical word of an English token ("" for other tokens)."""
        j = self.i + k
        if j < self.n and self.toks[j][0] == "w":
            return self.toks[j][2]
        return ""

    def punct(self, k: int = 0) -> str:
        j = self.i + k
        if j < self.n and self.toks[j][0] == "p":
            return self.toks[j][2]
        return ""

    def err(self, msg: str, start: int, end: int) -> ParseError:
        return _error(self.text, msg, start, end - start)

    def unexpected(self, k: int = 0, expected: str = "") -> ParseError:
        j = self.i + k
        tail = f"; expected {expected}" if expected else ""
        if j >= self.n:
            prev = self.toks[j - 1] if 0 < j <= len(self.toks) else None
            after_what = f" after {self.text[prev[3] : prev[4]]!r}" if prev else ""
            what = expected or "more"
            return self.err(
                f"it stops too early: expected {what}{after_what}",
                len(self.text),
                len(self.text) + 1,
            )
        t = self.toks[j]
        return self.err(f"unexpected {self.text[t[3] : t[4]]!r}{tail}", t[3], t[4])

    def need_ref(self, level: Precision, start: int, end: int, what: str = "") -> Ref:
        """The reference date, known at least to ``level``; else ReferenceRequired."""
        ref = self.ref
        word = self.text[start:end]
        why = what or repr(word)
        if ref is None:
            raise ReferenceRequired(
                f"{self.text!r} is relative ({why}) and needs a reference date: "
                "pass ref=..., or give the source a published date",
                text=self.text,
                position=start,
                length=end - start,
            )
        if ref.vague is not None:
            raise ReferenceRequired(
                f"{self.text!r} is relative ({why}) and its reference date cannot anchor it: "
                f"{ref.vague}",
                text=self.text,
                position=start,
                length=end - start,
            )
        if ref.precision < level:
            known = ref.date.isoformat()[: 4 if ref.precision == _P.YEAR else 7]
            raise ReferenceRequired(
                f"{self.text!r} is relative ({why}) and needs a reference date known to "
                f"the {_level_name(level)}; the reference date is known only to the "
                f"{ref.precision.label} ({known})",
                text=self.text,
                position=start,
                length=end - start,
            )
        # what counts from an approximate or uncertain reference is approximate or
        # uncertain too; a year taken from an approximate day is not (it is that day's
        # year), one taken from an approximate year is
        if level > _P.YEAR or ref.precision == _P.YEAR:
            self.approx = self.approx or ref.approximate
            self.uncertain = self.uncertain or ref.uncertain
        return ref

    def year_ok(self, y: int, start: int, end: int) -> int:
        if not 1 <= y <= 9999:
            raise self.err(f"year {y} is out of range (1-9999)", start, end)
        return y

    # -- top level ---------------------------------------------------------------------

    def qualifiers(self) -> None:
        toks, n = self.toks, self.n
        while self.i < n:
            k, _, w, _, _ = toks[self.i]
            if k == "APPROX" or (k == "p" and w == "~") or (k == "w" and w == "about"):
                self.approx = True
            elif k == "UNC" or (k == "w" and w == "possibly"):
                self.uncertain = True
            elif not (
                k == "IN"
                or (k == "w" and w in ("in", "during", "sometime", "at"))
                or (k == "w" and w == "on" and self.word(1) != "or")
            ):
                return
            self.i += 1

    def trailing(self) -> None:
        toks = self.toks
        while self.n > self.i:
            k, _, w, _, _ = toks[self.n - 1]
            if k == "APPROX" or (k == "p" and w == "~"):
                self.approx = True
            elif k == "p" and w == "?":
                self.uncertain = True
            elif k == "p" and w == ".":
                pass
            else:
                return
            self.n -= 1

    def prefix_relation(self) -> str:
        k, w, w1 = self.kind(), self.word(), self.word(1)
        step, rel = 1, ""
        if k == "TO" or w in ("by", "until"):
            rel = "by"
        elif k == "FROM" or w in ("since", "from"):
            rel = "since"
        elif w == "before":
            rel = "before"
        elif w == "after":
            rel = "after"
        elif w == "between":
            rel = "between"
        elif w == "starting" or (w == "beginning" and w1 != "of"):
            rel = "since"
            if w1 in ("from", "on", "in"):
                step = 2
        elif w == "as" and w1 in ("of", "from"):
            rel, step = ("by" if w1 == "of" else "since"), 2
        elif w == "up" and w1 == "to":
            rel, step = "by", 2
        elif w == "prior" and w1 == "to":
            rel, step = "before", 2
        elif w in ("later", "earlier") and w1 == "than":
            rel, step = ("after" if w == "later" else "before"), 2
        elif w in ("no", "not") and w1 in ("later", "earlier") and self.word(2) == "than":
            rel, step = ("by" if w1 == "later" else "onafter"), 3
        elif w == "not" and w1 in ("before", "after"):
            rel, step = ("onafter" if w1 == "before" else "by"), 2
        elif w == "on" and w1 == "or" and self.word(2) in ("before", "after"):
            rel, step = ("by" if self.word(2) == "before" else "onafter"), 3
        if rel:
            self.i += step
        return rel

    def suffix_relation(self) -> str:
        n, toks = self.n, self.toks
        if n <= self.i:
            return ""
        k, _, w, _, _ = toks[n - 1]
        rel, step = "", 1
        if k == "BEFORE":
            rel = "before"
        elif k == "AFTER":
            rel = "after"
        elif k == "SINCE":
            rel = "since"
        elif k == "UNTILEND":
            rel = "by"
        elif k == "BETWEEN":
            rel = "between"
        elif k == "w" and w == "onwards":
            rel = "since"
        elif n - 2 > self.i and toks[n - 2][:3:2] == ("w", "or") and k == "w":
            if w in ("earlier", "before"):
                rel, step = "by", 2
            elif w in ("later", "after"):
                rel, step = "onafter", 2
        elif (
            k == "w" and w in ("latest", "earliest") and n - 3 > self.i
            and toks[n - 3][:3:2] == ("w", "at") and toks[n - 2][:3:2] == ("w", "the")
        ):  # fmt: skip
            rel, step = ("by" if w == "latest" else "onafter"), 3
        if rel:
            self.n -= step
        return rel

    def parse(self) -> When | Span:
        if not self.toks:
            raise self.err("empty date text", 0, 1)
        self.qualifiers()
        self.trailing()
        pre = self.prefix_relation()
        self.qualifiers()
        post = self.suffix_relation()
        self.trailing()
        rel = pre or post
        if pre and post and pre != post and (pre, post) != ("since", "after"):
            t0, t1 = self.toks[self.i - 1], self.toks[self.n]
            one, two = self.text[t0[3] : t0[4]], self.text[t1[3] : t1[4]]
            raise self.err(
                f"{one!r} and {two!r} contradict each other",
                t0[3],
                t1[4],
            )
        if self.i >= self.n:
            raise self.unexpected(expected="a date")
        if rel == "between":
            return self.between()
        a = self.date()
        if self.kind() == "SINCE" and self.i + 1 < self.n:  # 3月16日起至3月20日
            self.i += 1
        if self.i < self.n and self.at_range_sep():
            sep = self.toks[self.i]
            if rel not in ("", "since"):
                raise self.err(f"a range cannot follow {rel!r}", sep[3], sep[4])
            self.i += 1
            b = self.date()
            self.finish()
            self.fill(a, b)
            start, end = self.when(a), self.when(b)
            if end.certainly_before(start):
                raise self.err(
                    f"the range ends ({end.to_edtf()}) before it starts ({start.to_edtf()})",
                    sep[3],
                    sep[4],
                )
            return Span(start, end)
        self.finish()
        self.complete(a)
        lo, hi, p, tz = self.bounds(a)
        if rel == "":
            return self.make(lo, hi, p, tz, a.inferred)
        if rel == "by":
            return self.make(None, hi, p, tz, a.inferred)
        if rel == "before":
            if a.fz in END_PHRASES:  # before the end of 2022, 年底前: by its last instant
                return self.make(None, hi, p, tz, a.inferred)
            return self.make(None, lo if p.is_instant else before(lo), p, tz, a.inferred)
        if rel == "after":
            if not p.is_instant:
                if (hi.year, hi.month, hi.day) == (9999, 12, 31):
                    raise self.err("there is no date after the year 9999", a.start, a.end)
                hi = after(hi)
            return self.make(hi, None, p, tz, a.inferred)
        if rel == "onafter":
            return self.make(lo, None, p, tz, a.inferred)
        # since
        return Span(self.make(lo, hi, p, tz, a.inferred), None)

    def finish(self) -> None:
        if self.i < self.n:
            raise self.unexpected()

    def at_range_sep(self) -> bool:
        k, _, w, _, _ = self.toks[self.i]
        if k == "TO":
            return True
        if k == "w":
            return w in _RANGE_WORDS
        return k == "p" and w in _RANGE_PUNCT

    def between(self) -> When:
        a = self.date()
        if self.i < self.n and (
            self.kind() == "AND" or self.word() == "and" or self.at_range_sep()
        ):
            self.i += 1
        else:
            raise self.unexpected(expected="'and' and a second date")
        b = self.date()
        self.finish()
        self.fill(a, b)
        self.complete(a)
        self.complete(b)
        lo, _, pa, tza = self.bounds(a)
        _, hi, pb, tzb = self.bounds(b)
        if lo > hi:
            raise self.err("the second date is before the first", 0, len(self.text))
        p, tz = (pa, tza) if pa >= pb else (pb, tzb)
        if not fits(lo, hi, p, get_zone(tz)):
            p, tz = _aligned_precision(lo, hi, p, [tz, tza, tzb])
        return self.make(lo, hi, p, tz, a.inferred or b.inferred)

    def make(
        self, lo: DateTime | None, hi: DateTime | None, p: Precision, tz: str, inferred: bool
    ) -> When:
        return When(
            lo, hi, p, tz, approximate=self.approx, uncertain=self.uncertain, inferred=inferred
        )

    def when(self, a: _Atom) -> When:
        self.complete(a)
        lo, hi, p, tz = self.bounds(a)
        return self.make(lo, hi, p, tz, a.inferred)

    # -- filling in what the text left out ---------------------------------------------

    def fill(self, a: _Atom, b: _Atom) -> None:
        """Fields one side of a range leaves out come from the other side.

        "16-17 March 2023", "Dec 2022 - Feb 2023" style: the start takes month and year
        from the end (and a month after the end's month is in the year before).
        "3月16日至17日", "2022年12月至2月" style: the end takes them from the start
        (and a month before the start's month is in the next year).
        """
        # a day number alone (17, 17日) borrows the other side's month
        if b.need in ("bare", "month") and a.m is not None:
            b.m, b.need = a.m, "near" if b.y is None else ""
        if a.need in ("bare", "month") and b.m is not None:
            a.m, a.need = b.m, "near" if a.y is None else ""
        # the start borrows the end's year
        if a.need in ("near", "year") and b.y is not None and not b.need:
            a.y = b.y - (1 if a.m is not None and b.m is not None and a.m > b.m else 0)
            a.need, a.inferred = "", a.inferred or b.inferred
            if a.d is not None and a.m is not None:
                self.check_day(a.y, a.m, a.d, a.start, a.end)
        # the end borrows the start's year
        if b.need in ("near", "year") and (a.y is not None or a.need == "near"):
            self.complete(a)
            assert a.y is not None
            b.y = a.y + (1 if a.m is not None and b.m is not None and b.m < a.m else 0)
            b.need, b.inferred = "", b.inferred or a.inferred
            if b.d is not None and b.m is not None:
                self.check_day(b.y, b.m, b.d, b.start, b.end)

    def complete(self, a: _Atom) -> None:
        """Give ``a`` the year (and month) it left out, from ``ref``."""
        need = a.need
        if not need:
            return
        a.need = ""
        a.inferred = True
        if need == "bare":
            raise self.err(
                f"a day number needs a month: {self.text[a.start : a.end]!r}", a.start, a.end
            )
        if need == "year":  # a quarter, half or fuzzy part of this year
            a.y = self.need_ref(_P.YEAR, a.start, a.end, "it has no year").date.year
            return
        if need == "month":  # 月底, 上旬, 16日: this month
            ref = self.need_ref(_P.MONTH, a.start, a.end, "it has no month")
            if a.unit == "D":
                assert a.d is not None
                a.y, a.m = self.nearest_month(ref, a.d, a)
            else:
                a.y, a.m = ref.date.year, ref.date.month
            return
        # "near": the year nearest ref among the one before, the same and the next
        ref = self.need_ref(_P.MONTH, a.start, a.end, "it has no year")
        ry, rm = ref.date.year, ref.date.month
        assert a.m is not None
        if a.unit == "D" and a.d is not None:
            refd = _dt.date(ry, rm, ref.date.day)
            best: tuple[int, int] | None = None
            for y in (ry - 1, ry, ry + 1):
                if 1 <= y <= 9999 and a.d <= days_in_month(y, a.m):
                    dist = abs((_dt.date(y, a.m, a.d) - refd).days)
                    if best is None or dist < best[0]:
                        best = (dist, y)
            if best is None:
                raise self.err(
                    f"there is no {_MONTH_NAMES[a.m]} {a.d} near the reference "
                    f"date {ref.date.isoformat()}",
                    a.start,
                    a.end,
                )
            a.y = best[1]
        else:
            here = ry * 12 + rm
            a.y = min((abs(y * 12 + a.m - here), y) for y in (ry - 1, ry, ry + 1))[1]
        self.year_ok(a.y, a.start, a.end)

    def nearest_month(self, ref: Ref, d: int, a: _Atom) -> tuple[int, int]:
        """For a day given alone (16日): the month nearest ref that has that day."""
        refd = _dt.date(ref.date.year, ref.date.month, ref.date.day)
        best: tuple[int, int, int] | None = None
        here = ref.date.year * 12 + ref.date.month - 1
        for k in (here - 1, here, here + 1):
            y, m = divmod(k, 12)
            m += 1
            if 1 <= y <= 9999 and d <= days_in_month(y, m):
                dist = abs((_dt.date(y, m, d) - refd).days)
                if best is None or dist < best[0]:
                    best = (dist, y, m)
        if best is None:
            raise self.err(f"no month near {ref.date.isoformat()} has a day {d}", a.start, a.end)
        return best[1], best[2]

    # -- bounds ------------------------------------------------------------------------

    def bounds(self, a: _Atom) -> tuple[DateTime, DateTime, Precision, str]:
        zone, tz, u = self.zone, self.tz, a.unit
        y = a.y
        assert y is not None
        if u == "D":
            assert a.m is not None
            assert a.d is not None
            if a.tp is not None:
                return self.instant(a, y, a.m, a.d)
            return (
                wall(zone, y, a.m, a.d),
                wall(zone, y, a.m, a.d, 23, 59, 59, 999_999),
                _P.DAY,
                tz,
            )
        if u == "M":
            assert a.m is not None
            m = a.m
            return (
                wall(zone, y, m),
                wall(zone, y, m, days_in_month(y, m), 23, 59, 59, 999_999),
                _P.MONTH,
                tz,
            )
        if u == "Y":
            return wall(zone, y), wall(zone, y, 12, 31, 23, 59, 59, 999_999), _P.YEAR, tz
        if u in ("Q", "H"):
            size = 3 if u == "Q" else 6
            last = a.n * size
            return (
                wall(zone, y, last - size + 1),
                wall(zone, y, last, days_in_month(y, last), 23, 59, 59, 999_999),
                _P.QUARTER if u == "Q" else _P.HALF,
                tz,
            )
        if u == "FY":
            months = FUZZY[a.fz][0]
            if months is None:
                raise self.err(f"{a.fz!r} does not apply to a year", a.start, a.end)
            first, last = months
            return (
                wall(zone, y, first),
                wall(zone, y, last, days_in_month(y, last), 23, 59, 59, 999_999),
                _P.MONTH,
                tz,
            )
        if u == "FM":
            assert a.m is not None
            m = a.m
            days = FUZZY[a.fz][1]
            if days is None:
                raise self.err(f"{a.fz!r} does not apply to a month", a.start, a.end)
            first, last = days
            if last == LAST_DAY:
                last = days_in_month(y, m)
            return (
                wall(zone, y, m, first),
                wall(zone, y, m, last, 23, 59, 59, 999_999),
                _P.DAY,
                tz,
            )
        # W: the week starting on Monday y-m-d
        assert a.m is not None
        assert a.d is not None
        sunday = _dt.date(y, a.m, a.d) + _dt.timedelta(days=6)
        return (
            wall(zone, y, a.m, a.d),
            wall(zone, sunday.year, sunday.month, sunday.day, 23, 59, 59, 999_999),
            _P.WEEK,
            tz,
        )

    def instant(
        self, a: _Atom, y: int, m: int, d: int
    ) -> tuple[DateTime, DateTime, Precision, str]:
        assert a.tp is not None
        if a.zone is None:
            t = clock_time(self.zone, y, m, d, a.hour, a.minute, a.second)
            return t, t, a.tp, self.tz
        given = get_zone(a.zone)
        t = wall(given, y, m, d, a.hour, a.minute, a.second)
        local = t.in_timezone(self.zone)
        if local.utcoffset() == t.utcoffset():
            return local, local, a.tp, self.tz
        name = zone_name(given)
        return t, t, a.tp, name

    # -- one date ----------------------------------------------------------------------

    def date(self) -> _Atom:
        if self.i >= self.n:
            raise self.unexpected(expected="a date")
        t = self.toks[self.i]
        k = t[0]
        if k == "n":
            return self.from_number()
        if k == "mon":
            return self.from_month_name()
        if k == "RY":
            return self.relative_year_cn()
        if k == "iso":
            return self.from_iso()
        if k in ("q", "h"):
            return self.from_qh()
        if k == "w":
            w = t[2]
            if w in _FUZZY_EN:
                return self.fuzzy_en()
            if w in _REL_EN:
                return self.relative_en()
            if w in _DAYS_EN:
                self.i += 1
                return self.day_from_ref(_DAYS_EN[w], t)
            if w in _ORDINALS:
                return self.ordinal_part(_ORDINALS[w], t)
            if w == "the":
                self.i += 1
                return self.date()
            if w == "noon":
                return self.time_first()
            raise self.unexpected(expected="a date")
        if k == "RM":
            return self.relative_month(t[1], t)
        if k == "RD":
            self.i += 1
            return self.day_from_ref(t[1], t)
        if k == "RW":
            self.i += 1
            ref = self.need_ref(_P.DAY, t[3], t[4])
            rd = _dt.date(ref.date.year, ref.date.month, ref.date.day)
            monday = rd - _dt.timedelta(days=rd.weekday() - 7 * t[1])
            return _Atom("W", monday.year, monday.month, monday.day, t[3], t[4], inferred=True)
        if k == "RQ":
            self.i += 1
            ref = self.need_ref(_P.QUARTER, t[3], t[4])
            idx = ref.date.year * 4 + (ref.date.month - 1) // 3 + t[1]
            y = self.year_ok(idx // 4, t[3], t[4])
            return _Atom("Q", y, None, None, t[3], t[4], n=idx % 4 + 1, inferred=True)
        if k == "YF":
            self.i += 1
            return _Atom("FY", None, None, None, t[3], t[4], fz=t[2], need="year")
        if k == "MF" or (k == "F" and t[2] not in _YEAR_FUZZ):
            self.i += 1
            return _Atom("FM", None, None, None, t[3], t[4], fz=t[2], need="month")
        if k == "HALF":
            self.i += 1
            return _Atom("H", None, None, None, t[3], t[4], n=t[1], need="year")
        if k == "ORD":
            return self.quarter_cn(None, t[3], False)
        if k in ("PER", "clock"):
            return self.time_first()
        if k == "TZ":
            self.i += 1
            a = self.date()
            if a.tp is not None and a.zone is None:
                a.zone = t[2]
            return a
        raise self.unexpected(expected="a date")

    # numbers first: 2022, 2022年..., 9月, 16日, 16 Mar 2023, 四季度, 2pm on ...
    def from_number(self) -> _Atom:
        t = self.toks[self.i]
        v, digits, s = t[1], t[2], t[3]
        k1 = self.kind(1)
        if k1 == "Y":
            y = self.cn_year(t)
            self.i += 2
            return self.cn_after_year(y, s, self.toks[self.i - 1][4], len(digits) == 2)
        if k1 == "YF":
            y = self.cn_year(t)
            f = self.toks[self.i + 1]
            self.i += 2
            return _Atom("FY", y, None, None, s, f[4], fz=f[2], inferred=len(digits) == 2)
        if k1 in ("M", "MF"):
            self.i += 1
            return self.cn_after_month(None, self.month(t, self.toks[self.i]), s, False)
        if k1 == "D":
            u = self.toks[self.i + 1]
            self.check_day(None, None, v, s, u[4])
            self.i += 2
            a = _Atom("D", None, None, v, s, u[4], need="month")
            return self.maybe_time(a)
        if k1 == "QTR":
            return self.quarter_cn(None, s, False)
        if k1 == "mon" or (self.word(1) == "of" and self.kind(2) == "mon"):
            return self.day_month_en()
        if k1 in ("HR", "ampm"):
            return self.time_first()
        if self.word(1) in ("half", "quarter") and 1 <= v <= 4 and not digits:
            return self.ordinal_part(v, t)
        if len(digits) == 4:
            y = self.year_ok(v, s, t[4])
            self.i += 1
            off = 1 if self.punct() == "-" else 0  # 2022 Q4, 2022-H2
            q = self.toks[self.i + off] if self.i + off < self.n else None
            if q is not None and q[0] in ("q", "h") and not q[2]:
                self.i += off + 1
                return self.part(q[0], q, y, s)
            return _Atom("Y", y, None, None, s, t[4])
        if 1 <= v <= 31 and len(digits) <= 2:
            self.i += 1
            if self.punct() == "," and self.kind(1) == "n" and len(self.toks[self.i + 1][2]) == 4:
                yt = self.toks[self.i + 1]  # the 17, 2023 of "March 16-17, 2023"
                y = self.year_ok(yt[1], yt[3], yt[4])
                self.i += 2
                return _Atom("D", y, None, v, s, t[4], need="bare")
            return _Atom("D", None, None, v, s, t[4], need="bare")
        raise self.unexpected(expected="a date")

    def short_year(self, v: int, start: int, end: int) -> int:
        """The year a two-digit year (22年, '22, 4Q22) names: of the hundred years from 79
        before the reference year to 20 after it (in 2023: '22 is 2022, '43 is 2043, '44
        is 1944, '99 is 1999). Needs the reference date; the result is ``inferred``."""
        top = self.need_ref(_P.YEAR, start, end, "a two-digit year").date.year + 20
        return self.year_ok(top - (top - v) % 100, start, end)

    def cn_year(self, t: Tok) -> int:
        v, digits = t[1], t[2]
        if len(digits) == 2:  # 22年: the century comes from the reference date
            return self.short_year(v, t[3], t[4])
        if len(digits) != 4:
            raise self.err(f"cannot read {self.text[t[3] : t[4]]!r} as a year", t[3], t[4])
        return self.year_ok(v, t[3], t[4])

    def month(self, t: Tok, unit: Tok) -> int:
        if not 1 <= t[1] <= 12:
            raise self.err(
                f"bad month {self.text[t[3] : unit[4]]!r} (months are 1-12)", t[3], unit[4]
            )
        return t[1]

    def check_day(self, y: int | None, m: int | None, d: int, start: int, end: int) -> None:
        if m is None:
            ok, where = 1 <= d <= 31, "any month"
        else:
            top = days_in_month(y if y is not None else 2000, m)  # 2000: a leap year
            ok = 1 <= d <= top
            where = f"{_MONTH_NAMES[m]}{'' if y is None else f' {y}'} has {top} days"
        if not ok:
            raise self.err(f"bad day {self.text[start:end]!r} ({where})", start, end)

    def cn_after_year(self, y: int, s: int, e: int, inferred: bool) -> _Atom:
        """After 2022年 / 去年: a month, 底, 上半年, 第四季度, Q4 -- or nothing."""
        k = self.kind()
        t = self.toks[self.i] if self.i < self.n else None
        if t is not None:
            if k == "n" and self.kind(1) in ("M", "MF"):
                self.i += 1
                return self.cn_after_month(y, self.month(t, self.toks[self.i]), s, inferred)
            if k == "YF" or (k == "F" and t[2] in _YEAR_FUZZ):
                self.i += 1
                return _Atom("FY", y, None, None, s, t[4], fz=t[2], inferred=inferred)
            if k == "HALF":
                self.i += 1
                return _Atom("H", y, None, None, s, t[4], n=t[1], inferred=inferred)
            if k == "ORD" or (k == "n" and self.kind(1) == "QTR"):
                return self.quarter_cn(y, s, inferred)
            if k in ("q", "h") and not t[2]:
                self.i += 1
                a = self.part(k, t, y, s)
                a.inferred = inferred
                return a
        return _Atom("Y", y, None, None, s, e, inferred=inferred)

    def cn_after_month(self, y: int | None, m: int, s: int, inferred: bool) -> _Atom:
        """At 月 (or 月底): a day, 底/上旬, or nothing."""
        u = self.toks[self.i]
        self.i += 1
        need = "near" if y is None else ""
        if u[0] == "MF":
            return _Atom("FM", y, m, None, s, u[4], fz=u[2], inferred=inferred, need=need)
        t = self.toks[self.i] if self.i < self.n else None
        if t is not None:
            if t[0] == "n" and self.kind(1) == "D":
                dt = self.toks[self.i + 1]
                self.check_day(y, m, t[1], t[3], dt[4])
                self.i += 2
                a = _Atom("D", y, m, t[1], s, dt[4], inferred=inferred, need=need)
                return self.maybe_time(a)
            if t[0] == "F":
                self.i += 1
                return _Atom("FM", y, m, None, s, t[4], fz=t[2], inferred=inferred, need=need)
        return _Atom("M", y, m, None, s, u[4], inferred=inferred, need=need)

    def quarter_cn(self, y: int | None, s: int, inferred: bool) -> _Atom:
        """At 第 or a number before 季度."""
        if self.kind() == "ORD":
            self.i += 1
        t = self.toks[self.i] if self.i < self.n else None
        if t is None or t[0] != "n" or self.kind(1) != "QTR":
            raise self.unexpected(expected="a quarter like 第四季度")
        u = self.toks[self.i + 1]
        if not 1 <= t[1] <= 4:
            raise self.err(f"bad quarter {self.text[t[3] : u[4]]!r} (quarters are 1-4)", t[3], u[4])
        self.i += 2
        return _Atom(
            "Q", y, None, None, s, u[4], n=t[1], inferred=inferred, need="year" if y is None else ""
        )

    def part(self, k: str, t: Tok, y: int | None, s: int) -> _Atom:
        """A quarter (Q4) or half (H1) token of year ``y`` (None: ref's year)."""
        if k == "h" and not 1 <= t[1] <= 2:
            raise self.err(
                f"bad half {self.text[t[3] : t[4]]!r} (halves are H1 and H2)", t[3], t[4]
            )
        if k == "q" and not 1 <= t[1] <= 4:
            raise self.err(
                f"bad quarter {self.text[t[3] : t[4]]!r} (quarters are Q1-Q4)", t[3], t[4]
            )
        return _Atom(
            "Q" if k == "q" else "H",
            y,
            None,
            None,
            s,
            t[4],
            n=t[1],
            need="year" if y is None else "",
        )

    def from_qh(self) -> _Atom:
        """Q4 2022, Q4 of 2022, 4Q22, H1 2023, Q4 alone (this year), Q4 last year."""
        t = self.toks[self.i]
        self.i += 1
        attached = t[2]
        if attached:
            if len(attached) == 2:  # 4Q22, 1H23
                a = self.part(t[0], t, self.short_year(int(attached), t[3], t[4]), t[3])
                a.inferred = True
                return a
            return self.part(t[0], t, self.year_ok(int(attached), t[3], t[4]), t[3])
        a = self.part(t[0], t, None, t[3])
        self.year_tail(a)
        return a

    def year_tail(self, a: _Atom) -> None:
        """An optional year after a quarter, half or month: ``2022``, ``'22``, ``of 2022``,
        ``last year``. Without one, ``a`` keeps asking ref for it."""
        j = self.i
        if self.punct() == "," or self.word() in ("of", "in"):
            self.i += 1
        t = self.toks[self.i] if self.i < self.n else None
        if t is not None:
            if t[0] == "n" and len(t[2]) == 4:
                a.y, a.need, a.end = self.year_ok(t[1], t[3], t[4]), "", t[4]
                self.i += 1
                return
            if (
                t[0] == "p"
                and t[2] == "'"
                and self.kind(1) == "n"
                and len(self.toks[self.i + 1][2]) == 2
            ):
                yt = self.toks[self.i + 1]
                a.y, a.need, a.end = self.short_year(yt[1], t[3], yt[4]), "", yt[4]
                a.inferred = True
                self.i += 2
                return
            if t[0] == "w" and t[2] in _REL_EN and self.word(1) == "year":
                end = self.toks[self.i + 1][4]
                ref = self.need_ref(_P.YEAR, t[3], end)
                a.y = self.year_ok(ref.date.year + _REL_EN[t[2]], t[3], end)
                a.need, a.inferred, a.end = "", True, end
                self.i += 2
                return
            if t[0] == "RY":
                ref = self.need_ref(_P.YEAR, t[3], t[4])
                a.y = self.year_ok(ref.date.year + t[1], t[3], t[4])
                a.need, a.inferred, a.end = "", True, t[4]
                self.i += 1
                return
        self.i = j

    def ordinal_part(self, k: int, t: Tok) -> _Atom:
        """first half of 2023, the fourth quarter of 2022, 4th quarter 2022."""
        self.i += 1
        w = self.word()
        if w not in ("half", "quarter") or (w == "half" and k > 2):
            raise self.unexpected(expected="'half' or 'quarter'")
        u = self.toks[self.i]
        self.i += 1
        a = _Atom("H" if w == "half" else "Q", None, None, None, t[3], u[4], n=k, need="year")
        self.year_tail(a)
        return a

    def relative_year_cn(self) -> _Atom:
        t = self.toks[self.i]
        ref = self.need_ref(_P.YEAR, t[3], t[4])
        y = self.year_ok(ref.date.year + t[1], t[3], t[4])
        self.i += 1
        return self.cn_after_year(y, t[3], t[4], True)

    def relative_month(self, k: int, t: Tok) -> _Atom:
        """上个月, 本月, 下个月 (+ 底, 上旬 ...); last/this/next month."""
        end = self.toks[self.i + (1 if t[0] == "w" else 0)][4]
        ref = self.need_ref(_P.MONTH, t[3], end)
        idx = ref.date.year * 12 + ref.date.month - 1 + k
        y = self.year_ok(idx // 12, t[3], end)
        m = idx % 12 + 1
        self.i += 2 if t[0] == "w" else 1
        f = self.toks[self.i] if self.i < self.n else None
        if t[0] != "w" and f is not None and f[0] in ("F", "MF"):
            self.i += 1
            return _Atom("FM", y, m, None, t[3], f[4], fz=f[2], inferred=True)
        return _Atom("M", y, m, None, t[3], end, inferred=True)

    def relative_en(self) -> _Atom:
        """last/this/next + year, month, week, quarter or a month name."""
        t = self.toks[self.i]
        k = _REL_EN[t[2]]
        w = self.word(1)
        if w == "month":
            return self.relative_month(k, t)
        if w == "year":
            end = self.toks[self.i + 1][4]
            ref = self.need_ref(_P.YEAR, t[3], end)
            self.i += 2
            return _Atom(
                "Y",
                self.year_ok(ref.date.year + k, t[3], end),
                None,
                None,
                t[3],
                end,
                inferred=True,
            )
        if w == "week":
            end = self.toks[self.i + 1][4]
            ref = self.need_ref(_P.DAY, t[3], end)
            self.i += 2
            rd = _dt.date(ref.date.year, ref.date.month, ref.date.day)
            monday = rd - _dt.timedelta(days=rd.weekday() - 7 * k)
            return _Atom("W", monday.year, monday.month, monday.day, t[3], end, inferred=True)
        if w == "quarter":
            end = self.toks[self.i + 1][4]
            ref = self.need_ref(_P.QUARTER, t[3], end)
            self.i += 2
            idx = ref.date.year * 4 + (ref.date.month - 1) // 3 + k
            return _Atom(
                "Q",
                self.year_ok(idx // 4, t[3], end),
                None,
                None,
                t[3],
                end,
                n=idx % 4 + 1,
                inferred=True,
            )
        if self.kind(1) == "mon":
            mt = self.toks[self.i + 1]
            ref = self.need_ref(_P.MONTH, t[3], mt[4])
            self.i += 2
            ry, rm, m = ref.date.year, ref.date.month, mt[1]
            if k < 0:
                y = ry if m < rm else ry - 1
            elif k > 0:
                y = ry if m > rm else ry + 1
            else:
                y = ry
            return _Atom("M", self.year_ok(y, t[3], mt[4]), m, None, t[3], mt[4], inferred=True)
        raise self.unexpected(1, "'year', 'month', 'week', 'quarter' or a month")

    def day_from_ref(self, k: int, t: Tok) -> _Atom:
        """yesterday, today, 昨天, 前天 ... with an optional clock time."""
        ref = self.need_ref(_P.DAY, t[3], t[4])
        d = _dt.date(ref.date.year, ref.date.month, ref.date.day) + _dt.timedelta(days=k)
        return self.maybe_time(_Atom("D", d.year, d.month, d.day, t[3], t[4], inferred=True))

    def from_iso(self) -> _Atom:
        t = self.toks[self.i]
        self.i += 1
        y, md = divmod(t[1], 10000)
        m, d = divmod(md, 100)
        raw = t[2]
        sep = raw[4]
        mpos = t[3] + 5
        mend = raw.find(sep, 5)
        mend = t[3] + (mend if mend > 0 else len(raw))
        y = self.year_ok(y, t[3], t[3] + 4)
        if not 1 <= m <= 12:
            raise self.err(f"bad month {self.text[mpos:mend]!r} (months are 1-12)", mpos, mend)
        if raw.count(sep) == 1:
            return _Atom("M", y, m, None, t[3], t[4])
        self.check_day(y, m, d, mend + 1, t[4])
        return self.maybe_time(_Atom("D", y, m, d, t[3], t[4]))

    # English: Sept 2022, March 16, 2023, 16 Mar 2023, March, March last year ...
    def from_month_name(self) -> _Atom:
        t = self.toks[self.i]
        m, s = t[1], t[3]
        self.i += 1
        n = self.toks[self.i] if self.i < self.n else None
        if n is not None and n[0] == "n" and len(n[2]) != 4:
            # a day: March 16, March 16th, 2023
            self.i += 1
            a = _Atom("D", None, m, n[1], s, n[4], need="near")
            self.year_tail(a)
            self.check_day(a.y, m, n[1], n[3], n[4])
            return self.maybe_time(a)
        a = _Atom("M", None, m, None, s, t[4], need="near")
        self.year_tail(a)
        return a

    def day_month_en(self) -> _Atom:
        """16 Mar 2023, 16th of March 2023, 16 March (year from ref)."""
        t = self.toks[self.i]
        self.i += 1
        if self.word() == "of":
            self.i += 1
        mt = self.toks[self.i]
        self.i += 1
        a = _Atom("D", None, mt[1], t[1], t[3], mt[4], need="near")
        self.year_tail(a)
        self.check_day(a.y, mt[1], t[1], t[3], t[4])
        return self.maybe_time(a)

    # English fuzzy: early 2022, mid-March, the end of 2022, end of last year ...
    def fuzzy_en(self) -> _Atom:
        t = self.toks[self.i]
        fz = _FUZZY_EN[t[2]]
        self.i += 1
        if self.punct() == "-":
            self.i += 1
        if self.word() == "of":
            self.i += 1
        if self.word() == "the":
            self.i += 1
        u = self.toks[self.i] if self.i < self.n else None
        if u is None:
            raise self.unexpected(expected="a year or a month")
        if u[0] == "n" and len(u[2]) == 4:
            self.i += 1
            return _Atom("FY", self.year_ok(u[1], u[3], u[4]), None, None, t[3], u[4], fz=fz)
        if u[0] == "mon":
            a = _Atom("FM", None, u[1], None, t[3], u[4], fz=fz, need="near")
            self.i += 1
            self.year_tail(a)
            return a
        if u[0] == "w" and u[2] in _REL_EN and self.word(1) in ("year", "month"):
            r = self.relative_en()
            r.unit, r.fz, r.start = ("FY" if r.unit == "Y" else "FM"), fz, t[3]
            return r
        raise self.unexpected(expected="a year or a month")

    # -- clock times -------------------------------------------------------------------

    def maybe_time(self, a: _Atom) -> _Atom:
        """A clock time after a day: 2pm, at 14:00 UTC, 下午2点30分, 14:00 +08:00."""
        j = self.i
        if self.punct() in (",", "@") or self.word() == "at":
            self.i += 1
        k = self.kind()
        if (
            k in ("clock", "PER")
            or self.word() == "noon"
            or (k == "n" and self.kind(1) in ("HR", "ampm"))
        ):
            self.clock(a)
            return a
        self.i = j
        return a

    def time_first(self) -> _Atom:
        """2pm on 17 March 2023; 14:00, 17 Mar 2023; a time with no day is an error."""
        start = self.toks[self.i][3]
        holder = _Atom("D", None, None, None, start, start)
        self.clock(holder)
        tend = self.toks[self.i - 1][4]
        if self.punct() == "," or self.word() in ("on", "of"):
            self.i += 1
        if self.i >= self.n or self.at_range_sep():
            raise self.err(f"a time of day needs a date: {self.text[start:tend]!r}", start, tend)
        a = self.date()
        if a.unit != "D" or a.tp is not None:
            raise self.err(
                f"a time of day needs a day, not {self.text[a.start : a.end]!r}", a.start, a.end
            )
        a.tp, a.hour, a.minute, a.second, a.zone = (
            holder.tp,
            holder.hour,
            holder.minute,
            holder.second,
            holder.zone,
        )
        a.start = start
        return a

    def clock(self, a: _Atom) -> None:
        start = self.toks[self.i][3]
        per = ""
        if self.kind() == "PER":
            per = self.toks[self.i][2]
            self.i += 1
        t = self.toks[self.i] if self.i < self.n else None
        if t is None:
            raise self.unexpected(expected="a time")
        hour = minute = second = 0
        if t[0] == "w" and t[2] == "noon" and not per:
            self.i += 1
            hour, tp = 12, _P.HOUR
        elif t[0] == "clock":
            hour, ms = divmod(t[1], 10000)
            minute, second = divmod(ms, 100)
            tp = _P.SECOND if t[2] else _P.MINUTE
            self.i += 1
        elif t[0] == "n" and self.kind(1) == "HR":
            hour, tp = t[1], _P.HOUR
            self.i += 2
            k, k1 = self.kind(), self.kind(1)
            if k == "n" and k1 == "MIN":
                minute, tp = self.toks[self.i][1], _P.MINUTE
                self.i += 2
                if self.kind() == "n" and self.kind(1) == "SEC":
                    second, tp = self.toks[self.i][1], _P.SECOND
                    self.i += 2
            elif k == "HALFH":
                minute, tp = 30, _P.MINUTE
                self.i += 1
            elif k == "n" and k1 == "QH" and self.toks[self.i][1] in (1, 3):
                minute, tp = 15 * self.toks[self.i][1], _P.MINUTE
                self.i += 2
            elif k == "SHARP":
                self.i += 1
        elif t[0] == "n" and self.kind(1) == "ampm" and not per:
            hour, tp = t[1], _P.HOUR
            self.i += 1
        else:
            raise self.unexpected(expected="a time")
        end = self.toks[self.i - 1][4]
        if self.kind() == "ampm":
            if per or not 1 <= hour <= 12:
                raise self.err(
                    f"bad time {self.text[start : self.toks[self.i][4]]!r}",
                    start,
                    self.toks[self.i][4],
                )
            pm = self.toks[self.i][2] == "pm"
            hour = (hour % 12) + (12 if pm else 0)
            end = self.toks[self.i][4]
            self.i += 1
        elif per:
            if per == "night" and hour == 12:
                hour = 0
            elif per == "pm" and hour == 12:
                # 晚上12点 is the midnight that ends the day: a day later than written
                raise self.err(
                    f"{self.text[start:end]!r} is midnight at the end of the day; "
                    "write the next day with 0点 (or 凌晨12点)",
                    start,
                    end,
                )
            elif per in ("pm", "noon") and hour < 12 and not (per == "noon" and hour > 2):
                hour += 12
        if hour > 23 or minute > 59 or second > 59:
            raise self.err(f"bad time {self.text[start:end]!r}", start, end)
        a.hour, a.minute, a.second, a.tp = hour, minute, second, tp
        a.zone = self.zone_suffix()

    def zone_suffix(self) -> str | None:
        """UTC, GMT+8, Z, +08:00, -0500, 北京时间, Beijing time -- after a clock time."""
        w = self.word()
        if w == "utc":
            self.i += 1
            return self.offset() or "UTC"
        if w == "beijing" and self.word(1) == "time":
            self.i += 2
            return "Asia/Shanghai"
        if self.kind() == "TZ":
            self.i += 1
            return self.toks[self.i - 1][2]
        return self.offset()

    def offset(self) -> str | None:
        sign = self.punct()
        if sign not in ("+", "-"):
            return None
        t = self.toks[self.i + 1] if self.i + 1 < self.n else None
        if t is None:
            return None
        if t[0] == "clock" and not t[2]:
            hh, mm = divmod(t[1] // 100, 100)
        elif t[0] == "n" and sign == "+" and len(t[2]) in (1, 2, 4):
            hh, mm = divmod(t[1], 100) if len(t[2]) == 4 else (t[1], 0)
        else:
            return None
        if hh > 14 or mm > 59:
            raise self.err(
                f"bad UTC offset {self.text[self.toks[self.i][3] : t[4]]!r}",
                self.toks[self.i][3],
                t[4],
            )
        self.i += 2
        return f"{sign}{hh:02d}:{mm:02d}"


def parse_natural(text: str, *, ref: Ref | None, tz: str) -> When | Span:
    """Read an English or Chinese date phrase; relative forms are resolved against ``ref``.

    >>> from chronicle._parse import Ref
    >>> import pendulum
    >>> ref = Ref(pendulum.Date(2023, 3, 24))
    >>> parse_natural("去年9月", ref=ref, tz="Asia/Shanghai").to_edtf()
    '2022-09'
    >>> parse_natural("end of 2022", ref=None, tz="Asia/Shanghai").to_edtf()
    '[2022-11..2022-12]'
    """
    zone = get_zone(tz)
    try:
        toks = _tokenize(text)
        return _Reader(text, toks, ref, tz, zone).parse()
    except ParseError:
        raise
    except (ValueError, OverflowError, ArithmeticError, KeyError, IndexError) as e:
        msg = e.message if isinstance(e, InvalidWhen) else str(e) or type(e).__name__
        raise _error(text, msg, 0, len(text)) from None
