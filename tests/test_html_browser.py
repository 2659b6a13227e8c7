"""The HTML timeline in a real headless browser (Debian's chromium).

Loads the seed chronology's page from a file, checks that its script ran without an error
or a console message, that hovering, pinning and zooming work, and saves a screenshot.
Skipped, with the reason, when no chromium is installed (``apt-get install -y chromium``).

Set ``CHRONICLE_SCREENSHOT=path.png`` to keep the seed screenshot (docs/timeline.png is
made that way).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import chronicle

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
MERGE = Path(__file__).parent / "fixtures" / "merge"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


CHROMIUM = _chromium()

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH or at /usr/bin/chromium (Debian: apt-get install -y chromium)",
)

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def browse(tmp_path: Path) -> Run:
    """Run headless chromium on a page with a fresh profile; return the finished process."""
    assert CHROMIUM is not None

    def run(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
        profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
        profile.mkdir()
        cmd = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1400,900",
            *args,
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"chromium did not finish within 180 s: {' '.join(cmd)}")
        return done

    return run


def console(done: subprocess.CompletedProcess[str], page: Path) -> list[str]:
    """Console messages (logs, warnings, uncaught errors) the page produced."""
    return [
        line
        for line in done.stderr.splitlines()
        if ":CONSOLE" in line and (page.as_uri() in line or "source: " not in line)
    ]


def body_attrs(dom: str) -> dict[str, str]:
    m = re.search(r"<body([^>]*)>", dom)
    assert m is not None, dom[:500]
    return {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', m.group(1))}


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ledger = chronicle.load(EVENTS)
    path = tmp_path_factory.mktemp("html") / "seed.html"
    title = "Seed chronology: 文心一言 and the cloud market (Leiphone, 24 March 2023)"
    page = chronicle.to_html(ledger.merge(), ledger=ledger, title=title)
    path.write_text(page, encoding="utf-8")
    return path


def test_seed_page_runs_without_errors(browse: Run, seed_page: Path) -> None:
    done = browse(seed_page, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    attrs = body_attrs(done.stdout)
    assert "data-js-errors" not in attrs, attrs.get("data-js-errors")
    assert attrs.get("data-ready") == "1", "the page's script did not finish"
    assert console(done, seed_page) == []
    dom = done.stdout
    # the script laid the picture out: the zoom shows, the toolbar is on, ticks were drawn
    assert re.search(r'<div class="tools" id="tools" role="toolbar" aria-label="zoom">', dom)
    assert dom.count('class="ev ') == len(chronicle.load(EVENTS).merge())


def test_seed_screenshot(browse: Run, seed_page: Path, tmp_path: Path) -> None:
    shot = Path(os.environ.get("CHRONICLE_SCREENSHOT") or tmp_path / "seed.png").resolve()
    done = browse(seed_page, f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console(done, seed_page) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 900)
    assert len(data) > 20_000  # a picture, not a blank page


_DRIVE = """<script>
(function(){
  function report(k, v){ document.body.setAttribute("data-test-" + k, String(v)); }
  try {
    var g = document.querySelector('g.ev[data-conflict="resolved"]');
    var r = g.getBoundingClientRect();
    g.dispatchEvent(new MouseEvent("mousemove", {bubbles: true, clientX: r.left + 2, clientY: r.top + 2}));
    var tip = document.getElementById("tip");
    report("hover", !tip.hidden && tip.textContent.indexOf("Competing dates") >= 0);
    g.dispatchEvent(new MouseEvent("click", {bubbles: true, clientX: r.left + 2, clientY: r.top + 2}));
    report("pinned", tip.classList.contains("pinned") && tip.querySelectorAll("li").length);
    report("tip", tip.textContent);
    var before = document.getElementById("plot").getAttribute("width");
    document.getElementById("zin").click();
    document.getElementById("zin").click();
    report("zoom", document.getElementById("zoom").textContent);
    report("widths", before + "->" + document.getElementById("plot").getAttribute("width"));
    report("ticks", document.querySelectorAll("#axis text").length);
    document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
    report("closed", tip.hidden);
    var s = document.getElementById("scroller"), b = s.getBoundingClientRect();
    var w = +document.getElementById("plot").getAttribute("width");
    s.dispatchEvent(new WheelEvent("wheel", {deltaY: 300, ctrlKey: true, bubbles: true,
      cancelable: true, clientX: b.left + 600, clientY: b.top + 50}));
    setTimeout(function(){
      report("wheel", +document.getElementById("plot").getAttribute("width") / w);
    }, 200);
  } catch (e) { report("error", e && e.message); }
})();
</script></body>"""


def test_details_and_zoom_work(browse: Run, tmp_path: Path) -> None:
    ledger = chronicle.load(MERGE / "launch_month.toml")
    page = tmp_path / "conflict.html"
    text = chronicle.to_html(ledger.merge(), ledger=ledger)
    page.write_text(text.replace("</body>", _DRIVE), encoding="utf-8")
    done = browse(page, "--virtual-time-budget=3000", "--dump-dom")
    attrs = body_attrs(done.stdout)
    assert "data-js-errors" not in attrs, attrs.get("data-js-errors")
    assert "data-test-error" not in attrs, attrs["data-test-error"]
    assert attrs["data-ready"] == "1"
    assert attrs["data-test-hover"] == "true"
    assert int(attrs["data-test-pinned"]) >= 3  # readings and sources listed
    tip = attrs["data-test-tip"]
    for words in ("2021-05-20", "2021-06", "chosen", "resolved", "Overruled", "Sources:"):
        assert words in tip, words
    assert attrs["data-test-closed"] == "true"
    before, after = (float(x) for x in attrs["data-test-widths"].split("->"))
    assert after > 3 * before  # two steps of ×2 from the fitted zoom
    assert int(attrs["data-test-ticks"]) > 5
    assert 0.6 < float(attrs["data-test-wheel"]) < 0.7  # ctrl + wheel out: 1.0015 ** -300
    assert console(done, page) == []
