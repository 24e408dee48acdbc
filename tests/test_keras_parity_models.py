"""The PyTorch twins of the listing models (benchmarks/keras_parity_models.py) match dlpath's:
same parameter shapes and count, same outputs once dlpath's weights are copied in, and
Keras' initialisation and Adam."""

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from dlpath.keras import optimizers
from dlpath.random import set_seed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import keras_parity_models as twins  # noqa: E402

torch.set_num_threads(1)
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

# Small sizes for the LSTM so the test stays fast; the image models at listing size.
CASES = {
    "mlp": ({"image_shape": (28, 28)}, (4, 28, 28)),
    "mnist_cnn": ({"image_shape": (28, 28, 1)}, (4, 28, 28, 1)),
    "cifar10_cnn": ({"image_shape": (32, 32, 3)}, (4, 32, 32, 3)),
    "imdb_lstm": ({"max_features": 50, "maxlen": 12, "embed": 8, "units": 6}, (4, 12)),
}


def built_pair(kind):
    sizes, shape = CASES[kind]
    set_seed(0)
    dl_model = twins.DLPATH_BUILDERS[kind](**sizes)
    dl_model.build((None,) + shape[1:])
    return dl_model, twins.torch_twin(kind, **sizes), shape


def sample(kind, shape):
    rng = np.random.default_rng(1)
    if kind == "imdb_lstm":
        return rng.integers(0, CASES[kind][0]["max_features"], shape)
    return rng.uniform(0.0, 1.0, shape).astype(np.float32)


def torch_shapes(twin):
    return sorted(tuple(p.shape) for p in twin.parameters() if p.requires_grad)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_twin_has_the_dlpath_parameter_count_and_shapes(kind):
    dl_model, twin, _ = built_pair(kind)
    trained = sum(p.numel() for p in twin.parameters() if p.requires_grad)
    assert trained == dl_model.count_params()
    dl_sizes = sorted(int(np.prod(w.shape)) for w in dl_model.get_weights())
    assert sorted(int(np.prod(s)) for s in torch_shapes(twin)) == dl_sizes


@pytest.mark.parametrize("kind", sorted(CASES))
def test_twin_reproduces_dlpath_outputs_with_copied_weights(kind):
    dl_model, twin, shape = built_pair(kind)
    twins.copy_dlpath_weights(dl_model, twin)
    x = sample(kind, shape)
    expected = np.asarray(dl_model.predict(x, verbose=0))
    twin.eval()
    with torch.no_grad():
        logits = twin(torch.from_numpy(x))
    if kind == "imdb_lstm":
        probabilities = torch.sigmoid(logits)
    elif kind == "cifar10_cnn":
        probabilities = logits  # the listing's model ends in logits
    else:
        probabilities = torch.softmax(logits, dim=1)
    np.testing.assert_allclose(probabilities.numpy(), expected, rtol=1e-4, atol=1e-5)


def test_twin_initialisation_follows_keras_defaults():
    twin = twins.torch_twin("imdb_lstm", max_features=300, maxlen=5, embed=40, units=30)
    embedding, last_lstm, dense = twin
    weight = embedding.weight.detach()
    assert weight.abs().max() <= 0.05 and weight.std() > 0.02  # uniform(-0.05, 0.05)
    lstm = last_lstm.lstm
    bias = lstm.bias_ih_l0.detach().numpy()
    np.testing.assert_array_equal(bias, np.r_[np.zeros(30), np.ones(30), np.zeros(60)])
    assert not lstm.bias_hh_l0.requires_grad and not lstm.bias_hh_l0.any()
    recurrent = lstm.weight_hh_l0.detach().double()  # (4U, U), orthonormal columns
    np.testing.assert_allclose((recurrent.T @ recurrent).numpy(), np.eye(30), atol=1e-5)
    limit = np.sqrt(6.0 / (1600 + 10))  # glorot_uniform of the 1600 -> 10 kernel
    kernel = twins.torch_twin("mnist_cnn")[2].weight.detach()
    assert 0.95 * limit < kernel.abs().max() <= limit
    assert not dense.bias.any()


def test_keras_adam_twin_takes_the_steps_of_dlpath_adam():
    rng = np.random.default_rng(2)
    start, grads = rng.standard_normal(5), rng.standard_normal((3, 5)) * 1e-3
    from dlpath.engine import Tensor

    variable = Tensor(start.astype(np.float32), requires_grad=True)
    dl_adam = optimizers.Adam()
    param = torch.nn.Parameter(torch.tensor(start, dtype=torch.float32))
    torch_adam = twins.keras_adam([param])
    for g in grads:
        dl_adam.apply_gradients([(g.astype(np.float32), variable)])
        param.grad = torch.tensor(g, dtype=torch.float32)
        torch_adam.step()
    np.testing.assert_allclose(param.detach().numpy(), variable.data, rtol=1e-6, atol=1e-7)
    assert not np.allclose(variable.data, start)


@pytest.mark.parametrize("kind", ["mlp", "imdb_lstm"])
def test_twin_follows_dlpath_training_steps(kind):
    """Same weights, same batches: Keras' Adam and the batch-mean loss give the same steps."""
    sizes = {"mlp": {"image_shape": (8, 8)},
             "imdb_lstm": {"max_features": 50, "maxlen": 12, "embed": 8, "units": 6}}[kind]
    set_seed(3)
    dl_model = twins.DLPATH_BUILDERS[kind](**sizes)
    rng = np.random.default_rng(4)
    if kind == "mlp":
        x, y = rng.uniform(0.0, 1.0, (96, 8, 8)).astype(np.float32), rng.integers(0, 10, 96)
    else:
        x, y = rng.integers(0, 50, (96, 12)), rng.integers(0, 2, 96)
    dl_model.build((None,) + x.shape[1:])
    twin = twins.torch_twin(kind, **sizes)
    twins.copy_dlpath_weights(dl_model, twin)
    before = [p.detach().clone() for p in twin.parameters()]
    loss = "binary_crossentropy" if kind == "imdb_lstm" else "sparse_categorical_crossentropy"
    dl_model.compile(optimizer="adam", loss=loss)
    dl_model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
    optimizer = twins.keras_adam(twin.parameters())
    inputs, targets = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    for begin in range(0, 96, 32):
        optimizer.zero_grad()
        twins.torch_loss(kind, twin(inputs[begin:begin + 32]), targets[begin:begin + 32]
                         ).backward()
        optimizer.step()
    copied = twins.torch_twin(kind, **sizes)
    twins.copy_dlpath_weights(dl_model, copied)
    for trained, expected in zip(twin.parameters(), copied.parameters()):
        np.testing.assert_allclose(trained.detach().numpy(), expected.detach().numpy(),
                                   rtol=1e-4, atol=1e-6)
    assert any(not torch.equal(p, q) for p, q in zip(twin.parameters(), before))
