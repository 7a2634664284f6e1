"""seqkeras.layers, lesson 08: BahdanauAttention and LuongAttention equal the NumPy reference,
mask padded steps (given or propagated by Keras), save and load, and agree with
keras.layers.AdditiveAttention exactly where they should."""

import keras
import numpy as np
import pytest

from seqkeras import reference as ref
from seqkeras.layers import BahdanauAttention, LuongAttention

ATOL = 1e-6  # float32 layer against the float64 reference


def arrays(seed=0, batch=3, T_y=4, T_x=6, n_s=5, n_h=4):
    rng = np.random.default_rng(seed)
    s = rng.normal(size=(batch, T_y, n_s)).astype("float32")
    hs = rng.normal(size=(batch, T_x, n_h)).astype("float32")
    lengths = rng.integers(1, T_x + 1, size=batch)
    lengths[0] = T_x
    mask = np.arange(T_x)[None, :] < lengths[:, None]
    return s, hs, mask


def bahdanau(s, hs, units=7, seed=1):
    layer = BahdanauAttention(units)
    layer.build([s.shape, hs.shape])
    rng = np.random.default_rng(seed)
    W, U, v = rng.normal(size=layer.W.shape), rng.normal(size=layer.U.shape), rng.normal(size=units)
    layer.set_weights([W, U, v])
    return layer, (W, U, v)


def numpy(x):
    return keras.ops.convert_to_numpy(x)


@pytest.mark.parametrize("seed, batch, T_y, T_x", [(0, 3, 4, 6), (1, 1, 1, 1), (2, 2, 7, 11)])
def test_bahdanau_equals_the_reference_for_a_sequence_and_one_query(seed, batch, T_y, T_x):
    s, hs, mask = arrays(seed, batch, T_y, T_x)
    layer, (W, U, v) = bahdanau(s, hs)
    for m in (None, mask):
        context, alpha = layer([s, hs], mask=m)
        assert tuple(context.shape) == (batch, T_y, 4) and tuple(alpha.shape) == (batch, T_y, T_x)
        want_c, want_a = ref.additive_attention(s, hs, W, U, v, m)
        np.testing.assert_allclose(numpy(alpha), want_a, atol=ATOL)
        np.testing.assert_allclose(numpy(context), want_c, atol=ATOL)
        one_c, one_a = layer([s[:, 0], hs], mask=m)  # a single step: (batch, n_s)
        assert tuple(one_c.shape) == (batch, 4) and tuple(one_a.shape) == (batch, T_x)
        np.testing.assert_allclose(numpy(one_a), want_a[:, 0], atol=ATOL)
        np.testing.assert_allclose(numpy(one_c), want_c[:, 0], atol=ATOL)


def test_padded_steps_get_weight_exactly_zero_and_their_content_does_not_matter():
    s, hs, _ = arrays(3, batch=3, T_x=6)
    mask = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=bool)
    layer, _ = bahdanau(s, hs)
    context, alpha = (numpy(t) for t in layer([s, hs], mask=mask))
    assert np.all(alpha[:, :, :][~np.broadcast_to(mask[:, None], alpha.shape)] == 0.0)
    np.testing.assert_allclose(alpha.sum(-1), 1.0, atol=1e-6)
    junk = hs.copy()
    junk[~mask] = 1e4
    np.testing.assert_allclose(numpy(layer([s, junk], mask=mask)[0]), context, atol=1e-5)
    ints = numpy(layer([s, hs], mask=mask.astype("int32"))[1])  # 1/0 works as well as bool
    np.testing.assert_array_equal(ints, alpha)


def test_a_row_with_every_step_masked_gives_zeros_not_nan():
    s, hs, _ = arrays(4)
    mask = np.ones((3, 6), dtype=bool)
    mask[1] = False
    layer, (W, U, v) = bahdanau(s, hs)
    context, alpha = (numpy(t) for t in layer([s, hs], mask=mask))
    assert np.all(np.isfinite(alpha)) and np.all(np.isfinite(context))
    assert np.all(alpha[1] == 0.0) and np.all(context[1] == 0.0)
    want_c, want_a = ref.additive_attention(s, hs, W, U, v, mask)  # the same contract
    np.testing.assert_allclose(alpha, want_a, atol=ATOL)
    np.testing.assert_allclose(context, want_c, atol=ATOL)


def test_luong_dot_and_general_equal_the_reference():
    s, hs, mask = arrays(5, n_s=4, n_h=4)
    dot = LuongAttention("dot")
    c, a = dot([s, hs], mask=mask)
    want_c, want_a = ref.luong_attention(s, hs, mask=mask)
    np.testing.assert_allclose(numpy(a), want_a, atol=ATOL)
    np.testing.assert_allclose(numpy(c), want_c, atol=ATOL)
    assert dot.weights == []
    general = LuongAttention("general")
    s3 = np.random.default_rng(6).normal(size=(3, 4, 3)).astype("float32")
    c, a = general([s3[:, 2], hs], mask=mask)
    want_c, want_a = ref.luong_attention(s3[:, 2], hs, numpy(general.W_a), mask)
    np.testing.assert_allclose(numpy(a), want_a, atol=ATOL)
    np.testing.assert_allclose(numpy(c), want_c, atol=ATOL)


def model_with_keras_masks(units=6):
    """Encoder ids -> Embedding(mask_zero) -> RNN -> attention <- RNN <- Embedding <- decoder ids:
    no mask is passed by hand; Keras hands both on."""
    x_ids = keras.Input((None,), dtype="int32", name="x_ids")
    y_ids = keras.Input((None,), dtype="int32", name="y_ids")
    hs = keras.layers.SimpleRNN(5, return_sequences=True)(
        keras.layers.Embedding(13, 4, mask_zero=True)(x_ids)
    )
    s = keras.layers.SimpleRNN(3, return_sequences=True)(keras.layers.Embedding(11, 4, mask_zero=True)(y_ids))
    context, alpha = BahdanauAttention(units, name="attention")([s, hs])
    logits = keras.layers.Dense(11)(keras.layers.Concatenate()([s, context]))
    return keras.Model([x_ids, y_ids], [logits, alpha, context, s, hs])


def ids_batch():
    x = np.array([[3, 4, 5, 6, 7], [8, 9, 0, 0, 0], [2, 0, 0, 0, 0]], dtype="int32")
    y = np.array([[1, 2, 3, 0], [4, 5, 6, 7], [9, 0, 0, 0]], dtype="int32")
    return x, y


def test_masks_from_keras_masking_reach_the_layer():
    model = model_with_keras_masks()
    x, y = ids_batch()
    _, alpha, context, s, hs = (numpy(t) for t in model([x, y]))
    layer = model.get_layer("attention")
    W, U, v = (numpy(w) for w in (layer.W, layer.U, layer.v))
    want_c, want_a = ref.additive_attention(s, hs, W, U, v, x != 0)
    np.testing.assert_allclose(alpha, want_a, atol=ATOL)
    np.testing.assert_allclose(context, want_c, atol=ATOL)
    assert np.all(alpha[np.broadcast_to((x == 0)[:, None], alpha.shape)] == 0.0)


def test_the_query_mask_is_passed_on_to_both_outputs():
    layer = BahdanauAttention(3)
    s, hs, mask = arrays(7)
    q_mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]], dtype=bool)
    out_masks = layer.compute_mask([s, hs], [q_mask, mask])
    assert len(out_masks) == 2 and all(np.array_equal(numpy(m), q_mask) for m in out_masks)
    assert layer.compute_mask([s, hs], mask) is None  # the values' mask alone is used up


def test_get_config_and_keras_file_round_trip_keep_predictions(tmp_path):
    layer = BahdanauAttention(9, name="att")
    clone = BahdanauAttention.from_config(layer.get_config())
    assert clone.units == 9 and clone.name == "att"
    luong = LuongAttention.from_config(LuongAttention("dot").get_config())
    assert luong.score == "dot"
    model = model_with_keras_masks()
    x, y = ids_batch()
    before = [numpy(t) for t in model([x, y])]
    path = tmp_path / "attention.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.get_layer("attention"), BahdanauAttention)
    for a, b in zip(before, loaded([x, y])):
        np.testing.assert_array_equal(a, numpy(b))


# --------------------------------------------------------------------------- AdditiveAttention
def keras_additive(layer, s, hs, mask=None, query_mask=None):
    """keras.layers.AdditiveAttention on the inputs projected with our W and U, scale = our v."""
    W, U, v = (numpy(w) for w in (layer.W, layer.U, layer.v))
    theirs = keras.layers.AdditiveAttention(use_scale=True)
    inputs = [s @ W, hs, hs @ U]  # query, value, key
    theirs.build([t.shape for t in inputs])
    theirs.scale.assign(v)
    masks = None if mask is None and query_mask is None else [query_mask, mask]
    out, weights = theirs(inputs, mask=masks, return_attention_scores=True)
    return numpy(out), numpy(weights)


def test_additive_attention_agrees_after_the_same_projections_with_scale_as_v():
    s, hs, mask = arrays(8)
    layer, _ = bahdanau(s, hs)
    for m in (None, mask):
        ours_c, ours_a = (numpy(t) for t in layer([s, hs], mask=m))
        their_c, their_a = keras_additive(layer, s, hs, m)
        np.testing.assert_allclose(their_a, ours_a, atol=ATOL)
        np.testing.assert_allclose(their_c, ours_c, atol=ATOL)
    assert np.all(their_a[np.broadcast_to(~mask[:, None], their_a.shape)] == 0.0)  # zero there too
    # one query: theirs needs a time axis of 1
    c1, a1 = keras_additive(layer, s[:, :1], hs, mask)
    np.testing.assert_allclose(c1[:, 0], numpy(layer([s[:, 0], hs], mask=mask)[0]), atol=ATOL)


def test_additive_attention_differs_on_rows_of_padding_and_at_padded_queries():
    s, hs, _ = arrays(9)
    layer, _ = bahdanau(s, hs)
    mask = np.ones((3, 6), dtype=bool)
    mask[2] = False  # an all-padding row
    their_c, their_a = keras_additive(layer, s, hs, mask)
    ours_c, ours_a = (numpy(t) for t in layer([s, hs], mask=mask))
    np.testing.assert_allclose(their_a[2], 1 / 6, atol=1e-6)  # theirs: equal weights on padding
    assert np.all(ours_a[2] == 0.0) and np.all(ours_c[2] == 0.0)  # ours: nothing to attend to
    np.testing.assert_allclose(their_a[:2], ours_a[:2], atol=ATOL)
    q_mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 1]], dtype=bool)
    their_c, _ = keras_additive(layer, s, hs, None, q_mask)
    ours_c = numpy(layer([s, hs], mask=[q_mask, None])[0])
    assert np.all(their_c[1, 2:] == 0.0) and not np.allclose(ours_c[1, 2:], 0.0)  # theirs zeroes
    np.testing.assert_allclose(their_c[q_mask], ours_c[q_mask], atol=ATOL)


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize("units", [0, -3, 2.5, True, "8"])
def test_bad_units_are_named(units):
    with pytest.raises(ValueError, match="units must be a positive integer"):
        BahdanauAttention(units)


def test_bad_inputs_are_named():
    s, hs, _ = arrays()
    with pytest.raises(ValueError, match=r"two inputs, \[query, values\]"):
        BahdanauAttention(4)(hs)
    with pytest.raises(ValueError, match="return_sequences=True"):
        BahdanauAttention(4)([s, hs[:, -1]])
    with pytest.raises(ValueError, match="score='general'"):
        LuongAttention("dot")([s, hs])
    with pytest.raises(ValueError, match="'dot' or 'general'"):
        LuongAttention("additive")


def test_output_shapes_for_one_query_and_for_a_sequence():
    layer = BahdanauAttention(4)
    assert layer.compute_output_shape([(None, 5, 3), (None, 7, 6)]) == ((None, 5, 6), (None, 5, 7))
    assert layer.compute_output_shape([(2, 3), (2, 7, 6)]) == ((2, 6), (2, 7))
    s = keras.Input((None, 3))
    hs = keras.Input((9, 6))
    context, alpha = LuongAttention("general")([s, hs])
    assert tuple(context.shape) == (None, None, 6) and tuple(alpha.shape) == (None, None, 9)
