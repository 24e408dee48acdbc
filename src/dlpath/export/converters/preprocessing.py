"""Preprocessing layers that are part of an inference graph.

- Rescaling: y = x * scale + offset (Mul, Add), scale and offset broadcast as in dlpath.
- Normalization: y = (x - mean) / max(sqrt(variance), eps), or with ``invert``
  y = mean + x * max(sqrt(variance), eps); the statistics are constants of the graph.
- RandomFlip, RandomRotation, RandomTranslation, RandomZoom, RandomContrast: the identity,
  as these layers are at inference. (RandomCrop resizes at inference and has no converter.)
- The Keras 3 augmentations that return their input at inference (`INFERENCE_IDENTITY`,
  from RandomGrayscale to AugMix): the identity too. (AutoContrast applies at inference and
  has no converter.) A Pipeline converts its layers in turn.
"""

from __future__ import annotations

import numpy as np

from dlpath.export.converters.registry import converter_for, register
from dlpath.layers.preprocessing import (
    Normalization, RandomContrast, RandomFlip, RandomRotation, RandomTranslation, RandomZoom,
    Rescaling,
)
from dlpath.layers.preprocessing import augmentations
from dlpath.layers.preprocessing.normalization import EPSILON

INFERENCE_IDENTITY = tuple(
    getattr(augmentations, name) for name in augmentations.__all__
    if name not in ("AutoContrast", "Pipeline"))


@register(Rescaling)
def convert_rescaling(ctx, layer, x):
    b = ctx.builder
    scale = b.constant(np.asarray(layer.scale, dtype=np.float32), f"{layer.name}/scale")
    offset = b.constant(np.asarray(layer.offset, dtype=np.float32), f"{layer.name}/offset")
    y = b.op("Add", [b.op("Mul", [x.name, scale], layer.name), offset], layer.name)
    return x.like(y, mask=x.mask)


@register(Normalization)
def convert_normalization(ctx, layer, x):
    b = ctx.builder
    mean, variance = (np.asarray(v, dtype=np.float64) for v in layer._statistics())
    scale = np.maximum(np.sqrt(variance), EPSILON)
    if layer.invert:
        y = b.op("Add", [b.op("Mul", [x.name, b.constant(scale, f"{layer.name}/scale")],
                              layer.name), b.constant(mean, f"{layer.name}/mean")], layer.name)
    else:
        y = b.op("Div", [b.op("Sub", [x.name, b.constant(mean, f"{layer.name}/mean")],
                              layer.name), b.constant(scale, f"{layer.name}/scale")],
                 layer.name)
    return x.like(y, mask=x.mask)


@register(RandomFlip, RandomRotation, RandomTranslation, RandomZoom, RandomContrast,
          *INFERENCE_IDENTITY)
def convert_augmentation(ctx, layer, x):
    return x.like(x.name, mask=x.mask)


@register(augmentations.Pipeline)
def convert_pipeline(ctx, layer, x):
    for sublayer in layer.layers:
        x = converter_for(sublayer)(ctx, sublayer, x)
    return x
