"""What the checks of the framework labs share: calling the learner's functions on models
(which they are meant to change, so unlike ``Case.call`` the models are neither copied nor
compared), the digits data, and small probes of a model's weights.

The learner's code of a framework lab is written on dlpath's Keras API; the checks build
small models and data, run what the learner wrote, and compare with what dlpath itself does
(``model.fit``, ``train_on_batch``, the engine's gradients) or with finite differences.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from dlpath.path.labs.checking import CheckFailed, fail, learner_line


def call(function, *args, case: str, **kwargs):
    """``function(*args, **kwargs)``; a raise is a failure naming the function and the line
    of the learner's file, and a NumPy array among the arguments must come back unchanged."""
    name = getattr(function, "__name__", "the function")
    arrays = [(i, a.copy()) for i, a in enumerate(args) if isinstance(a, np.ndarray)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = function(*args, **kwargs)
    except NotImplementedError as error:
        # a skeleton's stub says which method: "write build" inside a class
        stub = str(error).removeprefix("write ") if str(error).startswith("write ") else ""
        fail("not_implemented", name=f"{name}.{stub}" if stub and stub != name else name)
    except CheckFailed:
        raise
    except Exception as error:  # the learner's bug, reported with its line
        fail("raised", name=name, error=f"{type(error).__name__}: {error}",
             line=learner_line(error), case=case)
    for index, before in arrays:
        if not np.array_equal(before, args[index]):
            fail("mutated_input", name=name, argument=f"#{index + 1}", case=case)
    return result


def snapshot(variables) -> list:
    """Copies of the values of ``variables`` (Tensors or layers' weights)."""
    return [np.array(v.data, copy=True) for v in variables]


def changed(before: list, variables) -> list:
    """For each variable, whether its value differs from ``before``."""
    return [not np.array_equal(b, v.data) for b, v in zip(before, variables)]


@functools.lru_cache(maxsize=4)
def digits(seed: int = 0) -> tuple:
    """scikit-learn's 8x8 digits as ``((x, y), (x_val, y_val))``: float32 pixels / 16 in
    [0, 1] of shape (N, 8, 8), int64 labels; a stratified 80/20 split by ``seed``."""
    from dlpath.datasets import digits as digits_set

    (x, y), (x_val, y_val) = digits_set.load_data(test_size=0.2, seed=seed)
    return (x / 16.0, y), (x_val / 16.0, y_val)


def seed_from(rng) -> int:
    """A seed for dlpath's generator, drawn from the check's ``rng``."""
    return int(rng.integers(0, 2**31 - 1))
