"""mnist-detect: find and classify handwritten digits in scenes with a single-shot detector.

A grid detector in the spirit of YOLO (Redmon, Divvala, Girshick & Farhadi, "You Only Look
Once: Unified, Real-Time Object Detection", CVPR 2016, pp. 779-788): one convolutional
network looks at the whole scene once and predicts, for each of 12 x 12 cells, whether a
digit is centred there, its box and its class (`dlpath.detection.grid`).

1. Compose 96 x 96 scenes of 1-5 MNIST digits, 20-40 pixels tall or wide, with boxes tight
   around their ink (`_digit_scenes`): training scenes from a part of the official training
   digits, validation scenes from the rest of them, test scenes from the official test
   digits only. Pixels stay 0..255 (uint8); the model rescales them.
2. Encode each scene's boxes as a (12, 12, 6) target grid: object, centre in the cell, log
   size against a 32-pixel prior, class.
3. Build a small convnet: three Conv2D-MaxPool blocks (96 -> 12), two more 3x3 convolutions
   (receptive field 54 pixels, larger than a digit) and a 1x1 convolution to the 15 outputs
   of each cell: objectness, 4 box numbers, 10 class logits.
4. Fit with ``fit`` and `grid_detection_loss` (YOLO's loss: lambda_coord = 5, lambda_noobj
   = 0.5). After each epoch a few test scenes with their predicted and true boxes are drawn
   into ``samples/epoch_NNN.png``, which the report shows.
5. Detect on the test scenes (class-wise NMS at IoU 0.5) and record mAP@0.5 and
   mAP@[.5:.95], computed by pycocotools' COCOeval, as the run's extra metrics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath import keras
from dlpath.callbacks import Callback
from dlpath.detection import Grid, decode, encode_all, grid_detection_loss
from dlpath.detection.coco import mean_average_precision
from dlpath.recipes._digit_scenes import SceneStyle, compose_scenes
from dlpath.recipes._digit_sets import digit_sets
from dlpath.recipes._run_outputs import record_extra, run_folder
from dlpath.recipes.base import DataSplits, Recipe, RecipeConfig
from dlpath.recipes.registry import register

STYLE = SceneStyle()
GRID = Grid(image_size=STYLE.size, cells=12, prior=32.0, classes=10)
CLASS_NAMES = [str(d) for d in range(10)]
SAMPLES_DIR = "samples"
SAMPLES_SHOWN = 8
SHOWN_SCORE = 0.3         # detections drawn and printed from this score on


@dataclass
class Config(RecipeConfig):
    epochs: int = 12
    batch_size: int = 32
    learning_rate: float = 1e-3
    train_scenes: int = 8000      # composed once, from the training digits
    validation_scenes: int = 500
    test_scenes: int = 2000
    filters: int = 64             # of the last convolutions


def detector(grid: Grid, filters: int, learning_rate: float):
    """(Conv-Pool) x 3 -> Conv x 2 -> Conv 1x1 to (S, S, 5 + C), with YOLO's loss."""
    layers = keras.layers
    model = keras.Sequential([
        keras.Input(shape=(grid.image_size, grid.image_size, 1)),
        layers.Rescaling(1 / 255),
        layers.Conv2D(16, 3, padding="same", activation="relu"),       # (N, 96, 96, 16)
        layers.MaxPooling2D(2),                                         # (N, 48, 48, 16)
        layers.Conv2D(32, 3, padding="same", activation="relu"),       # (N, 48, 48, 32)
        layers.MaxPooling2D(2),                                         # (N, 24, 24, 32)
        layers.Conv2D(filters, 3, padding="same", activation="relu"),  # (N, 24, 24, F)
        layers.MaxPooling2D(2),                                         # (N, 12, 12, F)
        layers.Conv2D(filters, 3, padding="same", activation="relu"),  # (N, 12, 12, F)
        layers.Conv2D(filters, 3, padding="same", activation="relu"),  # (N, 12, 12, F)
        layers.Conv2D(grid.channels, 1),                                # (N, 12, 12, 15)
    ], name="grid_detector")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss=grid_detection_loss)
    return model


def detect(model, scenes: np.ndarray) -> list:
    """Detections ``[(boxes, scores, classes)]`` of each scene (N, 96, 96, 1)."""
    return decode(model.predict(scenes, batch_size=128, verbose=0), GRID)


def scenes_figure(scenes: np.ndarray, truths: list, found: list, title: str) -> bytes:
    """Scenes with their true boxes (green, dashed) and detections (orange, with class and
    score), four to a row (PNG). Each title lists the true digits from left to right."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from dlpath.reports.plots import to_png

    columns = 4
    rows = max(1, -(-len(scenes) // columns))
    figure = Figure(figsize=(2.6 * columns, 2.75 * rows + 0.3))
    figure.suptitle(title, fontsize=9)
    for index, (scene, (boxes, classes), (b, s, c)) in enumerate(zip(scenes, truths, found)):
        axes = figure.add_subplot(rows, columns, index + 1)
        axes.imshow(np.asarray(scene)[..., 0], cmap="gray", vmin=0, vmax=255)
        # imshow centres pixel c at c, so a box edge at x (pixel c covers [c, c + 1)) is
        # drawn at x - 0.5.
        shown = s >= SHOWN_SCORE
        for (x1, y1, x2, y2), score, label in zip(b[shown], s[shown], c[shown]):
            axes.add_patch(Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False,
                                     edgecolor="orange", linewidth=1.4))
            above = y1 >= 8  # the label above the box, or inside it at the image's top
            axes.text(x1, y1 - 1.5 if above else y1 + 1, f"{label} {score:.2f}",
                      color="orange", fontsize=6.5, va="bottom" if above else "top")
        for x1, y1, x2, y2 in boxes:  # on top, so that a matching detection leaves it seen
            axes.add_patch(Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False,
                                     edgecolor="lime", linestyle="--", linewidth=0.9))
        left_to_right = np.asarray(classes)[np.argsort(np.asarray(boxes)[:, 0], kind="stable")]
        axes.set_title(f"true {' '.join(map(str, left_to_right))}", fontsize=7.5)
        axes.axis("off")
    figure.tight_layout()
    return to_png(figure)


class DetectionSamples(Callback):
    """After each epoch, draw a few test scenes with the detections and the true boxes."""

    def __init__(self, folder, scenes: np.ndarray, truths: list):
        super().__init__()
        self.folder, self.scenes, self.truths = folder, scenes, truths

    def on_epoch_end(self, epoch, logs=None):
        found = detect(self.model, self.scenes)
        path = self.folder / SAMPLES_DIR / f"epoch_{epoch + 1:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(scenes_figure(
            self.scenes, self.truths, found, f"test scenes after epoch {epoch + 1}: true "
            f"boxes dashed green, detections (score >= {SHOWN_SCORE}) orange"))


def describe(found: tuple) -> str:
    """One scene's detections as text: ``7 (0.98) at [x1, y1, x2, y2]; ...``."""
    boxes, scores, classes = found
    shown = [f"{label} ({score:.2f}) at [{', '.join(f'{v:.0f}' for v in box)}]"
             for box, score, label in zip(boxes, scores, classes) if score >= SHOWN_SCORE]
    return "; ".join(shown) if shown else "(no digit found)"


@register
class MnistDetect(Recipe):
    name = "mnist-detect"
    description = "YOLO-style grid detector ((Conv-Pool) x3, 12x12 cells) on MNIST scenes"
    dataset = "MNIST (composed scenes)"
    expected = {"map_50": 0.90}
    Config = Config
    image_shape = (STYLE.size, STYLE.size)
    pixel_max = 255.0
    samples_title = "Test scenes: detections and true boxes"

    def load_data(self, config) -> DataSplits:
        # 1. Scenes composed from three disjoint sets of digits (see `digit_sets`).
        counts = (config.train_limit or config.train_scenes,
                  config.eval_limit or config.validation_scenes,
                  config.eval_limit or config.test_scenes)
        splits = []
        for offset, ((images, labels), count) in enumerate(zip(digit_sets(config.seed),
                                                              counts)):
            scenes, boxes, classes, _ = compose_scenes(images, labels, count,
                                                       seed=config.seed * 3 + offset,
                                                       style=STYLE)
            # 2. Boxes -> target grids.
            splits.append((self.preprocess(config, scenes), encode_all(boxes, classes, GRID),
                           list(zip(boxes, classes))))
        # The test split carries the true boxes too (and so is not a class-label pair).
        return DataSplits(train=splits[0][:2], validation=splits[1][:2], test=splits[2],
                          class_names=CLASS_NAMES, kind="image")

    def preprocess(self, config, samples):
        samples = np.asarray(samples)
        if samples.dtype != np.uint8:
            samples = np.clip(np.rint(samples), 0, 255).astype(np.uint8)
        if samples.ndim == 4 and samples.shape[-1] == 1:
            return samples
        return samples[..., None]  # (N, 96, 96, 1), 0..255

    def build_model(self, config, data):
        # 3. The detector.
        return detector(GRID, config.filters, config.learning_rate)

    def read_outputs(self, outputs) -> list:
        """``dlpath predict``: the digits found in each scene, with scores and boxes."""
        return [describe(found) for found in decode(outputs, GRID)]

    def train(self, run, config, data):
        # 4. Fit on the training scenes; a few test scenes are drawn after each epoch.
        x, y = data.train
        test_x, _, truths = data.test
        callbacks = list(run.callbacks)
        folder = run_folder(run)
        if folder is not None:
            shown = slice(0, min(SAMPLES_SHOWN, len(test_x)))
            callbacks.append(DetectionSamples(folder, test_x[shown], truths[shown]))
        history = run.model.fit(x, y, batch_size=config.batch_size, epochs=config.epochs,
                                validation_data=data.validation, callbacks=callbacks,
                                initial_epoch=run.initial_epoch, verbose=run.verbose)
        # 5. Detect on every test scene; COCO's mAP.
        metrics = mean_average_precision(truths, detect(run.model, test_x), CLASS_NAMES)
        record_extra(run, metrics)
        if run.verbose:
            print("test scenes: " + "  ".join(f"{k} {v:.4f}" for k, v in metrics.items()))
        return history
