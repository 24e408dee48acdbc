"""ocr-digits: read lines of handwritten digits with a CRNN trained by CTC.

The convolutional recurrent network (CRNN) of Shi, Bai & Yao ("An End-to-End Trainable
Neural Network for Image-based Sequence Recognition and Its Application to Scene Text
Recognition", arXiv:1507.05717, 2015; IEEE TPAMI 39(11), 2017): convolutions turn the line
image into a sequence of column features, a bidirectional LSTM labels each column, and
CTC (`dlpath.engine.ctc`) trains it from the digit string alone, with no segmentation.

1. Compose lines of 3-8 MNIST digits (`_digit_lines`): training lines from a part of the
   official training digits, validation lines from the rest of them, test lines from the
   official test digits only. Pixels stay 0..255 (uint8); the model rescales them.
2. Build three Conv2D-MaxPool blocks -> one feature vector per 8 columns (22 steps, enough
   for 8 digits and the blanks between repeats) -> Dense(64) -> Bidirectional(LSTM(64)) ->
   Dense(11, softmax): digits 0-9 and the blank (class 10, Keras' convention: the last
   class).
3. Fit with ``fit`` and `ctc_line_loss`: the targets are the digits padded with -1, so the
   label lengths travel inside y; every line uses all 22 steps. Each epoch trains on
   ``train_lines`` lines composed afresh from the training digits (`FreshLines`, seeded by
   the run's seed and the epoch, so a resumed run sees the same lines): with one fixed set
   of lines the validation loss stopped falling after about 7 epochs while the training
   loss went on down.
4. Read the test lines with best-path decoding; record the sequence accuracy (the whole
   line right) and the character error rate (edit distance / number of true digits) as the
   run's extra metrics. After each epoch a few test lines and their reading are drawn into
   ``samples/epoch_NNN.png``, which the report shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath import keras
from dlpath.callbacks import Callback
from dlpath.data import PyDataset
from dlpath.ops.ctc import greedy_decode
from dlpath.recipes._digit_lines import LineStyle, compose_lines, text_of
from dlpath.recipes._digit_sets import digit_sets
from dlpath.recipes._run_outputs import record_extra, run_folder
from dlpath.recipes.base import DataSplits, Recipe, RecipeConfig
from dlpath.recipes.registry import register
from dlpath.saving.registry import register_serializable

STYLE = LineStyle()
BLANK = 10            # classes 0-9 are the digits
CLASSES = 11
DOWNSAMPLE = 8        # three 2x2 poolings: one time step per 8 columns
SAMPLES_DIR = "samples"
SAMPLES_SHOWN = 8


@dataclass
class Config(RecipeConfig):
    epochs: int = 12
    batch_size: int = 32
    learning_rate: float = 1e-3
    train_lines: int = 20000      # composed afresh each epoch, from the training digits
    validation_lines: int = 1000
    test_lines: int = 5000
    units: int = 64               # LSTM units per direction


@register_serializable(package="dlpath", name="ctc_line_loss")
def ctc_line_loss(y_true, y_pred):
    """CTC loss of each line: y_true (N, max_digits) digits padded with -1, y_pred (N, T, 11)
    softmax outputs with the blank last; every line uses all T steps."""
    labels = np.asarray(y_true.data if hasattr(y_true, "data") else y_true)
    labels = np.rint(labels).astype(np.int64)
    lengths = (labels >= 0).sum(axis=1, keepdims=True)
    steps = np.full_like(lengths, y_pred.shape[1])
    cost = keras.backend.ctc_batch_cost(np.maximum(labels, 0), y_pred, steps, lengths)
    return cost.reshape(-1)


def read(probabilities) -> list:
    """Best-path readings of softmax outputs (N, T, 11): one digit string per line."""
    log_probs = np.log(np.asarray(probabilities, dtype=np.float64) + 1e-12)
    sequences, _ = greedy_decode(log_probs, blank=BLANK)
    return ["".join(map(str, sequence)) for sequence in sequences]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions a -> b."""
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]


def sequence_metrics(truths: list, readings: list) -> dict:
    """Sequence accuracy (share of lines read exactly) and the character error rate,
    CER = sum of edit distances / sum of true lengths."""
    errors = sum(edit_distance(t, r) for t, r in zip(truths, readings))
    characters = sum(len(t) for t in truths)
    exact = sum(t == r for t, r in zip(truths, readings))
    return {"sequence_accuracy": exact / max(len(truths), 1),
            "character_error_rate": errors / max(characters, 1)}


def crnn(style: LineStyle, units: int, learning_rate: float):
    """(Conv-Pool) x 3 -> columns as a sequence -> BiLSTM -> Dense(11) with the CTC loss."""
    layers = keras.layers
    steps = style.width // DOWNSAMPLE
    features = (style.height // DOWNSAMPLE) * 64
    model = keras.Sequential([
        keras.Input(shape=(style.height, style.width, 1)),
        layers.Rescaling(1 / 255),
        layers.Conv2D(32, 3, padding="same", activation="relu"),  # (N, 32, 176, 32)
        layers.MaxPooling2D(2),                                    # (N, 16, 88, 32)
        layers.Conv2D(64, 3, padding="same", activation="relu"),  # (N, 16, 88, 64)
        layers.MaxPooling2D(2),                                    # (N, 8, 44, 64)
        layers.Conv2D(64, 3, padding="same", activation="relu"),  # (N, 8, 44, 64)
        layers.MaxPooling2D(2),                                    # (N, 4, 22, 64)
        layers.Permute((2, 1, 3)),                                 # (N, 22, 4, 64)
        layers.Reshape((steps, features)),                         # (N, 22, 256)
        layers.Dense(64, activation="relu"),
        layers.Bidirectional(layers.LSTM(units, return_sequences=True)),  # (N, 22, 2 units)
        layers.Dense(CLASSES, activation="softmax"),               # (N, 22, 11)
    ], name="crnn")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss=ctc_line_loss)
    return model


class ReadingSamples(Callback):
    """After each epoch, draw a few test lines with their true and read digits."""

    def __init__(self, folder, lines: np.ndarray, truths: list):
        super().__init__()
        self.folder, self.lines, self.truths = folder, lines, truths

    def on_epoch_end(self, epoch, logs=None):
        readings = read(self.model.predict(self.lines, verbose=0))
        path = self.folder / SAMPLES_DIR / f"epoch_{epoch + 1:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(lines_figure(self.lines, self.truths, readings,
                                      f"test lines after epoch {epoch + 1}"))


def lines_figure(lines: np.ndarray, truths: list, readings: list, title: str) -> bytes:
    """A column of line images, each titled with its true digits and the reading (PNG)."""
    from matplotlib.figure import Figure

    from dlpath.reports.plots import to_png

    figure = Figure(figsize=(5.0, 0.85 * len(lines) + 0.4))
    figure.suptitle(title, fontsize=9)
    for index, (line, truth, reading) in enumerate(zip(lines, truths, readings)):
        axes = figure.add_subplot(len(lines), 1, index + 1)
        axes.imshow(np.asarray(line)[..., 0], cmap="gray", vmin=0, vmax=255)
        mark = "ok" if truth == reading else "wrong"
        axes.set_title(f"true {truth}   read {reading or '(nothing)'}   ({mark})", fontsize=8,
                       color="black" if truth == reading else "red")
        axes.axis("off")
    figure.tight_layout()
    return to_png(figure)


class FreshLines(PyDataset):
    """Batches of ``count`` lines composed anew each epoch from ``digits`` (images, labels).

    Epoch ``e``'s lines are drawn with the seed ``(seed, e)``: the same lines for the same
    epoch, whether the run goes straight through or resumes (``first_epoch``).
    """

    def __init__(self, digits, count: int, batch_size: int, seed: int, first_epoch: int = 0,
                 preprocess=None, known=None):
        super().__init__()
        self.digits, self.count, self.batch_size = digits, int(count), int(batch_size)
        self.seed, self.epoch = int(seed), int(first_epoch)
        self.preprocess = preprocess or (lambda lines: lines[..., None])
        self.known = dict(known or {})  # epoch -> (x, y) already composed
        self.x = self.y = None

    def __len__(self) -> int:
        return -(-self.count // self.batch_size)

    def lines_of_epoch(self, epoch: int):
        """(x, y) of epoch ``epoch``: preprocessed lines and padded targets."""
        images, labels = self.digits
        lines, targets, _ = compose_lines(images, labels, self.count,
                                          seed=[self.seed, TRAIN_STREAM, epoch], style=STYLE)
        return self.preprocess(lines), targets

    def on_epoch_begin(self) -> None:
        known = self.known.pop(self.epoch, None)
        self.x, self.y = known if known is not None else self.lines_of_epoch(self.epoch)

    def on_epoch_end(self) -> None:
        self.epoch += 1

    def __getitem__(self, index: int):
        if self.x is None:
            self.on_epoch_begin()
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


TRAIN_STREAM = 7  # the training lines' seed stream, apart from validation's and test's


@register
class OcrDigits(Recipe):
    name = "ocr-digits"
    description = "CRNN ((Conv-Pool) x3, BiLSTM) + CTC reading lines of 3-8 MNIST digits"
    dataset = "MNIST (composed lines)"
    expected = {"sequence_accuracy": 0.90}
    Config = Config
    image_shape = (STYLE.height, STYLE.width)
    image_fit = "line"   # `dlpath predict`: scale to the height, pad the width
    samples_title = "Test lines: true digits and the reading"
    pixel_max = 255.0

    def load_data(self, config) -> DataSplits:
        # 1. Lines composed from three disjoint sets of digits (see `digit_sets`).
        counts = (config.train_limit or config.train_lines,
                  config.eval_limit or config.validation_lines,
                  config.eval_limit or config.test_lines)
        digits = digit_sets(config.seed)
        # The training split is the first epoch's lines (`FreshLines`: new lines each epoch).
        splits = [self.training_lines(config, digits[0], counts[0]).lines_of_epoch(0)]
        for offset in (1, 2):
            (images, labels), count = digits[offset], counts[offset]
            lines, targets, _ = compose_lines(images, labels, count,
                                              seed=config.seed * 3 + offset, style=STYLE)
            splits.append((self.preprocess(config, lines), targets))
        test_x, test_y = splits[2]
        # The test split carries the true strings too (and so is not a class-label pair).
        return DataSplits(train=splits[0], validation=splits[1],
                          test=(test_x, test_y, [text_of(t) for t in test_y]),
                          class_names=[str(d) for d in range(10)], kind="image")

    def training_lines(self, config, digits, count: int, first_epoch: int = 0,
                       known=None) -> FreshLines:
        return FreshLines(digits, count, config.batch_size, config.seed, first_epoch,
                          preprocess=lambda lines: self.preprocess(config, lines), known=known)

    def preprocess(self, config, samples):
        samples = np.asarray(samples)
        if samples.dtype != np.uint8:
            samples = np.clip(np.rint(samples), 0, 255).astype(np.uint8)
        return samples[..., None]  # (N, 32, 176, 1), 0..255

    def build_model(self, config, data):
        # 2. The CRNN.
        return crnn(STYLE, config.units, config.learning_rate)

    def read_outputs(self, outputs) -> list:
        """``dlpath predict``: the digits read from each line."""
        return read(outputs)

    def train(self, run, config, data):
        # 3. Fit on the training lines; a few test lines are read after each epoch.
        x, y = data.train
        test_x, _, truths = data.test
        callbacks = list(run.callbacks)
        folder = run_folder(run)
        if folder is not None:
            shown = slice(0, min(SAMPLES_SHOWN, len(test_x)))
            callbacks.append(ReadingSamples(folder, test_x[shown], truths[shown]))
        lines = self.training_lines(config, digit_sets(config.seed)[0], len(x),
                                    first_epoch=run.initial_epoch, known={0: (x, y)})
        history = run.model.fit(lines, epochs=config.epochs,
                                validation_data=data.validation, callbacks=callbacks,
                                initial_epoch=run.initial_epoch, verbose=run.verbose)
        # 4. Read every test line; sequence accuracy and character error rate.
        readings = read(run.model.predict(test_x, batch_size=256, verbose=0))
        metrics = sequence_metrics(truths, readings)
        record_extra(run, metrics)
        if run.verbose:
            print("test lines: " + "  ".join(f"{k} {v:.4f}" for k, v in metrics.items()))
        return history
