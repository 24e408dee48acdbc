"""A layer test harness: one call checks shapes, weights, config round trip, gradients."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor


def run_layer_test(layer_cls, init_kwargs, input_shape, expected_output_shape,
                   expected_num_trainable_weights, expected_num_non_trainable_weights=0,
                   input_data=None, training=False, seed=0):
    """Build ``layer_cls(**init_kwargs)`` on random input of ``input_shape`` and check:
    the output shape, the number of weights, that gradients reach every trainable weight
    and the input, and that ``from_config(get_config())`` rebuilds an equal layer.
    Returns (layer, output).
    """
    rng = np.random.default_rng(seed)
    data = rng.standard_normal(input_shape) if input_data is None else input_data
    layer = layer_cls(**init_kwargs)
    x = Tensor(data, requires_grad=np.asarray(data).dtype.kind == "f")
    out = layer(x, training=training)
    assert out.shape == tuple(expected_output_shape), (
        f"{layer_cls.__name__}: output shape {out.shape}, expected {expected_output_shape}")
    assert len(layer.trainable_weights) == expected_num_trainable_weights
    assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights
    if out.requires_grad:
        out.backward(rng.standard_normal(out.shape).astype(out.dtype))
        for weight in layer.trainable_weights:
            assert weight.grad is not None, f"no gradient reached {weight.name}"
            assert weight.grad.shape == weight.shape
    if hasattr(layer, "compute_output_shape"):
        shape = layer.compute_output_shape((None,) + tuple(input_shape[1:]))
        assert tuple(shape)[1:] == tuple(expected_output_shape)[1:]
    config = layer.get_config()
    clone = layer_cls.from_config(config)
    assert clone.get_config() == config
    clone(Tensor(data))
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(Tensor(data), training=False).data,
                               layer(Tensor(data), training=False).data, rtol=1e-5, atol=1e-6)
    return layer, out
