"""keras.ops.rearrange (einops notation) against NumPy reshapes and transposes, with
gradients; keras.ops.vectorize against np.vectorize."""

from __future__ import annotations

import numpy as np
import pytest

from dlpath.engine import Tensor, gradcheck
from dlpath.keras import ops as kops

X = np.random.default_rng(7).standard_normal((2, 6, 4, 3))


@pytest.mark.parametrize("pattern, lengths, expected", [
    ("b h w c -> b (h w) c", {}, lambda a: a.reshape(2, 24, 3)),
    ("b h w c -> b c h w", {}, lambda a: a.transpose(0, 3, 1, 2)),
    ("b (h1 h2) w c -> b h1 (h2 w) c", {"h1": 3}, lambda a: a.reshape(2, 3, 8, 3)),
    ("b (h1 h2) w c -> h2 b w c h1", {"h2": 2},
     lambda a: a.reshape(2, 3, 2, 4, 3).transpose(2, 0, 3, 4, 1)),
    ("b ... c -> c b ...", {}, lambda a: a.transpose(3, 0, 1, 2)),
    ("b h w c -> (b h) 1 w c", {}, lambda a: a.reshape(12, 1, 4, 3)),
])
def test_rearrange_matches_numpy_and_has_gradients(pattern, lengths, expected):
    np.testing.assert_array_equal(kops.rearrange(X, pattern, **lengths).data,
                                  expected(X))
    gradcheck(lambda a: kops.rearrange(a, pattern, **lengths), X[:, :, :2, :2])


def test_rearrange_errors_name_the_pattern():
    with pytest.raises(ValueError, match="rearrange: the two sides"):
        kops.rearrange(X, "b h w c -> b h w")
    with pytest.raises(ValueError, match="rearrange: 'b h w -> b h w' needs 3 axes"):
        kops.rearrange(X, "b h w -> b h w")
    with pytest.raises(ValueError, match="cannot split into"):
        kops.rearrange(X, "b (h1 h2) w c -> b h1 h2 w c", h1=4)
    with pytest.raises(ValueError, match="give the lengths of all but one"):
        kops.rearrange(X, "b (h1 h2) w c -> b h1 h2 w c")


def test_vectorize_elementwise_and_with_a_signature():
    add = kops.vectorize(lambda a, b: a + b)
    np.testing.assert_allclose(add([1.0, 2.0, 3.0], 2.0).data, [3.0, 4.0, 5.0])
    expected = np.vectorize(lambda a, b: a * b)(X[0, :, 0], X[1, :1, 0])
    np.testing.assert_allclose(kops.vectorize(lambda a, b: a * b)(X[0, :, 0], X[1, :1, 0]).data,
                               expected, rtol=1e-6)
    row_dot = kops.vectorize(lambda m, v: kops.matmul(m, v), signature="(m,n),(n)->(m)")
    got = row_dot(X[:, 0, :2, :], X[:, 1, 0, :])  # (2, 2, 3) @ (2, 3) per batch
    np.testing.assert_allclose(got.data, np.einsum("bmn,bn->bm", X[:, 0, :2], X[:, 1, 0]),
                               rtol=1e-5)
    scaled = kops.vectorize(lambda a, k: a * k, excluded={1})
    np.testing.assert_allclose(scaled(np.array([1.0, 2.0]), 3.0).data, [3.0, 6.0])
    gradcheck(lambda a: kops.vectorize(lambda m: (m * m).sum(), signature="(n)->()")(a),
              X[0, 0])
    with pytest.raises(ValueError, match="vectorize: signature"):
        kops.vectorize(lambda a: a, signature="(n),(n)->()")(np.ones(3))
