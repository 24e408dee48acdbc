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
from dlpath.tf_api.io_csv import decode_csv
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


def matching_files(pattern, name=None) -> list:
    """The paths matching the glob ``pattern``, sorted (TensorFlow: a string tensor)."""
    return gfile.glob(pattern)


def _raw(contents, owner: str) -> bytes:
    if isinstance(contents, str):
        return contents.encode("utf-8")
    if not isinstance(contents, (bytes, bytearray, memoryview)):
        raise TypeError(f"{owner}: expected bytes, got {type(contents).__name__}")
    return bytes(contents)


def encode_base64(input, pad: bool = False, name=None) -> bytes:  # noqa: A002 - TF's name
    """URL-safe base64 (``-`` and ``_``), without ``=`` padding unless ``pad``."""
    import base64

    encoded = base64.urlsafe_b64encode(_raw(input, "encode_base64"))
    return encoded if pad else encoded.rstrip(b"=")


def decode_base64(input, name=None) -> bytes:  # noqa: A002
    """The bytes of URL-safe base64, padded or not."""
    import base64
    import binascii

    data = _raw(input, "decode_base64")
    try:
        return base64.urlsafe_b64decode(data + b"=" * (-len(data) % 4))
    except binascii.Error as error:
        raise ValueError(f"decode_base64: invalid base64 data: {error}") from None


def decode_raw(input_bytes, out_type, little_endian: bool = True,
               fixed_length=None, name=None):
    """The bytes read as a 1-D array of ``out_type`` numbers."""
    import numpy as np

    from dlpath.engine import Tensor

    data = _raw(input_bytes, "decode_raw")
    if fixed_length is not None:
        data = data[:int(fixed_length)].ljust(int(fixed_length), b"\0")
    dtype = np.dtype(getattr(out_type, "as_numpy_dtype", out_type))
    if len(data) % dtype.itemsize:
        raise ValueError(f"decode_raw: {len(data)} bytes are not a whole number of {dtype} "
                         f"values ({dtype.itemsize} bytes each)")
    values = np.frombuffer(data, dtype=dtype.newbyteorder("<" if little_endian else ">"))
    return Tensor(values.astype(dtype), dtype=dtype)


def decode_compressed(bytes, compression_type: str = "", name=None):  # noqa: A002
    """The bytes uncompressed: ``compression_type`` "" (as they are), "ZLIB" or "GZIP"."""
    import gzip
    import zlib

    data = _raw(bytes, "decode_compressed")
    kind = compression_type.upper()
    if kind == "":
        return data
    if kind == "ZLIB":
        return zlib.decompress(data)
    if kind == "GZIP":
        return gzip.decompress(data)
    raise ValueError(f"decode_compressed: compression_type must be '', 'ZLIB' or 'GZIP', got "
                     f"{compression_type!r}")


__all__ = ["decode_base64", "decode_bmp", "decode_compressed", "decode_csv", "decode_gif",
           "decode_image", "decode_jpeg", "decode_png", "decode_raw", "encode_base64",
           "encode_jpeg", "encode_png", "gfile", "is_jpeg", "matching_files", "read_file",
           "write_file"]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
