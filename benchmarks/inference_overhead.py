"""Inference latency of dlpath against PyTorch (``torch.inference_mode``), batch 1 and 256.

Models: mnist-cnn and cifar-cnn (those of `bench_cnn`) and imdb-lstm (that of `bench_lstm`),
built with the Keras API (`Sequential`) and twinned in PyTorch with the same weights (the
outputs are checked to agree before timing). Three ways of predicting are timed:
``model(x)`` (a direct call, recorded for backward: the weights require gradients),
``model.predict_on_batch(x)`` and ``model.predict(x, verbose=0, batch_size=len(x))``;
PyTorch runs ``model(x)`` under ``torch.inference_mode()``. Repeats are interleaved
(dlpath, torch, dlpath, ...), medians reported, with the ratio torch time / dlpath time
(above 1.0: dlpath is faster). Both frameworks get the same threads (``--threads``,
default 1) and glibc keeps freed memory, as in the other benchmarks.

Run: ``python benchmarks/inference_overhead.py [--threads N] [--repeats R] [--models ...]
[--batches 1 256]``; ``--profile``: cProfile's calls per prediction (mnist-cnn, batch 1) and
the functions that take most; ``--levels``: mnist-cnn at batch 1 from bare NumPy up to
``predict``.

WHERE THE TIME GOES (mnist-cnn, batch 1, one BLAS thread; 2-core machine shared with other
work, so times are medians of interleaved rounds and call counts are exact)

    level (each adds one layer of machinery)    before    after
    NumPy arithmetic only                        103 us    103 us
    engine ops under no_grad                     177 us    169 us
    layer calls under no_grad                    221 us    188 us
    model(x) under no_grad                       228 us    174 us
    model(x), recorded                           229 us    183 us
    predict_on_batch(x)                          236 us    190 us
    predict(x, verbose=0)                        264 us    216 us
    PyTorch, inference_mode                     ~145 us

    Python function calls per prediction:  model(x) 635 -> 352,
    predict_on_batch 673 -> 394, predict 756 -> 481.

- Compute (the first row): conv2's product, (121, 289) @ (289, 64) = 2.2 M multiply-adds,
  is the largest part; then conv1's im2col (676 rows of 3-float runs, one channel), the
  two ReLUs and max-pool maxima, the dense product.
- The engine ops (+74 us over bare NumPy before, +66 after) were: per conv2d 4 ``pair_of``, ``conv_pads``,
  ``_check_output`` on every call; ``as_strided`` (~5 us each, Python-level) for im2col's
  window view; max pooling's knock-out tournament (7 calls per pool) computing argmax masks
  that nothing read; the bias add's ``np.broadcast_shapes``. Now the checked geometry is
  cached per shape and arguments, the view is built on the buffer, an unrecorded forward
  (``Function.recording`` False) keeps no masks.
- Layer calls (+44 us before): ``is_symbolic`` walked ``(inputs, args, kwargs)`` (28
  ``_flatten`` calls per prediction) and ``input_spec.check`` ran on every call; now a plain
  Tensor/array input skips the walk and a shape that passed is not checked again.
- ``predict`` built a CallbackList (progress bar machinery) and ``np.concatenate``-copied
  its one batch; with verbose=0, no callbacks and one batch it now runs the step alone.
  ``predict_on_batch`` walked its input twice (``as_arrays``, ``num_samples``).
- Threads: on the busy machine a product of that size at two BLAS threads took ~30 ms
  instead of ~50 us (a thread waiting for a core). ``predict``, ``evaluate`` and
  ``predict_on_batch`` now call the thread controller's ``tick()`` as ``fit`` does.

At batch 256 the arithmetic dominates. Unrecorded, conv2d builds im2col by blocks of about
1 MB in one reused buffer (cols were 36 MB at once), max pooling keeps no masks and the
LSTM keeps one step's gate activations instead of all (T, 4U, B) = 131 MB.

What is left: the LSTM at batch 1 is 500 steps of ~10 NumPy calls on 64- to 256-element
arrays, about 1 us each, against PyTorch's fused C++ cell (ratio ~0.2); mnist-cnn at batch
256 writes conv1's 22 MB output to memory and reads it back to pool it, and its products
run at about half PyTorch's convolution speed (ratio ~0.5-0.65).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

import numpy as np

from harness import set_threads

MODELS = ("mnist-cnn", "cifar-cnn", "imdb-lstm")
SHAPES = {"mnist-cnn": (28, 28, 1), "cifar-cnn": (32, 32, 3)}
VOCABULARY, LENGTH = 10000, 500


# ---------------------------------------------------------------------------------- models
def dlpath_model(name: str):
    from dlpath.keras import Input, Sequential, layers

    if name == "imdb-lstm":
        stack = [Input((LENGTH,), dtype="int64"), layers.Embedding(VOCABULARY, 128),
                 layers.LSTM(64), layers.Dense(1, activation="sigmoid")]
    elif name == "mnist-cnn":
        stack = [Input(SHAPES[name]), layers.Conv2D(32, 3, activation="relu"),
                 layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation="relu"),
                 layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10)]
    else:
        stack = [Input(SHAPES[name]), layers.Conv2D(32, 3, activation="relu"),
                 layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation="relu"),
                 layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation="relu"),
                 layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dropout(0.5),
                 layers.Dense(10)]
    return Sequential(stack)


def _torch_conv(layer):
    import torch

    kernel = layer.kernel.data  # (kh, kw, in, out) -> (out, in, kh, kw)
    conv = torch.nn.Conv2d(kernel.shape[2], kernel.shape[3], kernel.shape[:2])
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1))))
        conv.bias.copy_(torch.from_numpy(layer.bias.data))
    return conv


def _torch_dense(layer, nhwc=None):
    """nn.Linear with ``layer``'s weights; ``nhwc`` (h, w, c): its input was flattened from
    NHWC by dlpath and from NCHW by PyTorch, so the kernel's rows are reordered."""
    import torch

    kernel = layer.kernel.data  # (in, out)
    if nhwc is not None:
        h, w, c = nhwc
        kernel = kernel.reshape(h, w, c, -1).transpose(2, 0, 1, 3).reshape(h * w * c, -1)
    linear = torch.nn.Linear(*kernel.shape)
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel.T)))
        linear.bias.copy_(torch.from_numpy(layer.bias.data))
    return linear


class TorchLSTM:
    def __init__(self, model):
        import torch

        embedding, lstm, dense = model.layers
        kernel, recurrent, bias = (w.data for w in lstm.weights)
        self.embedding = torch.nn.Embedding(VOCABULARY, 128)
        self.lstm = torch.nn.LSTM(128, 64, batch_first=True)
        self.head = _torch_dense(dense)
        with torch.no_grad():  # Keras gates i, f, c, o are PyTorch's i, f, g, o
            self.embedding.weight.copy_(torch.from_numpy(embedding.embeddings.data))
            self.lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T.copy()))
            self.lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent.T.copy()))
            self.lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
            self.lstm.bias_hh_l0.zero_()

    def __call__(self, ids):
        import torch

        _, (h, _) = self.lstm(self.embedding(ids))
        return torch.sigmoid(self.head(h[0]))


def torch_model(name: str, model):
    """The PyTorch twin of dlpath's ``model`` (same weights), in eval mode."""
    from torch import nn

    if name == "imdb-lstm":
        return TorchLSTM(model)
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    denses = [layer for layer in model.layers if type(layer).__name__ == "Dense"]
    h = np.zeros((1,) + SHAPES[name], np.float32)
    for layer in model.layers[:[type(la).__name__ for la in model.layers].index("Flatten")]:
        h = layer(h)
    nhwc = h.shape[1:]  # the image that Flatten flattens
    if name == "mnist-cnn":
        net = nn.Sequential(_torch_conv(convs[0]), nn.ReLU(), nn.MaxPool2d(2),
                            _torch_conv(convs[1]), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                            _torch_dense(denses[0], nhwc))
    else:
        net = nn.Sequential(_torch_conv(convs[0]), nn.ReLU(), nn.MaxPool2d(2),
                            _torch_conv(convs[1]), nn.ReLU(), nn.MaxPool2d(2),
                            _torch_conv(convs[2]), nn.ReLU(), nn.Flatten(),
                            _torch_dense(denses[0], nhwc), nn.ReLU(), nn.Dropout(0.5),
                            _torch_dense(denses[1]))
    return net.eval()


def inputs(name: str, batch: int):
    """dlpath's input (NumPy) and PyTorch's (a tensor, NCHW for images)."""
    import torch

    rng = np.random.default_rng(0)
    if name == "imdb-lstm":
        ids = rng.integers(1, VOCABULARY, (batch, LENGTH)).astype(np.int64)
        return ids, torch.from_numpy(ids)
    x = rng.standard_normal((batch,) + SHAPES[name]).astype(np.float32)
    return x, torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


def ways(model, x) -> dict:
    return {"model(x)": lambda: model(x),
            "predict_on_batch": lambda: model.predict_on_batch(x),
            "predict": lambda: model.predict(x, verbose=0, batch_size=len(x))}


# ---------------------------------------------------------------------------------- timing
def seconds_per_call(fn, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def calls_for(fn, budget: float = 0.05) -> int:
    """Calls per repeat so that one repeat takes about ``budget`` seconds."""
    return max(1, int(budget / max(seconds_per_call(fn, 2), 1e-6)))


def compare(name: str, batch: int, repeats: int) -> list:
    import torch

    model = dlpath_model(name)
    twin = torch_model(name, model)
    x, xt = inputs(name, batch)
    with torch.inference_mode():
        expected = twin(xt).numpy()
    ours_out = np.asarray(model.predict_on_batch(x))
    if not np.allclose(ours_out, expected, rtol=1e-3, atol=1e-4):
        raise RuntimeError(f"{name}: dlpath and PyTorch disagree (max difference "
                           f"{np.abs(ours_out - expected).max():.3g})")

    def torch_call():
        with torch.inference_mode():
            return twin(xt)

    results = []
    calls = calls_for(torch_call)
    for way, fn in ways(model, x).items():
        fn_calls = calls_for(fn)
        ours, theirs = [], []
        for _ in range(repeats):
            ours.append(seconds_per_call(fn, fn_calls))
            theirs.append(seconds_per_call(torch_call, calls))
        mine, torch_s = statistics.median(ours), statistics.median(theirs)
        results.append((name, batch, way, mine, torch_s))
        print(f"{name:<10} batch {batch:>3}  {way:<17} dlpath {mine * 1e3:8.3f} ms   "
              f"torch {torch_s * 1e3:8.3f} ms   ratio torch/dlpath {torch_s / mine:5.2f}",
              flush=True)
    return results


# ---------------------------------------------------------------------------------- profile
def profile(calls: int = 300) -> None:
    """cProfile of each way on mnist-cnn at batch 1: calls per prediction, top functions."""
    model = dlpath_model("mnist-cnn")
    x, _ = inputs("mnist-cnn", 1)
    for way, fn in ways(model, x).items():
        for _ in range(10):
            fn()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            fn()
        profiler.disable()
        stats = pstats.Stats(profiler)
        total_calls = sum(entry[1] for entry in stats.stats.values())
        print(f"\n{way}: {total_calls / calls:.0f} Python function calls per prediction; "
              f"top functions by own time:")
        rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:12]
        for (file, line, function), (_, ncalls, own, cumulative, _) in rows:
            where = f"{file.rsplit('/', 1)[-1]}:{line}({function})"
            print(f"  {ncalls / calls:6.1f} calls  {own / stats.total_tt:6.1%} own  "
                  f"{cumulative / stats.total_tt:6.1%} cumulative  {where}")


# ---------------------------------------------------------------------------------- levels
def mnist_levels(model, x) -> dict:
    """mnist-cnn at batch 1 from the bare arithmetic up to ``predict``: each entry adds one
    layer of machinery over the previous one."""
    from dlpath.engine import Tensor, conv, no_grad, ops, pooling

    conv1, pool1, conv2, pool2, _, dense = model.layers

    def stacked(layer):  # [K; b]: the bias rides along as a row, as in Conv2d
        kernel = layer.kernel.data
        return np.concatenate([kernel.reshape(-1, kernel.shape[-1]), layer.bias.data[None]])

    k1, k2 = stacked(conv1), stacked(conv2)

    def numpy_conv(h, weights, out_hw):
        cols = np.empty((out_hw[0] * out_hw[1], weights.shape[0]), np.float32)
        conv.im2col(h, (3, 3), (1, 1), (1, 1), out_hw, out=cols)
        y = cols @ weights
        return conv.relu_in_place(y).reshape((1,) + out_hw + (weights.shape[1],))

    def numpy_pool(y):
        h, w = y.shape[1] // 2 * 2, y.shape[2] // 2 * 2
        out = np.maximum(y[:, 0:h:2, 0:w:2], y[:, 0:h:2, 1:w:2])
        np.maximum(out, y[:, 1:h:2, 0:w:2], out=out)
        return np.maximum(out, y[:, 1:h:2, 1:w:2], out=out)

    def arithmetic():
        h = numpy_pool(numpy_conv(x, k1, (26, 26)))
        h = numpy_pool(numpy_conv(h, k2, (11, 11)))
        return h.reshape(1, -1) @ dense.kernel.data + dense.bias.data

    def engine_ops():
        with no_grad():
            h = conv.conv2d(Tensor(x), conv1.kernel, conv1.bias, relu=True)
            h = pooling.max_pool2d(h, 2)
            h = conv.conv2d(h, conv2.kernel, conv2.bias, relu=True)
            h = ops.reshape(pooling.max_pool2d(h, 2), (1, -1))
            return ops.matmul(h, dense.kernel) + dense.bias

    def layer_calls():
        with no_grad():
            h = Tensor(x)
            for layer in model.layers:
                h = layer(h, training=False)
            return h

    def model_call():
        with no_grad():
            return model(x)

    return {"NumPy arithmetic only": arithmetic, "engine ops (no_grad)": engine_ops,
            "layer calls (no_grad)": layer_calls, "model(x) under no_grad": model_call,
            **ways(model, x)}


def levels(rounds: int = 25, calls: int = 100) -> None:
    """Median time per prediction of each level, measured in interleaved rounds."""
    import torch

    model = dlpath_model("mnist-cnn")
    twin = torch_model("mnist-cnn", model)
    x, xt = inputs("mnist-cnn", 1)

    def torch_call():
        with torch.inference_mode():
            return twin(xt)

    fns = {**mnist_levels(model, x), "torch (inference_mode)": torch_call}
    times = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            times[name].append(seconds_per_call(fn, calls))
    print("mnist-cnn, batch 1 (median of interleaved rounds):")
    for name, values in times.items():
        print(f"  {name:<24} {statistics.median(values) * 1e6:8.1f} us")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for both frameworks (default 1)")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats")
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 256])
    parser.add_argument("--profile", action="store_true",
                        help="print cProfile call counts for mnist-cnn at batch 1 instead")
    parser.add_argument("--levels", action="store_true",
                        help="time mnist-cnn at batch 1 from bare NumPy up to predict")
    args = parser.parse_args()
    set_threads(args.threads)
    from dlpath.engine.memory import retain_freed_memory

    retain_freed_memory()  # as the other benchmarks (and fit, evaluate, predict) do
    if args.profile:
        profile()
        return
    if args.levels:
        levels()
        return
    print(__doc__[__doc__.index("WHERE THE TIME GOES"):])
    for name in args.models:
        for batch in args.batches:
            compare(name, batch, args.repeats)


if __name__ == "__main__":
    main()
