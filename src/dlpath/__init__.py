"""dlpath: deep learning from first principles, with a Keras-compatible API."""

from dlpath.engine import Tensor, gradcheck, no_grad

__version__ = "0.1.0"

__all__ = ["Tensor", "no_grad", "gradcheck", "__version__"]
