"""The exercise-check framework: passed, not attempted (lenient and strict), wrong, crashes,
answers of the wrong kind, and how a wrong answer looks in Jupyter."""

import re
import warnings

import keras
import numpy as np
import pytest

from seqkeras.grading import (
    STUB_MESSAGE,
    ExerciseError,
    NotAttempted,
    all_layers,
    call,
    call_on_copies,
    declared_input_shape,
    exercise,
    expect_array,
    expect_close,
    expect_equal,
    expect_int,
    expect_model,
    expect_shape,
    expect_shape_answers,
    expect_unchanged,
    load_weights_hint,
    model_output,
    require_answer,
    rng_use,
    shape_str,
    to_numpy,
)


@exercise("99.1", "double")
def check_double(fn):
    x = np.arange(6.0).reshape(2, 3)
    expect_close("2x", call(fn, x), 2 * x, likely_bugs={"you squared instead of doubling": x**2})


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
        check_double(lambda x: x**2)


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
    assert "raised ValueError: matmul" in text  # type and full original text
    assert "return x @ w" in text  # the learner's line, not NumPy's
    assert "Check the shapes" in text  # the hint applies to a shape error
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


@pytest.mark.parametrize(
    "answer, match",
    [
        (lambda x: "2x", "array of numbers, got str"),
        (lambda x: [[1, 2], [3]], "cannot turn into one"),
        (lambda x: print, "array of numbers, got a function"),
    ],
)
def test_wrong_kind_of_answer_gets_a_sentence(answer, match):
    with pytest.raises(ExerciseError, match=match):
        check_double(answer)


def test_expect_model_and_expect_int():
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
        model.predict(np.zeros((1, 3)))  # the checker assumes a model

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
        check_double(lambda x: x**2)
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

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import numpy as np\nfrom seqkeras.checks.lesson01 import check_rnn_cell_step"
            ),
            nbformat.v4.new_code_cell(
                "def rnn_cell_step(x_t, h_prev, U, W, b):\n"
                "    return np.tanh(x_t @ U + b)\n"
                "check_rnn_cell_step(rnn_cell_step)"
            ),
        ]
    )
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    (error,) = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    shown = "\n".join(error.traceback)
    assert error.ename == "ExerciseError"
    assert shown.startswith("❌ Exercise 01.1 (rnn_cell_step)")
    assert "previous state" in shown
    assert "Traceback" not in shown and "grading.py" not in shown


# ----------------------------------------------------------------- details a mutation run asked for
@pytest.mark.parametrize(
    "value, strict", [("on", True), ("On ", True), ("0", False), ("", False), ("no", False)]
)
def test_strict_mode_values(monkeypatch, value, strict):
    from seqkeras.grading import strict_mode

    monkeypatch.setenv("SEQKERAS_STRICT", value)
    assert strict_mode() is strict


def test_strict_mode_off_when_unset():
    from seqkeras.grading import strict_mode

    assert strict_mode() is False


def test_call_passes_keyword_arguments_and_treats_missing_functions_as_not_attempted():
    from seqkeras.grading import NotAttempted

    assert call(lambda a, *, b: a + b, 1, b=2) == 3
    for missing in (None, ...):
        with pytest.raises(NotAttempted, match="no function given"):
            call(missing)


def test_crash_report_names_keyword_arguments():
    with pytest.raises(ExerciseError, match=r"called with \(ndarray\(2,\), rng=Generator\)"):
        call(lambda x, rng: 1 / 0, np.zeros(2), rng=np.random.default_rng(0))


def test_no_shape_hint_for_a_value_error_about_something_else():
    def wrong(x):
        raise ValueError("negative values are not allowed")

    with pytest.raises(ExerciseError) as info:
        check_double(wrong)
    assert "negative values are not allowed" in str(info.value)
    assert "Check the shapes" not in str(info.value)


def test_crash_inside_a_library_points_at_the_learner_line():
    def wrong(x):
        return np.linalg.inv(x)  # x is (2, 3): numpy raises from its own Python code

    with pytest.raises(ExerciseError) as info:
        check_double(wrong)
    text = str(info.value)
    assert "LinAlgError" in text and "return np.linalg.inv(x)" in text
    assert "_linalg.py" not in text


def test_crash_with_no_learner_frame_has_no_line():
    with pytest.raises(ExerciseError) as info:
        check_double(np.linalg.inv)  # a library function passed as the answer
    assert "LinAlgError" in str(info.value)
    assert "In your code" not in str(info.value)


def test_require_answer_names_the_variable(capsys):
    @exercise("99.4", "answer")
    def check_answer(answer):
        require_answer(answer, "n_params")

    check_answer(None)
    assert "`n_params` is still None" in capsys.readouterr().out
    outcome = check_double(lambda x: (_ for _ in ()).throw(NotImplementedError(STUB_MESSAGE)))
    assert repr(outcome) == "<Exercise 99.1 (double): not attempted>"
    assert f"not attempted yet ({STUB_MESSAGE})." in capsys.readouterr().out


def test_expect_close_tolerances():
    expect_close("v", [1e-7, 2.0], [0.0, 2.0])  # absolute tolerance near zero
    expect_close("v", [1000.001], [1000.0])  # relative tolerance for large values
    for wrong in ([1000.5], [1001.0], [999.0]):
        with pytest.raises(ExerciseError, match="largest difference"):
            expect_close("v", wrong, [1000.0])
    with pytest.raises(ExerciseError, match="largest difference"):
        expect_close("v", [3e-5], [0.0])


def test_expect_close_reports_the_worst_element_exactly():
    got = np.array([[1.0, 2.0, 3.0], [40.0, 5.0, 9.0]])
    want = np.array([[1.0, 2.0, 3.0], [40.0, 5.5, 6.0]])
    with pytest.raises(ExerciseError) as info:
        expect_close("y", got, want)
    assert str(info.value) == (
        "y differs from the expected value (largest difference 3 at index (1, 2): got 9, expected 6)."
    )
    with pytest.raises(ExerciseError, match=r"^y has shape \(3,\), expected \(2,\)"):
        expect_close("y", np.zeros(3), np.zeros(2))
    with pytest.raises(ExerciseError) as info:
        expect_close("y", got, want, hint="Look at the last column.")
    assert str(info.value).endswith("expected 6). Look at the last column.")


def test_likely_bugs_use_the_same_tolerances():
    want = np.array([1000.0, 0.0])
    bug = np.array([1010.0, 5.0])
    with pytest.raises(ExerciseError, match="the known bug"):
        expect_close("v", bug + [0.001, 1e-7], want, likely_bugs={"the known bug": bug})
    with pytest.raises(ExerciseError, match="largest difference"):
        expect_close("v", bug + [1.0, 0.0], want, likely_bugs={"the known bug": bug})


def test_expect_close_reads_tensors_through_numpy():
    class Tensor:
        def numpy(self):
            return np.array([2.0, 4.0])

    expect_close("t", Tensor(), [2.0, 4.0])


def test_expect_shape_messages():
    with pytest.raises(ExerciseError) as info:
        expect_shape("W", np.zeros((3, 2)), (2, 3))
    assert str(info.value).startswith("W has shape (3, 2), expected (2, 3). It looks transposed")
    with pytest.raises(ExerciseError) as info:
        expect_shape("h", np.zeros((4, 2)), (2, 3), hint="One row per example.")
    assert str(info.value) == "h has shape (4, 2), expected (2, 3). One row per example."
    with pytest.raises(ExerciseError, match="^h is None"):
        expect_shape("h", None, (2, 3))
    with pytest.raises(ExerciseError) as info:
        expect_shape("h", np.zeros((4, 2)), (2, 3))
    assert str(info.value) == "h has shape (4, 2), expected (2, 3)."


def test_wrong_kind_messages_are_specific():
    with pytest.raises(ExerciseError, match="got a function.*return the result of calling it"):
        expect_array("h", print)
    with pytest.raises(ExerciseError, match="got str '2x'"):
        expect_array("h", "2x")
    with pytest.raises(ExerciseError, match="got list that NumPy cannot"):
        expect_array("h", [[1, 2], [3]])
    with pytest.raises(ExerciseError, match="got float 12.5"):
        expect_int("count", 12.5)
    with pytest.raises(ExerciseError, match="got ndarray"):
        expect_model("model", np.zeros(2))
    with pytest.raises(ExerciseError, match="^count is None"):
        expect_int("count", None)


def test_expect_equal_hint_only_when_given():
    with pytest.raises(ExerciseError) as info:
        expect_equal("n", 3, 4)
    assert str(info.value) == "n: got 3, expected 4."


def test_outcome_and_label():
    assert check_double.exercise_label == "Exercise 99.1 (double)"
    outcome = check_double(lambda x: 2 * x)
    assert repr(outcome) == "<Exercise 99.1 (double): passed>"
    assert outcome.label == "Exercise 99.1 (double)"


# ----------------------------------------------------------------------------- shared checker helpers
def test_shape_str_reads_like_python():
    assert shape_str((3, np.int64(4))) == "(3, 4)"
    assert shape_str(np.shape(np.zeros(5))) == "(5,)"
    assert shape_str(()) == "()"


class Unconvertible:
    def __array__(self, dtype=None, copy=None):
        raise TypeError("no")


@pytest.mark.parametrize(
    "got, diagnosis",
    [
        (np.zeros((4, 1)), r"^y has shape \(4, 1\), expected \(1, 4\) for x\. It looks transposed"),
        (np.zeros(4), r"^y has shape \(4,\), expected \(1, 4\) for x\. The batch axis of size 1 is missing"),
        (np.zeros((1, 4, 1)), r"^y has shape \(1, 4, 1\), expected \(1, 4\) for x\.$"),
        (np.zeros((1, 3)), r"^y has shape \(1, 3\), expected \(1, 4\) for x\. Its n_out axis has 3 "),
        (np.array([[1, 2, 3, 4]], dtype=object), "array of numbers of shape .1, 4., got an array of dtype"),
        ({"y": 1}, r"^y should be a NumPy array of shape \(1, 4\), got a dict\.$"),
        (Unconvertible(), r"^y should be a NumPy array of shape \(1, 4\), got a Unconvertible\.$"),
        ([np.zeros(4)], r"^y is a list of 1 items; return a NumPy array of shape \(1, 4\) instead"),
        (np.tanh, r"^y should be a NumPy array of shape \(1, 4\), got a ufunc\.$"),
        (None, r"^y is None: did you forget to `return` it\?$"),
    ],
)
def test_expect_array_with_a_shape_names_what_was_expected(got, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        expect_array("y", got, (1, 4), ("batch", "n_out"), given="for x")


def test_expect_array_with_a_shape_returns_floats_and_names_axes_by_default():
    got = expect_array("y", np.arange(6, dtype=np.int32).reshape(2, 3), (2, 3))
    assert got.dtype == np.float64 and got.shape == (2, 3)
    with pytest.raises(
        ExerciseError, match=r"^y has shape \(2, 2\), expected \(2, 3\)\. Its second axis has 2 "
    ):
        expect_array("y", np.zeros((2, 2)), (2, 3))
    with pytest.raises(ExerciseError, match=r"The first axis of size 1 is missing"):
        expect_array("y", np.zeros(3), (1, 3))


def test_call_on_copies_passes_copies_and_keeps_other_objects():
    rng = np.random.default_rng(0)
    x, pair = np.arange(3.0), [np.ones(2), (np.zeros(1), 5)]
    seen = {}

    def fn(x_, pair_, rng_, f_):
        seen.update(x=x_, pair=pair_, rng=rng_, f=f_)
        return "result"

    got, passed = call_on_copies(fn, {"x": x, "pair": pair, "rng": rng, "f": np.tanh})
    assert got == "result"
    assert seen["x"] is passed["x"] and seen["x"] is not x and np.array_equal(seen["x"], x)
    assert seen["pair"][0] is not pair[0] and seen["pair"][1][0] is not pair[1][0]
    assert isinstance(seen["pair"][1], tuple)
    assert seen["rng"] is rng and seen["f"] is np.tanh


def test_call_on_copies_silences_floating_point_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got, _ = call_on_copies(lambda z: np.exp(z) / np.exp(z), {"z": np.array([1000.0])})
    assert np.isnan(got).all()


def test_call_on_copies_explains_index_errors_unless_told_not_to():
    def fixed(x):
        return [x[i] for i in range(5)]

    with pytest.raises(ExerciseError, match=r"(?s)raised IndexError.*Hint: the checker uses sizes"):
        call_on_copies(fixed, {"x": np.zeros(3)})
    with pytest.raises(ExerciseError) as info:
        call_on_copies(fixed, {"x": np.zeros(3)}, index_hint=False)
    assert "Hint" not in str(info.value)


def test_call_on_copies_treats_the_stub_as_not_attempted(stub):
    with pytest.raises(NotAttempted):
        call_on_copies(stub, {"x": np.zeros(2)})


def _in_place(x, rows):
    x *= 2


def _replaces_an_item(x, rows):
    rows[0][1] = "other"


def _appends(x, rows):
    rows.append(["new"])


@pytest.mark.parametrize(
    "fn, name",
    [(_in_place, "x"), (_replaces_an_item, "rows"), (_appends, "rows")],
)
def test_expect_unchanged_catches_every_kind_of_change(fn, name):
    inputs = {"x": np.array([1.0, np.nan]), "rows": [["a", "b"], ["c"]]}
    _, passed = call_on_copies(fn, inputs)
    with pytest.raises(ExerciseError, match=rf"^your function changed its argument `{name}` in place"):
        expect_unchanged(inputs, passed)
    with pytest.raises(ExerciseError, match=rf"^`{name}` was changed: copy it first\.$"):
        expect_unchanged(inputs, passed, "`{name}` was changed: copy it first.")


def test_expect_unchanged_passes_untouched_inputs_with_nan():
    inputs = {"x": np.array([1.0, np.nan]), "ids": np.arange(3), "rows": [["a"]], "n": 3, "f": np.tanh}
    _, passed = call_on_copies(lambda x, ids, rows, n, f: x.sum(), inputs)
    expect_unchanged(inputs, passed)


def test_to_numpy_reads_keras_variables_and_tensors():
    var = keras.Variable(np.ones((2, 3), dtype="float32"))
    got = to_numpy(var)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == (2, 3)
    assert to_numpy(keras.ops.ones((4,))).tolist() == [1.0] * 4


def test_all_layers_opens_nested_models_wrappers_and_cells():
    from keras import layers

    inner = keras.Sequential(
        [layers.Input((None, 3)), layers.Bidirectional(layers.GRU(4, return_sequences=True))]
    )
    model = keras.Sequential([layers.Input((None, 3)), inner, layers.Dense(2)])
    found = all_layers(model)
    kinds = [type(layer).__name__ for layer in found]
    assert kinds.count("GRU") == 2 and kinds.count("GRUCell") == 2
    assert "Bidirectional" in kinds and "Dense" in kinds
    assert len({id(layer) for layer in found}) == len(found)


@pytest.mark.parametrize(
    "crash, hint",
    [
        ("AttributeError: property 'kernel' of 'Dense' object has no setter", "weights are variables"),
        (
            "ValueError: You called `set_weights(weights)` ... expecting 2 weights",
            r"in the order \[kernel, bias\]",
        ),
        ("ValueError: shape (3, 2) not compatible with (2, 3)", r"refused the shapes: the kernel must be"),
        ("TypeError: something else", r"^load the weights with layer\.set_weights"),
    ],
)
def test_load_weights_hint_matches_the_crash(crash, hint):
    assert re.search(hint, load_weights_hint(crash))


class _Returns(keras.Model):
    """A subclassed model that returns whatever it is told (declares no input shape)."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def call(self, x):
        return self.value


def test_declared_input_shape():
    model = keras.Sequential([keras.layers.Input((None, 3)), keras.layers.Dense(2)])
    assert declared_input_shape(model) == (None, None, 3)
    assert declared_input_shape(_Returns(None)) is None


@pytest.mark.parametrize(
    "value, diagnosis",
    [
        (None, r"^your model returned None: does its call\(\) method `return`"),
        ({"y": np.zeros(2)}, r"^your model returns a dict of 1 tensors"),
        ([np.zeros(2), np.zeros(2)], r"^your model returns 2 tensors; it should return one\. Did you leave"),
        (np.array([0.5, np.nan]), r"^on a probe your model's output contains NaN or infinity"),
        ("text", r"^your model returned str, not a tensor of numbers\.$"),
    ],
)
def test_model_output_explains_odd_outputs(value, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        model_output(_Returns(value), np.zeros((2, 3), "float32"), "a probe")


def test_model_output_of_a_working_model_and_a_crash():
    model = keras.Sequential([keras.layers.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    got = model_output(model, np.ones((3, 4), "float32"), "vectors")
    assert got.dtype == np.float64 and got.shape == (3, 2)
    with pytest.raises(ExerciseError) as info:
        model_output(model, np.ones((3, 5), "float32"), "wider vectors")
    text = str(info.value)
    assert text.startswith("calling your model on wider vectors of shape (3, 5) raised ")
    assert (
        "Your keras.Input declares the shape (4,) (without the batch axis), which does not fit (5,)" in text
    )
    assert "\x1b[" not in text
    many = "Say why."
    with pytest.raises(ExerciseError, match=r"returns 2 tensors; it should return one\. Say why\.$"):
        model_output(_Returns([np.zeros(2)] * 2), np.zeros((1, 1)), "x", many_outputs=many)


_SHAPES = {"seq": (4, 7, 3), "states": ((4, 3), (4, 3)), "bad": "error"}


def _why(key, got, want):
    return f"(diagnosis of {key})"


def test_expect_shape_answers_accepts_lists_numpy_ints_and_any_case():
    answer = {"seq": [4, np.int64(7), 3], "states": [np.array([4, 3]), (4, 3)], "bad": " Error"}
    assert expect_shape_answers(answer, _SHAPES, _why, name="shapes") is None


@pytest.mark.parametrize(
    "answer, outcome",
    [
        (None, "`shapes` is still None"),
        ({"seq": None, "states": None, "bad": None}, "every shape is still None"),
    ],
)
def test_expect_shape_answers_not_attempted(answer, outcome):
    with pytest.raises(NotAttempted, match=outcome):
        expect_shape_answers(answer, _SHAPES, _why, name="shapes")


@pytest.mark.parametrize(
    "answer, diagnosis",
    [
        (
            [(4, 7, 3)],
            r'^answer with a dict \{name: shape\}, got list: e\.g\. shapes = \{"seq": \(4, 7, 3\), \.\.\.\}\.$',
        ),
        (
            {"seq": (4, 7, 3), "state": 1},
            r"no entry for \['states', 'bad'\].*\(Check the spelling of \['state'\]\.\)$",
        ),
        (
            {"seq": np.zeros((4, 7, 3)), "states": ((4, 3), (4, 3)), "bad": "error"},
            r"^1 of 3 shapes are wrong:\n- 'seq': you wrote a ndarray of shape \(4, 7, 3\)\. that is a tensor",
        ),
        (
            {"seq": (4, 3), "states": ((4, 3),), "bad": "error"},
            r"^2 of 3 shapes are wrong:\n- 'seq': you wrote \(4, 3\)\. \(diagnosis of seq\)\n- 'states'",
        ),
    ],
)
def test_expect_shape_answers_lists_every_wrong_entry(answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        expect_shape_answers(answer, _SHAPES, _why, name="shapes")


def _sampler(kind):
    """A draw(seed) for rng_use: five numbers from a sampler that uses its rng one way or another."""

    def draw(seed):
        rng = np.random.default_rng(seed)
        if kind == "honoured":
            return rng.integers(0, 100, size=5)
        if kind == "fresh":
            return np.random.default_rng().integers(0, 100, size=5)
        if kind == "global":
            return np.random.randint(0, 100, size=5)
        if kind == "fixed":
            return np.random.default_rng(0).integers(0, 100, size=5)
        return np.zeros(5, dtype=int)  # "constant": no randomness at all

    return draw


@pytest.mark.parametrize(
    "kind, problem",
    [
        ("honoured", None),
        ("fresh", "not repeatable"),
        ("global", "global"),
        ("fixed", "ignored"),
        ("constant", "ignored"),
    ],
)
def test_rng_use_names_how_the_generator_is_used(kind, problem):
    state = np.random.get_state()
    got, first = rng_use(_sampler(kind))
    assert got == problem and len(first) == 5
    after = np.random.get_state()
    assert np.array_equal(state[1], after[1]) and state[2] == after[2], "the global state is put back"


def test_the_decorator_labels_what_it_wraps(capsys):
    """Decorated inside the test: a checker module applies @exercise once, at import."""

    @exercise("99.5", "inside")
    def check_inside(answer):
        expect_equal("answer", answer, 1)

    assert check_inside.exercise_label == "Exercise 99.5 (inside)"
    assert check_inside(1)
    assert capsys.readouterr().out == "✅ Exercise 99.5 (inside): passed.\n"
    with pytest.raises(ExerciseError, match=r"^❌ Exercise 99\.5 \(inside\): answer: got 2"):
        check_inside(2)


def test_jupyter_gets_the_message_line_by_line():
    assert ExerciseError("first line\nsecond line")._render_traceback_() == ["first line", "second line"]


def test_a_not_callable_answer_is_described():
    with pytest.raises(
        ExerciseError, match=r"expected a function, got ndarray\(2, 3\): pass the function itself"
    ):
        call(np.zeros((2, 3)))
    with pytest.raises(ExerciseError, match=r"got a function \(function\)"):
        expect_array("h", lambda: 1)


def test_debian_dist_packages_are_library_code(monkeypatch, tmp_path):
    from seqkeras.grading import _library_dirs

    site = tmp_path / "python3" / "dist-packages"
    monkeypatch.syspath_prepend(str(site))
    assert str(site) + "/" in _library_dirs()


def test_frozen_frames_are_not_the_learners_line():
    """A crash inside a frozen module (importlib's, say) points at the learner's call, not there."""
    frozen = {}
    exec(compile("def helper(x):\n    raise ValueError('deep inside')\n", "<frozen fake>", "exec"), frozen)

    def attempted(x):
        return frozen["helper"](x)

    with pytest.raises(ExerciseError) as info:
        check_double(attempted)
    assert "In your code, line" in str(info.value)
    assert '`return frozen["helper"](x)`' in str(info.value)


def test_expect_close_honours_the_tolerances_it_is_given():
    expect_close("v", [105.0], [100.0], atol=0.0, rtol=0.1)  # 5% off, 10% allowed
    with pytest.raises(ExerciseError, match="largest difference"):
        expect_close("v", [105.0], [100.0], atol=0.0, rtol=0.01)
    # the likely bugs are matched with the same, given tolerances (absolute, then relative)
    with pytest.raises(ExerciseError, match="v is wrong: the absolute bug"):
        expect_close("v", [0.5], [0.0], atol=1e-2, rtol=0.0, likely_bugs={"the absolute bug": [0.505]})
    with pytest.raises(ExerciseError, match="v is wrong: the relative bug"):
        expect_close("v", [105.0], [0.0], atol=0.0, rtol=0.1, likely_bugs={"the relative bug": [100.0]})


# --------------------------------------------------------------------------- expect_nothing_attended
def test_expect_nothing_attended_accepts_zeros_and_names_the_two_usual_answers():
    from seqkeras.grading import expect_nothing_attended

    args = ("row 1 has no real step", "T_x", "set them to 0")
    expect_nothing_attended(np.zeros(4), *args)
    expect_nothing_attended(np.full(3, 1e-13), *args)
    with pytest.raises(
        ExerciseError, match=r"row 1 has no real step, and it got equal weights 1/T_x.*set them to 0\."
    ):
        expect_nothing_attended(np.full(4, 0.25), *args)
    with pytest.raises(ExerciseError, match=r"so its weights must all be 0 .*got \[0\.5, 0\.5, 0\.0\]"):
        expect_nothing_attended(np.array([0.5, 0.5, 0.0]), *args)
    with pytest.raises(ExerciseError, match="must all be 0"):
        expect_nothing_attended(np.array([np.nan, np.nan]), *args)


# ----------------------------------------------------------------- the common diagnoses (issue 20)
from seqkeras.grading import (  # noqa: E402
    argument_mistake,
    expect_new_arrays,
    expect_number,
    expect_one_array,
    expect_pair,
    kind_mistake,
    library_object,
    swapped_pair,
)


def test_library_object_names_the_package_and_leaves_arrays_and_own_classes_alone():
    from sacrebleu.metrics import BLEU

    score = BLEU(tokenize="none").corpus_score(["a b c d"], [["a b c d"]])
    assert library_object(score) == "a BLEUScore object from sacrebleu"
    assert library_object(np.zeros(2)) is None and library_object(3.0) is None
    assert library_object(keras.ops.ones((2,))) is None  # a tensor is an array
    assert library_object(Unconvertible()) is None  # the learner's (or a test's) own class
    with pytest.raises(ExerciseError, match=r"BLEUScore object from sacrebleu \(its number is `\.score`\)"):
        expect_number("your BLEU", score)


@pytest.mark.parametrize(
    "got, diagnosis",
    [
        (None, r"^y is None: did you forget to `return` it\?$"),
        ((np.zeros(3),), "tuple of 1 item.*trailing comma"),
        ((np.zeros(3), np.zeros(3)), r"tuple of 2 items \(a pair"),
        ([1.0, 2.0, 3.0], r"list of 3 items; return one NumPy array instead \(np\.array"),
        ([np.zeros(2)] * 4, r"list of 4 items.*np\.stack"),
    ],
)
def test_expect_one_array_names_the_common_kinds(got, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        expect_one_array("y", got)


def test_expect_one_array_accepts_arrays_and_tensors():
    assert expect_one_array("y", np.arange(3)).dtype == np.float64
    assert expect_one_array("y", keras.ops.ones((2, 2))).shape == (2, 2)
    assert kind_mistake("y", np.zeros(2), "one array") is None


@pytest.mark.parametrize(
    "got, diagnosis",
    [
        ([3.0], "list of 1 items"),
        (np.array([3.0]), r"array of shape \(1,\): take the number out with float"),
        ("3", "should be one number"),
        (None, "forget to `return`"),
    ],
)
def test_expect_number(got, diagnosis):
    assert expect_number("n", np.float32(2.5)) == 2.5 and expect_number("n", np.array(4)) == 4.0
    with pytest.raises(ExerciseError, match=diagnosis):
        expect_number("n", got)


def test_expect_pair_unpacks_and_names_the_swap_and_the_wrong_kinds():
    a, b = np.zeros((2, 3)), np.zeros((2, 5))
    assert expect_pair([a, b], "out", "w", shapes=((2, 3), (2, 5)))[1] is b
    with pytest.raises(ExerciseError, match=r"wrong order, \(w, out\): return out first"):
        expect_pair((b, a), "out", "w", shapes=((2, 3), (2, 5)))
    with pytest.raises(ExerciseError, match=r"returned one array of shape \(2, 3\).*the pair \(out, w\)"):
        expect_pair(a, "out", "w")
    with pytest.raises(ExerciseError, match="returned a tuple of 3 items"):
        expect_pair((a, a, a), "out", "w")
    with pytest.raises(ExerciseError, match="returned None"):
        expect_pair(None, "out", "w")
    assert "wrong order, (C_t, h_t)" in swapped_pair("h_t", "C_t")


def test_expect_new_arrays_refuses_the_inputs_and_writable_views_only():
    g = np.arange(6.0)
    passed = {"grads": [g], "max_norm": 1.0}
    expect_new_arrays("clipped", [g * 1.0], passed)
    expect_new_arrays("w", np.lib.stride_tricks.sliding_window_view(g, 2), passed)  # read-only view
    with pytest.raises(ExerciseError, match="clipped is the array `grads` you were given"):
        expect_new_arrays("clipped", [g], passed)
    with pytest.raises(ExerciseError, match="`grads`"):
        expect_new_arrays("clipped", (g[:3],), passed)


@pytest.mark.parametrize(
    "value, diagnosis",
    [
        (5, r"bare int, 5: pass an array of shape \(1,\), e.g\. np\.array\(\[token\]\)"),
        (np.int64(5), "bare int64"),
        ([5], r"list, \[5\]: pass an array"),
        (np.array([[5]]), r"shape \(1, 1\)"),
        (np.array([5.0]), "dtype float64"),
    ],
)
def test_argument_mistake(value, diagnosis):
    assert argument_mistake("token_ids", np.array([5]), (1,)) is None
    assert re.search(diagnosis, argument_mistake("token_ids", value, (1,)))
