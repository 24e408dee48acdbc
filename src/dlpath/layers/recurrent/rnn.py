"""`RNN`: the one time loop of every recurrent layer, and `DropoutRNNCell`, the cells' base.

A cell computes one step, ``output, new_states = cell(x_t, states)``; `RNN` runs it over the
time axis of a (batch, time, features) sequence. The built-in cells (SimpleRNNCell,
LSTMCell, GRUCell) also have a fused whole-sequence op in `dlpath.engine.recurrent`, and
`RNN` uses it whenever the cell supports the configuration (`RNN._uses_fused_op`, the one
place that chooses); the step loop over the cell is the readable reference and handles
everything else (recurrent dropout while training, other activations, custom cells).

Keras semantics:

- ``go_backwards``: the sequence is processed from the last step to the first, and with
  ``return_sequences`` the outputs come back in that (reversed) order;
- masks (from ``Embedding(mask_zero=True)`` or ``mask=``, shape (batch, time), True = a
  real step): on a masked step a sample keeps its states and repeats its previous output
  (``zero_output_for_mask=True`` outputs zeros there instead, with ``return_sequences``);
- ``return_state``: ``[output, *final_states]`` (LSTM: h and c; GRU, SimpleRNN: h);
- ``stateful``: the final states of one batch are the initial states of the next (sample
  i of a batch continues sample i of the previous one), so the batch size is fixed: from
  ``keras.Input(batch_size=...)`` / ``batch_shape``, or ``batch_input_shape=`` /
  ``batch_size=`` on the layer. No gradient flows from one batch into the previous one
  (truncated backpropagation through time). ``reset_states()`` sets the states to zero.
"""

from __future__ import annotations

import numpy as np

from dlpath import constraints, initializers, regularizers
from dlpath.engine import Tensor, ops
from dlpath.layers import arguments
from dlpath.layers.input_layer import is_tracing, traced_batch_size
from dlpath.layers.layer import InputSpec, Layer
from dlpath.random import generator


def serialize_layer(layer: Layer) -> dict:
    """``{"class_name": ..., "config": ...}`` of a layer or cell."""
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize_layer(config: dict, custom_objects: dict | None = None) -> Layer:
    """Rebuild a layer or cell of `dlpath.layers` (or of ``custom_objects``) by class name."""
    from dlpath import layers

    if isinstance(config, Layer):
        return config
    name = config.get("class_name") if isinstance(config, dict) else None
    cls = (custom_objects or {}).get(name) or getattr(layers, str(name), None)
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise ValueError(f"cannot rebuild a layer from {config!r}: unknown class_name {name!r}")
    return cls.from_config(dict(config.get("config") or {}))


def _time_steps(x) -> list:
    """The slices x[:, t] (B, D) of x (B, T, D), cut by halving the time axis.

    Each slice's gradient is a zero array the size of the tensor it was cut from, so
    halving costs O(T log T) in backward where slicing every step from x costs O(T^2).
    """
    if x.shape[1] == 1:
        return [x[:, 0]]
    half = x.shape[1] // 2
    return _time_steps(x[:, :half]) + _time_steps(x[:, half:])


class DropoutRNNCell(Layer):
    """Base of the built-in cells: state sizes, zero initial states and dropout masks.

    Dropout (Gal & Ghahramani 2016): one mask for the inputs and one for the recurrent
    state, drawn once per sequence and reused at every step (``reset_dropout_mask`` is
    called by `RNN` after each sequence). Kept units are scaled by 1 / (1 - rate), so
    both rates must lie in [0, 1) (Keras clips them to [0, 1] instead).

    ``owner`` is the layer that built the cell (``"LSTM"``), named in argument errors.
    """

    def __init__(self, units: int, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed=None, owner=None, **kwargs):
        super().__init__(**kwargs)
        owner = owner or type(self).__name__  # the layer named in errors, e.g. "LSTM"
        self.units = arguments.positive_int(units, "units", owner)
        self.dropout = arguments.rate(dropout, "dropout", owner)
        self.recurrent_dropout = arguments.rate(recurrent_dropout, "recurrent_dropout", owner)
        self.seed = seed
        self._generator = generator(seed) if seed is not None else None
        self._dropout_mask = self._recurrent_dropout_mask = None

    def configure_weights(self, use_bias, kernel_initializer, recurrent_initializer,
                          bias_initializer, kernel_regularizer, recurrent_regularizer,
                          bias_regularizer, kernel_constraint, recurrent_constraint,
                          bias_constraint) -> None:
        """Store the options that every cell's kernel, recurrent kernel and bias share."""
        self.use_bias = bool(use_bias)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def weights_config(self) -> dict:
        """`configure_weights`' options as they appear in ``get_config``."""
        return {"use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint)}

    def add_weight(self, name=None, *args, **kwargs):
        """`Layer.add_weight`, giving ``kernel``, ``recurrent_kernel`` and ``bias`` the
        constraint that `configure_weights` stored for them."""
        if "constraint" not in kwargs:
            kwargs["constraint"] = {
                "kernel": getattr(self, "kernel_constraint", None),
                "recurrent_kernel": getattr(self, "recurrent_constraint", None),
                "bias": getattr(self, "bias_constraint", None),
            }.get(name)
        return super().add_weight(name, *args, **kwargs)

    @property
    def output_size(self) -> int:
        return self.units

    def get_initial_state(self, batch_size: int) -> list:
        return [Tensor(np.zeros((batch_size, size)), dtype=self.dtype)
                for size in self.state_size]

    def _mask(self, shape, rate):
        rng = self._generator or generator()
        keep = rng.random(shape) >= rate
        return Tensor(keep / (1 - rate), dtype=self.dtype)

    def get_dropout_mask(self, step_input):
        """The input mask (batch, features), drawn once per sequence."""
        if self._dropout_mask is None:
            shape = (step_input.shape[0], step_input.shape[-1])
            self._dropout_mask = self._mask(shape, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, state):
        if self._recurrent_dropout_mask is None:
            self._recurrent_dropout_mask = self._mask(state.shape, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = self._recurrent_dropout_mask = None

    def dropped_inputs(self, inputs, training):
        """Inputs (batch, [time,] features) times the input dropout mask, while training."""
        if not training or not 0 < self.dropout < 1:
            return inputs
        mask = self.get_dropout_mask(inputs)  # (B, D), the same at every step
        if inputs.ndim == 3:
            mask = ops.reshape(mask, (mask.shape[0], 1, mask.shape[1]))
        return inputs * mask

    def dropped_state(self, state, training):
        if not training or not 0 < self.recurrent_dropout < 1:
            return state
        return state * self.get_recurrent_dropout_mask(state)

    def supports_fused(self, training) -> bool:
        """Whether the fused sequence op computes this cell (no recurrent dropout now)."""
        return not (training and 0 < self.recurrent_dropout < 1)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


class RNN(Layer):
    """Runs ``cell`` over the time axis of (batch, time, features) inputs.

    Args:
        cell: a cell: ``call(inputs, states, training=...) -> (output, new_states)`` plus
            ``state_size`` (a list of ints) and ``output_size``.
        return_sequences: return the outputs of every step (batch, time, units) instead of
            the last one (batch, units).
        return_state: also return the final states: ``[output, *states]``.
        go_backwards: process the sequence in reverse (and return the reversed outputs).
        stateful: carry the final states of each batch over to the next (see the module
            docstring); needs a fixed batch size. ``reset_states()`` zeroes them.
        unroll: accepted for compatibility; the loop is always a Python loop.
        zero_output_for_mask: with ``return_sequences`` and a mask, output zeros at masked
            steps instead of repeating the previous output.

    Call arguments: ``inputs``, ``initial_state`` (a list of (batch, size) tensors),
    ``mask`` (batch, time) booleans, ``training``.
    """

    # Cell arguments that a layer such as LSTM takes itself, exposes (``LSTM(8).units``)
    # and writes flat into its config; empty for RNN, whose config holds the cell's.
    cell_arguments: tuple = ()

    def __init__(self, cell, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, activity_regularizer=None, **kwargs):
        from dlpath import regularizers

        if isinstance(cell, (list, tuple)):  # Keras: a list of cells runs as one stack
            from dlpath.layers.recurrent.stacked import StackedRNNCells

            cell = StackedRNNCells(list(cell))
        if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
            raise ValueError(f"RNN: the cell must have a call() method and a state_size, got "
                             f"{cell!r}")
        if kwargs.pop("time_major", False):
            raise NotImplementedError("RNN(time_major=True) is not supported: inputs are "
                                      "(batch, time, features)")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.states = None  # stateful: the states the next batch starts from
        self._stateful_batch_size = self.batch_size_argument
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.supports_masking = True
        self.input_spec = InputSpec(ndim=3)

    @property
    def state_size(self) -> list:
        size = self.cell.state_size
        return [size] if isinstance(size, int) else list(size)

    def build(self, input_shape):
        if not self.cell.built:
            self.cell.build((input_shape[0], input_shape[2]))
            self.cell.built = True
            for variable in self.cell.weights:
                variable.name = f"{self.name}/{variable.name}"  # e.g. lstm/lstm_cell/kernel
        self.input_spec = InputSpec(ndim=3, axes={-1: input_shape[2]})

    # ------------------------------------------------------------------ calling
    def call(self, inputs, initial_state=None, mask=None, training=False):
        if inputs.shape[1] == 0:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the input has no "
                             f"time steps (shape {inputs.shape})")
        if self.stateful:
            initial_state = self._stateful_initial_state(inputs, initial_state)
        states = self._initial_state(inputs, initial_state)
        step_mask = self._step_mask(inputs, mask)
        try:
            if self._uses_fused_op(training):
                outputs, last, final = self._run_fused(inputs, states, step_mask, training)
            else:
                outputs, last, final = self._run_steps(inputs, states, step_mask, training)
        finally:
            if hasattr(self.cell, "reset_dropout_mask"):
                self.cell.reset_dropout_mask()
        if self.stateful and not is_tracing():
            self.states = [Tensor(state.data.copy()) for state in final]  # cut from the graph
        output = last
        if self.return_sequences:
            output = outputs
            if self.zero_output_for_mask and step_mask is not None:
                keep = step_mask[:, ::-1] if self.go_backwards else step_mask
                output = output * Tensor(keep[:, :, None], dtype=output.dtype)
        if self.activity_regularizer is not None:
            self._activity_losses.append(self.activity_regularizer(output))
        if not self.return_state:
            return output
        output._mask = self.compute_mask(inputs, mask)
        return [output, *final]

    # ------------------------------------------------------------------ stateful
    def _stateful_initial_state(self, inputs, initial_state):
        """The states a stateful layer starts this batch from, after checking its size."""
        batch = inputs.shape[0]
        if is_tracing():  # recording a model on zeros: learn a declared batch size only
            if self._stateful_batch_size is None:
                self._stateful_batch_size = traced_batch_size()
            return initial_state
        if self._stateful_batch_size is None:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): stateful=True needs a fixed "
                f"batch size; declare it with keras.Input(shape=..., batch_size=N) (or "
                f"batch_shape=(N, ...)), or batch_input_shape=(N, ...) / batch_size=N on "
                f"the first layer")
        if batch != self._stateful_batch_size:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): stateful=True with a batch "
                f"size of {self._stateful_batch_size}, got a batch of {batch} samples "
                f"(input shape {inputs.shape}); every batch, the last included, must have "
                f"{self._stateful_batch_size} samples")
        if initial_state is not None:
            return initial_state
        return self.states

    def reset_states(self, states=None) -> None:
        """Zero the states of a stateful layer (``states`` becomes None: the next batch
        starts from zeros), or set them to ``states`` (a list of (batch, size) arrays, one
        per state)."""
        if not self.stateful:
            raise AttributeError(f"Layer '{self.name}' ({type(self).__name__}): "
                                 f"reset_states() needs stateful=True")
        batch = self._stateful_batch_size
        if states is None:
            self.states = None
            return
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        expected = [(batch, size) for size in self.state_size]
        shapes = [tuple(np.shape(s.data if isinstance(s, Tensor) else s)) for s in states]
        if batch is None or shapes != expected:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): reset_states "
                             f"expected {len(expected)} array(s) of shapes {expected}, got "
                             f"shapes {shapes}")
        self.states = [Tensor(np.array(s.data if isinstance(s, Tensor) else s),
                              dtype=self.dtype) for s in states]

    reset_state = reset_states  # Keras 3's name

    def _uses_fused_op(self, training) -> bool:
        """The one place that picks the fused sequence op over the step loop."""
        supports = getattr(self.cell, "supports_fused", None)
        return supports is not None and supports(training)

    def _run_fused(self, inputs, states, mask, training):
        """The whole sequence in one op: returns (outputs or None, last output, states)."""
        inputs = self.cell.dropped_inputs(inputs, training)
        result = self.cell.fused_sequence(inputs, states, mask, self.go_backwards,
                                          self.return_sequences)
        if not self.return_sequences:  # only the final states: (B, S, U)
            final = [result[:, k] for k in range(len(states))]
            return None, final[0], final
        final = [result[:, -1, k] for k in range(len(states))]  # each (B, U)
        return result[:, :, 0], final[0], final  # outputs (B, T, U)

    def _run_steps(self, inputs, states, mask, training):
        """The step loop over the cell: returns (outputs or None, last output, states)."""
        steps = _time_steps(inputs)
        outputs = []
        for t in (reversed(range(len(steps))) if self.go_backwards else range(len(steps))):
            output, new_states = self.cell(steps[t], states, training=training)
            new_states = list(new_states) if isinstance(new_states, (list, tuple)) else [
                new_states]
            if mask is not None and not mask[:, t].all():
                keep = mask[:, t, None]  # (B, 1): masked samples keep states and output
                output = ops.where(keep, output, states[0])
                new_states = [ops.where(keep, new, old) for new, old in zip(new_states, states)]
            states = new_states
            outputs.append(output)
        stacked = ops.stack(outputs, axis=1) if self.return_sequences else None
        return stacked, outputs[-1], states

    def _initial_state(self, inputs, initial_state) -> list:
        batch = inputs.shape[0]
        if initial_state is None:
            if hasattr(self.cell, "get_initial_state"):
                return self.cell.get_initial_state(batch)
            return [Tensor(np.zeros((batch, size)), dtype=self.dtype)
                    for size in self.state_size]
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        expected = [(batch, size) for size in self.state_size]
        shapes = [tuple(np.shape(s.data if isinstance(s, Tensor) else s))
                  for s in initial_state]
        if shapes != expected:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): initial_state "
                             f"must be {len(expected)} tensor(s) of shapes {expected}, got "
                             f"shapes {shapes}")
        return [s if isinstance(s, Tensor) and s.dtype == self.dtype
                else self._to_tensor(s) for s in initial_state]

    def _step_mask(self, inputs, mask):
        """The mask as a (B, T) bool array, or None when every step is real."""
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is None:
            return None
        mask = np.asarray(mask.data if isinstance(mask, Tensor) else mask).astype(bool)
        if mask.shape != inputs.shape[:2]:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the mask must have "
                             f"shape (batch, time) = {inputs.shape[:2]}, got {mask.shape}")
        return None if mask.all() else mask

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        return mask if self.return_sequences else None

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        output_size = getattr(self.cell, "output_size", self.state_size[0])
        shape = (batch, steps, output_size) if self.return_sequences else (batch, output_size)
        if self.return_state:
            return [shape] + [(batch, size) for size in self.state_size]
        return shape

    def _expected_shape_hint(self) -> str:
        return " (inputs must be (batch, time, features))"

    # ------------------------------------------------------------------ configuration
    def _rnn_config(self) -> dict:
        from dlpath import regularizers

        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards,
                "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask,
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                **({"batch_size": self._stateful_batch_size}
                   if self.stateful and self._stateful_batch_size else {})}

    def __getattr__(self, name):
        cell = self.__dict__.get("cell")
        if cell is not None and name in type(self).cell_arguments:
            return getattr(cell, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def get_config(self):
        if not self.cell_arguments:
            return {**self._rnn_config(), "cell": serialize_layer(self.cell)}
        cell_config = self.cell.get_config()
        return {**self._rnn_config(), **{key: cell_config[key] for key in self.cell_arguments}}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "cell" in config:
            return cls(deserialize_layer(config.pop("cell")), **config)
        return cls(**config)
