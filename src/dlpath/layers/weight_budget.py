"""A bound on the bytes of weights layers may create, checked before anything is allocated.

Each architecture value of a saved model is checked on its own (units, filters, kernel
sizes), but a product of sane values can still be huge: ``Dense(2**21)`` after a layer of
``2**21`` features asks for 16 TiB. When a model is rebuilt from a file, the loader knows
how many bytes of weights the file declares (and holds), so it builds the model inside
``weight_budget(nbytes)``: a layer that asks for more fails before allocating, with an error
naming the layer, the weight and its shape. Outside a budget, a weight larger than the
machine's memory fails the same way instead of deep inside NumPy.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os

_remaining: contextvars.ContextVar = contextvars.ContextVar("weight_budget", default=None)


class WeightBudgetError(MemoryError):
    """A layer asked for a weight larger than the bytes it may use."""


def physical_memory_bytes() -> int | None:
    """The machine's physical memory, or None where the OS does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


@contextlib.contextmanager
def weight_budget(nbytes: int, source: str = "the file"):
    """Within the block, all weights created together may take at most ``nbytes``."""
    token = _remaining.set([int(nbytes), int(nbytes), source])
    try:
        yield
    finally:
        _remaining.reset(token)


def charge(layer_name: str, weight_name: str, shape: tuple, itemsize: int) -> None:
    """Count a weight of ``shape`` against the budget; raise before it is allocated."""
    nbytes = math.prod(shape) * itemsize  # Python ints: no overflow
    budget = _remaining.get()
    if budget is not None:
        remaining, total, source = budget
        if nbytes > remaining:
            raise WeightBudgetError(
                f"Layer '{layer_name}': weight '{weight_name}' of shape {tuple(shape)} needs "
                f"{nbytes:,} bytes, but {source} declares {total:,} bytes of weights in all "
                f"({remaining:,} left)")
        budget[0] = remaining - nbytes
        return
    memory = physical_memory_bytes()
    if memory is not None and nbytes > memory:
        raise WeightBudgetError(
            f"Layer '{layer_name}': weight '{weight_name}' of shape {tuple(shape)} needs "
            f"{nbytes:,} bytes, more than this machine's {memory:,} bytes of memory")
