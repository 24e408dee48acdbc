"""`LambdaCallback`: a callback made of plain functions."""

from __future__ import annotations

from dlpath.callbacks.callback import Callback

_HOOKS = tuple(name for name in vars(Callback) if name.startswith("on_"))


class LambdaCallback(Callback):
    """A callback whose hooks are the functions given (Keras
    ``keras.callbacks.LambdaCallback``).

    The functions take the hooks' arguments: ``on_epoch_begin(epoch, logs)``,
    ``on_epoch_end(epoch, logs)``, ``on_train_begin(logs)``, ``on_train_end(logs)``,
    ``on_train_batch_begin(batch, logs)``, ``on_train_batch_end(batch, logs)``. Any other
    hook can be given by name: tf.keras 2's ``on_batch_begin``/``on_batch_end``,
    ``on_test_end``, ``on_predict_batch_end``, ...

    Example::

        print_loss = LambdaCallback(
            on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end)
        unknown = sorted(name for name in kwargs if name not in _HOOKS)
        if unknown:
            raise TypeError(f"LambdaCallback: unknown hook(s) {unknown}; expected names "
                            f"among {sorted(_HOOKS)}")
        hooks.update(kwargs)
        for name, function in hooks.items():
            if function is None:
                continue
            if not callable(function):
                raise TypeError(f"LambdaCallback: {name} must be callable, got "
                                f"{type(function).__name__}")
            setattr(self, name, function)
