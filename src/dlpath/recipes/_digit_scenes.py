"""Scenes of handwritten digits for object detection, composed from MNIST images.

A scene is a black square canvas with 1 to 5 digits at random positions and sizes. Each
digit is cropped to its ink, resized so that its longer side is ``min_size``..``max_size``
pixels (aspect ratio kept), cleaned of the faint halo that resizing leaves (pixels below
``ink_level`` set to 0) and drawn with ``max`` onto the canvas. A digit is placed only
where it covers at most ``max_overlap`` of a smaller digit's box (or of its own), so
digits overlap a little and never hide each other. Its box is the tight box around its
ink: ``(x1, y1, x2, y2)`` with pixel (r, c) covering ``[c, c + 1) x [r, r + 1)``.

Scenes are drawn from the digit images they are given only, so scenes made from the
training digits never contain a test digit. Everything comes from one seeded generator:
the same seed gives the same scenes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath.recipes._digit_lines import resize  # the same bilinear resize


@dataclass(frozen=True)
class SceneStyle:
    """Canvas size, digits per scene, digit sizes and the overlap allowed."""

    size: int = 96
    min_digits: int = 1
    max_digits: int = 5
    min_size: int = 20          # the longer side of a digit's ink, in pixels
    max_size: int = 40
    max_overlap: float = 0.2    # intersection / area of the smaller box
    ink_level: int = 40         # resized pixels below this (of 255) become background
    placement_tries: int = 30

    def check(self) -> None:
        if not 1 <= self.min_digits <= self.max_digits:
            raise ValueError(f"SceneStyle: need 1 <= min_digits <= max_digits, got "
                             f"{self.min_digits} and {self.max_digits}")
        if not 4 <= self.min_size <= self.max_size <= self.size:
            raise ValueError(f"SceneStyle: need 4 <= min_size <= max_size <= size, got "
                             f"{self.min_size}, {self.max_size} and {self.size}")


def ink_box(image: np.ndarray, level: float = 1) -> np.ndarray | None:
    """The tight box (x1, y1, x2, y2) around the pixels >= ``level``; None without ink."""
    rows = np.flatnonzero(image.max(axis=1) >= level)
    columns = np.flatnonzero(image.max(axis=0) >= level)
    if rows.size == 0:
        return None
    return np.array([columns[0], rows[0], columns[-1] + 1, rows[-1] + 1], dtype=np.float32)


def _digit_sprite(image: np.ndarray, side: int, level: int) -> np.ndarray | None:
    """The digit's ink, resized so that its longer side is ``side``, halo removed."""
    box = ink_box(image)
    if box is None:
        return None
    x1, y1, x2, y2 = box.astype(int)
    crop = image[y1:y2, x1:x2]
    scale = side / max(crop.shape)
    sprite = resize(crop, max(1, round(crop.shape[0] * scale)),
                    max(1, round(crop.shape[1] * scale)))
    sprite[sprite < level] = 0
    box = ink_box(sprite)
    if box is None:
        return None
    x1, y1, x2, y2 = box.astype(int)
    return sprite[y1:y2, x1:x2]  # tight: its first and last rows and columns hold ink


def _overlap_ok(box: np.ndarray, placed: list, limit: float) -> bool:
    """True when ``box`` covers at most ``limit`` of each placed box, or of itself."""
    for other in placed:
        width = min(box[2], other[2]) - max(box[0], other[0])
        height = min(box[3], other[3]) - max(box[1], other[1])
        if width <= 0 or height <= 0:
            continue
        smaller = min((box[2] - box[0]) * (box[3] - box[1]),
                      (other[2] - other[0]) * (other[3] - other[1]))
        if width * height > limit * smaller:
            return False
    return True


def compose_scene(images: np.ndarray, rng: np.random.Generator, style: SceneStyle):
    """One scene from the candidate digits ``images`` (k, 28, 28).

    Returns ``(canvas (size, size) float32, boxes (m, 4), used)`` where ``used`` lists the
    indices into ``images`` of the m <= k digits placed (a digit that finds no free place
    in ``placement_tries`` tries is left out; the first always fits).
    """
    canvas = np.zeros((style.size, style.size), dtype=np.float32)
    boxes, used = [], []
    for index, image in enumerate(images):
        sprite = _digit_sprite(image, int(rng.integers(style.min_size, style.max_size + 1)),
                               style.ink_level)
        if sprite is None:
            continue
        height, width = sprite.shape
        for _ in range(style.placement_tries):
            x = int(rng.integers(0, style.size - width + 1))
            y = int(rng.integers(0, style.size - height + 1))
            box = np.array([x, y, x + width, y + height], dtype=np.float32)
            if _overlap_ok(box, boxes, style.max_overlap):
                region = canvas[y:y + height, x:x + width]
                np.maximum(region, sprite, out=region)
                boxes.append(box)
                used.append(index)
                break
    return canvas, np.array(boxes, dtype=np.float32).reshape(-1, 4), used


def compose_scenes(images: np.ndarray, labels: np.ndarray, count: int, seed: int,
                   style: SceneStyle = SceneStyle()):
    """``count`` scenes from the digits ``images`` (M, 28, 28) with ``labels`` (M,).

    Returns ``(scenes, boxes, classes, sources)``: scenes (count, size, size) uint8, and
    per scene the boxes (m, 4) float32, their classes (m,) int64 and the index into
    ``images`` of each digit (m,) int64.
    """
    style.check()
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
        raise ValueError(f"compose_scenes: expected digit images (M, 28, 28) and M labels, "
                         f"got {images.shape} and {labels.shape}")
    if len(images) == 0:
        raise ValueError("compose_scenes: no digit images to compose scenes from")
    rng = np.random.default_rng(seed)
    scenes = np.zeros((count, style.size, style.size), dtype=np.uint8)
    all_boxes, all_classes, all_sources = [], [], []
    for n in range(count):
        k = int(rng.integers(style.min_digits, style.max_digits + 1))
        chosen = rng.integers(0, len(images), k)
        canvas, boxes, used = compose_scene(images[chosen], rng, style)
        scenes[n] = np.clip(np.round(canvas), 0, 255).astype(np.uint8)
        sources = chosen[used].astype(np.int64)
        all_boxes.append(boxes)
        all_classes.append(labels[sources].astype(np.int64))
        all_sources.append(sources)
    return scenes, all_boxes, all_classes, all_sources
