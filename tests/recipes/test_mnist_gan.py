"""mnist-gan: the custom loop updates both networks and draws sample grids."""

import numpy as np

from recipes._runs import FakeRun
from dlpath.callbacks import Callback
from dlpath.random import set_seed
from dlpath.recipes import get_recipe
from dlpath.recipes import mnist_gan


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append(dict(logs))


def test_train_step_updates_both_networks_with_finite_losses():
    set_seed(0)
    config = mnist_gan.Config(units=16, latent_dim=8)
    generator = mnist_gan.build_generator(config)
    discriminator = mnist_gan.build_discriminator(config)
    g_before = [w.copy() for w in generator.get_weights()]
    d_before = [w.copy() for w in discriminator.get_weights()]
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (16, 28, 28, 1)).astype("float32")
    g_opt, d_opt = mnist_gan.make_optimizer(config), mnist_gan.make_optimizer(config)
    for _ in range(3):
        d_loss, g_loss = mnist_gan.train_step(generator, discriminator, g_opt, d_opt, real,
                                              rng, config.latent_dim)
        assert np.isfinite(d_loss) and np.isfinite(g_loss)
    for before, net in ((g_before, generator), (d_before, discriminator)):
        after = net.get_weights()
        assert all(not np.array_equal(a, b) for a, b in zip(before, after))
    # Gradients are cleared after the step, so the next one starts from zero.
    assert all(w.grad is None or not np.any(w.grad) for w in discriminator.trainable_weights)


def test_gan_recipe_logs_losses_and_writes_a_sample_grid(tmp_path):
    set_seed(0)
    recipe = get_recipe("mnist-gan")
    config = recipe.make_config({"epochs": 2, "train_limit": 64, "batch_size": 32,
                                 "units": 16, "latent_dim": 8})
    data = recipe.load_data(config)
    assert data.train[0].min() >= -1.0 and data.train[0].max() <= 1.0
    recorder = Recorder()
    run = FakeRun(model=recipe.build_model(config, data), folder=tmp_path,
                  callbacks=[recorder])

    history = recipe.train(run, config, data)

    assert len(history.history["d_loss"]) == 2 and len(history.history["g_loss"]) == 2
    assert [sorted(logs) for logs in recorder.epochs] == [["d_loss", "g_loss"]] * 2
    for name in ("epoch_001.png", "epoch_002.png"):
        png = tmp_path / "samples" / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert recipe.report_kind == "samples"
