"""Image files to and from pixels with Pillow (imported on first use): ``decode_png``,
``decode_jpeg``, ``decode_gif``, ``decode_bmp``, ``decode_image``, ``encode_png``,
``encode_jpeg``.

Encoded images are Python ``bytes`` (TensorFlow gives a scalar string tensor, whose
``.numpy()`` is these bytes); the decoders take ``bytes`` (what `dlpath.tf_api.io.read_file`
returns) or a 0-d NumPy bytes array. Pixels are uint8 (H, W, C) Tensors (uint16 for 16-bit
PNGs decoded with ``dtype=uint16``).
"""

from __future__ import annotations

import io

import numpy as np

from dlpath.engine import Tensor

_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _contents(contents, owner: str) -> bytes:
    if isinstance(contents, Tensor):
        contents = contents.data
    if isinstance(contents, np.ndarray) and contents.ndim == 0:
        contents = contents.item()
    if isinstance(contents, str):
        raise TypeError(f"{owner}: contents must be the file's bytes (e.g. from "
                        f"tf.io.read_file), got a str; pass the bytes, not a path")
    if not isinstance(contents, (bytes, bytearray, memoryview, np.bytes_)):
        raise TypeError(f"{owner}: contents must be bytes, got {type(contents).__name__}")
    return bytes(contents)


def _open(contents, owner: str, formats=None):
    from PIL import Image, UnidentifiedImageError

    data = _contents(contents, owner)
    try:
        picture = Image.open(io.BytesIO(data), formats=formats)
        picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        kinds = "/".join(formats) if formats else "a known image format"
        raise ValueError(f"{owner}: contents are not {kinds} ({len(data)} bytes): "
                         f"{error}") from None
    return picture


def _natural_channels(picture) -> int:
    if picture.mode in ("L", "1", "I;16", "I;16B", "I"):
        return 1
    if picture.mode == "LA":
        return 2
    if picture.mode in ("RGBA", "PA") or (picture.mode == "P" and "transparency"
                                          in picture.info):
        return 4
    return 3


def _pixels(picture, channels: int, owner: str, dtype: str = "uint8") -> np.ndarray:
    if channels not in (0, 1, 2, 3, 4):
        raise ValueError(f"{owner}: channels must be 0 (as in the file), 1, 2, 3 or 4, got "
                         f"{channels}")
    wanted = channels or _natural_channels(picture)
    sixteen = picture.mode.startswith("I")
    if sixteen and wanted == 1:
        array = np.asarray(picture, dtype=np.uint16 if picture.mode != "I" else np.int32)
        array = np.clip(array, 0, 65535).astype(np.uint16)
    else:
        if sixteen:
            picture = picture.point(lambda v: v / 257).convert("L")
        array = np.asarray(picture.convert(_MODES[wanted]), dtype=np.uint8)
    if array.ndim == 2:
        array = array[:, :, None]
    if dtype == "uint16" and array.dtype == np.uint8:
        array = array.astype(np.uint16) * 257
    elif dtype == "uint8" and array.dtype == np.uint16:
        array = ((array.astype(np.uint32) + 128) // 257).astype(np.uint8)
    return array


def _dtype_name(dtype) -> str:
    return np.dtype(getattr(dtype, "as_numpy_dtype", dtype)).name


def decode_png(contents, channels: int = 0, dtype="uint8", name=None):
    """A PNG file's pixels, (H, W, C) uint8 (or uint16)."""
    dtype = _dtype_name(dtype)
    if dtype not in ("uint8", "uint16"):
        raise TypeError(f"decode_png: dtype must be uint8 or uint16, got {dtype}")
    picture = _open(contents, "decode_png", ["PNG"])
    array = _pixels(picture, int(channels), "decode_png", dtype)
    return Tensor(array, dtype=array.dtype)


def decode_jpeg(contents, channels: int = 0, ratio: int = 1, fancy_upscaling: bool = True,
                try_recover_truncated: bool = False, acceptable_fraction: float = 1,
                dct_method: str = "", name=None):
    """A JPEG file's pixels, (H, W, C) uint8; ``ratio`` (1, 2, 4, 8) downscales while
    decoding."""
    if int(channels) not in (0, 1, 3):
        raise ValueError(f"decode_jpeg: channels must be 0, 1 or 3, got {channels}")
    if int(ratio) not in (1, 2, 4, 8):
        raise ValueError(f"decode_jpeg: ratio must be 1, 2, 4 or 8, got {ratio}")
    picture = _open(contents, "decode_jpeg", ["JPEG"])
    if int(ratio) > 1:
        picture = picture.reduce(int(ratio))
    return Tensor(_pixels(picture, int(channels), "decode_jpeg"), dtype="uint8")


def decode_bmp(contents, channels: int = 0, name=None):
    """A BMP file's pixels, (H, W, C) uint8."""
    picture = _open(contents, "decode_bmp", ["BMP"])
    return Tensor(_pixels(picture, int(channels), "decode_bmp"), dtype="uint8")


def _frames(picture) -> np.ndarray:
    from PIL import ImageSequence

    return np.stack([np.asarray(frame.convert("RGB"), dtype=np.uint8)
                     for frame in ImageSequence.Iterator(picture)])


def decode_gif(contents, name=None):
    """A GIF's frames, (frames, H, W, 3) uint8."""
    return Tensor(_frames(_open(contents, "decode_gif", ["GIF"])), dtype="uint8")


def decode_image(contents, channels=None, dtype="uint8", name=None,
                 expand_animations: bool = True):
    """Any of PNG, JPEG, GIF, BMP (and what else Pillow reads): (H, W, C), or
    (frames, H, W, 3) for a GIF when ``expand_animations``. A float ``dtype`` gives values
    in [0, 1] (`convert_image_dtype`)."""
    from dlpath.tf_api.image_color import convert_image_dtype

    picture = _open(contents, "decode_image")
    dtype = _dtype_name(dtype)
    if picture.format == "GIF" and expand_animations:
        array = _frames(picture)
        if channels not in (None, 0, 3):
            raise ValueError(f"decode_image: a GIF has 3 channels, got channels={channels}")
    else:
        bits = "uint16" if dtype == "uint16" else "uint8"
        array = _pixels(picture, int(channels or 0), "decode_image", bits)
    image = Tensor(array, dtype=array.dtype)
    return image if dtype == array.dtype.name else convert_image_dtype(image, dtype)


def _encodable(image, owner: str, dtypes: tuple, channels: tuple) -> np.ndarray:
    array = np.asarray(image.data if isinstance(image, Tensor) else image)
    if array.ndim != 3 or array.shape[-1] not in channels:
        raise ValueError(f"{owner}: image must be (height, width, channels) with channels in "
                         f"{channels}, got shape {array.shape}")
    if array.dtype.name not in dtypes:
        raise TypeError(f"{owner}: image dtype must be one of {dtypes}, got {array.dtype}")
    return array


def _save(array: np.ndarray, file_format: str, **options) -> bytes:
    from PIL import Image

    if array.dtype == np.uint16:
        if array.shape[-1] != 1:
            raise ValueError("encode_png: uint16 images must have 1 channel here (Pillow "
                             f"writes 16-bit grayscale PNGs only), got {array.shape[-1]}")
        picture = Image.fromarray(np.ascontiguousarray(array[:, :, 0]))  # mode I;16
    else:
        picture = Image.fromarray(np.ascontiguousarray(
            array[:, :, 0] if array.shape[-1] == 1 else array))
    buffer = io.BytesIO()
    picture.save(buffer, format=file_format, **options)
    return buffer.getvalue()


def encode_png(image, compression: int = -1, name=None) -> bytes:
    """PNG bytes of a (H, W, C) uint8 image (C in 1..4) or a 1-channel uint16 image;
    ``compression`` 0..9, -1 the default (6)."""
    array = _encodable(image, "encode_png", ("uint8", "uint16"), (1, 2, 3, 4))
    level = 6 if int(compression) == -1 else int(compression)
    if not 0 <= level <= 9:
        raise ValueError(f"encode_png: compression must be -1 or in 0..9, got {compression}")
    return _save(array, "PNG", compress_level=level)


def encode_jpeg(image, format: str = "", quality: int = 95,  # noqa: A002 - TF's name
                progressive: bool = False, optimize_size: bool = False,
                chroma_downsampling: bool = True, density_unit: str = "in",
                x_density: int = 300, y_density: int = 300,
                xmp_metadata: str = "", name=None) -> bytes:
    """JPEG bytes of a (H, W, 1 or 3) uint8 image; ``chroma_downsampling`` is 4:2:0."""
    array = _encodable(image, "encode_jpeg", ("uint8",), (1, 3))
    if format == "grayscale" and array.shape[-1] != 1:
        raise ValueError("encode_jpeg: format='grayscale' needs a 1-channel image")
    if not 0 <= int(quality) <= 100:
        raise ValueError(f"encode_jpeg: quality must be in 0..100, got {quality}")
    return _save(array, "JPEG", quality=int(quality), progressive=bool(progressive),
                 optimize=bool(optimize_size), subsampling=2 if chroma_downsampling else 0,
                 dpi=(int(x_density), int(y_density)))


def is_jpeg(contents, name=None) -> bool:
    """Whether the bytes start as a JPEG file does."""
    return _contents(contents, "is_jpeg")[:3] == b"\xff\xd8\xff"


__all__ = ["decode_bmp", "decode_gif", "decode_image", "decode_jpeg", "decode_png",
           "encode_jpeg", "encode_png", "is_jpeg"]
