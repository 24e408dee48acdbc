"""keras.ops.fft, fft2, ifft2, rfft and irfft: values against NumPy, gradients against torch
and by finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.keras import ops as kops

RNG = np.random.default_rng(8)
RE, IM = RNG.standard_normal((2, 3, 6)), RNG.standard_normal((2, 3, 6))


@pytest.mark.parametrize("name, numpy_fn", [
    ("fft", np.fft.fft), ("fft2", np.fft.fft2), ("ifft2", np.fft.ifft2),
])
def test_complex_transforms_match_numpy_and_have_gradients(name, numpy_fn):
    real, imag = getattr(kops, name)((Tensor(RE, dtype="float64"), Tensor(IM, dtype="float64")))
    expected = numpy_fn(RE + 1j * IM)
    np.testing.assert_allclose(real.data, expected.real, atol=1e-12)
    np.testing.assert_allclose(imag.data, expected.imag, atol=1e-12)

    def both(a, b):
        r, i = getattr(kops, name)((a, b))
        return r * 2.0 + i * i
    gradcheck(both, RE[0], IM[0])


@pytest.mark.parametrize("length", [None, 4, 6, 9])
def test_rfft_and_irfft_match_numpy_and_have_gradients(length):
    real, imag = kops.rfft(Tensor(RE, dtype="float64"), length)
    expected = np.fft.rfft(RE, length)
    np.testing.assert_allclose(real.data, expected.real, atol=1e-12)
    np.testing.assert_allclose(imag.data, expected.imag, atol=1e-12)
    spectrum = (Tensor(RE[..., :4], dtype="float64"), Tensor(IM[..., :4], dtype="float64"))
    np.testing.assert_allclose(kops.irfft(spectrum, length).data,
                               np.fft.irfft(RE[..., :4] + 1j * IM[..., :4], length), atol=1e-12)
    gradcheck(lambda a: kops.rfft(a, length)[1], RE[0])
    gradcheck(lambda a, b: kops.irfft((a, b), length), RE[0, :, :4], IM[0, :, :4])


def test_gradients_match_torch():
    x = Tensor(RE.astype(np.float32), requires_grad=True)
    real, imag = kops.rfft(x)
    (real * real + imag * 3.0).sum().backward()
    reference = torch.tensor(RE.astype(np.float32), requires_grad=True)
    spectrum = torch.fft.rfft(reference)
    (spectrum.real ** 2 + spectrum.imag * 3.0).sum().backward()
    np.testing.assert_allclose(x.grad, reference.grad.numpy(), rtol=1e-4, atol=1e-4)


def test_errors_name_the_function():
    with pytest.raises(TypeError, match="fft: x must be a \\(real, imag\\) pair"):
        kops.fft(RE)
    with pytest.raises(ValueError, match="fft2: x must have at least 2 axes"):
        kops.fft2((RE[0, 0], IM[0, 0]))
    with pytest.raises(ValueError, match="ifft2: real and imag must have one shape"):
        kops.ifft2((RE, IM[0]))


@pytest.mark.parametrize("sequence_length, stride, fft_length", [(16, 4, 16), (12, 5, 16)])
def test_stft_and_istft_match_torch_and_have_gradients(sequence_length, stride, fft_length):
    signal = RNG.standard_normal((2, 40))
    window = torch.hann_window(sequence_length, periodic=True, dtype=torch.float64)
    reference = torch.stft(torch.tensor(signal), n_fft=fft_length, hop_length=stride,
                           win_length=sequence_length, window=window, center=True,
                           pad_mode="reflect", return_complex=True)
    real, imag = kops.stft(Tensor(signal, dtype="float64"), sequence_length, stride, fft_length)
    np.testing.assert_allclose(real.data, reference.real.transpose(-1, -2).numpy(), atol=1e-10)
    np.testing.assert_allclose(imag.data, reference.imag.transpose(-1, -2).numpy(), atol=1e-10)
    back = kops.istft((real, imag), sequence_length, stride, fft_length, length=40)
    expected = torch.istft(reference, n_fft=fft_length, hop_length=stride,
                           win_length=sequence_length, window=window, center=True, length=40)
    np.testing.assert_allclose(back.data, expected.numpy(), atol=1e-10)
    np.testing.assert_allclose(back.data, signal, atol=1e-10)
    short = signal[:1, :20]
    gradcheck(lambda a: kops.stft(a, sequence_length, stride, fft_length)[0], short)
    gradcheck(lambda a, b: kops.istft((a, b), sequence_length, stride, fft_length),
              real.data[:1, :3], imag.data[:1, :3])


def test_stft_errors_name_the_argument():
    with pytest.raises(ValueError, match="stft: sequence_length \\(20\\) must be <= "
                                         "fft_length \\(16\\)"):
        kops.stft(np.ones(64), 20, 4, 16)
    with pytest.raises(ValueError, match="stft: window must have shape \\(8,\\)"):
        kops.stft(np.ones(64), 8, 4, 16, window=np.ones(5))
