"""What is served: a run's model (or a model file), its name, input kind and class names.

`find_source` resolves the command line's RUN_DIR|MODEL_FILE quickly (a clear error for a
wrong path before the server starts); `Source.load` then loads the model into a
`Predictor` of the chosen backend — the slow part, done while the server already answers
``/livez``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dlpath.serve.predictor import Predictor, ServeError, load_predictor

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MODEL_SUFFIXES = (".keras", ".onnx")


@dataclass
class Source:
    """A model file and what its run says about it (``recipe``/``config`` are None for a
    bare model file)."""

    model_file: Path
    name: str
    recipe: object = None
    config: object = None
    kind: str | None = None  # "image", "sequence" or "vector"; None: from the input spec
    class_names: list = field(default_factory=list)

    def load(self, backend: str) -> "Served":
        predictor = load_predictor(self.model_file, backend)
        predictor.warm_up()
        return Served(self, predictor)


@dataclass
class Served:
    """A loaded, warmed-up model and how people's inputs reach it."""

    source: Source
    predictor: Predictor

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def kind(self) -> str:
        """"image" (pixels in), "text" (a review in), or "tensor" (only model inputs)."""
        spec, recipe = self.predictor.spec, self.source.recipe
        if self.source.kind == "sequence" or (self.source.kind is None and spec.is_integer):
            has_text = recipe is not None and type(recipe).preprocess is not _base_preprocess()
            return "text" if has_text else "tensor"
        if self.image_shape() is not None:
            return "image"
        return "tensor"

    def image_shape(self):
        """(H, W) or (H, W, C) of the pixels people send, or None for non-image models."""
        recipe = self.source.recipe
        if recipe is not None:
            shape = getattr(recipe, "image_shape", None)
            return tuple(shape) if shape is not None else None
        shape = self.predictor.spec.shape
        if self.predictor.spec.is_integer or None in shape:
            return None
        if len(shape) == 2 or (len(shape) == 3 and shape[2] in (1, 3)):
            return tuple(shape)
        return None

    def class_names(self) -> list:
        """One name per class; a single sigmoid unit has two classes."""
        units = 1
        for size in self.predictor.output_shape:
            units *= size or 1
        count = 2 if units == 1 else units
        names = list(self.source.class_names)
        return names if len(names) == count else [str(i) for i in range(count)]

    def metadata(self) -> dict:
        """What ``GET /v1/models/{name}`` says: how people's inputs reach the model
        (``kind``, ``image``, ``classes``), its first input and output (``"input"``,
        ``"output"``) and its whole signature in the model's order::

            "inputs":  [{"name": "features", "shape": [-1, 4], "dtype": "float32",
                         "id_limit": null}, {"name": "tokens", ...}]
            "outputs": [{"name": "label", "shape": [-1, 3]}, {"name": "score", ...}]

        A model with several inputs takes no image or text (``POST /predict`` refuses it):
        its ``kind`` is "tensor" and ``image`` and ``"input"`` are null; a model with several
        outputs has a null ``"output"``.
        """
        predictor = self.predictor
        inputs = [spec.describe() for spec in predictor.inputs]
        outputs = [spec.describe() for spec in predictor.outputs]
        several_inputs = len(inputs) > 1
        return {"name": self.name, "backend": predictor.backend,
                "kind": "tensor" if several_inputs else self.kind,
                "recipe": getattr(self.source.recipe, "name", None),
                "input": None if several_inputs else inputs[0],
                "output": outputs[0] if len(outputs) == 1 else None,
                "image": None if several_inputs else _image_meta(self.image_shape()),
                "classes": self.class_names(), "inputs": inputs, "outputs": outputs}

def _image_meta(shape):
    if shape is None:
        return None
    return {"height": shape[0], "width": shape[1],
            "channels": shape[2] if len(shape) == 3 else 1}


def _base_preprocess():
    from dlpath.recipes.base import Recipe

    return Recipe.preprocess


def find_source(target: str, name: str | None = None) -> Source:
    """The `Source` of a run (folder, run name or recipe name) or a model file."""
    path = Path(target)
    if path.is_file():
        if path.suffix.lower() not in MODEL_SUFFIXES:
            raise ServeError(f"{path}: expected a saved model ({', '.join(MODEL_SUFFIXES)}) "
                             f"or a run folder, got a {path.suffix or 'suffix-less'} file")
        source = Source(path, path.stem)
    else:
        source = _run_source(target)
    if name is not None:
        source.name = name
    if not NAME.match(source.name):
        raise ServeError(f"--name: expected letters, digits, '.', '_' or '-' (at most 64), "
                         f"got {source.name!r}")
    return source


def _run_source(target: str) -> Source:
    from dlpath.workflow import RunFolder, WorkflowError
    from dlpath.workflow.run import resolve

    folder = RunFolder.find(target)
    saved = folder.read_config()
    recipe, config = resolve(saved["recipe"], saved.get("config", {}))
    try:
        model = folder.model_file("serve")
    except WorkflowError as error:
        raise ServeError(str(error)) from None
    data = saved.get("data") or {}
    return Source(model, recipe.name, recipe, config, data.get("kind"),
                  list(data.get("class_names") or []))
