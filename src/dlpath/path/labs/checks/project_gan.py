"""Checks of project-gan: the learner's saved generator draws 1,000 images from standard
normal noise, and an MNIST classifier shipped with the lab (``assets/mnist-classifier.keras``,
a small convnet at 98.7 % test accuracy, rebuilt by tests/path/labs/build_lab_assets.py)
labels them: most must be labelled confidently, and the confident labels must cover most
digits (no mode collapse)."""

import functools
from importlib import resources

import numpy as np

from dlpath.path.labs.checking import check, fail
from dlpath.path.labs.checks import _saved_models as saved

SAMPLES = 1000
CONFIDENCE = 0.9         # a sample is labelled confidently at max probability >= 0.9
CONFIDENT_SHARE = 0.5    # "most samples": at least half
CLASSES_NEEDED = 8       # of the 10 digits ...
CLASS_SHARE = 0.01       # ... each drawn confidently in >= 1 % of the samples
MAX_LATENT = 4096
PROBE = 64
IMAGE_SHAPES = ((28, 28, 1), (28, 28), (784,))


@functools.lru_cache(maxsize=1)
def classifier():
    """The lab's MNIST classifier: (N, 28, 28, 1) in [0, 1] -> (N, 10) probabilities."""
    asset = resources.files("dlpath.path.labs") / "assets" / "mnist-classifier.keras"
    with resources.as_file(asset) as path:
        return saved.load(path)


def _latent_dim(model) -> int:
    shape = saved.input_shape(model)
    if len(shape) != 1 or shape[0] is None or not 1 <= shape[0] <= MAX_LATENT:
        fail("input_shape", actual=saved.describe(shape),
             expected=f"(batch, latent_dim), 1 <= latent_dim <= {MAX_LATENT}")
    return shape[0]


def _draw(model, rng, count: int) -> np.ndarray:
    """``count`` images of the generator as (count, 28, 28, 1) in [0, 1]."""
    z = rng.standard_normal((count, _latent_dim(model))).astype(np.float32)
    what = (f"{count} noise vectors z ~ N(0, 1)", f"{count} 个噪声向量 z ~ N(0, 1)")
    images = saved.predict(model, z, what)
    images = saved.expect_output(saved.single_output(images, what),
                                 [(count,) + shape for shape in IMAGE_SHAPES], what)
    low, high = float(images.min()), float(images.max())
    if low < -1.01 or high > 1.01:
        fail("pixels_out_of_range", low=low, high=high)
    if low < 0:  # tanh images in [-1, 1]
        images = (images + 1.0) / 2.0
    return np.clip(images, 0.0, 1.0).reshape(count, 28, 28, 1).astype(np.float32)


def _labelled(learner, rng):
    """(labels, confident mask) of SAMPLES generated images."""
    model = saved.load_learner_model(learner)
    images = _draw(model, rng, SAMPLES)
    probabilities = classifier().predict(images, batch_size=saved.BATCH_SIZE, verbose=0)
    return probabilities.argmax(axis=1), probabilities.max(axis=1) >= CONFIDENCE


@check("loads")
def loads(learner, rng):
    saved.load_learner_model(learner)


@check("input-shape")
def input_shape(learner, rng):
    _latent_dim(saved.load_learner_model(learner))


@check("images")
def images(learner, rng):
    _draw(saved.load_learner_model(learner), rng, PROBE)


@check("confident")
def confident(learner, rng):
    labels, sure = _labelled(learner, rng)
    share = float(sure.mean())
    if share < CONFIDENT_SHARE:
        fail("not_confident", share=share, bar=CONFIDENT_SHARE, count=SAMPLES,
             confidence=CONFIDENCE)
    return {"share": share}


@check("classes")
def classes(learner, rng):
    labels, sure = _labelled(learner, rng)
    counts = np.bincount(labels[sure], minlength=10)
    enough = int(CLASS_SHARE * SAMPLES)
    covered = [digit for digit in range(10) if counts[digit] >= enough]
    if len(covered) < CLASSES_NEEDED:
        missing = [str(d) for d in range(10) if d not in covered]
        fail("mode_collapse", covered=len(covered), needed=CLASSES_NEEDED,
             missing=", ".join(missing), counts=" ".join(str(int(c)) for c in counts),
             enough=enough)
