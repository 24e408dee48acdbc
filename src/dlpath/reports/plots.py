"""The report's figures as PNG bytes, drawn with matplotlib's Agg canvas (no display needed).

`matplotlib.figure.Figure` is used directly rather than ``pyplot``, so no global state or
interactive backend is involved.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure


def to_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def curves(rows: list) -> bytes | None:
    """Loss and each metric per epoch: training (solid) against validation (dashed)."""
    if not rows:
        return None
    names = [key for key in rows[0] if key not in ("epoch", "seconds")
             and not key.startswith("val_")]
    if not names:
        return None
    epochs = [row["epoch"] for row in rows]
    figure = Figure(figsize=(4.2 * len(names), 3.2))
    for index, name in enumerate(names):
        axes = figure.add_subplot(1, len(names), index + 1)
        axes.plot(epochs, [row.get(name, np.nan) for row in rows], "o-", label="training")
        if any(f"val_{name}" in row for row in rows):
            axes.plot(epochs, [row.get(f"val_{name}", np.nan) for row in rows], "s--",
                      label="validation")
        axes.set_title(name)
        axes.set_xlabel("epoch")
        axes.grid(alpha=0.3)
        axes.legend()
        if len(epochs) < 12:
            axes.set_xticks(epochs)
    figure.tight_layout()
    return to_png(figure)


def confusion(matrix: np.ndarray, class_names: list) -> bytes:
    """The confusion matrix as a heat map with the counts written in the cells."""
    size = max(3.5, 0.45 * len(class_names) + 1.5)
    figure = Figure(figsize=(size + 1, size))
    axes = figure.add_subplot(1, 1, 1)
    image = axes.imshow(matrix, cmap="Blues")
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
    ticks = np.arange(len(class_names))
    axes.set_xticks(ticks, labels=class_names, rotation=45, ha="right")
    axes.set_yticks(ticks, labels=class_names)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    threshold = matrix.max() / 2 if matrix.size else 0
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            axes.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8,
                      color="white" if matrix[i, j] > threshold else "black")
    axes.set_title("confusion matrix (test)")
    figure.tight_layout()
    return to_png(figure)


def image_grid(images: np.ndarray, titles: list, columns: int = 8) -> bytes:
    """Images (N, H, W[, C]) with values in [0, 1], each with its title, in a grid."""
    rows = max(1, -(-len(images) // columns))
    figure = Figure(figsize=(1.5 * columns, 1.75 * rows))
    for index, (image, title) in enumerate(zip(images, titles)):
        axes = figure.add_subplot(rows, columns, index + 1)
        image = np.asarray(image, dtype=np.float32)
        if image.ndim == 3 and image.shape[-1] == 1:
            image = image[..., 0]
        axes.imshow(np.clip(image, 0, 1), cmap="gray" if image.ndim == 2 else None,
                    vmin=0, vmax=1)
        axes.set_title(title, fontsize=8)
        axes.axis("off")
    figure.tight_layout()
    return to_png(figure)
