"""`Layer`: the Keras layer contract on dlpath's engine.

``__init__`` stores configuration; ``build(input_shape)`` creates the weights with
`add_weight` on the first call, when the input shape is known; ``call(inputs, training=None)``
computes with engine ops; ``get_config()`` returns what rebuilds the layer.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict

import numpy as np

from dlpath import constraints, initializers, regularizers
from dlpath.engine import Tensor, Variable
from dlpath.engine.tensor import as_array
from dlpath.layers import arguments, weight_budget

# Inputs that cannot hold a placeholder: a call on one of them skips the structure walk.
_PLAIN_INPUTS = (Tensor, Variable, np.ndarray)
_name_counts: dict = defaultdict(int)
_warned: set = set()


def unique_name(prefix: str) -> str:
    """'dense', 'dense_1', 'dense_2', ... as Keras names layers."""
    count = _name_counts[prefix]
    _name_counts[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def reset_names() -> None:
    """Forget the layer-name counters (``keras.backend.clear_session``)."""
    _name_counts.clear()


def warn_once(key: str, message: str) -> None:
    """Warn the first time ``key`` is seen in this process."""
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, UserWarning, stacklevel=3)


def snake_case(name: str) -> str:
    """Keras' rule: ``Conv2D`` -> ``conv2d``, ``MaxPooling2D`` -> ``max_pooling2d``,
    ``LSTM`` -> ``lstm``, ``ConvLSTM2D`` -> ``conv_lstm2d``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _is_symbolic(structure) -> bool:
    from dlpath.layers.input_layer import is_symbolic

    return is_symbolic(structure)


class InputSpec:
    """What a layer accepts (Keras 3's ``keras.InputSpec``): a rank (``ndim``, or
    ``min_ndim`` / ``max_ndim``), a full ``shape`` (None for any size; it sets ``ndim``)
    and fixed sizes of some ``axes``. A layer that sets ``self.input_spec`` has every
    call's input shape checked against it. ``allow_last_axis_squeeze`` lets the rank
    differ by a trailing axis of size 1; ``dtype``, ``name`` and ``optional`` are kept
    for the config (inputs are cast to the layer's dtype, not checked).
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        if shape is not None:
            shape = tuple(None if s is None else int(s) for s in shape)
            ndim = len(shape)
        self.shape, self.ndim, self.min_ndim, self.max_ndim = shape, ndim, min_ndim, max_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.dtype = dtype
        self.allow_last_axis_squeeze = bool(allow_last_axis_squeeze)
        self.name, self.optional = name, bool(optional)

    def __repr__(self) -> str:
        fields = {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                  "max_ndim": self.max_ndim, "min_ndim": self.min_ndim,
                  "axes": self.axes or None}
        return "InputSpec(" + ", ".join(f"{k}={v!r}" for k, v in fields.items()
                                        if v is not None) + ")"

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config: dict) -> "InputSpec":
        return cls(**config)

    def _squeezed(self, shape: tuple) -> tuple:
        """``shape`` with a trailing 1 dropped (or added) to meet ``ndim``, if allowed."""
        if not self.allow_last_axis_squeeze or self.ndim is None:
            return shape
        if len(shape) == self.ndim + 1 and shape[-1] == 1:
            return shape[:-1]
        if len(shape) == self.ndim - 1 and (self.shape is None or self.shape[-1] in (1, None)):
            return shape + (1,)
        return shape

    def check(self, layer: "Layer", shape: tuple) -> None:
        """Raise a ValueError naming the layer, the expected and the actual shape."""
        given = tuple(shape)
        shape = self._squeezed(given)
        rank = len(shape)
        problem = None
        if self.ndim is not None and rank != self.ndim:
            problem = f"expected an input of rank {self.ndim}"
        elif self.min_ndim is not None and rank < self.min_ndim:
            problem = f"expected an input of rank >= {self.min_ndim}"
        elif self.max_ndim is not None and rank > self.max_ndim:
            problem = f"expected an input of rank <= {self.max_ndim}"
        else:
            fixed = {**dict(enumerate(self.shape or ())), **self.axes}
            for axis, size in fixed.items():
                if -rank <= axis < rank and size is not None and shape[axis] != size:
                    problem = f"expected axis {axis} of the input to have size {size}"
                    break
                if not -rank <= axis < rank:
                    problem = f"expected an input with an axis {axis}"
                    break
        if problem:
            raise ValueError(
                f"Layer '{layer.name}' ({type(layer).__name__}): {problem}, got an input "
                f"of shape {given}{layer._expected_shape_hint()}"
            )


class Layer:
    """Base class of all layers.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: a unique name (default: the class name in snake_case, numbered).
        dtype: the dtype of the weights and computation (default float32).
        input_shape / input_dim / batch_input_shape: the tf.keras 2 way of telling a first
            layer its input shape; honoured (e.g. by `Sequential`) with a one-time hint.
    """

    supports_masking = False
    # Layers whose inputs are indices (Embedding) keep integer inputs as they are.
    casts_inputs = True

    def __init__(self, trainable: bool = True, name: str | None = None, dtype=None,
                 **kwargs):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        initial_weights = kwargs.pop("weights", None)
        kwargs.pop("autocast", None)
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unknown keyword argument(s) "
                            f"{sorted(kwargs)}")
        self.name = name or unique_name(snake_case(type(self).__name__))
        self.dtype = np.dtype(dtype or "float32")
        self._trainable = bool(trainable)
        self.built = False
        self.input_spec = None
        self._variables: list = []
        self._regularized: list = []
        self._sublayers: list = []
        self._activity_losses: list = []
        self.input_shape_argument = None
        owner = type(self).__name__
        # tf.keras 2's weights=[...]: set right after the layer is built.
        self._initial_weights = None if initial_weights is None else list(initial_weights)
        self.batch_size_argument = arguments.optional_positive_int(batch_size, "batch_size",
                                                                   owner)
        if batch_input_shape is not None:
            full = arguments.shape(batch_input_shape, "batch_input_shape", owner)
            self.input_shape_argument = full[1:]
            if full and full[0] is not None:
                self.batch_size_argument = arguments.positive_int(
                    full[0], "batch_input_shape[0]", owner)
        elif input_shape is not None:
            self.input_shape_argument = arguments.shape(input_shape, "input_shape", owner)
        elif input_dim is not None:
            self.input_shape_argument = (arguments.positive_int(input_dim, "input_dim", owner),)
        if self.input_shape_argument is not None:
            warn_once("input_shape", (
                "Passing input_shape/input_dim to a layer is the tf.keras 2 way; it works, "
                "but prefer starting the model with keras.Input(shape=...)."))

    # ------------------------------------------------------------ attribute tracking
    def __setattr__(self, key, value):
        if isinstance(value, Layer) and key != "_parent":
            self.__dict__.setdefault("_sublayers", [])
            if value not in self._sublayers:
                self._sublayers.append(value)
        elif isinstance(value, (list, tuple)) and value and all(
                isinstance(v, Layer) for v in value):
            self.__dict__.setdefault("_sublayers", [])
            for layer in value:
                if layer not in self._sublayers:
                    self._sublayers.append(layer)
        object.__setattr__(self, key, value)

    # ------------------------------------------------------------ weights
    def add_weight(self, name=None, shape=None, initializer="glorot_uniform", dtype=None,
                   trainable: bool = True, regularizer=None, constraint=None, **ignored):
        """Create, register and return a `Variable` of ``shape`` from ``initializer``.

        ``constraint`` (see `dlpath.constraints`) projects the variable after each update.
        """
        if isinstance(name, (tuple, list)):  # Keras 3 positional order: (shape, initializer)
            name, shape = None, name
        shape = tuple(int(s) for s in (shape or ()))
        dtype = np.dtype(dtype or self.dtype)
        weight_budget.charge(self.name, name, shape, dtype.itemsize)
        value = initializers.get(initializer)(shape, dtype=dtype)
        variable = Variable(np.asarray(value, dtype=dtype), name=f"{self.name}/{name}",
                            trainable=trainable, dtype=dtype)
        variable.requires_grad = variable.requires_grad and self.trainable
        variable.constraint = constraints.get(constraint)
        self._variables.append(variable)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            self._regularized.append((variable, regularizer))
        return variable

    def _all_layers(self):
        yield self
        for layer in self._sublayers:
            yield from layer._all_layers()

    @property
    def weights(self) -> list:
        seen, result = set(), []
        for layer in self._all_layers():
            for variable in layer._variables:
                if id(variable) not in seen:
                    seen.add(id(variable))
                    result.append(variable)
        return result

    variables = weights

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return [w for w in self.weights if w.requires_grad]

    @property
    def non_trainable_weights(self) -> list:
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Freeze (False) or unfreeze (True) this layer and every layer inside it."""
        for layer in self._all_layers():
            layer._trainable = bool(value)
        for layer in self._all_layers():
            for variable in layer._variables:
                variable.requires_grad = bool(value) and variable.trainable
                if not value:
                    variable.grad = None

    def get_weights(self) -> list:
        return [w.data.copy() for w in self.weights]

    def set_weights(self, weights) -> None:
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(f"Layer '{self.name}': set_weights expected {len(own)} arrays, "
                             f"got {len(weights)}")
        for variable, value in zip(own, weights):
            value = np.asarray(value)
            if value.shape != variable.shape:
                raise ValueError(f"Layer '{self.name}': weight '{variable.name}' has shape "
                                 f"{variable.shape}, got an array of shape {value.shape}")
        for variable, value in zip(own, weights):
            variable.data[...] = value

    def _set_initial_weights(self) -> None:
        """Apply the constructor's ``weights=[...]`` once the weights exist."""
        weights, self._initial_weights = self.__dict__.get("_initial_weights"), None
        if weights is None:
            return
        try:
            self.set_weights(weights)
        except ValueError as error:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the weights= "
                             f"argument does not fit the layer: {error}") from None

    def count_params(self) -> int:
        return int(sum(w.size for w in self.weights))

    @property
    def losses(self) -> list:
        """Regularization penalties of this layer's weights (computed now) and activity."""
        result = []
        for layer in self._all_layers():
            result.extend(reg(var) for var, reg in layer._regularized if var.requires_grad)
            result.extend(layer._activity_losses)
        return result

    def add_loss(self, loss) -> None:
        """Add a loss term computed in ``call`` (a Tensor, e.g. a KL divergence; a tensor
        with axes is summed, as Keras 3 sums it).

        ``self.losses`` (this layer's and those of the layers inside a model) holds it until
        the layer's next call, and the training loss (`compute_loss`) adds it to the
        compiled loss.
        """
        if isinstance(loss, (int, float, np.integer, np.floating)) and not isinstance(
                loss, bool):
            loss = Tensor(np.asarray(loss, dtype=np.float32))
        if not isinstance(loss, Tensor):
            raise TypeError(f"{type(self).__name__}.add_loss: expected a scalar Tensor or a "
                            f"number, got {type(loss).__name__}")
        self._activity_losses.append(loss.sum() if loss.ndim else loss)

    # ------------------------------------------------------------ symbolic calls
    @property
    def input(self):
        """The placeholder(s) of this layer's first call on placeholders, as in tf.keras."""
        node = self._first_node("input")
        return node.args[0] if node.args else node.outputs  # an InputLayer: its own

    @property
    def output(self):
        """The placeholder output(s) of this layer's first call on placeholders, as in
        tf.keras: ``keras.Model(model.input, model.get_layer("features").output)``."""
        return self._first_node("output").outputs

    @property
    def input_shape(self):
        """``input.shape`` (a list of shapes for several inputs), as tf.keras 2 gives."""
        return _shapes_of(self.input)

    @property
    def output_shape(self):
        """``output.shape`` (a list of shapes for several outputs), as tf.keras 2 gives."""
        return _shapes_of(self.output)

    def _first_node(self, what: str):
        nodes = self.__dict__.get("_inbound_nodes")
        if not nodes:
            raise AttributeError(f"Layer '{self.name}' ({type(self).__name__}) has no {what} "
                                 f"yet: it is known once the layer is called on keras.Input "
                                 f"placeholders (in a functional or built Sequential model)")
        return nodes[0]

    # ------------------------------------------------------------ calling
    def build(self, input_shape) -> None:
        """Create the weights for inputs of ``input_shape`` (batch axis included)."""
        self.built = True

    def call(self, inputs, *args, **kwargs):  # pragma: no cover - always overridden
        raise NotImplementedError(f"{type(self).__name__} must implement call()")

    def compute_mask(self, inputs, mask=None):
        """The mask of the output: passed through by layers that support masking."""
        return mask if self.supports_masking else None

    def _to_tensor(self, value):
        try:
            return self._convert(value)
        except (TypeError, ValueError) as error:
            raise TypeError(f"Layer '{self.name}' ({type(self).__name__}): cannot use this "
                            f"input: {error}") from None

    def _convert(self, value):
        if isinstance(value, Tensor):
            if self.casts_inputs and value.dtype != self.dtype and value.dtype.kind in "fiub":
                return value.astype(self.dtype) if value.requires_grad else Tensor(
                    value.data.astype(self.dtype))
            return value
        if self._sublayers and np.asarray(value).dtype.kind in "US":
            return np.asarray(value)  # text: a model hands it on to its text layers
        if self.casts_inputs:
            return Tensor(np.asarray(value), dtype=self.dtype)
        return Tensor(as_array(value))

    def _expected_shape_hint(self) -> str:
        return ""

    def __call__(self, inputs, *args, training=None, mask=None, **kwargs):
        plain = type(inputs) in _PLAIN_INPUTS and not args and not kwargs  # no placeholder
        if not plain and _is_symbolic((inputs, args, kwargs)):
            from dlpath.layers.input_layer import symbolic_call

            if training is not None:
                kwargs["training"] = training
            if mask is not None:
                kwargs["mask"] = mask
            return symbolic_call(self, (inputs,) + args, kwargs)
        if isinstance(inputs, dict):
            inputs = {key: self._to_tensor(x) for key, x in inputs.items()}
            shapes = [x.shape for x in inputs.values()]
            previous_mask = mask
        elif isinstance(inputs, (list, tuple)):
            inputs = type(inputs)(self._to_tensor(x) for x in inputs)
            shapes = [x.shape for x in inputs]
            previous_mask = mask if mask is not None else [getattr(x, "_mask", None)
                                                           for x in inputs]
        else:
            inputs = self._to_tensor(inputs)
            shapes = inputs.shape
            previous_mask = mask if mask is not None else getattr(inputs, "_mask", None)
        if not self.built:
            if self.input_spec is not None and not isinstance(shapes, list):
                self.input_spec.check(self, shapes)
            self.build(shapes)
            self.built = True
            self._set_initial_weights()
        if self.input_spec is not None and not isinstance(shapes, list):
            self._check_input_spec(shapes)
        if self._activity_losses:  # this call's add_loss terms replace the last call's
            self._activity_losses = []
        call_kwargs = dict(kwargs)
        if self._call_accepts("training"):
            call_kwargs["training"] = bool(training)
        if self._call_accepts("mask") and previous_mask is not None:
            call_kwargs["mask"] = previous_mask
        outputs = self.call(inputs, *args, **call_kwargs)
        out_mask = self.compute_mask(inputs, previous_mask)
        if isinstance(outputs, Tensor):
            outputs._mask = out_mask
        return outputs

    def _check_input_spec(self, shape: tuple) -> None:
        """``input_spec.check``, run once per input shape while the spec stays the same (a
        model server or a prediction loop calls a layer with one shape again and again)."""
        spec, passed = self.input_spec, self.__dict__.get("_spec_passed")
        if passed is not None and passed[0] is spec and passed[1] == shape:
            return
        spec.check(self, shape)
        self._spec_passed = (spec, shape)

    def _call_accepts(self, argument: str) -> bool:
        cache = type(self).__dict__.get("_call_arguments")
        if cache is None:
            import inspect

            cache = set(inspect.signature(self.call).parameters)
            type.__setattr__(type(self), "_call_arguments", cache)
        return argument in cache

    # ------------------------------------------------------------ configuration
    def get_config(self) -> dict:
        config = {"name": self.name, "trainable": self.trainable, "dtype": str(self.dtype)}
        return config

    @classmethod
    def from_config(cls, config: dict) -> "Layer":
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _shapes_of(placeholders):
    if isinstance(placeholders, (list, tuple)):
        return [tuple(p.shape) for p in placeholders]
    return tuple(placeholders.shape)
