"""``tf.io``: whole files as bytes (`read_file`, `write_file`), image codecs (as in
``tf.image``) and `gfile`, on local files.

TensorFlow gives file contents as a scalar string tensor; dlpath gives Python ``bytes``
(what that tensor's ``.numpy()`` is), and takes ``bytes`` or ``str`` to write.
"""

from __future__ import annotations

import os
import tempfile

from dlpath.tf_api import gfile
from dlpath.tf_api.gfile import local_path
from dlpath.tf_api.image_codec import (
    decode_bmp, decode_gif, decode_image, decode_jpeg, decode_png, encode_jpeg, encode_png,
    is_jpeg,
)


def read_file(filename, name=None) -> bytes:
    """The file's contents; FileNotFoundError naming it if it does not exist."""
    path = local_path(filename, "read_file")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"read_file: {path!r}: no such file")
    with open(path, "rb") as handle:
        return handle.read()


def write_file(filename, contents, name=None) -> None:
    """Write ``contents`` (bytes, or str as UTF-8) to ``filename``, atomically: into a
    temporary file in the same folder, then renamed over the target. Missing parent
    folders are created, as TensorFlow does."""
    path = local_path(filename, "write_file")
    if hasattr(contents, "numpy") and not isinstance(contents, (bytes, str)):
        contents = contents.numpy()
    if hasattr(contents, "item") and getattr(contents, "ndim", 1) == 0:
        contents = contents.item()
    if isinstance(contents, str):
        contents = contents.encode("utf-8")
    if not isinstance(contents, (bytes, bytearray, memoryview)):
        raise TypeError(f"write_file: contents must be bytes or str, got "
                        f"{type(contents).__name__}")
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".write_file.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(bytes(contents))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file (mkstemp: 0600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


__all__ = ["decode_bmp", "decode_gif", "decode_image", "decode_jpeg", "decode_png",
           "encode_jpeg", "encode_png", "gfile", "is_jpeg", "read_file", "write_file"]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
