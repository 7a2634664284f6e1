"""seqkeras.pretrained: 8-bit weights, the compact file format, the shipped translator."""

import hashlib
import zipfile

import keras
import numpy as np
import pytest
from keras import ops

from seqkeras import data
from seqkeras.pretrained import dequantize, load_compact, load_translator, quantize, save_compact
from seqkeras.seq2seq import AttentionSeq2Seq

SOURCE = np.array([[3, 4, 5, 0], [2, 0, 0, 0]])
DECODER_IDS = np.array([[1, 4, 2], [1, 3, 3]])
CONFIG = {"source_vocab_size": 7, "target_vocab_size": 6, "units": 8, "attention": "bahdanau",
          "attention_units": 4, "embed_dim": 5}  # fmt: skip


def _model(seed=0):
    keras.utils.set_random_seed(seed)
    model = AttentionSeq2Seq(**CONFIG)
    model([SOURCE, DECODER_IDS])
    return model


# ------------------------------------------------------------------------ quantize
@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (4, 2, 7), (2277, 13)])
def test_quantize_error_is_at_most_half_a_step_per_row(shape):
    rng = np.random.default_rng(0)
    w = rng.normal(size=shape).astype(np.float32) * rng.uniform(1e-3, 10, size=shape[:-1] + (1,))
    q, scale = quantize(w)
    assert q.dtype == np.int8 and q.shape == w.shape and scale.shape == shape[:-1]
    assert np.abs(q).max() == 127  # every row uses the whole range
    error = np.abs(dequantize(q, scale) - w)
    assert np.all(error <= scale[..., None] / 2 + 1e-6 * np.abs(w))


def test_quantize_is_idempotent_and_keeps_zero_rows():
    w = np.array([[0.0, 0.0], [1.0, -3.0], [1e-8, 2e-8]], dtype=np.float32)
    q, scale = quantize(w)
    np.testing.assert_array_equal(q[0], [0, 0])
    q2, scale2 = quantize(dequantize(q, scale))
    np.testing.assert_array_equal(q2, q)
    np.testing.assert_allclose(scale2, scale, rtol=1e-6)


@pytest.mark.parametrize(
    "w, match", [(np.ones(3), "2 or more axes"), (np.array([[1.0, np.nan]]), "NaN or infinity")]
)
def test_quantize_refuses_vectors_and_broken_weights(w, match):
    with pytest.raises(ValueError, match=match):
        quantize(w)


# ------------------------------------------------------------------------ save / load
def test_round_trip_predicts_nearly_the_same_and_is_byte_reproducible(tmp_path):
    model = _model()
    vocab = {"source": [f"w{i}" for i in range(7)], "target": ["", "[UNK]", "<start>", "<end>", "我", "你"]}
    first = save_compact(model, tmp_path / "a.npz", CONFIG, vocab, {"seed": 0})
    second = save_compact(model, tmp_path / "b.npz", CONFIG, vocab, {"seed": 0})
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    compact = load_compact(first)
    assert compact.config == CONFIG and compact.vocabularies == vocab and compact.info == {"seed": 0}
    for w, original in zip(compact.weights, model.get_weights()):
        assert w.dtype == np.float32 and w.shape == original.shape
        if original.ndim == 1:
            np.testing.assert_array_equal(w, original)  # vectors are stored exactly
    loaded = load_translator(first)
    assert loaded.source_vocab == vocab["source"] and loaded.target_vocab[4] == "我"
    a = ops.convert_to_numpy(model([SOURCE, DECODER_IDS]))
    b = ops.convert_to_numpy(loaded.model([SOURCE, DECODER_IDS]))
    np.testing.assert_allclose(b, a, atol=0.05)  # 8 bits: close, not equal
    assert np.mean(a.argmax(-1) == b.argmax(-1)) == 1.0


def test_damaged_or_foreign_files_name_the_fix(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="make translator"):
        load_compact(bad)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, header=np.asarray('{"format": "other"}'))
    with pytest.raises(ValueError, match="not a seqkeras compact-weights file"):
        load_compact(foreign)
    # a member missing from a real file
    good = save_compact(_model(), tmp_path / "good.npz", CONFIG, {"source": ["a"], "target": ["b"]})
    cut = tmp_path / "cut.npz"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(cut, "w") as dst:
        for item in src.infolist():
            if item.filename != "w0_q.npy":
                dst.writestr(item, src.read(item))
    with pytest.raises(ValueError, match="damaged"):
        load_compact(cut)


def test_weights_that_do_not_fit_the_config_are_refused(tmp_path):
    path = save_compact(_model(), tmp_path / "m.npz", {**CONFIG, "units": 10},
                        {"source": ["a"], "target": ["b"]})  # fmt: skip
    with pytest.raises(ValueError, match="do not fit"):
        load_translator(path)


# ------------------------------------------------------------------------ the shipped file
def test_the_shipped_translator_loads_with_the_lessons_vocabularies():
    data.verify("translator")
    shipped = load_translator()
    assert shipped.model.attention == "bahdanau"
    assert shipped.target_vocab[:4] == ["", "[UNK]", "<start>", "<end>"]
    assert len(shipped.source_vocab) == shipped.model.source_vocab_size == 4000
    assert shipped.info["valid_int8"]["chrf"] > 25  # it learnt; the lesson checks it on held-out data
