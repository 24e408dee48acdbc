"""`SimpleRNNCell` and `SimpleRNN`: the fully connected recurrent layer (Elman 1990)."""

from __future__ import annotations

from dlpath import activations
from dlpath.engine import ops
from dlpath.engine.recurrent import simple_rnn_sequence
from dlpath.layers.recurrent.rnn import RNN, DropoutRNNCell

CELL_ARGUMENTS = (
    "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
    "recurrent_dropout", "seed",
)


class SimpleRNNCell(DropoutRNNCell):
    """One step h_t = activation(x_t W + b + h_{t-1} R); output h_t, states [h_t].

    Weights: ``kernel`` (input_dim, units), ``recurrent_kernel`` (units, units),
    ``bias`` (units,).
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(units, dropout, recurrent_dropout, seed, **kwargs)
        self.configure_weights(use_bias, kernel_initializer, recurrent_initializer,
                               bias_initializer, kernel_regularizer,
                               recurrent_regularizer, bias_regularizer,
                               kernel_constraint, recurrent_constraint,
                               bias_constraint)
        self.activation = activations.get(activation)
        self.state_size = [self.units]

    def build(self, input_shape):
        u = self.units
        self.kernel = self.add_weight("kernel", (input_shape[-1], u), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (u, u),
                                                self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer)
        self.bias = (self.add_weight("bias", (u,), self.bias_initializer,
                                     regularizer=self.bias_regularizer)
                     if self.use_bias else None)

    def call(self, inputs, states, training=False):
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states
        a = ops.matmul(self.dropped_inputs(inputs, training), self.kernel)  # (B, U)
        if self.bias is not None:
            a = a + self.bias
        a = a + ops.matmul(self.dropped_state(h_tm1, training), self.recurrent_kernel)
        h = self.activation(a)
        return h, [h]

    def supports_fused(self, training) -> bool:
        return super().supports_fused(training) and self.activation is activations.tanh

    def fused_sequence(self, inputs, states, mask, go_backwards, return_sequences):
        """States (B, T, 1, U), or the final (B, 1, U), from `SimpleRNNSequence`."""
        return simple_rnn_sequence(inputs, self.kernel, self.recurrent_kernel, self.bias,
                                   states[0], mask=mask, go_backwards=go_backwards,
                                   return_sequences=return_sequences)

    def get_config(self):
        return {**super().get_config(),
                "activation": activations.serialize(self.activation),
                **self.weights_config()}


class SimpleRNN(RNN):
    """The fully connected RNN layer: `RNN` over a `SimpleRNNCell` (Keras' defaults)."""

    cell_arguments = ("units",) + CELL_ARGUMENTS

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
            owner=type(self).__name__)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
