r"""The optimizer base class: everything an update rule has in common (Keras 3's contract).

`Optimizer` owns the loop over variables, gradient clipping, the learning rate (a float, a
`LearningRateSchedule` or a callable, evaluated at ``iterations``), decoupled weight decay,
the ``iterations`` counter, the per-variable state and its checkpointing, and configuration.
A subclass writes only its state (``build``) and its per-variable rule (``update_step``),
updating ``variable.data`` in place with NumPy ``out=`` operations.

One update, ``apply(grads, variables)``, in order (as Keras 3's ``BaseOptimizer.apply``):

1. drop variables whose gradient is ``None``;
2. clip: ``clipvalue`` (elementwise), ``clipnorm`` (each gradient to L2 norm <= c) or
   ``global_clipnorm`` (all gradients scaled together so their joint norm is <= c),
   :math:`g \leftarrow g \cdot c / \max(\lVert g \rVert, c)`;
3. decoupled weight decay (Loshchilov & Hutter, 2019) if ``weight_decay`` is set:
   :math:`\theta \leftarrow \theta - \eta_t \lambda \theta`;
4. ``update_step(g, variable, lr)`` for each variable, with :math:`\eta_t` = the rate at
   ``iterations`` (tf.keras 2's ``decay=`` divides it by :math:`1 + \text{decay} \cdot t`);
5. each updated variable with a ``constraint`` (a layer's ``kernel_constraint=``, ...) is
   replaced by ``constraint(variable)``;
6. ``iterations += 1``.
"""

from __future__ import annotations

import inspect
import math
import numbers
import os
import re
import warnings

import numpy as np

from dlpath.optimizers import schedules as _schedules

_LEGACY_WARNED: set = set()

# Keras configuration keys for features dlpath does not implement: `from_config` drops the
# first group, and the second when unset (a set one is refused).
_IGNORED_KERAS_KEYS = ("ema_momentum", "ema_overwrite_frequency", "jit_compile",
                       "is_legacy_optimizer")
_UNSUPPORTED_KERAS_KEYS = ("use_ema", "loss_scale_factor", "gradient_accumulation_steps")
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class DefaultLearningRate(float):
    """A subclass's default learning rate: tells a default apart from an explicit value, so
    that ``Adam(lr=0.01)`` is accepted but ``Adam(learning_rate=0.001, lr=0.01)`` is not."""


def _warn_legacy_once(argument: str, message: str) -> None:
    """Warn about a tf.keras 2 argument the first time this process sees it, pointing at
    the first caller outside dlpath.optimizers."""
    if argument in _LEGACY_WARNED:
        return
    _LEGACY_WARNED.add(argument)
    frame, stacklevel = inspect.currentframe(), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, stacklevel = frame.f_back, stacklevel + 1
    warnings.warn(message, UserWarning, stacklevel=stacklevel)


def check_hyperparameter(owner: str, name: str, value, low=None, high=None,
                         low_open=False, high_open=False) -> float:
    """``value`` as a float, after checking it is a finite number within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number, got {type(value).__name__}")
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if not math.isfinite(value) or too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        low_text = "-inf" if low is None else low
        high_text = "inf" if high is None else high
        bounds = f"{left}{low_text}, {high_text}{right}"
        raise ValueError(f"{owner}: {name} must be in {bounds}, got {value}")
    return value


def _as_array(owner: str, what: str, value) -> np.ndarray:
    """The ndarray of a Tensor-like (``.data``) or of an array-like."""
    if isinstance(value, np.ndarray):
        return value
    data = getattr(value, "data", None)
    if isinstance(data, np.ndarray):
        return data
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{owner}: {what} must be an array or a Tensor, got "
                        f"{type(value).__name__}") from error


class Optimizer:
    r"""Base class of dlpath's optimizers (Keras 3 ``keras.optimizers.Optimizer``).

    Args:
        learning_rate: a float >= 0, a `LearningRateSchedule` (called with ``iterations``),
            or a callable taking no argument or the step.
        weight_decay: if set, decoupled weight decay
            :math:`\theta \leftarrow \theta (1 - \eta_t \lambda)` before each update.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient elementwise to [-clipvalue, clipvalue].
        global_clipnorm: clip all gradients together to this joint L2 norm.
        name: the optimizer's name.
        **legacy: tf.keras 2 spellings ``lr=`` (the learning rate) and ``decay=`` (time-based
            decay, :math:`\eta_t = \eta / (1 + \text{decay} \cdot t)`); each is honoured
            and warned about once per process.

    Variables are Tensors (anything with a floating ``.data`` ndarray); the first `apply`
    builds the state for them, and later calls must pass variables from that same list.
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, **legacy):
        owner = type(self).__name__
        learning_rate = self._resolve_legacy_lr(learning_rate, legacy)
        decay = legacy.pop("decay", None)
        if legacy:
            raise TypeError(
                f"{owner}: unexpected keyword argument(s) {sorted(legacy)}; see "
                f"help(dlpath.optimizers.{owner}) for the accepted ones"
            )
        self.name = name if name is not None else owner.lower()
        self._learning_rate = None
        self._lr_takes_step = False
        self.learning_rate = learning_rate
        self.weight_decay = None if weight_decay is None else check_hyperparameter(
            owner, "weight_decay", weight_decay, low=0.0)
        clips = {"clipnorm": clipnorm, "clipvalue": clipvalue,
                 "global_clipnorm": global_clipnorm}
        given = {k: v for k, v in clips.items() if v is not None}
        if len(given) > 1:
            raise ValueError(
                f"{owner}: only one of clipnorm, clipvalue and global_clipnorm can be set, "
                f"got {given}"
            )
        for key, value in given.items():
            check_hyperparameter(owner, key, value, low=0.0, low_open=True)
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.decay = 0.0
        if decay is not None:
            _warn_legacy_once(
                "decay",
                f"{owner}(decay=...) is the tf.keras 2 time-based decay; use learning_rate="
                f"dlpath.optimizers.schedules.InverseTimeDecay(lr, 1, decay) instead",
            )
            self.decay = check_hyperparameter(owner, "decay", decay, low=0.0)
        self._iterations = 0
        self._exclude_ids: set = set()
        self._exclude_pattern = None
        self.built = False

    def _resolve_legacy_lr(self, learning_rate, legacy: dict):
        if "lr" not in legacy:
            return learning_rate
        owner = type(self).__name__
        lr = legacy.pop("lr")
        if not isinstance(learning_rate, DefaultLearningRate):
            raise ValueError(
                f"{owner}: got both lr={lr!r} and learning_rate={learning_rate!r}; "
                f"pass learning_rate only"
            )
        _warn_legacy_once(
            "lr", f"{owner}(lr=...) is the tf.keras 2 spelling; use learning_rate=...")
        return lr

    # ------------------------------------------------------------------ learning rate
    @property
    def learning_rate(self) -> float:
        """The rate set (a float, or the schedule's value at ``iterations``).

        Settable with a float (as ReduceLROnPlateau does), a schedule or a callable. The
        legacy ``decay=`` factor is not included; `current_learning_rate` includes it.
        """
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            return float(lr(self._iterations))
        if callable(lr):
            return float(lr(self._iterations) if self._lr_takes_step else lr())
        return lr

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        owner = type(self).__name__
        if isinstance(value, _schedules.LearningRateSchedule):
            self._learning_rate = value
        elif callable(value):
            self._learning_rate = value
            self._lr_takes_step = _takes_an_argument(value)
        else:
            if isinstance(self._learning_rate, _schedules.LearningRateSchedule):
                raise TypeError(
                    f"{owner}: this optimizer was created with a LearningRateSchedule, so its "
                    f"learning rate cannot be set to a number; create it with a float "
                    f"learning_rate to make it settable"
                )
            self._learning_rate = check_hyperparameter(owner, "learning_rate", value, low=0.0)

    @property
    def current_learning_rate(self) -> float:
        """The rate the next update uses: `learning_rate` / (1 + decay * iterations)."""
        lr = self.learning_rate
        if self.decay:
            lr = lr / (1.0 + self.decay * self._iterations)
        return float(lr)

    @property
    def iterations(self) -> int:
        """How many updates have been applied."""
        return self._iterations

    # ------------------------------------------------------------------ state
    def build(self, variables) -> None:
        """Record ``variables`` (their order defines the state's indices) and reset state.

        Subclasses call ``super().build(variables)`` first, then create their state with
        `add_optimizer_variables` / `add_variable_from_reference`.
        """
        owner = type(self).__name__
        variables = list(variables)
        for i, variable in enumerate(variables):
            data = getattr(variable, "data", None)
            if not isinstance(data, np.ndarray) or isinstance(variable, np.ndarray):
                raise TypeError(
                    f"{owner}: variable {i} must be a Tensor (an object with an ndarray "
                    f".data), got {type(variable).__name__}"
                )
            if data.dtype.kind != "f":
                raise TypeError(f"{owner}: variable {i} must be floating, got {data.dtype}")
        self._variables = variables
        self._index = {id(v): i for i, v in enumerate(variables)}
        self._slots: dict[str, list] = {}
        self._work = [np.empty_like(v.data) for v in variables]
        self._decay_cache: dict[int, bool] = {}
        self.built = True

    def add_variable_from_reference(self, reference, name: str, initial_value=0.0):
        """A state array shaped like ``reference.data``, filled with ``initial_value``,
        stored (for `get_state`) under slot ``name`` at the reference's index."""
        index = self._get_variable_index(reference)
        slot = self._slots.setdefault(name, [None] * len(self._variables))
        slot[index] = np.full_like(reference.data, initial_value)
        return slot[index]

    def add_optimizer_variables(self, variables, name: str, initial_value=0.0) -> list:
        """`add_variable_from_reference` for each variable: the list of their states."""
        return [self.add_variable_from_reference(v, name, initial_value) for v in variables]

    def _get_variable_index(self, variable) -> int:
        try:
            return self._index[id(variable)]
        except KeyError:
            raise ValueError(
                f"{type(self).__name__}: unknown variable {_describe(variable)}; an optimizer "
                f"updates only the variables it was built with — create a new optimizer "
                f"for a new set of variables"
            ) from None

    # ------------------------------------------------------------------ updates
    def update_step(self, gradient: np.ndarray, variable, learning_rate: float) -> None:
        """Update ``variable.data`` in place from ``gradient`` (subclasses implement)."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_step")

    def apply(self, grads, variables=None) -> None:
        """One update of ``variables`` (built on the first call) from ``grads``.

        ``grads`` are ndarrays or Tensors, one per variable; a ``None`` gradient skips its
        variable. Without ``variables``, the gradients follow the built variables' order.
        """
        owner = type(self).__name__
        grads = list(grads)
        if variables is None:
            if not self.built:
                raise ValueError(
                    f"{owner}: pass variables= to the first apply (or call build(variables))"
                )
            variables = self._variables
        else:
            variables = list(variables)
            if not self.built:
                self.build(variables)
        if len(grads) != len(variables):
            raise ValueError(
                f"{owner}: got {len(grads)} gradients for {len(variables)} variables"
            )
        pairs = []
        for gradient, variable in zip(grads, variables):
            index = self._get_variable_index(variable)
            if gradient is None:
                continue
            gradient = _as_array(owner, "a gradient", gradient)
            if gradient.shape != variable.data.shape:
                raise ValueError(
                    f"{owner}: the gradient of variable {index} has shape {gradient.shape}, "
                    f"expected the variable's shape {variable.data.shape}"
                )
            pairs.append((gradient, variable))
        if not pairs:
            raise ValueError(f"{owner}: no gradient given for any variable (all are None)")
        grads = self._clip_gradients([g for g, _ in pairs])
        variables = [v for _, v in pairs]
        learning_rate = self.current_learning_rate
        self._apply_weight_decay(variables, learning_rate)
        for gradient, variable in zip(grads, variables):
            self.update_step(gradient, variable, learning_rate)
        _apply_constraints(owner, variables)
        self._iterations += 1

    def apply_gradients(self, grads_and_vars, name=None, skip_gradients_aggregation=False,
                        **kwargs) -> int:
        """tf.keras 2 spelling of `apply`: takes ``(gradient, variable)`` pairs, such as
        ``zip(tape.gradient(loss, variables), variables)``; returns `iterations`.

        ``name``, ``skip_gradients_aggregation`` and tf.keras 2's
        ``experimental_aggregate_gradients`` are accepted and unused: there is one device,
        so there is nothing to aggregate.
        """
        unknown = sorted(set(kwargs) - {"experimental_aggregate_gradients"})
        if unknown:
            raise TypeError(f"{type(self).__name__}.apply_gradients: unexpected keyword "
                            f"argument(s) {unknown}")
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, variables = zip(*pairs)
        self.apply(grads, variables)
        return self._iterations

    def step(self, variables) -> None:
        """`apply` with each variable's own ``.grad`` (PyTorch's ``optimizer.step()``)."""
        variables = list(variables)
        self.apply([v.grad for v in variables], variables)

    @staticmethod
    def zero_grad(variables) -> None:
        """Forget the variables' gradients (``.grad = None``) before the next backward."""
        for variable in variables:
            variable.grad = None

    def _clip_gradients(self, grads: list) -> list:
        if self.clipvalue is not None:
            c = self.clipvalue
            return [np.clip(g, -c, c) for g in grads]
        if self.clipnorm is not None:
            return [_scale_to_norm(g, self.clipnorm, _norm(g)) for g in grads]
        if self.global_clipnorm is not None:
            norm = math.sqrt(sum(_norm(g) ** 2 for g in grads))
            return [_scale_to_norm(g, self.global_clipnorm, norm) for g in grads]
        return grads

    # ------------------------------------------------------------------ weight decay
    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Skip weight decay for ``var_list`` and for variables whose ``.name`` contains any
        of ``var_names`` (e.g. ``["bias"]``). Call before the first update."""
        if self.built:
            raise ValueError(
                f"{type(self).__name__}: exclude_from_weight_decay must be called before "
                f"the optimizer is built (before the first update)"
            )
        self._exclude_ids = {id(v) for v in var_list or ()}
        names = sorted(set(var_names or ()))
        self._exclude_pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def _use_weight_decay(self, variable) -> bool:
        key = id(variable)
        if key not in self._decay_cache:
            name = str(getattr(variable, "name", ""))
            excluded = key in self._exclude_ids or (
                self._exclude_pattern is not None and self._exclude_pattern.search(name))
            self._decay_cache[key] = not excluded
        return self._decay_cache[key]

    def _apply_weight_decay(self, variables, learning_rate: float) -> None:
        if not self.weight_decay:
            return
        factor = 1.0 - learning_rate * self.weight_decay
        for variable in variables:
            if self._use_weight_decay(variable):
                variable.data *= factor

    # ------------------------------------------------------------------ checkpoints
    def _state_prefix(self) -> str:
        return type(self).__name__.lower()

    def _state_shapes(self) -> dict:
        shapes = {"iterations": ()}
        if isinstance(self._learning_rate, numbers.Real):
            shapes["learning_rate"] = ()
        prefix = self._state_prefix()
        for slot, arrays in self._slots.items():
            for i, array in enumerate(arrays):
                if array is not None:
                    shapes[f"{prefix}/{slot}/{i}"] = array.shape
        return shapes

    def get_state(self) -> dict:
        """The optimizer's state as flat named arrays (copies): ``"iterations"``, the float
        ``"learning_rate"`` if not scheduled, and ``"<optimizer>/<slot>/<index>"``."""
        state = {"iterations": np.asarray(self._iterations, dtype=np.int64)}
        if isinstance(self._learning_rate, numbers.Real):
            state["learning_rate"] = np.asarray(self._learning_rate, dtype=np.float64)
        if not self.built:
            return state
        prefix = self._state_prefix()
        for slot, arrays in self._slots.items():
            for i, array in enumerate(arrays):
                if array is not None:
                    state[f"{prefix}/{slot}/{i}"] = array.copy()
        return state

    def set_state(self, state: dict, variables=None) -> None:
        """Restore `get_state`'s output, for the same variables in the same order.

        An optimizer not yet built needs ``variables`` to build its state first. Names and
        shapes are checked before anything is changed.
        """
        owner = type(self).__name__
        if not self.built:
            if variables is None:
                raise ValueError(
                    f"{owner}: set_state on an optimizer that has not been built needs "
                    f"variables= (the same variables, in the same order, as when saved)"
                )
            self.build(variables)
        expected = self._state_shapes()
        missing = sorted(set(expected) - set(state))
        unexpected = sorted(set(state) - set(expected))
        if missing or unexpected:
            raise ValueError(
                f"{owner}: state names do not match this optimizer: missing {missing}, "
                f"unexpected {unexpected}"
            )
        arrays = {name: np.asarray(value) for name, value in state.items()}
        for name, shape in expected.items():
            if arrays[name].shape != shape:
                raise ValueError(
                    f"{owner}: state {name!r} has shape {arrays[name].shape}, expected {shape}"
                )
        iterations = arrays["iterations"]
        if iterations.dtype.kind not in "iu" or int(iterations) < 0:
            raise ValueError(
                f"{owner}: state 'iterations' must be a non-negative integer, got {iterations}"
            )
        self._iterations = int(iterations)
        if "learning_rate" in arrays:
            self.learning_rate = float(arrays["learning_rate"])
        prefix = self._state_prefix()
        for slot, slot_arrays in self._slots.items():
            for i, array in enumerate(slot_arrays):
                if array is not None:
                    np.copyto(array, arrays[f"{prefix}/{slot}/{i}"], casting="same_kind")

    # ------------------------------------------------------------------ configuration
    def get_config(self) -> dict:
        """What rebuilds this optimizer (without its state): Keras 3's keys."""
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            lr = _schedules.serialize(lr)
        elif callable(lr):
            raise ValueError(
                f"{type(self).__name__}: a learning rate given as a plain callable cannot be "
                f"serialized; use a LearningRateSchedule subclass with get_config()"
            )
        config = {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                  "clipvalue": self.clipvalue}
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Optimizer:
        """Rebuild an optimizer from `get_config`'s output (or a Keras 3 optimizer config)."""
        config = dict(config)
        for key in _IGNORED_KERAS_KEYS:
            config.pop(key, None)
        for key in _UNSUPPORTED_KERAS_KEYS:
            if config.pop(key, None):
                raise ValueError(
                    f"{cls.__name__}.from_config: {key} is not supported by dlpath"
                )
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(
                config["learning_rate"], custom_objects)
        decay = config.pop("decay", None) or 0.0
        optimizer = cls(**config)
        optimizer.decay = check_hyperparameter(cls.__name__, "decay", decay, low=0.0)
        return optimizer

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self._learning_rate!r}, name={self.name!r})"


def _takes_an_argument(function) -> bool:
    """Whether ``function`` can be called with one positional argument (the step)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return False
    try:
        signature.bind(0)
    except TypeError:
        return False
    return True


def _describe(variable) -> str:
    name = getattr(variable, "name", None)
    shape = getattr(getattr(variable, "data", None), "shape", None)
    return f"{name!r} of shape {shape}" if name else f"of shape {shape}"


def _apply_constraints(owner: str, variables) -> None:
    """Project each variable that has a ``constraint`` (Keras 3 applies them after the
    update, to the updated values)."""
    for variable in variables:
        constraint = getattr(variable, "constraint", None)
        if constraint is None:
            continue
        projected = _as_array(owner, "a constraint's result", constraint(variable))
        if projected.shape != variable.data.shape:
            raise ValueError(
                f"{owner}: the constraint {constraint!r} of variable {_describe(variable)} "
                f"returned shape {projected.shape}; a constraint must keep the shape"
            )
        np.copyto(variable.data, projected, casting="same_kind")


def _norm(gradient: np.ndarray) -> float:
    flat = gradient.reshape(-1)
    return math.sqrt(float(np.dot(flat, flat)))


def _scale_to_norm(gradient: np.ndarray, clip: float, norm: float) -> np.ndarray:
    """g * clip / max(norm, clip): unchanged when the norm is within the limit."""
    if norm <= clip:
        return gradient
    return gradient * (clip / norm)
