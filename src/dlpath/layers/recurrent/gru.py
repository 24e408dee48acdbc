"""`GRUCell` and `GRU`: the gated recurrent unit (Cho et al. 2014), with Keras' weights and
defaults (``reset_after=True``, what cuDNN and PyTorch compute)."""

from __future__ import annotations

from dlpath import activations
from dlpath.engine import ops
from dlpath.engine.recurrent import gru_sequence
from dlpath.layers.recurrent.rnn import RNN, DropoutRNNCell

CELL_ARGUMENTS = (
    "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "seed", "reset_after",
)


class GRUCell(DropoutRNNCell):
    """One GRU step. Weights (Keras' layout, gates z, r, h side by side in columns):
    ``kernel`` (input_dim, 3 units), ``recurrent_kernel`` (units, 3 units), ``bias``
    (2, 3 units) = [input bias; recurrent bias] with ``reset_after``, else (3 units,).

        [x_z, x_r, x_h] = x_t W + b_x,   [h_z, h_r, h_h] = h_{t-1} R (+ b_h)
        z = recurrent_activation(x_z + h_z),  r = recurrent_activation(x_r + h_r)
        n = activation(x_h + r h_h)                     (reset_after=True)
        n = activation(x_h + (r h_{t-1}) R_h)           (reset_after=False)
        h_t = z h_{t-1} + (1 - z) n;   output h_t, states [h_t]
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, reset_after=True, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(units, dropout, recurrent_dropout, seed, **kwargs)
        self.configure_weights(use_bias, kernel_initializer, recurrent_initializer,
                               bias_initializer, kernel_regularizer,
                               recurrent_regularizer, bias_regularizer,
                               kernel_constraint, recurrent_constraint,
                               bias_constraint)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)
        self.state_size = [self.units]

    def build(self, input_shape):
        u = self.units
        self.kernel = self.add_weight("kernel", (input_shape[-1], 3 * u),
                                      self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (u, 3 * u),
                                                self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer)
        shape = (2, 3 * u) if self.reset_after else (3 * u,)
        self.bias = (self.add_weight("bias", shape, self.bias_initializer,
                                     regularizer=self.bias_regularizer)
                     if self.use_bias else None)

    def call(self, inputs, states, training=False):
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states
        u = self.units
        x = ops.matmul(self.dropped_inputs(inputs, training), self.kernel)  # (B, 3U)
        h_dropped = self.dropped_state(h_tm1, training)
        if self.bias is not None:
            x = x + (self.bias[0] if self.reset_after else self.bias)
        if self.reset_after:
            rec = ops.matmul(h_dropped, self.recurrent_kernel)  # (B, 3U)
            if self.bias is not None:
                rec = rec + self.bias[1]
        else:
            rec = ops.matmul(h_dropped, self.recurrent_kernel[:, :2 * u])  # (B, 2U)
        z = self.recurrent_activation(x[:, :u] + rec[:, :u])
        r = self.recurrent_activation(x[:, u:2 * u] + rec[:, u:2 * u])
        if self.reset_after:
            n = self.activation(x[:, 2 * u:] + r * rec[:, 2 * u:])
        else:
            n = self.activation(x[:, 2 * u:] + ops.matmul(r * h_dropped,
                                                          self.recurrent_kernel[:, 2 * u:]))
        h = z * h_tm1 + (1 - z) * n
        return h, [h]

    def supports_fused(self, training) -> bool:
        return (super().supports_fused(training) and self.activation is activations.tanh
                and self.recurrent_activation is activations.sigmoid)

    def fused_sequence(self, inputs, states, mask, go_backwards, return_sequences):
        """States (B, T, 1, U), or the final (B, 1, U), from `engine.recurrent.GRUSequence`."""
        return gru_sequence(inputs, self.kernel, self.recurrent_kernel, self.bias, states[0],
                            mask=mask, go_backwards=go_backwards, reset_after=self.reset_after,
                            return_sequences=return_sequences)

    def get_config(self):
        return {**super().get_config(),
                "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                **self.weights_config(), "reset_after": self.reset_after}


class GRU(RNN):
    """The GRU layer: `RNN` over a `GRUCell` (arguments of both, Keras' defaults).

    >>> GRU(32)(x)                                # (batch, 32)
    >>> out, h = GRU(32, return_state=True)(x)
    """

    cell_arguments = ("units",) + CELL_ARGUMENTS

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, reset_after=True, **kwargs):
        kwargs.pop("implementation", None)
        kwargs.pop("use_cudnn", None)
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            reset_after=reset_after, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name="gru_cell",
            owner=type(self).__name__)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
