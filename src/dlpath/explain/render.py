"""Pictures of attributions: an input with its heat map over it, and words coloured by
their attribution. PNGs are drawn with matplotlib's Agg canvas (`Figure`, no pyplot)."""

from __future__ import annotations

import html
import io

import numpy as np

from dlpath.explain.gradients import heatmap

# Methods whose maps are signed and drawn as |value|; Grad-CAM and occlusion are drawn as
# they come (Grad-CAM is >= 0, occlusion's drops can be negative).
CMAP = "jet"


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def displayable(image) -> np.ndarray:
    """An input (H, W[, C]) as an image in [0, 1] (grey (H, W) or RGB (H, W, 3))."""
    image = np.asarray(image, dtype=np.float32)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    low, high = float(image.min()), float(image.max())
    if low < 0.0 or high > 1.0:
        image = (image - low) / (high - low) if high > low else np.zeros_like(image)
    return image


def as_map(values, shape=None) -> np.ndarray:
    """One sample's attribution as an (H, W) map in [0, 1] (|value|, largest channel)."""
    values = np.asarray(values, dtype=np.float32)
    if values.ndim == 3:
        values = heatmap(values[None])[0]
    else:
        values = np.abs(values)
    if shape is not None:
        values = values.reshape(shape[:2])
    peak = float(values.max())
    return values / peak if peak > 0 else values


def _draw(axes, image, heat, title: str) -> None:
    image = displayable(image)
    axes.imshow(image, cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=1)
    if heat is not None:
        axes.imshow(heat, cmap=CMAP, alpha=0.5, vmin=0, vmax=1)
    axes.set_title(title, fontsize=8)
    axes.axis("off")


def overlay(image, heat, title: str = "") -> bytes:
    """PNG of ``image`` with the (H, W) map ``heat`` in [0, 1] drawn over it."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2.6, 2.8))
    axes = figure.add_subplot(1, 1, 1)
    _draw(axes, image, heat, title)
    figure.tight_layout()
    return _png(figure)


def blend(image, heat) -> np.ndarray:
    """RGB (H, W, 3): ``image`` in grey/colour with the map ``heat`` ([0, 1]) half over it."""
    from matplotlib import colormaps

    image = displayable(image)
    rgb = np.repeat(image[..., None], 3, axis=-1) if image.ndim == 2 else image[..., :3]
    if heat is None:
        return rgb
    return 0.5 * rgb + 0.5 * colormaps[CMAP](np.clip(heat, 0, 1))[..., :3]


def overlay_grid(images, maps: dict, titles: list, shape=None, gap: int = 2) -> bytes:
    """PNG grid: one row per sample, the input then one column per method in ``maps``
    ({method: (N, ...) attributions}). Drawn as one mosaic (one image, fast)."""
    from matplotlib.figure import Figure

    cells = []
    for row, image in enumerate(images):
        image = np.asarray(image).reshape(shape) if shape is not None else np.asarray(image)
        cells.append([blend(image, None)] + [blend(image, as_map(values[row], shape))
                                             for values in maps.values()])
    height, width = cells[0][0].shape[:2]
    rows, columns = len(cells), len(cells[0])
    mosaic = np.ones((rows * (height + gap), columns * (width + gap), 3))
    for r, line in enumerate(cells):
        for c, cell in enumerate(line):
            top, left = r * (height + gap), c * (width + gap)
            mosaic[top:top + height, left:left + width] = cell
    scale = 1.6 / max(height, width)
    figure = Figure(figsize=(columns * (width + gap) * scale + 1.8,
                             rows * (height + gap) * scale + 0.4))
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.imshow(mosaic, interpolation="nearest")
    for c, name in enumerate(["input"] + list(maps)):
        axes.text(c * (width + gap) + width / 2, -gap, name, ha="center", va="bottom",
                  fontsize=8)
    for r, title in enumerate(titles):
        axes.text(-gap * 2, r * (height + gap) + height / 2, title, ha="right",
                  va="center", fontsize=8)
    axes.axis("off")
    return _png(figure)


def coloured_words(words: list, scores, title: str = "") -> str:
    """HTML: each word on a background whose colour is its attribution (green for the
    target class, red against it; the strongest word in full colour)."""
    scores = np.asarray(scores, dtype=np.float64)
    peak = float(np.abs(scores).max()) or 1.0
    spans = []
    for word, score in zip(words, scores):
        strength = min(1.0, abs(score) / peak)
        colour = "26,127,55" if score >= 0 else "200,30,30"
        spans.append(f'<span title="{score:+.4f}" style="background: rgba({colour},'
                     f'{strength:.2f})">{html.escape(word)}</span>')
    head = f"<b>{html.escape(title)}</b><br>" if title else ""
    return f'<div class="snippet words">{head}{" ".join(spans)}</div>'
