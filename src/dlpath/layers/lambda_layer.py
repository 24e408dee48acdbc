"""`Lambda`: a layer from a function, ``Lambda(lambda x: x * 2)``, saved by name only.

Saving: a model file never holds code, so a Lambda is saved with the *registered name* of
its function (``{"class_name": "function", "config": "double", "registered_name":
"Custom>double"}``, Keras 3's form for registered functions). Register the function with
``@dlpath.keras.utils.register_keras_serializable()`` (for a ``lambda``, give it a name:
``register_keras_serializable(name="double")(lambda x: x * 2)``) before saving; saving a
Lambda whose function is not registered raises a ValueError at save time that says so. On
loading, the name is looked up among registered functions and ``custom_objects``; an
unknown name is an error, and Keras' own Lambda configs (marshalled bytecode,
``function_type``) are always refused.
"""

from __future__ import annotations

import inspect

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments as argument_checks
from dlpath.layers.layer import Layer
from dlpath.saving import registry


class _Unregistered:
    """What `Lambda.get_config` holds for a function that is not registered: it rebuilds
    the layer in memory (``from_config``, ``clone_model``), and refuses to be saved."""

    def __init__(self, function, layer_name: str, argument: str):
        self.function, self.layer_name, self.argument = function, layer_name, argument

    def __eq__(self, other):
        return isinstance(other, _Unregistered) and other.function is self.function

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<unregistered function {_function_name(self.function)}>"

    def get_config(self):
        name = _function_name(self.function)
        raise ValueError(
            f"cannot save Lambda layer '{self.layer_name}': its {self.argument} {name} is not "
            f"registered, and a saved model never holds code. Register it before saving, "
            f"e.g. @dlpath.keras.utils.register_keras_serializable(package='my_package') "
            f"above `def {name}`, or for a lambda register_keras_serializable(name='...')"
            f"(fn); the loading program registers it the same way (or passes "
            f"custom_objects={{'{name}': {name}}})")


def _function_name(function) -> str:
    return getattr(function, "__name__", type(function).__name__)


def _function(value, argument: str, optional: bool = True):
    """A callable from a callable, a saved function reference, or a wrapper of either."""
    if isinstance(value, _Unregistered):
        return value.function
    if registry.is_function_reference(value):
        return registry.resolve_function(value, None, f"Lambda: {argument}")
    if value is None and optional:
        return None
    if callable(value) and not inspect.isclass(value):
        return value
    raise argument_checks.ArgumentTypeError(
        f"Lambda: {argument} must be a function (or a registered function's saved name, "
        f"{{'class_name': 'function', 'config': ..., 'registered_name': ...}}), got "
        f"{argument_checks.describe(value)}. Loading never runs code from a file")


def _accepts(function, name: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


class Lambda(Layer):
    """y = function(x, **arguments), with engine ops so that it is differentiable.

    Args:
        function: the function of the inputs (a Tensor, or a list of them).
        output_shape: the output shape without the batch axis (a tuple, or a function of
            the input shape); when given, each output is checked against it.
        mask: None, or a function ``mask(inputs, previous_mask) -> mask``.
        arguments: extra keyword arguments for ``function`` (JSON values, to be saved).

    ``function`` also receives ``mask=`` and ``training=`` when it takes them.
    """

    supports_masking = True  # accepts a mask; passes on only what ``mask`` computes

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        function = _function(function, "function", optional=False)  # before other checks
        super().__init__(**kwargs)
        self.function = function
        self._output_shape = output_shape
        if isinstance(output_shape, (list, tuple)):
            self._output_shape = argument_checks.shape(output_shape, "output_shape",
                                                       "Lambda")
        elif output_shape is not None:
            self._output_shape = _function(output_shape, "output_shape")
        self.mask = _function(mask, "mask")
        if arguments is not None and not isinstance(arguments, dict):
            raise argument_checks.ArgumentTypeError(
                f"Lambda: arguments must be a dict of keyword arguments, got "
                f"{argument_checks.describe(arguments)}")
        self.arguments = dict(arguments or {})

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if mask is not None and _accepts(self.function, "mask"):
            kwargs["mask"] = mask
        if _accepts(self.function, "training"):
            kwargs["training"] = training
        outputs = self.function(inputs, **kwargs)
        self._check_output(inputs, outputs)
        return outputs

    def _check_output(self, inputs, outputs) -> None:
        """A tuple ``output_shape`` is checked against a single output's shape."""
        want = self._output_shape
        if not isinstance(want, tuple) or not isinstance(outputs, Tensor):
            return
        got = outputs.shape[1:]
        if len(got) != len(want) or any(w is not None and w != g for w, g in zip(want, got)):
            raise ValueError(f"Layer '{self.name}' (Lambda): the function returned shape "
                             f"{outputs.shape}, but output_shape says (batch,) + {want}")

    def compute_output_shape(self, input_shape):
        shape = self._output_shape
        if shape is None:
            return self._inferred_output_shape(input_shape)
        if callable(shape):
            return shape(input_shape)
        first = input_shape[0] if isinstance(input_shape, list) else input_shape
        return (first[0] if first else None,) + tuple(shape)

    def _inferred_output_shape(self, input_shape):
        """Without ``output_shape``: run the function on zeros of that shape (unknown
        sizes as 1) and read the shape of what it returns."""
        from dlpath.engine import no_grad

        def zeros(shape):
            return Tensor(np.zeros(tuple(1 if s is None else s for s in shape)),
                          dtype=self.dtype)

        many = isinstance(input_shape, list)
        with no_grad():
            inputs = [zeros(s) for s in input_shape] if many else zeros(input_shape)
            outputs = self.function(inputs, **self.arguments)
        batch = (input_shape[0] if many else input_shape)[0]
        if isinstance(outputs, (list, tuple)):
            return [(batch,) + tuple(o.shape[1:]) for o in outputs]
        return (batch,) + tuple(outputs.shape[1:])

    def compute_mask(self, inputs, mask=None):
        """``mask(inputs, previous_mask)`` when given, else None (the function may change
        the shape, so the previous mask is not passed on), as in Keras."""
        return self.mask(inputs, mask) if self.mask is not None else None

    def _saved(self, function, argument: str):
        if function is None:
            return None
        reference = registry.function_reference(function)
        return reference if reference is not None else _Unregistered(function, self.name,
                                                                     argument)

    def get_config(self):
        shape = self._output_shape
        return {**super().get_config(), "function": self._saved(self.function, "function"),
                "output_shape": self._saved(shape, "output_shape") if callable(shape)
                else shape,
                "mask": self._saved(self.mask, "mask"), "arguments": dict(self.arguments)}
