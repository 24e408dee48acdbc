"""People's inputs — an image file, drawn pixels, a text — as the model's inputs, prepared
exactly as at training, and the model's outputs as the top classes.

An image file is read by `dlpath.workflow.predict.read_image` (grey or RGB, resized to the
recipe's image size, values 0..``pixel_max`` as the data set stores them), then the recipe's
``preprocess`` makes the model's input. Drawn pixels (0..255, already at the image size) take
the same two steps: ``p / 255 * pixel_max``, then ``preprocess``. A text goes through the
recipe's ``preprocess`` (its tokenizer and padding). A model with several inputs takes
none of these: `check_one_input` refuses it with 422, pointing to the REST API.
"""

from __future__ import annotations

import io

import numpy as np

from dlpath.serve.schemas import RequestError


def check_one_input(served) -> None:
    """People's inputs fill one model input; a model with several is refused (422)."""
    names = served.predictor.input_names
    if len(names) > 1:
        listed = ", ".join(repr(name) for name in names)
        raise RequestError(422, f"model '{served.name}' has {len(names)} inputs ({listed}); "
                           f"an image or a text fills only one: send all of them with "
                           f"POST /v1/models/{served.name}:predict")


def image_file_input(served, data: bytes) -> tuple:
    """``(pixels 0..255 as the model sees them, model input (1, ...))`` of an image file."""
    from dlpath.workflow.predict import read_image

    shape = _image_shape(served)
    recipe = served.source.recipe
    pixel_max = float(getattr(recipe, "pixel_max", 255.0))
    fit = getattr(recipe, "image_fit", "resize")
    try:
        image = read_image(io.BytesIO(data), shape, pixel_max, fit)
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for a bad file
        detail = " ".join(str(error).split(" <")[0].split())[:200]  # no object reprs
        raise RequestError(400, f"file: expected an image file (PNG, JPEG), got one that "
                           f"cannot be read ({type(error).__name__}: {detail})") from None
    return _preview(image, pixel_max), _prepare(served, image[None])


def pixels_input(served, pixels) -> tuple:
    """The same for drawn pixels: an (H, W) or (H, W, C) list of numbers in 0..255."""
    shape = _image_shape(served)
    try:
        array = np.asarray(pixels, dtype=np.float32)
    except (TypeError, ValueError):
        raise RequestError(400, f"pixels: expected an array of numbers of shape {shape}") \
            from None
    if array.shape != shape and array.shape != shape + (1,) and \
            (len(shape) != 3 or shape[2] != 1 or array.shape != shape[:2]):
        raise RequestError(400, f"pixels: expected shape {shape}, got {array.shape}")
    if not np.isfinite(array).all() or array.min() < 0 or array.max() > 255:
        raise RequestError(400, "pixels: expected finite values in 0..255")
    pixel_max = float(getattr(served.source.recipe, "pixel_max", 255.0))
    image = (array.reshape(shape) / 255.0 * pixel_max).astype(np.float32)  # as read_image
    return _preview(image, pixel_max), _prepare(served, image[None])


def text_input(served, text) -> np.ndarray:
    """A text as the model's input (1, ...): the recipe's tokenizer, as at training."""
    if served.kind != "text":
        raise RequestError(400, f"model '{served.name}' takes {served.kind} inputs, not text")
    if not isinstance(text, str) or not text.strip():
        raise RequestError(400, "text: expected a non-empty string")
    source = served.source
    return _cast(served, source.recipe.preprocess(source.config, [text]))


def top_classes(served, outputs: np.ndarray, k: int) -> list:
    """The ``k`` most probable classes of one output row: name, index and probability."""
    from dlpath.workflow.evaluation import class_probabilities

    row = class_probabilities(np.asarray(outputs).reshape(1, -1))[0]
    names = served.class_names()
    order = np.argsort(-row, kind="stable")[:k]
    return [{"class": names[i], "index": int(i), "probability": float(row[i])} for i in order]


def _image_shape(served) -> tuple:
    shape = served.image_shape()
    if served.kind != "image" or shape is None:
        raise RequestError(400, f"model '{served.name}' takes {served.kind} inputs, not "
                           f"images")
    return shape


def _prepare(served, images: np.ndarray) -> np.ndarray:
    source = served.source
    if source.recipe is not None:
        return _cast(served, source.recipe.preprocess(source.config, images))
    return _cast(served, images / np.float32(255.0))  # a bare model file: pixels in [0, 1]


def _cast(served, x) -> np.ndarray:
    spec = served.predictor.spec
    x = np.asarray(x).astype(spec.dtype, copy=False)
    return x.reshape((len(x),) + tuple(spec.shape)) if None not in spec.shape else x


def _preview(image: np.ndarray, pixel_max: float) -> list:
    """The image as 0..255 integers, (H, W) for grey, for the page's preview."""
    pixels = np.clip(np.rint(image / pixel_max * 255.0), 0, 255).astype(np.int64)
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        pixels = pixels[..., 0]
    return pixels.tolist()
