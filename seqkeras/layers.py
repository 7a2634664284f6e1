"""Custom Keras cells and layers, written with ``keras.ops`` so they run on any backend.

- :class:`DenseRNNCell`: a vanilla RNN cell built from two ``Dense`` layers plus a
  recurrent connection. Wrap it in ``keras.layers.RNN`` to run it over a sequence; it
  computes exactly what ``keras.layers.SimpleRNN`` computes.
- :class:`SerialDenseRNNCell` (lesson 01): the source articles' "vanilla RNN", two dense
  layers in series with the state added between them; not a SimpleRNN (a relu on the input).
- :class:`Backward` and :class:`WordDropout` (lesson 06): a recurrent layer run from the last
  step to the first; ``<unk>`` learned by replacing rare words at random in training.
- :class:`BahdanauAttention` and :class:`LuongAttention` (lesson 08): a context per output
  step from the encoder's states, with the padded steps masked; equal to
  :func:`seqkeras.reference.additive_attention` and :func:`seqkeras.reference.luong_attention`;
  :class:`AttentionGRUCell`, Bahdanau's decoder step (attend with ``s_{i-1}``, then a GRU step)
  as a cell for ``keras.layers.RNN``, the decoder of :class:`seqkeras.seq2seq.AttentionSeq2Seq`.

Every class here is registered for ``.keras`` saving under the package name ``seqkeras``,
so a saved model loads back with ``keras.saving.load_model(path)`` once ``seqkeras.layers``
has been imported.
"""

from __future__ import annotations

import numbers
from typing import Any

import keras
from keras import ops

__all__ = ["DenseRNNCell"]


@keras.saving.register_keras_serializable(package="seqkeras")
class DenseRNNCell(keras.layers.Layer):
    """A vanilla RNN cell as two dense layers plus a recurrent connection.

    One step computes ``h_t = activation(x_t @ U + b + h_{t-1} @ W)``:

    - ``input_dense`` (a ``Dense(units)`` with bias) reads the input: kernel ``U``
      ``(n_in, units)`` and bias ``b`` ``(units,)``;
    - ``recurrent_dense`` (a ``Dense(units, use_bias=False)``) reads the previous state:
      kernel ``W`` ``(units, units)``;
    - the recurrent connection is the state: the ``h_t`` returned at step t is handed back
      to the cell as ``h_{t-1}`` at step t+1 by ``keras.layers.RNN``.

    Use it like any cell::

        layer = keras.layers.RNN(DenseRNNCell(8), return_sequences=True)
        hs = layer(x)                                  # x (batch, T, n_in) -> (batch, T, 8)

    The weights line up one to one with ``keras.layers.SimpleRNN``'s: ``kernel`` (U),
    ``recurrent_kernel`` (W) and ``bias`` (b), so copying them across gives the same outputs.

    Args:
        units: the size of the hidden state h_t, a positive int.
        activation: the nonlinearity, a Keras activation name or function (default ``"tanh"``).
        **kwargs: passed to ``keras.layers.Layer`` (``name``, ``dtype``, ...).

    Raises:
        ValueError: if ``units`` is not a positive integer.
    """

    def __init__(self, units: int, activation: Any = "tanh", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, numbers.Integral) or units <= 0:
            raise ValueError(
                f"units must be a positive integer (the size of the hidden state "
                f"h_t), got {units!r}. Pass e.g. DenseRNNCell(8)."
            )
        self.units = int(units)
        self.activation = keras.activations.get(activation)
        self.state_size = self.units
        self.output_size = self.units
        self.input_dense = keras.layers.Dense(self.units, use_bias=True, name="input_dense")
        self.recurrent_dense = keras.layers.Dense(self.units, use_bias=False, name="recurrent_dense")

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        """Create the weights: ``input_shape`` is one step's input, ``(batch, n_in)``."""
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                f"DenseRNNCell expects one step of input of shape (batch, n_in), got "
                f"{tuple(input_shape)}. Wrap the cell in keras.layers.RNN(...) to run "
                "it over inputs of shape (batch, T, n_in)."
            )
        self.input_dense.build(tuple(input_shape))
        self.recurrent_dense.build((input_shape[0], self.units))
        super().build(input_shape)

    # The names SimpleRNN uses, so that weights can be copied across by name.
    @property
    def kernel(self) -> Any:
        """U, ``(n_in, units)``: the input-to-hidden weights (``input_dense.kernel``)."""
        return self.input_dense.kernel

    @property
    def recurrent_kernel(self) -> Any:
        """W, ``(units, units)``: the hidden-to-hidden weights (``recurrent_dense.kernel``)."""
        return self.recurrent_dense.kernel

    @property
    def bias(self) -> Any:
        """b, ``(units,)`` (``input_dense.bias``)."""
        return self.input_dense.bias

    def call(self, inputs: Any, states: Any, training: bool | None = None) -> tuple[Any, list[Any]]:
        """One step: ``inputs`` ``(batch, n_in)``, ``states`` ``[h_prev (batch, units)]``.

        Returns:
            ``(h_t, [h_t])``: the output of the step and the state handed to the next step.
        """
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        h = self.activation(ops.add(self.input_dense(inputs), self.recurrent_dense(h_prev)))
        return h, [h]

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, for ``.keras`` saving."""
        config = super().get_config()
        config.update(units=self.units, activation=keras.activations.serialize(self.activation))
        return config


# --------------------------------------------------------------------------- lesson 06
__all__ += ["Backward", "WordDropout"]


@keras.saving.register_keras_serializable(package="seqkeras")
class Backward(keras.layers.Wrapper):
    """Run a recurrent layer from the last step to the first; hand back outputs in reading order.

    The backward half of a bidirectional layer, on its own: ``Backward(GRU(8,
    return_sequences=True))`` maps ``(batch, T, n_in)`` to ``(batch, T, 8)``, and the output
    at step t is the state after reading ``x_T, ..., x_t`` (the step itself and everything
    after it). ``keras.layers.Concatenate()([GRU(8, return_sequences=True)(x),
    Backward(GRU(8, return_sequences=True))(x)])`` computes what
    ``keras.layers.Bidirectional(GRU(8, return_sequences=True))(x)`` computes.

    How: flip the time axis of the inputs **and of the mask**, run the layer, flip its
    outputs back. With a padded batch the padding moves to the front when flipped; the
    flipped mask makes the layer skip it, so the state after the padding is still the
    initial state. Without a mask the layer would read the padding first: give padded
    batches a mask (``Embedding(..., mask_zero=True)`` or ``Masking``).

    Outputs at masked steps are 0, as in ``Bidirectional``. With ``return_sequences=False``
    the output is the final backward state, after reading
    ``x_1`` last: ``(batch, units)``, nothing to flip.

    Args:
        layer: a recurrent layer (``SimpleRNN``, ``GRU``, ``LSTM``, ``RNN``) built to read
            forwards (``go_backwards=False``) and without ``return_state``.
        **kwargs: passed to ``keras.layers.Layer`` (``name``, ...).

    Raises:
        ValueError: if ``layer`` is not a recurrent layer, already reads backwards, or
            returns its state.
    """

    def __init__(self, layer: keras.layers.Layer, **kwargs: Any) -> None:
        if not isinstance(layer, keras.layers.Layer) or not hasattr(layer, "return_sequences"):
            raise ValueError(
                f"Backward wraps a recurrent layer (SimpleRNN, GRU, LSTM or RNN), got "
                f"{type(layer).__name__}. Pass e.g. Backward(GRU(8, return_sequences=True))."
            )
        if getattr(layer, "go_backwards", False):
            raise ValueError(
                "the layer given to Backward already has go_backwards=True, so it would "
                "be reversed twice and read forwards: create it with go_backwards=False."
            )
        if getattr(layer, "return_state", False):
            raise ValueError(
                "Backward does not support return_state=True (the outputs are a list): "
                "create the layer without it."
            )
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        """Build the wrapped layer for ``input_shape`` ``(batch, T, n_in)``."""
        if len(input_shape) != 3:
            raise ValueError(f"Backward expects a sequence (batch, T, n_in), got shape {tuple(input_shape)}.")
        super().build(input_shape)

    def call(self, inputs: Any, mask: Any = None, training: bool | None = None) -> Any:
        """``inputs`` ``(batch, T, n_in)``, ``mask`` ``(batch, T)`` or None → ``(batch, T, units)``
        (or ``(batch, units)`` without ``return_sequences``)."""
        reversed_mask = None if mask is None else ops.flip(mask, axis=1)
        outputs = self.layer(ops.flip(inputs, axis=1), mask=reversed_mask, training=training)
        if not self.layer.return_sequences:
            return outputs
        outputs = ops.flip(outputs, axis=1)
        if mask is not None:  # padded steps give 0, as in keras.layers.Bidirectional
            outputs = outputs * ops.cast(ops.expand_dims(mask, -1), outputs.dtype)
        return outputs

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return self.layer.compute_output_shape(input_shape)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return mask if self.layer.return_sequences else None


@keras.saving.register_keras_serializable(package="seqkeras")
class WordDropout(keras.layers.Layer):
    """In training, replace real token ids by the unknown-word id, at random.

    This is how ``<unk>`` gets a trained vector: the model sees it in real contexts and
    learns to tag (or classify) from the context when it cannot read the word. Outside
    training (``training=False``, ``predict``, ``evaluate``) the ids pass unchanged, and
    padding (``mask_id``) is never replaced.

    Two ways to choose which words:

    - ``WordDropout(rate)``: every word with the same probability ``rate``.
    - ``WordDropout(rates=...)``: a probability per id, ``(vocab_size,)``. Build it from
      training counts with :meth:`from_counts`, ``alpha / (alpha + count)``: a word seen once
      is dropped often, a frequent word almost never, so ``<unk>`` learns the contexts of
      *rare* words, which is what an unknown word at test time is.

    Put it right after the input, before the ``Embedding``::

        ids = keras.Input((None,), dtype="int32")           # (batch, T), 0 = padding
        x = WordDropout.from_counts(counts, alpha=0.25)(ids) # (batch, T), a few ids -> 1
        x = keras.layers.Embedding(vocab_size, 64, mask_zero=True)(x)

    Args:
        rate: the probability for every word, in [0, 1). Give ``rate`` or ``rates``.
        unk_id: the id of the unknown-word token (``StringLookup``'s OOV index, 1 by default).
        mask_id: the padding id, left alone (0).
        seed: seed of the layer's own random generator (``keras.random.SeedGenerator``).
        rates: one probability per id, ``(vocab_size,)``, each in [0, 1]; ids beyond it are
            ids must be < vocab_size. Stored as a non-trainable weight, so
            it is saved with the model. (An int here means "that many ids, rates to be loaded".)
        **kwargs: passed to ``keras.layers.Layer``.

    Raises:
        ValueError: if neither or both of ``rate`` and ``rates`` are given, a probability is
            out of range, or ``unk_id`` equals ``mask_id``.
    """

    def __init__(
        self,
        rate: float | None = None,
        unk_id: int = 1,
        mask_id: int = 0,
        seed: int | None = None,
        *,
        rates: Any = None,
        **kwargs: Any,
    ) -> None:
        import numpy as np

        super().__init__(**kwargs)
        if (rate is None) == (rates is None):
            raise ValueError(
                "give WordDropout either `rate` (one probability for every word, "
                "e.g. WordDropout(0.05)) or `rates` (one per word id, e.g. "
                "WordDropout.from_counts(counts)), not both or neither."
            )
        if rate is not None and (
            isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1
        ):
            raise ValueError(
                f"rate must be a probability in [0, 1), got {rate!r}: "
                "e.g. WordDropout(0.05) replaces about one word in twenty."
            )
        if int(unk_id) == int(mask_id):
            raise ValueError(
                f"unk_id and mask_id are both {unk_id}: the unknown-word id must "
                "differ from the padding id (StringLookup: mask 0, OOV 1)."
            )
        self.rate = None if rate is None else float(rate)
        self.unk_id, self.mask_id, self.seed = int(unk_id), int(mask_id), seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True
        self.rates = None
        if rates is not None:
            if isinstance(rates, numbers.Integral) and not isinstance(rates, bool):
                values = np.zeros(int(rates), dtype="float32")  # to be filled by load_weights
            else:
                values = np.asarray(rates, dtype="float32")
                if values.ndim != 1 or values.size == 0:
                    raise ValueError(
                        f"rates must be 1-D, one probability per word id "
                        f"(vocab_size,), got shape {values.shape}."
                    )
                if values.min() < 0 or values.max() > 1:
                    raise ValueError(
                        f"rates must be probabilities in [0, 1], got values from "
                        f"{values.min():.3g} to {values.max():.3g}."
                    )
            self.rates = self.add_weight(
                shape=values.shape,
                name="rates",
                trainable=False,
                initializer=keras.initializers.Constant(values),
            )

    @classmethod
    def from_counts(cls, counts: Any, alpha: float = 0.25, **kwargs: Any) -> WordDropout:
        """A WordDropout whose rate for id ``i`` is ``alpha / (alpha + counts[i])``.

        Args:
            counts: how often each id occurs in the training data, ``(vocab_size,)``; ids
                with count 0 (padding, ``<unk>``) are never dropped.
            alpha: the count at which a word is dropped half the time (0.25: a word seen once
                is dropped with probability 0.2, one seen 100 times 0.0025).
            **kwargs: ``unk_id``, ``mask_id``, ``seed``, ``name``...
        """
        import numpy as np

        counts = np.asarray(counts, dtype="float64")
        if counts.ndim != 1 or (counts.size and counts.min() < 0):
            raise ValueError("counts must be a 1-D array of non-negative counts, one per word id.")
        if not alpha > 0:
            raise ValueError(f"alpha must be positive, got {alpha!r}.")
        rates = np.where(counts > 0, alpha / (alpha + np.maximum(counts, 1e-12)), 0.0)
        return cls(rates=rates, **kwargs)

    def call(self, ids: Any, training: bool | None = None) -> Any:
        """``ids`` ``(batch, T)`` integers → the same shape and dtype."""
        if not training or self.rate == 0:
            return ids
        rate = self.rate if self.rates is None else ops.take(self.rates, ids)
        drop = keras.random.uniform(ops.shape(ids), seed=self.seed_generator) < rate
        drop = ops.logical_and(drop, ops.not_equal(ids, self.mask_id))
        return ops.where(drop, ops.cast(self.unk_id, ids.dtype), ids)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, for ``.keras`` saving (per-id rates travel as a weight)."""
        config = super().get_config()
        config.update(
            rate=self.rate,
            unk_id=self.unk_id,
            mask_id=self.mask_id,
            seed=self.seed,
            rates=None if self.rates is None else int(self.rates.shape[0]),
        )
        return config


# --------------------------------------------------------------------------- lesson 08
__all__ += ["BahdanauAttention", "LuongAttention", "AttentionGRUCell"]


def _split_mask(mask: Any) -> tuple[Any, Any]:
    """``mask`` as ``(query_mask, values_mask)``: ``None``, the values' mask alone, or the pair
    Keras hands a layer whose input is ``[query, values]``."""
    if mask is None:
        return None, None
    if isinstance(mask, (list, tuple)):
        if len(mask) != 2:
            raise ValueError(
                f"mask must be the values' mask (batch, T_x), or a pair [query_mask, values_mask]; "
                f"got a list of {len(mask)}."
            )
        return mask[0], mask[1]
    return None, mask


def _check_attention_shapes(name: str, input_shape: Any) -> tuple[tuple, tuple]:
    """``[query_shape, values_shape]``: query (batch, n_s) or (batch, T_y, n_s), values (batch, T_x, n_h)."""
    if (
        not isinstance(input_shape, (list, tuple))
        or len(input_shape) != 2
        or not all(isinstance(s, (list, tuple)) for s in input_shape)
    ):
        raise ValueError(
            f"{name} takes two inputs, [query, values]: the decoder state(s) (batch, n_s) or "
            "(batch, T_y, n_s), and the encoder states (batch, T_x, n_h). Call it as "
            f"{name}(units)([s, hs])."
        )
    q, v = (tuple(s) for s in input_shape)
    if len(q) not in (2, 3) or q[-1] is None:
        raise ValueError(
            f"{name}: the query has shape {q}, expected (batch, n_s) for one output step or "
            "(batch, T_y, n_s) for all of them, with n_s known."
        )
    if len(v) != 3 or v[-1] is None:
        raise ValueError(
            f"{name}: the values have shape {v}, expected (batch, T_x, n_h): every encoder "
            "state (return_sequences=True on the encoder's recurrent layer), with n_h known."
        )
    return q, v


def _softmax(scores: Any) -> Any:
    """Softmax over the last axis (the encoder steps), shifted by the max; also for T_x = 1,
    where ``ops.softmax`` warns (one step rightly gets weight 1)."""
    e = ops.exp(scores - ops.max(scores, axis=-1, keepdims=True))
    return e / ops.sum(e, axis=-1, keepdims=True)


class _Attention(keras.layers.Layer):
    """What both attention layers share: masking, the softmax, the context and the shapes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def _scores(self, query: Any, values: Any) -> Any:  # (batch, T_x) or (batch, T_y, T_x)
        raise NotImplementedError

    def call(self, inputs: Any, mask: Any = None) -> tuple[Any, Any]:
        """``inputs = [query, values]``; ``mask`` = the values' mask ``(batch, T_x)``, or
        ``[query_mask, values_mask]`` (what Keras passes on by itself). Returns
        ``(context, weights)``."""
        query, values = inputs
        _, values_mask = _split_mask(mask)
        scores = self._scores(query, values)
        if values_mask is None:
            weights = _softmax(scores)
        else:
            real = ops.cast(values_mask, "bool")
            if len(query.shape) == 3:
                real = ops.expand_dims(real, 1)  # one mask for every output step
            # A finite stand-in for -inf (no NaN when every step is padding), then exact zeros.
            low = -3.0e4 if keras.backend.standardize_dtype(scores.dtype) == "float16" else -1.0e9
            weights = _softmax(ops.where(real, scores, low))
            weights = ops.where(real, weights, ops.zeros_like(weights))
        if len(query.shape) == 2:
            context = ops.sum(ops.expand_dims(weights, -1) * values, axis=1)  # (batch, n_h)
        else:
            context = ops.matmul(weights, values)  # (batch, T_y, T_x) @ (batch, T_x, n_h)
        return context, weights

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The query's mask (decoder padding) goes on with both outputs; the values' mask is
        used up (a context has no encoder-step axis)."""
        query_mask, _ = _split_mask(mask)
        if query_mask is None:
            return None
        return [query_mask, query_mask]

    def compute_output_shape(self, input_shape: Any) -> tuple[tuple, tuple]:
        q, v = _check_attention_shapes(type(self).__name__, input_shape)
        return q[:-1] + (v[-1],), q[:-1] + (v[1],)


@keras.saving.register_keras_serializable(package="seqkeras")
class BahdanauAttention(_Attention):
    """Additive (Bahdanau) attention: ``e_ij = tanh(s_{i-1} @ W + h_j @ U) @ v``.

    Given the decoder's state(s) and the encoder's states, it returns for each output step
    a context ``c_i = Σ_j α_ij h_j`` and its weights ``α_i = softmax_j(e_ij)``, with the
    encoder's padded steps removed before the softmax. It computes exactly
    :func:`seqkeras.reference.additive_attention` (same weight names and layouts)::

        context, alpha = BahdanauAttention(units)([s, hs], mask=hs_mask)
        # s (batch, n_s) -> context (batch, n_h), alpha (batch, T_x)
        # s (batch, T_y, n_s) -> context (batch, T_y, n_h), alpha (batch, T_y, T_x)

    Masking: ``mask`` is the encoder's mask ``(batch, T_x)`` (True at real steps), or the
    pair ``[query_mask, values_mask]``; in a functional model Keras passes the masks of its
    inputs on by itself (``Embedding(mask_zero=True)`` → encoder with
    ``return_sequences=True``). Padded steps get weight exactly 0 and the others sum to 1.
    A row with no real step gets weights all 0 and a context of 0 (not NaN): the contract of
    :func:`seqkeras.reference.attention_weights`. The query's mask is not used in the
    computation; it is passed on as the mask of both outputs, so a loss over the decoder's
    steps still ignores its padding.

    **How it differs from** ``keras.layers.AdditiveAttention`` (a test checks each point):

    - ``AdditiveAttention`` has no projections: its scores are
      ``sum(scale * tanh(query + key), axis=-1)`` with a learned vector ``scale`` (our
      ``v``; ``use_scale=False`` means ``v`` = ones). Given projected inputs it computes the
      same thing: ``AdditiveAttention()([s @ W, hs, hs @ U])`` (query, value, key) with
      ``scale = v`` returns our context, and our weights with
      ``return_attention_scores=True``, to float precision.
    - Its query must be a sequence ``(batch, T_q, dim)``; for one step use ``s[:, None]``.
    - It removes padded steps by subtracting 1e9 from their scores: their weights are 0 too,
      but a row whose every step is padding gets equal weights ``1/T_x`` on the padding (ours:
      all 0, context 0).
    - It sets the output to 0 at padded query steps (ours leaves the context there and passes
      the mask on); it can drop weights (``dropout``) and mask the future
      (``use_causal_mask``), which an encoder–decoder's attention does not need.

    Args:
        units: ``n_a``, the number of attention units (the size of the ``tanh`` layer), a
            positive int.
        **kwargs: passed to ``keras.layers.Layer`` (``name``, ``dtype``, ...).

    Weights (``layer.W``, ``layer.U``, ``layer.v``): ``W`` ``(n_s, units)``, ``U``
    ``(n_h, units)``, ``v`` ``(units,)``; no biases, as in the equation.
    """

    def __init__(self, units: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, numbers.Integral) or units <= 0:
            raise ValueError(
                f"units must be a positive integer (the number of attention units n_a), got "
                f"{units!r}. Pass e.g. BahdanauAttention(32)."
            )
        self.units = int(units)

    def build(self, input_shape: Any) -> None:
        """``input_shape = [query_shape, values_shape]``."""
        q, v = _check_attention_shapes("BahdanauAttention", input_shape)
        self.W = self.add_weight(shape=(q[-1], self.units), initializer="glorot_uniform", name="W")
        self.U = self.add_weight(shape=(v[-1], self.units), initializer="glorot_uniform", name="U")
        self.v = self.add_weight(shape=(self.units,), initializer="glorot_uniform", name="v")
        super().build(input_shape)

    def _scores(self, query: Any, values: Any) -> Any:
        keys = ops.matmul(values, self.U)  # (batch, T_x, units)
        q = ops.matmul(query, self.W)  # (batch, units) or (batch, T_y, units)
        if len(query.shape) == 2:
            return ops.sum(ops.tanh(ops.expand_dims(q, 1) + keys) * self.v, axis=-1)
        return ops.sum(ops.tanh(ops.expand_dims(q, 2) + ops.expand_dims(keys, 1)) * self.v, axis=-1)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, for ``.keras`` saving."""
        config = super().get_config()
        config.update(units=self.units)
        return config


@keras.saving.register_keras_serializable(package="seqkeras")
class LuongAttention(_Attention):
    """Multiplicative (Luong) attention: ``e_ij = s_i · h_j`` ("dot") or ``s_i @ W_a @ h_jᵀ``
    ("general"); the rest (masking, softmax, context, shapes) as :class:`BahdanauAttention`.

    It computes :func:`seqkeras.reference.luong_attention`. "dot" has no weights and needs
    ``n_s = n_h``; "general" learns ``W_a`` ``(n_s, n_h)`` (``layer.W_a``). In Luong's
    decoder the query is the *current* state ``s_i``, where Bahdanau's is ``s_{i-1}``.

    Args:
        score: ``"dot"`` or ``"general"``.
        **kwargs: passed to ``keras.layers.Layer``.
    """

    def __init__(self, score: str = "general", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if score not in ("dot", "general"):
            raise ValueError(f"score must be 'dot' or 'general', got {score!r}.")
        self.score = score

    def build(self, input_shape: Any) -> None:
        q, v = _check_attention_shapes("LuongAttention", input_shape)
        if self.score == "dot" and q[-1] != v[-1]:
            raise ValueError(
                f"LuongAttention(score='dot') needs query and values of one size, got n_s = "
                f"{q[-1]} and n_h = {v[-1]}: use score='general' (a learned W_a) instead."
            )
        self.W_a = None
        if self.score == "general":
            self.W_a = self.add_weight(shape=(q[-1], v[-1]), initializer="glorot_uniform", name="W_a")
        super().build(input_shape)

    def _scores(self, query: Any, values: Any) -> Any:
        if self.W_a is not None:
            query = ops.matmul(query, self.W_a)
        if len(query.shape) == 2:
            return ops.sum(ops.expand_dims(query, 1) * values, axis=-1)
        return ops.matmul(query, ops.transpose(values, (0, 2, 1)))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(score=self.score)
        return config


def _check_positive_int(owner: str, name: str, value: Any, meaning: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{owner}: {name} must be a positive integer ({meaning}), got {value!r}.")
    return int(value)


@keras.saving.register_keras_serializable(package="seqkeras")
class AttentionGRUCell(keras.layers.Layer):
    """One step of Bahdanau's decoder, as a cell for ``keras.layers.RNN``.

    At output step ``i`` it attends with the *previous* state ``s_{i-1}``, then runs a GRU
    step on the embedded previous token and the context::

        c_i, α_i = BahdanauAttention(attention_units)([s_{i-1}, H], mask=real)
        s_i      = GRUCell(units)([E'[y_{i-1}] ; c_i], s_{i-1})
        output   = [s_i ; c_i]                                     # (B, 2 * units)

    **States contract.** The cell's states are ``[s, H, real]``:

    - ``s`` ``(B, n_s)``, ``n_s = units``: the decoder state, the only one that changes;
    - ``H`` ``(B, T_x, n_h)``, ``n_h = units``: every encoder state, carried unchanged;
    - ``real`` ``(B, T_x)`` float, 1.0 at real source steps and 0.0 at padding, carried
      unchanged (a float, so that it can ride as an RNN state).

    ``H`` and ``real`` travel as states because a cell sees only its inputs and states, and
    attention needs them at every step. Pass all three as ``initial_state`` of
    ``keras.layers.RNN(cell, return_sequences=True, return_state=True)``;
    :meth:`seqkeras.seq2seq.AttentionSeq2Seq.encode` returns exactly this list. The
    ``state_size`` is ``[units, 1, 1]``: the last two are placeholders, read by Keras only to
    build zero states, which this cell never uses (always give an initial state).

    Args:
        units: ``n_s``, the size of the decoder state, which must equal ``n_h``, the size of
            each encoder state (a bidirectional encoder of ``units // 2`` per direction).
        attention_units: ``n_a``, the width of the attention's ``tanh`` layer.
        **kwargs: passed to ``keras.layers.Layer`` (``name``, ``dtype``, ...).

    Input ``(B, d_e)`` (the embedded previous token); output ``(B, 2 * units)``.
    Sub-layers: ``cell.attention`` (:class:`BahdanauAttention`, weights ``W (n_s, n_a)``,
    ``U (n_h, n_a)``, ``v (n_a,)``), then ``cell.gru`` (``keras.layers.GRUCell(units)``,
    input ``d_e + n_h``).
    """

    def __init__(self, units: int, attention_units: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.units = _check_positive_int(
            "AttentionGRUCell", "units", units, "n_s, the size of the decoder state = n_h"
        )
        self.attention_units = _check_positive_int(
            "AttentionGRUCell", "attention_units", attention_units, "n_a, the width of the tanh layer"
        )
        self.attention = BahdanauAttention(self.attention_units)
        self.gru = keras.layers.GRUCell(self.units)
        self.state_size = [self.units, 1, 1]  # s; H and real are placeholders (never zero-initialised)
        self.output_size = 2 * self.units

    def build(self, input_shape: Any) -> None:
        """``input_shape`` = ``(B, d_e)``; the encoder states are ``(B, T_x, n_h = units)``."""
        self.attention.build([(None, self.units), (None, None, self.units)])
        self.gru.build((None, input_shape[-1] + self.units))
        super().build(input_shape)

    def attend(self, s_prev: Any, hs: Any, real: Any) -> tuple[Any, Any]:
        """The attention of one step: ``s_prev`` ``(B, n_s)``, ``hs`` ``(B, T_x, n_h)``,
        ``real`` ``(B, T_x)`` → context ``c_i`` ``(B, n_h)``, weights ``α_i`` ``(B, T_x)``
        (0 at padded steps, the rest summing to 1)."""
        if hs.shape[-1] is not None and hs.shape[-1] != self.units:
            raise ValueError(
                f"AttentionGRUCell(units={self.units}) needs encoder states of size n_h = "
                f"units = {self.units}, got H of shape {tuple(hs.shape)}: give the encoder "
                f"{self.units} units in all (a bidirectional layer of {self.units // 2} per "
                "direction), or the cell as many units as the encoder states."
            )
        return self.attention([s_prev, hs], mask=ops.cast(real, "bool"))

    def call(self, inputs: Any, states: Any, training: bool | None = None) -> tuple[Any, list[Any]]:
        """``inputs`` ``(B, d_e)``, ``states = [s_{i-1}, H, real]`` → ``([s_i ; c_i]`` ``(B, 2 *
        units)``, ``[s_i, H, real])``."""
        if not isinstance(states, (list, tuple)) or len(states) != 3:
            raise ValueError(
                "AttentionGRUCell's states are [s, H, real] (decoder state, encoder states, "
                "1.0/0.0 mask of real source steps); pass all three as initial_state, e.g. "
                "the list AttentionSeq2Seq.encode(source_ids) returns."
            )
        s_prev, hs, real = states
        c, _ = self.attend(s_prev, hs, real)
        s, _ = self.gru(ops.concatenate([inputs, c], axis=-1), [s_prev], training=training)
        return ops.concatenate([s, c], axis=-1), [s, hs, real]

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, for ``.keras`` saving."""
        config = super().get_config()
        config.update(units=self.units, attention_units=self.attention_units)
        return config


# --------------------------------------------------------------------------- lesson 01
__all__ += ["SerialDenseRNNCell"]


@keras.saving.register_keras_serializable(package="seqkeras")
class SerialDenseRNNCell(keras.layers.Layer):
    """The source articles' "vanilla RNN" cell: two dense layers in series, the state added between.

    One step computes::

        h_t = tanh((h_{t-1} + relu(x_t @ W_in + b_in)) @ W_h + b_h)

    - ``input_dense`` (a ``Dense(units)``) reads the input: kernel ``W_in`` ``(n_in, units)``
      and bias ``b_in`` ``(units,)``, followed by ``input_activation`` (relu);
    - the previous state ``h_{t-1}`` ``(batch, units)`` is *added* to that output;
    - ``hidden_dense`` (a ``Dense(units)``) reads the sum: kernel ``W_h`` ``(units, units)``
      and bias ``b_h`` ``(units,)``, followed by ``activation`` (tanh).

    This is the cell of fastai's ``CharLoopModel`` that one of the source articles
    ("Unmasking a vanilla RNN") draws. It is **not** ``keras.layers.SimpleRNN``: expanding
    the product gives ``h_{t-1} @ W_h + relu(x_t @ W_in + b_in) @ W_h + b_h``, so the
    recurrent weights are ``W_h`` (as SimpleRNN's ``W``) but the input reaches the state
    through a small relu network, not through one matrix ``U``; and that network's output
    layer is tied to the recurrent weights. With ``input_activation="linear"`` it *is* a
    SimpleRNN, with ``U = W_in @ W_h``, ``W = W_h`` and ``b = b_in @ W_h + b_h``.

    It has ``n_in * units + units**2 + 2 * units`` weights: one bias vector (``units``) more
    than a SimpleRNN of the same width.

    Use it like any cell::

        layer = keras.layers.RNN(SerialDenseRNNCell(8), return_sequences=True)
        hs = layer(x)                                  # x (batch, T, n_in) -> (batch, T, 8)

    Args:
        units: the size of the hidden state h_t, a positive int.
        activation: the nonlinearity after ``hidden_dense`` (default ``"tanh"``).
        input_activation: the nonlinearity after ``input_dense`` (default ``"relu"``).
        **kwargs: passed to ``keras.layers.Layer`` (``name``, ``dtype``, ...).

    Raises:
        ValueError: if ``units`` is not a positive integer.
    """

    def __init__(
        self, units: int, activation: Any = "tanh", input_activation: Any = "relu", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, numbers.Integral) or units <= 0:
            raise ValueError(
                f"units must be a positive integer (the size of the hidden state "
                f"h_t), got {units!r}. Pass e.g. SerialDenseRNNCell(8)."
            )
        self.units = int(units)
        self.activation = keras.activations.get(activation)
        self.input_activation = keras.activations.get(input_activation)
        self.state_size = self.units
        self.output_size = self.units
        self.input_dense = keras.layers.Dense(self.units, name="input_dense")
        self.hidden_dense = keras.layers.Dense(self.units, name="hidden_dense")

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        """Create the weights: ``input_shape`` is one step's input, ``(batch, n_in)``."""
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                f"SerialDenseRNNCell expects one step of input of shape (batch, n_in), got "
                f"{tuple(input_shape)}. Wrap the cell in keras.layers.RNN(...) to run "
                "it over inputs of shape (batch, T, n_in)."
            )
        self.input_dense.build(tuple(input_shape))
        self.hidden_dense.build((input_shape[0], self.units))  # it reads h_{t-1} + relu(...)
        super().build(input_shape)

    def call(self, inputs: Any, states: Any, training: bool | None = None) -> tuple[Any, list[Any]]:
        """One step: ``inputs`` ``(batch, n_in)``, ``states`` ``[h_prev (batch, units)]``.

        Returns:
            ``(h_t, [h_t])``: the output of the step and the state handed to the next step.
        """
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        features = self.input_activation(self.input_dense(inputs))
        h = self.activation(self.hidden_dense(ops.add(h_prev, features)))
        return h, [h]

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, for ``.keras`` saving."""
        config = super().get_config()
        config.update(
            units=self.units,
            activation=keras.activations.serialize(self.activation),
            input_activation=keras.activations.serialize(self.input_activation),
        )
        return config
