"""`LSTMCell` and `LSTM`: long short-term memory (Hochreiter & Schmidhuber 1997; forget
gate: Gers, Schmidhuber & Cummins 2000), with Keras' weights and defaults."""

from __future__ import annotations

import numpy as np

from dlpath import activations
from dlpath.engine import ops
from dlpath.engine.recurrent import lstm_sequence
from dlpath.layers.recurrent.rnn import RNN, DropoutRNNCell

CELL_ARGUMENTS = (
    "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "seed",
)


class LSTMCell(DropoutRNNCell):
    """One LSTM step. Weights (Keras' layout, gates i, f, c, o side by side in columns):
    ``kernel`` (input_dim, 4 units), ``recurrent_kernel`` (units, 4 units), ``bias``
    (4 units,), the forget part initialised to 1 when ``unit_forget_bias``
    (Jozefowicz et al. 2015).

        [a_i, a_f, a_c, a_o] = x_t W + h_{t-1} R + b
        i, f, o = recurrent_activation(a_i, a_f, a_o),  g = activation(a_c)
        c_t = f c_{t-1} + i g,   h_t = o activation(c_t);   output h_t, states [h_t, c_t]
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        kwargs.pop("implementation", None)  # tf.keras' kernel choice: one here
        super().__init__(units, dropout, recurrent_dropout, seed, **kwargs)
        self.configure_weights(use_bias, kernel_initializer, recurrent_initializer,
                               bias_initializer, kernel_regularizer,
                               recurrent_regularizer, bias_regularizer,
                               kernel_constraint, recurrent_constraint,
                               bias_constraint)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [self.units, self.units]

    def build(self, input_shape):
        u = self.units
        self.kernel = self.add_weight("kernel", (input_shape[-1], 4 * u),
                                      self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (u, 4 * u),
                                                self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer)
        self.bias = None
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                def init(shape, dtype="float32"):  # [b_i, 1, b_c, b_o]
                    part = self.bias_initializer
                    return np.concatenate([part((u,), dtype), np.ones(u, dtype),
                                           part((2 * u,), dtype)])
            self.bias = self.add_weight("bias", (4 * u,), init,
                                        regularizer=self.bias_regularizer)

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states
        inputs = self.dropped_inputs(inputs, training)
        z = ops.matmul(inputs, self.kernel) + ops.matmul(
            self.dropped_state(h_tm1, training), self.recurrent_kernel)  # (B, 4U)
        if self.bias is not None:
            z = z + self.bias
        u = self.units
        i = self.recurrent_activation(z[:, :u])
        f = self.recurrent_activation(z[:, u:2 * u])
        g = self.activation(z[:, 2 * u:3 * u])
        o = self.recurrent_activation(z[:, 3 * u:])
        c = f * c_tm1 + i * g
        h = o * self.activation(c)
        return h, [h, c]

    def supports_fused(self, training) -> bool:
        return (super().supports_fused(training) and self.activation is activations.tanh
                and self.recurrent_activation is activations.sigmoid)

    def fused_sequence(self, inputs, states, mask, go_backwards, return_sequences):
        """States (B, T, 2, U), or the final (B, 2, U), from `engine.recurrent.LSTMSequence`."""
        return lstm_sequence(inputs, self.kernel, self.recurrent_kernel, self.bias, *states,
                             mask=mask, go_backwards=go_backwards,
                             return_sequences=return_sequences)

    def get_config(self):
        return {**super().get_config(),
                "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias, **self.weights_config()}


class LSTM(RNN):
    """The LSTM layer: `RNN` over an `LSTMCell` (arguments of both, Keras' defaults).

    >>> LSTM(64)(x)                                  # (batch, 64): the last output
    >>> LSTM(64, return_sequences=True)(x)           # (batch, time, 64)
    >>> out, h, c = LSTM(64, return_state=True)(x)   # and the final states
    """

    cell_arguments = ("units",) + CELL_ARGUMENTS

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 **kwargs):
        kwargs.pop("implementation", None)
        kwargs.pop("use_cudnn", None)
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="lstm_cell",
            owner=type(self).__name__)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
