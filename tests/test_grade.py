"""The grader, python -m seqkeras.grade: outcomes from the checkers, scoreboards, JUnit and JSON.

The notebooks here are small lessons made for the test (lesson 00's first two exercises, an open
one and a check cell), so that each runs on a real kernel in a few seconds; one test grades the
shipped learner copy of lesson 00 as it is.
"""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

from seqkeras import grade, grading

ROOT = Path(__file__).resolve().parents[1]
STUB = 'raise NotImplementedError("Exercise: write your code here")'
DENSE = "return f(x @ W + b)"
SOFTMAX = "e = np.exp(z - z.max(axis=-1, keepdims=True))\n    return e / e.sum(axis=-1, keepdims=True)"


def lesson(tmp_path, dense=STUB, softmax=STUB, before="x = 1", name="00_test.ipynb"):
    """A small learner notebook: imports, one plain cell, exercises 00.1, 00.2 and an open 00.5."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        md("# A lesson made for the test"),
        code("import numpy as np\nfrom seqkeras.checks.lesson00 import check_dense, check_softmax"),
        code(before),
        md("### Exercise 00.1: a dense layer"),
        code(f"def dense(x, W, b, f):\n    {dense}"),
        code("check_dense(dense)"),
        md("### Exercise 00.2: a softmax that never overflows"),
        code(f"def softmax(z):\n    {softmax}"),
        code("check_softmax(softmax)"),
        md("### Exercise 00.5: explain the plot\n\n*Your answer here.*"),
    ]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def outcomes(graded):
    return {r.number: r.outcome for r in graded.rows}


def test_untouched_exercises_are_not_attempted_and_fail_only_in_strict_mode(tmp_path):
    path = lesson(tmp_path)
    before = path.read_bytes()
    graded = grade.grade(path)
    assert outcomes(graded) == {"00.1": "not attempted", "00.2": "not attempted", "00.5": "not checked"}
    assert grade.exit_status([graded]) == 0
    assert grade.exit_status([graded], strict=True) == 1
    assert path.read_bytes() == before  # the grader runs a copy


def test_a_wrong_answer_and_a_crash_are_reported_with_the_checkers_message(tmp_path, capsys):
    path = lesson(tmp_path, dense="return x @ W", softmax="return 1 / 0")
    status = grade.main([str(path), "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml")])
    assert status == 1
    rows = {r["number"]: r for r in json.loads((tmp_path / "r.json").read_text())["notebooks"][0]["rows"]}
    assert rows["00.1"]["outcome"] == "wrong" and "differs" in rows["00.1"]["message"]
    assert rows["00.2"]["outcome"] == "crashed" and "ZeroDivisionError" in rows["00.2"]["message"]
    assert rows["00.5"]["outcome"] == "not checked"
    out = capsys.readouterr().out
    assert "0 of 2 checked exercises passed, 1 wrong, 1 crashed." in out
    assert rows["00.1"]["message"] in out  # the checker's first line, printed as it said it

    suite = ET.parse(tmp_path / "r.xml").getroot().find("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "1" and suite.get("errors") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases["00.1 dense"].find("failure").get("message").startswith("wrong: ")
    assert cases["00.2 softmax"].find("error") is not None
    assert cases["00.5 explain the plot"].find("skipped") is not None


def test_correct_answers_pass_and_a_correct_alternative_too(tmp_path):
    alternative = "return np.exp(z - np.max(z, axis=1)[:, None]) / np.exp(z - np.max(z, axis=1)[:, None]).sum(1)[:, None]"
    graded = grade.grade(lesson(tmp_path, dense=DENSE, softmax=alternative))
    assert outcomes(graded) == {"00.1": "passed", "00.2": "passed", "00.5": "not checked"}
    assert grade.exit_status([graded], strict=True) == 0


def test_a_notebook_broken_before_its_exercises_marks_them_not_reached(tmp_path):
    graded = grade.grade(lesson(tmp_path, dense=DENSE, before="undefined_name + 1"))
    rows = {r.number: r for r in graded.rows}
    # the exercises' own cells still run (allow errors): 00.1 is checked and passes
    assert rows["00.1"].outcome == "passed" and rows["00.2"].outcome == "not attempted"
    broken = grade.grade(lesson(tmp_path, before="raise SystemExit", name="00_b.ipynb"))
    assert broken.rows  # a cell that exits is an error like any other


def test_exercise_cells_that_fail_before_the_check_count_as_crashed(tmp_path):
    graded = grade.grade(lesson(tmp_path, dense="return (", softmax=SOFTMAX))  # a syntax error
    rows = {r.number: r for r in graded.rows}
    assert rows["00.1"].outcome in ("crashed", "wrong")
    assert rows["00.2"].outcome == "passed"
    assert grade.exit_status([graded]) == 1


def test_a_wrong_answer_does_not_hide_the_next_exercises_crash(tmp_path):
    rows = {r.number: r for r in grade.grade(lesson(tmp_path, dense="return x @ W", softmax="return (")).rows}
    assert rows["00.1"].outcome == "wrong"
    assert rows["00.2"].outcome == "crashed" and "SyntaxError" in rows["00.2"].message


def test_not_reached_when_the_imports_fail(tmp_path):
    path = lesson(tmp_path, dense=DENSE)
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = (
        "import numpy as np\nimport not_a_module_anywhere\n" + nb.cells[1].source.split("\n", 1)[1]
    )
    nbformat.write(nb, path)
    rows = {r.number: r for r in grade.grade(path).rows}
    assert rows["00.1"].outcome == "not reached"
    assert "cell 2" in rows["00.1"].message and "ModuleNotFoundError" in rows["00.1"].message


def test_the_time_limit_stops_a_notebook_and_names_the_cell(tmp_path):
    path = lesson(tmp_path, before="import time\ntime.sleep(60)")
    rows = {r.number: r for r in grade.grade(path, limit=8).rows}
    assert rows["00.1"].outcome == "not reached" and "time limit" in rows["00.1"].message
    assert 'cell 3 ("import time")' in rows["00.1"].message


def test_a_kernel_that_dies_is_named_and_the_exercises_after_it_not_reached(tmp_path):
    path = lesson(tmp_path, before="import os\nos._exit(1)")
    rows = {r.number: r for r in grade.grade(path, limit=120).rows}
    assert rows["00.1"].outcome == "not reached"
    assert "kernel died" in rows["00.1"].message and 'cell 3 ("import os")' in rows["00.1"].message


def test_paths_that_cannot_be_graded_get_one_line_each_and_the_others_are_still_graded(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hi")
    (tmp_path / "broken.ipynb").write_text("{not json")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "empty.ipynb")
    bad = {
        tmp_path / "missing.ipynb": "no such file",
        tmp_path / "notes.txt": "not a notebook",
        tmp_path / "broken.ipynb": "not a readable notebook",
        tmp_path / "empty.ipynb": "not a lesson notebook",
        ROOT / "notebooks" / "solutions" / "00_single_layer.ipynb": "a solution copy",
    }
    good = lesson(tmp_path, dense=DENSE, softmax=SOFTMAX)
    status = grade.main([*map(str, bad), str(good)])
    out = capsys.readouterr().out
    assert status == 2
    for path, reason in bad.items():
        assert f"cannot grade {path}: {reason}" in out
    assert "2 of 2 checked exercises passed in 6 notebook(s); 5 could not be graded." in out


def test_a_notebook_from_another_version_is_named_before_it_runs(tmp_path):
    path = lesson(tmp_path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = "from seqkeras.checks.lesson00 import check_dense, check_that_never_was"
    nbformat.write(nb, path)
    graded = grade.grade(path)
    assert "another version" in graded.error and "lesson00.check_that_never_was" in graded.error


def test_the_shipped_learner_copy_of_lesson_00_is_all_not_attempted(tmp_path):
    graded = grade.grade(ROOT / "notebooks" / "00_single_layer.ipynb")
    checked = {n for n in grading.CHECKED if n.startswith("00.")}
    assert {r.number for r in graded.rows if r.outcome == "not attempted"} == checked
    assert {r.outcome for r in graded.rows} == {"not attempted", "not checked"}
    assert grade.exit_status([graded]) == 0 and grade.exit_status([graded], strict=True) == 1


def test_the_in_kernel_scoreboard_reports_this_kernels_checks(capsys):
    from seqkeras.checks.lesson03 import check_perplexity_from_nll

    grading.RESULTS.pop("03.1", None)
    grading.scoreboard("03")
    assert "03.1 perplexity_from_nll" in capsys.readouterr().out.split("\n")[1]
    with pytest.raises(grading.ExerciseError):
        check_perplexity_from_nll(lambda nll: 1 / 0)
    capsys.readouterr()
    grading.scoreboard("03.1")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Lesson 03: 0 of 1 checked exercise passed, 1 crashed."
    assert "crashed: your code raised ZeroDivisionError" in lines[1]
    for bad in ("4", "99", "03.9"):
        with pytest.raises(ValueError, match="scoreboard"):
            grading.scoreboard(bad)
