"""The models of the tf.keras listings twice: in dlpath (as the listings build them) and as
PyTorch twins with Keras' initialisation, Keras' Adam and Keras' loss reduction.

A twin keeps Keras' layouts where that makes copying weights exact: convolutions read
channels-last images (permuted to NCHW around the convolutions, back to NHWC before
``Flatten``), so a Dense kernel after ``Flatten`` is the transposed dlpath kernel.

Keras' defaults reproduced by ``keras_init``: ``glorot_uniform`` kernels, zero biases,
``orthogonal`` recurrent kernels, forget-gate bias 1 (``unit_forget_bias``), Embedding
uniform in (-0.05, 0.05). The LSTM's second bias ``bias_hh`` is held at zero and frozen, so
the twin has exactly Keras' one bias vector (two trained biases would move twice as fast
under Adam).
"""

from __future__ import annotations

import math

import numpy as np

# Listing name -> (model kind, builder arguments); sizes are the listings'.
SIZES = {
    "mlp": {"image_shape": (28, 28)},
    "mnist_cnn": {"image_shape": (28, 28, 1)},
    "cifar10_cnn": {"image_shape": (32, 32, 3)},
    "imdb_lstm": {"max_features": 10000, "maxlen": 500, "embed": 128, "units": 64},
}


# ---------------------------------------------------------------- dlpath models
def dlpath_mlp(image_shape=(28, 28)):
    """The MNIST MLP listing: Flatten, Dense(128, relu), Dense(10, softmax)."""
    from dlpath.keras import layers, models

    return models.Sequential([
        layers.Flatten(input_shape=image_shape),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def dlpath_mnist_cnn(image_shape=(28, 28, 1)):
    """The MNIST CNN listing: two conv/pool blocks, Flatten, Dense(10, softmax)."""
    from dlpath.keras import layers, models

    return models.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=image_shape),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])


def dlpath_cifar10_cnn(image_shape=(32, 32, 3)):
    """The CIFAR-10 CNN tutorial listing (logits out, Dropout 0.5)."""
    from dlpath.keras import layers, models

    return models.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=image_shape),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(10),
    ])


def dlpath_imdb_lstm(max_features=10000, maxlen=500, embed=128, units=64):
    """The IMDb LSTM listing: Embedding, LSTM, Dense(1, sigmoid)."""
    from dlpath.keras import layers, models

    return models.Sequential([
        layers.Embedding(max_features, embed, input_length=maxlen),
        layers.LSTM(units),
        layers.Dense(1, activation="sigmoid"),
    ])


DLPATH_BUILDERS = {"mlp": dlpath_mlp, "mnist_cnn": dlpath_mnist_cnn,
                   "cifar10_cnn": dlpath_cifar10_cnn, "imdb_lstm": dlpath_imdb_lstm}


# ---------------------------------------------------------------- PyTorch twins
def _torch_modules():
    """The twin classes, defined on first use so that importing this module needs no torch."""
    import torch
    from torch import nn

    class ChannelsLast(nn.Module):
        """Convolutions on (B, H, W, C) images: NHWC -> NCHW -> body -> NHWC."""

        def __init__(self, *body):
            super().__init__()
            self.body = nn.Sequential(*body)

        def forward(self, x):  # (B, H, W, C)
            return self.body(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)

    class LastLSTM(nn.Module):
        """Keras' LSTM(units): the last hidden state, one trained bias vector."""

        def __init__(self, features, units):
            super().__init__()
            self.lstm = nn.LSTM(features, units, batch_first=True)
            self.lstm.bias_hh_l0.requires_grad_(False)

        def forward(self, x):  # (B, T, F)
            return self.lstm(x)[0][:, -1]  # (B, U)

    def mlp(image_shape=(28, 28)):
        return nn.Sequential(nn.Flatten(), nn.Linear(math.prod(image_shape), 128), nn.ReLU(),
                             nn.Linear(128, 10))

    def mnist_cnn(image_shape=(28, 28, 1)):
        side = ((image_shape[0] - 2) // 2 - 2) // 2
        return nn.Sequential(
            ChannelsLast(nn.Conv2d(image_shape[2], 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Flatten(), nn.Linear(side * side * 64, 10))

    def cifar10_cnn(image_shape=(32, 32, 3)):
        side = ((image_shape[0] - 2) // 2 - 2) // 2 - 2
        return nn.Sequential(
            ChannelsLast(nn.Conv2d(image_shape[2], 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(64, 64, 3), nn.ReLU()),
            nn.Flatten(), nn.Linear(side * side * 64, 64), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(64, 10))

    def imdb_lstm(max_features=10000, maxlen=500, embed=128, units=64):
        del maxlen  # the LSTM reads any length
        return nn.Sequential(nn.Embedding(max_features, embed), LastLSTM(embed, units),
                             nn.Linear(units, 1))

    return torch, nn, {"mlp": mlp, "mnist_cnn": mnist_cnn, "cifar10_cnn": cifar10_cnn,
                       "imdb_lstm": imdb_lstm}


def torch_twin(kind: str, **sizes):
    """The PyTorch twin of the listing model ``kind``, initialised as Keras does.

    Its last layer outputs logits; the listing's softmax or sigmoid is in the loss
    (``torch_loss``) and in ``torch_predict``.
    """
    torch, _, builders = _torch_modules()
    model = builders[kind](**sizes)
    with torch.no_grad():
        keras_init(model)
    return model


def keras_init(model) -> None:
    """Re-initialise ``model`` with Keras' default initialisers, in place."""
    from torch import nn

    for module in model.modules():
        if isinstance(module, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(module.weight)  # glorot_uniform: same fans
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.uniform_(module.weight, -0.05, 0.05)
        elif isinstance(module, nn.LSTM):
            units = module.hidden_size
            nn.init.xavier_uniform_(module.weight_ih_l0)  # (4U, F): fans F, 4U as Keras'
            nn.init.orthogonal_(module.weight_hh_l0)
            nn.init.zeros_(module.bias_ih_l0)
            module.bias_ih_l0[units:2 * units] = 1.0  # gates i, f, c, o: forget = 1
            nn.init.zeros_(module.bias_hh_l0)


def torch_loss(kind: str, logits, targets):
    """The listing's loss with Keras' ``sum_over_batch_size`` reduction (the batch mean)."""
    from torch.nn import functional

    if kind == "imdb_lstm":
        return functional.binary_cross_entropy_with_logits(logits[:, 0], targets.float())
    return functional.cross_entropy(logits, targets)


def torch_predict(kind: str, logits):
    """Class predictions: argmax, or sigmoid > 0.5 (``binary_accuracy``) for one output."""
    if kind == "imdb_lstm":
        return (logits[:, 0] > 0).long()
    return logits.argmax(1)


def keras_adam(params, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    r"""Keras' Adam as a torch optimizer: both bias corrections in the step size,

    .. math::
        \alpha_t = \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t), \quad
        \theta \leftarrow \theta - \alpha_t\, m / (\sqrt{v} + \hat\epsilon)

    (``torch.optim.Adam`` adds its epsilon to :math:`\sqrt{\hat v}` instead).
    """
    import torch

    class KerasAdam(torch.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {"lr": learning_rate})
            self.t = 0

        @torch.no_grad()
        def step(self):
            self.t += 1
            alpha = (learning_rate * math.sqrt(1.0 - beta_2 ** self.t)
                     / (1.0 - beta_1 ** self.t))
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if not state:
                        state["m"], state["v"] = torch.zeros_like(p), torch.zeros_like(p)
                    m, v = state["m"], state["v"]
                    m.lerp_(p.grad, 1.0 - beta_1)
                    v.mul_(beta_2).addcmul_(p.grad, p.grad, value=1.0 - beta_2)
                    p.addcdiv_(m, v.sqrt().add_(epsilon), value=-alpha)

    return KerasAdam([p for p in params if p.requires_grad])


# ---------------------------------------------------------------- weight copy
def copy_dlpath_weights(dl_model, twin) -> None:
    """Load the weights of a dlpath listing model into its PyTorch twin, in place."""
    import torch
    from torch import nn

    weights = [np.asarray(w) for w in dl_model.get_weights()]
    targets = [m for m in twin.modules()
               if isinstance(m, (nn.Linear, nn.Conv2d, nn.Embedding, nn.LSTM))]
    with torch.no_grad():
        for module in targets:
            if isinstance(module, nn.Embedding):
                module.weight.copy_(torch.from_numpy(weights.pop(0)))
            elif isinstance(module, nn.LSTM):
                kernel, recurrent, bias = weights.pop(0), weights.pop(0), weights.pop(0)
                module.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
                module.weight_hh_l0.copy_(torch.from_numpy(recurrent.T))
                module.bias_ih_l0.copy_(torch.from_numpy(bias))
                module.bias_hh_l0.zero_()
            else:
                kernel, bias = weights.pop(0), weights.pop(0)
                order = (3, 2, 0, 1) if kernel.ndim == 4 else (1, 0)  # HWIO -> OIHW
                module.weight.copy_(torch.from_numpy(kernel.transpose(order).copy()))
                module.bias.copy_(torch.from_numpy(bias))
    if weights:
        raise ValueError(f"copy_dlpath_weights: {len(weights)} dlpath weight arrays left "
                         f"over; the twin has fewer layers than the dlpath model")
