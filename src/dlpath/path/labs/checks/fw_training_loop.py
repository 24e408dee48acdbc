"""Checks of fw-training-loop: the learner's train_step and train_epoch, compared with what
dlpath's own loop does on identical models (``train_on_batch``, ``fit(shuffle=False)``),
with references for the typical slips (gradients never cleared, inference mode, the last
batch dropped), and on the digits, where an epoch must lower the loss."""

import math

import numpy as np

import dlpath
from dlpath import keras
from dlpath.engine import Tensor
from dlpath.path.labs.checking import Case, CheckFailed, check, fail
from dlpath.path.labs.checks import _framework as fw

FUNCTIONS = ["train_step", "train_epoch"]


def _model(seed, d, k, batchnorm=False):
    """A small MLP with a fixed seed: two calls give identical weights."""
    dlpath.random.set_seed(seed)
    layers = [keras.Input((d,)), keras.layers.Dense(8, activation="tanh")]
    if batchnorm:
        layers.append(keras.layers.BatchNormalization())
    layers.append(keras.layers.Dense(k, activation="softmax"))
    return keras.Sequential(layers)


def _loss():
    return keras.losses.SparseCategoricalCrossentropy()


def _reference(seed, d, k, optimizer, batchnorm=False):
    model = _model(seed, d, k, batchnorm)
    model.compile(optimizer=optimizer, loss=_loss())
    return model


def _flat(model) -> np.ndarray:
    return np.concatenate([np.ravel(w.data).astype(np.float64) for w in model.weights])


def _manual_step(model, optimizer, x, y, training=True, clear=True):
    """What a loop with one slip does: forward in ``training`` mode, maybe no clearing."""
    loss = _loss()(y, model(x, training=training))
    variables = model.trainable_weights
    loss.backward()
    optimizer.apply([v.grad for v in variables], variables)
    if clear:
        optimizer.zero_grad(variables)
    return float(loss.data)


def _as_loss(value, case) -> float:
    try:
        number = float(value.data if isinstance(value, Tensor) else value)
    except (TypeError, ValueError):
        fail("loss_not_number", type=type(value).__name__, case=case)
    return number


def _data(rng, n, d, k):
    x = rng.normal(0, 1, (n, d)).astype(np.float32)
    return x, rng.integers(0, k, n)


@check("one-step")
def one_step(learner, rng):
    seed, d, k, n = fw.seed_from(rng), int(rng.integers(3, 7)), int(rng.integers(2, 5)), 6
    x, y = _data(rng, n, d, k)
    model, reference = _model(seed, d, k), _reference(seed, d, k, keras.optimizers.SGD(0.1))
    start = _flat(model)
    case_text = f"train_step on a batch of {n}, SGD(learning_rate=0.1)"
    loss = fw.call(learner.train_step, model, keras.optimizers.SGD(0.1), _loss(), x, y,
                   case=case_text)
    loss = _as_loss(loss, case_text)
    expected_loss = float(reference.train_on_batch(x, y))
    after_loss = float(reference.evaluate(x, y, verbose=0))
    case = Case(learner.train_step, case_text)
    delta = _flat(model) - start
    expected = _flat(reference) - start
    case.expect_close("the change of the weights", delta, expected, rtol=1e-4, atol=1e-7,
                      mistakes={"not_applied": np.zeros_like(expected),
                                "gradient_ascent": -expected})
    case.expect_close("the returned loss", loss, expected_loss, rtol=1e-5, atol=1e-7,
                      mistakes={"loss_after_update": after_loss})
    leftover = [w.name for w in model.trainable_weights if w.grad is not None]
    if leftover:
        fail("grad_not_cleared", names=", ".join(leftover))


@check("two-steps")
def two_steps(learner, rng):
    seed, d, k = fw.seed_from(rng), int(rng.integers(3, 7)), int(rng.integers(2, 5))
    (x1, y1), (x2, y2) = _data(rng, 5, d, k), _data(rng, 7, d, k)
    model, reference = _model(seed, d, k), _reference(seed, d, k, keras.optimizers.SGD(0.1))
    accumulated, optimizer = _model(seed, d, k), keras.optimizers.SGD(0.1)
    start = _flat(model)
    case_text = "two train_step calls in a row, SGD(learning_rate=0.1)"
    optimizer_l = keras.optimizers.SGD(0.1)
    for x, y in ((x1, y1), (x2, y2)):
        fw.call(learner.train_step, model, optimizer_l, _loss(), x, y, case=case_text)
        reference.train_on_batch(x, y)
        _manual_step(accumulated, optimizer, x, y, clear=False)
    Case(learner.train_step, case_text).expect_close(
        "the change of the weights after two steps", _flat(model) - start,
        _flat(reference) - start, rtol=1e-4, atol=1e-7,
        mistakes={"forgot_zero_grad": _flat(accumulated) - start})


@check("training-mode")
def training_mode(learner, rng):
    seed, d, k, n = fw.seed_from(rng), int(rng.integers(3, 7)), int(rng.integers(2, 5)), 8
    x, y = _data(rng, n, d, k)
    x = x * 3 + 2  # batch statistics far from the initial moving ones (0 and 1)
    model = _model(seed, d, k, batchnorm=True)
    reference = _reference(seed, d, k, keras.optimizers.SGD(0.1), batchnorm=True)
    inference = _model(seed, d, k, batchnorm=True)
    start = _flat(model)
    case_text = f"train_step on a model with BatchNormalization, batch of {n}"
    fw.call(learner.train_step, model, keras.optimizers.SGD(0.1), _loss(), x, y,
            case=case_text)
    reference.train_on_batch(x, y)
    _manual_step(inference, keras.optimizers.SGD(0.1), x, y, training=False)
    Case(learner.train_step, case_text).expect_close(
        "the change of the weights", _flat(model) - start, _flat(reference) - start,
        rtol=1e-4, atol=1e-7, mistakes={"training_false": _flat(inference) - start})


@check("epoch-matches-fit")
def epoch_matches_fit(learner, rng):
    seed, d, k = fw.seed_from(rng), int(rng.integers(3, 7)), int(rng.integers(2, 5))
    batch_size = int(rng.choice([8, 16]))
    n = batch_size * int(rng.integers(2, 5)) + int(rng.integers(1, batch_size))
    x, y = _data(rng, n, d, k)
    model = _model(seed, d, k)
    fitted = _reference(seed, d, k, keras.optimizers.Adam(0.01))
    dropped = _reference(seed, d, k, keras.optimizers.Adam(0.01))
    stepped = _reference(seed, d, k, keras.optimizers.Adam(0.01))
    case_text = (f"train_epoch on {n} samples, batch_size={batch_size}, "
                 f"Adam(learning_rate=0.01)")
    losses = fw.call(learner.train_epoch, model, keras.optimizers.Adam(0.01), _loss(), x, y,
                     batch_size=batch_size, case=case_text)
    fitted.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    dropped.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0,
                steps_per_epoch=n // batch_size)
    expected_losses = [float(stepped.train_on_batch(x[i:i + batch_size], y[i:i + batch_size]))
                       for i in range(0, n, batch_size)]
    case = Case(learner.train_epoch, case_text)
    try:
        case.expect_close("the weights after one epoch", _flat(model), _flat(fitted),
                          rtol=1e-4, atol=1e-6,
                          mistakes={"dropped_last_batch": _flat(dropped)})
    except CheckFailed as failure:
        if failure.key not in ("wrong_value", "constant_factor", "wrong_sign"):
            raise
        fail("epoch_mismatch", case=case_text, batches=math.ceil(n / batch_size))
    if not isinstance(losses, (list, tuple, np.ndarray)):
        fail("losses_not_list", type=type(losses).__name__)
    if len(losses) != len(expected_losses):
        fail("losses_length", actual=len(losses), expected=len(expected_losses), n=n,
             batch_size=batch_size)
    case.expect_close("the batch losses", np.array([_as_loss(v, case_text) for v in losses]),
                      np.array(expected_losses), rtol=1e-4, atol=1e-6)


@check("lowers-loss")
def lowers_loss(learner, rng):
    (x, y), _ = fw.digits(int(rng.integers(0, 4)))
    dlpath.random.set_seed(fw.seed_from(rng))
    model = keras.Sequential([keras.Input((8, 8)), keras.layers.Flatten(),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(loss=_loss())
    before = float(model.evaluate(x, y, batch_size=512, verbose=0))
    optimizer = keras.optimizers.Adam(0.01)
    for epoch in range(3):
        fw.call(learner.train_epoch, model, optimizer, _loss(), x, y, batch_size=64,
                case=f"train_epoch on the {len(x)} digits, epoch {epoch + 1}")
    after = float(model.evaluate(x, y, batch_size=512, verbose=0))
    print(f"digits loss: {before:.4f} before, {after:.4f} after 3 epochs of train_epoch")
    if not np.isfinite(after) or after > 0.5 * before:
        fail("loss_not_lowered", before=before, after=after)
