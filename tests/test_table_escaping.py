"""Tables in markup formats: text shows as it is, read back by real parsers.

GitHub Flavored Markdown is read with cmark-gfm (GitHub's own parser, ``cmarkgfm``) and
reStructuredText with docutils, both in the ``test`` extra; MediaWiki, Textile and
AsciiDoc with mwparserfromhell, python-textile and Asciidoctor where they are installed.
Every title here is invented test data.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from tabulate import tabulate_formats
from wcwidth import wcswidth

from chronicle import ChronicleError, parse_when, to_table
from chronicle._display import Row
from chronicle._table import _REFUSED, clean
from chronicle.cli import main

WHEN = parse_when("2023-03-16")
ERNIE = "*Ernie* [beta] <b> _x_ `code`"


def _rows(*titles: str) -> list[Row]:
    return [
        Row(key=f"k{i}", id=f"r{i}", when=WHEN, title=t, kind="launch")
        for i, t in enumerate(titles)
    ]


def _shown(title: str) -> str:
    """What a cell should show for ``title``: cleaned for the terminal, tabulate's strip."""
    return clean(title).strip()


class _Cells(HTMLParser):
    """The text of every <td> in an HTML table, tags inside it dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "td":
            self._in = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.cells[-1] += data


def _td_texts(page: str) -> list[str]:
    p = _Cells()
    p.feed(page)
    return [c.strip() for c in p.cells]


# ------------------------------------------------------------------------ Markdown


def _gfm(markdown: str) -> str:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown))


def _gfm_cells(markdown: str) -> list[str]:
    page = _gfm(markdown)
    assert page.startswith("<table>"), page
    return _td_texts(page)


def test_github_shows_markdown_markup_as_text() -> None:
    text = to_table(_rows(ERNIE), fmt="github", columns=["title"])
    assert text.splitlines()[2] == r"| \*Ernie\* \[beta] &lt;b> \_x\_ \`code\` |"
    page = _gfm(text)
    assert "<em>" not in page and "<code>" not in page and "<b>" not in page
    assert _td_texts(page) == [ERNIE]


@pytest.mark.parametrize(
    ("title", "markdown"),
    [
        ("~2022", "~2022"),  # one delimiter cannot pair: left as it is
        ("GPT-4.5 (beta), 2023-03-16!", "GPT-4.5 (beta), 2023-03-16!"),
        ("a_b $5 x*y [1", "a_b $5 x*y [1"),
        ("~~gone~~ $x$ **b**", r"\~\~gone\~\~ \$x\$ \*\*b\*\*"),
        ("AT&T &amp; &#124; &copy;", "AT&T &amp;amp; &amp;#124; &amp;copy;"),
        (
            "x < y <b> </i> <!-- c --> <http://a>",
            "x < y &lt;b> &lt;/i> &lt;!-- c --> &lt;http://a>",
        ),
        (r"C:\dir \* a\|b", r"C:\dir \\* a\\\|b"),
        ("![img](http://i) [link](u) [^1]", r"!\[img](http://i) \[link](u) \[^1]"),
        ("see https://example.com/a_b", "see https://example.com/a_b"),  # still a link
        ("_see https://example.com/a_b_", r"\_see https\://example.com/a\_b\_"),
    ],
)
def test_github_escapes_only_what_renders(title: str, markdown: str) -> None:
    text = to_table(_rows(title), fmt="github", columns=["title"])
    assert text.splitlines()[2][2:-2].rstrip() == markdown
    assert _gfm_cells(text) == [title]


def test_github_links_a_plain_url() -> None:
    url = "https://example.com/daily/2023-03-24?a=1"
    page = _gfm(to_table(_rows(f"see {url}"), fmt="github", columns=["title"]))
    assert f'<a href="{html.escape(url)}">' in page


def test_pipe_escapes_pandoc_markup_too() -> None:
    text = to_table(_rows("x^2^ and @doe99, a@b.com"), fmt="pipe", columns=["title"])
    assert r"x\^2\^ and \@doe99, a@b.com" in text
    assert _gfm_cells(text) == ["x^2^ and @doe99, a@b.com"]


# titles built from what markup is made of, wide CJK characters and combining marks
_MARKUP = [
    *"\\|`*_~$[]()<>&!#^@:;.-+=/?'\"{}% \t\n",
    "&amp;",
    "&#124;",
    "http://",
    "https://x.y/",
    "www.",
    "<b>",
    "</a>",
    "<!--",
    "文心",
    "一言",
    "ＡＩ",
    "e\u0301",  # e + combining acute
    "\u0308",  # a lone combining diaeresis
    "\u3000",  # ideographic space
]
titles = st.lists(
    st.one_of(st.sampled_from(_MARKUP), st.text(st.characters(codec="utf-8"), max_size=3)),
    max_size=14,
).map("".join)


@given(titles, st.sampled_from(["github", "pipe"]))
@example(ERNIE, "github")
@example("\\", "github")
@example("x\\", "pipe")
@example("&amp;|", "github")
def test_markdown_round_trip(title: str, fmt: str) -> None:
    """cmark-gfm reads back every title's text from a github or pipe table."""
    text = to_table(_rows(title, "plain"), fmt=fmt, columns=["title", "kind"])
    assert _gfm_cells(text) == [_shown(title), "launch", "plain", "launch"]


_CUT = re.compile(r"(.*)…")


@given(titles, st.integers(3, 40))
@example("a&#124;b|||||||", 8)
@example(r"\|\|\|\|\|\|\|\|\|", 9)
@example("*a* *b* *c* *d* *e*", 9)
def test_markdown_cut_never_splits_an_escape(title: str, limit: int) -> None:
    """A cut cell reads back as a prefix of the text and "…", whatever was escaped."""
    width = 2 + limit + 2 + 2 + 6 + 2  # "| " title " | " kind " |"
    text = to_table(
        _rows(title + "文心一言" * 3), fmt="github", columns=["title", "kind"], width=width
    )
    (cell, kind) = _gfm_cells(text)
    assert kind == "launch"
    full = _shown(title + "文心一言" * 3)
    if cell != full:
        assert cell.endswith("…"), cell
        assert full.startswith(cell[:-1].rstrip()), (cell, full)


# ------------------------------------------------------------------------ widths

_OFFERED = sorted(set(tabulate_formats) - set(_REFUSED))


@pytest.mark.parametrize("fmt", _OFFERED)
@settings(max_examples=15)
@given(st.lists(titles, min_size=1, max_size=3), st.integers(0, 60))
def test_lines_fit_any_width_the_table_can_reach(fmt: str, titles_: list[str], extra: int) -> None:
    """``width=W`` keeps every line within W whenever the table can be that narrow at all
    (dates, kinds and headers are never cut, so some widths cannot be reached)."""
    rows = _rows(*titles_)
    columns = ["date", "title", "kind"]
    narrowest = max(
        wcswidth(line) for line in to_table(rows, fmt=fmt, columns=columns, width=1).splitlines()
    )
    width = narrowest + extra
    text = to_table(rows, fmt=fmt, columns=columns, width=width)
    assert max(wcswidth(line) for line in text.splitlines()) <= width, text
    assert len(text.splitlines()) == len(to_table(rows, fmt=fmt, columns=columns).splitlines())


# ------------------------------------------------------------------------ reStructuredText


def _rst_cells(text: str) -> list[str]:
    docutils_core = pytest.importorskip("docutils.core")
    from docutils import nodes

    messages = io.StringIO()
    doctree = docutils_core.publish_doctree(
        text, settings_overrides={"warning_stream": messages, "report_level": 1}
    )
    # level 1 is INFO ("treating it as ordinary text"); 2 and up change the output
    problems = [m for m in doctree.findall(nodes.system_message) if m["level"] >= 2]
    assert not problems, (text, [p.astext() for p in problems], messages.getvalue())
    for message in list(doctree.findall(nodes.system_message)):
        message.parent.remove(message)
    out = []
    for entry in doctree.findall(nodes.entry):
        if isinstance(entry.parent.parent, nodes.tbody):
            out.append(entry.astext())
    return out


@pytest.mark.parametrize(
    "title",
    [
        ERNIE,
        "- item",
        "* item",
        "1. first",
        "(a) option",
        "iv) roman",
        "#. auto",
        ".. comment",
        ".. _target:",
        ">>> doctest",
        ":field: body",
        "----",
        "=====",
        "text::",
        "word_ and `x`_ and [1]_ and |sub| and __anon",
        "--option value",
        "~2022",
        r"C:\path\file",
    ],
)
def test_rst_shows_text_as_it_is(title: str) -> None:
    text = to_table(_rows(title, "plain"), fmt="rst", columns=["title", "kind"])
    assert _rst_cells(text) == [title, "launch", "plain", "launch"]


_RST_SAFE = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Mn", "Me", "Co", "Cn")
)


@given(
    st.lists(
        st.one_of(st.sampled_from(_MARKUP[:-4]), st.text(_RST_SAFE, max_size=3)),
        max_size=12,
    ).map("".join)
)
@example("1. x")
@example("a::")
def test_rst_round_trip(title: str) -> None:
    """docutils reads every title back from an rst table, with no warning."""
    # docutils and wcwidth measure wide characters alike; they differ on a few
    # ambiguous and emoji characters, which chronicle cannot help
    assume(
        all(wcswidth(ch) == 1 for ch in title if ord(ch) > 0x7E and not "\u4e00" <= ch <= "\u9fff")
    )
    text = to_table(_rows(title, "plain"), fmt="rst", columns=["title", "kind"])
    shown = _shown(title)
    assert _rst_cells(text) == [shown or "", "launch", "plain", "launch"]


# ------------------------------------------------------------------------ wikis, Textile, AsciiDoc


def test_mediawiki_escapes_wiki_markup() -> None:
    title = "[[Link]] {{tpl}} ''it'' '''b''' <ref>x</ref> ~~~~ __TOC__ a|b AT&T &amp; Baidu's"
    text = to_table(_rows(title), fmt="mediawiki", columns=["title"])
    cell = text.splitlines()[-2]
    assert cell == (
        "| &#91;&#91;Link]] &#123;&#123;tpl}} &#39;&#39;it&#39;&#39; &#39;&#39;&#39;b&#39;&#39;&#39; "
        "&#60;ref>x&#60;/ref> &#126;&#126;~~ &#95;_TOC&#95;_ a&#124;b AT&T &#38;amp; Baidu's"
    )
    mw = pytest.importorskip("mwparserfromhell")
    code = mw.parse(cell[2:])
    assert {type(n).__name__ for n in code.nodes} <= {"Text", "HTMLEntity"}
    assert html.unescape(str(code)) == title


def test_textile_escapes_textile_markup() -> None:
    title = '*b* _i_ ??c?? -d- "l":http://x !i.png! [1] (c) 2 x 4 ... a -- b <b> a|b'
    text = to_table(
        _rows(title, "GPT-4 2023-03-16 ~2022", "# not a list"), fmt="textile", columns=["title"]
    )
    assert "|<. GPT-4 2023-03-16 &#126;2022 " in text  # dashes inside words stay
    assert "|<. &#35; not a list " in text
    textile = pytest.importorskip("textile")
    page = textile.textile(text)
    assert _td_texts(page) == [title, "GPT-4 2023-03-16 ~2022", "# not a list"]


def test_asciidoc_shows_text_as_it_is() -> None:
    titles_ = [
        "*b* _i_ `m` #h# ^s^ ~s~ {nbsp} (C) -- ... ->",
        "+++<i>raw</i>+++ pass:[<b>] link:http://x[y]",
        "a|b \\| c \\] d]",
        "end\\",
        "plain | text \\|",
        "Baidu's (TM) model",
        "#",
    ]
    text = to_table(_rows(*titles_), fmt="asciidoc", columns=["title"])
    assert [line.rstrip() for line in text.splitlines()[3:-1]] == [
        "| pass:c[*b* _i_ `m` #h# ^s^ ~s~ {nbsp} (C) -- ... ->]",
        "| pass:c[+++<i>raw</i>+++ pass:[<b>\\] link:http://x[y\\]]",
        "| pass:c[a\\|b \\\\| c \\\\] d\\]]",
        "| end\\",
        "| plain \\| text \\\\|",
        "| pass:c[Baidu's (TM) model]",
        "| pass:c[#]",
    ]
    if shutil.which("asciidoctor") is None:
        pytest.skip("Asciidoctor is not installed")
    page = subprocess.run(
        ["asciidoctor", "-s", "-o", "-", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    assert page.stderr == ""
    assert _td_texts(page.stdout) == titles_


def test_jira_escapes_its_markup() -> None:
    title = r"*b* _i_ -d- {{m}} [l|http://x] !i.png! a\b a|b 2023-03-16 GPT-4 ~2022"
    text = to_table(_rows(title), fmt="jira", columns=["title"])
    assert text.splitlines()[1] == (
        r"| \*b\* \_i\_ \-d- \{\{m\}\} \[l\|http://x\] \!i.png\! a&#92;b a\|b 2023-03-16 GPT-4 ~2022 |"
    )


def test_orgtbl_escapes_pipes() -> None:
    assert r"a\vert{}b" in to_table(_rows("a|b"), fmt="orgtbl", columns=["title"])


# ------------------------------------------------------------------------ HTML, LaTeX


def test_html_is_escaped_by_tabulate() -> None:
    text = to_table(_rows("<script>alert('x')</script> & \"q\""), fmt="html", columns=["title"])
    assert "<script>" not in text
    assert _td_texts(text) == ["<script>alert('x')</script> & \"q\""]


@pytest.mark.parametrize("fmt", ["latex", "latex_booktabs", "latex_longtable"])
def test_latex_escapes_special_characters(fmt: str) -> None:
    text = to_table(_rows("& % $ # _ { } ~ ^ \\", "[beta] x", "*star*"), fmt=fmt, columns=["title"])
    assert r"\& \% \$ \# \_ \{ \} \textasciitilde{} \^{} \textbackslash{}" in text
    # a row starting with [ or * would be read as an argument of the \\ ending the row before
    assert re.search(r"^ *\{\}\[beta\] x", text, re.M), text
    assert re.search(r"^ *\{\}\*star\*", text, re.M), text


# ------------------------------------------------------------------------ every format

NASTY = "a|b||c\td\ne\r\nf *g* [h](i) <j> &amp; \\k ''l'' {{m}} `n` [[o]] \x1b[31m"


@pytest.mark.parametrize("fmt", _OFFERED)
def test_no_title_adds_lines_or_cells(fmt: str) -> None:
    """In every format offered, a title holding line breaks, tabs, separators and markup
    takes one cell on one line (as many lines, and in line formats as many
    separators, as a plain title)."""
    columns = ["date", "title", "kind"]
    plain = to_table(_rows("plain"), fmt=fmt, columns=columns)
    nasty = to_table(_rows(NASTY), fmt=fmt, columns=columns)
    assert len(nasty.splitlines()) == len(plain.splitlines()), nasty
    assert "\x1b" not in nasty
    if fmt == "tsv":
        assert [line.count("\t") for line in nasty.splitlines()] == [2, 2]


@pytest.mark.parametrize("fmt", sorted(_REFUSED))
def test_unsafe_formats_are_refused(fmt: str) -> None:
    with pytest.raises(ChronicleError, match=f"table format '{fmt}' is not offered"):
        to_table(_rows("x"), fmt=fmt)
    out, err = io.StringIO(), io.StringIO()
    assert main(["table", "events/", "-f", fmt], stdout=out, stderr=err) == 2
    assert "is not offered" in err.getvalue()
    assert out.getvalue() == ""


def test_unknown_format_lists_only_offered_ones() -> None:
    with pytest.raises(ChronicleError) as info:
        to_table([], fmt="nope")
    assert "unsafehtml" not in str(info.value) and "github" in str(info.value)
