"""The one table of fuzzy phrases: which part of a year or a month each one names.

"end of 2022", "年底", "late March", "3月下旬" name a stretch of a unit, not the
whole unit. Every such phrase chronicle reads is a row of :data:`FUZZY`; the
natural-language reader looks phrases up here and nowhere else.

A phrase applied to a **year** covers whole months (precision ``month``); applied
to a **month** it covers whole days (precision ``day``). ``31`` in the day column
means "to the last day of the month" (28, 29, 30 or 31).

=====================================  ======================  =====================
phrase                                 of a year (months)      of a month (days)
=====================================  ======================  =====================
start, beginning, 初 (年初, 月初)        Jan - Feb   (1-2)       1-10
early                                  Jan - Apr   (1-4)       1-10
上旬                                    --                      1-10
mid, middle                            May - Aug   (5-8)       11-20
中 (年中, 月中)                          Jun - Jul   (6-7)       11-20
中旬                                    --                      11-20
late                                   Sep - Dec   (9-12)      21-last
end, 底, 末 (年底, 年末, 月底, 月末)       Nov - Dec   (11-12)     21-last
终 (年终)                               Nov - Dec   (11-12)     --
下旬                                    --                      21-last
=====================================  ======================  =====================

Why these ranges: early / mid / late cut a year into thirds (four months each) and
a month into its three 旬 (ten-day parts, the Chinese calendar's own division).
"start of" / "end of" / 年初 / 年底 name the edge two months of a year -- DESIGN.md
fixes "end of 2022" and "去年年底" as 2022-11-01 .. 2022-12-31. 年中 is the centre
two months (June and July), narrower than English "mid", as 年初 and 年底 are
narrower than "early" and "late". Of a month, "start" and "end" are the first
and last 旬, like 月初 and 月底.

>>> FUZZY["end"]
((11, 12), (21, 31))
>>> FUZZY["上旬"]
(None, (1, 10))
"""

from __future__ import annotations

__all__ = ["END_PHRASES", "FUZZY", "LAST_DAY", "Range"]

from collections.abc import Mapping
from typing import Final

Range = tuple[int, int]
"""Inclusive first and last member: months of a year, or days of a month."""

LAST_DAY: Final = 31
"""In a day range, 31 stands for the month's last day, whatever its length."""

FUZZY: Final[Mapping[str, tuple[Range | None, Range | None]]] = {
    # phrase: (months of a year, days of a month); None where the phrase does not apply
    "start": ((1, 2), (1, 10)),
    "beginning": ((1, 2), (1, 10)),
    "初": ((1, 2), (1, 10)),
    "early": ((1, 4), (1, 10)),
    "上旬": (None, (1, 10)),
    "mid": ((5, 8), (11, 20)),
    "middle": ((5, 8), (11, 20)),
    "中": ((6, 7), (11, 20)),
    "中旬": (None, (11, 20)),
    "late": ((9, 12), (21, LAST_DAY)),
    "end": ((11, 12), (21, LAST_DAY)),
    "底": ((11, 12), (21, LAST_DAY)),
    "末": ((11, 12), (21, LAST_DAY)),
    "终": ((11, 12), None),
    "下旬": (None, (21, LAST_DAY)),
}

END_PHRASES: Final = frozenset({"end", "底", "末", "终"})
"""Phrases naming the close of a unit: "before the end of 2022" / "年底前" mean *by*
the unit's last instant, not before the phrase's first month."""
