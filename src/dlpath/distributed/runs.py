"""`Workers`: what ``dlpath train`` does differently when it runs as N MPI ranks.

Every rank loads the data and builds (or loads) the same model; its optimizer becomes a
`DistributedOptimizer`, so ``fit`` trains data-parallel with the recipe's ``batch_size`` as
the GLOBAL batch (``--workers 2 --batch-size 64`` trains as ``--batch-size 64`` in one
process). Rank 0 alone makes the run folder (its path is broadcast to the others), prints,
writes the metrics files and the checkpoints, and finishes the run (evaluation, report,
``model.keras``); the other ranks stop after ``fit``. A checkpoint holds a plain optimizer
(same class, config and state), so a run resumes under any number of workers.
"""

from __future__ import annotations

from dlpath.distributed import collectives
from dlpath.distributed.context import Context, init


def _silent(*args, **kwargs) -> None:
    return None


def trains_with_fit(recipe) -> bool:
    """Whether ``recipe.train`` is the base class's (``fit``) or its code calls ``fit``
    (directly or through ``super().train``); a recipe whose own loop updates the weights
    (a GAN) is not data-parallel."""
    import inspect

    from dlpath.recipes.base import Recipe

    train = type(recipe).train
    if train is Recipe.train:
        return True
    try:
        source = inspect.getsource(train)
    except (OSError, TypeError):
        return False
    return ".fit(" in source or "super().train(" in source


class Workers:
    """This process's part in a recipe's run: rank 0 writes, every rank trains."""

    def __init__(self, context: Context, log=print):
        self.context = context
        self.log = log if context.is_root else _silent

    @classmethod
    def start(cls, recipe, log=print) -> "Workers":
        """The workers of this run; a recipe with its own training loop needs one worker.

        Raises:
            UsageError: several workers for a recipe that does not train with ``fit``.
        """
        context = init()
        if context.distributed and not trains_with_fit(recipe):
            from dlpath.workflow.errors import UsageError

            raise UsageError(f"recipe '{recipe.name}' trains with its own loop, not with "
                             f"fit; it runs as one worker (not {context.size})")
        return cls(context, log)

    @property
    def is_root(self) -> bool:
        return self.context.is_root

    def prepare(self, model):
        """``model`` with its optimizer averaging gradients over the workers (if several)."""
        if self.context.distributed:
            from dlpath.distributed.optimizer import DistributedOptimizer

            model.optimizer = DistributedOptimizer(model.optimizer, context=self.context)
        return model

    def run_folder(self, create, open_folder):
        """Rank 0's ``create()``; the other ranks ``open_folder(its path)`` without writing."""
        folder = create() if self.is_root else None
        path = str(folder.path) if folder is not None else ""
        path = collectives.broadcast_text(self.context, path, "rank 0's run folder")
        return folder if folder is not None else open_folder(path)

    def write_json(self, path, value) -> None:
        """``files.write_json`` on rank 0 only."""
        if self.is_root:
            from dlpath.workflow import files

            files.write_json(path, value)
