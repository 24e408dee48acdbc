"""More Keras losses, one module per family, built on `dlpath.losses`' base classes.

    probabilistic  KLDivergence, Poisson, CategoricalGeneralizedCrossEntropy
    regression     CosineSimilarity, LogCosh, MeanAbsolutePercentageError,
                   MeanSquaredLogarithmicError
    hinge          Hinge, SquaredHinge, CategoricalHinge
    focal          BinaryFocalCrossentropy, CategoricalFocalCrossentropy
    overlap        Dice, Tversky
    ctc            CTC
    metric_learning  Circle

Every per-sample function is composed of engine ops, so it is differentiable. They are all
re-exported (and looked up by name) from `dlpath.losses`, which is loaded first here so that
the base classes exist before any family module asks for them.
"""

import dlpath.losses  # noqa: F401  (the base classes, and the registry that lists these)
