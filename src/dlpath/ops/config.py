"""The backend settings Keras programs read and set: epsilon, floatx, image data format.

dlpath's layers compute in float32 on NHWC images, so ``floatx`` and ``image_data_format``
accept only those values and say so when asked for others.
"""

from __future__ import annotations

_settings = {"epsilon": 1e-7, "floatx": "float32", "image_data_format": "channels_last"}


def backend() -> str:
    """The name of the backend computing Keras' ops: ``"dlpath"`` (Keras says
    ``"tensorflow"``, ``"jax"``, ...)."""
    return "dlpath"


def epsilon() -> float:
    """The fuzz factor added to denominators (1e-7, as Keras)."""
    return _settings["epsilon"]


def set_epsilon(value: float) -> None:
    value = float(value)
    if not value > 0:
        raise ValueError(f"set_epsilon: epsilon must be > 0, got {value}")
    _settings["epsilon"] = value


def floatx() -> str:
    return _settings["floatx"]


def set_floatx(value: str) -> None:
    """Only 'float32': layers take their dtype from their own ``dtype=`` argument."""
    if value != "float32":
        raise ValueError(f"set_floatx: only 'float32' is supported, got {value!r}; give a "
                         f"layer dtype='{value}' to compute in another precision")
    _settings["floatx"] = value


def image_data_format() -> str:
    return _settings["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    """Only 'channels_last' (NHWC): dlpath's convolution and pooling layers are NHWC."""
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"set_image_data_format: expected 'channels_last' or "
                         f"'channels_first', got {data_format!r}")
    if data_format == "channels_first":
        raise ValueError("set_image_data_format: 'channels_first' is not supported: dlpath's "
                         "image layers are channels_last (NHWC); transpose the data instead")
    _settings["image_data_format"] = data_format
