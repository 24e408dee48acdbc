"""One converter per layer class, in one module per family of layers (see `registry`)."""

from dlpath.export.converters import (  # noqa: F401  (each module registers its converters)
    adaptive_pooling, attention, conv, core, embedding, merge, models, normalization,
    pooling, preprocessing,
    more_layers, recurrent, reshaping,
)
from dlpath.export.converters.registry import converter_for, register, supported_classes

__all__ = ["converter_for", "register", "supported_classes"]
