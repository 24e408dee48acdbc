"""Checks of fw-callback: the learner's StopAtTarget callback, driven first through the
callback hooks with chosen epoch logs (the epoch it stops at, a value equal to the target,
another monitor, a missing one, a second fit), then inside model.fit on the digits, where
the epochs run must match fit's own History."""

import numpy as np

import dlpath
from dlpath import keras
from dlpath.path.labs.checking import Case, check, fail, learner_line
from dlpath.path.labs.checks import _framework as fw

FUNCTIONS = ["StopAtTarget"]
TARGET = 0.95  # val_accuracy at which the real fit must stop


class _Model:
    """What a callback sees of the model: the flag it sets to stop training."""

    def __init__(self):
        self.stop_training = False


def _callback(learner, *args, **kwargs):
    text = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
    callback = fw.call(learner.StopAtTarget, *args, case=f"StopAtTarget({text})", **kwargs)
    if not isinstance(callback, keras.callbacks.Callback):
        fail("not_a_callback", type=type(callback).__name__)
    return callback


def _logs(rng, value, monitor="val_accuracy"):
    logs = {"loss": float(rng.uniform(0.1, 2)), "accuracy": float(rng.uniform(0, 1)),
            "val_loss": float(rng.uniform(0.1, 2)), "val_accuracy": float(rng.uniform(0, 1))}
    logs[monitor] = value
    return logs


def _run(callback, epochs_logs, case):
    """Drive the hooks as fit does; returns (model, the epochs that ran)."""
    model = _Model()
    callback.set_model(model)
    callback.set_params({"epochs": len(epochs_logs), "steps": 10, "verbose": 0})
    fw.call(callback.on_train_begin, {}, case=case)
    ran = 0
    for epoch, logs in enumerate(epochs_logs):
        fw.call(callback.on_epoch_begin, epoch, {}, case=case)
        fw.call(callback.on_epoch_end, epoch, dict(logs), case=case)
        ran += 1
        if model.stop_training:
            break
    fw.call(callback.on_train_end, {}, case=case)
    return model, ran


def _rising(rng, target, crossing, exact=False, length=None):
    """Values below ``target`` until epoch ``crossing``, which reaches it (``exact``: equals)."""
    length = length or crossing + 3
    values = list(np.sort(rng.uniform(0.2, target - 0.05, crossing)))
    values.append(target if exact else float(rng.uniform(target, 1.0)))
    values += list(rng.uniform(0.2, 1.0, length - crossing - 1))
    return [float(v) for v in values]


def _expect_stop(callback, values, crossing, ran, model, case, target):
    if not model.stop_training:
        fail("never_stopped", case=case, target=target, epoch=crossing)
    if ran - 1 < crossing:
        fail("stopped_early", case=case, epoch=ran - 1, crossing=crossing,
             value=values[ran - 1], target=target)
    if ran - 1 > crossing:
        fail("stopped_late", case=case, epoch=ran - 1, crossing=crossing, target=target)
    checker = Case(callback.on_epoch_end, case)
    stopped = getattr(callback, "stopped_epoch", "missing")
    if stopped == "missing":
        fail("no_attribute", attribute="stopped_epoch")
    if stopped == crossing + 1:
        fail("epoch_off_by_one", actual=stopped, expected=crossing)
    checker.expect_equal("stopped_epoch", stopped, crossing)
    recorded = getattr(callback, "values", None)
    if not isinstance(recorded, (list, tuple)):
        fail("no_attribute", attribute="values")
    checker.expect_equal("len(values)", len(recorded), crossing + 1)
    checker.expect_close("values", np.array(recorded, dtype=np.float64),
                         np.array(values[:crossing + 1]), rtol=1e-7, atol=1e-9)


@check("stops-at-target")
def stops_at_target(learner, rng):
    for exact in (False, True):
        target = float(np.round(rng.uniform(0.6, 0.9), 3))
        crossing = int(rng.integers(1, 5))
        values = _rising(rng, target, crossing, exact=exact)
        callback = _callback(learner, target)
        case = (f"StopAtTarget({target}), val_accuracy per epoch "
                f"{[round(v, 3) for v in values]}")
        model, ran = _run(callback, [_logs(rng, v) for v in values], case)
        if exact and not model.stop_training:
            fail("strict_comparison", case=case, target=target, epoch=crossing)
        _expect_stop(callback, values, crossing, ran, model, case, target)


@check("monitor")
def monitor(learner, rng):
    target = float(np.round(rng.uniform(0.6, 0.8), 3))
    crossing = int(rng.integers(2, 5))
    values = _rising(rng, target, crossing)
    epochs_logs = [_logs(rng, v, monitor="accuracy") for v in values]
    for logs in epochs_logs:
        logs["val_accuracy"] = 0.99  # a hard-coded 'val_accuracy' would stop at once
    callback = _callback(learner, target, monitor="accuracy")
    case = f"StopAtTarget({target}, monitor='accuracy'), accuracy per epoch " \
           f"{[round(v, 3) for v in values]}, val_accuracy 0.99"
    model, ran = _run(callback, epochs_logs, case)
    if model.stop_training and ran == 1 and crossing > 0:
        fail("hardcoded_monitor", case=case)
    _expect_stop(callback, values, crossing, ran, model, case, target)


@check("missing-monitor")
def missing_monitor(learner, rng):
    callback = _callback(learner, 0.9)
    model = _Model()
    callback.set_model(model)
    logs = {"loss": 0.5, "accuracy": 0.95}  # fit without validation_data: no val_ metrics
    case = "StopAtTarget(0.9) with epoch logs {'loss': 0.5, 'accuracy': 0.95}"
    fw.call(callback.on_train_begin, {}, case=case)
    try:
        callback.on_epoch_end(0, dict(logs))
    except NotImplementedError:
        fail("not_implemented", name="on_epoch_end")
    except Exception as error:
        if "val_accuracy" not in str(error):
            fail("missing_unclear", error=f"{type(error).__name__}: {error}",
                 line=learner_line(error))
        return
    fail("missing_ignored", stopped=model.stop_training)


@check("reset")
def reset(learner, rng):
    target = float(np.round(rng.uniform(0.6, 0.9), 3))
    callback = _callback(learner, target)
    first = _rising(rng, target, int(rng.integers(1, 4)))
    _run(callback, [_logs(rng, v) for v in first], "a first fit")
    crossing = int(rng.integers(1, 4))
    values = _rising(rng, target, crossing)
    case = (f"the same StopAtTarget({target}) in a second fit, val_accuracy "
            f"{[round(v, 3) for v in values]}")
    model, ran = _run(callback, [_logs(rng, v) for v in values], case)
    recorded = getattr(callback, "values", None)
    if isinstance(recorded, (list, tuple)) and len(recorded) > crossing + 1:
        fail("not_reset", count=len(recorded), expected=crossing + 1)
    _expect_stop(callback, values, crossing, ran, model, case, target)


@check("in-fit")
def in_fit(learner, rng):
    (x, y), (x_val, y_val) = fw.digits(int(rng.integers(0, 4)))
    dlpath.random.set_seed(fw.seed_from(rng))
    model = keras.Sequential([keras.Input((8, 8)), keras.layers.Flatten(),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    target = TARGET
    callback = _callback(learner, target)
    case = f"model.fit on the digits, epochs=30, callbacks=[StopAtTarget({target})]"
    history = fw.call(model.fit, x, y, validation_data=(x_val, y_val), epochs=30,
                      batch_size=32, verbose=0, callbacks=[callback], case=case)
    seen = history.history["val_accuracy"]
    crossing = next((i for i, v in enumerate(seen) if v >= target), None)
    print(f"val_accuracy per epoch: {[round(v, 3) for v in seen]}")
    if crossing is None:
        fail("never_stopped", case=case, target=target, epoch="-")
    if len(seen) - 1 != crossing:
        fail("stopped_late", case=case, epoch=len(seen) - 1, crossing=crossing, target=target)
    checker = Case(callback.on_epoch_end, case)
    checker.expect_equal("stopped_epoch", getattr(callback, "stopped_epoch", None), crossing)
    checker.expect_close("values", np.array(getattr(callback, "values", []), dtype=float),
                         np.array(seen), rtol=1e-6, atol=1e-9)
    callback = _callback(learner, 1.01)
    case = "model.fit on the digits, epochs=3, callbacks=[StopAtTarget(1.01)] (unreachable)"
    history = fw.call(model.fit, x, y, validation_data=(x_val, y_val), epochs=3,
                      batch_size=32, verbose=0, callbacks=[callback], case=case)
    if len(history.epoch) != 3:
        fail("stopped_early", case=case, epoch=len(history.epoch) - 1, crossing="-",
             value=history.history["val_accuracy"][-1], target=1.01)
    checker = Case(callback.on_epoch_end, case)
    checker.expect_equal("stopped_epoch", getattr(callback, "stopped_epoch", "missing"), None)
