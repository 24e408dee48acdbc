"""scikit-learn estimators around dlpath models: `KerasClassifier`, `KerasRegressor`.

The tf.keras 2 wrappers (``keras.wrappers.scikit_learn``), with scikeras' spellings too:

- ``KerasClassifier(build_fn=make_model, epochs=5, batch_size=32, units=64)``: every
  keyword is a parameter (``get_params`` / ``set_params``, so ``clone``, ``GridSearchCV``
  and ``cross_val_score`` work). At ``fit`` a new model is built by ``build_fn`` with the
  parameters its signature names, and trained with those ``Model.fit`` accepts; ``predict``
  and ``evaluate`` get theirs the same way (tf.keras 2's routing).
- scikeras' ``model=`` (a function or a `Model`, cloned with new weights at each ``fit``)
  and prefixed parameters: ``model__units`` goes to the build function only, ``fit__``,
  ``predict__`` and ``compile__`` to those calls; ``optimizer``, ``loss`` and ``metrics``
  compile a model that the build function (or the given `Model`) left uncompiled.

A classifier encodes any labels (strings included) as ``0..n-1`` (``classes_``), one-hot
when the loss is ``categorical_crossentropy``; ``predict`` decodes them, ``predict_proba``
returns one column per class, and ``score`` is the accuracy. A regressor's ``score`` is
the coefficient of determination :math:`R^2` (scikit-learn's), not tf.keras 2's
negative loss, so that model selection compares like with like.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, r2_score

_PREFIXES = ("model__", "fit__", "predict__", "compile__")
_COMPILE_NAMES = ("optimizer", "loss", "metrics")


def _accepted(function) -> set:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return set()
    return {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _takes_kwargs(function) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind == p.VAR_KEYWORD for p in parameters)


class _KerasWrapper(BaseEstimator):
    """Parameters, routing and model building shared by both estimators."""

    def __init__(self, build_fn=None, model=None, **sk_params):
        self.build_fn = build_fn
        self.model = model
        self.sk_params = sk_params
        self._check_params(sk_params)

    # ------------------------------------------------------------ parameters
    def _builder(self):
        return self.build_fn if self.build_fn is not None else self.model

    def _legal_names(self) -> set:
        from dlpath.models import Sequential

        names = set(_COMPILE_NAMES)
        for method in (Sequential.fit, Sequential.predict, Sequential.evaluate):
            names |= _accepted(method)
        builder = self._builder()
        if callable(builder) and not inspect.isclass(builder) and not hasattr(
                builder, "fit"):
            names |= _accepted(builder)
        elif inspect.isclass(builder):
            names |= _accepted(builder.__call__)
        return names - {"self", "x", "y"}

    def _check_params(self, params: dict) -> None:
        builder = self._builder()
        open_ended = callable(builder) and _takes_kwargs(builder)
        legal = self._legal_names()
        for name in params:
            if name.startswith(_PREFIXES) or open_ended:
                continue
            if name not in legal:
                raise ValueError(f"{type(self).__name__}: {name!r} is not a legal parameter: "
                                 f"it is not an argument of the build function, of "
                                 f"Model.fit, predict or evaluate, or one of "
                                 f"{list(_COMPILE_NAMES)} (prefix it with 'model__' to "
                                 f"pass it to the build function anyway)")

    def get_params(self, deep=True) -> dict:
        params = dict(self.sk_params)
        params["build_fn"] = self.build_fn
        # The fitted model that tf.keras 2's ``.model`` names is no parameter.
        fitted = self.build_fn is not None and self.model is getattr(self, "model_", None)
        params["model"] = None if fitted else self.model
        return params

    def set_params(self, **params):
        for key in ("build_fn", "model"):
            if key in params:
                setattr(self, key, params.pop(key))
        self._check_params(params)
        self.sk_params.update(params)
        return self

    def __sklearn_clone__(self):
        return type(self)(**copy.copy(self.get_params(deep=False)))

    def _routed(self, prefix: str, function, extra=None) -> dict:
        """Parameters for ``function``: unprefixed ones its signature names (tf.keras 2),
        then the ``prefix``-ed ones (scikeras), then ``extra``."""
        accepted = _accepted(function)
        result = {k: v for k, v in self.sk_params.items()
                  if not k.startswith(_PREFIXES) and k in accepted}
        result.update({k[len(prefix):]: v for k, v in self.sk_params.items()
                       if k.startswith(prefix)})
        result.update(extra or {})
        return result

    # ------------------------------------------------------------ the model
    def _build(self, n_outputs_hint=None):
        from dlpath.models import Model
        from dlpath.models.clone import clone_model

        builder = self._builder()
        if builder is None and not callable(self):
            raise ValueError(f"{type(self).__name__}: give build_fn= (or model=): a function "
                             f"that returns a compiled model, or a Model")
        if builder is None:  # tf.keras 2: a subclass may define __call__ as the builder
            model = self.__call__(**self._routed("model__", self.__call__))
        elif isinstance(builder, Model):
            model = clone_model(builder)
            if builder.compiled:
                self._compile_like(model, builder)
        elif callable(builder):
            call = builder.__call__ if inspect.isclass(builder) else builder
            params = self._routed("model__", call)
            if _takes_kwargs(call):
                params.update({k: v for k, v in self.sk_params.items()
                               if not k.startswith(_PREFIXES) and k not in params
                               and k not in _COMPILE_NAMES})
            model = builder()(**params) if inspect.isclass(builder) else builder(**params)
        else:
            raise TypeError(f"{type(self).__name__}: build_fn (or model) must be a function "
                            f"returning a model, or a Model, got {type(builder).__name__}")
        if not isinstance(model, Model):
            raise TypeError(f"{type(self).__name__}: the build function returned a "
                            f"{type(model).__name__}, expected a dlpath Model")
        self._compile_if_needed(model)
        return model

    @staticmethod
    def _compile_like(model, source) -> None:
        from dlpath import optimizers

        config = source._compile_config
        model.compile(optimizer=optimizers.deserialize(optimizers.serialize(source.optimizer)),
                      loss=config["loss"], loss_weights=config["loss_weights"],
                      metrics=config["metrics"], weighted_metrics=config["weighted_metrics"])

    def _compile_if_needed(self, model) -> None:
        asked = {k: self.sk_params[k] for k in _COMPILE_NAMES if k in self.sk_params}
        asked.update({k[len("compile__"):]: v for k, v in self.sk_params.items()
                      if k.startswith("compile__")})
        if model.compiled and not asked:
            return
        if "loss" not in asked and not model.compiled:
            raise ValueError(f"{type(self).__name__}: the model is not compiled; compile it "
                             f"in the build function or pass loss= (and optimizer=, "
                             f"metrics=) to the wrapper")
        if model.compiled:
            base = dict(model._compile_config, optimizer=model.optimizer)
            asked = {**base, **asked}
        asked.setdefault("optimizer", "rmsprop")
        model.compile(**asked)

    # ------------------------------------------------------------ fit / predict
    def _new_model(self):
        """A freshly built model; with ``build_fn`` it is also ``self.model``, where
        tf.keras 2 kept the fitted model (``grid.best_estimator_.model.evaluate(...)``)."""
        model = self._build()
        if self.build_fn is not None:
            self.model = model
        return model

    def _fit_model(self, x, y, **kwargs):
        from dlpath.models import Sequential

        self.model_ = self._new_model()
        params = self._routed("fit__", Sequential.fit, kwargs)
        params.setdefault("verbose", 0)
        self.history_ = self.model_.fit(np.asarray(x), y, **params)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet; "
                                 f"call fit(x, y) first")

    def _raw_predict(self, x, **kwargs):
        from dlpath.models import Sequential

        self._check_fitted()
        params = self._routed("predict__", Sequential.predict, kwargs)
        params.setdefault("verbose", 0)
        return np.asarray(self.model_.predict(np.asarray(x), **params))


class KerasClassifier(ClassifierMixin, _KerasWrapper):
    """A scikit-learn classifier around a dlpath model (see the module docstring).

    Args:
        build_fn: a function (or callable class) returning a compiled model.
        model: scikeras' spelling: such a function, or a `Model` (cloned at each fit).
        **sk_params: parameters of the build function, of ``fit`` / ``predict`` /
            ``evaluate`` (``epochs``, ``batch_size``, ``verbose``...), ``optimizer``,
            ``loss``, ``metrics``, or prefixed ``model__``/``fit__``/``predict__``/
            ``compile__`` ones.
    """

    def fit(self, x, y, **kwargs):
        """Build a new model and train it on ``x`` and labels ``y`` (any labels, or
        one-hot rows)."""
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
            encoded = y
        elif y.ndim <= 2:
            y = y.reshape(-1)
            self.classes_, encoded = np.unique(y, return_inverse=True)
        else:
            raise ValueError(f"KerasClassifier.fit: y must be labels (n,) or one-hot rows "
                             f"(n, classes), got shape {y.shape}")
        self.n_classes_ = len(self.classes_)
        self._one_hot_input = encoded.ndim == 2
        self.model_ = self._new_model()
        if not self._one_hot_input and self._wants_one_hot(self.model_):
            from dlpath.preprocessing import to_categorical

            encoded = to_categorical(encoded, self.n_classes_)
        from dlpath.models import Sequential

        params = self._routed("fit__", Sequential.fit, kwargs)
        params.setdefault("verbose", 0)
        self.history_ = self.model_.fit(np.asarray(x), encoded, **params)
        return self

    @staticmethod
    def _wants_one_hot(model) -> bool:
        loss = (model._compile_config or {}).get("loss")
        name = loss if isinstance(loss, str) else getattr(loss, "__name__", None) or \
            type(loss).__name__
        return str(name).lower().replace("_", "") == "categoricalcrossentropy"

    def predict_proba(self, x, **kwargs):
        """Class probabilities, ``(n, n_classes)`` (two columns for one sigmoid unit)."""
        probabilities = self._raw_predict(x, **kwargs)
        if probabilities.ndim == 1 or probabilities.shape[1] == 1:
            positive = probabilities.reshape(-1, 1)
            probabilities = np.hstack([1 - positive, positive])
        return probabilities

    def predict(self, x, **kwargs):
        """The most probable class of each sample, as the labels given to ``fit``."""
        probabilities = self.predict_proba(x, **kwargs)
        return self.classes_[np.argmax(probabilities, axis=1)]

    def score(self, x, y, sample_weight=None):
        """The accuracy of ``predict(x)`` against ``y`` (labels or one-hot rows)."""
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            y = self.classes_[np.argmax(y, axis=1)]
        return float(accuracy_score(y.reshape(-1), self.predict(x),
                                    sample_weight=sample_weight))


class KerasRegressor(RegressorMixin, _KerasWrapper):
    """A scikit-learn regressor around a dlpath model (see the module docstring)."""

    def fit(self, x, y, **kwargs):
        """Build a new model and train it to predict ``y`` from ``x``."""
        return self._fit_model(x, np.asarray(y), **kwargs)

    def predict(self, x, **kwargs):
        """The model's outputs, squeezed to ``(n,)`` for one output."""
        prediction = self._raw_predict(x, **kwargs)
        return prediction.reshape(-1) if prediction.ndim == 2 and prediction.shape[1] == 1 \
            else prediction

    def score(self, x, y, sample_weight=None):
        """The coefficient of determination :math:`R^2` of ``predict(x)``."""
        return float(r2_score(np.asarray(y), self.predict(x), sample_weight=sample_weight))


__all__ = ["KerasClassifier", "KerasRegressor"]
