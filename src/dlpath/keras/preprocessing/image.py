"""``keras.preprocessing.image``: ImageDataGenerator and the image file helpers."""

from dlpath.preprocessing.image import array_to_img, img_to_array, load_img, save_img
from dlpath.preprocessing.image_affine import apply_affine_transform, apply_channel_shift
from dlpath.preprocessing.image_generator import ImageDataGenerator
from dlpath.preprocessing.image_iterators import DirectoryIterator, NumpyArrayIterator

__all__ = ["ImageDataGenerator", "DirectoryIterator", "NumpyArrayIterator", "load_img",
           "img_to_array", "array_to_img", "save_img", "apply_affine_transform",
           "apply_channel_shift"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
