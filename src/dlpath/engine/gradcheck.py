"""`gradcheck`: analytic gradients against central finite differences, in float64."""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import no_grad
from dlpath.engine.tensor import Tensor


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with its finite-difference estimate."""


def _scalar_output(fn, inputs, projection):
    out = fn(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    if projection is None:
        return out, out if out.size == 1 else None
    return out, (out * projection).sum()


def gradcheck(fn, *inputs, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7,
              seed: int = 0, raise_on_failure: bool = True) -> float:
    """Compare the gradients of ``fn(*inputs)`` with central finite differences.

    For a non-scalar output y, the checked function is ``sum(y * r)`` with a fixed random r,
    so every output element takes part. Each floating input is converted to float64 and
    every one of its elements is perturbed by +-eps:

        dL/dx_i  ~  (L(x + eps e_i) - L(x - eps e_i)) / (2 eps)

    Returns the worst relative error max |analytic - numeric| / max(1, |numeric|) over all
    elements. Raises `GradcheckError` naming the input index and element that fails
    ``|analytic - numeric| <= atol + rtol |numeric|`` (unless ``raise_on_failure=False``).
    """
    tensors = []
    for value in inputs:
        if isinstance(value, Tensor):
            value = value.data
        array = np.asarray(value)
        if array.dtype.kind == "f":
            tensors.append(Tensor(array.astype(np.float64), requires_grad=True, dtype="float64"))
        else:
            tensors.append(Tensor(array))
    out = fn(*tensors)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    projection = None
    if out.size != 1:
        rng = np.random.default_rng(seed)
        projection = Tensor(rng.standard_normal(out.shape), dtype="float64")
    _, loss = _scalar_output(fn, tensors, projection)
    loss.backward()

    worst = 0.0
    with no_grad():
        for position, tensor in enumerate(tensors):
            if not tensor.requires_grad:
                continue
            analytic = tensor.grad if tensor.grad is not None else np.zeros_like(tensor.data)
            flat = tensor.data.reshape(-1)
            for i in range(flat.size):
                original = flat[i]
                flat[i] = original + eps
                plus = _scalar_output(fn, tensors, projection)[1].item()
                flat[i] = original - eps
                minus = _scalar_output(fn, tensors, projection)[1].item()
                flat[i] = original
                numeric = (plus - minus) / (2 * eps)
                exact = float(analytic.reshape(-1)[i])
                error = abs(exact - numeric)
                worst = max(worst, error / max(1.0, abs(numeric)))
                if raise_on_failure and error > atol + rtol * abs(numeric):
                    index = np.unravel_index(i, tensor.shape)
                    raise GradcheckError(
                        f"gradcheck: input {position} (shape {tensor.shape}) element "
                        f"{tuple(int(j) for j in index)}: analytic gradient {exact:.8g} vs "
                        f"numeric {numeric:.8g} (difference {error:.3g})"
                    )
    return worst
