"""Every decimal number the prose of a notebook states must be traceable to a stored output.

A plain module, not a test file (``from prose_numbers import check_notebook``); the tests are in
``tests/test_prose_numbers.py``. It reads notebooks as JSON and executes nothing.

**Which numbers.** In each markdown cell, the *decimal* numbers (``0.94``, ``1,058.5``, ``35.0``,
``1e-3``) and the *percentages*, integer or not (``43%``, ``97.8%``). Plain integers are out of
scope: in this prose they are mostly counts, sizes, years, epochs and dimensions, and there is no
rule that tells a stated result from those without a flood of false alarms; a percentage, by
contrast, is nearly always a measured fraction or a setting, and the issue's own examples of
drift were percentages ("10 to 50% more" against 43%/65%). Not numbers of the prose:

- maths (``$...$``, ``$$...$$``), code spans and fenced code blocks, HTML comments and tags,
  link targets and bare URLs: what a reader sees there is a formula, code or an address;
- identifiers: a number with a leading zero (``04.3``, ``08.5``: exercises and lessons; no
  quantity is written so), a number with two or more dots (``26.09.2034``, ``3.11.7``), a
  number right after ``Python``, ``Keras``, ``NumPy``, ``TensorFlow``, ``JAX``, ``version`` or
  ``v`` (a version), after ``section``/``sections``/``§``/``figure``/``table``/``chapter``
  (a reference), the number that opens a heading (``### 5.1 The data``), and a heading
  number of the same notebook right after ``in``, ``of`` or ``see`` ("the tagger of 6.1").

**Traceable.** A number is traceable when, at the precision the prose gives, it equals a number
of a stored output: ``0.94`` matches any output within 0.005 of it (0.942, 0.9449), ``1.7``
matches 1.668, ``97.8%`` matches 0.978 or a printed ``97.8%``/``97.83``, ``0.94`` matches a
printed ``94.2%``. Outputs are the text a reader sees under a code cell: stream text and the
``text/plain``, ``text/html`` (tags stripped), ``text/markdown`` and ``text/latex`` data of
execute results and displays, never images. They are searched in this notebook, then in every
notebook of a lesson the same markdown cell names ("lesson 07", "lessons 02 and 06": both lesson
08 notebooks for "lesson 08"), then in the evidence the cell marks (below). A number is also
traceable when it equals, exactly, a *setting* in the code of the notebook (or of a cited
lesson): a numeric literal outside any ``assert``, comparison and ``claim(...)`` (``0.25`` for
``alpha = 0.25``, ``20%`` for ``validation_split=0.2``), which cannot drift from the code
without the code changing too. A literal inside an ``assert``, a comparison or a ``claim`` is a
*bound*, not a result: it counts only for a number whose clause says it is asserted or claimed
("we assert it under 1.70"), so that a table of results cannot pass on the bounds that check it.

Matching is by value, so a number can pass on an unrelated output that happens to round to it
(a loss of 0.6931 for a stated accuracy of 0.69): the check catches drift that leaves no printed
number near the stated one, and prose that names the cell it reports ("the table above") is
still the sturdier way to write.

**Constants.** A number the prose may state without an output (a published figure, a property
of a formula, a setting no cell holds) is listed in an HTML comment of the same markdown cell,
which a reader does not see::

    <!-- constants: 1.47 (nanoGPT's published figure), 0.25 (largest slope of the sigmoid) -->

Every decimal number or percentage in the comment is listed (integers and words are free text).
A listed constant must appear in the cell's prose: a stale entry fails.

**Evidence.** Prose that cites runs the notebook does not show ("in our runs", "in one run of
ours", "in five runs", "three seeds gave", "run separately", "seeds we tried", "on JAX", "we
also ran") fails unless the cell names the cell or file that holds the evidence::

    <!-- evidence: 5fd9fa73 07_encoder_decoder#a1b2c3d4 results/seeds.json -->

A reference is a cell id of this notebook, ``<notebook stem>#<cell id>`` for a cell of another
solution notebook, or a repository path of a results file. A cell must exist and have text
outputs; a file must exist and be named in a code cell of this notebook that has outputs (the
notebook loads it and shows it). The outputs of a cited cell and the numbers in a cited file
count for the numbers of the citing markdown cell too.

A failure names the notebook, the cell (index and id), the number or phrase, its context and
the nearest output values.
"""

from __future__ import annotations

import ast
import gzip
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "notebooks" / "solutions"

# --- what the prose states ------------------------------------------------------------------

# A run of digits (thousands commas allowed), dotted parts, an exponent, an optional percent sign.
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<num>\d+(?:,\d{3})*(?:\.\d+)*(?:[eE][-+]?\d+)?)(?![\w])(?P<pct>\s?%)?(?!\.\d)"
)
_VERSION_BEFORE = re.compile(r"(?i)\b(?:python|keras|tensorflow|jax|numpy|version|v)\s*$")
_REFERENCE_BEFORE = re.compile(
    r"(?i)(?:\b(?:sections?|figures?|fig\.|tables?|chapters?)|§)\s*(?:[\d.]+\s*(?:,|and|or|to|–|-)\s*)*$"
)
_HEADING_REF_BEFORE = re.compile(r"(?i)\b(?:in|of|see)\s+$")
_HEADING = re.compile(r"(?m)^#{1,6}[ \t]+(?:[A-Za-z]+[ \t]+)?(\d+(?:\.\d+)*)\.?(?=[ \t:—–-])")
_LESSON = re.compile(r"(?i)\blessons?\s+(\d{2})\b((?:\s*(?:,|and|or|to|–|-)\s*\d{2}\b)*)")

# Markdown the reader sees as something else than prose: blanked before numbers are looked for.
_EXCLUDED = [
    re.compile(r"<!--.*?-->", re.S),  # HTML comments (and the markers below)
    re.compile(r"^(```|~~~).*?^\1", re.S | re.M),  # fenced code
    re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S),  # code spans
    re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$", re.S),  # display maths
    re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\n]|\n(?!\s*\n))+?(?<!\\)\$"),  # inline maths
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<https?://[^>]*>|https?://\S+"),  # URLs
    re.compile(r"<[A-Za-z/][^>]*>"),  # HTML tags (attributes hold sizes)
]

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_CONSTANTS = re.compile(r"(?is)^\s*constants?\s*:(.*)$")
_EVIDENCE = re.compile(r"(?is)^\s*evidence\s*:(.*)$")

_COUNT = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)"
# Phrases that cite runs outside the notebook: each needs an evidence marker in its cell.
EVIDENCE_PHRASES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        r"\b(?:in|from|across|over|of) (?:all |both |some |most |each )?(?:of )?our (?:other |own )?"
        r"(?:runs|trials|experiments|tests|measurements)\b",
        r"\b(?:runs?|trials?|seeds?) of ours\b",
        r"\b(?:in|over|across|from) (?:the |all |these )?(?:same )?" + _COUNT + r" (?:more |other |"
        r"separate |further )?(?:runs|seeds|trials)\b",
        r"\b" + _COUNT + r" (?:more |other |further )?(?:runs|seeds|trials) (?:gave|give|showed|show|"
        r"agreed|reached|got|ended|stayed)\b",
        r"\b" + _COUNT + r" (?:runs|seeds)\b[^.]{0,60}\brun separately\b",
        r"\brun separately\b",
        r"\b(?:seeds|backends|settings|runs)(?: and backends)? we (?:tried|ran)\b",
        r"\bwe (?:also )?(?:ran|tried|measured)\b",
        r"\b(?:on|with) JAX\b(?! or)|\bJAX backend\b",
        r"\bbetween runs\b",
        r"\bseeds and backends\b",
    )
)


@dataclass(frozen=True)
class ProseNumber:
    """A number as the prose states it: ``value`` in the prose's units (``97.8`` for ``97.8%``)."""

    text: str
    value: Decimal
    percent: bool
    start: int
    end: int

    @property
    def half_step(self) -> Decimal:
        """Half a unit of the last digit the prose gives: how far an output may be and round to it."""
        return Decimal(5).scaleb(self.value.as_tuple().exponent - 1)

    @property
    def fraction(self) -> Decimal:
        """The value as a fraction (``0.978`` for ``97.8%``)."""
        return self.value / 100 if self.percent else self.value


@dataclass(frozen=True)
class OutputNumber:
    """A number printed in an output (or held in a results file), and where."""

    text: str
    value: float
    percent: bool
    where: str

    def candidates(self) -> tuple[float, ...]:
        """The values this printed number may stand for: ``94.2%`` is 94.2 or 0.942; a number
        printed without ``%`` is only itself (read as a percentage, every count and every
        timing in the outputs would match some fraction)."""
        return (self.value, self.value / 100) if self.percent else (self.value,)


@dataclass(frozen=True)
class Violation:
    """One untraceable number, unmarked evidence phrase or broken marker."""

    notebook: str
    cell_index: int
    cell_id: str
    kind: str  # "number", "evidence", "constant", "marker"
    item: str
    context: str
    nearest: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.notebook} cell {self.cell_index} (id {self.cell_id})"
        what = {
            "number": f"number {self.item} matches no output",
            "evidence": f"phrase {self.item!r} cites runs the notebook does not show; mark the evidence",
            "constant": f"constant {self.item} is listed but not stated in the cell",
            "marker": f"evidence marker {self.item!r}",
        }[self.kind]
        text = f"{where}: {what}\n    context: ...{self.context}..."
        if self.nearest:
            text += "\n    nearest outputs: " + ", ".join(self.nearest)
        return text


@dataclass
class Cell:
    """A markdown cell's prose: numbers, phrases and markers."""

    index: int
    id: str
    source: str
    prose: str  # the source with excluded regions blanked (same offsets)
    numbers: list[ProseNumber] = field(default_factory=list)
    constants: list[ProseNumber] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    lessons: set[str] = field(default_factory=set)


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def prose_of(markdown: str) -> str:
    """``markdown`` with maths, code, comments, tags and URLs blanked out (offsets kept)."""
    text = markdown
    for pattern in _EXCLUDED:
        for m in list(pattern.finditer(text)):
            text = _blank(text, m.start(), m.end())
    return text


def _parse(m: re.Match[str]) -> ProseNumber | None:
    num = m.group("num")
    percent = m.group("pct") is not None
    if num.count(".") > 1:
        return None
    if "." not in num and "e" not in num.lower() and not percent:
        return None  # an integer
    try:
        value = Decimal(num.replace(",", ""))
    except InvalidOperation:
        return None
    return ProseNumber(m.group(0).replace(" ", ""), value, percent, m.start(), m.end())


def numbers_in(text: str) -> list[ProseNumber]:
    """Every decimal number and percentage in ``text`` (no exclusions)."""
    return [n for m in _NUMBER.finditer(text) if (n := _parse(m)) is not None]


def heading_numbers(markdowns: Iterable[str]) -> set[str]:
    """The section numbers that open headings (``5.1`` of ``### 5.1 The data``)."""
    return {m.group(1) for md in markdowns for m in _HEADING.finditer(md)}


def prose_numbers(markdown: str, headings: set[str] = frozenset()) -> list[ProseNumber]:
    """The numbers of ``markdown``'s prose that must be traceable (see the module docstring);
    ``headings``: the section numbers of the notebook (those of ``markdown`` are added)."""
    headings = set(headings) | heading_numbers([markdown])
    prose = prose_of(markdown)
    found = []
    for n in numbers_in(prose):
        number = n.text.rstrip("%")
        before = prose[max(0, n.start - 60) : n.start]
        line_start = prose.rfind("\n", 0, n.start) + 1
        if re.match(r"0\d", number):
            continue  # an exercise or lesson id
        if _VERSION_BEFORE.search(before) or _REFERENCE_BEFORE.search(before):
            continue
        if re.fullmatch(r"#{1,6}[ \t]+(?:[A-Za-z]+[ \t]+)?", prose[line_start : n.start]):
            continue  # the number of a heading
        if not n.percent and number in headings and _HEADING_REF_BEFORE.search(before):
            continue
        found.append(n)
    return found


def evidence_phrases(markdown: str) -> list[re.Match[str]]:
    """Where ``markdown``'s prose cites runs outside the notebook."""
    prose = prose_of(markdown).replace("\n", " ")  # a phrase may break across lines
    hits: dict[int, re.Match[str]] = {}
    for pattern in EVIDENCE_PHRASES:
        for m in pattern.finditer(prose):
            if not any(
                h.start() <= m.start() < h.end() or m.start() <= h.start() < m.end() for h in hits.values()
            ):
                hits[m.start()] = m
    return [hits[k] for k in sorted(hits)]


def cited_lessons(markdown: str) -> set[str]:
    """The lesson numbers ``markdown`` names ("lesson 07", "lessons 02 and 06")."""
    lessons = set()
    for m in _LESSON.finditer(markdown):
        lessons.add(m.group(1))
        lessons.update(re.findall(r"\d{2}", m.group(2)))
    return lessons


def parse_cell(index: int, cell: dict[str, Any], headings: set[str]) -> Cell:
    """A markdown cell's numbers, markers and cited lessons."""
    source = _source(cell)
    parsed = Cell(index, str(cell.get("id", "?")), source, prose_of(source))
    parsed.numbers = prose_numbers(source, headings)
    parsed.lessons = cited_lessons(source)
    for comment in _COMMENT.findall(source):
        if m := _CONSTANTS.match(comment):
            parsed.constants += numbers_in(m.group(1))
        elif m := _EVIDENCE.match(comment):
            parsed.evidence += m.group(1).split()
    return parsed


# --- what the outputs show ------------------------------------------------------------------

_OUTPUT_NUMBER = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)*(?:[eE][-+]?\d+)?%?|(?<![\w.])\.\d+")
_TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex")


def output_text(cell: dict[str, Any]) -> str:
    """All the text a reader sees under a code cell (images left out, HTML tags stripped)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(_source({"source": out.get("text", "")}))
        for mime in _TEXT_MIMES:
            if mime in out.get("data", {}):
                text = _source({"source": out["data"][mime]})
                if mime == "text/html":
                    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", text, flags=re.S)
                parts.append(text)
    return "\n".join(parts)


def output_numbers(text: str, where: str) -> list[OutputNumber]:
    """Every number printed in ``text``."""
    found = []
    for m in _OUTPUT_NUMBER.finditer(text):
        token = m.group(0)
        if token.count(".") > 1:
            continue  # a version or a date (3.11.7, 26.09.2034)
        try:
            value = float(token.rstrip("%").replace(",", ""))
        except ValueError:
            continue
        found.append(OutputNumber(token, value, token.endswith("%"), where))
    return found


_BOUND_CALLS = {"claim"}


def code_literals(source: str) -> tuple[set[Decimal], set[Decimal]]:
    """The numeric literals of a code cell: ``(settings, bounds)``.

    Bounds are the literals inside an ``assert``, a comparison or a ``claim(...)`` call (what a
    result is checked against); settings are all the others (``alpha = 0.25``,
    ``validation_split=0.2``, ``budget(8, 2)``, ``for x in (0.5, -0.5)``). Comments and strings
    are not code; a cell that does not parse (a magic) gives none."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set(), set()
    settings: set[Decimal] = set()
    bounds: set[Decimal] = set()

    def visit(node: ast.AST, in_bound: bool) -> None:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            (bounds if in_bound else settings).add(Decimal(repr(node.value)))
            return
        is_claim = isinstance(node, ast.Call) and (
            getattr(node.func, "id", None) in _BOUND_CALLS or getattr(node.func, "attr", None) in _BOUND_CALLS
        )
        in_bound = in_bound or is_claim or isinstance(node, ast.Assert | ast.Compare)
        for child in ast.iter_child_nodes(node):
            visit(child, in_bound)

    visit(tree, False)
    return settings, bounds


@dataclass
class Notebook:
    """A notebook read for this check: its cells, outputs and code literals."""

    path: Path
    cells: list[dict[str, Any]]

    @classmethod
    def read(cls, path: Path) -> Notebook:
        return cls(path, json.loads(path.read_text(encoding="utf-8"))["cells"])

    @property
    def name(self) -> str:
        return self.path.name

    def outputs(self) -> list[OutputNumber]:
        found = []
        for i, cell in enumerate(self.cells):
            if cell.get("cell_type") == "code":
                found += output_numbers(output_text(cell), f"{self.path.stem} cell {i}")
        return found

    def literals(self) -> tuple[set[Decimal], set[Decimal]]:
        """The settings and the bounds of all code cells (see :func:`code_literals`)."""
        settings: set[Decimal] = set()
        bounds: set[Decimal] = set()
        for cell in self.cells:
            if cell.get("cell_type") == "code":
                cell_settings, cell_bounds = code_literals(_source(cell))
                settings |= cell_settings
                bounds |= cell_bounds
        return settings, bounds

    def cell_by_id(self, cell_id: str) -> tuple[int, dict[str, Any]] | None:
        for i, cell in enumerate(self.cells):
            if cell.get("id") == cell_id:
                return i, cell
        return None


def matches(number: ProseNumber, output: OutputNumber) -> bool:
    """Whether ``output`` rounds to ``number`` at the precision the prose gives."""
    target = float(number.fraction)
    tol = float(number.half_step / 100 if number.percent else number.half_step) * (1 + 1e-9) + 1e-12
    return any(abs(abs(c) - target) <= tol for c in output.candidates())


def nearest(number: ProseNumber, outputs: Sequence[OutputNumber], k: int = 3) -> tuple[str, ...]:
    """The ``k`` printed numbers closest to ``number``, with where they are."""
    target = float(number.fraction)
    ranked = sorted(outputs, key=lambda o: min(abs(abs(c) - target) for c in o.candidates()))
    seen: list[str] = []
    for o in ranked:
        label = f"{o.text} ({o.where})"
        if label not in seen:
            seen.append(label)
        if len(seen) == k:
            break
    return tuple(seen)


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    return " ".join(text[max(0, start - width) : end + width].split())


class Course:
    """The solution notebooks of a course folder, read once, by lesson number."""

    def __init__(self, folder: Path = SOLUTIONS, repo: Path = REPO) -> None:
        self.folder = folder
        self.repo = repo
        self._notebooks: dict[str, Notebook] = {}

    def notebook(self, stem: str) -> Notebook | None:
        path = self.folder / f"{stem.removesuffix('.ipynb')}.ipynb"
        if stem not in self._notebooks and path.exists():
            self._notebooks[stem] = Notebook.read(path)
        return self._notebooks.get(stem)

    def lesson(self, number: str) -> list[Notebook]:
        return [nb for p in sorted(self.folder.glob(f"{number}_*.ipynb")) if (nb := self.notebook(p.stem))]


def _evidence_numbers(ref: str, nb: Notebook, course: Course) -> tuple[list[OutputNumber], str | None]:
    """The numbers an evidence reference holds, or why the reference is broken."""
    if "#" in ref:
        stem, cell_id = ref.split("#", 1)
        target = course.notebook(stem)
        if target is None:
            return [], f"{ref}: no notebook {stem} in {course.folder.name}/"
    elif not ("/" in ref or Path(ref).suffix):
        target, cell_id = nb, ref
    else:
        path = course.repo / ref
        if not path.is_file():
            return [], f"{ref}: no such file"
        shown = any(
            c.get("cell_type") == "code" and path.name in _source(c) and output_text(c).strip()
            for c in nb.cells
        )
        if not shown:
            return [], f"{ref}: no code cell with outputs loads it"
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
        return output_numbers(text, ref), None
    found = target.cell_by_id(cell_id)
    if found is None:
        return [], f"{ref}: no cell with that id"
    index, cell = found
    text = output_text(cell)
    if cell.get("cell_type") != "code" or not text.strip():
        return [], f"{ref}: the cell has no text outputs"
    return output_numbers(text, f"{target.path.stem} cell {index}"), None


_CLAUSE_END = re.compile(r"[.;:!?](?=\s)|\n\s*\n|\n\s*[-*|] |\|")
_ASSERTED = re.compile(r"(?i)\b(?:assert|claim|check)")


def clause_around(text: str, start: int, end: int) -> str:
    """The clause of ``text`` that holds ``text[start:end]``: up to the nearest ``.``, ``;``,
    ``:``, ``?``, ``!``, blank line, list item or table bar on either side."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_END.finditer(text, end)), len(text))
    return text[left:right]


def check_notebook(path: Path, course: Course | None = None) -> list[Violation]:
    """Every violation of the rules of this module in the markdown of the notebook at ``path``.

    A number is looked for in this notebook's outputs, then in those of the lessons its cell
    names, then in the evidence the cell marks; it may also be a setting of this notebook's or
    a cited lesson's code, a bound of an ``assert``/``claim`` when its clause says it is
    asserted, or a constant the cell lists.
    """
    course = course or Course(path.parent)
    nb = course.notebook(path.stem) if path.parent == course.folder else Notebook.read(path)
    assert nb is not None
    own_lesson = nb.path.stem[:2]
    own_outputs = nb.outputs()
    own_settings, own_bounds = nb.literals()
    markdowns = [_source(c) for c in nb.cells if c.get("cell_type") == "markdown"]
    headings = heading_numbers(markdowns)
    violations: list[Violation] = []

    def lesson_sources(lessons: Iterable[str]) -> tuple[list[OutputNumber], set[Decimal], set[Decimal]]:
        outputs: list[OutputNumber] = []
        settings: set[Decimal] = set()
        bounds: set[Decimal] = set()
        for lesson in sorted(set(lessons) - {own_lesson}):
            for other in course.lesson(lesson):
                outputs += other.outputs()
                other_settings, other_bounds = other.literals()
                settings |= other_settings
                bounds |= other_bounds
        return outputs, settings, bounds

    for index, raw in enumerate(nb.cells):
        if raw.get("cell_type") != "markdown":
            continue
        cell = parse_cell(index, raw, headings)

        def report(kind: str, item: str, context: str, near: tuple[str, ...] = (), cell: Cell = cell) -> None:
            violations.append(Violation(nb.name, cell.index, cell.id, kind, item, context, near))

        evidence: list[OutputNumber] = []
        for ref in cell.evidence:
            numbers, problem = _evidence_numbers(ref, nb, course)
            if problem:
                report("marker", ref, problem)
            evidence += numbers
        if not cell.evidence:
            for m in evidence_phrases(cell.source):
                report("evidence", m.group(0), _context(cell.source, m.start(), m.end()))
        constants = {(c.value, c.percent) for c in cell.constants}
        stated = {(n.value, n.percent) for n in cell.numbers}
        for c in cell.constants:
            if (c.value, c.percent) not in stated:
                report("constant", c.text, "<!-- constants: ... -->")
        cited_outputs, cited_settings, cited_bounds = lesson_sources(cell.lessons)
        outputs = own_outputs + cited_outputs + evidence
        settings, bounds = own_settings | cited_settings, own_bounds | cited_bounds
        for n in cell.numbers:
            if (n.value, n.percent) in constants:
                continue
            clause = clause_around(cell.prose, n.start, n.end)
            if n.fraction in settings or (n.fraction in bounds and _ASSERTED.search(clause)):
                continue
            if any(matches(n, o) for o in outputs):
                continue
            report("number", n.text, _context(cell.source, n.start, n.end), nearest(n, outputs))
    return violations


def solution_notebooks(folder: Path = SOLUTIONS) -> list[Path]:
    """The solution notebooks the check runs over."""
    return sorted(folder.glob("*.ipynb"))
