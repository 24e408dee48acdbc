"""Hyperparameter search with Optuna: one trial = one short training run of a recipe.

1. The recipe declares its search space: ``recipe.search_space(trial)`` returns config
   overrides drawn from the trial (``trial.suggest_float("learning_rate", 1e-4, 1e-2,
   log=True)``, ...); a recipe without one gets `default_search_space` (learning rate,
   batch size).
2. Each trial builds the recipe's config from the fixed settings plus the drawn ones,
   trains it with the recipe's own ``train`` and returns the best validation accuracy
   (``recipe.tuning_monitor``, default ``val_accuracy``) over its epochs.
3. After each epoch the trial reports that accuracy; the pruner (median by default) stops
   trials that do worse than the others did at the same epoch (`OptunaPruningCallback`).
4. Trials are stored in an Optuna storage (SQLite by default) under a study name, so a
   search that is stopped can be resumed: running it again adds trials to the same study.
   The study records its recipe, metric and fixed settings; adding trials with other
   settings is refused (`check_settings`), since their values would not be comparable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dlpath import random as dlrandom
from dlpath.tuning.pruning import OptunaPruningCallback
from dlpath.workflow.errors import UsageError

DEFAULT_MONITOR = "val_accuracy"


def default_search_space(trial) -> dict:
    """The search space of a recipe that declares none: learning rate and batch size."""
    return {
        "learning_rate": trial.suggest_float("learning_rate", 1e-4, 1e-2, log=True),
        "batch_size": trial.suggest_categorical("batch_size", [16, 32, 64, 128]),
    }


def search_space_of(recipe):
    """The recipe's ``search_space`` method, else `default_search_space`."""
    return getattr(recipe, "search_space", None) or default_search_space


@dataclass
class TrialRun:
    """What a recipe's ``train(run, config, data)`` gets in a trial: no run folder."""

    model: object
    callbacks: list = field(default_factory=list)
    initial_epoch: int = 0
    verbose: int = 0
    extra: dict = field(default_factory=dict)


def monitor_of(recipe) -> str:
    """The quantity a search of ``recipe`` maximizes (its ``tuning_monitor``)."""
    return getattr(recipe, "tuning_monitor", DEFAULT_MONITOR)


def make_objective(recipe, fixed: dict, verbose: int = 0):
    """The function Optuna maximizes: train ``recipe`` with ``fixed`` + the trial's drawn
    settings and return the best ``recipe.tuning_monitor`` of its epochs."""
    space = search_space_of(recipe)
    monitor = monitor_of(recipe)

    def objective(trial) -> float:
        drawn = space(trial)
        config = recipe.make_config({**drawn, **fixed})
        dlrandom.set_seed(config.seed)
        data = recipe.load_data(config)
        model = recipe.build_model(config, data)
        pruning = OptunaPruningCallback(trial, monitor=monitor)
        recipe.train(TrialRun(model=model, callbacks=[pruning], verbose=verbose),
                     config, data)
        if pruning.best == float("-inf"):
            raise ValueError(f"trial {trial.number} logged no finite '{monitor}'")
        return pruning.best

    return objective


def create_study(storage: str, study_name: str, pruner=None, seed: int = 0):
    """The study ``study_name`` in ``storage``, created or loaded (to resume a search).

    The sampler's seed is ``seed`` plus the number of trials already stored, so that a
    resumed search draws new points instead of repeating the first ones.
    """
    import optuna

    if pruner is None:
        pruner = optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0)
    existing = 0
    try:
        existing = len(optuna.load_study(study_name=study_name, storage=storage).trials)
    except KeyError:  # no such study yet
        pass
    sampler = optuna.samplers.TPESampler(seed=seed + existing)
    return optuna.create_study(storage=storage, study_name=study_name, direction="maximize",
                               sampler=sampler, pruner=pruner, load_if_exists=True)


def check_settings(study, recipe, fixed: dict) -> None:
    """Record the study's recipe, metric and fixed settings, or refuse other ones.

    Settings are compared by their values in the recipe's config, so that ``--epochs 15``
    and no ``--epochs`` (the default, 15) are the same setting.
    Raises `UsageError` when the study was made with another recipe or other settings.
    """
    attrs = study.user_attrs
    if "recipe" not in attrs:  # a new study (or one made before studies recorded this)
        study.set_user_attr("recipe", recipe.name)
        study.set_user_attr("metric", monitor_of(recipe))
        study.set_user_attr("settings", _settings(recipe, fixed))
        return
    again = "give --study-name NAME for a new study, or the same settings to add trials"
    if attrs["recipe"] != recipe.name:
        raise UsageError(f"study '{study.study_name}' searches recipe '{attrs['recipe']}', "
                         f"not '{recipe.name}'; {again}")
    stored = dict(attrs.get("settings", {}))
    ours, theirs = recipe.make_config(fixed), recipe.make_config(stored)
    differ = [key for key in sorted(set(stored) | set(fixed))
              if getattr(ours, key) != getattr(theirs, key)]
    if differ:
        was = ", ".join(f"{key}={getattr(theirs, key)}" for key in differ)
        now = ", ".join(f"{key}={getattr(ours, key)}" for key in differ)
        raise UsageError(f"study '{study.study_name}' was run with {was}; this search asks "
                         f"for {now}, whose values would not be comparable; {again}")


def _settings(recipe, fixed: dict) -> dict:
    """The fixed settings as their config values (JSON numbers, text or booleans)."""
    config = recipe.make_config(fixed)
    return {key: getattr(config, key) for key in sorted(fixed)}


def tune(recipe, trials: int, storage: str, study_name: str, fixed: dict | None = None,
         timeout: float | None = None, pruner=None, verbose: int = 0, log=print,
         after_trial=None):
    """Run ``trials`` more trials of ``recipe`` (or until ``timeout`` seconds); the study.

    ``after_trial(study, trial)`` is called after each trial (to keep a summary current).
    """
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    fixed = dict(fixed or {})
    seed = recipe.make_config(fixed).seed
    study = create_study(storage, study_name, pruner=pruner, seed=seed)
    check_settings(study, recipe, fixed)
    monitor = monitor_of(recipe)

    def announce(study, trial):
        state = trial.state.name.lower()
        if trial.state == optuna.trial.TrialState.PRUNED:
            state = f"pruned after {len(trial.intermediate_values)} epoch(s)"
        value = "" if trial.value is None else f", {monitor} {trial.value:.4f}"
        log(f"trial {trial.number}: {state}{value}; {format_params(trial.params)}")
        if after_trial is not None:
            after_trial(study, trial)

    study.optimize(make_objective(recipe, fixed, verbose=verbose), n_trials=trials,
                   timeout=timeout, callbacks=[announce], gc_after_trial=False)
    return study


def format_params(params: dict) -> str:
    """``name=value, ...`` with floats to 3 significant digits."""
    return ", ".join(f"{key}={format_value(value)}" for key, value in params.items())


def format_value(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def best_trial_or_none(study):
    """The best completed trial, or None when no trial has completed."""
    import optuna

    completed = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    return study.best_trial if completed else None
