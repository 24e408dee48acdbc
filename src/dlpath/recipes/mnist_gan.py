r"""mnist-gan: a generative adversarial network (Goodfellow et al., 2014) that draws digits.

Two networks play against each other: the discriminator :math:`D` scores images (a logit:
real or generated?), the generator :math:`G` turns noise :math:`z \sim N(0, I)` into
28x28 images. The training loop is written on the engine directly (no ``fit``), one batch
at a time:

1. discriminator step: binary cross-entropy with real images labelled 1 and generated
   ones labelled 0,
   :math:`L_D = -\log \sigma(D(x)) - \log(1 - \sigma(D(G(z))))`;
2. generator step, in the non-saturating form (it maximizes :math:`\log D(G(z))` instead
   of minimizing :math:`\log(1 - D(G(z)))`, whose gradient vanishes early on):
   binary cross-entropy of :math:`D(G(z))` against the label 1,
   :math:`L_G = -\log \sigma(D(G(z)))`;

each with its own Adam (learning rate 2e-4, ``beta_1`` 0.5, as in DCGAN, Radford et al.
2016), ``loss.backward()`` then ``optimizer.apply(grads, variables)``.

After every epoch the generator draws the same 64 noise vectors, saved as an 8x8 grid in
``samples/epoch_001.png``, ``samples/epoch_002.png``, ... in the run folder, and ``d_loss``
and ``g_loss`` (epoch means) go to the run's callbacks like ``fit``'s metrics. There is no
classification report: the report shows the grids (``report_kind = "samples"``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlpath import keras
from dlpath.callbacks import CallbackList
from dlpath.datasets import mnist
from dlpath.engine import no_grad
from dlpath.losses import BinaryCrossentropy
from dlpath.recipes._run_outputs import run_folder
from dlpath.recipes.base import DataSplits, Recipe, RecipeConfig
from dlpath.recipes.registry import register

SAMPLES_DIR = "samples"
GRID = 8  # the sample grid is GRID x GRID images


@dataclass
class Config(RecipeConfig):
    epochs: int = 10
    batch_size: int = 64
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    latent_dim: int = 64
    units: int = 256          # the hidden widths are units and 2 * units


def build_generator(config) -> keras.Sequential:
    """Noise (N, latent_dim) -> images (N, 28, 28, 1) in [-1, 1]."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input((config.latent_dim,)),
        layers.Dense(config.units, activation="leaky_relu"),
        layers.Dense(2 * config.units, activation="leaky_relu"),
        layers.Dense(28 * 28, activation="tanh"),
        layers.Reshape((28, 28, 1)),
    ], name="generator")


def build_discriminator(config) -> keras.Sequential:
    """Images (N, 28, 28, 1) -> one logit each (N, 1): > 0 means "real"."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Flatten(),
        layers.Dense(2 * config.units, activation="leaky_relu"),
        layers.Dense(config.units, activation="leaky_relu"),
        layers.Dense(1),
    ], name="discriminator")


def make_optimizer(config):
    return keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1)


_bce = BinaryCrossentropy(from_logits=True)


def train_step(generator, discriminator, g_optimizer, d_optimizer, real, rng,
               latent_dim: int) -> tuple:
    """One discriminator update and one generator update; returns (d_loss, g_loss)."""
    batch = len(real)
    ones = np.ones((batch, 1), dtype="float32")
    zeros = np.zeros((batch, 1), dtype="float32")
    d_vars = discriminator.trainable_weights
    g_vars = generator.trainable_weights

    # 1. Discriminator: real images -> 1, generated ones -> 0. The fakes are made without
    # a graph, so this step leaves the generator alone.
    z = rng.standard_normal((batch, latent_dim)).astype("float32")   # (B, Z)
    with no_grad():
        fake = generator(z, training=True)                            # (B, 28, 28, 1)
    d_loss = (_bce(ones, discriminator(real, training=True))
              + _bce(zeros, discriminator(fake, training=True)))
    d_loss.backward()
    d_optimizer.apply([v.grad for v in d_vars], d_vars)
    d_optimizer.zero_grad(d_vars)

    # 2. Generator (non-saturating): make the discriminator say 1 on fresh fakes. The
    # gradient flows through D into G; only G's variables are updated.
    z = rng.standard_normal((batch, latent_dim)).astype("float32")
    g_loss = _bce(ones, discriminator(generator(z, training=True), training=True))
    g_loss.backward()
    g_optimizer.apply([v.grad for v in g_vars], g_vars)
    g_optimizer.zero_grad(g_vars)
    d_optimizer.zero_grad(d_vars)  # D received gradients from g_loss too: drop them
    return float(d_loss.data), float(g_loss.data)


def save_sample_grid(images: np.ndarray, path: Path, title: str = "") -> Path:
    """Save images (N, 28, 28, 1) in [-1, 1] as one GRID x GRID PNG (atomically)."""
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

    count = GRID * GRID
    tiles = (images[:count, :, :, 0] + 1.0) / 2.0                  # (64, 28, 28) in [0, 1]
    rows = tiles.reshape(GRID, GRID, 28, 28).transpose(0, 2, 1, 3)  # (8, 28, 8, 28)
    mosaic = rows.reshape(GRID * 28, GRID * 28)
    figure = Figure(figsize=(5, 5.3))
    axes = figure.subplots()
    axes.imshow(mosaic, cmap="gray", vmin=0.0, vmax=1.0)
    axes.set_axis_off()
    if title:
        axes.set_title(title)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".png", dir=path.parent)
    os.close(handle)
    try:
        figure.savefig(temp, format="png", dpi=100, bbox_inches="tight")
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return path


@register
class MnistGan(Recipe):
    name = "mnist-gan"
    description = "GAN with a custom training loop: dense generator and discriminator"
    dataset = "MNIST"
    expected = {}
    report_kind = "samples"  # no classification report: show the grids in samples/
    tuning_monitor = None    # no validation accuracy: `dlpath tune` does not apply
    Config = Config

    def load_data(self, config) -> DataSplits:
        # 1. MNIST images scaled to [-1, 1], the generator's tanh range; labels unused.
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        if config.train_limit:
            x_train, y_train = x_train[:config.train_limit], y_train[:config.train_limit]

        def scale(x):
            return (x.astype("float32") / 127.5 - 1.0)[..., None]  # (N, 28, 28, 1)

        test = (scale(x_test), y_test.astype("int64"))
        return DataSplits(train=(scale(x_train), y_train.astype("int64")), validation=test,
                          test=test, class_names=[str(d) for d in range(10)], kind="image")

    def build_model(self, config, data):
        """The generator, compiled with its Adam (no loss: train() computes it)."""
        generator = build_generator(config)
        generator.compile(optimizer=make_optimizer(config))
        return generator

    def train(self, run, config, data):
        # 2. The two networks and their optimizers; fixed noise for comparable grids.
        generator = run.model
        discriminator = build_discriminator(config)
        g_optimizer, d_optimizer = generator.optimizer, make_optimizer(config)
        rng = np.random.default_rng(config.seed)
        fixed_noise = rng.standard_normal((GRID * GRID, config.latent_dim)).astype("float32")
        x_train = data.train[0]
        steps = len(x_train) // config.batch_size
        if steps == 0:
            raise ValueError(f"mnist-gan: {len(x_train)} training images are fewer than one "
                             f"batch of {config.batch_size}")
        folder = run_folder(run)
        callbacks = CallbackList(run.callbacks, add_history=True, model=generator,
                                 verbose=run.verbose, epochs=config.epochs, steps=steps)
        generator.stop_training = False
        callbacks.on_train_begin()
        logs = {}
        for epoch in range(run.initial_epoch, config.epochs):
            callbacks.on_epoch_begin(epoch)
            # 3. One pass over shuffled real images, a D step and a G step per batch.
            order = rng.permutation(len(x_train))
            d_losses, g_losses = [], []
            for step in range(steps):
                real = x_train[order[step * config.batch_size:(step + 1) * config.batch_size]]
                d_loss, g_loss = train_step(generator, discriminator, g_optimizer,
                                            d_optimizer, real, rng, config.latent_dim)
                d_losses.append(d_loss)
                g_losses.append(g_loss)
            logs = {"d_loss": float(np.mean(d_losses)), "g_loss": float(np.mean(g_losses))}
            if not all(np.isfinite(v) for v in logs.values()):
                raise FloatingPointError(f"mnist-gan: the losses diverged at epoch "
                                         f"{epoch + 1}: {logs}")
            # 4. A grid of samples from the fixed noise.
            if folder is not None:
                samples = generator.predict(fixed_noise, verbose=0)
                save_sample_grid(samples, folder / SAMPLES_DIR / f"epoch_{epoch + 1:03d}.png",
                                 title=f"epoch {epoch + 1}")
            if run.verbose:
                print(f"epoch {epoch + 1}/{config.epochs}: d_loss {logs['d_loss']:.4f}, "
                      f"g_loss {logs['g_loss']:.4f}")
            callbacks.on_epoch_end(epoch, logs)
            if generator.stop_training:
                break
        callbacks.on_train_end(logs)
        self.discriminator = discriminator  # kept for inspection after a run
        return generator.history
