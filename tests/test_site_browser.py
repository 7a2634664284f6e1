"""The course website in a real browser: the home page and every lesson, at 1280 and 390 px.

Playwright for Python drives the system's Chromium (Debian's `chromium` package: `.ci/run`
installs it when it can; Playwright's own browser download needs a network). Each page is
loaded from a local HTTP server over a fresh strict build, and the test fails on:

- a console error, an uncaught exception, a failed request or an HTTP error;
- a horizontal scroll of the page (at 390 px, code and outputs must scroll inside their cells);
- an equation left as TeX (``$…$``, ``\\(…\\)``) after MathJax has run;
- an image wider than the viewport, or shown smaller than it is without a click to zoom;
- Chinese (or ✅/⏳) drawn with any font but the site's own (Chromium reports, per element,
  which font drew how many glyphs: a fallback font, or a missing glyph, shows there);
- at 1280 px, a code cell whose lines fit in 110 characters (the notebooks' line length)
  that still scrolls sideways; at 390 px, an In/Out prompt still shown.

Then it searches the site for Chinese (汤姆, and each glossary term of NOTATION.md) and checks
the results. One browser, each page loaded once (then narrowed), two at a time. The site is
site/ when `make site` built it after the last change to its sources (as in CI), else a strict
build in a temporary folder. Set
SEQKERAS_SCREENSHOTS=DIR to keep a screenshot of every page and width in DIR.
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON = re.compile(r"^(\d\d)_\w+\.ipynb$")
LESSONS = sorted(p.stem for p in (ROOT / "notebooks" / "solutions").glob("*.ipynb") if LESSON.match(p.name))
PAGES = ["", *(f"lessons/{name}/" for name in LESSONS)]
WIDTHS = (1280, 390)
CJK_FONT = "Noto Sans SC"  # the name inside the site's font (its CSS family is "Noto Sans SC seqkeras")
SYMBOL_FONT = "seqkeras symbols"
CODE_LINE = 110  # ruff's line length for the notebooks (pyproject.toml)
PARALLEL = 2  # pages loaded at once: CI has two cores
# TeX a search result must not show: a $…$ span, or a command the lessons' equations use.
TEX_IN_RESULT = re.compile(
    r"\$[^$\s][^$]{0,80}\$|\\(?:frac|tanh|mathbf|mathcal|sigma|alpha|odot|cdot|top|sum|left|right)\b"
)

pytest.importorskip("mkdocs", reason="the site extra is not installed: `make site` installs it")
pytest.importorskip("playwright", reason="playwright is not installed: it is in the site extra (`make site`)")


def _chromium() -> str | None:
    """The system's Chromium: SEQKERAS_CHROMIUM, or Debian's binary, or one on PATH."""
    candidates = [os.environ.get("SEQKERAS_CHROMIUM"), "/usr/lib/chromium/chromium"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


CHROMIUM = _chromium()
if CHROMIUM is None:
    pytest.skip(
        "no Chromium to drive: install Debian's `chromium` package (`apt-get install chromium`, "
        "as .ci/run does) or set SEQKERAS_CHROMIUM to a Chromium or Chrome binary",
        allow_module_level=True,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# What the site is made from: a site/ newer than all of these is current.
SOURCES = ("mkdocs.yml", "README.md", "NOTATION.md", "data/README.md", "docs", "notebooks", "seqkeras")


def _current_build() -> Path | None:
    """site/, if `make site` built it after the last change to any source (CI builds it first)."""
    built = ROOT / "site" / "sitemap.xml"
    if not built.is_file():
        return None
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return built.parent if built.stat().st_mtime > newest else None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The site (site/ if current, else a strict build), served on a free port; yields the URL."""
    out = _current_build() or _build(tmp_path_factory.mktemp("site"))
    handler = functools.partial(_QuietHandler, directory=str(out))
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _build(out: Path) -> Path:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.stderr[-4000:]}"
    return out


# Run in the page once it has loaded and MathJax has typeset; returns what the checks need.
INSPECT = r"""(codeLine) => {
  const content = document.querySelector(".md-content");
  const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
               tex: [], images: [], wideCode: [], marked: 0};
  const skip = (el) => el.closest("pre, code, script, style, textarea, .MathJax, .MathJax_Preview, .MJX_Assistive_MathML, mjx-container");
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  const cjk = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/g;
  const symbols = /[\u2705\u23f3]/g;
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, .clipboard-copy-txt") || !el.getClientRects().length) continue;
    if (!skip(el)) {
      const m = node.data.match(/\$[^$\s][^$]*\$|\\\(|\\\[/);
      if (m) out.tex.push(node.data.trim().slice(0, 120));
    }
    const nCjk = (node.data.match(cjk) || []).length, nSym = (node.data.match(symbols) || []).length;
    if ((nCjk || nSym) && !seen.has(el)) {
      seen.add(el);
      el.setAttribute("data-font-check", out.marked++);
    }
  }
  for (const img of content.querySelectorAll("img")) {
    const r = img.getBoundingClientRect();
    const natural = img.naturalWidth || Number(img.getAttribute("width")) || 0;
    out.images.push({src: img.getAttribute("src").slice(0, 80), width: r.width, natural,
                     zoom: !!img.closest("a.glightbox")});
  }
  for (const pre of content.querySelectorAll(".jp-InputArea-editor")) {
    const longest = Math.max(...pre.innerText.split("\n").map((l) => l.length));
    if (longest <= codeLine && pre.scrollWidth > pre.clientWidth + 1)
      out.wideCode.push(`${longest} chars: ${pre.innerText.split("\n")[0].slice(0, 60)}`);
  }
  out.prompts = [...content.querySelectorAll(".jp-InputPrompt, .jp-OutputPrompt")]
    .filter((e) => e.getClientRects().length).length;
  return out;
}"""


async def _fonts_of_marked(page, count: int) -> list[str]:
    """For each element marked by INSPECT: which fonts drew its Chinese and symbols."""
    problems = []
    if not count:
        return problems
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("DOM.enable")
    await cdp.send("CSS.enable")
    root = (await cdp.send("DOM.getDocument", {"depth": -1}))["root"]["nodeId"]
    ids = (await cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-font-check]"}))[
        "nodeIds"
    ]
    for node_id in ids:
        attributes = (await cdp.send("DOM.getAttributes", {"nodeId": node_id}))["attributes"]
        mark = attributes[attributes.index("data-font-check") + 1]
        text = await page.evaluate(
            "(i) => [...document.querySelector(`[data-font-check='${i}']`).childNodes]"
            ".filter((n) => n.nodeType === 3).map((n) => n.data).join('')",
            mark,
        )
        fonts = (await cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id}))["fonts"]
        glyphs = {f["familyName"]: f["glyphCount"] for f in fonts}
        n_cjk = len(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]", text))
        n_sym = len(re.findall(r"[\u2705\u23f3]", text))
        if n_cjk and sum(n for family, n in glyphs.items() if family.startswith(CJK_FONT)) < n_cjk:
            problems.append(f"{n_cjk} Chinese characters, fonts used {glyphs}: {text.strip()[:60]!r}")
        emoji = sum(n for family, n in glyphs.items() if "emoji" in family.lower())
        if n_sym and glyphs.get(SYMBOL_FONT, 0) + emoji < n_sym:
            problems.append(f"{n_sym} of ✅/⏳, fonts used {glyphs}: {text.strip()[:60]!r}")
    await cdp.detach()
    return problems


def _problems(found: dict, width: int) -> list[str]:
    errors = []
    if found["scrollWidth"] > found["innerWidth"] + 1:
        errors.append(f"the page scrolls sideways: {found['scrollWidth']} px wide in {found['innerWidth']}")
    errors += [f"unrendered TeX: {t!r}" for t in found["tex"][:5]]
    for img in found["images"]:
        if img["width"] > width:
            errors.append(f"image {img['src']} is {img['width']:.0f} px wide in a {width} px window")
        elif img["natural"] > img["width"] + 1 and not img["zoom"]:
            errors.append(
                f"image {img['src']} is shrunk ({img['natural']} -> {img['width']:.0f} px), no zoom"
            )
    if width < 600 and found["prompts"]:
        errors.append(f"{found['prompts']} In/Out prompts shown on a phone-width screen")
    if width >= 1280:
        errors += [f"a code cell scrolls sideways ({c})" for c in found["wideCode"][:5]]
    return [f"at {width} px: {e}" for e in errors]


async def _check_page(browser, base: str, path: str, shots: Path | None) -> list[str]:
    """Load the page once, at the first width, check it, then narrow the window to each other width."""
    context = await browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    try:
        await page.goto(base + path, wait_until="load", timeout=90_000)
        # MathJax: the lesson pages load it themselves, the others through javascripts/mathjax.js.
        await page.wait_for_function(
            "() => !document.querySelector('.arithmatex, .jupyter-wrapper') || (window.MathJax && MathJax.isReady)",
            timeout=90_000,
        )
        await page.evaluate(
            "() => new Promise((done) => window.MathJax && MathJax.Hub ? MathJax.Hub.Queue(done) : done())"
        )
        await page.evaluate("() => document.fonts.ready.then(() => null)")
        name = path.strip("/").split("/")[-1] or "home"
        for i, width in enumerate(WIDTHS):
            if i:
                await page.set_viewport_size({"width": width, "height": 900})
                await page.wait_for_timeout(300)
            if shots is not None:  # as a reader first sees it, solutions folded
                await page.screenshot(path=str(shots / f"{name}-{width}.png"))
            # Every solution open, as a reader may open it: its text is checked too.
            await page.evaluate("() => document.querySelectorAll('details').forEach((d) => (d.open = true))")
            await page.evaluate("() => document.fonts.ready.then(() => null)")
            found = await page.evaluate(INSPECT, CODE_LINE)
            errors += _problems(found, width)
            if i == 0:  # the fonts drawing each element do not depend on the width
                errors += await _fonts_of_marked(page, found["marked"])
            await page.evaluate("() => document.querySelectorAll('details').forEach((d) => (d.open = false))")
        await page.wait_for_load_state("networkidle", timeout=30_000)
    finally:
        await context.close()
    return [f"{path or 'home'}: {e}" for e in errors]


async def _search(browser, base: str, queries: list[str]) -> dict[str, tuple[str, list[str], list[str]]]:
    """Type each query into the site's search; what it finds: summary, result links, result texts."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    found = {}
    for query in queries:  # a fresh page for each: no result of the query before can linger
        page = await context.new_page()
        await page.goto(base, wait_until="load")
        await page.click("label.md-search__icon, .md-search__input")
        # A query typed before the search worker has loaded the index is dropped: send it again
        # (a key typed and taken back) until the results say how many documents match.
        await page.fill("input.md-search__input", query)
        for attempt in range(30):
            try:
                await page.wait_for_function(
                    "() => /matching/i.test(document.querySelector('.md-search-result__meta')?.textContent)",
                    timeout=2_000,
                )
                break
            except Exception:
                if attempt == 29:
                    raise
                await page.press("input.md-search__input", "Space")
                await page.press("input.md-search__input", "Backspace")
        await page.wait_for_timeout(300)  # the worker answers each keystroke: let the last one land
        found[query] = (
            await page.inner_text(".md-search-result__meta"),
            await page.eval_on_selector_all(".md-search-result__link", "els => els.map((e) => e.href)"),
            await page.eval_on_selector_all(
                ".md-search-result__article", "els => els.map((e) => e.innerText)"
            ),
        )
        await page.close()
    await context.close()
    return found


async def _run(base: str, shots: Path | None):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            gate = asyncio.Semaphore(PARALLEL)

            async def one(path):
                async with gate:
                    return await _check_page(browser, base, path, shots)

            results = await asyncio.gather(*(one(path) for path in PAGES))
            queries = ["汤姆"] + _glossary_terms()
            searches = await _search(browser, base, queries)
        finally:
            await browser.close()
    return [e for errors in results for e in errors], searches


def _glossary_terms() -> list[str]:
    """Chinese terms of NOTATION.md's glossary (a table row with a Chinese cell), if it has one."""
    text = (ROOT / "NOTATION.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"\|\s*([\u4e00-\u9fff]{2,6})\s*\|", text)))[:3]


def test_every_page_in_chromium(server):
    shots = os.environ.get("SEQKERAS_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    errors, searches = asyncio.run(_run(server, Path(shots) if shots else None))
    assert not errors, f"{len(errors)} problems in the browser:\n" + "\n".join(errors[:40])
    for query, (summary, links, texts) in searches.items():
        assert links, f"searching {query!r} finds nothing ({summary!r})"
        assert any("/lessons/" in link or "/notation/" in link for link in links), (query, links)
        for text in texts:
            assert "¶" not in text and not TEX_IN_RESULT.search(text), (
                f"search result for {query!r} shows raw TeX or ¶: {text[:200]!r}"
            )
