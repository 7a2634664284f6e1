"""Tests for seqkeras.text: Vocabulary, pad and sliding_windows."""

from __future__ import annotations

import numpy as np
import pytest

from seqkeras.text import UnknownTokenError, Vocabulary, pad, sliding_windows


# ------------------------------------------------------------------------------ from_text
def test_from_text_sorted_characters_and_round_trip():
    vocab = Vocabulary.from_text("hello world")
    assert vocab.tokens == [" ", "d", "e", "h", "l", "o", "r", "w"]
    assert len(vocab) == 8
    ids = vocab.encode("hello world")
    assert ids.dtype == np.int32 and ids.shape == (11,)
    assert vocab.decode(ids) == "hello world"
    assert vocab.index("h") == 3 and "h" in vocab and "z" not in vocab
    assert vocab.counts["l"] == 3


def test_from_text_with_pad_and_unk():
    vocab = Vocabulary.from_text("abca", pad="<pad>", unk="<unk>")
    assert vocab.tokens == ["<pad>", "<unk>", "a", "b", "c"]
    assert vocab.pad_id == 0 and vocab.unk_id == 1
    assert vocab.encode("abz").tolist() == [2, 3, 1]
    assert vocab.decode([2, 3, 0, 0]) == "ab"  # padding dropped
    assert vocab.decode([2, 0], keep_pad=True) == "a<pad>"


def test_unknown_character_names_the_token_and_the_fix():
    vocab = Vocabulary.from_text("hello")
    with pytest.raises(KeyError) as err:
        vocab.encode("help")
    message = str(err.value)
    assert "'p'" in message and "unk=" in message and "Build the vocabulary" in message
    with pytest.raises(ValueError, match="'q'"):  # also a ValueError
        vocab.index("q")
    assert issubclass(UnknownTokenError, KeyError) and issubclass(UnknownTokenError, ValueError)


def test_empty_text_is_an_error():
    with pytest.raises(ValueError, match="empty text"):
        Vocabulary.from_text("")
    with pytest.raises(TypeError, match="from_tokens"):
        Vocabulary.from_text(["a", "b"])  # type: ignore[arg-type]


def test_encode_empty_sequence_gives_empty_ids():
    vocab = Vocabulary.from_text("abc")
    assert vocab.encode("").shape == (0,)
    assert vocab.decode(np.array([], dtype=np.int32)) == ""


# ------------------------------------------------------------------------------ from_tokens
SENTENCES = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat"]]


def test_from_tokens_order_frequency_then_alphabet():
    vocab = Vocabulary.from_tokens(SENTENCES)
    # specials, then by count (the 2, cat 2, sat 2 -> alphabetical), then a 1, dog 1
    assert vocab.tokens == ["<pad>", "<unk>", "cat", "sat", "the", "a", "dog"]
    assert vocab.pad_token == "<pad>" and vocab.unk_token == "<unk>"
    assert vocab.encode(["the", "bird"]).tolist() == [4, 1]
    assert vocab.decode(vocab.encode(["the", "dog", "sat"])) == ["the", "dog", "sat"]


def test_from_tokens_min_count_and_max_size():
    vocab = Vocabulary.from_tokens(SENTENCES, min_count=2)
    assert vocab.tokens == ["<pad>", "<unk>", "cat", "sat", "the"]
    assert vocab.encode(["dog"]).tolist() == [1]
    assert Vocabulary.from_tokens(SENTENCES, max_size=4).tokens == ["<pad>", "<unk>", "cat", "sat"]
    with pytest.raises(ValueError, match="lower min_count"):
        Vocabulary.from_tokens(SENTENCES, min_count=5)
    with pytest.raises(ValueError, match="min_count"):
        Vocabulary.from_tokens(SENTENCES, min_count=0)
    with pytest.raises(ValueError, match="max_size"):
        Vocabulary.from_tokens(SENTENCES, max_size=2)


def test_from_tokens_without_specials_raises_on_unknown():
    tags = Vocabulary.from_tokens([["DET", "NOUN"], ["NOUN", "VERB"]], specials=())
    assert tags.tokens == ["NOUN", "DET", "VERB"]
    assert tags.pad_id is None and tags.unk_id is None
    with pytest.raises(UnknownTokenError, match="'ADJ'") as err:
        tags.encode(["ADJ"])
    assert "<unk>" in str(err.value)


def test_from_tokens_custom_specials_and_roles():
    vocab = Vocabulary.from_tokens(SENTENCES, specials=("<pad>", "<start>", "<end>"))
    assert vocab.tokens[:3] == ["<pad>", "<start>", "<end>"]
    assert vocab.unk_token is None and vocab.pad_id == 0
    # a pad given explicitly goes first even if listed later; an explicit unk is added
    vocab = Vocabulary.from_tokens(SENTENCES, specials=("<s>", "<p>"), pad="<p>", unk="?")
    assert vocab.tokens[:3] == ["<p>", "<s>", "?"]
    assert vocab.encode(["zebra"]).tolist() == [2]


def test_from_tokens_rejects_strings():
    with pytest.raises(TypeError, match="token LISTS"):
        Vocabulary.from_tokens(["the cat", "a dog"])
    with pytest.raises(TypeError, match="from_text"):
        Vocabulary.from_tokens("the cat")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="empty"):
        Vocabulary.from_tokens([[], []])
    with pytest.raises(TypeError, match="specials"):
        Vocabulary.from_tokens(SENTENCES, specials="<pad>")


def test_token_vocabulary_rejects_a_string_to_encode():
    vocab = Vocabulary.from_tokens(SENTENCES)
    with pytest.raises(TypeError, match="split"):
        vocab.encode("the cat")


def test_constructor_checks():
    with pytest.raises(ValueError, match="unique"):
        Vocabulary(["a", "b", "a"])
    with pytest.raises(ValueError, match="first"):
        Vocabulary(["a", "<pad>"], pad="<pad>")
    with pytest.raises(ValueError, match="not one of the tokens"):
        Vocabulary(["a"], unk="<unk>")
    with pytest.raises(ValueError, match="at least one token"):
        Vocabulary([])
    assert "3 tokens" in repr(Vocabulary(["x", "y", "z"]))


def test_decode_bad_ids():
    vocab = Vocabulary.from_text("abc")
    with pytest.raises(ValueError, match="out of range"):
        vocab.decode([0, 3])
    with pytest.raises(ValueError, match="out of range"):
        vocab.decode([-1])
    with pytest.raises(ValueError, match="one sequence"):
        vocab.decode(np.zeros((2, 3), dtype=int))
    with pytest.raises(TypeError, match="argmax"):
        vocab.decode(np.array([0.2, 0.8]))


# ------------------------------------------------------------------------------ pad
def test_pad_post_and_pre():
    seqs = [[1, 2, 3], [4], []]
    out = pad(seqs)
    assert out.dtype == np.int32
    assert out.tolist() == [[1, 2, 3], [4, 0, 0], [0, 0, 0]]
    assert pad(seqs, padding="pre").tolist() == [[1, 2, 3], [0, 0, 4], [0, 0, 0]]
    assert pad(seqs, length=2).tolist() == [[1, 2], [4, 0], [0, 0]]
    assert pad(seqs, length=2, truncating="pre").tolist() == [[2, 3], [4, 0], [0, 0]]
    assert pad(seqs, length=4, value=-1).tolist() == [[1, 2, 3, -1], [4, -1, -1, -1], [-1] * 4]


def test_pad_vectors_and_floats():
    seqs = [np.ones((3, 2)), np.ones((1, 2))]
    out = pad(seqs)
    assert out.shape == (2, 3, 2) and out.dtype == np.float32
    assert out[1, 1:].sum() == 0
    assert pad([[1, 2]], value=0.5).dtype == np.float32


def test_pad_bad_input():
    with pytest.raises(ValueError, match="no sequences"):
        pad([])
    with pytest.raises(TypeError, match="encode"):
        pad("abc")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'post' or 'pre'"):
        pad([[1]], padding="left")
    with pytest.raises(ValueError, match="same shape"):
        pad([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match="single value"):
        pad([1, 2])
    with pytest.raises(ValueError, match="length"):
        pad([[1]], length=-1)


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
    with pytest.raises(TypeError, match="encode"):
        sliding_windows("hello", length=2)  # type: ignore[arg-type]


def test_windows_from_real_text_round_trip():
    text = "to be or not to be"
    vocab = Vocabulary.from_text(text)
    x, y = sliding_windows(vocab.encode(text), length=5, stride=5)
    assert vocab.decode(x[0]) == "to be" and vocab.decode(y[0]) == "o be "


def test_module_docstring_example_is_true():
    import doctest

    import seqkeras.text

    assert doctest.testmod(seqkeras.text).failed == 0


# ------------------------------------------------------------------------------ bad input (issue 7 §4)
def test_encode_a_batch_says_encode_each():
    words = Vocabulary.from_tokens(SENTENCES)  # has <unk>: must still not guess
    with pytest.raises(TypeError, match=r"encode got a batch .*\[vocab\.encode\(s\) for s in batch\]"):
        words.encode([["the", "cat"], ["a", "dog"]])
    with pytest.raises(TypeError, match="encode got a batch"):
        words.encode(np.array([["the", "cat"], ["a", "dog"]]))
    chars = Vocabulary.from_text("abc", unk="<unk>")
    with pytest.raises(ValueError, match=r"'ab' as one token, but this vocabulary holds characters"):
        chars.encode(["ab", "c"])
    with pytest.raises(ValueError, match=r"contains a space: split sentences"):
        words.encode(["the cat", "a dog"])  # would be [<unk>, <unk>] otherwise
    with pytest.raises(TypeError, match="are these ids already"):
        words.encode([4, 1])
    with pytest.raises(TypeError, match="one sequence"):
        words.encode(7)  # type: ignore[arg-type]


def test_encode_still_accepts_what_it_should():
    chars = Vocabulary.from_text("abc", pad="<pad>", unk="<unk>")
    assert chars.encode(["<pad>", "a", "z"]).tolist() == [0, 2, 1]  # specials are tokens too
    assert chars.encode(iter("ca")).tolist() == [4, 2]  # any iterable, read once
    words = Vocabulary.from_tokens(SENTENCES)
    assert words.encode(np.array(["the", "zebra"])).tolist() == [4, 1]
    assert words.encode(t for t in ["a", "cat"]).tolist() == [5, 2]
    assert Vocabulary(["new york", "paris"]).encode(["new york"]).tolist() == [0]


def test_pad_given_strings_says_encode_first():
    for seqs in (["ab", "cd"], [["a", "b"], ["c"]], [np.array(["a"])], [[b"x"]]):
        with pytest.raises(TypeError, match=r"encode text first.*vocab\.encode"):
            pad(seqs)
    with pytest.raises(TypeError, match="None"):
        pad([[1, None]])
    with pytest.raises(ValueError, match="ragged"):
        pad([[[1, 2], [3]]])


def test_pad_never_wraps_large_ids():
    with pytest.raises(ValueError, match=r"2147483648 does not fit in int32.*dtype='int64'"):
        pad([[1, 2**31]])
    with pytest.raises(ValueError, match=r"-2147483649 does not fit in int32"):
        pad([[-(2**31) - 1]])
    edge = pad([[2**31 - 1, -(2**31)]])  # the extremes still fit
    assert edge.dtype == np.int32 and edge.tolist() == [[2**31 - 1, -(2**31)]]
    wide = pad([[2**40], []], dtype="int64")
    assert wide.dtype == np.int64 and wide.tolist() == [[2**40], [0]]
    with pytest.raises(ValueError, match="fill value: 1099511627776 does not fit"):
        pad([[1]], value=2**40)
    with pytest.raises(ValueError, match=r"-1 does not fit in uint8"):
        pad([[-1]], dtype="uint8")
    with pytest.raises(ValueError, match=r"1\.5 is not a whole number"):
        pad([[1.5]], dtype="int32")
    with pytest.raises(ValueError, match="nan is not a whole number"):
        pad([[np.nan]], dtype="int64")
    assert pad([[2.0, 3.0]], dtype="int32").tolist() == [[2, 3]]  # whole floats are fine
    assert pad([[2**40]], value=0.5).dtype == np.float32  # floats: no int range check


def test_pad_zero_size():
    assert pad([[]]).shape == (1, 0)
    assert pad([[], []], length=3).tolist() == [[0, 0, 0], [0, 0, 0]]
    assert pad([[1, 2]], length=0).shape == (1, 0)
    assert pad([np.zeros((0, 2))]).shape == (1, 0, 2)


# ------------------------------------------------------------------------------ frequent_tokens
def test_frequent_tokens_by_count_then_alphabet_with_cut_offs():
    from seqkeras.text import frequent_tokens

    assert frequent_tokens(SENTENCES) == ["cat", "sat", "the", "a", "dog"]
    assert frequent_tokens(SENTENCES, min_count=2) == ["cat", "sat", "the"]
    assert frequent_tokens(SENTENCES, max_size=4) == ["cat", "sat", "the", "a"]
    assert frequent_tokens([["b", "a"], ["b", "a"]]) == ["a", "b"]  # a tie: alphabetical


def test_frequent_tokens_gives_stringlookup_the_ids_of_a_hand_made_dictionary():
    import keras

    from seqkeras.text import frequent_tokens

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
    from seqkeras.text import frequent_tokens

    with pytest.raises(error, match=words):
        frequent_tokens(bad, **kwargs)
