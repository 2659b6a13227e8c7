"""Display width of text in a terminal (CJK characters take two cells)."""

from __future__ import annotations

from wcwidth import wcswidth


def display_width(text: str) -> int:
    """Cells ``text`` takes in a terminal; unprintable characters count as one."""
    w = wcswidth(text)
    if w >= 0:
        return int(w)
    return sum(max(1, wcswidth(ch)) for ch in text)
