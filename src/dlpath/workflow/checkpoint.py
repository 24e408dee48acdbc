"""``checkpoints/last.keras``: the model, its optimizer, the epoch and the random state.

The checkpoint is a ``.keras`` archive with the members `dlpath.saving.save_model` writes
(architecture, weights, compile settings, optimizer state) and one more JSON member,
``training.json``: the number of completed epochs and
``dlpath.random.generator().bit_generator.state``. Restoring that state at resume makes
the shuffles and dropout masks of the following epochs those an uninterrupted run would
have drawn, so the final weights are identical.

The whole archive is written in one atomic write, through a temporary file with a unique
name, so two processes saving the same run never collide; a temporary file left by a
killed save is removed by the next save or load of the checkpoint.
"""

from __future__ import annotations

import os

from dlpath import random as dlrandom
from dlpath.saving import archive, load_model
from dlpath.saving.errors import SaveFileError, location, reading
from dlpath.saving.saving_api import model_members

STATE_MEMBER = "training.json"


def save(model, path, epochs_done: int) -> None:
    """Write the checkpoint atomically: model, optimizer and training state together."""
    path = os.fspath(path)
    members = model_members(model)
    members[STATE_MEMBER] = {"epochs_done": int(epochs_done),
                             "rng_state": dlrandom.generator().bit_generator.state}
    archive.atomic_write(path, lambda file: archive.write_archive(file, members))


def _check_state(state, path: str) -> dict:
    where = location(path, STATE_MEMBER)
    if not isinstance(state, dict):
        raise SaveFileError(f"{where}: expected a JSON object, got {type(state).__name__}",
                            path, STATE_MEMBER)
    epochs = state.get("epochs_done")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 0 <= epochs < 1 << 31:
        raise SaveFileError(f"{where}: 'epochs_done' is {epochs!r:.60}, expected a "
                            f"non-negative integer", path, STATE_MEMBER)
    if not isinstance(state.get("rng_state"), dict):
        raise SaveFileError(f"{where}: 'rng_state' is {state.get('rng_state')!r:.60}, "
                            f"expected a random generator state (a JSON object)", path,
                            STATE_MEMBER)
    with reading(path, STATE_MEMBER, "a state of dlpath's random generator"):
        bit_generator = type(dlrandom.generator().bit_generator)()
        bit_generator.state = state["rng_state"]
    return state


def load(path):
    """``(model, state)``: the compiled model with its optimizer state, and training.json,
    checked (a file that cannot be read raises `SaveFileError`)."""
    path = os.fspath(path)
    model = load_model(path)
    with reading(path, STATE_MEMBER, "the training state"), archive.Archive(path) as saved:
        state = saved.read_json(STATE_MEMBER)
    return model, _check_state(state, path)


def restore_random_state(state: dict) -> None:
    """Put dlpath's shared generator back in the state saved with the checkpoint."""
    dlrandom.generator().bit_generator.state = state["rng_state"]
