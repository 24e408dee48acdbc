"""`UnitNormalization`, `GroupNormalization` and `RMSNormalization` (Keras 3 semantics).

All three are composites of engine ops, so their gradients come from the engine:

- UnitNormalization:  y = x / max(||x||_2, 1e-12) over ``axis``;
- GroupNormalization: the channels are split into ``groups`` groups and each sample is
  normalized per group over the spatial axes and the group's channels (Wu & He 2018),
  y = gamma (x - mu_g) / sqrt(var_g + eps) + beta;
- RMSNormalization:   y = x / sqrt(mean(x^2) + eps) * scale  (Zhang & Sennrich 2019).
"""

from __future__ import annotations

from dlpath import constraints, initializers, regularizers
from dlpath.engine import ops
from dlpath.engine.normalization import layer_norm
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer


def _axes_of(layer: Layer, axis, input_shape) -> tuple:
    """``axis`` (an int or a list) as sorted non-negative axes of ``input_shape``."""
    rank = len(input_shape)
    listed = axis if isinstance(axis, list) else [axis]
    for a in listed:
        if not -rank <= a < rank or a % rank == 0:
            raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}): axis {a} is "
                             f"not a feature axis of an input of shape {tuple(input_shape)} "
                             f"(expected one of 1..{rank - 1} or -1..-{rank - 1})")
    return tuple(sorted(a % rank for a in listed))


class UnitNormalization(Layer):
    """Scale each sample to unit L2 norm over ``axis`` (Keras 3's ``ops.normalize``):

        y = x / sqrt(max(sum_axis x^2, eps^2)) = x / max(||x||_2, eps),  eps = 1e-12

    so an all-zero vector stays zero. No weights.
    """

    supports_masking = True
    epsilon = 1e-12

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = arguments.axes(axis, "axis", "UnitNormalization")

    def build(self, input_shape):
        self._axes = _axes_of(self, self.axis, input_shape)

    def call(self, inputs):
        squares = ops.sum(inputs * inputs, axis=self._axes, keepdims=True)  # (N, .., 1, ..)
        return inputs / ops.sqrt(ops.maximum(squares, self.epsilon ** 2))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class GroupNormalization(Layer):
    """Group normalization (Wu & He 2018), Keras 3 semantics.

    The C channels of ``axis`` are split into G = ``groups`` groups of C / G; for each sample
    and group g, mu_g and var_g (biased) are taken over the spatial axes and the group's
    channels, and

        y = gamma (x - mu_g) / sqrt(var_g + eps) + beta,   gamma, beta of shape (C,)

    G = 1 is layer normalization over all but the batch axis, G = C instance normalization.
    The same in training and inference (no moving statistics).
    """

    supports_masking = True

    def __init__(self, groups: int = 32, axis: int = -1, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.groups = arguments.positive_int(groups, "groups", "GroupNormalization")
        self.axis = arguments.axes(axis, "axis", "GroupNormalization", allow_many=False)
        self.epsilon = float(epsilon)
        if not self.epsilon > 0:
            raise arguments.InvalidArgumentError(
                f"GroupNormalization: epsilon must be > 0, got {epsilon!r}")
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    def build(self, input_shape):
        (axis,) = _axes_of(self, self.axis, input_shape)
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(f"Layer '{self.name}' (GroupNormalization): axis {self.axis} of "
                             f"the input must be known, got shape {tuple(input_shape)}")
        if channels < self.groups or channels % self.groups:
            raise ValueError(f"Layer '{self.name}' (GroupNormalization): groups={self.groups} "
                             f"must divide the {channels} channels of axis {self.axis} "
                             f"(input shape {tuple(input_shape)})")
        self._axis = axis
        if self.scale:
            self.gamma = self.add_weight("gamma", (channels,), self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight("beta", (channels,), self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={axis: channels})

    def call(self, inputs):
        shape, axis = inputs.shape, self._axis
        grouped_shape = shape[:axis] + (self.groups, shape[axis] // self.groups) \
            + shape[axis + 1:]
        grouped = ops.reshape(inputs, grouped_shape)  # (N, .., G, C / G, ..)
        reduce = tuple(a for a in range(1, len(grouped_shape)) if a != axis)
        y = ops.reshape(layer_norm(grouped, None, None, reduce, self.epsilon), shape)
        along = tuple(n if a == axis else 1 for a, n in enumerate(shape))
        if self.gamma is not None:
            y = y * ops.reshape(self.gamma, along)
        if self.beta is not None:
            y = y + ops.reshape(self.beta, along)
        return y

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "groups": self.groups, "axis": self.axis,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint)}


class RMSNormalization(Layer):
    """Root-mean-square normalization (Zhang & Sennrich 2019), Keras 3's layer:

        y = x / sqrt(mean_axis(x^2) + eps) * scale,   scale of shape input_shape[axis]

    No centering: unlike LayerNormalization, the mean is not subtracted. ``scale`` starts
    at ones.
    """

    supports_masking = True

    def __init__(self, axis=-1, epsilon: float = 1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = arguments.axes(axis, "axis", "RMSNormalization")
        self.epsilon = float(epsilon)
        if not self.epsilon > 0:
            raise arguments.InvalidArgumentError(
                f"RMSNormalization: epsilon must be > 0, got {epsilon!r}")

    def build(self, input_shape):
        self._axes = _axes_of(self, self.axis, input_shape)
        shape = tuple(input_shape[a] for a in self._axes)
        if None in shape:
            raise ValueError(f"Layer '{self.name}' (RMSNormalization): axis {self.axis} of "
                             f"the input must be known, got shape {tuple(input_shape)}")
        self.scale = self.add_weight("scale", shape, "ones")
        self._along = tuple(n if a in self._axes else 1 for a, n in enumerate(input_shape))
        self.input_spec = InputSpec(ndim=len(input_shape),
                                    axes={a: input_shape[a] for a in self._axes})

    def call(self, inputs):
        mean_square = ops.mean(inputs * inputs, axis=self._axes, keepdims=True)
        y = inputs / ops.sqrt(mean_square + self.epsilon)
        return y * ops.reshape(self.scale, (1,) + self._along[1:])

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
