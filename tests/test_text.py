"""Tests for seqkeras.text: frequent_tokens and sliding_windows."""

from __future__ import annotations

import numpy as np
import pytest

from seqkeras.text import frequent_tokens, sliding_windows

SENTENCES = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat"]]


# ------------------------------------------------------------------------------ frequent_tokens
def test_frequent_tokens_by_count_then_alphabet_with_cut_offs():
    assert frequent_tokens(SENTENCES) == ["cat", "sat", "the", "a", "dog"]
    assert frequent_tokens(SENTENCES, min_count=2) == ["cat", "sat", "the"]
    assert frequent_tokens(SENTENCES, max_size=4) == ["cat", "sat", "the", "a"]
    assert frequent_tokens([["b", "a"], ["b", "a"]]) == ["a", "b"]  # a tie: alphabetical


def test_frequent_tokens_gives_stringlookup_the_ids_of_a_hand_made_dictionary():
    import keras

    words = frequent_tokens(SENTENCES)
    lookup = keras.layers.StringLookup(vocabulary=words, mask_token="<pad>", oov_token="<unk>")
    by_hand = {"<pad>": 0, "<unk>": 1} | {w: i + 2 for i, w in enumerate(words)}
    probe = np.array([["the", "dog", "sat", "zebra", "<pad>"]])
    got = keras.ops.convert_to_numpy(lookup(probe))
    assert got.tolist() == [[by_hand.get(w, 1) for w in probe[0]]]


@pytest.mark.parametrize(
    "bad, kwargs, error, words",
    [
        ("the cat", {}, TypeError, "got a string"),
        (["the cat", "a dog"], {}, TypeError, "split"),
        ([[], []], {}, ValueError, "empty"),
        ([[1, 2]], {}, TypeError, "ids already"),
        (SENTENCES, {"min_count": 3}, ValueError, "lower min_count"),
        (SENTENCES, {"min_count": 0}, ValueError, "min_count must be"),
        (SENTENCES, {"max_size": 0}, ValueError, "max_size must be"),
    ],
)
def test_frequent_tokens_errors_name_the_problem(bad, kwargs, error, words):
    with pytest.raises(error, match=words):
        frequent_tokens(bad, **kwargs)


# ------------------------------------------------------------------------------ windows
def test_sliding_windows_shapes_and_shift():
    ids = np.arange(10)
    x, y = sliding_windows(ids, length=4)
    assert x.shape == y.shape == (6, 4)
    assert x[0].tolist() == [0, 1, 2, 3] and y[0].tolist() == [1, 2, 3, 4]
    np.testing.assert_array_equal(y[:, :-1], x[:, 1:])  # targets = inputs shifted by one
    assert x[-1].tolist() == [5, 6, 7, 8] and y[-1].tolist() == [6, 7, 8, 9]


def test_sliding_windows_stride():
    x, y = sliding_windows(list(range(10)), length=3, stride=3)
    assert x.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert y.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    x, _ = sliding_windows(np.arange(11), length=3, stride=4)
    assert x.shape == (2, 3)  # (11 - 3 - 1) // 4 + 1: windows start at 0 and 4
    x, _ = sliding_windows(np.arange(4), length=3)
    assert x.shape == (1, 3)  # exactly length + 1 items: one window


def test_sliding_windows_on_vectors():
    series = np.arange(20, dtype=float).reshape(10, 2)
    x, y = sliding_windows(series, length=3, stride=2)
    assert x.shape == y.shape == (4, 3, 2)
    np.testing.assert_array_equal(y[0], series[1:4])


def test_sliding_windows_bad_arguments():
    with pytest.raises(ValueError, match="too short"):
        sliding_windows(np.arange(5), length=5)
    with pytest.raises(ValueError, match="length must be"):
        sliding_windows(np.arange(5), length=0)
    with pytest.raises(ValueError, match="stride must be"):
        sliding_windows(np.arange(5), length=2, stride=0)
    with pytest.raises(ValueError, match="length must be"):
        sliding_windows(np.arange(5), length=2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="StringLookup"):
        sliding_windows("hello", length=2)  # type: ignore[arg-type]


def test_windows_from_real_text_round_trip():
    import keras

    text = "to be or not to be"
    chars = sorted(set(text))  # lesson 03's character vocabulary
    lookup = keras.layers.StringLookup(vocabulary=chars, mask_token=None, num_oov_indices=0)
    ids = keras.ops.convert_to_numpy(lookup(np.array(list(text))))
    x, y = sliding_windows(ids, length=5, stride=5)
    assert "".join(chars[i] for i in x[0]) == "to be" and "".join(chars[i] for i in y[0]) == "o be "


def test_module_docstring_example_is_true():
    import doctest

    import seqkeras.text

    assert doctest.testmod(seqkeras.text).failed == 0
