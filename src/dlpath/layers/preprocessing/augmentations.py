"""Keras 3's image augmentation layers beyond the classic random ones, in one place."""

from dlpath.layers.preprocessing.color_augmentation import (
    RandomColorDegeneration, RandomColorJitter, RandomGrayscale, RandomHue, RandomInvert,
    RandomSaturation,
)
from dlpath.layers.preprocessing.intensity_augmentation import (
    AutoContrast, Equalization, RandomPosterization, RandomSharpness, Solarization,
)

__all__ = [
    "RandomGrayscale", "RandomHue", "RandomSaturation", "RandomColorDegeneration",
    "RandomColorJitter", "RandomInvert", "RandomPosterization", "Solarization",
    "RandomSharpness", "AutoContrast", "Equalization",
]
