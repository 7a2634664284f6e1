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
- the navigation, lessons in number order.

Links between these files are rewritten to where the pages live on the site; a link to
anything the site does not have is left alone, so the strict build reports it.
"""

from __future__ import annotations

import importlib.util
import json
import posixpath
import re
from pathlib import Path

import mkdocs_gen_files

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


def run_note(name: str) -> str:
    """Markdown, placed under the lesson's title, linking to the learner copy of the lesson."""
    learner = f"notebooks/{name}"
    if not (ROOT / learner).is_file():
        raise FileNotFoundError(
            f"{learner} is missing: the site links every lesson to its learner copy; "
            "run `make notebooks` to generate it from the solution notebook"
        )
    return (
        f"> **Run it yourself.** This page is the worked solution, shown with the outputs it "
        f"produced. Your copy, with the exercises left for you to do, is "
        f'<a href="../../{learner}" download><code>{learner}</code></a>: '
        f"in your copy of the course, `make lab` opens it (the first run installs the "
        f"`seqkeras` helpers and a kernel; the data ships with the course)."
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


def write_lessons() -> list[tuple[str, str]]:
    """Write every lesson page and learner download; return (nav title, page path) pairs."""
    nav = []
    for path in lessons():
        number = LESSON.match(path.name).group(1)
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                # The page's URL is lessons/NN_name/: links start two folders down.
                cell["source"] = rewrite_links(source, "notebooks/solutions", "lessons/NN_name", to_urls=True)
            elif cell["cell_type"] == "code":
                # nbval's marker says which outputs the tests compare: noise for a reader.
                cell["source"] = re.sub(r"(?m)^[ \t]*# NBVAL_\w+[ \t]*\n?", "", source)
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


def write_api() -> list[tuple[str, str]]:
    """One page per module; return (title, page path) pairs, the package overview first."""
    nav = []
    for name in api_modules():
        page = api_page(name)
        with mkdocs_gen_files.open(page, "w", encoding="utf-8") as f:
            # The overview's title: without it MkDocs would call the page "Index".
            front = "---\ntitle: The seqkeras package\n---\n\n" if name == "seqkeras" else ""
            f.write(f"{front}::: {name}\n")
        nav.append((name, page))
    return nav


# What the pages need of MathJax: no translations, no SVG output, no accessibility add-ons.
MATHJAX_SKIP = ("localization/", "jax/output/SVG/", "extensions/a11y/")
# Only STIX-Web fonts ship with the package: tell the HTML-CSS output to use them.
MATHJAX_LOCAL_CONFIG = """MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null},
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
set_nav(write_lessons(), write_api())
