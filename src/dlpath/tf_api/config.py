"""``tf.config``: devices and threading. dlpath computes on the CPU with NumPy, so there is
one CPU device, no GPU, and the GPU and threading settings programs make are accepted."""

from __future__ import annotations

import types
from dataclasses import dataclass


@dataclass(frozen=True)
class PhysicalDevice:
    """A device as ``tf.config.list_physical_devices`` reports it."""

    name: str
    device_type: str


_CPU = PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")
_threads = {"inter_op": 0, "intra_op": 0}
_KNOWN_TYPES = ("CPU", "GPU", "TPU")


def list_physical_devices(device_type=None) -> list:
    """[the CPU] for None or "CPU"; [] for "GPU" and "TPU"."""
    if device_type is None:
        return [_CPU]
    kind = str(device_type).upper()
    if kind not in _KNOWN_TYPES:
        raise ValueError(f"list_physical_devices: device_type must be one of "
                         f"{_KNOWN_TYPES} or None, got {device_type!r}")
    return [_CPU] if kind == "CPU" else []


def list_logical_devices(device_type=None) -> list:
    return list_physical_devices(device_type)


def get_visible_devices(device_type=None) -> list:
    return list_physical_devices(device_type)


def set_visible_devices(devices, device_type=None) -> None:
    """Accepted; dlpath always runs on the CPU."""


def _set_memory_growth(device, enable: bool) -> None:
    """Accepted (no GPU memory to grow)."""


def _get_memory_growth(device) -> bool:
    return False


def _set_threads(kind: str):
    def setter(num_threads: int) -> None:
        if int(num_threads) < 0:
            raise ValueError(f"set_{kind}_parallelism_threads: expected >= 0, got "
                             f"{num_threads}")
        _threads[kind] = int(num_threads)
        if kind == "intra_op":  # the threads inside one op are BLAS's; 0: dlpath decides
            from dlpath.engine import threads

            threads.set_threads(int(num_threads) or None)
    return setter


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Accepted: dlpath always runs eagerly."""


def functions_run_eagerly() -> bool:
    return True


experimental = types.SimpleNamespace(
    set_memory_growth=_set_memory_growth,
    get_memory_growth=_get_memory_growth,
    list_physical_devices=list_physical_devices,
    list_logical_devices=list_logical_devices,
    set_visible_devices=set_visible_devices,
    get_visible_devices=get_visible_devices,
)

threading = types.SimpleNamespace(
    set_inter_op_parallelism_threads=_set_threads("inter_op"),
    set_intra_op_parallelism_threads=_set_threads("intra_op"),
    get_inter_op_parallelism_threads=lambda: _threads["inter_op"],
    get_intra_op_parallelism_threads=lambda: _threads["intra_op"],
)

__all__ = [
    "PhysicalDevice", "list_physical_devices", "list_logical_devices", "get_visible_devices",
    "set_visible_devices", "run_functions_eagerly", "functions_run_eagerly", "experimental",
    "threading",
]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
