"""Keras' preprocessing layers: normalization, image resizing and augmentation, text and
categorical lookups, hashing."""

from dlpath.layers.preprocessing.category_encoding import CategoryEncoding
from dlpath.layers.preprocessing.hashing import Hashing
from dlpath.layers.preprocessing.discretization import Discretization
from dlpath.layers.preprocessing.hashed_crossing import HashedCrossing
from dlpath.layers.preprocessing.image_random_more import (
    RandomBrightness, RandomHeight, RandomWidth,
)
from dlpath.layers.preprocessing.image_affine import (
    RandomRotation, RandomTranslation, RandomZoom,
)
from dlpath.layers.preprocessing.image_augmentation import (
    RandomContrast, RandomCrop, RandomFlip,
)
from dlpath.layers.preprocessing.image_resizing import CenterCrop, Resizing
from dlpath.layers.preprocessing.lookup import IntegerLookup, StringLookup
from dlpath.layers.preprocessing.normalization import Normalization
from dlpath.layers.preprocessing.rescaling import Rescaling
from dlpath.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "Normalization", "Rescaling", "Resizing", "CenterCrop",
    "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom", "RandomCrop",
    "RandomContrast",
    "TextVectorization", "StringLookup", "IntegerLookup", "CategoryEncoding", "Hashing",
    "Discretization", "RandomBrightness", "RandomHeight", "RandomWidth",
    "HashedCrossing",
]
