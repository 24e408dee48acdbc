"""`ConvLSTMCell` and `ConvLSTM`: an LSTM whose products are convolutions (Shi et al.
2015, "Convolutional LSTM Network: A Machine Learning Approach for Precipitation
Nowcasting"), on (batch, time, *spatial, channels) sequences of 1-, 2- or 3-D images;
`ConvLSTM2DCell` and `ConvLSTM2D` are the rank-2 ones (ConvLSTM1D/3D live in
`dlpath.layers.conv_lstm_nd`).

The cell is driven by the one time loop of `RNN` (go_backwards, return_sequences,
return_state); `ConvLSTM` only adds what images change: rank ``rank + 3`` inputs, states
of shape (batch, *spatial', filters) and the output shapes. Masks are refused (a
(batch, time) mask cannot select the rows of image states in that loop).
"""

from __future__ import annotations

import numpy as np

from dlpath import activations
from dlpath.engine import Tensor, conv, conv3d
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec
from dlpath.layers.recurrent.rnn import RNN, DropoutRNNCell

CELL_ARGUMENTS = (
    "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
    "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "seed",
)


_CONVOLUTIONS = {1: conv.conv1d, 2: conv.conv2d, 3: conv3d.conv3d}
_INPUTS = {1: "(batch, time, steps, channels)", 2: "(batch, time, height, width, channels)",
           3: "(batch, time, depth, height, width, channels)"}


class ConvLSTMCell(DropoutRNNCell):
    """One ConvLSTM step on a ``rank``-D image x_t (batch, *spatial, C) (a subclass sets
    ``rank``). Weights (Keras' layout, gates i, f, c, o side by side on the last axis):
    ``kernel`` (*k, C, 4 filters), ``recurrent_kernel`` (*k, filters, 4 filters), ``bias``
    (4 filters,), the forget part initialised to 1 when ``unit_forget_bias``.

        [a_i, a_f, a_c, a_o] = conv(x_t, W; strides, padding, dilation)
                               + conv(h_{t-1}, R; stride 1, 'same') + b
        i, f, o = recurrent_activation(a_i, a_f, a_o),  g = activation(a_c)
        c_t = f c_{t-1} + i g,   h_t = o activation(c_t);   output h_t, states [h_t, c_t]

    Dropout masks have the shape of the image they multiply, drawn once per sequence.
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 owner=None, **kwargs):
        owner = owner or type(self).__name__
        filters = arguments.positive_int(filters, "filters", owner)
        super().__init__(filters, dropout, recurrent_dropout, seed, owner=owner, **kwargs)
        self.filters = self.units
        self.kernel_size = arguments.int_tuple(kernel_size, self.rank, "kernel_size", owner)
        self.strides = arguments.int_tuple(strides, self.rank, "strides", owner)
        self.padding = arguments.choice(padding, "padding", owner, ("valid", "same"))
        self.data_format = arguments.data_format(data_format, owner)
        self.dilation_rate = arguments.int_tuple(dilation_rate, self.rank, "dilation_rate",
                                                 owner)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{owner}: strides > 1 are not supported together with "
                             f"dilation_rate > 1, got strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.configure_weights(use_bias, kernel_initializer, recurrent_initializer,
                               bias_initializer, kernel_regularizer, recurrent_regularizer,
                               bias_regularizer, kernel_constraint, recurrent_constraint,
                               bias_constraint)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [self.filters, self.filters]

    def build(self, input_shape):
        f, channels = self.filters, input_shape[-1]
        self.kernel = self.add_weight("kernel", self.kernel_size + (channels, 4 * f),
                                      self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.recurrent_kernel = self.add_weight("recurrent_kernel",
                                                self.kernel_size + (f, 4 * f),
                                                self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer)
        self.bias = None
        if self.use_bias:
            def forget_gate_ones(shape, dtype="float32"):  # [b_i, 1, b_c, b_o]
                part = self.bias_initializer
                return np.concatenate([part((f,), dtype), np.ones(f, dtype),
                                       part((2 * f,), dtype)])

            init = forget_gate_ones if self.unit_forget_bias else self.bias_initializer
            self.bias = self.add_weight("bias", (4 * f,), init,
                                        regularizer=self.bias_regularizer)

    def state_shape(self, image_shape) -> tuple:
        """(*spatial', filters) of the states for input images (*spatial, C)."""
        spatial = tuple(image_shape[:self.rank])
        pads = (((0, 0),) * self.rank if self.padding == "valid" else
                conv.conv_pads(spatial, self.kernel_size, self.strides,
                               self.dilation_rate, self.padding))
        spatial = tuple(conv.output_size(n, k, s, d, *p) for n, k, s, d, p in
                        zip(spatial, self.kernel_size, self.strides,
                            self.dilation_rate, pads))
        return spatial + (self.filters,)

    def get_dropout_mask(self, step_input):
        """The input mask, one value per pixel and channel, drawn once per sequence."""
        if self._dropout_mask is None:
            self._dropout_mask = self._mask(step_input.shape, self.dropout)
        return self._dropout_mask

    def supports_fused(self, training) -> bool:
        """No fused whole-sequence op: `RNN` runs the step loop over `call`."""
        return False

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states  # each (B, *S', F)
        x = self.dropped_inputs(inputs, training)
        h = self.dropped_state(h_tm1, training)
        convolve = _CONVOLUTIONS[self.rank]
        z = convolve(x, self.kernel, self.bias, self.strides, self.padding,
                     self.dilation_rate)  # (B, *S', 4F)
        z = z + convolve(h, self.recurrent_kernel, None, 1, "same")
        f = self.filters
        i = self.recurrent_activation(z[..., :f])
        forget = self.recurrent_activation(z[..., f:2 * f])
        g = self.activation(z[..., 2 * f:3 * f])
        o = self.recurrent_activation(z[..., 3 * f:])
        c = forget * c_tm1 + i * g
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config.pop("units")
        return {**config, "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias, **self.weights_config()}


class ConvLSTM2DCell(ConvLSTMCell):
    """The ConvLSTM step on (batch, H, W, C) images (see `ConvLSTMCell`)."""

    rank = 2


class ConvLSTM(RNN):
    """A ConvLSTM layer: `RNN` over a `ConvLSTMCell` of ``rank`` (Keras' arguments and
    defaults); a subclass sets ``rank`` and ``cell_class``.

    Inputs (batch, time, *spatial, C); output (batch, *spatial', filters), or
    (batch, time, *spatial', filters) with ``return_sequences``; with ``return_state`` also
    the final h and c. ``initial_state``: [h_0, c_0], each (batch, *spatial', filters).
    ``stateful=True`` is not supported (pass the final states back as ``initial_state``).
    """

    cell_arguments = CELL_ARGUMENTS
    rank = 2
    cell_class = ConvLSTMCell

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, **kwargs):
        kind = type(self).__name__
        if stateful:
            raise NotImplementedError(
                f"{kind}(stateful=True) is not supported: pass the final states of one "
                "batch (return_state=True) as initial_state=... of the next")
        cell = self.cell_class(
            filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name=f"conv_lstm{self.rank}d_cell", owner=kind)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, activity_regularizer=activity_regularizer,
                         **kwargs)
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the channel "
                             f"axis of the input must be known, got shape "
                             f"{tuple(input_shape)}")
        if not self.cell.built:
            self.cell.build((input_shape[0],) + tuple(input_shape[2:]))
            self.cell.built = True
            for variable in self.cell.weights:
                variable.name = f"{self.name}/{variable.name}"
        self.input_spec = InputSpec(ndim=self.rank + 3, axes={-1: channels})

    def _state_shapes(self, inputs) -> list:
        batch = inputs.shape[0]
        return [(batch,) + self.cell.state_shape(inputs.shape[2:])] * 2

    def _initial_state(self, inputs, initial_state) -> list:
        expected = self._state_shapes(inputs)
        if initial_state is None:
            return [Tensor(np.zeros(shape), dtype=self.dtype) for shape in expected]
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        shapes = [tuple(np.shape(s.data if isinstance(s, Tensor) else s))
                  for s in initial_state]
        if shapes != expected:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): "
                             f"initial_state must be 2 tensors (h and c) of shapes "
                             f"{expected}, got shapes {shapes}")
        return [s if isinstance(s, Tensor) and s.dtype == self.dtype
                else self._to_tensor(s) for s in initial_state]

    def _step_mask(self, inputs, mask):
        mask = super()._step_mask(inputs, mask)
        if mask is not None:
            raise NotImplementedError(f"Layer '{self.name}' ({type(self).__name__}): masks "
                                      f"that leave out time steps are not supported")
        return None

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        if None in tuple(input_shape[2:2 + self.rank]):
            state = (None,) * self.rank + (self.cell.filters,)
        else:
            state = self.cell.state_shape(tuple(input_shape[2:]))
        output = (batch, steps) + state if self.return_sequences else (batch,) + state
        if self.return_state:
            return [output, (batch,) + state, (batch,) + state]
        return output

    def _expected_shape_hint(self) -> str:
        return f" (inputs must be {_INPUTS[self.rank]})"


class ConvLSTM2D(ConvLSTM):
    """The ConvLSTM2D layer (see `ConvLSTM`): inputs (batch, time, H, W, C), output
    (batch, H', W', filters) or (batch, time, H', W', filters)."""

    rank = 2
    cell_class = ConvLSTM2DCell
