"""Small run folders and a real `dlpath serve` subprocess on a free 127.0.0.1 port."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from dlpath.layers.layer import reset_names
from dlpath.recipes import get_recipe
from dlpath.workflow import RunFolder, files

START_TIMEOUT_S = 60


def tiny_run(parent, recipe_name: str, overrides: dict, class_names: list,
             kind: str) -> RunFolder:
    """A run folder as `dlpath train` leaves it (config.json, model.keras), untrained."""
    recipe = get_recipe(recipe_name)
    config = recipe.make_config(overrides)
    # Layer names count up per process; start from Keras' first names ('input_layer').
    reset_names()
    folder = RunFolder.create(parent, recipe.name)
    files.write_json(folder.config, {"recipe": recipe.name,
                                     "config": dataclasses.asdict(config),
                                     "data": {"kind": kind, "class_names": class_names}})
    recipe.build_model(config, None).save(folder.model)
    return folder


def mnist_run(parent) -> RunFolder:
    return tiny_run(parent, "mnist-cnn", {}, [str(i) for i in range(10)], "image")


def text_run(parent) -> RunFolder:
    return tiny_run(parent, "imdb-lstm", {"maxlen": 24, "embedding_dim": 8, "units": 8,
                                          "num_words": 1000},
                    ["negative", "positive"], "sequence")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python -m dlpath serve TARGET ...`` in a subprocess, ready once /readyz says so."""

    def __init__(self, target, *options, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(str(target)).parent / f"serve-{self.port}.log", "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dlpath", "serve", str(target), "--port", str(self.port),
             *map(str, options)], stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})})

    def wait_ready(self) -> "Server":
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dlpath serve exited with {self.process.returncode}: "
                                   f"{self.output()}")
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"dlpath serve was not ready in {START_TIMEOUT_S} s: "
                           f"{self.output()}")

    def output(self) -> str:
        if self.log.closed:
            return self.text
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.text = self.output()
            self.log.close()


def two_io_model(path):
    """A saved functional model with two inputs and two outputs: ``features`` (4 floats) and
    ``tokens`` (6 ids below 50, through an Embedding) -> ``label`` (3 softmax units) and
    ``score`` (1 linear unit)."""
    from dlpath import keras

    features = keras.Input(shape=(4,), name="features")
    tokens = keras.Input(shape=(6,), dtype="int64", name="tokens")
    pooled = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(50, 3)(tokens))
    hidden = keras.layers.Concatenate()([keras.layers.Dense(5, activation="tanh")(features),
                                         pooled])
    label = keras.layers.Dense(3, activation="softmax", name="label")(hidden)
    score = keras.layers.Dense(1, name="score")(hidden)
    model = keras.Model([features, tokens], [label, score])
    model.save(path)
    return model


def metric_samples(client) -> dict:
    """``{(name, labels...): value}`` of the /metrics page, parsed by prometheus-client."""
    from prometheus_client.parser import text_string_to_metric_families

    found = {}
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def chromium_driver():
    """Headless Chromium under Selenium, or None when Chromium or Selenium is missing."""
    import shutil

    try:
        from selenium import webdriver
    except ImportError:
        return None
    found = [path if os.path.exists(path) else shutil.which(Path(path).name)
             for path in ("/usr/bin/chromium", "/usr/bin/chromedriver")]
    if not all(found):
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--window-size=1100,900", "--disable-dev-shm-usage", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=found[1]),
                            options=options)
