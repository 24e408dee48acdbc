"""More primitive ops of the function library: trigonometry, special functions, cumulative
products and scatters.

Each one is a `Function` with forward and backward side by side and its derivative in the
docstring; everything else in `dlpath.ops.math_more` and `array_more` is composed from them
and the engine's primitives. SciPy loads with the first special function, never at import.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath.engine import Function


class Sin(Function):
    """y = sin x;  dy/dx = cos x."""

    def forward(self, x):
        self.x = x
        return np.sin(x)

    def backward(self, grad):
        return grad * np.cos(self.x)


class Cos(Function):
    """y = cos x;  dy/dx = -sin x."""

    def forward(self, x):
        self.x = x
        return np.cos(x)

    def backward(self, grad):
        return -grad * np.sin(self.x)


class Arcsin(Function):
    """y = arcsin x;  dy/dx = 1 / sqrt(1 - x^2)."""

    def forward(self, x):
        self.x = x
        return np.arcsin(x)

    def backward(self, grad):
        return grad / np.sqrt(1 - self.x * self.x)


class Arctan(Function):
    """y = arctan x;  dy/dx = 1 / (1 + x^2)."""

    def forward(self, x):
        self.x = x
        return np.arctan(x)

    def backward(self, grad):
        return grad / (1 + self.x * self.x)


class Arctan2(Function):
    """z = atan2(y, x), the angle of (x, y);  dz/dy = x / (x^2 + y^2), dz/dx = -y / (x^2 + y^2)."""

    def forward(self, y, x):
        self.y, self.x = y, x
        return np.arctan2(y, x)

    def backward(self, grad):
        r2 = self.x * self.x + self.y * self.y
        return grad * self.x / r2, -grad * self.y / r2


class Expm1(Function):
    """y = e^x - 1, exact for small x;  dy/dx = e^x."""

    def forward(self, x):
        self.x = x
        return np.expm1(x)

    def backward(self, grad):
        return grad * np.exp(self.x)


class Erfinv(Function):
    """y = erf^-1(x);  dy/dx = sqrt(pi)/2 e^(y^2)."""

    def forward(self, x):
        from scipy.special import erfinv

        self.y = erfinv(x).astype(x.dtype)
        return self.y

    def backward(self, grad):
        return grad * (math.sqrt(math.pi) / 2) * np.exp(self.y * self.y)


class Lgamma(Function):
    """y = ln |Gamma(x)|;  dy/dx = psi(x) (the digamma function)."""

    def forward(self, x):
        from scipy.special import gammaln

        self.x = x
        return gammaln(x).astype(x.dtype)

    def backward(self, grad):
        from scipy.special import digamma

        return grad * digamma(self.x)


class Digamma(Function):
    """y = psi(x) = d/dx ln Gamma(x);  dy/dx = psi_1(x) (the trigamma function)."""

    def forward(self, x):
        from scipy.special import digamma

        self.x = x
        return digamma(x).astype(x.dtype)

    def backward(self, grad):
        from scipy.special import polygamma

        return grad * polygamma(1, self.x)


class BesselI0(Function):
    """y = I_0(x), the modified Bessel function of order 0;  dy/dx = I_1(x)."""

    def forward(self, x):
        from scipy.special import i0

        self.x = x
        return i0(x).astype(x.dtype)

    def backward(self, grad):
        from scipy.special import i1

        return grad * i1(self.x)


class BesselI1(Function):
    """y = I_1(x);  dy/dx = I_0(x) - I_1(x) / x (and 1/2 at x = 0)."""

    def forward(self, x):
        from scipy.special import i1

        self.x = x
        return i1(x).astype(x.dtype)

    def backward(self, grad):
        from scipy.special import i0, i1

        x = self.x
        safe = np.where(x == 0, 1, x)
        return grad * np.where(x == 0, 0.5, i0(x) - i1(x) / safe)


class Igamma(Function):
    """y = P(a, x) = gamma(a, x) / Gamma(a), the regularized lower incomplete gamma function;
    dy/dx = x^(a-1) e^(-x) / Gamma(a) (``a`` is a constant parameter)."""

    def forward(self, x, a):
        from scipy.special import gammainc

        self.x, self.a = x, a
        return gammainc(a, x).astype(x.dtype)

    def backward(self, grad):
        from scipy.special import gammaln

        x, a = self.x, self.a
        log_density = (a - 1) * np.log(np.where(x > 0, x, 1)) - x - gammaln(a)
        return grad * np.where(x > 0, np.exp(log_density), 0)


class Betainc(Function):
    """y = I_x(a, b), the regularized incomplete beta function;
    dy/dx = x^(a-1) (1-x)^(b-1) / B(a, b) (``a`` and ``b`` are constant parameters)."""

    def forward(self, x, a, b):
        from scipy.special import betainc

        self.x, self.a, self.b = x, a, b
        return betainc(a, b, x).astype(x.dtype)

    def backward(self, grad):
        from scipy.special import betaln

        x, a, b = self.x, self.a, self.b
        inside = (x > 0) & (x < 1)
        safe = np.where(inside, x, 0.5)
        log_density = (a - 1) * np.log(safe) + (b - 1) * np.log1p(-safe) - betaln(a, b)
        return grad * np.where(inside, np.exp(log_density), 0)


class Cumprod(Function):
    """y_i = prod_{j <= i} a_j along the last axis;
    dL/da_j = sum_{i >= j} g_i prod_{k <= i, k != j} a_k.

    The product without a_j is computed without dividing, so zeros in ``a`` are exact:
    prod_{k <= i, k != j} a_k = y_{j-1} * prod_{j < k <= i} a_k.
    """

    def forward(self, a):
        self.a = a
        return np.cumprod(a, axis=-1)

    def backward(self, grad):
        a = self.a
        n = a.shape[-1]
        out = np.empty_like(a)
        before = np.ones(a.shape[:-1], dtype=a.dtype)  # y_{j-1}
        for j in range(n):
            # prod_{j < k <= i} a_k for i >= j, with 1 for i == j.
            after = np.cumprod(np.concatenate(
                [np.ones(a.shape[:-1] + (1,), a.dtype), a[..., j + 1:]], axis=-1), axis=-1)
            out[..., j] = before * np.sum(grad[..., j:] * after, axis=-1)
            before = before * a[..., j]
        return out


class FFT(Function):
    """(y_r, y_i) = F(x_r + i x_i) over ``axes``, stacked on a new first axis, with F the
    unnormalized DFT (or F^-1 = F^H / n when ``inverse``);
    dL/dx = F^H G = n ifft(G) (or F G / n = fft(G) / n), G = dL/dy_r + i dL/dy_i."""

    def forward(self, real, imag, axes, inverse):
        self.axes, self.inverse, self.dtype = axes, inverse, real.dtype
        self.n = int(np.prod([real.shape[a] for a in axes]))
        transform = np.fft.ifftn if inverse else np.fft.fftn
        out = transform(real + 1j * imag, axes=axes)
        return np.stack([out.real, out.imag]).astype(real.dtype)

    def backward(self, grad):
        g = grad[0] + 1j * grad[1]
        if self.inverse:
            back = np.fft.fftn(g, axes=self.axes) / self.n
        else:
            back = np.fft.ifftn(g, axes=self.axes) * self.n
        return back.real.astype(self.dtype), back.imag.astype(self.dtype)


class ScatterAdd(Function):
    """y = zeros(shape) with y[index] += u (repeats add up);  dL/du = dL/dy[index]."""

    def forward(self, updates, index, shape):
        self.index = index
        out = np.zeros(shape, dtype=updates.dtype)
        np.add.at(out, index, updates)
        return out

    def backward(self, grad):
        return grad[self.index]


class ScatterUpdate(Function):
    """y = x with y[index] = u (the last of repeated indices wins);
    dL/dx = dL/dy with the written places zeroed, dL/du = dL/dy[index] where u was kept."""

    def forward(self, x, updates, index):
        self.index = index
        out = np.array(x, copy=True)
        out[index] = updates
        # Which update landed: write the position of each update and read it back.
        order = np.zeros(x.shape, dtype=np.int64)
        positions = np.arange(updates.size).reshape(updates.shape)
        order[index] = positions
        self.kept = order[index] == positions
        return out

    def backward(self, grad):
        grad_x = np.array(grad, copy=True)
        grad_x[self.index] = 0
        return grad_x, np.where(self.kept, grad[self.index], 0)


PRIMITIVES = (Sin, Cos, Arcsin, Arctan, Arctan2, Expm1, Erfinv, Lgamma, Digamma, BesselI0,
              BesselI1, Igamma, Betainc, Cumprod, FFT, ScatterAdd, ScatterUpdate)
