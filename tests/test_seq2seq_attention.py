"""seqkeras.seq2seq.AttentionSeq2Seq, layers.AttentionGRUCell and seq2seq.attention_step_fn
(lesson 08's model, shared with the translation notebook)."""

import keras
import numpy as np
import pytest
from keras import ops

from seqkeras import data, decoding
from seqkeras.layers import AttentionGRUCell
from seqkeras.seq2seq import AttentionSeq2Seq, attention_step_fn

KINDS = ("none", "bahdanau", "luong")
VOCAB, UNITS = 7, 8

# Three sources of different lengths, padded with 0 (one of a single step).
SOURCE = np.array([[3, 4, 5, 6, 0, 0], [2, 0, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6]], dtype=np.int64)
REAL = SOURCE != 0
DECODER_IDS = np.array([[1, 4, 2, 5, 6], [1, 3, 3, 0, 0], [1, 6, 5, 4, 2]], dtype=np.int64)


def _tiny(kind, seed=0):
    keras.utils.set_random_seed(seed)
    model = AttentionSeq2Seq(VOCAB, VOCAB, units=UNITS, attention=kind, attention_units=4, embed_dim=5)
    model([SOURCE, DECODER_IDS])  # builds it
    return model


def _np(x):
    return ops.convert_to_numpy(x)


def _step_by_step(model, source, decoder_ids):
    """Every decode_step's scores (B, T_y, |V|) and weights (a list of T_y arrays or Nones)."""
    state, scores, alphas = model.encode(source), [], []
    for i in range(decoder_ids.shape[1]):
        s, state, alpha = model.decode_step(decoder_ids[:, i], state)
        scores.append(_np(s))
        alphas.append(None if alpha is None else _np(alpha))
    return np.stack(scores, axis=1), alphas


# ------------------------------------------------------------------------ one step = all at once
@pytest.mark.parametrize("kind", KINDS)
def test_decode_step_by_step_equals_the_whole_call(kind):
    model = _tiny(kind)
    all_at_once = _np(model([SOURCE, DECODER_IDS]))
    assert all_at_once.shape == (3, 5, VOCAB)
    one_by_one, _ = _step_by_step(model, SOURCE, DECODER_IDS)
    np.testing.assert_allclose(one_by_one, all_at_once, atol=1e-4)
    # token ids as a column (B, 1) are read the same as (B,)
    state = model.encode(SOURCE)
    flat, _, _ = model.decode_step(DECODER_IDS[:, 0], state)
    column, _, _ = model.decode_step(DECODER_IDS[:, :1], state)
    np.testing.assert_allclose(_np(column), _np(flat), atol=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_encode_state_contract_and_padding_length_does_not_matter(kind):
    model = _tiny(kind)
    s0, hs, real = model.encode(SOURCE)
    assert tuple(s0.shape) == (3, UNITS) and tuple(hs.shape) == (3, 6, UNITS)
    np.testing.assert_array_equal(_np(real), REAL.astype("float32"))
    # three more padded columns: the same outputs (the encoder and attention skip padding)
    longer = np.pad(SOURCE, [(0, 0), (0, 3)])
    np.testing.assert_allclose(
        _np(model([longer, DECODER_IDS])), _np(model([SOURCE, DECODER_IDS])), atol=1e-5
    )
    # but an early real step matters
    changed = SOURCE.copy()
    changed[2, 0] = 6
    difference = np.abs(_np(model([changed, DECODER_IDS])) - _np(model([SOURCE, DECODER_IDS])))
    assert difference[2].max() > 1e-4 and difference[:2].max() < 1e-6


# ------------------------------------------------------------------------ attention weights
@pytest.mark.parametrize("kind", ["bahdanau", "luong"])
def test_weights_sum_to_one_over_real_steps_and_are_zero_on_padding(kind):
    model = _tiny(kind)
    _, alphas = _step_by_step(model, SOURCE, DECODER_IDS)
    for alpha in alphas:
        assert alpha.shape == (3, 6)
        np.testing.assert_allclose(alpha.sum(axis=-1), 1.0, atol=1e-5)
        assert (alpha[~REAL] == 0).all()
        assert (alpha[REAL] > 0).all()
    np.testing.assert_allclose(np.stack(alphas)[:, 1, 0], 1.0, atol=1e-6)  # one real step: all on it


def test_bahdanau_weights_are_the_ones_the_cell_used_with_the_previous_state():
    model = _tiny("bahdanau")
    attention = model.decoder.cell.attention
    for weight in (attention.W, attention.v):  # sharper scores than at initialisation
        weight.assign(_np(weight) * 10)
    state = model.encode(SOURCE)
    _, new_state, alpha = model.decode_step(DECODER_IDS[:, 0], state)
    _, expected = model.decoder.cell.attention([state[0], state[1]], mask=REAL)
    np.testing.assert_allclose(_np(alpha), _np(expected), atol=1e-6)
    _, from_new_state = model.decoder.cell.attention([new_state[0], state[1]], mask=REAL)
    assert np.abs(_np(from_new_state) - _np(alpha)).max() > 2e-5  # s_{i-1}, not s_i (float noise ~1e-7)


def test_no_attention_gives_no_weights():
    model = _tiny("none")
    _, alphas = _step_by_step(model, SOURCE, DECODER_IDS[:, :2])
    assert alphas == [None, None]


# ------------------------------------------------------------------------ saving
def test_keras_round_trip_gives_identical_outputs(tmp_path):
    model = _tiny("bahdanau")
    path = tmp_path / "attention.keras"
    model.save(path)
    reloaded = keras.saving.load_model(path)
    assert isinstance(reloaded, AttentionSeq2Seq) and isinstance(reloaded.decoder.cell, AttentionGRUCell)
    assert reloaded.get_config() == model.get_config()
    np.testing.assert_array_equal(_np(reloaded([SOURCE, DECODER_IDS])), _np(model([SOURCE, DECODER_IDS])))
    scores, _, alpha = reloaded.decode_step(DECODER_IDS[:, 0], reloaded.encode(SOURCE))
    scores_0, _, alpha_0 = model.decode_step(DECODER_IDS[:, 0], model.encode(SOURCE))
    np.testing.assert_array_equal(_np(scores), _np(scores_0))
    np.testing.assert_array_equal(_np(alpha), _np(alpha_0))


@pytest.mark.parametrize("kind", KINDS)
def test_config_round_trip(kind):
    model = AttentionSeq2Seq(11, 9, units=6, attention=kind, attention_units=3, embed_dim=4, name="m")
    config = model.get_config()
    assert {k: config[k] for k in ("source_vocab_size", "target_vocab_size", "units")} == {
        "source_vocab_size": 11,
        "target_vocab_size": 9,
        "units": 6,
    }
    assert (config["attention"], config["attention_units"], config["embed_dim"]) == (kind, 3, 4)
    again = AttentionSeq2Seq.from_config(config)
    assert again.get_config() == config
    cell = AttentionGRUCell(6, 3, name="c")
    assert AttentionGRUCell.from_config(cell.get_config()).get_config() == cell.get_config()


# ------------------------------------------------------------------------ dropout
def test_dropout_zero_adds_no_layer_and_keeps_the_seeded_weights():
    # Dropout layers draw a seed when made: at rate 0 none is made, so a model seeded as
    # before starts from exactly the same weights as before the option existed.
    plain = _tiny("bahdanau", seed=3)
    keras.utils.set_random_seed(3)
    zero = AttentionSeq2Seq(
        VOCAB, VOCAB, units=UNITS, attention="bahdanau", attention_units=4, embed_dim=5, dropout=0
    )
    zero([SOURCE, DECODER_IDS])
    assert zero.drop_source is None and zero.drop_out is None
    for a, b in zip(plain.get_weights(), zero.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kind", KINDS)
def test_dropout_acts_in_training_only(kind):
    keras.utils.set_random_seed(0)
    model = AttentionSeq2Seq(
        VOCAB, VOCAB, units=UNITS, attention=kind, attention_units=4, embed_dim=5, dropout=0.5
    )
    inference = _np(model([SOURCE, DECODER_IDS]))
    np.testing.assert_array_equal(_np(model([SOURCE, DECODER_IDS], training=False)), inference)
    assert not np.allclose(_np(model([SOURCE, DECODER_IDS], training=True)), inference, atol=1e-4)
    # decoding (encode + decode_step) never drops: it equals the call at inference
    one_by_one, _ = _step_by_step(model, SOURCE, DECODER_IDS)
    np.testing.assert_allclose(one_by_one, inference, atol=1e-4)
    assert AttentionSeq2Seq.from_config(model.get_config()).get_config()["dropout"] == 0.5


# ------------------------------------------------------------------------ the notebook's sizes
def test_parameter_counts_match_lesson_08():
    # Lesson 08's dates: TextVectorization adapted to 20,000 dates (seed 0) gives the source
    # 55 characters + padding + [UNK] = 57 ids; the target is "", [UNK], <start>, <end>, "-",
    # 0-9 = 15 ids. Its printed counts: 120,591 / 188,111 / 138,895.
    human, _ = data.make_dates(20_000, seed=0)
    source_vocab_size = len(set("".join(human))) + 2
    assert source_vocab_size == 57
    source, decoder_ids = np.array([[3, 4, 5, 0]]), np.array([[1, 2, 3]])
    counts = {}
    for kind in KINDS:
        model = AttentionSeq2Seq(source_vocab_size, 15, 128, kind, 64)
        model([source, decoder_ids])
        counts[kind] = model.count_params()
    assert counts == {"none": 120_591, "bahdanau": 188_111, "luong": 138_895}


# ------------------------------------------------------------------------ clear errors
@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"units": 7}, "positive even integer"),
        ({"units": 0}, "positive even integer"),
        ({"units": 8.0}, "positive even integer"),
        ({"units": True}, "positive even integer"),
        ({"attention": "additive"}, "'none', 'bahdanau' or 'luong'"),
        ({"attention": None}, "'none', 'bahdanau' or 'luong'"),
        ({"attention_units": 0}, "attention_units must be a positive integer"),
        ({"attention_units": 2.5}, "attention_units must be a positive integer"),
        ({"embed_dim": -1}, "embed_dim must be a positive integer"),
        ({"source_vocab_size": 0}, "source_vocab_size must be a positive integer"),
        ({"target_vocab_size": "15"}, "target_vocab_size must be a positive integer"),
        ({"dropout": 1.0}, "dropout must be a rate in"),
        ({"dropout": -0.1}, "dropout must be a rate in"),
        ({"dropout": "0.2"}, "dropout must be a rate in"),
    ],
)
def test_bad_model_arguments(kwargs, match):
    args = {"source_vocab_size": 7, "target_vocab_size": 7, "units": 8, "attention": "bahdanau"}
    with pytest.raises(ValueError, match=match):
        AttentionSeq2Seq(**{**args, **kwargs})


@pytest.mark.parametrize("units, attention_units", [(0, 4), (8, 0), (8, 1.5), (True, 4)])
def test_bad_cell_arguments(units, attention_units):
    with pytest.raises(ValueError, match="must be a positive integer"):
        AttentionGRUCell(units, attention_units)


def test_cell_needs_encoder_states_of_its_own_size():
    cell = AttentionGRUCell(4, 3)
    s, hs, real = np.zeros((2, 4), "float32"), np.zeros((2, 5, 6), "float32"), np.ones((2, 5), "float32")
    with pytest.raises(ValueError, match="n_h = units = 4"):
        cell(np.zeros((2, 3), "float32"), [s, hs, real])
    with pytest.raises(ValueError, match=r"\[s, H, real\]"):
        cell(np.zeros((2, 3), "float32"), [s])


def test_bad_calls_name_the_fix():
    model = _tiny("luong")
    with pytest.raises(ValueError, match="two inputs"):
        model(SOURCE)
    with pytest.raises(ValueError, match="encode"):
        model.decode_step(DECODER_IDS[:, 0], model.encode(SOURCE)[:1])
    with pytest.raises(ValueError, match=r"source_ids\[None\]"):
        model.encode(SOURCE[0])
    with pytest.raises(TypeError, match="list"):
        attention_step_fn(model, weights=())
    with pytest.raises(TypeError, match="decode_step"):
        attention_step_fn(object())


# ------------------------------------------------------------------------ driving seqkeras.decoding
def test_attention_step_fn_with_greedy_decode_records_one_alpha_per_step():
    model = _tiny("bahdanau")
    weights = []
    ids = decoding.greedy_decode(attention_step_fn(model, weights), model.encode(SOURCE), 1, 2, max_len=6)
    assert len(ids) == 3 and all(isinstance(t, int) and 0 <= t < VOCAB for out in ids for t in out)
    assert all(len(out) <= 6 for out in ids)
    steps = min(6, max(len(out) + 1 for out in ids))  # until every row wrote <end>, or max_len
    assert len(weights) == steps >= 1
    for alpha in weights:
        assert isinstance(alpha, np.ndarray) and alpha.shape == (3, 6)
        assert (alpha[~REAL] == 0).all()
        np.testing.assert_allclose(alpha.sum(axis=-1), 1.0, atol=1e-5)
    # the first step: log-softmax of decode_step's scores, and its weights
    log_probs, _ = attention_step_fn(model)(np.full(3, 1), model.encode(SOURCE))
    scores, _, alpha = model.decode_step(np.full(3, 1), model.encode(SOURCE))
    np.testing.assert_allclose(log_probs, _np(ops.log_softmax(scores, axis=-1)), atol=1e-6)
    np.testing.assert_allclose(weights[0], _np(alpha), atol=1e-6)
    # the greedy choice of the first step is what was written first
    assert [out[0] for out in ids if out] == [int(t) for t, out in zip(log_probs.argmax(-1), ids) if out]


def test_attention_step_fn_without_attention_and_under_beam_search():
    model = _tiny("none")
    weights = []
    ids = decoding.greedy_decode(attention_step_fn(model, weights), model.encode(SOURCE), 1, 2, max_len=3)
    assert len(ids) == 3 and weights == []
    model = _tiny("luong")
    weights = []
    hyps = decoding.beam_search(
        attention_step_fn(model, weights), model.encode(SOURCE[1:2]), 1, 2, max_len=3, beam_width=2
    )
    assert 1 <= len(hyps) <= 2 and all(isinstance(t, int) for h in hyps for t in h.ids)
    assert weights and all(a.shape[1:] == (6,) and (a[:, 1:] == 0).all() for a in weights)
