"""MkDocs hooks (mkdocs.yml, ``hooks:``): what the lesson pages need after mkdocs-jupyter renders them.

On each lesson page (``lessons/NN_name.ipynb``):

- every plot stored in the notebook as a base64 ``data:`` URI becomes a file beside the page
  (``figures/<sha256>.png``, loaded lazily, cached by the browser; the glightbox plugin, which
  runs after this, makes it zoomable with a click);
- the notebook CSS that nbconvert inlines in every page (about 0.6 MB) becomes one file,
  ``assets/notebook-<sha256>.css``, which the browser fetches once for all lessons;
- each cell that docs/gen_pages.py tagged ``solution`` is folded into a ``<details>`` block,
  closed, and the cell-tag badges are removed;
- the heading anchors (``¶``) get MkDocs' class, so search leaves them out of its titles;
- the page's table of contents is rebuilt from the headings as rendered (mkdocs-jupyter
  makes it from a Markdown conversion that drops inline code: "What `Bidirectional` builds"
  became "What builds", with an anchor that is not on the page).

After the build, the search index is cleaned: ``¶`` out of titles, and TeX turned into
readable text (``$h_t = \\tanh(\\ldots)$`` reads ``h_t = tanh(…)``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import posixpath
import re
import struct
from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc

IMAGE = re.compile(r'(<img\b[^>]*?)\bsrc="data:image/(png|jpeg);base64,([^"]+)"')
STYLE = re.compile(r'\s*<style type="text/css">(.*?)</style>', re.S)
HEADING = re.compile(r"^h([1-6])$")

# Site path -> bytes, written into the site once the pages are.
_files: dict[str, bytes] = {}


def _is_lesson(page) -> bool:
    return page.file.src_uri.startswith("lessons/") and page.file.src_uri.endswith(".ipynb")


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    return None


def _move_images(text: str, page_dir: str) -> str:
    def replace(match: re.Match) -> str:
        data = base64.b64decode(match.group(3))
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.{'png' if match.group(2) == 'png' else 'jpg'}"
        _files[f"{page_dir}/figures/{name}"] = data
        size = _png_size(data)
        attrs = match.group(1)
        if size and " width=" not in attrs and " height=" not in attrs:
            attrs += f'width="{size[0]}" height="{size[1]}" '
        return f'{attrs}loading="lazy" src="figures/{name}"'

    return IMAGE.sub(replace, text)


def _move_styles(text: str, page_dir: str) -> str:
    css = "\n".join(match.group(1).strip() for match in STYLE.finditer(text))
    if not css:
        return text
    name = f"assets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:16]}.css"
    _files[name] = css.encode()
    link = f'<link rel="stylesheet" href="{posixpath.relpath(name, page_dir)}">'
    return link + STYLE.sub("", text)


def _fold_solutions(soup: BeautifulSoup) -> None:
    for toolbar in soup.select("div.celltoolbar"):
        toolbar.decompose()
    # The tag's class sits on the cell (code: on two nested divs) or on a markdown cell's output:
    # fold the outermost div of the cell, once.
    cells, seen = [], set()
    for tagged in soup.select(".celltag_solution"):
        outer = [tagged, *tagged.parents]
        cell = [el for el in outer if el.name == "div" and "jp-Cell" in el.get("class", [])][-1:]
        if cell and id(cell[0]) not in seen:
            seen.add(id(cell[0]))
            cells.append(cell[0])
    for cell in cells:
        previous = cell.find_previous_sibling()
        if previous is not None and previous.name == "details" and "solution" in previous.get("class", []):
            previous.append(cell.extract())
            continue
        details = soup.new_tag("details", attrs={"class": "solution"})
        summary = soup.new_tag("summary")
        summary.string = "Solution"
        details.append(summary)
        cell.insert_before(details)
        details.append(cell.extract())


def _toc_tokens(soup: BeautifulSoup) -> list[dict]:
    """The headings as rendered, nested by level, for mkdocs' get_toc."""
    root: list[dict] = []
    stack: list[dict] = []
    for heading in soup.find_all(HEADING):
        if not heading.get("id"):
            continue
        for anchor in heading.select("a.anchor-link, a.headerlink"):
            anchor["class"] = "headerlink"
        name = "".join(
            part for part in heading.find_all(string=True) if part.parent.name != "a" or part.strip() != "¶"
        )
        token = {
            "level": int(heading.name[1]),
            "id": heading["id"],
            "name": html.escape(name.strip()),
            "children": [],
        }
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


@event_priority(50)  # before glightbox, which wraps each image in a link to its file
def on_page_content(html_text, page, config, files):
    if not _is_lesson(page):
        return html_text
    page_dir = posixpath.dirname(page.file.dest_uri)
    html_text = _move_styles(_move_images(html_text, page_dir), page_dir)
    soup = BeautifulSoup(html_text, "html.parser")
    _fold_solutions(soup)
    page.toc = get_toc(_toc_tokens(soup))
    return str(soup)


# TeX in the search index: the commands that have a character of their own.
TEX_SYMBOLS = {
    **{
        name: chr(code)
        for name, code in zip(
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
            "upsilon phi chi psi omega".split(),
            [*range(0x3B1, 0x3C2), *range(0x3C3, 0x3CA)],
            strict=True,
        )
    },
    "varepsilon": "ε", "varphi": "φ", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "cdot": "·", "times": "×", "odot": "⊙",
    "otimes": "⊗", "oplus": "⊕", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "approx": "≈", "sim": "~", "in": "∈", "to": "→", "rightarrow": "→", "leftarrow": "←", "mapsto": "↦",
    "sum": "Σ", "prod": "Π", "infty": "∞", "partial": "∂", "nabla": "∇", "ldots": "…", "cdots": "…",
    "dots": "…", "top": "ᵀ", "mid": "|", "langle": "⟨", "rangle": "⟩", "lVert": "‖", "rVert": "‖", "Vert": "‖", "quad": " ",
    "qquad": " ", "left": "", "right": "", "big": "", "Big": "", "bigg": "", "displaystyle": "",
}  # fmt: skip
TEX_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]{1,300}?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
TEX_WRAPPER = re.compile(
    r"\\(?:mathbf|mathrm|mathit|mathcal|mathbb|boldsymbol|bm|text|textrm|textbf|operatorname"
    r"|hat|tilde|bar|vec|overline|overrightarrow|overleftarrow)\s*\{([^{}]*)\}"
)


def plain_math(tex: str) -> str:
    """TeX as a reader would type it into search: ``\\tanh(x_{t-1} W)`` -> ``tanh(x_(t-1) W)``."""
    for _ in range(3):  # nested wrappers, from the inside out
        tex = TEX_WRAPPER.sub(r"\1", tex)
        tex = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", tex)
        tex = re.sub(r"\\sqrt\s*\{([^{}]*)\}", r"√(\1)", tex)
    tex = re.sub(r"([_^])\{([^{}]{2,})\}", r"\1(\2)", tex)
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: TEX_SYMBOLS.get(m.group(1), m.group(1)), tex)
    tex = re.sub(r"\\[,;:! ]|\\\\|&", " ", tex)
    tex = tex.replace("{", "").replace("}", "").replace("\\", "")
    return re.sub(r"\s+", " ", tex).strip()


def plain_text(text: str) -> str:
    text = TEX_MATH.sub(lambda m: plain_math(next(g for g in m.groups() if g is not None)), text)
    return text.replace("¶", "").strip()


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    site = Path(config["site_dir"])
    for path, data in _files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    index_file = site / "search" / "search_index.json"
    if index_file.is_file():
        index = json.loads(index_file.read_text(encoding="utf-8"))
        for doc in index["docs"]:
            doc["title"] = plain_text(doc["title"])
            doc["text"] = plain_text(doc["text"])
        index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
