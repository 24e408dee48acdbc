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
            samples.append(read_image(path, shape, recipe.pixel_max))
        else:
            raise WorkflowError(f"{item}: not an image ({', '.join(IMAGE_SUFFIXES)}) or a "
                                f".npy file")
    return labels, recipe.preprocess(config, np.stack(samples).astype(np.float32))


def read_image(path: Path, shape: tuple, pixel_max: float) -> np.ndarray:
    """An image file as an array of ``shape`` with values 0..``pixel_max`` (as the data set).

    With Pillow the image is converted to grey or RGB and resized; without it, matplotlib
    reads PNG files, which must already have the right size.
    """
    channels = shape[2] if len(shape) == 3 else 1
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        with Image.open(path) as image:
            image = image.convert("L" if channels == 1 else "RGB")
            image = image.resize((shape[1], shape[0]))
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


def _text(item: str) -> str:
    path = Path(item)
    if path.is_file():
        return path.read_text(encoding="utf-8", errors="replace")
    return item


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[:limit - 3] + "..."
