"""Grade learner notebooks: ``python -m seqkeras.grade [NOTEBOOK ...]`` (``make grade``).

Each notebook runs top to bottom on a fresh kernel, in quick mode (``SEQKERAS_QUICK=1``: every
cell runs, with the training budgets cut, as ``make test`` runs the learner copies), from its
own folder. The file itself is never written: the grader runs a copy in memory. Every checked
exercise then has one outcome, taken from the checkers themselves (each check appends its
:class:`seqkeras.grading.Result` to a log the grader names in ``SEQKERAS_GRADE_LOG``), never
from the rendered output:

- **passed**, **wrong** (with the first line of the checker's message), **crashed** (the
  learner's code raised; or the exercise's own cells failed before its check ran),
  **not attempted** (the stub is still there);
- **not reached**: its check never ran because an earlier cell failed (named), the notebook
  ran out of time, or the kernel died;
- **not checked**: an open exercise (a question answered in words); it never fails.

It prints one scoreboard per notebook and a total. Exit status: 0 when nothing is wrong,
crashed or not reached (``--strict``: and nothing is left not attempted), 1 otherwise, 2 when
a path given could not be graded at all (each such path gets one line saying why; the others
are still graded). ``--junit FILE`` writes JUnit XML (a test case per exercise: GitHub
Actions, GitHub Classroom and GitLab read it) and ``--json FILE`` the same report as JSON.

Usage::

    python -m seqkeras.grade                       # every learner notebook in notebooks/
    python -m seqkeras.grade notebooks/04_lstm_gru.ipynb --strict --junit grades.xml
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from seqkeras.grading import CHECKED, LOG_ENV, STRICT_ENV, _first_line, scoreboard_lines

__all__ = ["Graded", "Row", "grade", "exercises_of", "exit_status", "write_junit", "write_json", "main"]

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
QUICK_ENV = "SEQKERAS_QUICK"
#: The default limit for one notebook, in seconds (quick mode takes a few minutes at most).
TIME_LIMIT = 1200

_HEADING = re.compile(r"^#{1,6}\s*Exercise\s+(\d\d\.\d+)\s*[—:–-]?\s*(.*?)\s*$", re.M)
_IMPORT = re.compile(r"from\s+seqkeras\.checks\.(lesson\d\d)\s+import\s+(\([^)]*\)|[^\n]+)")
FAILING = ("wrong", "crashed", "not reached")


@dataclass
class Row:
    """One exercise of a graded notebook."""

    number: str
    title: str
    outcome: str  # passed, wrong, crashed, not attempted, not reached, not checked
    message: str = ""
    seconds: float = 0.0


@dataclass
class Graded:
    """One notebook: its exercises' rows, or ``error``: why it could not be graded at all."""

    path: str
    rows: list[Row] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""


def exercises_of(nb: Any) -> list[tuple[str, str, int]]:
    """``(number, title, cell index)`` of every "Exercise NN.K" heading in a notebook's markdown."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found += [(m.group(1), m.group(2), index) for m in _HEADING.finditer(cell.source)]
    return found


def _unknown_checkers(nb: Any) -> list[str]:
    """The checkers the notebook imports that this version of seqkeras does not have."""
    import importlib

    missing = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for module, names in _IMPORT.findall(cell.source):
            try:
                mod = importlib.import_module(f"seqkeras.checks.{module}")
            except ModuleNotFoundError as err:
                if err.name != f"seqkeras.checks.{module}":
                    raise  # a broken installation, not a notebook of another version
                missing.append(f"seqkeras.checks.{module}")
                continue
            for name in re.findall(r"\b(check_\w+)\b", names):
                if not hasattr(mod, name):
                    missing.append(f"{module}.{name}")
    return missing


def _cell_name(nb: Any, index: int) -> str:
    first = _first_line(nb.cells[index].source)
    return f'cell {index + 1} ("{first[:50]}{"…" if len(first) > 50 else ""}")'


def _load(path: Path) -> tuple[Any, str]:
    """The notebook at ``path``, or a reason why it cannot be graded."""
    import nbformat

    if not path.exists():
        return None, "no such file"
    if path.suffix != ".ipynb":
        return None, "not a notebook (a .ipynb file)"
    if path.resolve().parent.name == "solutions":
        return None, (
            "a solution copy: grade the learner notebooks (notebooks/NN_name.ipynb); the solutions "
            "pass by construction, and make test checks them"
        )
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # not JSON, not a notebook
        return None, f"not a readable notebook ({type(err).__name__}: {_first_line(err)})"
    if not exercises_of(nb):
        return None, "not a lesson notebook: it has no 'Exercise NN.K' heading"
    missing = _unknown_checkers(nb)
    if missing:
        return None, (
            f"it calls checkers this version of the course does not have ({', '.join(missing)}): it "
            "comes from another version. Grade it with that version, or copy your answers into "
            "this version's notebook"
        )
    return nb, ""


def _run(nb: Any, folder: Path, log: Path, limit: float) -> tuple[list[tuple[int, str]], tuple[int, str]]:
    """Run every code cell on a fresh kernel: the cells that raised ``(index, 'Name: text')``,
    and where and why the run stopped early (``(len(cells), "")`` if it did not)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    errors: list[tuple[int, str]] = []
    saved = {k: os.environ.get(k) for k in (LOG_ENV, QUICK_ENV, STRICT_ENV)}
    os.environ[LOG_ENV] = str(log)
    os.environ.setdefault(QUICK_ENV, "1")  # a value the user set wins, as in make test
    os.environ.pop(STRICT_ENV, None)  # "not attempted" is recorded, never raised inside
    start = time.monotonic()
    stopped, stop_at = "", len(nb.cells)
    try:
        client = NotebookClient(
            nb, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(folder)}}
        )
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = limit - (time.monotonic() - start)
                if left <= 0:
                    stopped, stop_at = (
                        f"the time limit ({limit:.0f} s) was reached before {_cell_name(nb, index)}",
                        index,
                    )
                    break
                client.timeout = max(1, int(left))
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    stopped, stop_at = (
                        f"the time limit ({limit:.0f} s) was reached in {_cell_name(nb, index)}",
                        index,
                    )
                    break
                except DeadKernelError:
                    stopped, stop_at = f"the kernel died in {_cell_name(nb, index)} (out of memory?)", index
                    break
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        errors.append((index, f"{out.get('ename')}: {_first_line(out.get('evalue', ''))}"))
                        break
    except Exception as err:  # the kernel did not start
        stopped, stop_at = f"the kernel could not run ({type(err).__name__}: {_first_line(err)})", 0
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return errors, (stop_at, stopped)


def _rows(
    nb: Any,
    results: dict[str, dict],
    errors: list[tuple[int, str]],
    stopped: tuple[int, str],
    expected: list[str],
) -> list[Row]:
    headings = exercises_of(nb)
    # A check's own verdict (a wrong answer) is recorded already: it blocks nothing after it.
    blocking = [(i, e) for i, e in errors if not e.startswith(("ExerciseError", "LearnerCrash"))]
    stop_at, why_stopped = stopped
    rows = []
    for k, (number, title, at) in enumerate(headings):
        end = headings[k + 1][2] if k + 1 < len(headings) else len(nb.cells)
        got = results.get(number)
        if got:
            rows.append(Row(number, got["title"], got["outcome"], got["message"], got["seconds"]))
        elif number not in CHECKED:
            rows.append(Row(number, title, "not checked", "an open exercise, answered in words"))
        else:
            before = [(i, e) for i, e in blocking if i < at]
            inside = [(i, e) for i, e in blocking if at <= i < end]
            if before:  # what failed inside is most likely its consequence (a name never defined)
                i, e = before[0]
                rows.append(
                    Row(number, CHECKED[number], "not reached", f"{_cell_name(nb, i)} failed first ({e})")
                )
            elif inside:
                i, e = inside[0]
                rows.append(Row(number, CHECKED[number], "crashed", f"{_cell_name(nb, i)} raised {e}"))
            elif why_stopped and stop_at < end:
                rows.append(Row(number, CHECKED[number], "not reached", why_stopped))
            else:
                rows.append(
                    Row(
                        number,
                        CHECKED[number],
                        "not reached",
                        "its check never ran (is its check cell still there?)",
                    )
                )
    listed = {r.number for r in rows}
    rows += [
        Row(n, r["title"], r["outcome"], r["message"], r["seconds"])
        for n, r in results.items()
        if n not in listed
    ]
    listed = {r.number for r in rows}
    rows += [
        Row(n, CHECKED[n], "not reached", "its heading and check are missing from this notebook")
        for n in expected
        if n in CHECKED and n not in listed
    ]
    return rows


def grade(path: str | Path, limit: float = TIME_LIMIT) -> Graded:
    """Run one learner notebook (a copy in memory) and return its exercises' outcomes."""
    import importlib

    import nbformat

    path = Path(path)
    nb, error = _load(path)
    if error:
        return Graded(str(path), error=error)

    for lesson in sorted({number.split(".")[0] for number, _, _ in exercises_of(nb)}):
        try:  # know which exercises are checked, even if the notebook never imports its checkers
            importlib.import_module(f"seqkeras.checks.lesson{lesson}")
        except ModuleNotFoundError as err:
            if err.name != f"seqkeras.checks.lesson{lesson}":
                raise
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "results.jsonl"
        log.touch()
        errors, stopped = _run(nb, path.resolve().parent, log, limit)
        results: dict[str, dict] = {}
        for line in log.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                results[record["number"]] = record  # the latest check of each exercise counts
    solution = SOLUTIONS / path.name  # the exercises this lesson has, whatever the copy kept
    expected = (
        [n for n, _, _ in exercises_of(nbformat.read(solution, as_version=4))] if solution.exists() else []
    )
    return Graded(str(path), _rows(nb, results, errors, stopped, expected), time.monotonic() - start)


def exit_status(report: list[Graded], strict: bool = False) -> int:
    """0: all well; 1: an exercise wrong, crashed or not reached (strict: or not attempted);
    2: a notebook could not be graded."""
    if any(g.error for g in report):
        return 2
    failing = FAILING + (("not attempted",) if strict else ())
    return int(any(r.outcome in failing for g in report for r in g.rows))


def write_junit(report: list[Graded], file: str | Path, strict: bool = False) -> None:
    """JUnit XML: a test suite per notebook, a test case per exercise. Wrong answers are failures,
    crashes and unreached checks errors, open and not-attempted exercises skipped (failures with
    ``strict``); a notebook that could not be graded is one test case in error."""
    root = ET.Element("testsuites", name="seqkeras exercises")
    for g in report:
        suite = ET.SubElement(root, "testsuite", name=Path(g.path).stem, time=f"{g.seconds:.1f}")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        cases = g.rows or [Row("-", "grading", "error", g.error)]
        for r in cases:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=Path(g.path).stem,
                name=f"{r.number} {r.title}",
                time=f"{r.seconds:.2f}",
            )
            counts["tests"] += 1
            message = f"{r.outcome}: {r.message}" if r.message else r.outcome
            if r.outcome == "wrong" or (strict and r.outcome == "not attempted"):
                ET.SubElement(case, "failure", message=message, type=r.outcome).text = message
                counts["failures"] += 1
            elif r.outcome in ("crashed", "not reached", "error"):
                ET.SubElement(case, "error", message=message, type=r.outcome).text = message
                counts["errors"] += 1
            elif r.outcome in ("not attempted", "not checked"):
                ET.SubElement(case, "skipped", message=message)
                counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
    ET.ElementTree(root).write(file, encoding="utf-8", xml_declaration=True)


def write_json(report: list[Graded], file: str | Path, strict: bool = False) -> None:
    """The report as JSON: every notebook with its rows, and the exit status it gives."""
    data = {
        "strict": strict,
        "exit_status": exit_status(report, strict),
        "notebooks": [asdict(g) for g in report],
    }
    Path(file).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seqkeras.grade",
        description="Run learner notebooks (quick mode, fresh kernel, the files left untouched) "
        "and print a scoreboard of their exercises.",
    )
    parser.add_argument(
        "notebooks", nargs="*", help="learner notebooks (default: every notebooks/NN_*.ipynb)"
    )
    parser.add_argument("--strict", action="store_true", help="an exercise not attempted counts as a failure")
    parser.add_argument("--junit", metavar="FILE", help="write JUnit XML here (a test case per exercise)")
    parser.add_argument("--json", metavar="FILE", help="write the report as JSON here")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=TIME_LIMIT,
        metavar="S",
        help=f"seconds per notebook ({TIME_LIMIT})",
    )
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    report = []
    for path in paths:
        print(f"grading {path} ...", flush=True)
        g = grade(path, args.time_limit)
        report.append(g)
        if g.error:
            print(f"  cannot grade {path}: {g.error}.")
        else:
            print("\n".join(scoreboard_lines([(r.number, r.title, r.outcome, r.message) for r in g.rows],
                                             f"  {path.name} ({g.seconds:.0f} s)")))  # fmt: skip
    rows = [r for g in report for r in g.rows]
    passed = sum(r.outcome == "passed" for r in rows)
    checked = sum(r.outcome != "not checked" for r in rows)
    status = exit_status(report, args.strict)
    print(
        f"\n{passed} of {checked} checked exercises passed in {len(report)} notebook(s)"
        + (f"; {sum(bool(g.error) for g in report)} could not be graded" if status == 2 else "")
        + (" (strict: not attempted counts as failed)" if args.strict else "")
        + "."
    )
    if args.junit:
        write_junit(report, args.junit, args.strict)
    if args.json:
        write_json(report, args.json, args.strict)
    return status


if __name__ == "__main__":
    sys.exit(main())
