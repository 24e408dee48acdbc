"""Lines of handwritten digits composed from MNIST images, for sequence recognition.

A line holds 3 to 8 digits side by side on a black canvas (MNIST's white-on-black), each
digit cropped to the columns that hold ink, scaled by a random factor, shifted up or down a
little, and separated by a random gap. Lines are drawn from the digit images they are given
only, so lines made from the training digits never contain a test digit. Everything comes
from one seeded generator: the same seed gives the same lines.

The labels are the digits of each line, padded with -1 to ``max_digits``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PAD = -1


@dataclass(frozen=True)
class LineStyle:
    """The geometry of a line: canvas size, digits per line and the random variations."""

    height: int = 32
    width: int = 176            # enough for 8 digits at full scale
    min_digits: int = 3
    max_digits: int = 8
    min_scale: float = 0.8      # each digit is resized by a factor in [min_scale, max_scale]
    max_scale: float = 1.05
    max_gap: int = 5            # pixels of background between neighbours: 0..max_gap
    max_jitter: int = 2         # vertical shift of each digit: -max_jitter..max_jitter

    def check(self) -> None:
        if not 1 <= self.min_digits <= self.max_digits:
            raise ValueError(f"LineStyle: need 1 <= min_digits <= max_digits, got "
                             f"{self.min_digits} and {self.max_digits}")
        if self.height < 28 * self.max_scale:
            raise ValueError(f"LineStyle: height {self.height} is too small for digits "
                             f"scaled up to {self.max_scale} (28 x {self.max_scale} pixels)")


def resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Bilinear resize of a 2-D image (pixel centres aligned, edges clamped)."""
    def weights(size_in, size_out):
        position = np.clip((np.arange(size_out) + 0.5) * size_in / size_out - 0.5,
                           0, size_in - 1)
        low = np.floor(position).astype(int)
        high = np.minimum(low + 1, size_in - 1)
        return low, high, position - low

    top, bottom, dy = weights(image.shape[0], height)
    left, right, dx = weights(image.shape[1], width)
    image = image.astype(np.float32)
    rows = image[top] * (1 - dy)[:, None] + image[bottom] * dy[:, None]  # (height, W_in)
    return rows[:, left] * (1 - dx) + rows[:, right] * dx


def _ink_columns(image: np.ndarray) -> np.ndarray:
    """The digit cropped to its first and last columns with ink (all 28 rows kept)."""
    columns = np.flatnonzero(image.max(axis=0) > 0)
    if columns.size == 0:
        return image
    return image[:, columns[0]:columns[-1] + 1]


def compose_line(images: np.ndarray, rng: np.random.Generator, style: LineStyle):
    """One line from the digit images ``images`` (k, 28, 28): ``(canvas (H, W), k)``.

    Widths are scaled down together when the digits and gaps would not fit the canvas.
    """
    crops = [_ink_columns(image) for image in images]
    scales = rng.uniform(style.min_scale, style.max_scale, len(crops))
    gaps = rng.integers(0, style.max_gap + 1, len(crops) - 1)
    widths = np.array([max(1, round(c.shape[1] * s)) for c, s in zip(crops, scales)])
    total = widths.sum() + gaps.sum()
    if total > style.width:
        shrink = (style.width - gaps.sum()) / widths.sum()
        widths = np.maximum(1, np.floor(widths * shrink).astype(int))
        total = widths.sum() + gaps.sum()
    canvas = np.zeros((style.height, style.width), dtype=np.float32)
    x = int(rng.integers(0, style.width - total + 1))
    for i, (crop, scale, width) in enumerate(zip(crops, scales, widths)):
        height = min(style.height, round(28 * scale))
        digit = resize(crop, height, int(width))
        middle = (style.height - height) // 2
        jitter = int(rng.integers(-style.max_jitter, style.max_jitter + 1))
        y = int(np.clip(middle + jitter, 0, style.height - height))
        region = canvas[y:y + height, x:x + width]
        np.maximum(region, digit[:, :region.shape[1]], out=region)
        x += int(width) + (int(gaps[i]) if i < len(gaps) else 0)
    return canvas


def compose_lines(images: np.ndarray, labels: np.ndarray, count: int, seed: int,
                  style: LineStyle = LineStyle()):
    """``count`` lines from the digits ``images`` (M, 28, 28) with ``labels`` (M,).

    Returns ``(lines, targets, sources)``: lines (count, H, W) uint8, targets (count,
    max_digits) int64 padded with -1, and the index into ``images`` of every digit used
    (count, max_digits), -1 where a line has fewer digits.
    """
    style.check()
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
        raise ValueError(f"compose_lines: expected digit images (M, 28, 28) and M labels, got "
                         f"{images.shape} and {labels.shape}")
    if len(images) == 0:
        raise ValueError("compose_lines: no digit images to compose lines from")
    rng = np.random.default_rng(seed)
    lines = np.zeros((count, style.height, style.width), dtype=np.uint8)
    targets = np.full((count, style.max_digits), PAD, dtype=np.int64)
    sources = np.full((count, style.max_digits), PAD, dtype=np.int64)
    for n in range(count):
        k = int(rng.integers(style.min_digits, style.max_digits + 1))
        chosen = rng.integers(0, len(images), k)
        canvas = compose_line(images[chosen], rng, style)
        lines[n] = np.clip(np.round(canvas), 0, 255).astype(np.uint8)
        targets[n, :k] = labels[chosen]
        sources[n, :k] = chosen
    return lines, targets, sources


def text_of(target) -> str:
    """The digits of one padded target row as a string: [3, 1, 4, -1] -> "314"."""
    return "".join(str(int(d)) for d in np.asarray(target).reshape(-1) if d >= 0)
