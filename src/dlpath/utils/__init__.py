"""Utilities with tf.keras 2's names: files (`get_file`), progress (`Progbar`), custom
objects by name, normalization and the drawing of model graphs (`plot_model`)."""

from dlpath.callbacks.progbar import Progbar
from dlpath.utils.archives import UnsafeArchiveError, extract_archive
from dlpath.utils.file_download import FileNotAvailableError, get_file
from dlpath.utils.numerical import normalize
from dlpath.utils.object_scope import (
    CustomObjectScope, custom_object_scope, get_custom_objects,
)

__all__ = [
    "Progbar", "get_file", "extract_archive", "normalize", "get_custom_objects",
    "custom_object_scope", "CustomObjectScope", "FileNotAvailableError",
    "UnsafeArchiveError",
]
