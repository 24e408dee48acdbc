"""What the optimizer labs' checks share: random shapes, a pair of results, and dlpath's
SGD run from a given state."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.optimizers import SGD


def random_shape(rng):
    return tuple(int(s) for s in rng.integers(1, 6, size=rng.integers(1, 4)))


def expect_pair(case, result):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("not_a_pair", type=type(result).__name__)
    return result


def dlpath_sgd(w, grads, velocity, rates, momentum=None, nesterov=False):
    """dlpath's SGD from (w, velocity), one update per gradient with the rate of that step:
    the list of (w, velocity) after each update. momentum=None: SGD's defaults."""
    variable = Tensor(w.copy(), dtype=w.dtype)
    kwargs = {} if momentum is None else {"momentum": momentum}
    if rates is not None:
        kwargs["learning_rate"] = rates[0]
    optimizer = SGD(nesterov=nesterov, **kwargs)
    optimizer.build([variable])
    if optimizer.momentum:
        state = optimizer.get_state()
        state["sgd/momentum/0"] = velocity
        optimizer.set_state(state)
    out = []
    for step, g in enumerate(grads):
        if rates is not None:
            optimizer.learning_rate = rates[step]
        optimizer.apply([g], [variable])
        v = (optimizer.get_state()["sgd/momentum/0"] if optimizer.momentum
             else -optimizer.learning_rate * g)
        out.append((variable.data.copy(), np.array(v, copy=True)))
    return out
