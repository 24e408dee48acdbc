"""Keras 3's image augmentation layers beyond the classic random ones, in one place."""

from dlpath.layers.preprocessing.bounding_boxes import MaxNumBoundingBoxes
from dlpath.layers.preprocessing.color_augmentation import (
    RandomColorDegeneration, RandomColorJitter, RandomGrayscale, RandomHue, RandomInvert,
    RandomSaturation,
)
from dlpath.layers.preprocessing.image_warps import RandomPerspective, RandomShear
from dlpath.layers.preprocessing.intensity_augmentation import (
    AutoContrast, Equalization, RandomPosterization, RandomSharpness, Solarization,
)
from dlpath.layers.preprocessing.local_augmentation import RandomErasing, RandomGaussianBlur
from dlpath.layers.preprocessing.mixing_augmentation import CutMix, MixUp
from dlpath.layers.preprocessing.pipeline import Pipeline
from dlpath.layers.preprocessing.policy_augmentation import AugMix, RandAugment

__all__ = [
    "RandomGrayscale", "RandomHue", "RandomSaturation", "RandomColorDegeneration",
    "RandomColorJitter", "RandomInvert", "RandomPosterization", "Solarization",
    "RandomSharpness", "AutoContrast", "Equalization", "RandomShear", "RandomPerspective",
    "RandomErasing", "RandomGaussianBlur", "MixUp", "CutMix", "RandAugment", "AugMix",
    "Pipeline", "MaxNumBoundingBoxes",
]
