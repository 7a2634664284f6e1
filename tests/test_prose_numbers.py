"""Numbers stated in the markdown of the solution notebooks are traceable to stored outputs.

The rules and the markers (``<!-- constants: ... -->``, ``<!-- evidence: ... -->``) are described
in ``tests/prose_numbers.py``. The first tests build small notebooks, so that the mechanism is
tested without the real ones; the last runs it over every solution notebook.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from prose_numbers import (
    SOLUTIONS,
    Course,
    check_notebook,
    evidence_phrases,
    prose_numbers,
    solution_notebooks,
)

# --- small synthetic courses -------------------------------------------------------------


def code(source: str, text: str = "", cell_id: str | None = None) -> nbformat.NotebookNode:
    """A code cell whose stored output prints ``text``."""
    cell = nbformat.v4.new_code_cell(source)
    if text:
        cell.outputs = [nbformat.v4.new_output("stream", text=text)]
    if cell_id:
        cell.id = cell_id
    return cell


def markdown(source: str, cell_id: str | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    if cell_id:
        cell.id = cell_id
    return cell


def write(folder: Path, name: str, *cells: nbformat.NotebookNode) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    path = folder / name
    nbformat.write(nb, path)
    return path


def violations(tmp_path: Path, *cells: nbformat.NotebookNode) -> list[str]:
    path = write(tmp_path, "03_demo.ipynb", *cells)
    return [str(v) for v in check_notebook(path, Course(tmp_path, tmp_path))]


def stated(text: str) -> list[str]:
    return [n.text for n in prose_numbers(text)]


# --- which numbers count ---------------------------------------------------------------------


def test_decimals_and_percentages_count_integers_do_not():
    assert stated("accuracy 0.94 after 8 epochs on 5,000 sentences, 97.8% and 43% of 1,058.5 s") == [
        "0.94",
        "97.8%",
        "43%",
        "1,058.5",
    ]
    assert stated("a learning rate of 1e-3 in 2024") == ["1e-3"]


def test_maths_code_comments_links_and_tags_do_not_count():
    text = (
        "$\\log 65 = 4.17$ and $$0.73^{50}$$, `clipnorm=1.0`, <!-- 0.5 -->, "
        "[the docs](https://example.org/v2.1/x.html), https://example.org/0.3, "
        '<img width="0.5">\n```\nx = 0.25\n```\n'
    )
    assert stated(text) == []


def test_identifiers_do_not_count():
    text = (
        "### 5.1 The data\n\n### Exercise 04.3 — clipping\n\nSee exercise 03.3, section 1.2, "
        "sections 1.2 and 5.5, § 2.1, lesson 08.5, Python 3.11, Keras 3.4, the date 26.09.2034, "
        "and the tagger of 5.1."
    )
    assert stated(text) == []
    # A heading number elsewhere is a value: only "in/of/see 5.1" refers to the section.
    assert stated("### 5.1 The data\n\nThe loss is 5.1 nats.") == ["5.1"]


# --- traceable to an output ----------------------------------------------------------------


def test_a_number_matches_at_the_precision_the_prose_gives(tmp_path):
    out = code("print(acc, loss)", "accuracy 0.942  loss 1.668  share 97.83%  chance 0.978\n")
    prose = markdown("Accuracy 0.94, loss 1.7 (1.668 exactly), 97.8% share, chance 97.8%, 94% right.")
    assert violations(tmp_path, out, prose) == []


def test_a_planted_stale_number_fails_with_where_and_the_nearest_outputs(tmp_path):
    out = code("print(acc)", "held-out accuracy 0.942\nloss 0.231\n", cell_id="out-cell")
    prose = markdown("The tagger reaches 0.96 held out.", cell_id="prose-cell")
    (message,) = violations(tmp_path, out, prose)
    assert "03_demo.ipynb cell 1 (id prose-cell)" in message
    assert "number 0.96 matches no output" in message
    assert "reaches 0.96 held out" in message
    assert "nearest outputs: 0.942 (03_demo cell 0)" in message


def test_rounding_is_not_loose(tmp_path):
    out = code("print(acc)", "0.9449 0.935\n")
    assert violations(tmp_path, out, markdown("It reached 0.94.")) == []
    assert len(violations(tmp_path, out, markdown("It reached 0.946."))) == 1
    assert len(violations(tmp_path, out, markdown("It reached 0.95."))) == 1


def test_a_percentage_needs_a_fraction_or_a_percentage_not_any_integer(tmp_path):
    out = code("print(n)", "60 sentences, 0.43 right\n")
    assert violations(tmp_path, out, markdown("43% right.")) == []
    assert len(violations(tmp_path, out, markdown("60% right."))) == 1


def test_images_are_not_outputs(tmp_path):
    cell = code("plot()")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": "MC45NA==", "text/plain": "<Figure>"})
    ]
    assert len(violations(tmp_path, cell, markdown("It reached 0.94."))) == 1


def test_html_outputs_count_without_their_tags(tmp_path):
    cell = code("df")
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/html": '<td style="width:0.94em">0.71</td>'},
            execution_count=1,
        )
    ]
    assert violations(tmp_path, cell, markdown("It reached 0.71.")) == []
    assert len(violations(tmp_path, cell, markdown("It reached 0.94."))) == 1


def test_a_number_may_come_from_a_lesson_the_cell_names(tmp_path):
    write(tmp_path, "07_other.ipynb", code("print(acc)", "accuracy 0.56\n"))
    out = code("print(acc)", "accuracy 0.91\n")
    assert violations(tmp_path, out, markdown("Lesson 07 reached 0.56 after six epochs.")) == []
    # Not without naming it.
    assert len(violations(tmp_path, out, markdown("The other model reached 0.56."))) == 1


def test_settings_count_bounds_only_when_the_prose_says_asserted(tmp_path):
    setup = code(
        "ALPHA = 0.25\nmodel.fit(x, validation_split=0.2)\nclaim(loss < 1.75, 'low')\nassert 0.93 < acc",
        "done\n",
    )
    assert violations(tmp_path, setup, markdown("With $\\alpha$ = 0.25 and 20% kept aside.")) == []
    assert violations(tmp_path, setup, markdown("We assert it under 1.75.")) == []
    # A table of results does not pass on the bounds that check it.
    assert len(violations(tmp_path, setup, markdown("| lookup | 0.93 |"))) == 1


# --- markers -------------------------------------------------------------------------------


def test_a_constant_is_marked_in_a_comment_and_must_be_used(tmp_path):
    prose = "nanoGPT reports 1.47.\n<!-- constants: 1.47 (nanoGPT's published figure, 2023) -->"
    assert violations(tmp_path, code("x = 1"), markdown(prose)) == []
    stale = "nanoGPT reports 1.48.\n<!-- constants: 1.47 -->"
    found = violations(tmp_path, code("x = 1"), markdown(stale))
    assert any("constant 1.47 is listed but not stated" in v for v in found)
    assert any("number 1.48 matches no output" in v for v in found)


@pytest.mark.parametrize(
    "phrase",
    [
        "in our runs",
        "in one run of ours",
        "three seeds gave",
        "in five runs",
        "over the five runs",
        "Three seeds\ngave",
        "three seeds of this recipe, run separately, gave",
        "over the seeds and backends we tried",
        "on the JAX\nbackend",
        "in our trials",
    ],
)
def test_phrases_that_cite_runs_outside_the_notebook_are_found(phrase):
    assert evidence_phrases(f"The loss was low ({phrase}) for the GRU.")


def test_ordinary_prose_is_not_evidence():
    assert not evidence_phrases(
        "Run the cell below; Keras runs on any backend, with the JAX or PyTorch one too."
    )
    # Advice, and the notebook's own seeds.
    assert not evidence_phrases("Train each with several seeds. This cell repeats each run with three seeds.")


def test_a_planted_in_our_runs_fails(tmp_path):
    out = code("print(acc)", "accuracy 0.942\n")
    (message,) = violations(tmp_path, out, markdown("In our runs the GRU was always ahead.", cell_id="p"))
    assert "03_demo.ipynb cell 1 (id p)" in message
    assert "'In our runs' cites runs the notebook does not show" in message


def test_an_evidence_marker_must_name_a_cell_with_outputs(tmp_path):
    seeds = code("run_seeds()", "seed 0: 0.742\nseed 1: 0.751\n", cell_id="seeds")
    silent = code("x = 1", cell_id="silent")
    ok = markdown("In our runs: 0.742 to 0.751.\n<!-- evidence: seeds -->")
    assert violations(tmp_path, seeds, silent, ok) == []
    for ref, why in [("missing", "no cell with that id"), ("silent", "has no text outputs")]:
        found = violations(tmp_path, seeds, silent, markdown(f"In our runs.\n<!-- evidence: {ref} -->"))
        assert len(found) == 1 and why in found[0]


def test_evidence_in_another_notebook_brings_its_numbers(tmp_path):
    write(tmp_path, "05_seeds.ipynb", code("run()", "errors 0.55 to 1.81\n", cell_id="five"))
    prose = markdown("In five runs the error was 0.55 to 1.81 ppm.\n<!-- evidence: 05_seeds#five -->")
    assert violations(tmp_path, code("x = 1", "0.9\n"), prose) == []


def test_an_evidence_file_must_be_loaded_and_shown(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "seeds.json").write_text('{"gru": [1.61, 1.63]}')
    prose = markdown("Three seeds gave 1.61 to 1.63.\n<!-- evidence: results/seeds.json -->")
    loads = code("show(load('results/seeds.json'))", "gru: 1.61 1.63\n")
    assert violations(tmp_path, loads, prose) == []
    found = violations(tmp_path, code("x = 1", "1.61 1.63\n"), prose)
    assert len(found) == 1 and "no code cell with outputs loads it" in found[0]
    missing = markdown("Three seeds gave it.\n<!-- evidence: results/none.json -->")
    assert "no such file" in violations(tmp_path, loads, missing)[0]


# --- the real notebooks ------------------------------------------------------------------

_COURSE = Course()


@pytest.mark.parametrize("path", solution_notebooks(), ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_traceable(path):
    found = check_notebook(path, _COURSE)
    assert not found, f"{len(found)} untraceable statements:\n" + "\n".join(str(v) for v in found)


def test_a_planted_stale_number_and_outside_run_fail_in_a_real_lesson(tmp_path):
    """The check on a real lesson: 09's prose passes as committed, and fails once a number no
    output shows, or a citation of runs the notebook does not hold, is planted in it."""
    original = SOLUTIONS / "09_self_attention.ipynb"
    nb = json.loads(original.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown" and c.get("id"))
    cell["source"] = "".join(cell["source"]) + "\n\nHeld out, it scores 0.913; in our runs it was higher.\n"
    planted = tmp_path / original.name
    planted.write_text(json.dumps(nb), encoding="utf-8")
    assert not check_notebook(original, _COURSE)
    found = "\n".join(str(v) for v in check_notebook(planted, _COURSE))
    assert "0.913" in found and "in our runs" in found and cell["id"] in found
