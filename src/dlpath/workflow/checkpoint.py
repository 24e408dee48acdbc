"""``checkpoints/last.keras``: the model, its optimizer, the epoch and the random state.

The checkpoint is a ``.keras`` archive written by `dlpath.saving.save_model` (architecture,
weights, compile settings, optimizer state) with one more JSON member, ``training.json``:
the number of completed epochs and ``dlpath.random.generator().bit_generator.state``.
Restoring that state at resume makes the shuffles and dropout masks of the following epochs
those an uninterrupted run would have drawn, so the final weights are identical.
"""

from __future__ import annotations

import json
import os
import zipfile

from dlpath import random as dlrandom
from dlpath.saving import archive, load_model, save_model

STATE_MEMBER = "training.json"


def save(model, path, epochs_done: int) -> None:
    """Write the checkpoint atomically: a temporary archive, completed, then moved."""
    path = os.fspath(path)
    temporary = os.path.join(os.path.dirname(path), f".partial-{os.path.basename(path)}")
    state = {"epochs_done": int(epochs_done),
             "rng_state": dlrandom.generator().bit_generator.state}
    try:
        save_model(model, temporary)
        with zipfile.ZipFile(temporary, "a") as file:
            file.writestr(STATE_MEMBER, json.dumps(state))
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def load(path):
    """``(model, state)``: the compiled model with its optimizer state, and training.json."""
    path = os.fspath(path)
    model = load_model(path)
    state = archive.Archive(path).read_json(STATE_MEMBER)
    return model, state


def restore_random_state(state: dict) -> None:
    """Put dlpath's shared generator back in the state saved with the checkpoint."""
    dlrandom.generator().bit_generator.state = state["rng_state"]
