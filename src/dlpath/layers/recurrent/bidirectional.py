"""`Bidirectional`: run a recurrent layer forwards and a copy of it backwards, and merge."""

from __future__ import annotations

from dlpath.engine import ops
from dlpath.layers.layer import Layer
from dlpath.layers.recurrent.rnn import deserialize_layer, serialize_layer

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


class Bidirectional(Layer):
    """Bidirectional RNN (Schuster & Paliwal 1997), Keras' wrapper.

    The forward layer is a fresh copy of ``layer`` (from its config, named
    ``forward_<name>``); the backward layer is ``backward_layer`` or a copy of ``layer`` with
    ``go_backwards=True`` (``backward_<name>``). With ``return_sequences`` the backward
    outputs are flipped back into time order before merging, and both layers output zeros
    at masked steps (``zero_output_for_mask``), as Keras does:

        y_t = merge(forward_t, backward_t),  merge in {concat, sum, mul, ave} or None (a list)

    ``initial_state``: the forward layer's states, then the backward layer's. With
    ``return_state`` the result is ``[output, *forward_states, *backward_states]``.
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Bidirectional: layer must be a Layer instance, got {layer!r}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"Bidirectional: backward_layer must be a Layer instance, got "
                             f"{backward_layer!r}")
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Bidirectional: merge_mode must be one of {MERGE_MODES}, got "
                             f"{merge_mode!r}")
        super().__init__(**kwargs)
        self.forward_layer = self._copy(layer, "forward_", go_backwards=layer.go_backwards)
        self.backward_layer = (self._copy(layer, "backward_", go_backwards=True)
                               if backward_layer is None else backward_layer)
        self._check_layers()
        for sublayer in (self.forward_layer, self.backward_layer):
            if hasattr(sublayer, "zero_output_for_mask"):
                sublayer.zero_output_for_mask = sublayer.return_sequences
        self.merge_mode = merge_mode
        self.initial_weights = weights
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = getattr(layer, "stateful", False)
        self.supports_masking = True
        self.input_spec = layer.input_spec

    @staticmethod
    def _copy(layer, prefix, go_backwards):
        config = serialize_layer(layer)
        config["config"]["name"] = prefix + layer.name.removeprefix(prefix)
        config["config"]["go_backwards"] = go_backwards
        return deserialize_layer(config)

    def _check_layers(self):
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(f"Bidirectional: the forward and backward layers must differ in "
                             f"go_backwards, got {forward.go_backwards} for both")
        for name in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, name) != getattr(backward, name):
                raise ValueError(f"Bidirectional: the forward and backward layers must have "
                                 f"the same {name}, got {getattr(forward, name)} and "
                                 f"{getattr(backward, name)}")

    def build(self, input_shape):
        for sublayer in (self.forward_layer, self.backward_layer):
            if not sublayer.built:
                sublayer.build(tuple(input_shape))
                sublayer.built = True
                for variable in sublayer.weights:
                    variable.name = f"{self.name}/{variable.name}"
        if self.initial_weights:
            half = len(self.initial_weights) // 2
            self.forward_layer.set_weights(self.initial_weights[:half])
            self.backward_layer.set_weights(self.initial_weights[half:])
            self.initial_weights = None

    def call(self, inputs, initial_state=None, mask=None, training=False):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(inputs, initial_state=forward_state, mask=mask,
                               training=training)
        y_rev = self.backward_layer(inputs, initial_state=backward_state, mask=mask,
                                    training=training)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev[:, ::-1]  # back into time order
        if self.merge_mode == "concat":
            output = ops.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) * 0.5
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if not self.return_state:
            return output
        return (output if isinstance(output, list) else [output]) + states

    def reset_states(self, states=None) -> None:
        """Zero (or set: the forward layer's states, then the backward layer's) the states
        of both stateful directions."""
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    reset_state = reset_states

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        return mask if self.return_sequences and self.merge_mode is not None else None

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], list(shape[1:])
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (shape[-1] * 2,)
        output = [shape, shape] if self.merge_mode is None else [shape]
        if self.return_state:
            return output + states + states
        return output if self.merge_mode is None else shape

    def get_config(self):
        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialize_layer(self.forward_layer),
                "backward_layer": serialize_layer(self.backward_layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"])
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_layer(config["backward_layer"])
        return cls(**config)
