"""``tf.debugging``: the settings and checks programs call."""

from __future__ import annotations

import numpy as np

from dlpath.ops._convert import values


def set_log_device_placement(enabled: bool) -> None:
    """Accepted: every op runs on the CPU."""


def check_numerics(tensor, message: str):
    """``tensor`` unchanged, or InvalidArgumentError-like ValueError if it has NaN or inf."""
    if not np.all(np.isfinite(values(tensor))):
        raise ValueError(f"check_numerics: {message}: the tensor has NaN or inf values")
    return tensor


def assert_equal(x, y, message: str = "") -> None:
    if not np.all(np.equal(values(x), values(y))):
        raise ValueError(f"assert_equal: {message} the values differ")


from dlpath.tf_api.asserts import *  # noqa: E402,F401,F403 - the other assertions
from dlpath.tf_api.asserts import __all__ as _assert_names  # noqa: E402

__all__ = ["set_log_device_placement", "check_numerics", "assert_equal", *_assert_names]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
