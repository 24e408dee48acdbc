"""``dlpath predict``: turn image files, ``.npy`` arrays or texts into a model's inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dlpath.workflow.errors import WorkflowError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")


def load_inputs(recipe, config, kind: str, inputs: list):
    """``(labels, x)``: one label per sample (the input's name) and the model's inputs."""
    if kind == "sequence":
        texts = [_text(item) for item in inputs]
        return [_short(item) for item in inputs], recipe.preprocess(config, texts)
    shape = getattr(recipe, "image_shape", None)
    if shape is None:
        raise WorkflowError(f"recipe '{recipe.name}' does not say what its inputs look like; "
                            f"predict needs an image recipe or a text recipe")
    labels, samples = [], []
    for item in inputs:
        path = Path(item)
        if not path.is_file():
            raise WorkflowError(f"no such input file: {item}")
        if path.suffix.lower() == ".npy":
            array = np.load(path, allow_pickle=False)
            if array.shape == tuple(shape):
                labels.append(item)
                samples.append(array)
            elif array.shape[1:] == tuple(shape):
                labels += [f"{item}[{i}]" for i in range(len(array))]
                samples += list(array)
            else:
                raise WorkflowError(f"{item}: expected an array of shape {tuple(shape)} or "
                                    f"(N, {', '.join(map(str, shape))}), got {array.shape}")
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            labels.append(item)
            samples.append(read_image(path, shape, recipe.pixel_max,
                                      getattr(recipe, "image_fit", "resize")))
        else:
            raise WorkflowError(f"{item}: not an image ({', '.join(IMAGE_SUFFIXES)}) or a "
                                f".npy file")
    return labels, recipe.preprocess(config, np.stack(samples).astype(np.float32))


def read_image(path: Path, shape: tuple, pixel_max: float, fit: str = "resize") -> np.ndarray:
    """An image file as an array of ``shape`` with values 0..``pixel_max`` (as the data set).

    With Pillow the image is converted to grey or RGB and resized (``fit="line"``, for a
    line of text: scaled to the height, or to the width if it is longer, keeping its aspect
    ratio, then padded with black on the right and bottom); without Pillow, matplotlib reads
    PNG files, which must already have the right size.
    """
    channels = shape[2] if len(shape) == 3 else 1
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        with Image.open(path) as image:
            image = image.convert("L" if channels == 1 else "RGB")
            image = _line(image, shape) if fit == "line" else image.resize((shape[1], shape[0]))
            pixels = np.asarray(image, dtype=np.float32) / 255.0
    else:
        import matplotlib.image

        pixels = np.asarray(matplotlib.image.imread(path), dtype=np.float32)
        if pixels.max() > 1.0:
            pixels = pixels / 255.0
        if pixels.ndim == 3:
            pixels = pixels[..., :3]
            if channels == 1:
                pixels = pixels.mean(axis=-1)
    pixels = pixels.reshape(pixels.shape[:2] + ((channels,) if len(shape) == 3 else ()))
    if pixels.shape != tuple(shape):
        raise WorkflowError(f"{path}: the image is {pixels.shape}, the model needs {shape} "
                            f"(install Pillow to resize images)")
    return pixels * pixel_max


def _line(image, shape: tuple):
    """A line image scaled into (height, width) with its aspect ratio, padded with black."""
    from PIL import Image

    scale = min(shape[0] / image.height, shape[1] / image.width)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    canvas = Image.new(image.mode, (shape[1], shape[0]))
    canvas.paste(image.resize(size), (0, 0))
    return canvas


def print_readings(recipe, labels: list, outputs) -> bool:
    """For a recipe that reads sequences (``read_outputs``): print what it read in each
    input, one line per input, and return True; other recipes: False."""
    reader = getattr(recipe, "read_outputs", None)
    if reader is None:
        return False
    width = max(len(label) for label in labels)
    for label, text in zip(labels, reader(outputs)):
        print(f"{label.ljust(width)}  {text}")
    return True


def _text(item: str) -> str:
    path = Path(item)
    if path.is_file():
        return path.read_text(encoding="utf-8", errors="replace")
    return item


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[:limit - 3] + "..."
