import numpy as np


def rnn_forward(x, h0, Wx, Wh, b):
    """A tanh RNN (Keras' SimpleRNN) over a whole sequence.

        h_t = tanh(x_t Wx + h_{t-1} Wh + b),   t = 1 .. T,   h_0 = h0

    x: (B, T, D); h0: (B, U); Wx: (D, U); Wh: (U, U); b: (U,).
    Returns h: (B, T, U), h[:, t] the state after step t, in the dtype of x.
    """
    batch, steps, _ = x.shape
    h = np.empty((batch, steps, h0.shape[1]), dtype=x.dtype)
    prev = h0
    for t in range(steps):
        prev = np.tanh(x[:, t] @ Wx + prev @ Wh + b)
        h[:, t] = prev
    return h


def rnn_backward(dh, x, h0, Wx, Wh, h):
    """Back-propagation through time for `rnn_forward`.

    dh: (B, T, U), dh[:, t] = dL/dh_t coming straight from the loss (NOT through the
    later steps: adding that part is the job of BPTT); x, h0, Wx, Wh as in rnn_forward and
    h: (B, T, U) its output. Going backwards in time, with g_t the total gradient of h_t:

        g_t = dh[:, t] + (gradient from step t + 1)      (nothing comes into g_T)
        a_t = g_t (1 - h_t²)                             (through the tanh)
        dWx += x_tᵀ a_t,  dWh += h_{t-1}ᵀ a_t,  db += sum_batch a_t,  dx_t = a_t Wxᵀ
        gradient passed to step t - 1:  a_t Whᵀ          (for t = 1 it is dh0)

    Returns the tuple (dx, dh0, dWx, dWh, db) with the shapes of (x, h0, Wx, Wh, b).
    """
    steps = x.shape[1]
    dx = np.zeros_like(x)
    dWx, dWh = np.zeros_like(Wx), np.zeros_like(Wh)
    db = np.zeros(Wx.shape[1], dtype=Wx.dtype)
    carry = np.zeros_like(h0)  # dL/dh_t that comes from step t + 1
    for t in reversed(range(steps)):
        a = (dh[:, t] + carry) * (1 - h[:, t] ** 2)
        h_prev = h[:, t - 1] if t > 0 else h0
        dx[:, t] = a @ Wx.T
        dWx += x[:, t].T @ a
        dWh += h_prev.T @ a
        db += a.sum(axis=0)
        carry = a @ Wh.T
    return dx, carry, dWx, dWh, db
