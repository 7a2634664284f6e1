"""The exercise-check framework: passed, not attempted (lenient and strict), wrong, crashes,
answers of the wrong kind, and how a wrong answer looks in Jupyter."""
import numpy as np
import pytest

from seqkeras.grading import (STUB_MESSAGE, ExerciseError, call, exercise, expect_array, expect_close,
                              expect_equal, expect_int, expect_model, expect_shape, require_answer)


@exercise("99.1", "double")
def check_double(fn):
    x = np.arange(6.0).reshape(2, 3)
    expect_close("2x", call(fn, x), 2 * x, likely_bugs={"you squared instead of doubling": x ** 2})


def test_correct_answer_passes(capsys):
    assert check_double(lambda x: 2 * x)
    assert "✅ Exercise 99.1 (double): passed" in capsys.readouterr().out


def test_stub_is_not_attempted(stub, assert_not_attempted):
    assert_not_attempted(check_double, stub)


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_strict_mode_fails_stub(monkeypatch, value, stub):
    monkeypatch.setenv("SEQKERAS_STRICT", value)
    with pytest.raises(ExerciseError, match="not attempted"):
        check_double(stub)


def test_not_implemented_from_attempted_code_is_a_crash_not_a_stub():
    def helper(x):
        raise NotImplementedError("helper for the tricky case")

    def attempted(x):
        return helper(x)

    with pytest.raises(ExerciseError) as info:
        check_double(attempted)
    text = str(info.value)
    assert "raised NotImplementedError: helper for the tricky case" in text
    assert "not attempted" not in text
    # A bare NotImplementedError is not the generated stub either.
    with pytest.raises(ExerciseError, match="raised NotImplementedError"):
        check_double(lambda x: (_ for _ in ()).throw(NotImplementedError()))


def test_known_bug_is_named():
    with pytest.raises(ExerciseError, match="squared instead of doubling"):
        check_double(lambda x: x ** 2)


def test_unknown_wrong_answer_reports_largest_difference():
    with pytest.raises(ExerciseError, match="largest difference"):
        check_double(lambda x: 2 * x + 1)


def test_tolerance_is_tight():
    with pytest.raises(ExerciseError, match="largest difference"):
        check_double(lambda x: 2 * x + 1e-3)
    assert check_double(lambda x: 2 * x + 1e-9)


def test_crash_names_the_original_error_and_the_learner_line():
    def wrong(x):
        w = np.ones((2, 2))
        return x @ w

    with pytest.raises(ExerciseError) as info:
        check_double(wrong)
    text = str(info.value)
    assert "raised ValueError: matmul" in text          # type and full original text
    assert "return x @ w" in text                        # the learner's line, not NumPy's
    assert "Check the shapes" in text                    # the hint applies to a shape error
    assert "ndarray(2, 3)" in text


def test_crash_hint_only_when_it_applies():
    def wrong(x):
        return {}["missing key"]

    with pytest.raises(ExerciseError) as info:
        check_double(wrong)
    assert "raised KeyError" in str(info.value)
    assert "Check the shapes" not in str(info.value)


def test_long_messages_are_never_cut():
    long = "x" * 5000

    def wrong(x):
        raise ValueError(long)

    with pytest.raises(ExerciseError) as info:
        check_double(wrong)
    assert long in str(info.value)


def test_not_callable_and_missing_return():
    with pytest.raises(ExerciseError, match="expected a function"):
        check_double(3)
    with pytest.raises(ExerciseError, match="forget to `return`"):
        check_double(lambda x: None)


@pytest.mark.parametrize("answer, match", [
    (lambda x: "2x", "array of numbers, got str"),
    (lambda x: [[1, 2], [3]], "cannot turn into one"),
    (lambda x: print, "array of numbers, got builtin_function_or_method"),
])
def test_wrong_kind_of_answer_gets_a_sentence(answer, match):
    with pytest.raises(ExerciseError, match=match):
        check_double(answer)


def test_expect_model_and_expect_int():
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    assert expect_model("model", model) is model
    with pytest.raises(ExerciseError, match="should be a Keras model"):
        expect_model("model", np.zeros(3))
    with pytest.raises(ExerciseError, match="forget to `return` the model"):
        expect_model("model", None)
    assert expect_int("count", np.int64(12)) == 12
    for bad in (12.0, "12", True, None):
        with pytest.raises(ExerciseError):
            expect_int("count", bad)
    np.testing.assert_array_equal(expect_array("a", [1, 2]), [1.0, 2.0])


def test_a_checker_that_breaks_on_the_answer_reports_the_kind():
    @exercise("99.3", "model")
    def check_model(model):
        model.predict(np.zeros((1, 3)))   # the checker assumes a model

    with pytest.raises(ExerciseError, match="could not be checked.*AttributeError"):
        check_model(np.zeros(3))


def test_expect_shape_spots_transpose():
    with pytest.raises(ExerciseError, match="transposed"):
        expect_shape("W", np.zeros((3, 2)), (2, 3))
    expect_shape("W", np.zeros((2, 3)), (2, 3))


def test_require_answer_and_expect_equal():
    @exercise("99.2", "count")
    def check_count(answer):
        expect_equal("count", require_answer(answer, "count"), 12, hint="did you count the bias?")

    assert not check_count(None)
    assert not check_count(...)
    assert check_count(12)
    with pytest.raises(ExerciseError, match="did you count the bias"):
        check_count(9)


def test_jupyter_shows_the_message_alone():
    """IPython renders an exception with ``_render_traceback_`` instead of a traceback."""
    with pytest.raises(ExerciseError) as info:
        check_double(lambda x: x ** 2)
    lines = info.value._render_traceback_()
    assert lines[0].startswith("❌ Exercise 99.1 (double): 2x is wrong")
    assert not any("Traceback" in line or "grading.py" in line for line in lines)


def test_stub_message_matches_the_generator():
    from seqkeras import exercises

    assert STUB_MESSAGE in exercises._DEFAULT_CODE_STUB


def test_a_wrong_answer_in_a_real_kernel_shows_only_the_message():
    """Run a two-cell notebook in a real IPython kernel, as JupyterLab does, and read what the
    learner would see: the ❌ message alone, no traceback into seqkeras."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\n"
                                  "from seqkeras.checks.lesson01 import check_rnn_cell_step"),
        nbformat.v4.new_code_cell("def rnn_cell_step(x_t, h_prev, U, W, b):\n"
                                  "    return np.tanh(x_t @ U + b)\n"
                                  "check_rnn_cell_step(rnn_cell_step)"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    (error,) = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    shown = "\n".join(error.traceback)
    assert error.ename == "ExerciseError"
    assert shown.startswith("❌ Exercise 01.1 (rnn_cell_step)")
    assert "previous state" in shown
    assert "Traceback" not in shown and "grading.py" not in shown
