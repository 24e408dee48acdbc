from dlpath import keras


class StopAtTarget(keras.callbacks.Callback):
    """Stop training at the end of the first epoch whose logs[monitor] >= target.

    Attributes, set again at the start of every fit (on_train_begin):
        values: the monitored value of each epoch seen, as floats, in order;
        stopped_epoch: the 0-based epoch at whose end it stopped training, or None.
    It stops training by setting self.model.stop_training = True. A monitor missing from
    the epoch's logs (e.g. 'val_accuracy' without validation data) raises a KeyError that
    names it.
    """

    def __init__(self, target, monitor="val_accuracy"):
        """Keep target and monitor; call the base class's __init__."""
        super().__init__()
        self.target = target
        self.monitor = monitor
        self.values = []
        self.stopped_epoch = None

    def on_train_begin(self, logs=None):
        """A fresh record for this fit: values = [], stopped_epoch = None."""
        self.values = []
        self.stopped_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        """Record logs[monitor]; at >= target, stop training and keep the epoch."""
        logs = logs or {}
        if self.monitor not in logs:
            raise KeyError(f"StopAtTarget: {self.monitor!r} is not in the epoch's logs "
                           f"{sorted(logs)}; validation metrics need validation_data")
        value = float(logs[self.monitor])
        self.values.append(value)
        if value >= self.target:
            self.stopped_epoch = epoch
            self.model.stop_training = True
