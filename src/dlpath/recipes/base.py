"""What a recipe is: a named, runnable deep-learning project with its configuration.

A recipe says where its data comes from (`load_data`, returning train/validation/test
splits), what model it trains (`build_model`, compiled), and what it should reach
(`expected`). The `dlpath train` command runs any recipe the same way; a recipe that needs
its own loop (a GAN) overrides `train`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass
class RecipeConfig:
    """Settings every recipe has; a recipe's own Config dataclass extends this one."""

    epochs: int = 5
    batch_size: int = 32
    learning_rate: float = 1e-3
    seed: int = 0
    # Use only this many training samples (0: all): for quick runs and tests.
    train_limit: int = 0
    # Use only this many validation and test samples (0: all): for quick runs and tests.
    eval_limit: int = 0
    # Magnitude-prune the kernels to this sparsity while training (0: off); see
    # dlpath.export.pruning.
    prune: float = 0.0


@dataclass
class DataSplits:
    """Train, validation and test arrays, and the names of the classes."""

    train: tuple
    validation: tuple
    test: tuple
    class_names: list = field(default_factory=list)
    # "image" (H, W[, C]) arrays, "sequence" of token ids, or "vector".
    kind: str = "image"


class Recipe:
    """Base class of recipes. Subclasses set the class attributes and the two builders."""

    name: str = ""
    description: str = ""
    dataset: str = ""
    # The metric the recipe is judged by and the value a full run should reach.
    expected: dict = {}
    Config: type = RecipeConfig

    def make_config(self, overrides: dict | None = None):
        """The recipe's config with ``overrides`` applied, each checked and converted."""
        config = self.Config()
        known = {f.name: f for f in dataclasses.fields(config)}
        for key, value in (overrides or {}).items():
            if key not in known:
                raise ValueError(f"recipe '{self.name}' has no setting '{key}'; settings: "
                                 f"{', '.join(sorted(known))}")
            setattr(config, key, _convert(key, value, type(getattr(config, key))))
        prune = getattr(config, "prune", 0.0)
        if not 0.0 <= prune < 1.0:
            raise ValueError(f"setting 'prune' is a sparsity in [0, 1), got {prune}")
        if prune and type(self).train is not Recipe.train:
            raise ValueError(f"recipe '{self.name}' trains with its own loop; setting "
                             f"'prune' works with the recipes that train with fit")
        return config

    def load_data(self, config) -> DataSplits:  # pragma: no cover - overridden
        raise NotImplementedError

    def build_model(self, config, data: DataSplits):  # pragma: no cover - overridden
        raise NotImplementedError

    def preprocess(self, config, samples):
        """Raw samples (as the data set stores them; texts for text recipes) -> model inputs.

        ``dlpath predict`` uses it; a recipe's ``load_data`` should prepare data the same way.
        """
        return samples

    def train(self, run, config, data: DataSplits):
        """Train ``run.model`` with ``fit``; ``run`` supplies callbacks and the start epoch."""
        x, y = data.train
        callbacks = list(run.callbacks)
        # --set prune=S: sparsity logged each epoch, the final report in the extra metrics.
        if getattr(config, "prune", 0.0):
            from dlpath.export.pruning import recipe_callbacks
            from dlpath.recipes._run_outputs import record_extra

            callbacks = recipe_callbacks(config, len(x), lambda report: record_extra(
                run, report)) + callbacks
        return run.model.fit(x, y, batch_size=config.batch_size, epochs=config.epochs,
                             validation_data=data.validation, callbacks=callbacks,
                             initial_epoch=run.initial_epoch, verbose=run.verbose)


def _convert(key: str, value, kind: type):
    """``value`` (often a string from the command line) as the setting's type."""
    if isinstance(value, kind):
        return value
    try:
        if kind is bool:
            text = str(value).lower()
            if text not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError
            return text in ("true", "1", "yes")
        return kind(value)
    except (TypeError, ValueError):
        name = kind.__name__
        article = "an" if name[0] in "aeiou" else "a"
        raise ValueError(f"setting '{key}' expects {article} {name}, got {value!r}") from None
