"""Custom Keras cells and layers, written with ``keras.ops`` so they run on any backend.

- :class:`DenseRNNCell`: a vanilla RNN cell built from two ``Dense`` layers plus a
  recurrent connection. Wrap it in ``keras.layers.RNN`` to run it over a sequence; it
  computes exactly what ``keras.layers.SimpleRNN`` computes.

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
            raise ValueError(f"units must be a positive integer (the size of the hidden state "
                             f"h_t), got {units!r}. Pass e.g. DenseRNNCell(8).")
        self.units = int(units)
        self.activation = keras.activations.get(activation)
        self.state_size = self.units
        self.output_size = self.units
        self.input_dense = keras.layers.Dense(self.units, use_bias=True, name="input_dense")
        self.recurrent_dense = keras.layers.Dense(self.units, use_bias=False, name="recurrent_dense")

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        """Create the weights: ``input_shape`` is one step's input, ``(batch, n_in)``."""
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(f"DenseRNNCell expects one step of input of shape (batch, n_in), got "
                             f"{tuple(input_shape)}. Wrap the cell in keras.layers.RNN(...) to run "
                             "it over inputs of shape (batch, T, n_in).")
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
