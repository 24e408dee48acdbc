"""The one helper that checks an op against PyTorch (values and gradients) and by finite
differences in float64."""

from __future__ import annotations

import numpy as np
import torch

from dlpath.engine import Tensor, gradcheck

torch.set_num_threads(1)


def random_inputs(shapes, seed=0, low=None, high=None):
    rng = np.random.default_rng(seed)
    arrays = []
    for shape in shapes:
        if low is None:
            arrays.append(rng.standard_normal(shape))
        else:
            arrays.append(rng.uniform(low, high, shape))
    return arrays


def check_op(our_fn, torch_fn, arrays, *, atol=1e-5, rtol=1e-4, check_grad=True,
             finite_differences=True, grad_inputs=None):
    """Compare ``our_fn`` with ``torch_fn`` on ``arrays`` (float32), then gradcheck in float64.

    ``grad_inputs``: indices of the inputs that take part in differentiation (default all).
    Returns our output Tensor.
    """
    arrays = [np.asarray(a) for a in arrays]
    grad_inputs = range(len(arrays)) if grad_inputs is None else grad_inputs
    ours = [Tensor(a.astype(np.float32), requires_grad=i in grad_inputs)
            for i, a in enumerate(arrays)]
    theirs = [torch.tensor(a.astype(np.float32), requires_grad=i in grad_inputs)
              for i, a in enumerate(arrays)]
    out = our_fn(*ours)
    expected = torch_fn(*theirs)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=atol, rtol=rtol,
                               err_msg="forward values differ from PyTorch")
    assert out.data.dtype == np.float32, f"output dtype {out.data.dtype}, expected float32"
    if not check_grad:
        return out
    upstream = np.random.default_rng(123).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    for i in grad_inputs:
        np.testing.assert_allclose(ours[i].grad, theirs[i].grad.numpy(), atol=atol, rtol=rtol,
                                   err_msg=f"gradient of input {i} differs from PyTorch")
    if finite_differences:
        constants = {i: a for i, a in enumerate(arrays) if i not in grad_inputs}

        def in_float64(*variables):
            it = iter(variables)
            full = [Tensor(constants[i], dtype="float64") if i in constants else next(it)
                    for i in range(len(arrays))]
            return our_fn(*full)

        gradcheck(in_float64, *[a for i, a in enumerate(arrays) if i in grad_inputs])
    return out
