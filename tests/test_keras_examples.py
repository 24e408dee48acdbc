"""The Keras programs of examples/keras run short and print a sane last-line metric.

Each program runs in a subprocess, as a user runs it, with one epoch on the first LIMIT
samples (``KERAS_EXAMPLE_EPOCHS`` / ``KERAS_EXAMPLE_LIMIT``); its last line must be
``test accuracy: x`` or ``test loss: x`` within the bounds below. Where one epoch on a
few samples already learns (MNIST digits, generated data), the lower bound is above
chance; elsewhere it only checks a real number in range.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "keras"

# program: (LIMIT, metric, low, high)
PROGRAMS = {
    "mnist_mlp": (1000, "accuracy", 0.3, 1.0),
    "mnist_convnet": (1000, "accuracy", 0.2, 1.0),
    "mnist_tf_data": (1000, "accuracy", 0.3, 1.0),
    "custom_train_step": (1000, "accuracy", 0.3, 1.0),
    "gradient_tape_loop": (2000, "accuracy", 0.2, 1.0),
    "lambda_backend": (500, "accuracy", 0.25, 1.0),
    "keras2_idioms": (500, "accuracy", 0.3, 1.0),
    "sklearn_grid_search": (300, "accuracy", 0.05, 1.0),
    "multi_input_multi_output": (500, "accuracy", 0.0, 1.0),
    "addition_rnn": (500, "accuracy", 0.2, 1.0),
    "timeseries_forecasting": (1500, "loss", 0.0, 1.5),
    "stateful_lstm": (300, "loss", 0.0, 0.01),
    "mnist_vae": (256, "loss", 100.0, 800.0),
    "denoising_autoencoder": (256, "loss", 0.05, 0.8),
    "mnist_gan": (64, "loss", 0.0, 10.0),
    "cifar10_image_generator": (256, "accuracy", 0.0, 1.0),
    "cifar10_augmentation_layers": (256, "accuracy", 0.0, 1.0),
    "cifar10_mobilenet_v2": (256, "accuracy", 0.0, 1.0),
    "callbacks_tour": (256, "accuracy", 0.0, 1.0),
    "imdb_lstm": (64, "accuracy", 0.0, 1.0),
    "imdb_bidirectional_lstm": (64, "accuracy", 0.0, 1.0),
    "imdb_cnn": (64, "accuracy", 0.0, 1.0),
    "imdb_fasttext": (64, "accuracy", 0.0, 1.0),
    "imdb_transformer": (64, "accuracy", 0.0, 1.0),
    "imdb_text_vectorization": (100, "accuracy", 0.0, 1.0),
}

LAST_LINE = re.compile(r"^test (accuracy|loss): (\S+)$")


def test_every_program_is_listed():
    assert sorted(p.stem for p in EXAMPLES.glob("*.py")) == sorted(PROGRAMS)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_runs_short(name, tmp_path):
    limit, metric, low, high = PROGRAMS[name]
    env = dict(os.environ, KERAS_EXAMPLE_EPOCHS="1", KERAS_EXAMPLE_LIMIT=str(limit),
               DLPATH_CACHE=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-W", "ignore", str(EXAMPLES / f"{name}.py")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    match = LAST_LINE.match(lines[-1])
    assert match, f"{name}: the last line is {lines[-1]!r}"
    assert match.group(1) == metric
    value = float(match.group(2))
    assert low <= value <= high, f"{name}: test {metric} {value} outside [{low}, {high}]"
