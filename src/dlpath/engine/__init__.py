"""The glass-box engine: `Tensor`, define-by-run autograd, primitive and composite ops."""

from dlpath.engine import activations, ctc, losses, ops
from dlpath.engine.function import Function, enable_grad, is_grad_enabled, no_grad
from dlpath.engine.gradcheck import GradcheckError, gradcheck
from dlpath.engine.tape import GradientTape
from dlpath.engine.tensor import Tensor
from dlpath.engine.variable import Variable

__all__ = [
    "Tensor", "Variable", "Function", "no_grad", "enable_grad", "is_grad_enabled",
    "gradcheck", "GradcheckError", "GradientTape", "ops", "activations", "losses", "ctc",
]
