"""seqkeras.seq2seq: teacher forcing, the Keras step wrapper, scores, baselines, accuracy by length."""

import keras
import matplotlib
import numpy as np
import pytest
import sacrebleu

from seqkeras import seq2seq as s2s

matplotlib.use("Agg")


# ------------------------------------------------------------------------ teacher forcing
def test_shift_right():
    y = np.array([[5, 6, 2, 0], [7, 2, 0, 0], [4, 4, 4, 2]], dtype=np.int32)
    before = y.copy()
    x = s2s.shift_right(y, start_id=1)
    np.testing.assert_array_equal(x, [[1, 5, 6, 2], [1, 7, 2, 0], [1, 4, 4, 4]])
    np.testing.assert_array_equal(y, before)
    assert x.dtype == y.dtype
    np.testing.assert_array_equal(s2s.shift_right(np.array([[9]]), 3), [[3]])


@pytest.mark.parametrize("bad, match", [(np.array([1, 2, 3]), "2-D"), (np.zeros((2, 3)), "integer")])
def test_shift_right_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        s2s.shift_right(bad, 1)


# ------------------------------------------------------------------------ keras step wrapper
def _tiny_step_model(vocab_size=7, units=5, n_const=0):
    ids = keras.Input((1,), dtype="int32")
    h_in = keras.Input((units,))
    consts = [keras.Input((3,)) for _ in range(n_const)]
    x = keras.layers.Embedding(vocab_size, 4)(ids)
    if consts:
        c = keras.layers.RepeatVector(1)(consts[0])
        x = keras.layers.Concatenate()([x, c])
    out, h = keras.layers.GRU(units, return_state=True)(x, initial_state=[h_in])
    logits = keras.layers.Dense(vocab_size)(out)
    return keras.Model([ids, h_in, *consts], [logits, h])


def test_keras_step_fn_gives_log_probs_and_carries_constants():
    keras.utils.set_random_seed(0)
    model = _tiny_step_model(n_const=1)
    step = s2s.keras_step_fn(model)
    h0, const = np.random.default_rng(0).normal(size=(3, 5)), np.ones((3, 3))
    log_probs, state = step(np.array([1, 2, 3]), [h0, const])
    assert log_probs.shape == (3, 7)
    np.testing.assert_allclose(np.exp(log_probs).sum(-1), 1.0, atol=1e-9)
    assert len(state) == 2 and state[0].shape == (3, 5) and state[1] is const
    logits, h = model([np.array([[1], [2], [3]]), h0, const])
    np.testing.assert_allclose(state[0], keras.ops.convert_to_numpy(h), atol=1e-6)
    expected = keras.ops.convert_to_numpy(keras.ops.log_softmax(logits, axis=-1))
    np.testing.assert_allclose(log_probs, expected, atol=1e-5)


def test_keras_step_fn_drives_the_decoders():
    from seqkeras.decoding import beam_search, greedy_decode

    keras.utils.set_random_seed(1)
    step = s2s.keras_step_fn(_tiny_step_model())
    h0 = np.random.default_rng(1).normal(size=(2, 5))
    outs = greedy_decode(step, [h0], start_id=1, end_id=2, max_len=6)
    assert len(outs) == 2
    assert beam_search(step, [h0[:1]], 1, 2, 6, beam_width=1)[0].ids == outs[0]
    model = _tiny_step_model()
    as_function = s2s.keras_step_fn(lambda inputs: model(inputs))  # any callable of the list works
    assert greedy_decode(as_function, [h0], 1, 2, 6) == greedy_decode(s2s.keras_step_fn(model), [h0], 1, 2, 6)


# ------------------------------------------------------------------------ scores
def test_scores_match_sacrebleu_with_one_reference():
    hyps = ["我很好。", "他在这里。", "我们走吧"]
    refs = ["我很好。", "他在那里。", "我们走吧！"]
    got = s2s.score_translations(hyps, [[r] for r in refs])
    assert got.bleu == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs], tokenize="zh").score)
    assert got.chrf == pytest.approx(sacrebleu.corpus_chrf(hyps, [refs]).score)
    assert 0 < got.bleu < 100 and 0 < got.chrf < 100
    assert "BLEU" in str(got) and "chrF" in str(got)


def test_every_reference_counts():
    refs = [["我很好。", "我非常好。"], ["他来了。"]]
    assert s2s.score_translations(["我非常好。", "他来了。"], refs) == pytest.approx((100.0, 100.0))
    # the zh tokenizer splits Chinese into characters: one character wrong is not a zero
    partial = s2s.score_translations(["我非常坏。", "他来了。"], refs)
    assert 30 < partial.bleu < 100


def test_sentence_chrf_and_groups():
    hyps, refs = ["我很好。", "不知道", "他来了。"], [["我很好。"], ["我很好。"], ["他来了。", "他到了。"]]
    per = s2s.sentence_chrf(hyps, refs)
    assert per.shape == (3,) and per[0] == pytest.approx(100) and per[1] < 20
    groups = s2s.scores_by_group(hyps, refs, ["b", "a", "b"])
    assert list(groups) == ["a", "b"]
    assert groups["b"][1] == 2 and groups["b"][0].bleu == pytest.approx(100)


@pytest.mark.parametrize(
    "hyps, refs, match",
    [
        ("我很好。", [["我很好。"]], "LIST"),
        (["a", "b"], [["a"]], "one list of references"),
        (["a"], [[]], "non-empty"),
        ([3], [["a"]], "string"),
    ],
)
def test_scores_bad_input(hyps, refs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        s2s.score_translations(hyps, refs)


# ------------------------------------------------------------------------ baselines
def test_most_frequent():
    assert s2s.most_frequent(["b", "a", "a", "b", "c"]) == "b"  # tie: first seen
    assert s2s.most_frequent(["x"]) == "x"
    with pytest.raises(ValueError):
        s2s.most_frequent([])


def test_words():
    assert s2s.words("Tom's here! I can't, 2 cats.") == ["tom's", "here", "i", "can't", "2", "cats"]


SOURCES = ["Tom is here.", "Tom is happy.", "I like cats.", "The cat is here.", "I like dogs a lot."]
TARGETS = ["汤姆在这里。", "汤姆很高兴。", "我喜欢猫。", "猫在这里。", "我很喜欢狗。"]


def _dense_tfidf(texts, vocab, idf):
    m = np.zeros((len(texts), len(vocab)))
    for i, t in enumerate(texts):
        for w in s2s.words(t):
            if w in vocab:
                m[i, vocab[w]] += 1
    m *= idf
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def test_retrieval_equals_dense_cosine():
    r = s2s.RetrievalBaseline(SOURCES, TARGETS)
    df = np.zeros(len(r.vocab))
    for s in SOURCES:
        for w in set(s2s.words(s)):
            df[r.vocab[w]] += 1
    np.testing.assert_allclose(r.idf, np.log(6 / (1 + df)) + 1)
    queries = ["Is Tom here?", "cats cats dogs", "The cat likes Tom."]
    dense = _dense_tfidf(queries, r.vocab, r.idf) @ _dense_tfidf(SOURCES, r.vocab, r.idf).T
    for q, row in zip(queries, dense):
        np.testing.assert_allclose(r.similarities(q), row, atol=1e-12)
    index, sim = r.nearest(queries)
    np.testing.assert_array_equal(index, dense.argmax(1))
    np.testing.assert_allclose(sim, dense.max(1))


def test_retrieval_copies_and_falls_back():
    r = s2s.RetrievalBaseline(SOURCES + ["Tom is here."], TARGETS + ["汤姆在这儿。"])
    assert r.predict(["tom is HAPPY"]) == ["汤姆很高兴。"]
    index, sim = r.nearest(["Tom is here."])
    assert index[0] == 0 and sim[0] == pytest.approx(1.0)  # ties: the first sentence
    index, sim = r.nearest(["Zebras!", ""])
    assert list(index) == [-1, -1] and list(sim) == [0.0, 0.0]
    assert r.predict(["Zebras!"]) == [r.fallback] == ["汤姆在这里。"]
    with pytest.raises(TypeError):
        r.nearest("Tom")
    with pytest.raises(ValueError):
        s2s.RetrievalBaseline(["a"], [])


# ------------------------------------------------------------------------ accuracy by length
def test_exact_match_and_token_accuracy():
    preds, targets = ["abc", "abd", "ab", "abcd", ""], ["abc", "abc", "abc", "abc", ""]
    np.testing.assert_array_equal(s2s.exact_match(preds, targets), [1, 0, 0, 0, 1])
    np.testing.assert_allclose(s2s.token_accuracy(preds, targets), [1, 2 / 3, 2 / 3, 3 / 4, 1])
    np.testing.assert_array_equal(s2s.exact_match([[1, 2]], [(1, 2)]), [True])
    with pytest.raises(ValueError, match="predictions"):
        s2s.exact_match(["a"], ["a", "b"])


def test_by_length():
    lengths, values = [5, 5, 6, 9, 9, 9], [1, 0, 1, 0, 0, 1]
    x, m, n = s2s.by_length(lengths, values)
    np.testing.assert_allclose(x, [5, 6, 9])
    np.testing.assert_allclose(m, [0.5, 1, 1 / 3])
    np.testing.assert_array_equal(n, [2, 1, 3])
    x, m, n = s2s.by_length(lengths, values, width=5)  # bins 5-9
    np.testing.assert_allclose(x, [np.mean(lengths)])
    np.testing.assert_array_equal(n, [6])
    with pytest.raises(ValueError, match="width"):
        s2s.by_length(lengths, values, width=0)
    with pytest.raises(ValueError, match="same length"):
        s2s.by_length([1, 2], [1])


def test_plot_by_length():
    ax = s2s.plot_by_length(
        {"GRU": ([5, 10], [1.0, 0.5]), "other": ([5, 10], [1.0, 0.9])}, trained=(5, 8), title="t"
    )
    assert len(ax.lines) == 2 and ax.get_title() == "t"
    assert [t.get_text() for t in ax.get_legend().get_texts()][-2:] == ["GRU", "other"]
    matplotlib.pyplot.close("all")


# ------------------------------------------------------------------------ length batches
def _copy_data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 15, size=n)
    targets = [np.append(rng.integers(4, 9, size=k), 3) for k in lengths]  # tokens, then end = 3
    source = np.zeros((n, 16), dtype=np.int32)
    for i, t in enumerate(targets):
        source[i, : len(t) - 1] = t[:-1]
    return source, targets


def test_length_batches_group_pad_and_shift():
    source, targets = _copy_data()
    ds = s2s.length_batches(source, targets, batch_size=16, start_id=1, multiple=4, seed=0)
    seen = []
    for i in range(len(ds)):
        (x, dec_in), y = ds[i]
        assert x.shape == (16, 16) and dec_in.shape == y.shape and y.shape[0] == 16
        assert y.shape[1] % 4 == 0
        np.testing.assert_array_equal(dec_in, s2s.shift_right(y, 1))
        for r in range(16):  # each row: its own target, then padding
            k = int(np.flatnonzero((x[r] == source).all(axis=1) & (source[:, 0] == x[r, 0]))[0])
            seen.append(k)
        lengths = [int((row != 0).sum()) for row in y]
        assert max(lengths) > y.shape[1] - 4  # padded only up to the next multiple
    assert ds[0][1].shape[1] != ds[1][1].shape[1]  # Keras' TF adapter reads the first two shapes
    assert len(seen) <= len(targets)


def test_length_batches_shuffle_each_epoch_and_trim():
    source, targets = _copy_data()
    ds = s2s.length_batches(source, targets, batch_size=16, start_id=1, trim_source=True, seed=0)
    first = [ds[i][1].tobytes() for i in range(len(ds))]
    ds.on_epoch_end()
    assert [ds[i][1].tobytes() for i in range(len(ds))] != first
    for i in range(len(ds)):
        (x, _), y = ds[i]
        assert x.shape[1] % 4 == 0 and x.shape[1] >= y.shape[1] - 4
    again = s2s.length_batches(source, targets, batch_size=16, start_id=1, trim_source=True, seed=0)
    assert [again[i][1].tobytes() for i in range(len(again))] == first


def test_length_batches_train_a_model():
    keras.utils.set_random_seed(0)
    source, targets = _copy_data(200)
    src, dec = keras.Input((None,), dtype="int32"), keras.Input((None,), dtype="int32")
    h = keras.layers.GRU(8)(keras.layers.Embedding(10, 4)(src))
    out, _ = keras.layers.GRU(8, return_sequences=True, return_state=True)(
        keras.layers.Embedding(10, 4)(dec), initial_state=[h]
    )
    model = keras.Model([src, dec], keras.layers.Dense(10)(out))
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0))
    history = model.fit(s2s.length_batches(source, targets, 16, 1, seed=1), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_length_batches_one_shape_without_multiple():
    source, targets = _copy_data()
    ds = s2s.length_batches(
        source, targets, batch_size=16, start_id=1, multiple=None, trim_source=True, seed=0
    )
    longest = max(len(t) for t in targets)
    shapes = {(ds[i][0][0].shape, ds[i][1].shape) for i in range(len(ds))}
    assert shapes == {((16, 16), (16, longest))}  # one shape: the source untrimmed, targets to the longest
    assert len(ds) == len(targets) // 16  # one group: only the last partial batch sits out
    (x, dec_in), y = ds[0]
    np.testing.assert_array_equal(dec_in, s2s.shift_right(y, 1))


def test_length_batches_bad_input():
    source, targets = _copy_data(20)
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="multiple must be"):
            s2s.length_batches(source, targets, batch_size=2, start_id=1, multiple=bad)
    with pytest.raises(ValueError, match="batch_size"):
        s2s.length_batches(source, targets, batch_size=64, start_id=1)
    with pytest.raises(ValueError, match="targets"):
        s2s.length_batches(source, targets[:5], batch_size=2, start_id=1)
