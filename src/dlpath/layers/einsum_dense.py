"""`EinsumDense`: a dense layer of any rank, y = activation(einsum(equation, x, W) + b).

The equation names the axes of the input, the kernel and the output, e.g. ``"ab,bc->ac"``
(Dense), ``"abc,cd->abd"`` (Dense over the last axis of a sequence) or ``"abc,cde->abde"``
(a projection to heads, as multi-head attention does). The kernel's shape is read off the
equation: each kernel letter takes its size from the input or from ``output_shape``.
``...`` may stand for leading (``"...b,bc->...c"``) or trailing (``"ab...,bc->ac..."``) axes.
"""

from __future__ import annotations

import re

from dlpath import activations, constraints, initializers, regularizers
from dlpath.engine.einsum import einsum
from dlpath.layers import arguments
from dlpath.layers.layer import Layer

_FORMS = (  # (pattern, ellipsis on the left), ... written as 0
    (r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", False),
    (r"^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", True),
    (r"^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", False),
)


def split_equation(equation: str, owner: str) -> tuple:
    """((input, kernel, output) letters, whether ``...`` is on the left), or an error."""
    plain = equation.replace(" ", "").replace("...", "0")
    for pattern, left in _FORMS:
        match = re.match(pattern, plain)
        if match:
            return match.groups(), left
    raise arguments.InvalidArgumentError(
        f"{owner}: equation {equation!r} is not of the form 'ab,bc->ac', '...ab,bc->...ac' "
        f"or 'ab...,bc->ac...'")


def analyze_equation(equation: str, bias_axes, input_shape, output_shape, owner: str):
    """(kernel shape, bias shape or None, full output shape) as Keras' EinsumDense
    derives them. ``output_shape`` excludes the batch axis and the ellipsis axes."""
    (input_spec, kernel_spec, output_spec), left = split_equation(equation, owner)
    rank = len(input_shape)
    elided = rank - len(input_spec)
    if elided < 0:
        raise ValueError(f"{owner}: the equation {equation!r} needs an input of rank "
                         f">= {len(input_spec)}, got shape {tuple(input_shape)}")
    full = [input_shape[0]] + list(output_shape)
    if elided and left:
        full[1:1] = list(input_shape[1:elided])
    elif elided:
        full += list(input_shape[rank - elided:])
    if left:
        in_axis = {c: i + elided - rank for i, c in enumerate(input_spec)}
        out_axis = {c: i + elided - len(full) for i, c in enumerate(output_spec)}
    else:
        in_axis = {c: i for i, c in enumerate(input_spec)}
        out_axis = {c: i for i, c in enumerate(output_spec)}
    if len(full) != len(output_spec) + elided:
        expected = len(output_spec) if left else len(output_spec) - 1
        raise ValueError(f"{owner}: output_shape {tuple(output_shape)} has "
                         f"{len(output_shape)} entries, the equation {equation!r} expects "
                         f"{expected} (the output axes but the batch and the ellipsis)")
    for c in input_spec:
        if c in out_axis and full[out_axis[c]] not in (None, input_shape[in_axis[c]]):
            raise ValueError(f"{owner}: axis {c!r} is {input_shape[in_axis[c]]} in the input "
                             f"of shape {tuple(input_shape)} but {full[out_axis[c]]} in "
                             f"output_shape {tuple(output_shape)}")
        if c in out_axis:
            full[out_axis[c]] = input_shape[in_axis[c]]
    for c in output_spec:
        if c not in input_spec and c not in kernel_spec:
            raise ValueError(f"{owner}: output axis {c!r} of {equation!r} is in neither the "
                             f"input nor the kernel")
    kernel_shape = []
    for c in kernel_spec:
        size = input_shape[in_axis[c]] if c in in_axis else (
            full[out_axis[c]] if c in out_axis else None)
        if size is None:
            raise ValueError(f"{owner}: the size of kernel axis {c!r} of {equation!r} is "
                             f"unknown (input shape {tuple(input_shape)}, output_shape "
                             f"{tuple(output_shape)})")
        kernel_shape.append(int(size))
    bias_shape = None
    if bias_axes:
        for c in bias_axes:
            if c not in output_spec:
                raise arguments.InvalidArgumentError(
                    f"{owner}: bias_axes {bias_axes!r} must be letters of the output "
                    f"{output_spec!r} of {equation!r}")
        first = min(output_spec.index(c) for c in bias_axes)
        bias_shape = [full[out_axis[c]] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left:
            bias_shape += [1] * elided
    return tuple(kernel_shape), None if bias_shape is None else tuple(bias_shape), tuple(full)


class EinsumDense(Layer):
    """y = activation(einsum(equation, x, W) + b), Keras 3's layer.

    Args:
        equation: e.g. ``"abc,cde->abde"`` (input, kernel -> output).
        output_shape: the output's shape without the batch axis and the ellipsis axes; None
            for an axis taken from the input.
        bias_axes: the output letters that get a bias, e.g. ``"de"`` (default: no bias);
            the bias has the sizes of those axes (1 on the others after the first of them).
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        kwargs.pop("lora_rank", None)
        kwargs.pop("lora_alpha", None)
        super().__init__(**kwargs)
        if not isinstance(equation, str):
            raise arguments.ArgumentTypeError(
                f"EinsumDense: equation must be a string, got {arguments.describe(equation)}")
        split_equation(equation, "EinsumDense")
        self.equation = equation
        if arguments.is_int(output_shape):
            output_shape = (output_shape,)
        if not isinstance(output_shape, (list, tuple)) or not all(
                s is None or arguments.is_int(s) for s in output_shape):
            raise arguments.ArgumentTypeError(
                f"EinsumDense: output_shape must be an int or a tuple of ints or None, got "
                f"{arguments.describe(output_shape)}")
        self.partial_output_shape = tuple(None if s is None else int(s) for s in output_shape)
        if bias_axes is not None and not isinstance(bias_axes, str):
            raise arguments.ArgumentTypeError(
                f"EinsumDense: bias_axes must be a string of output letters or None, got "
                f"{arguments.describe(bias_axes)}")
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.bias = None

    def build(self, input_shape):
        kernel_shape, bias_shape, self.full_output_shape = analyze_equation(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape,
            f"Layer '{self.name}' (EinsumDense)")
        self.kernel = self.add_weight("kernel", kernel_shape, self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if bias_shape is not None:
            self.bias = self.add_weight("bias", bias_shape, self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self._input_rank = len(input_shape)
        self._input_sizes = tuple(input_shape[1:])

    def call(self, inputs):
        if inputs.ndim != self._input_rank or inputs.shape[1:] != self._input_sizes:
            raise ValueError(f"Layer '{self.name}' (EinsumDense): built for inputs of shape "
                             f"(batch,) + {self._input_sizes}, got an input of shape "
                             f"{inputs.shape}")
        outputs = einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = outputs + self.bias
        outputs = self.activation(outputs)
        if self.activity_regularizer is not None:
            self._activity_losses.append(self.activity_regularizer(outputs))
        return outputs

    def compute_output_shape(self, input_shape):
        return analyze_equation(self.equation, self.bias_axes, tuple(input_shape),
                                self.partial_output_shape, "EinsumDense")[2]

    def get_config(self):
        return {**super().get_config(), "equation": self.equation,
                "output_shape": self.partial_output_shape, "bias_axes": self.bias_axes,
                "activation": activations.serialize(self.activation),
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint)}
