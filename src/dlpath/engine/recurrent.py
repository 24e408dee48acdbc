"""Fused whole-sequence recurrent primitives: `LSTMSequence`, `GRUSequence`, `SimpleRNNSequence`.

Each runs one recurrent layer over a whole (B, T, D) sequence in a single op, with Keras'
weight layouts (kernel (D, k U), recurrent_kernel (U, k U), gates side by side in columns).
The cells in `dlpath.layers.recurrent` compute the same step from primitive ops (matmul,
sigmoid, tanh, mul, add, getitem); they are the readable reference, and the tests check that
the two agree in values and in every gradient.

How the fused ops are fast:

- inside, every step works on feature-major (U, B) blocks (states h^T, c^T and the gates
  a^T = [a_1; ...; a_k], (k U, B)), so each gate of a step is one contiguous block:
  element-wise NumPy ops on contiguous blocks are several times faster than on column
  slices of (B, k U) rows;
- the input projection of all steps is ONE matrix product, a_x^T = W^T x^T, (k U, D) @
  (D, T B), in processing order (time-major, reversed for ``go_backwards``);
- each step is one (k U, U) @ (U, B) product plus in-place gate math on preallocated
  buffers. The sigmoid gates use sigma(x) = (1 + tanh(x / 2)) / 2: their columns of W, R
  and b are halved once per call, so a single ``tanh`` covers every gate of a step;
- backward is backpropagation through time in one reversed loop that stores the gradient of
  every step's pre-activations; the gradients of the kernel, the recurrent kernel, the bias
  and the input are then each ONE large matrix product (or sum) over all steps;
- gradients vanish along long sequences: every few steps the carried gradients' entries
  below ``finfo.tiny * 2^32`` (5e-29 in float32) are set to zero, as flush-to-zero
  hardware does with denormals (whose arithmetic is ~100x slower), and once nothing is
  left to carry and no earlier output has a gradient, BPTT stops: the earlier steps'
  gradients are exactly zero and the large products skip them;
- the per-step products are too small to gain from several BLAS threads (waking them costs
  more than the product), so the loops run BLAS single-threaded when threadpoolctl (a
  dependency of scikit-learn) is there.

Every op returns the states after every step, shape (B, T, S, U) in processing order (for
``go_backwards`` step 0 is the last time step, as Keras returns it): S = 2 for the LSTM
([h_t, c_t]), 1 for the GRU and the simple RNN ([h_t]). The output sequence is
``states[:, :, 0]`` and the final states ``states[:, -1]``. With ``return_sequences=False``
an op returns only the final states (B, S, U), and its backward has no per-step output
gradients to read.

Masks (B, T) of booleans follow Keras: on a masked step a sample keeps its previous states
(and so its previous output), and no gradient reaches the gates of that step.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import to_tensor
from dlpath.engine.tensor import Tensor

# Below this many multiply-adds a per-step product runs single-threaded.
_SMALL_GEMM = 1 << 22
# Every this many steps of BPTT, tiny carried gradients are flushed to zero.
_FLUSH_EVERY = 8


@functools.cache
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return None
    return ThreadpoolController()


def _step_threads(batch: int, units: int, width: int):
    """A context running BLAS single-threaded when each step's product is small."""
    controller = _blas_controller()
    if controller is None or batch * units * width >= _SMALL_GEMM:
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")


def _processing_order(x: np.ndarray, go_backwards: bool) -> np.ndarray:
    """(B, T, ...) -> contiguous (T, B, ...), time reversed for ``go_backwards``."""
    x = np.swapaxes(x, 0, 1)
    return np.ascontiguousarray(x[::-1] if go_backwards else x)


def _batch_order(a: np.ndarray, go_backwards: bool) -> np.ndarray:
    """Inverse of `_processing_order` (a view): (T, B, ...) -> (B, T, ...)."""
    return np.swapaxes(a[::-1] if go_backwards else a, 0, 1)


class _Sequence(Function):
    """What the three fused ops share: the layouts, masks, the output view, early stopping
    of BPTT and the gradients that are one large product over all steps.

    Layouts: xs (T, B, D) the inputs in processing order; states (S, T + 1, U, B) with slot
    0 the initial states and slot s + 1 the states after step s; per-step gradients of the
    pre-activations (k U, T, B), whose (k U, T B) matrix enters the large products.
    """

    def _setup(self, x, units, num_states, initial_states, mask, go_backwards,
               return_sequences):
        batch, steps, _ = x.shape
        self.go_backwards, self.return_sequences = go_backwards, return_sequences
        self.xs = _processing_order(x, go_backwards)  # (T, B, D)
        self.states = np.empty((num_states, steps + 1, units, batch), dtype=x.dtype)
        for k, state in enumerate(initial_states):
            self.states[k, 0] = state.T
        self.keep = self.keep_f = self.partial = None
        self.tiny = np.finfo(x.dtype).tiny * 2.0**32
        if mask is not None:
            keep = _processing_order(np.asarray(mask, dtype=bool), go_backwards)  # (T, B)
            self.keep = keep[:, None, :]  # (T, 1, B)
            self.skip = ~self.keep
            self.keep_f = self.keep.astype(x.dtype)
            self.partial = ~keep.all(axis=1)  # steps where some sample is masked

    def _input_projection(self, kernel, bias):
        """a_x^T = W^T x^T + b for all steps in one product: (k U, T, B)."""
        steps, batch, _ = self.xs.shape
        flat = self.xs.reshape(steps * batch, -1)  # (T B, D)
        projection = np.matmul(kernel.T, flat.T)  # (k U, T B)
        projection += bias[:, None]
        return projection.reshape(kernel.shape[1], steps, batch)

    def _output(self):
        if self.return_sequences:
            return self.states[:, 1:].transpose(3, 1, 0, 2)  # (B, T, S, U)
        return self.states[:, -1].transpose(2, 0, 1)  # (B, S, U)

    def _carry_masked_states(self, s):
        if self.partial is not None and self.partial[s]:
            np.copyto(self.states[:, s + 1], self.states[:, s], where=self.skip[s])

    def _masked(self, s) -> bool:
        return self.partial is not None and self.partial[s]

    def _start_backward(self, grad, *carries):
        """Reset BPTT's bookkeeping and return the per-step output gradients (B, T, S, U),
        or None without return_sequences: then the final states' gradient is the initial
        carry."""
        self.first = 0  # BPTT's earliest step with a nonzero gradient
        self.first_output_grad = None
        if self.return_sequences:
            return grad
        for k, carry in enumerate(carries):
            carry[...] = grad[:, k].T
        self.first_output_grad = self.states.shape[1]  # no step has an output gradient
        return None

    def _vanished(self, s, grad, *carries) -> bool:
        """Every few steps, flush the carried gradients' tiny entries to zero. True when
        nothing is carried and no output before step s has a gradient: then every gradient
        of the steps before s is zero, and BPTT stops (``self.first = s``)."""
        if s % _FLUSH_EVERY:
            return False
        for carry in carries:
            np.copyto(carry, 0, where=np.abs(carry) < self.tiny)
        if any(carry.any() for carry in carries):
            return False
        if self.first_output_grad is None:  # one pass over grad, at most once
            active = np.flatnonzero(grad.any(axis=(0, 2, 3)))
            self.first_output_grad = active[0] if active.size else grad.shape[1]
        if s > self.first_output_grad:
            return False
        self.first = s
        return True

    def _columns(self, d):
        """Steps first.. of d (n, T, B) as an (n, steps * B) matrix (a view)."""
        return d.reshape(d.shape[0], -1)[:, self.first * d.shape[2]:]

    def _input_gradients(self, d_pre, kernel):
        """dL/dx and dL/dW from the pre-activation gradients d_pre (k U, T, B)."""
        steps, batch, dim = self.xs.shape
        d = self._columns(d_pre)  # (k U, n)
        dx = dw = None
        if self.needs_grad[0]:
            dx = np.empty((steps * batch, dim), dtype=d_pre.dtype)  # (T B, D)
            dx[:self.first * batch] = 0
            np.matmul(d.T, kernel.T, out=dx[self.first * batch:])
            dx = _batch_order(dx.reshape(steps, batch, dim), self.go_backwards)
        if self.needs_grad[1]:  # (d x)^T: this order is the faster one for OpenBLAS
            dw = (d @ self.xs.reshape(steps * batch, dim)[self.first * batch:]).T
        return dx, dw

    def _recurrent_gradient(self, d_rec, inputs=None):
        """dL/dR = sum_t h_{t-1} d_t^T as one product; ``inputs`` (T, U, B) replaces the
        h_{t-1}."""
        steps = d_rec.shape[1]
        h_prev = self.states[0, :steps] if inputs is None else inputs  # (T, U, B)
        h_prev = np.ascontiguousarray(h_prev[self.first:].transpose(1, 0, 2))  # (U, n, B)
        return h_prev.reshape(h_prev.shape[0], -1) @ self._columns(d_rec).T

    def _bias_gradient(self, d):
        return self._columns(d).sum(axis=1)


class LSTMSequence(_Sequence):
    """A whole LSTM layer (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et
    al. 2000), Keras' layout: gates i, f, c, o in the columns of W (D, 4U), R (U, 4U), b.

    Forward, for each step t (sigma the logistic sigmoid):

        [a_i, a_f, a_c, a_o] = x_t W + h_{t-1} R + b
        i = sigma(a_i),  f = sigma(a_f),  g = tanh(a_c),  o = sigma(a_o)
        c_t = f c_{t-1} + i g,   h_t = o tanh(c_t)

    Backward (BPTT), with dh, dc the gradients reaching h_t, c_t from the outputs and from
    step t + 1:

        do = dh tanh(c_t),  dc += dh o (1 - tanh^2 c_t)
        di = dc g,  df = dc c_{t-1},  dg = dc i
        da_{i,f,o} = d{i,f,o} s (1 - s),  da_c = dg (1 - g^2)
        dh_{t-1} = da R^T,  dc_{t-1} = dc f
        dW = sum_t x_t^T da_t,  dR = sum_t h_{t-1}^T da_t,  db = sum_t da_t,  dx_t = da_t W^T

    Internally the gates are kept in the order i, f, o, c so the sigmoid gates are one
    block.
    """

    def forward(self, x, kernel, recurrent_kernel, bias, h0, c0, mask=None,
                go_backwards=False, return_sequences=True):
        units = h0.shape[1]
        batch, steps = x.shape[0], x.shape[1]
        self._setup(x, units, 2, (h0, c0), mask, go_backwards, return_sequences)
        self.perm = np.r_[0:2 * units, 3 * units:4 * units, 2 * units:3 * units]
        half = np.ones(4 * units, dtype=x.dtype)
        half[:3 * units] = 0.5  # sigma(a) = (1 + tanh(a / 2)) / 2
        self.kernel, self.recurrent_kernel = kernel, recurrent_kernel
        x_part = self._input_projection(kernel[:, self.perm] * half, bias[self.perm] * half)
        r_half = np.ascontiguousarray((recurrent_kernel[:, self.perm] * half).T)  # (4U, U)
        u, u3 = units, 3 * units
        states = self.states
        # Backward reads every step's activations; inference reuses one step's buffers
        # (they stay in cache), with the same arithmetic.
        keep = self.recording
        kept = steps if keep else 1
        acts = np.empty((kept, 4 * units, batch), dtype=x.dtype)  # i, f, o, g of each step
        tanh_c = np.empty((kept, units, batch), dtype=x.dtype)
        ig = np.empty((units, batch), dtype=x.dtype)
        # Every view the loop uses, made once (at batch 1 slicing costs as much as math).
        a_, sig_, tanh_c_ = list(acts), list(acts[:, :u3]), list(tanh_c)
        i_, f_, o_, g_ = (list(acts[:, j * u:(j + 1) * u]) for j in range(4))
        h_, c_, x_ = list(states[0]), list(states[1]), list(x_part.transpose(1, 0, 2))
        partial = self.partial  # steps where some sample is masked, or None
        with _step_threads(batch, units, 4 * units):
            for s in range(steps):
                k = s if keep else 0
                a = a_[k]  # (4U, B)
                np.matmul(r_half, h_[s], out=a)
                a += x_[s]
                np.tanh(a, out=a)
                sig = sig_[k]
                sig *= 0.5
                sig += 0.5
                c = c_[s + 1]
                np.multiply(f_[k], c_[s], out=c)
                np.multiply(i_[k], g_[k], out=ig)
                c += ig
                np.tanh(c, out=tanh_c_[k])
                np.multiply(o_[k], tanh_c_[k], out=h_[s + 1])
                if partial is not None and partial[s]:
                    self._carry_masked_states(s)
        if keep:
            self.acts, self.tanh_c = acts, tanh_c
        return self._output()

    def backward(self, grad):  # grad: (B, T, 2, U), or (B, 2, U) for the final states
        acts, tanh_c, states = self.acts, self.tanh_c, self.states
        steps, width, batch = acts.shape
        u, u3 = width // 4, 3 * (width // 4)
        r = np.ascontiguousarray(self.recurrent_kernel[:, self.perm])  # (U, 4U)
        d_pre = np.empty((width, steps, batch), dtype=acts.dtype)
        dh, dc = np.zeros((2, u, batch), dtype=acts.dtype)
        tmp, dh_gate = np.empty_like(dh), np.empty_like(dh)
        d_gates, slope = np.empty((2, width, batch), dtype=acts.dtype)
        step_grad = self._start_backward(grad, dh, dc)
        with _step_threads(batch, u, width):
            for s in reversed(range(steps)):
                a, tc = acts[s], tanh_c[s]
                if step_grad is not None:
                    dh += step_grad[:, s, 0].T
                    dc += step_grad[:, s, 1].T
                masked = self._masked(s)
                dhg = np.multiply(dh, self.keep_f[s], out=dh_gate) if masked else dh
                np.multiply(dhg, tc, out=d_gates[2 * u:u3])  # do
                np.multiply(tc, tc, out=tmp)
                np.subtract(1, tmp, out=tmp)
                tmp *= a[2 * u:u3]
                tmp *= dhg
                dc += tmp  # dL/dc_t
                np.multiply(dc, a[u3:], out=d_gates[:u])  # di = dc g
                np.multiply(dc, states[1, s], out=d_gates[u:2 * u])  # df = dc c_{t-1}
                np.multiply(dc, a[:u], out=d_gates[u3:])  # dg = dc i
                # Activation slopes: s - s^2 for the sigmoid gates, 1 - g^2 for g.
                np.multiply(a, a, out=slope)
                np.subtract(a[:u3], slope[:u3], out=slope[:u3])
                np.subtract(1, slope[u3:], out=slope[u3:])
                if masked:
                    d_gates *= self.keep_f[s]
                d = d_pre[:, s]  # (4U, B)
                np.multiply(d_gates, slope, out=d)
                if masked:
                    np.multiply(dc, a[u:2 * u], out=dc, where=self.keep[s])
                    np.matmul(r, d, out=tmp)
                    np.copyto(dh, tmp, where=self.keep[s])
                else:
                    dc *= a[u:2 * u]
                    np.matmul(r, d, out=dh)
                if self._vanished(s, grad, dh, dc):
                    break
        inverse = np.argsort(self.perm)
        dx, dw = self._input_gradients(d_pre, self.kernel[:, self.perm])
        dr = self._recurrent_gradient(d_pre)[:, inverse] if self.needs_grad[2] else None
        db = self._bias_gradient(d_pre)[inverse] if self.needs_grad[3] else None
        return dx, None if dw is None else dw[:, inverse], dr, db, dh.T, dc.T


class GRUSequence(_Sequence):
    """A whole GRU layer (Cho et al. 2014), Keras' layout: gates z, r, h in the columns of
    W (D, 3U) and R (U, 3U).

    ``reset_after=True`` (Keras' default, and what cuDNN and PyTorch compute), bias (2, 3U)
    = [input bias b_x; recurrent bias b_h]:

        [x_z, x_r, x_h] = x_t W + b_x,    [h_z, h_r, h_h] = h_{t-1} R + b_h
        z = sigma(x_z + h_z),  r = sigma(x_r + h_r),  n = tanh(x_h + r h_h)
        h_t = z h_{t-1} + (1 - z) n

    ``reset_after=False`` (the original formulation), bias (3U,):

        z = sigma(x_z + h_{t-1} R_z),  r = sigma(x_r + h_{t-1} R_r)
        n = tanh(x_h + (r h_{t-1}) R_h),   h_t = z h_{t-1} + (1 - z) n

    Backward, with dh the gradient reaching h_t:

        dz = dh (h_{t-1} - n) z (1 - z),  dn = dh (1 - z) (1 - n^2)
        reset_after:  dr = dn h_h r (1 - r);  d[h_z, h_r, h_h] = [dz, dr, dn r]
                      dh_{t-1} = dh z + d[h_z, h_r, h_h] R^T
        else:         d(r h) = dn R_h^T,  dr = d(r h) h_{t-1} r (1 - r)
                      dh_{t-1} = dh z + [dz, dr] R_{zr}^T + d(r h) r
    """

    def forward(self, x, kernel, recurrent_kernel, bias, h0, mask=None, go_backwards=False,
                return_sequences=True, reset_after=True):
        units = h0.shape[1]
        batch, steps = x.shape[0], x.shape[1]
        self._setup(x, units, 1, (h0,), mask, go_backwards, return_sequences)
        self.kernel, self.recurrent_kernel = kernel, recurrent_kernel
        self.reset_after = reset_after
        half = np.ones(3 * units, dtype=x.dtype)
        half[:2 * units] = 0.5  # sigma(a) = (1 + tanh(a / 2)) / 2
        b_x = bias[0] if reset_after else bias
        x_part = self._input_projection(kernel * half, b_x * half)  # (3U, T, B): z, r, n
        self.acts = np.empty((steps, 3 * units, batch), dtype=x.dtype)
        # reset_after: the saved h_h = R_h^T h_{t-1} + b_h; else the saved r h_{t-1}.
        self.saved = np.empty((steps, units, batch), dtype=x.dtype)
        with _step_threads(batch, units, 3 * units):
            if reset_after:
                r_half = np.ascontiguousarray((recurrent_kernel * half).T)  # (3U, U)
                self._forward_reset_after(x_part, r_half, (bias[1] * half)[:, None])
            else:
                self._forward_reset_before(x_part, recurrent_kernel, half)
        return self._output()

    def _forward_reset_after(self, x_part, r_half, b_half):
        states, saved, acts = self.states, self.saved, self.acts
        u = saved.shape[1]
        rec, tmp = np.empty((3 * u, saved.shape[2]), dtype=acts.dtype), np.empty_like(saved[0])
        for s in range(acts.shape[0]):
            a, h_prev = acts[s], states[0, s]
            np.matmul(r_half, h_prev, out=rec)
            rec += b_half
            np.add(x_part[:2 * u, s], rec[:2 * u], out=a[:2 * u])
            np.tanh(a[:2 * u], out=a[:2 * u])
            a[:2 * u] *= 0.5
            a[:2 * u] += 0.5
            np.copyto(saved[s], rec[2 * u:])
            np.multiply(a[u:2 * u], saved[s], out=tmp)
            np.add(x_part[2 * u:, s], tmp, out=a[2 * u:])
            np.tanh(a[2 * u:], out=a[2 * u:])
            self._mix(s, a[:u], a[2 * u:])

    def _forward_reset_before(self, x_part, recurrent_kernel, half):
        states, saved, acts = self.states, self.saved, self.acts
        u = saved.shape[1]
        r_zr = np.ascontiguousarray((recurrent_kernel[:, :2 * u] * half[:2 * u]).T)  # (2U, U)
        r_h = np.ascontiguousarray(recurrent_kernel[:, 2 * u:].T)  # (U, U)
        rec, tmp = np.empty((2 * u, saved.shape[2]), dtype=acts.dtype), np.empty_like(saved[0])
        for s in range(acts.shape[0]):
            a, h_prev = acts[s], states[0, s]
            np.matmul(r_zr, h_prev, out=rec)
            np.add(x_part[:2 * u, s], rec, out=a[:2 * u])
            np.tanh(a[:2 * u], out=a[:2 * u])
            a[:2 * u] *= 0.5
            a[:2 * u] += 0.5
            np.multiply(a[u:2 * u], h_prev, out=saved[s])
            np.matmul(r_h, saved[s], out=tmp)
            np.add(x_part[2 * u:, s], tmp, out=a[2 * u:])
            np.tanh(a[2 * u:], out=a[2 * u:])
            self._mix(s, a[:u], a[2 * u:])

    def _mix(self, s, z, n):
        """h_t = n + z (h_{t-1} - n), then masked samples keep h_{t-1}."""
        h = self.states[0, s + 1]
        np.subtract(self.states[0, s], n, out=h)
        h *= z
        h += n
        self._carry_masked_states(s)

    def backward(self, grad):  # grad: (B, T, 1, U), or (B, 1, U) for the final state
        acts, states, saved = self.acts, self.states, self.saved
        steps, width, batch = acts.shape
        u = width // 3
        d_pre = np.empty((width, steps, batch), dtype=acts.dtype)  # gradients of W^T x + b_x
        # reset_after: gradients of R^T h + b_h; else of [R_zr^T h, R_h^T (r h)] (= d_pre).
        d_rec = np.empty_like(d_pre) if self.reset_after else d_pre
        r = np.ascontiguousarray(self.recurrent_kernel)  # (U, 3U)
        dh, tmp, dh_gate = np.zeros((3, u, batch), dtype=acts.dtype)
        d_gates, slope = np.empty((2, width, batch), dtype=acts.dtype)
        step_grad = self._start_backward(grad, dh)
        with _step_threads(batch, u, width):
            for s in reversed(range(steps)):
                a, h_prev, d = acts[s], states[0, s], d_gates
                z, rg, n = a[:u], a[u:2 * u], a[2 * u:]
                if step_grad is not None:
                    dh += step_grad[:, s, 0].T
                masked = self._masked(s)
                dhg = np.multiply(dh, self.keep_f[s], out=dh_gate) if masked else dh
                np.subtract(h_prev, n, out=d[:u])
                d[:u] *= dhg  # dz
                np.subtract(1, z, out=tmp)
                tmp *= dhg  # dL/dn
                np.multiply(n, n, out=d[2 * u:])
                np.subtract(1, d[2 * u:], out=d[2 * u:])
                d[2 * u:] *= tmp  # dn (pre-activation)
                if self.reset_after:
                    np.multiply(d[2 * u:], saved[s], out=d[u:2 * u])  # dr
                else:
                    np.matmul(r[:, 2 * u:], d[2 * u:], out=tmp)  # d(r h_{t-1})
                    np.multiply(tmp, h_prev, out=d[u:2 * u])  # dr
                np.subtract(1, a[:2 * u], out=slope[:2 * u])
                slope[:2 * u] *= a[:2 * u]
                d[:2 * u] *= slope[:2 * u]
                np.copyto(d_pre[:, s], d)
                if masked:
                    np.multiply(dh, z, out=dh, where=self.keep[s])
                else:
                    dh *= z
                if self.reset_after:
                    dr = d_rec[:, s]
                    np.copyto(dr[:2 * u], d[:2 * u])
                    np.multiply(d[2 * u:], rg, out=dr[2 * u:])
                    dh += np.matmul(r, dr, out=dh_gate)
                else:
                    tmp *= rg
                    dh += tmp
                    dh += np.matmul(r[:, :2 * u], d[:2 * u], out=dh_gate)
                if self._vanished(s, grad, dh):
                    break
        return self._gradients(d_pre, d_rec, dh)

    def _gradients(self, d_pre, d_rec, dh):
        u = d_pre.shape[0] // 3
        dx, dw = self._input_gradients(d_pre, self.kernel)
        dr = db = None
        if self.needs_grad[2] and self.reset_after:
            dr = self._recurrent_gradient(d_rec)
        elif self.needs_grad[2]:
            dr = np.concatenate([self._recurrent_gradient(d_pre[:2 * u]),
                                 self._recurrent_gradient(d_pre[2 * u:], self.saved)],
                                axis=1)
        if self.needs_grad[3]:
            db = self._bias_gradient(d_pre)
            if self.reset_after:
                db = np.stack([db, self._bias_gradient(d_rec)])
        return dx, dw, dr, db, dh.T


class SimpleRNNSequence(_Sequence):
    """A whole fully connected RNN layer (Elman 1990) with tanh: kernel W (D, U), recurrent
    kernel R (U, U), bias b (U,).

        h_t = tanh(x_t W + h_{t-1} R + b)

    Backward:  da_t = dh (1 - h_t^2),  dh_{t-1} = da_t R^T,  dW = sum_t x_t^T da_t,
    dR = sum_t h_{t-1}^T da_t,  db = sum_t da_t,  dx_t = da_t W^T.
    """

    def forward(self, x, kernel, recurrent_kernel, bias, h0, mask=None, go_backwards=False,
                return_sequences=True):
        units = h0.shape[1]
        batch, steps = x.shape[0], x.shape[1]
        self._setup(x, units, 1, (h0,), mask, go_backwards, return_sequences)
        self.kernel, self.recurrent_kernel = kernel, recurrent_kernel
        states = self.states
        x_part = self._input_projection(kernel, bias)  # (U, T, B)
        r_t = np.ascontiguousarray(recurrent_kernel.T)
        with _step_threads(batch, units, units):
            for s in range(steps):
                h = states[0, s + 1]
                np.matmul(r_t, states[0, s], out=h)
                h += x_part[:, s]
                np.tanh(h, out=h)
                self._carry_masked_states(s)
        return self._output()

    def backward(self, grad):  # grad: (B, T, 1, U), or (B, 1, U) for the final state
        states = self.states
        steps, units, batch = states.shape[1] - 1, states.shape[2], states.shape[3]
        r = np.ascontiguousarray(self.recurrent_kernel)
        d_pre = np.empty((units, steps, batch), dtype=states.dtype)
        dh, tmp, d = np.zeros((3, units, batch), dtype=states.dtype)
        step_grad = self._start_backward(grad, dh)
        with _step_threads(batch, units, units):
            for s in reversed(range(steps)):
                h = states[0, s + 1]
                if step_grad is not None:
                    dh += step_grad[:, s, 0].T
                np.multiply(h, h, out=d)
                np.subtract(1, d, out=d)
                d *= dh
                if self._masked(s):
                    d *= self.keep_f[s]
                    np.matmul(r, d, out=tmp)
                    np.copyto(dh, tmp, where=self.keep[s])
                else:
                    np.matmul(r, d, out=dh)
                np.copyto(d_pre[:, s], d)
                if self._vanished(s, grad, dh):
                    break
        dx, dw = self._input_gradients(d_pre, self.kernel)
        dr = self._recurrent_gradient(d_pre) if self.needs_grad[2] else None
        db = self._bias_gradient(d_pre) if self.needs_grad[3] else None
        return dx, dw, dr, db, dh.T


# ------------------------------------------------------------------ functional forms
def _check(name, x, kernel, recurrent_kernel, gates, initial_states, mask):
    if x.ndim != 3:
        raise ValueError(f"{name}: expected inputs of shape (batch, time, features), got "
                         f"shape {x.shape}")
    units = recurrent_kernel.shape[0]
    expected = {"kernel": (x.shape[2], gates * units),
                "recurrent_kernel": (units, gates * units)}
    for label, tensor in (("kernel", kernel), ("recurrent_kernel", recurrent_kernel)):
        if tensor.shape != expected[label]:
            raise ValueError(f"{name}: {label} must have shape {expected[label]}, got "
                             f"{tensor.shape}")
    for state in initial_states:
        if state.shape != (x.shape[0], units):
            raise ValueError(f"{name}: initial states must have shape "
                             f"{(x.shape[0], units)}, got {state.shape}")
    if mask is not None and np.shape(mask) != x.shape[:2]:
        raise ValueError(f"{name}: mask must have shape {x.shape[:2]}, got "
                         f"{np.shape(mask)}")


def _bias(bias, shape, like):
    return Tensor(np.zeros(shape), dtype=like.dtype) if bias is None else to_tensor(bias)


def _zeros_state(x, units):
    return Tensor(np.zeros((x.shape[0], units)), dtype=x.dtype)


def _mask_array(mask):
    if mask is None:
        return None
    return np.asarray(mask.data if hasattr(mask, "data") else mask, dtype=bool)


def lstm_sequence(x, kernel, recurrent_kernel, bias=None, h0=None, c0=None, mask=None,
                  go_backwards: bool = False, return_sequences: bool = True):
    """The states [h_t, c_t] of an LSTM over ``x`` (B, T, D): all of them (B, T, 2, U), or
    with ``return_sequences=False`` the final ones (B, 2, U); see `LSTMSequence`."""
    x, kernel, recurrent_kernel = to_tensor(x), to_tensor(kernel), to_tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    h0 = _zeros_state(x, units) if h0 is None else to_tensor(h0)
    c0 = _zeros_state(x, units) if c0 is None else to_tensor(c0)
    mask = _mask_array(mask)
    _check("lstm_sequence", x, kernel, recurrent_kernel, 4, (h0, c0), mask)
    return LSTMSequence.apply(x, kernel, recurrent_kernel, _bias(bias, (4 * units,), x), h0,
                              c0, mask=mask, go_backwards=bool(go_backwards),
                              return_sequences=bool(return_sequences))


def gru_sequence(x, kernel, recurrent_kernel, bias=None, h0=None, mask=None,
                 go_backwards: bool = False, reset_after: bool = True,
                 return_sequences: bool = True):
    """The states [h_t] of a GRU over ``x`` (B, T, D): all of them (B, T, 1, U), or with
    ``return_sequences=False`` the final one (B, 1, U); see `GRUSequence`."""
    x, kernel, recurrent_kernel = to_tensor(x), to_tensor(kernel), to_tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    h0 = _zeros_state(x, units) if h0 is None else to_tensor(h0)
    mask = _mask_array(mask)
    _check("gru_sequence", x, kernel, recurrent_kernel, 3, (h0,), mask)
    bias = _bias(bias, (2, 3 * units) if reset_after else (3 * units,), x)
    return GRUSequence.apply(x, kernel, recurrent_kernel, bias, h0, mask=mask,
                             go_backwards=bool(go_backwards),
                             return_sequences=bool(return_sequences),
                             reset_after=bool(reset_after))


def simple_rnn_sequence(x, kernel, recurrent_kernel, bias=None, h0=None, mask=None,
                        go_backwards: bool = False, return_sequences: bool = True):
    """The states [h_t] of a tanh RNN over ``x`` (B, T, D): all of them (B, T, 1, U), or
    with ``return_sequences=False`` the final one (B, 1, U); see `SimpleRNNSequence`."""
    x, kernel, recurrent_kernel = to_tensor(x), to_tensor(kernel), to_tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    h0 = _zeros_state(x, units) if h0 is None else to_tensor(h0)
    mask = _mask_array(mask)
    _check("simple_rnn_sequence", x, kernel, recurrent_kernel, 1, (h0,), mask)
    return SimpleRNNSequence.apply(x, kernel, recurrent_kernel, _bias(bias, (units,), x), h0,
                                   mask=mask, go_backwards=bool(go_backwards),
                                   return_sequences=bool(return_sequences))
