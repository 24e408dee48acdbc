"""Checks of fw-transfer: the checker pre-trains a small base on the digits 0-4; the
learner's build_transfer_model must freeze that very base and put a new head on it, and
train_head must train the head alone (the base's weights unchanged, to the bit) to a stated
accuracy on the digits 5-9."""

import numpy as np

import dlpath
from dlpath import keras
from dlpath.path.labs.checking import Case, check, fail
from dlpath.path.labs.checks import _framework as fw

FUNCTIONS = ["build_transfer_model", "train_head"]
BAR = 0.85
SOURCE, TARGET = (0, 1, 2, 3, 4), (5, 6, 7, 8, 9)


def pretrained_base(seed: int, split: int):
    """Flatten-Dense(32, relu), trained under a head of its own on the digits 0-4."""
    (x, y), _ = fw.digits(split)
    dlpath.random.set_seed(seed)
    base = keras.Sequential([keras.Input((8, 8)), keras.layers.Flatten(),
                             keras.layers.Dense(32, activation="relu")],
                            name="pretrained_base")
    source = keras.Sequential([keras.Input((8, 8)), base,
                               keras.layers.Dense(len(SOURCE), activation="softmax")])
    source.compile(optimizer=keras.optimizers.Adam(0.01),
                   loss="sparse_categorical_crossentropy")
    rows = np.isin(y, SOURCE)
    source.fit(x[rows], y[rows], epochs=20, batch_size=32, verbose=0)
    return base


def _build(learner, rng, num_classes):
    seed, split = fw.seed_from(rng), int(rng.integers(0, 4))
    base = pretrained_base(seed, split)
    base_weights = list(base.weights)
    model = fw.call(learner.build_transfer_model, base, num_classes,
                    case=f"build_transfer_model(base, {num_classes})")
    if not isinstance(model, keras.Model):
        fail("not_a_model", type=type(model).__name__)
    return base, base_weights, model, split


def _expect_frozen(base, base_weights, model):
    if not any(layer is base for layer in model._all_layers()):
        fail("base_not_used")
    if base.trainable:
        fail("base_trainable")
    trainable = {id(w) for w in model.trainable_weights}
    inside = [w.name for w in base_weights if id(w) in trainable]
    if inside:
        fail("base_in_trainable", names=", ".join(inside))
    if not model.trainable_weights:
        fail("no_trainable")


@check("frozen-base")
def frozen_base(learner, rng):
    base, base_weights, model, _ = _build(learner, rng, len(TARGET))
    _expect_frozen(base, base_weights, model)
    if not model.compiled:
        fail("not_compiled")


@check("head-output")
def head_output(learner, rng):
    for num_classes in (len(TARGET), int(rng.integers(2, 5))):
        base, base_weights, model, _ = _build(learner, rng, num_classes)
        batch = int(rng.integers(2, 7))
        x = rng.uniform(0, 1, (batch, 8, 8)).astype(np.float32)
        case = Case(model.predict, f"build_transfer_model(base, {num_classes}) on {batch} "
                                   f"random images")
        p = case.expect_shape("the output", np.asarray(fw.call(
            model.predict, x, verbose=0, case=case.description)), (batch, num_classes))
        if p.min() < 0 or not np.allclose(p.sum(axis=1), 1.0, atol=1e-4):
            fail("output_not_softmax")


@check("trains-head-only")
def trains_head_only(learner, rng):
    base, base_weights, model, split = _build(learner, rng, len(TARGET))
    _expect_frozen(base, base_weights, model)
    (x, y), (x_val, y_val) = fw.digits(split)
    rows, rows_val = np.isin(y, TARGET), np.isin(y_val, TARGET)
    x, y = x[rows], y[rows] - TARGET[0]
    x_val, y_val = x_val[rows_val], y_val[rows_val] - TARGET[0]
    frozen = fw.snapshot(base_weights)
    head = [w for w in model.trainable_weights]
    before = fw.snapshot(head)
    fw.call(learner.train_head, model, x, y,
            case=f"train_head(model, x {x.shape}, y) on the digits 5-9")
    moved = [w.name for w, c in zip(base_weights, fw.changed(frozen, base_weights)) if c]
    if moved:
        fail("base_changed", names=", ".join(moved))
    if not any(fw.changed(before, head)):
        fail("head_not_trained")
    accuracy = float(np.mean(np.argmax(model.predict(x_val, verbose=0), axis=1) == y_val))
    print(f"accuracy on {len(x_val)} held-out digits 5-9: {accuracy:.4f} (bar {BAR})")
    if accuracy < BAR:
        fail("below_bar", accuracy=accuracy, bar=BAR, count=len(x_val))
