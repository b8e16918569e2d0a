"""Drive Debian's chromium headless on a report page: measure it and take screenshots.

No browser driver is needed: a small script is added to a copy of the page; on load it
measures the document (scrollWidth against innerWidth, height), resolves every contents link
and checks that every flagged cell's note is visible text, and writes the result into the
DOM, which ``chromium --dump-dom`` prints. Screenshots are taken with ``--screenshot`` of a
tall window and cut into pieces.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PROBE = """<script>
window.addEventListener('load', function () {
  var d = document.documentElement;
  var toc = Array.prototype.map.call(document.querySelectorAll('nav.toc a'),
    function (a) { return a.getAttribute('href'); });
  var missing = toc.filter(function (h) {
    return !h || h.charAt(0) !== '#' || !document.getElementById(h.slice(1)); });
  var refs = document.querySelectorAll('td a.ref');
  var hidden = [], texts = [];
  Array.prototype.forEach.call(refs, function (a) {
    var note = document.getElementById(a.getAttribute('href').slice(1));
    var box = note ? note.getBoundingClientRect() : null;
    var text = note ? note.innerText.trim() : '';
    if (!note || note.offsetParent === null || box.width <= 0 || box.height <= 0
        || getComputedStyle(note).visibility !== 'visible' || text.length < 20) {
      hidden.push(a.getAttribute('href'));
    }
    texts.push(text);
  });
  var wide = [];
  Array.prototype.forEach.call(document.querySelectorAll('table'), function (t) {
    if (t.getBoundingClientRect().right > window.innerWidth + 1) {
      var box = t.closest('.tablebox');
      if (!box || box.getBoundingClientRect().right > window.innerWidth + 1) wide.push(t.id);
    }
  });
  var out = {innerWidth: window.innerWidth, scrollWidth: d.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth, scrollHeight: d.scrollHeight,
    toc: toc, missing: missing, flagged: refs.length, hidden: hidden, notes: texts,
    unboxed: wide};
  var pre = document.createElement('pre');
  pre.id = 'sciteff-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=5000",
]


def chromium() -> str:
    """Debian's chromium; skipped where absent, except in CI (make test installs it)."""
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (make test installs it)")
        pytest.skip("chromium not installed (make test installs it)")
    return found


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def probe(page: Path, width: int, workdir: Path, height: int = 900) -> dict:
    """Load ``page`` at ``width`` x ``height`` px and return the probe's measurements."""
    html = page.read_text(encoding="utf-8")
    probed = workdir / f"probed_{width}.html"
    probed.write_text(html.replace("</body>", PROBE + "</body>", 1), encoding="utf-8")
    run = _run(
        [f"--window-size={width},{height}", "--dump-dom", probed.as_uri()], workdir / "profile"
    )
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'<pre id="sciteff-probe">(.*?)</pre>', run.stdout, flags=re.S)
    assert found, "the probe did not run: " + run.stderr[-2000:]
    text = found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return json.loads(text)


def screenshot(page: Path, width: int, height: int, target: Path, *, css: str = "") -> Path:
    """A PNG of the first ``height`` px of ``page`` at ``width`` px (``css`` is added to the
    page first, e.g. to show one section only)."""
    shown = target.with_suffix(".html")
    html = page.read_text(encoding="utf-8")
    shown.write_text(html.replace("</body>", f"<style>{css}</style></body>", 1), "utf-8")
    run = _run(
        [f"--window-size={width},{height}", f"--screenshot={target}", shown.as_uri()],
        target.parent / "profile",
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return target
