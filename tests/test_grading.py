"""The exercise-check framework: passed, not attempted (lenient and strict), wrong, crashes."""
import numpy as np
import pytest

from seqkeras.grading import (ExerciseError, call, exercise, expect_close, expect_equal,
                              expect_shape, require_answer)


@exercise("9.1", "double")
def check_double(fn):
    x = np.arange(6.0).reshape(2, 3)
    expect_close("2x", call(fn, x), 2 * x, likely_bugs={"you squared instead of doubling": x ** 2})


def test_correct_answer_passes(capsys):
    assert check_double(lambda x: 2 * x)
    assert "✅ Exercise 9.1 (double): passed" in capsys.readouterr().out


def test_stub_is_not_attempted(capsys, monkeypatch):
    monkeypatch.delenv("SEQKERAS_STRICT", raising=False)

    def stub(x):
        raise NotImplementedError("Exercise: write your code here")

    assert not check_double(stub)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_strict_mode_fails_stub(monkeypatch, value):
    monkeypatch.setenv("SEQKERAS_STRICT", value)

    def stub(x):
        raise NotImplementedError

    with pytest.raises(ExerciseError, match="not attempted"):
        check_double(stub)


def test_known_bug_is_named():
    with pytest.raises(ExerciseError, match="squared instead of doubling"):
        check_double(lambda x: x ** 2)


def test_unknown_wrong_answer_reports_largest_difference():
    with pytest.raises(ExerciseError, match="largest difference"):
        check_double(lambda x: 2 * x + 1)


def test_crash_in_learner_code_is_explained():
    with pytest.raises(ExerciseError, match="raised ValueError"):
        check_double(lambda x: x @ np.ones((2, 2)))


def test_not_callable_and_missing_return():
    with pytest.raises(ExerciseError, match="expected a function"):
        check_double(3)
    with pytest.raises(ExerciseError, match="forget to `return`"):
        check_double(lambda x: None)


def test_expect_shape_spots_transpose():
    with pytest.raises(ExerciseError, match="transposed"):
        expect_shape("W", np.zeros((3, 2)), (2, 3))
    expect_shape("W", np.zeros((2, 3)), (2, 3))


def test_require_answer_and_expect_equal():
    @exercise("9.2", "count")
    def check_count(answer):
        expect_equal("count", require_answer(answer, "count"), 12, hint="did you count the bias?")

    assert not check_count(None)
    assert not check_count(...)
    assert check_count(12)
    with pytest.raises(ExerciseError, match="did you count the bias"):
        check_count(9)
