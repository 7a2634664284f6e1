"""Make the website's pages from the repository; mkdocs-gen-files runs this at build time.

Nothing here is written to disk in the repository: the pages exist only inside the build.

- ``index.md``: the README (the lesson table, measured times, headline results).
- ``lessons/NN_name.ipynb``: every ``notebooks/solutions/NN_*.ipynb`` that exists, with its
  stored outputs (rendered by mkdocs-jupyter, never executed), plus a note under the title
  linking to the learner copy, which is offered for download at ``notebooks/NN_name.ipynb``;
  nbval's ``# NBVAL_…`` marker lines, if a cell has one, are left out of the code shown (the
  lessons use the cell tag ``nbval-check-output`` instead).
- ``notation.md`` and ``datasheet.md``: ``NOTATION.md`` and ``data/README.md``.
- ``api/…``: one page per public module of ``seqkeras``, filled by mkdocstrings from the
  docstrings.
- ``vendor/mathjax/…``: MathJax 2.7 from the jupyter-server-mathjax package, so that the
  equations render without a network, like the rest of the course.
- ``fonts/…``: the course's Noto Sans SC subset (``data/NotoSansSC-subset.ttf``) cut again, to
  the CJK characters the site's sources use, as a woff2 web font with its licence beside it (cut
  from the full Noto Sans SC of the justmytype-intl-cjk package when the pages use a character
  the course's subset lacks: the traditional characters quoted in lesson 07, the glossary's),
  and two symbols (✅ ⏳, which the exercise checks print) drawn from matplotlib's DejaVu Sans,
  so that Chinese and the checks' marks read on a machine without CJK or emoji fonts
  (``stylesheets/extra.css`` declares them with ``@font-face``).
- the navigation, lessons in number order.

Links between these files are rewritten to where the pages live on the site; a link to
anything the site does not have is left alone, so the strict build reports it.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import json
import posixpath
import re
from pathlib import Path

import mkdocs_gen_files
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

ROOT = Path(mkdocs_gen_files.config.config_file_path).resolve().parent
SOLUTIONS = ROOT / "notebooks" / "solutions"
LESSON = re.compile(r"^(\d\d)_\w+\.ipynb$")

# Repository path -> page source path on the site.
PAGES = {"README.md": "index.md", "NOTATION.md": "notation.md", "data/README.md": "datasheet.md"}
DIRECTORY_PAGES = {"data": "datasheet.md"}

# [text](target) in Markdown; the target stops at whitespace or ")" (titles are kept as they are).
MD_LINK = re.compile(r"(\]\()([^)\s]+)")


def lessons() -> list[Path]:
    """Every solution notebook named NN_name.ipynb, in lesson order."""
    return sorted(p for p in SOLUTIONS.glob("*.ipynb") if LESSON.match(p.name))


def site_source(repo_path: str) -> str | None:
    """Where the file at ``repo_path`` (relative to the repository root) lives on the site."""
    repo_path = posixpath.normpath(repo_path)
    if repo_path in PAGES:
        return PAGES[repo_path]
    if repo_path in DIRECTORY_PAGES:
        return DIRECTORY_PAGES[repo_path]
    folder, name = posixpath.split(repo_path)
    if LESSON.match(name) and folder in ("notebooks", "notebooks/solutions"):
        # A lesson named anywhere (learner or solution copy) links to its page.
        return f"lessons/{name}"
    if repo_path.startswith("seqkeras/") and repo_path.endswith(".py") and (ROOT / repo_path).is_file():
        # A module's source links to its API reference.
        module = repo_path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        if module in api_modules():
            return api_page(module)
    return None


def rewrite_links(markdown: str, repo_dir: str, page_dir: str, *, to_urls: bool = False) -> str:
    """Point relative links in ``markdown`` (a file in ``repo_dir``) at the site's pages.

    Args:
        markdown: the text.
        repo_dir: the folder of the file in the repository ("" for the root).
        page_dir: the folder of the page on the site ("" for the root).
        to_urls: write final URLs (for notebooks, whose links mkdocs does not resolve)
            instead of page source paths (for Markdown pages, which mkdocs resolves and checks).
    """

    def replace(match: re.Match) -> str:
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):  # external, anchor, absolute
            return match.group(0)
        path, _, anchor = target.partition("#")
        source = site_source(posixpath.join(repo_dir, path.rstrip("/")) if path else "")
        if source is None:
            return match.group(0)
        if to_urls:  # a/index.md -> a/, a/b.md -> a/b/ (directory URLs)
            source = re.sub(r"(^|/)index\.md$", r"\1", source)
            source = re.sub(r"\.(md|ipynb)$", "/", source)
        new = posixpath.relpath(source or ".", page_dir or ".")
        if to_urls and not new.endswith("/"):
            new += "/"
        return match.group(1) + new + (f"#{anchor}" if anchor else "")

    return MD_LINK.sub(replace, markdown)


def short_title(notebook: dict, number: str) -> str:
    """The lesson's title for the navigation: its first heading without number or equations."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    title = line[2:]
                    title = re.sub(rf"^(Lesson\s+)?{number}\s*[·—:.-]*\s*", "", title)
                    title = re.sub(r"\$[^$]*\$", "", title)  # equations do not render in the menu
                    return title.strip(" :—-") or f"Lesson {number}"
    raise ValueError(f"notebooks/solutions: lesson {number} has no '# title' line in a markdown cell")


def clone_command() -> str:
    """How to get the course: a real command when mkdocs.yml sets repo_url, else a placeholder."""
    repo_url = mkdocs_gen_files.config.get("repo_url")
    if repo_url:
        return f"git clone {repo_url.rstrip('/')}.git seqkeras"
    return "git clone <the course's repository URL> seqkeras"


def run_note(name: str) -> str:
    """Markdown, placed under the lesson's title: how to run the lesson, and its learner copy."""
    learner = f"notebooks/{name}"
    if not (ROOT / learner).is_file():
        raise FileNotFoundError(
            f"{learner} is missing: the site links every lesson to its learner copy; "
            "run `make notebooks` to generate it from the solution notebook"
        )
    # An HTML block: nbconvert's Markdown renderer keeps it as it is (class for the CSS box).
    return (
        f'<div class="run-lesson">\n\n'
        f"**Run this lesson.** This page is the worked solution, shown with the outputs it "
        f"produced. To run it yourself you need the whole course (a lesson imports the course's "
        f"`seqkeras` helpers and reads its data), with Python 3.11+, `make` and `git`:\n\n"
        f"1. Get the course: `{clone_command()}` (or download the repository as a zip and "
        f"unpack it), then `cd seqkeras`.\n"
        f"2. `make lab`: the first run installs the course into `.venv` (a few minutes) and "
        f"opens JupyterLab.\n"
        f"3. Open `{learner}`, your copy with the exercises left for you "
        f'(<a href="../../{learner}" download>download it alone</a>), pick the '
        f'"Python (seqkeras)" kernel if asked, and run it top to bottom. The checks under each '
        f"exercise tell you when your answer is right; `notebooks/solutions/{name}` is this page.\n"
        f"\n</div>"
    )


def add_run_note(notebook: dict, name: str) -> None:
    """Put :func:`run_note` right under the first "# title" line of the notebook."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            lines = "".join(cell["source"]).splitlines()
            for i, line in enumerate(lines):
                if line.startswith("# "):
                    lines[i + 1 : i + 1] = ["", run_note(name), ""]
                    cell["source"] = "\n".join(lines)
                    return
    raise ValueError(f"notebooks/solutions/{name} has no '# title' line in a markdown cell")


# The solution regions of seqkeras.exercises: the learner copy has a stub where they stand.
CODE_SOLUTION = re.compile(r"(?m)^[ \t]*### (BEGIN|END) SOLUTION\b.*$")
MD_SOLUTION = re.compile(
    r"(?ms)^[ \t]*<!-- BEGIN SOLUTION.*?-->[ \t]*$(.*?)^[ \t]*<!-- END SOLUTION[ \t]*-->[ \t]*$"
)


def mark_solutions(cell: dict) -> list[dict]:
    """The cell, split so that each solution is a cell of its own tagged ``solution``.

    A code cell with ``### BEGIN SOLUTION`` is tagged whole (a checker cell follows it); a
    markdown cell is cut around each ``<!-- BEGIN SOLUTION -->`` region. The site's hook
    (docs/hooks.py) folds every tagged cell into a ``<details>`` block, closed by default, so
    that a reader meets each exercise before its answer.
    """
    source = "".join(cell["source"])
    if cell["cell_type"] == "code" and CODE_SOLUTION.search(source):
        cell["metadata"]["tags"] = ["solution"]
        return [cell]
    if cell["cell_type"] != "markdown" or not MD_SOLUTION.search(source):
        return [cell]
    parts, at = [], 0
    for match in MD_SOLUTION.finditer(source):
        parts.append((source[at : match.start()], []))
        parts.append((match.group(1), ["solution"]))
        at = match.end()
    parts.append((source[at:], []))
    cells = []
    for text, tags in parts:
        if text.strip():
            cells.append({"cell_type": "markdown", "metadata": {"tags": tags} if tags else {}})
            if "id" in cell:
                cells[-1]["id"] = f"{cell['id']}-{len(cells)}"
            cells[-1]["source"] = text.strip("\n")
    return cells


def write_lessons() -> list[tuple[str, str]]:
    """Write every lesson page and learner download; return (nav title, page path) pairs."""
    nav = []
    for path in lessons():
        number = LESSON.match(path.name).group(1)
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            source = "".join(cell["source"])
            # nbval's tags say which outputs the tests compare: noise for a reader.
            cell["metadata"].pop("tags", None)
            if cell["cell_type"] == "markdown":
                # The page's URL is lessons/NN_name/: links start two folders down.
                cell["source"] = rewrite_links(source, "notebooks/solutions", "lessons/NN_name", to_urls=True)
            elif cell["cell_type"] == "code":
                # nbval's marker says which outputs the tests compare: noise for a reader.
                cell["source"] = re.sub(r"(?m)^[ \t]*# NBVAL_\w+[ \t]*\n?", "", source)
        notebook["cells"] = [part for cell in notebook["cells"] for part in mark_solutions(cell)]
        add_run_note(notebook, path.name)
        page = f"lessons/{path.name}"
        with mkdocs_gen_files.open(page, "w", encoding="utf-8") as f:
            json.dump(notebook, f, ensure_ascii=False, indent=1)
        with mkdocs_gen_files.open(f"notebooks/{path.name}", "wb") as f:
            f.write((ROOT / "notebooks" / path.name).read_bytes())
        nav.append((f"{number} · {short_title(notebook, number)}", page))
    if not nav:
        raise FileNotFoundError(f"no lesson notebooks (NN_name.ipynb) in {SOLUTIONS}")
    return nav


def write_markdown_pages() -> None:
    """The README as the home page, and the notation table and the datasheet."""
    for repo_path, page in PAGES.items():
        text = (ROOT / repo_path).read_text(encoding="utf-8")
        text = rewrite_links(text, posixpath.dirname(repo_path), posixpath.dirname(page))
        with mkdocs_gen_files.open(page, "w", encoding="utf-8") as f:
            f.write(text)


def api_modules() -> list[str]:
    """Dotted names of the public modules of seqkeras (no name part starting with "_")."""
    names = []
    for path in sorted((ROOT / "seqkeras").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(part.startswith("_") for part in parts):
            continue
        names.append(".".join(parts))
    return names


def is_package(name: str) -> bool:
    return (ROOT / name.replace(".", "/") / "__init__.py").is_file()


def api_page(name: str) -> str:
    """seqkeras -> api/index.md; a subpackage -> api/NAME/index.md (its section's own page);
    a module in a subpackage -> api/PACKAGE/MODULE.md; any other module -> api/NAME.md."""
    if name == "seqkeras":
        return "api/index.md"
    if is_package(name):
        return f"api/{name}/index.md"
    parent, _, last = name.rpartition(".")
    return f"api/{parent}/{last}.md" if parent != "seqkeras" else f"api/{name}.md"


def summary(name: str) -> str:
    """The first sentence-line of a module's docstring, without its leading "name:"."""
    path = ROOT / name.replace(".", "/")
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    return re.sub(r"^[\w.]+:\s*", "", first).replace("|", "\\|")


def module_table(page: str) -> str:
    """Markdown: every public module, linked to its page, with its docstring's first line.

    The package docstring's own list is written by hand and may lag behind; this one is made
    from the modules that exist.
    """
    rows = [
        f"| [`{name}`]({posixpath.relpath(api_page(name), posixpath.dirname(page))}) | {summary(name)} |"
        for name in api_modules()
        if name != "seqkeras"
    ]
    return "\n## Modules\n\n| module | what it is for |\n|---|---|\n" + "\n".join(rows) + "\n"


def write_api() -> list[tuple[str, str]]:
    """One page per module; return (title, page path) pairs, the package overview first."""
    nav = []
    for name in api_modules():
        page = api_page(name)
        with mkdocs_gen_files.open(page, "w", encoding="utf-8") as f:
            # Without a title MkDocs would call a package's page "Index".
            title = "The seqkeras package" if name == "seqkeras" else name
            f.write(f"---\ntitle: {title}\n---\n\n::: {name}\n")
            if name == "seqkeras":
                f.write(module_table(page))
        nav.append((name, page))
    return nav


# What the pages need of MathJax: no translations, no SVG output, no accessibility add-ons.
MATHJAX_SKIP = ("localization/", "jax/output/SVG/", "extensions/a11y/")
# Only STIX-Web fonts ship with the package: tell the HTML-CSS output to use them, and use that
# output everywhere (MathJax 2.7 picks its MathML output on browsers with MathML, which asks for
# the TeX fonts the package lacks: a 404 on every page with equations).
# Its font-loading test measures text against a font that has no glyphs, "MathJax_Blank", which
# MathJax 2.7 declares at url('about:blank'): Chromium refuses that URL (a console error on every
# page), so the site carries a font with no glyphs at all (fonts/blank.woff2, gen_pages below).
# The quick first pass ("fast preview") is turned off: it typesets every equation twice, and on
# pages with a hundred equations the second pass is what a reader waits for anyway.
MATHJAX_LOCAL_CONFIG = """MathJax.Hub.Config({
  MMLorHTML: {prefer: "HTML"},
  "fast-preview": {disabled: true},
  "HTML-CSS": {
    availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
    styles: {"@font-face": {"font-family": "MathJax_Blank",
      src: "url('" + MathJax.Ajax.fileURL("[MathJax]/../../fonts/blank.woff2") + "') format('woff2')"}}
  },
  MathMenu: {showLocale: false, showFontMenu: false}
});
MathJax.Ajax.loadComplete("[MathJax]/config/local/seqkeras.js");
"""


def write_mathjax() -> None:
    """Copy MathJax into the site (pages load it with ?config=TeX-AMS-MML_HTMLorMML-full,Safe,local/seqkeras)."""
    spec = importlib.util.find_spec("jupyter_server_mathjax")  # found, not imported (no server)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jupyter-server-mathjax is missing: install the site extra (make site)")
    static = Path(spec.submodule_search_locations[0]) / "static"
    for path in sorted(static.rglob("*")):
        rel = path.relative_to(static).as_posix()
        if path.is_file() and not rel.startswith(MATHJAX_SKIP):
            with mkdocs_gen_files.open(f"vendor/mathjax/{rel}", "wb") as f:
                f.write(path.read_bytes())
    with mkdocs_gen_files.open("vendor/mathjax/config/local/seqkeras.js", "w", encoding="utf-8") as f:
        f.write(MATHJAX_LOCAL_CONFIG)


# The sources of every page: the web font needs the CJK characters they hold, and no other.
FONT_SOURCES = ("README.md", "NOTATION.md", "data/README.md", "notebooks/**/*.ipynb", "seqkeras/**/*.py")
CJK_FONT = ROOT / "data" / "NotoSansSC-subset.ttf"
CJK_LICENCE = ROOT / "data" / "NotoSansSC-OFL.txt"
# What the exercise checks print, and the DejaVu Sans glyph that stands for it where no emoji
# font is installed: a heavy check mark for ✅, a circle with a quadrant (a clock face) for ⏳.
SYMBOLS = {"✅": "✔", "⏳": "◷"}


def used_characters() -> set[str]:
    found = set()
    for pattern in FONT_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".ipynb":  # JSON: a character may be written as an escape there
                text = json.dumps(json.loads(text), ensure_ascii=False)
            found |= {c for c in text if ord(c) >= 0x2E80}
    return found


def woff2(font: TTFont, characters: set[str], notdef_outline: bool = False) -> bytes:
    options = subset.Options()
    options.notdef_outline = notdef_outline
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def rename(font: TTFont, family: str) -> None:
    """Give a cut font a name of its own (the Vera licence asks it of modified fonts)."""
    for record in font["name"].names:
        if record.nameID in (1, 4, 16, 21):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")


# The characters the CSS sends to the CJK web font (its unicode-range in stylesheets/extra.css).
CJK_RANGES = [(0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3100, 0x312F), (0x31C0, 0x31EF), (0x3400, 0x4DBF),
              (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FA1F)]  # fmt: skip


def full_noto_sans_sc(wanted: set[str]) -> TTFont:
    """The full Noto Sans SC that the course's subset was cut from (the justmytype-intl-cjk
    package, site extra), at the subset's weight (400); only needed for ``wanted`` characters."""
    spec = importlib.util.find_spec("justmytype_intl_cjk")
    if spec is None:
        raise ModuleNotFoundError(
            f"the site uses characters that {CJK_FONT.name} lacks ({''.join(sorted(wanted))}): install "
            "the site extra (justmytype-intl-cjk, the full Noto Sans SC) with `make site`"
        )
    full = Path(spec.submodule_search_locations[0]) / "fonts/ofl/notosanssc/NotoSansSC[wght].ttf"
    return instancer.instantiateVariableFont(TTFont(full), {"wght": 400})


def write_fonts() -> None:
    """fonts/: the CJK web fonts cut to the site's characters, the symbols font, their licences.

    The course's subset draws every character it has (the figures' font, so text and figures
    match); the characters it lacks (the traditional ones lesson 07 quotes, new glossary terms)
    come from the full Noto Sans SC, in a second file that the CSS lists right after the first.
    """
    wanted = {c for c in used_characters() if any(lo <= ord(c) <= hi for lo, hi in CJK_RANGES)}
    course = TTFont(CJK_FONT)
    have = {c for c in wanted if ord(c) in course.getBestCmap()}
    rest = wanted - have
    full = full_noto_sans_sc(rest) if rest else None
    if full is not None and (lacking := {c for c in rest if ord(c) not in full.getBestCmap()}):
        raise ValueError(f"no font of the site has {''.join(sorted(lacking))}: Chinese would show boxes")
    with mkdocs_gen_files.open("fonts/NotoSansSC-seqkeras.woff2", "wb") as f:
        f.write(woff2(course, have))
    # Written even when empty: the browser asks for it if a page ever has a character neither has.
    with mkdocs_gen_files.open("fonts/NotoSansSC-seqkeras-more.woff2", "wb") as f:
        f.write(woff2(full or TTFont(CJK_FONT), rest))
    with mkdocs_gen_files.open("fonts/NotoSansSC-OFL.txt", "wb") as f:
        f.write(CJK_LICENCE.read_bytes())

    ttf = Path(importlib.util.find_spec("matplotlib").submodule_search_locations[0]) / "mpl-data/fonts/ttf"
    symbols = TTFont(ttf / "DejaVuSans.ttf")
    cmap = symbols.getBestCmap()
    for table in symbols["cmap"].tables:  # ✅ and ⏳ drawn with the glyphs standing for them
        if table.isUnicode():
            table.cmap.update({ord(emoji): cmap[ord(glyph)] for emoji, glyph in SYMBOLS.items()})
    rename(symbols, "seqkeras symbols")
    with mkdocs_gen_files.open("fonts/seqkeras-symbols.woff2", "wb") as f:
        f.write(woff2(symbols, set(SYMBOLS)))
    with mkdocs_gen_files.open("fonts/blank.woff2", "wb") as f:  # MathJax's font with no glyph
        # Browsers refuse a font without a character or without an outline: a space and the
        # missing-glyph box, which MathJax's test never draws (it has no character of its own).
        f.write(woff2(TTFont(ttf / "DejaVuSans.ttf"), {" "}, notdef_outline=True))
    with mkdocs_gen_files.open("fonts/LICENSE_DEJAVU.txt", "wb") as f:
        f.write((ttf / "LICENSE_DEJAVU").read_bytes())


def set_nav(lesson_nav, api_nav) -> None:
    """The site's navigation, lessons in number order.

    It cannot be a fixed list in mkdocs.yml (the lessons are whatever notebooks exist), so it
    is set here, before MkDocs builds the navigation from the config.
    """
    mkdocs_gen_files.config["nav"] = [
        {"Home": "index.md"},
        {"Lessons": [{title: page} for title, page in lesson_nav]},
        {"Notation": "notation.md"},
        {"Datasheet": "datasheet.md"},
        {"API reference": api_tree(api_nav)},
    ]


def api_tree(api_nav: list[tuple[str, str]]) -> list:
    """Modules in a list, and each subpackage as a section opening on the package's page."""
    tree: list = []
    sections: dict[str, list] = {}
    for name, page in api_nav:
        parent = name.rpartition(".")[0]
        if name == "seqkeras":
            tree.append(page)  # the section's own page (navigation.indexes)
        elif parent in sections:
            sections[parent].append({name.rpartition(".")[2]: page})
        elif is_package(name):
            sections[name] = [page]
            tree.append({name: sections[name]})
        else:
            tree.append({name: page})
    # Plain modules first, then the subpackages.
    return sorted(
        tree, key=lambda item: isinstance(item, dict) and isinstance(next(iter(item.values())), list)
    )


write_markdown_pages()
write_mathjax()
write_fonts()
set_nav(write_lessons(), write_api())
