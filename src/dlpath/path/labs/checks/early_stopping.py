"""Checks of the early-stopping lab: the stop epoch, the best epoch and the restored weights
against dlpath's EarlyStopping callback driven epoch by epoch (as fit does), on hand-made
runs (ties, min_delta, patience 0, a nan) and on many random noisy learning curves; wrong
answers are matched against the usual misreadings of Keras' rule."""

import math

import numpy as np

from dlpath.callbacks import EarlyStopping
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["early_stopping", "final_weights_epoch"]


class _Model:
    """What EarlyStopping touches: stop_training and the weights (here: the epoch number)."""

    def __init__(self):
        self.stop_training = False
        self.epoch = 0
        self.restored = None

    def get_weights(self):
        return [self.epoch]

    def set_weights(self, weights):
        self.restored = weights[0]


def dlpath_run(losses, patience, min_delta, restore_best_weights=False):
    """(stop_epoch, best_epoch, final_weights_epoch) from dlpath's EarlyStopping, driven as
    Model.fit drives it."""
    callback = EarlyStopping(monitor="val_loss", patience=patience, min_delta=min_delta,
                             restore_best_weights=restore_best_weights)
    model = _Model()
    callback.set_model(model)
    callback.on_train_begin()
    epoch = 0
    for epoch, loss in enumerate(losses):
        model.epoch = epoch
        callback.on_epoch_end(epoch, {"val_loss": loss})
        if model.stop_training:
            break
    callback.on_train_end()
    final = model.restored if model.restored is not None else epoch
    return epoch, callback.best_epoch, final


def variant(losses, patience, min_delta, late=False, early=False, ties=False,
            no_delta=False, best_moves=False, no_first_guard=False):
    """Keras' rule with one usual misreading switched on: (stop_epoch, best_epoch)."""
    delta = 0.0 if no_delta else abs(min_delta)
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(losses):
        wait += 1
        improved = (loss + delta <= best) if ties else (loss + delta < best)
        if improved:
            best, best_epoch, wait = loss, epoch, 0
            continue
        if best_moves and loss < best:
            best = loss
        limit = patience + 1 if late else patience - 1 if early else patience
        if wait >= limit and (epoch > 0 or no_first_guard):
            return epoch, best_epoch
    return len(losses) - 1, best_epoch


MISREADINGS = [("stops_one_late", {"late": True}), ("stops_one_early", {"early": True}),
               ("ties_improve", {"ties": True}), ("min_delta_ignored", {"no_delta": True}),
               ("best_moves_without_improvement", {"best_moves": True}),
               ("stopped_at_epoch_zero", {"no_first_guard": True})]


def _describe(losses, patience, min_delta):
    shown = ", ".join("nan" if math.isnan(v) else f"{v:g}" for v in losses)
    return f"val_losses=[{shown}], patience={patience}, min_delta={min_delta:g}"


def _given(losses):
    """The losses as passed to the learner: a list, or an array when a nan is in it (a nan
    in a list would look changed to case.call's comparison, as nan != nan)."""
    return np.array(losses) if any(math.isnan(v) for v in losses) else list(losses)


def _pair(case, result):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("not_a_pair", type=type(result).__name__)
    return result


def _check_run(learner, losses, patience, min_delta):
    case = Case(learner.early_stopping, _describe(losses, patience, min_delta))
    result = _pair(case, case.call(_given(losses), patience=patience, min_delta=min_delta))
    stop, best, _ = dlpath_run(losses, patience, min_delta)
    mine = tuple(result)
    if mine == (stop, best):
        return
    if mine == (stop + 1, best) and stop + 1 <= len(losses):
        case.fail("epochs_not_counted_from_zero", stop=stop)
    for key, switches in MISREADINGS:
        wrong = variant(losses, patience, min_delta, **switches)
        if wrong != (stop, best) and mine == wrong:
            case.fail(key, patience=patience, min_delta=min_delta, stop=stop, best=best)
    if mine[0] != stop:
        case.expect_equal("stop_epoch", mine[0], stop)
    if mine[1] != best and min_delta and mine[1] == int(np.argmin(losses[:stop + 1])):
        case.fail("best_epoch_is_argmin", best=best)
    case.expect_equal("best_epoch", mine[1], best)


# Hand-made runs: (losses, patience, min_delta), each telling one misreading apart.
HAND_MADE = [
    ([1.0, 0.9, 0.95, 0.8, 0.85, 0.9], 1, 0.0),       # stopping late is not counting from 1
    ([1.0, 0.8, 0.9, 0.95, 1.0, 1.1], 2, 0.0),        # plain: stops at 3, best 1
    ([1.0, 0.9, 0.9, 0.9, 0.9, 0.8], 2, 0.0),         # ties do not improve
    ([1.0, 0.99, 0.985, 0.98, 0.975, 0.97], 2, 0.05),  # small gains are not improvements
    ([1.0, 1.2, 0.7, 0.6, 0.65, 0.66, 0.67], 0, 0.0),  # patience 0: the first non-improvement
    ([1.0, 0.9, 0.8, 0.7, 0.6], 1, 0.0),              # never stops
    ([1.0, 0.97, 0.94, 0.93, 0.90, 0.88, 0.87, 0.86, 0.85], 3, 0.05),  # best must not creep
    ([float("nan"), 1.0, 0.9, 0.95, 0.97], 0, 0.0),   # no stop at epoch 0, nan never improves
    ([float("nan"), float("nan"), 1.0, 0.9, 0.8], 3, 0.0),  # wait counts from 0
    ([float("nan")] * 4, 1, 0.0),                     # no improvement at all: best_epoch 0
]


@check("hand-made-runs")
def hand_made_runs(learner, rng):
    for losses, patience, min_delta in HAND_MADE:
        _check_run(learner, losses, patience, min_delta)


def _curve(rng):
    """A noisy validation curve: falls, flattens, maybe rises again; rounded, so ties occur."""
    n = int(rng.integers(5, 16))
    t = np.arange(n)
    low = rng.uniform(0.2, 0.6)
    curve = low + np.exp(-t / rng.uniform(1, 5)) + rng.uniform(0, 0.05) * np.maximum(
        0, t - rng.integers(2, n))
    curve += rng.normal(0, rng.uniform(0.005, 0.05), n)
    return [float(v) for v in np.round(curve, 2)]


@check("random-runs")
def random_runs(learner, rng):
    for _ in range(150):
        losses = _curve(rng)
        patience = int(rng.integers(0, 5))
        min_delta = float(rng.choice([0.0, 0.0, 0.005, 0.02, 0.05]))
        if rng.random() < 0.2:
            min_delta = -min_delta  # Keras uses |min_delta|
        _check_run(learner, losses, patience, min_delta)


@check("restore-best-weights")
def restore_best_weights(learner, rng):
    runs = [(h[0], h[1], h[2]) for h in HAND_MADE] + [
        (_curve(rng), int(rng.integers(0, 5)), float(rng.choice([0.0, 0.01, 0.03])))
        for _ in range(60)]
    for losses, patience, min_delta in runs:
        for restore in (True, False):
            case = Case(learner.final_weights_epoch, _describe(losses, patience, min_delta)
                        + f", restore_best_weights={restore}")
            mine = case.call(_given(losses), patience=patience, min_delta=min_delta,
                             restore_best_weights=restore)
            stop, best, final = dlpath_run(losses, patience, min_delta, restore)
            if mine == final:
                continue
            stopped_early = stop < len(losses) - 1
            if restore and not stopped_early and mine == stop:
                case.fail("restore_only_when_stopped", best=best, stop=stop)
            if restore and mine == stop:
                case.fail("restore_ignored", best=best)
            if not restore and mine == best:
                case.fail("restored_without_flag", stop=stop)
            case.expect_equal("final weights epoch", mine, final)


@check("numpy-input")
def numpy_input(learner, rng):
    losses = np.array(_curve(rng))
    case = Case(learner.early_stopping, "val_losses as a NumPy array, patience=2")
    result = _pair(case, case.call(losses, patience=2))
    stop, best, _ = dlpath_run([float(v) for v in losses], 2, 0.0)
    case.expect_equal("(stop_epoch, best_epoch)", tuple(result), (stop, best))
