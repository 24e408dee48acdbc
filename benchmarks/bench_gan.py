"""Training speed and memory of one GAN step (mnist-gan's), dlpath against PyTorch (CPU).

The mnist-gan recipe's generator (noise 64 -> Dense 256 -> Dense 512 -> Dense 784, tanh;
leaky ReLU of slope 0.2 between) and discriminator (784 -> 512 -> 256 -> 1 logit), Adam
(learning rate 2e-4, beta_1 0.5), batch 64. One step is the recipe's `train_step`: a
discriminator update on real and generated images, then a non-saturating generator update
through the discriminator. After the speed line, the peak resident memory of one step of
each framework (fresh process, 1 thread: `harness.step_peak_mib`).
Run: ``python benchmarks/bench_gan.py [--threads N] [--load | --memory-only]``.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import compare, memory, memory_line, parse_args

from dlpath.recipes.mnist_gan import (
    Config, build_discriminator, build_generator, make_optimizer, train_step,
)

BATCH = 64


def dlpath_step_fn(config, real):
    generator, discriminator = build_generator(config), build_discriminator(config)
    g_optimizer, d_optimizer = make_optimizer(config), make_optimizer(config)
    rng = np.random.default_rng(0)

    def step():
        train_step(generator, discriminator, g_optimizer, d_optimizer, real, rng,
                   config.latent_dim)

    return step


def torch_step_fn(config, real):
    nn = torch.nn
    units = config.units
    generator = nn.Sequential(
        nn.Linear(config.latent_dim, units), nn.LeakyReLU(0.2),
        nn.Linear(units, 2 * units), nn.LeakyReLU(0.2),
        nn.Linear(2 * units, 28 * 28), nn.Tanh(), nn.Unflatten(1, (28, 28, 1)))
    discriminator = nn.Sequential(
        nn.Flatten(), nn.Linear(28 * 28, 2 * units), nn.LeakyReLU(0.2),
        nn.Linear(2 * units, units), nn.LeakyReLU(0.2), nn.Linear(units, 1))
    betas = (config.beta_1, 0.999)
    g_optimizer = torch.optim.Adam(generator.parameters(), config.learning_rate, betas,
                                   eps=1e-7)
    d_optimizer = torch.optim.Adam(discriminator.parameters(), config.learning_rate, betas,
                                   eps=1e-7)
    bce = nn.functional.binary_cross_entropy_with_logits
    real_t = torch.from_numpy(real)
    ones, zeros = torch.ones(len(real), 1), torch.zeros(len(real), 1)

    def step():
        z = torch.randn(len(real), config.latent_dim)
        with torch.no_grad():
            fake = generator(z)
        d_optimizer.zero_grad()
        d_loss = bce(discriminator(real_t), ones) + bce(discriminator(fake), zeros)
        d_loss.backward()
        d_optimizer.step()
        g_optimizer.zero_grad()
        g_loss = bce(discriminator(generator(torch.randn(len(real), config.latent_dim))),
                     ones)
        g_loss.backward()
        g_optimizer.step()

    return step


def real_batch():
    return np.random.default_rng(0).uniform(-1, 1, (BATCH, 28, 28, 1)).astype(np.float32)


def memory_step(framework: str):
    config, real = Config(), real_batch()
    make = dlpath_step_fn if framework == "dlpath" else torch_step_fn
    return lambda: make(config, real)


def main():
    args = parse_args(__doc__)
    if memory(args, __file__, {"mnist-gan": memory_step}):
        return
    config = Config()
    real = real_batch()
    compare("mnist-gan step", dlpath_step_fn(config, real), torch_step_fn(config, real), BATCH,
            repeats=args.repeats, steps=max(args.steps, 50), load=args.load)
    if not args.load:
        memory_line(__file__, "mnist-gan")


if __name__ == "__main__":
    main()
