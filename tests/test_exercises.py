"""The learner-notebook generator, and that the committed learner notebooks are in step."""

import nbformat
import pytest

from seqkeras import exercises
from seqkeras.exercises import SolutionMarkerError, learner_notebook, strip_solutions

CODE = '''def f(x):
    """Double x."""
    ### BEGIN SOLUTION
    y = 2 * x
    return y
    ### END SOLUTION

### BEGIN SOLUTION: answer = None
answer = 42
### END SOLUTION
print("kept")'''


def test_code_regions_become_stubs():
    out = strip_solutions(CODE)
    assert "2 * x" not in out and "42" not in out
    assert '    raise NotImplementedError("Exercise: write your code here")' in out.splitlines()
    assert "answer = None  # YOUR ANSWER" in out.splitlines()
    assert out.splitlines()[-1] == 'print("kept")'
    compile(out, "learner", "exec")  # the stubbed cell is still valid Python


def test_markdown_regions_become_prompts():
    md = "**Question.** Why?\n\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->\nEnd."
    out = strip_solutions(md, markdown=True)
    assert "Because" not in out and "*Your answer here.*" in out and out.endswith("End.")


@pytest.mark.parametrize(
    "bad, message",
    [
        ("### BEGIN SOLUTION\nx = 1", "never closed"),
        ("x = 1\n### END SOLUTION", "without a BEGIN"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
    ],
)
def test_unbalanced_markers_are_errors(bad, message):
    with pytest.raises(SolutionMarkerError, match=message):
        strip_solutions(bad, where="demo.ipynb, cell 3")


def test_learner_notebook_clears_outputs_and_keeps_others():
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell(
        CODE, execution_count=3, outputs=[nbformat.v4.new_output("stream", text="hi")]
    )
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), code]
    out = learner_notebook(nb, "99_demo.ipynb")
    assert out.cells[0].source == "# Title"
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None
    assert nb.cells[1].outputs, "the solution notebook itself must not be modified"


def test_build_keeps_outputs_when_only_markdown_changed(monkeypatch, tmp_path):
    """Rewording prose must not wipe a learner copy's stored outputs (they would need a full
    re-run to come back); a change to any code cell must, since the outputs may be stale."""
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    monkeypatch.setattr(exercises, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(exercises, "SOLUTIONS", solutions)

    def write_solution(markdown, code):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(markdown), nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, solutions / "99_demo.ipynb")

    def stored_output(text):
        learner = nbformat.read(tmp_path / "99_demo.ipynb", as_version=4)
        learner.cells[1].outputs = [nbformat.v4.new_output("stream", text=text)]
        learner.cells[1].execution_count = 1
        nbformat.write(learner, tmp_path / "99_demo.ipynb")

    def learner_outputs():
        return nbformat.read(tmp_path / "99_demo.ipynb", as_version=4).cells[1].outputs

    write_solution("The loss is 0.5.", CODE)
    assert exercises.build() == ([tmp_path / "99_demo.ipynb"], [])
    stored_output("kept\n")
    write_solution("The loss is 0.50, as printed below.", CODE)
    assert exercises.build() == ([tmp_path / "99_demo.ipynb"], [])
    learner = nbformat.read(tmp_path / "99_demo.ipynb", as_version=4)
    assert learner.cells[0].source == "The loss is 0.50, as printed below."
    assert [o.text for o in learner.cells[1].outputs] == ["kept\n"]
    assert learner.cells[1].execution_count == 1
    write_solution("The loss is 0.50, as printed below.", CODE + "\nprint('more')")
    exercises.build()
    assert learner_outputs() == [], "a changed code cell must clear the stored outputs"


def test_make_notebooks_never_overwrites_a_learners_answers(monkeypatch, tmp_path, capsys):
    """A learner who has answered exercises and runs `make notebooks` keeps the answers (unless
    forced); the drift check does not send them there either. A maintainer's change to an answer
    cell whose stub is still in place is regenerated as before."""
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    monkeypatch.setattr(exercises, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(exercises, "SOLUTIONS", solutions)
    monkeypatch.setattr(exercises, "ROOT", tmp_path)
    learner_file = tmp_path / "99_demo.ipynb"

    def write_solution(intro, comment="# x: a number"):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_markdown_cell(intro),
            nbformat.v4.new_markdown_cell("### Exercise 99.1: double"),
            nbformat.v4.new_code_cell(
                f"def double(x):\n    {comment}\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
            ),
            nbformat.v4.new_code_cell("check_double(double)"),
        ]
        for k, cell in enumerate(nb.cells):
            cell["id"] = f"cell-{k}"
        nbformat.write(nb, solutions / "99_demo.ipynb")

    def answer(text, add_cell=False):
        nb = nbformat.read(learner_file, as_version=4)
        nb.cells[2].source = nb.cells[2].source.replace(exercises._DEFAULT_CODE_STUB, text)
        nb.cells = [c for c in nb.cells if c.source != "print(double(3))"]
        if add_cell:
            nb.cells.append(nbformat.v4.new_code_cell("print(double(3))"))
        nbformat.write(nb, learner_file)

    write_solution("Intro.")
    exercises.build()
    assert not exercises.drifted()
    write_solution("Intro.", "# x: a number or an array")  # the maintainers change the answer cell:
    assert exercises.build() == ([learner_file], [])  # the stub is still there, so it is regenerated

    answer("return x * 2")
    assert not exercises.drifted(), "a learner's answers are not drift"
    answer("return x * 2", add_cell=True)  # a cell of one's own: kept by build, but drift (a cell
    assert exercises.drifted()  # the maintainers removed would look the same)
    write_solution("Intro, reworded.")
    written, refused = exercises.build()
    assert written == [] and refused[0].path == learner_file
    assert refused[0].places == ["Exercise 99.1: your answer in cell 3", "cells you added: 5"]
    assert "return x * 2" in learner_file.read_text(), "the answer must survive"
    assert exercises.drifted(), "the lesson itself changed: that is drift"
    assert exercises.main(["build"]) == 1
    out = capsys.readouterr().out
    assert "left 99_demo.ipynb alone: it holds your work" in out and "FORCE=1" in out
    assert exercises.build(force=True) == ([learner_file], [])
    assert "return x * 2" not in learner_file.read_text()
    assert exercises._DEFAULT_CODE_STUB in nbformat.read(learner_file, as_version=4).cells[2].source


def test_answers_without_a_stub_to_replace_are_seen_too():
    """Three stubs in one cell (a layer's three methods), one still there; and a placeholder cell
    of comments ("# Your experiment here") with code written under it."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    stub = exercises._DEFAULT_CODE_STUB
    solution = nbformat.v4.new_notebook()
    solution.cells = [
        md("### Exercise 99.2: a layer"),
        code(
            "class Layer:\n    def a(self):\n        ### BEGIN SOLUTION\n        return 1\n        ### END SOLUTION\n"
            "    def b(self):\n        ### BEGIN SOLUTION\n        return 2\n        ### END SOLUTION\n"
            "    def c(self):\n        ### BEGIN SOLUTION\n        return 3\n        ### END SOLUTION"
        ),
        md("### Exercise 99.3: an experiment"),
        code("# Your experiment here (uses Layer)."),
    ]
    made = exercises.learner_notebook(solution, "99_demo.ipynb")
    assert made.cells[1].source.count(stub) == 3
    old = exercises.learner_notebook(solution, "99_demo.ipynb")
    assert exercises.learner_answers(old, made, solution) == []
    old.cells[1].source = old.cells[1].source.replace(stub, "return 1", 2)  # two of three done
    assert exercises.learner_answers(old, made, solution) == ["Exercise 99.2: your answer in cell 2"]
    old.cells[3].source += "\nprint(Layer().a())"
    assert exercises.learner_answers(old, made, solution)[1] == "Exercise 99.3: your answer in cell 4"


def test_committed_learner_notebooks_match_the_generator():
    problems = exercises.drifted()
    assert not problems, "learner notebooks out of step (run `make notebooks`):\n" + "\n".join(problems)


def test_every_lesson_has_a_solution_and_learner_copy_without_solutions():
    solutions = exercises.solution_paths()
    assert solutions, "no solution notebooks found"
    for sol in solutions:
        learner = nbformat.read(exercises.learner_path(sol), as_version=4)
        text = "\n".join(c.source for c in learner.cells)
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, sol.name


def test_execute_refuses_quick_mode(monkeypatch, tmp_path):
    # stored outputs are what learners read: never from cut training budgets
    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(nb, path)
    monkeypatch.setenv("SEQKERAS_QUICK", "1")
    with pytest.raises(RuntimeError, match="Unset it"):
        exercises.execute([path])
    assert nbformat.read(path, as_version=4).cells[0].outputs == []  # nothing was run


def test_checked_cells_carry_the_nbval_tag_and_no_marker_comment():
    """Cells whose output nbval compares are tagged ``nbval-check-output`` (cell metadata), so a
    learner's code shows no test marker; every checker call is such a cell, and so is each
    lesson's scoreboard (so the run checks it: all passed in a solution copy, all not attempted
    in a learner copy)."""
    import re

    paths = sorted(exercises.SOLUTIONS.glob("[0-9][0-9]_*.ipynb")) + sorted(
        exercises.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")
    )
    assert paths
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            where = f"{path.name}, cell {i}"
            assert not re.search(r"(?m)^\s*# NBVAL_", cell.source), (
                f"{where}: use the cell tag, not a # NBVAL_ comment"
            )
            if re.match(r"check_\w+\(", cell.source.strip()) or "scoreboard(" in cell.source:
                assert "nbval-check-output" in cell.metadata.get("tags", []), (
                    f"{where}: a checker cell must be tagged"
                )


def test_every_diagram_cell_shows_its_picture():
    """A cell that draws a course diagram must store the picture: a trailing ``;`` after the
    call hides the figure (it is shown as the cell's value), which left lessons 07 and 08
    without their diagrams once."""
    paths = sorted(exercises.SOLUTIONS.glob("[0-9][0-9]_*.ipynb")) + sorted(
        exercises.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")
    )
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or "diagrams." not in cell.source:
                continue
            images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
            assert images, f"{path.name}, cell {i}: draws a diagram but stores no picture (a trailing ';'?)"
