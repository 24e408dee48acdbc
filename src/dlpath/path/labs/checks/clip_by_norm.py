"""Checks of the clip-by-norm lab: per-tensor clipping against dlpath's clipnorm= and global
clipping against dlpath's global_clipnorm= (both read off one SGD update with rate 1 from
zero), gradients below the limit, zeros, None entries, the returned norm, and float32."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.optimizers import SGD
from dlpath.path.labs.checks._optimizers import random_shape
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["clip_by_norm", "clip_by_global_norm"]


def dlpath_clipped(grads, **clip):
    """The gradients dlpath's optimizer applies: SGD(learning_rate=1) from zero gives -g."""
    variables = [Tensor(np.zeros(np.shape(g) if g is not None else (1,)),
                        dtype=g.dtype if g is not None else np.float64) for g in grads]
    SGD(learning_rate=1.0, **clip).apply(grads, variables)
    return [None if g is None else -v.data for g, v in zip(grads, variables)]


def _norm(g):
    return float(np.sqrt(np.sum(np.asarray(g, dtype=np.float64) ** 2)))


def _gradient(rng, shape, norm, dtype=np.float64):
    g = rng.standard_normal(shape)
    return (g * norm / _norm(g)).astype(dtype)


@check("per-tensor")
def per_tensor(learner, rng):
    for factor in (float(rng.uniform(2, 5)), float(rng.uniform(1.2, 2))):
        shape = random_shape(rng)
        c = float(rng.uniform(0.5, 3))
        g = _gradient(rng, shape, factor * c)
        case = Case(learner.clip_by_norm, f"g of shape {shape} and norm {factor * c:.3g}, "
                                          f"clip_norm={c:.3g}")
        result = case.call(g, c)
        expected, = dlpath_clipped([g], clipnorm=c)
        case.expect_close("g_clipped", result, expected, rtol=1e-10, atol=1e-12, mistakes={
            "clipvalue_instead": np.clip(g, -c, c),
            "squared_norm": g * c / _norm(g) ** 2,
            "rms_norm": g * c / max(np.sqrt(np.mean(g * g)), c),
            "max_norm": g * c / max(np.abs(g).max(), c)})
        case.expect_dtype("g_clipped", result, g.dtype)


@check("below-the-limit")
def below_the_limit(learner, rng):
    shape = random_shape(rng)
    c = float(rng.uniform(1, 3))
    g = _gradient(rng, shape, float(rng.uniform(0.2, 0.9)) * c)
    case = Case(learner.clip_by_norm, f"g of shape {shape} and norm {_norm(g):.3g} below "
                                      f"clip_norm={c:.3g}")
    case.expect_close("g_clipped", case.call(g, c), g, rtol=1e-12, atol=0, mistakes={
        "scaled_up": g * c / _norm(g), "clipvalue_instead": np.clip(g, -c, c)})


def _grads(rng, count, dtype=np.float64):
    return [rng.standard_normal(random_shape(rng)).astype(dtype) * rng.uniform(0.3, 3)
            for _ in range(count)]


def _pair(case, result, count):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("not_a_pair", type=type(result).__name__)
    clipped, norm = result
    if not isinstance(clipped, (list, tuple)) or len(clipped) != count:
        case.fail("not_a_list", count=count, type=type(clipped).__name__)
    return clipped, norm


def _global(learner, grads, c, what):
    real = [g for g in grads if g is not None]
    total = float(np.sqrt(sum(_norm(g) ** 2 for g in real)))
    shapes = ", ".join("None" if g is None else str(g.shape) for g in grads)
    case = Case(learner.clip_by_global_norm, f"{what}: gradients {shapes}, global norm "
                                             f"{total:.3g}, clip_norm={c:.3g}")
    clipped, norm = _pair(case, case.call(grads, c), len(grads))
    expected = dlpath_clipped(grads, global_clipnorm=c)
    for i, (mine, g, reference) in enumerate(zip(clipped, grads, expected)):
        if g is None:
            if mine is not None:
                case.fail("none_not_kept", index=i)
            continue
        per_tensor_clip = g * c / max(_norm(g), c)
        sum_of_norms = sum(_norm(h) for h in real)
        case.expect_close(f"clipped[{i}]", mine, reference, rtol=1e-10, atol=1e-12, mistakes={
            "per_tensor_instead": per_tensor_clip,
            "sum_of_norms": g * c / max(sum_of_norms, c),
            "global_scaled_up": g * c / total if total > 0 else g,
            "squared_global_norm": g * c / max(total ** 2, c)})
        case.expect_dtype(f"clipped[{i}]", mine, g.dtype)
    case.expect_close("global_norm", norm, total, rtol=1e-9, atol=1e-12, mistakes={
        "norm_after_clipping": min(total, c), "norm_squared": total ** 2,
        "norm_sum_of_norms": sum(_norm(h) for h in real)})


@check("global")
def global_(learner, rng):
    grads = _grads(rng, int(rng.integers(2, 5)))
    total = float(np.sqrt(sum(_norm(g) ** 2 for g in grads)))
    _global(learner, grads, total / float(rng.uniform(1.5, 4)), "above the limit")
    grads = _grads(rng, int(rng.integers(2, 5)))
    total = float(np.sqrt(sum(_norm(g) ** 2 for g in grads)))
    largest = max(_norm(g) for g in grads)
    # between the largest single norm and the global norm: only clipping together clips
    _global(learner, grads, (largest + total) / 2, "each tensor below the limit, together above")


@check("global-below-the-limit")
def global_below_the_limit(learner, rng):
    grads = _grads(rng, int(rng.integers(2, 5)))
    total = float(np.sqrt(sum(_norm(g) ** 2 for g in grads)))
    _global(learner, grads, total * float(rng.uniform(1.2, 3)), "below the limit")


@check("none-entries")
def none_entries(learner, rng):
    grads = _grads(rng, 3)
    grads.insert(int(rng.integers(0, 4)), None)
    total = float(np.sqrt(sum(_norm(g) ** 2 for g in grads if g is not None)))
    _global(learner, grads, total / 2, "one entry None")


@check("zeros")
def zeros(learner, rng):
    shape = random_shape(rng)
    case = Case(learner.clip_by_norm, f"an all-zero gradient of shape {shape}")
    case.expect_close("g_clipped", case.call(np.zeros(shape), 1.0), np.zeros(shape), atol=0)
    _global(learner, [np.zeros(shape), np.zeros(random_shape(rng))], 1.0, "all-zero gradients")


@check("float32")
def float32(learner, rng):
    shape = random_shape(rng)
    g = _gradient(rng, shape, 5.0, np.float32)
    case = Case(learner.clip_by_norm, f"g of shape {shape}, float32")
    result = case.call(g, 1.0)
    case.expect_dtype("g_clipped", result, np.float32)
    case.expect_close("g_clipped", result, dlpath_clipped([g], clipnorm=1.0)[0], rtol=1e-5,
                      atol=1e-7)
    grads = _grads(rng, 3, np.float32)
    total = float(np.sqrt(sum(_norm(g) ** 2 for g in grads)))
    case = Case(learner.clip_by_global_norm, "three float32 gradients")
    clipped, _ = _pair(case, case.call(grads, total / 3), 3)
    for i, (mine, reference) in enumerate(zip(clipped, dlpath_clipped(
            grads, global_clipnorm=total / 3))):
        case.expect_dtype(f"clipped[{i}]", mine, np.float32)
        case.expect_close(f"clipped[{i}]", mine, reference, rtol=1e-5, atol=1e-7)
