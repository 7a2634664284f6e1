"""The course website: a strict build, then the built pages opened and checked.

Needs the `site` extra (`make site` installs it into .venv, and CI runs `make site` before the
tests); without it these tests are skipped. The build renders the committed notebooks and never
executes them, so it takes seconds.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON = re.compile(r"^(\d\d)_\w+\.ipynb$")
LESSONS = sorted(p for p in (ROOT / "notebooks" / "solutions").glob("*.ipynb") if LESSON.match(p.name))
SITE_TOOLS = ("mkdocs", "material", "mkdocs_jupyter", "mkdocs_gen_files", "mkdocstrings_handlers.python")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")

for _module in SITE_TOOLS:
    pytest.importorskip(
        _module, reason="the site extra is not installed: `make site` installs it (pip install -e '.[site]')"
    )


class _Page(HTMLParser):
    """What the checks need from one HTML page: title, h1 text, image sources, links."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.title, self.h1, self.images, self.links = "", [], [], []
        self._in = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs.get("src") or "")
        elif tag in ("a", "link") and attrs.get("href"):
            self.links.append((tag, attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.links.append((tag, attrs["src"]))
        if tag in ("title", "h1"):
            self._in = tag
            if tag == "h1":
                self.h1.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1[-1] += data


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site, built strictly into a temporary folder (site/ is left alone)."""
    out = tmp_path_factory.mktemp("site")
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


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _first_heading(notebook: dict) -> str:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError("the notebook has no '# title' line")


def _images(notebook: dict) -> list[str]:
    """The base64 payload of every stored image output."""
    found = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            for mime in ("image/png", "image/jpeg"):
                if mime in output.get("data", {}):
                    data = output["data"][mime]
                    found.append("".join(data) if isinstance(data, list) else data)
    return [re.sub(r"\s", "", image) for image in found]


def _page_for(site: Path, lesson: Path) -> Path:
    return site / "lessons" / lesson.stem / "index.html"


def test_there_are_lessons():
    assert len(LESSONS) >= 7, f"expected lessons 00-06 at least, found {[p.name for p in LESSONS]}"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_page_has_title_images_and_learner_link(site, lesson):
    page_file = _page_for(site, lesson)
    assert page_file.is_file(), f"no page for {lesson.name} at {page_file.relative_to(site)}"
    html = page_file.read_text(encoding="utf-8")
    page = _Page(html)
    notebook = _notebook(lesson)

    heading = re.sub(r"[`*]", "", _first_heading(notebook))
    assert any(h.replace("¶", "").strip() == heading for h in page.h1), (
        f"{lesson.name}: the page's first heading should read {heading!r}; page has {page.h1[:2]}"
    )
    assert page.title.startswith(lesson.stem[:2]), f"{lesson.name}: page title {page.title!r}"

    # The plots are files beside the page (docs/hooks.py), each a link that zooms (glightbox).
    images = _images(notebook)
    assert images, f"{lesson.name} has no stored plots: was it committed without outputs?"
    shown = {(page_file.parent / src).read_bytes() for src in page.images if src.startswith("figures/")}
    missing = [i for i, image in enumerate(images) if base64.b64decode(image) not in shown]
    assert not missing, f"{lesson.name}: stored images {missing} (of {len(images)}) are not on its page"
    assert not [src for src in page.images if src.startswith("data:")], f"{lesson.name}: images inlined"
    assert html.count('class="glightbox"') >= len(set(images)), f"{lesson.name}: a plot cannot be zoomed"

    # The notebook CSS is one shared file, not 0.6 MB inlined in every page.
    assert "<style" not in html.split('<div class="jupyter-wrapper">', 1)[-1][:2000]
    assert any(tag == "link" and re.search(r"assets/notebook-\w+\.css$", href) for tag, href in page.links)
    assert len(html) < 800_000, f"{lesson.name}: the page is {len(html):,} bytes"

    # Solutions folded under their exercise; no nbval tag badges; a box says how to run it.
    source = lesson.read_text(encoding="utf-8")
    if "BEGIN SOLUTION" in source:
        assert '<details class="solution">' in html, f"{lesson.name}: its solutions are not folded"
        assert '<details class="solution" open' not in html
    assert "nbval-check-output" not in html and 'class="celltoolbar"' not in html
    assert 'class="run-lesson"' in html and "make lab" in html, f"{lesson.name}: no 'Run this lesson' box"

    learner = f"../../notebooks/{lesson.name}"
    assert ("a", learner) in page.links, f"{lesson.name}: no link to the learner copy {learner}"
    assert (site / "notebooks" / lesson.name).read_bytes() == (ROOT / "notebooks" / lesson.name).read_bytes()

    # Chinese (lessons 07-08) must reach the page as characters, not escapes or boxes.
    for text in sorted(set(CJK.findall(source))):
        assert text in html, f"{lesson.name}: {text!r} is in the notebook but not on its page"


def test_search_index_lists_every_lesson(site):
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    pages = {d["location"]: d for d in docs}
    for lesson in LESSONS:
        entry = pages.get(f"lessons/{lesson.stem}/")
        assert entry is not None, f"the search index has no entry for {lesson.name}"
        assert entry["title"].startswith(lesson.stem[:2]), entry["title"]
        assert len(entry["text"]) > 1000, f"{lesson.name}: the search index holds almost none of its text"


def test_home_notation_datasheet_and_api_pages(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lesson in LESSONS:
        if f"notebooks/{lesson.name}" in readme:  # the README's table links the learner copy
            assert f'href="lessons/{lesson.stem}/"' in home, f"the home page does not link {lesson.name}"
    assert "Notation" in _Page((site / "notation" / "index.html").read_text(encoding="utf-8")).title
    assert "Datasheet" in _Page((site / "datasheet" / "index.html").read_text(encoding="utf-8")).title
    text_api = (site / "api" / "seqkeras.text" / "index.html").read_text(encoding="utf-8")
    assert 'id="seqkeras.text.frequent_tokens"' in text_api, (
        "the API reference lacks seqkeras.text.frequent_tokens"
    )
    assert ":class:" not in text_api and ":func:" not in text_api, "reST roles left unconverted"


def test_every_internal_link_and_image_resolves(site):
    """Links inside rendered notebooks are not checked by MkDocs itself: check them all here."""
    broken = []
    for html_file in site.rglob("*.html"):
        page = _Page(html_file.read_text(encoding="utf-8"))
        targets = [href for _, href in page.links] + page.images
        for target in targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path:  # external, data:, or "#anchor"
                continue
            base = site if parts.path.startswith("/") else html_file.parent  # 404.html: from the root
            path = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.endswith("/") or path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{html_file.relative_to(site)} -> {target}")
    assert not broken, "broken internal links:\n" + "\n".join(sorted(set(broken))[:30])


def test_contents_sidebar_keeps_code_in_headings(site):
    """mkdocs-jupyter's contents dropped inline code: "What `Bidirectional` builds" read "What builds"."""
    page = (site / "lessons" / "06_bidirectional" / "index.html").read_text(encoding="utf-8")
    if 'id="what-bidirectional-builds"' in page:
        assert 'href="#what-bidirectional-builds"' in page and "What Bidirectional builds" in page
    for anchor in set(
        re.findall(r'class="md-nav__link" href="#([^"]+)"|href="#([^"]+)" class="md-nav__link"', page)
    ):
        target = next(a for a in anchor if a)
        assert f'id="{target}"' in page, f"the contents link to #{target}, which the page does not have"


def test_api_pages_titles_and_overview(site):
    overview = (site / "api" / "index.html").read_text(encoding="utf-8")
    for module in ("seqkeras.decoding", "seqkeras.pretrained", "seqkeras.data"):
        assert f'href="{module}/"' in overview, f"the API overview does not link {module}"
    for page in (site / "api").rglob("index.html"):
        title = _Page(page.read_text(encoding="utf-8")).title
        assert not title.startswith("Index"), f"{page.relative_to(site)} is titled {title!r}"


def test_fonts_sitemap_and_search_text(site):
    for name in (
        "NotoSansSC-seqkeras.woff2",
        "NotoSansSC-OFL.txt",
        "seqkeras-symbols.woff2",
        "LICENSE_DEJAVU.txt",
    ):
        assert (site / "fonts" / name).is_file(), f"fonts/{name} is missing"
    assert (site / "fonts" / "NotoSansSC-seqkeras.woff2").stat().st_size < 200_000
    assert "<loc>None" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    for doc in docs:
        assert "¶" not in doc["title"] + doc["text"], doc["location"]
        assert not re.search(r"\\(frac|tanh|mathbf|mathcal)\b", doc["text"]), f"raw TeX in {doc['location']}"
    assert any("汤姆" in d["text"] for d in docs), "the search index has no 汤姆 as a word"
