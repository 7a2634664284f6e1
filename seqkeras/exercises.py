"""Build the learner notebooks from the solution notebooks, and execute notebooks in place.

One source of truth per lesson: ``notebooks/solutions/NN_name.ipynb`` holds the worked
solutions. The learner version ``notebooks/NN_name.ipynb`` is generated from it:

- In code cells, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` are
  replaced by a stub at the marker's indentation: by default
  ``raise NotImplementedError("Exercise: write your code here")``; or the text after a
  colon, ``### BEGIN SOLUTION: answer = None``, which becomes ``answer = None  # YOUR ANSWER``.
- In markdown cells, text between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``
  becomes ``*Your answer here.*`` (or the text after a colon, as above).
- Outputs are cleared; :func:`execute` fills them in again.

Command line (what ``make notebooks`` and ``make execute`` call)::

    python -m seqkeras.exercises build            # regenerate every learner notebook
    python -m seqkeras.exercises check            # exit 1 if a committed one has drifted
    python -m seqkeras.exercises execute [NB ...] # run notebooks in place, store outputs
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "ROOT",
    "NOTEBOOKS",
    "SOLUTIONS",
    "strip_solutions",
    "learner_notebook",
    "learner_path",
    "solution_paths",
    "build",
    "learner_answers",
    "LearnerWork",
    "drifted",
    "execute",
    "SolutionMarkerError",
]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"

_CODE_BEGIN = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION(?::[ \t]*(?P<stub>.*?))?[ \t]*$")
_CODE_END = re.compile(r"^[ \t]*### END SOLUTION[ \t]*$")
_MD_BEGIN = re.compile(r"^(?P<indent>[ \t]*)<!-- BEGIN SOLUTION(?::[ \t]*(?P<stub>.*?))?[ \t]*-->[ \t]*$")
_MD_END = re.compile(r"^[ \t]*<!-- END SOLUTION[ \t]*-->[ \t]*$")
_DEFAULT_CODE_STUB = 'raise NotImplementedError("Exercise: write your code here")'
_DEFAULT_MD_STUB = "*Your answer here.*"


class SolutionMarkerError(ValueError):
    """A BEGIN SOLUTION marker without its END (or the reverse)."""


def strip_solutions(source: str, *, markdown: bool = False, where: str = "cell") -> str:
    """Replace each solution region of a cell's source by its stub.

    Args:
        source: the cell's source text.
        markdown: use the markdown markers (HTML comments) instead of the code markers.
        where: a name for the cell, used in error messages.

    Raises:
        SolutionMarkerError: unbalanced or nested markers.
    """
    begin, end = (_MD_BEGIN, _MD_END) if markdown else (_CODE_BEGIN, _CODE_END)
    out: list[str] = []
    inside = False
    for lineno, line in enumerate(source.split("\n"), 1):
        m = begin.match(line)
        if m:
            if inside:
                raise SolutionMarkerError(
                    f"{where}, line {lineno}: BEGIN SOLUTION inside another "
                    "solution region; close the first with END SOLUTION."
                )
            inside = True
            stub = m.group("stub")
            if markdown:
                out.append(m.group("indent") + (stub or _DEFAULT_MD_STUB))
            else:
                out.append(m.group("indent") + (f"{stub}  # YOUR ANSWER" if stub else _DEFAULT_CODE_STUB))
            continue
        if end.match(line):
            if not inside:
                raise SolutionMarkerError(
                    f"{where}, line {lineno}: END SOLUTION without a BEGIN SOLUTION above it."
                )
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise SolutionMarkerError(f"{where}: BEGIN SOLUTION is never closed; add END SOLUTION.")
    return "\n".join(out)


def learner_notebook(solution_nb: Any, name: str = "notebook") -> Any:
    """Return the learner version of a solution notebook (an ``nbformat`` node), outputs cleared."""
    nb = copy.deepcopy(solution_nb)
    for i, cell in enumerate(nb.cells):
        where = f"{name}, cell {i}"
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, where=where)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = strip_solutions(cell.source, markdown=True, where=where)
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.setdefault("seqkeras", {})["generated_from"] = f"solutions/{name}"
    return nb


def solution_paths() -> list[Path]:
    """Every solution notebook, sorted by lesson number."""
    return sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))


def learner_path(solution: Path) -> Path:
    """Where the learner version of ``solution`` lives."""
    return NOTEBOOKS / solution.name


def _read(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)


def _write(nb: Any, path: Path) -> None:
    import nbformat

    nbformat.write(nb, path)


def _sources(nb: Any) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source) for c in nb.cells]


class LearnerWork(NamedTuple):
    """A learner notebook that holds the learner's own work: where, cell by cell."""

    path: Path
    places: list[str]


_EXERCISE_HEADING = re.compile(r"^#{1,6}\s*(Exercise\s+\d\d\.\d+)", re.M)


def _stub_lines(solution_source: str, learner_source: str) -> Counter:
    """The lines a stub put in place of a solution (those of the learner cell not in the
    solution), with how often each occurs (a cell can hold the same stub three times)."""
    solution = {line.strip() for line in solution_source.split("\n")}
    return Counter(
        line.strip() for line in learner_source.split("\n") if line.strip() and line.strip() not in solution
    )


def _is_placeholder(cell: Any) -> bool:
    """A code cell of comments only, the same in both copies ("# Your experiment here ..."): the
    learner's to fill, with no stub to replace."""
    lines = [line.strip() for line in cell.source.split("\n") if line.strip()]
    return cell.cell_type == "code" and bool(lines) and all(line.startswith("#") for line in lines)


def _answered(sol_cell: Any, new_cell: Any, cell: Any) -> bool:
    """True if the learner's ``cell`` holds an answer where the generator put ``new_cell``."""
    if cell is None or cell.source == new_cell.source:
        return False
    if _is_placeholder(new_cell):
        return True
    stubs = _stub_lines(sol_cell.source, new_cell.source)
    if not stubs:
        return False
    have = Counter(line.strip() for line in cell.source.split("\n"))
    return any(have[line] < n for line, n in stubs.items())  # a stub replaced


def _match(old: Any, made: Any) -> tuple[list[Any], list[int]]:
    """The cell of ``old`` that stands for each cell of ``made`` (or None), and the positions
    (from 1) of the cells in ``old`` that stand for none: the learner's own. Cells are matched
    by their ids, or by position where the ids do not match (a notebook without ids)."""
    ids = [c.get("id") for c in made.cells]
    by_id = {c.get("id"): c for c in old.cells if c.get("id")}
    if sum(i in by_id for i in ids) * 2 >= len(ids):
        mine = [by_id.get(i) for i in ids]
        added = [k + 1 for k, c in enumerate(old.cells) if c.get("id") not in set(ids) and c.source.strip()]
    else:
        mine = [old.cells[k] if k < len(old.cells) else None for k in range(len(made.cells))]
        added = [k + 1 for k in range(len(made.cells), len(old.cells)) if old.cells[k].source.strip()]
    return mine, added


def learner_answers(old: Any, made: Any, solution: Any) -> list[str]:
    """Where the learner notebook ``old`` holds work of the learner's own, against ``made``, what
    the generator makes now from ``solution``: an answer cell whose stub is gone (the learner
    replaced it; a cell that still has its stub but differs is the maintainers' change, not the
    learner's), and cells the learner added."""
    mine, added = _match(old, made)
    places = []
    heading = "before the exercises"
    for sol_cell, new_cell, cell in zip(solution.cells, made.cells, mine):
        if new_cell.cell_type == "markdown":
            found = _EXERCISE_HEADING.findall(new_cell.source)
            heading = found[-1] if found else heading
        if _answered(sol_cell, new_cell, cell):
            places.append(f"{heading}: your answer in cell {old.cells.index(cell) + 1}")
    if added:
        places.append(f"cells you added: {', '.join(map(str, added))}")
    return places


def build(force: bool = False) -> tuple[list[Path], list[LearnerWork]]:
    """Regenerate every learner notebook whose cells differ from what the solution makes.

    A learner notebook that is already in step keeps its stored outputs. One whose code cells
    are all unchanged (the same sources, in the same order: only markdown differs) keeps them
    too, carried over cell by cell, since nothing they were computed from has changed; any
    change to the code clears every output, to be refreshed by :func:`execute`.

    A learner notebook that holds the learner's own answers (:func:`learner_answers`) is left
    alone unless ``force``: regenerating it would replace them with the stubs.

    Returns:
        ``(written, refused)``: the notebooks written, and those left alone for their answers.
    """
    written, refused = [], []
    for sol in solution_paths():
        solution = _read(sol)
        made = learner_notebook(solution, sol.name)
        target = learner_path(sol)
        if target.exists():
            old = _read(target)
            if _sources(old) == _sources(made):
                continue
            work = learner_answers(old, made, solution)
            if work and not force:
                refused.append(LearnerWork(target, work))
                continue
            _carry_outputs(old, made)
        _write(made, target)
        written.append(target)
    return written, refused


def _carry_outputs(old: Any, made: Any) -> None:
    """Copy the stored outputs of ``old``'s code cells into ``made`` if the two notebooks have
    the same code cells (sources and order); otherwise leave ``made``'s outputs empty."""
    old_code = [c for c in old.cells if c.cell_type == "code"]
    new_code = [c for c in made.cells if c.cell_type == "code"]
    if [c.source for c in old_code] != [c.source for c in new_code]:
        return
    for before, after in zip(old_code, new_code):
        after.outputs = before.get("outputs", [])
        after.execution_count = before.get("execution_count")


def drifted() -> list[str]:
    """Names of learner notebooks that are missing or differ from what :func:`build` makes."""
    problems = []
    for sol in solution_paths():
        target = learner_path(sol)
        if not target.exists():
            problems.append(f"{target.name}: missing")
        else:
            old, solution = _read(target), _read(sol)
            made = learner_notebook(solution, sol.name)
            if _sources(old) != _sources(made) and not _only_answers(old, made, solution):
                problems.append(f"{target.name}: differs from what solutions/{sol.name} generates")
    orphans = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")} - {s.name for s in solution_paths()}
    problems += [f"{n}: has no solution notebook in notebooks/solutions/" for n in sorted(orphans)]
    return problems


def _only_answers(old: Any, made: Any, solution: Any) -> bool:
    """True if ``old`` differs from ``made`` only in the learner's answers. Added cells are not
    exempt: one left over from a cell the maintainers removed would look the same."""
    mine, added = _match(old, made)
    if added or any(cell is None for cell in mine):
        return False  # a cell of the lesson is missing, or one is there that the lesson lacks
    differing = [(a, b, c) for a, b, c in zip(solution.cells, made.cells, mine) if c.source != b.source]
    # every difference is an answer; a cell the learner does not answer in: the lesson changed
    return bool(differing) and all(_answered(a, b, c) for a, b, c in differing)


def execute(paths: list[Path] | None = None, timeout: int = 900) -> dict[str, float]:
    """Run notebooks top to bottom on a fresh kernel, storing their outputs in place.

    Args:
        paths: notebooks to run; default every solution then every learner notebook.
        timeout: seconds allowed per cell.

    Returns:
        ``{notebook path: seconds}``.

    Raises:
        RuntimeError: ``SEQKERAS_QUICK=1`` is set: the stored outputs are what a learner reads,
            so they must come from full settings, not from quick mode's cut budgets.
    """
    import os

    from nbclient import NotebookClient

    if os.environ.get("SEQKERAS_QUICK", "").strip() not in ("", "0"):
        raise RuntimeError(
            "SEQKERAS_QUICK is set: executing would store quick-mode outputs (cut training) in the "
            "notebooks. Unset it (or set SEQKERAS_QUICK=0) and run again."
        )

    if not paths:
        paths = solution_paths() + [learner_path(p) for p in solution_paths()]
    times = {}
    for path in paths:
        nb = _read(path)
        start = time.perf_counter()
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        times[str(path)] = time.perf_counter() - start
        _write(nb, path)
        print(f"{path.relative_to(ROOT)}: {times[str(path)]:.0f} s", flush=True)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seqkeras.exercises", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="regenerate the learner notebooks from notebooks/solutions/")
    build_cmd.add_argument(
        "--force", action="store_true", help="also overwrite learner notebooks that hold your answers"
    )
    sub.add_parser("check", help="exit 1 if a learner notebook drifted from its solution")
    run = sub.add_parser("execute", help="run notebooks in place and store their outputs")
    run.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.command == "build":
        written, refused = build(force=args.force)
        for path in written:
            print(f"wrote {path.relative_to(ROOT)}")
        for work in refused:
            print(
                f"left {work.path.relative_to(ROOT)} alone: it holds your work ("
                + "; ".join(work.places)
                + "). To keep it, copy the file first (or commit it); then `make notebooks FORCE=1` "
                "(python -m seqkeras.exercises build --force) regenerates it with the stubs."
            )
        return 1 if refused else 0
    if args.command == "check":
        problems = drifted()
        for p in problems:
            print(p)
        if problems:
            print("Run `make notebooks` (or `python -m seqkeras.exercises build`) to regenerate.")
        return 1 if problems else 0
    execute([p.resolve() for p in args.notebooks] or None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
