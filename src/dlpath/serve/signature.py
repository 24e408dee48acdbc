"""The served model's metadata, with every named input and output (its signature).

`Served.metadata` says how people's inputs reach the model (``kind``, ``image``,
``classes``) and describes its first input and output (``"input"``, ``"output"``).
`metadata` adds the whole signature, in the model's order::

    "inputs":  [{"name": "features", "shape": [-1, 4], "dtype": "float32", "id_limit": null},
                {"name": "tokens", "shape": [-1, 6], "dtype": "int64", "id_limit": 50}]
    "outputs": [{"name": "label", "shape": [-1, 3]}, {"name": "score", "shape": [-1, 1]}]

A model with several inputs takes no image or text (``POST /predict`` refuses it): its
``kind`` is "tensor", ``image`` is null, and so is ``"input"``; a model with several
outputs has a null ``"output"``. A model with one input and one output keeps ``"input"``
and ``"output"`` as they are.
"""

from __future__ import annotations


def metadata(served) -> dict:
    predictor = served.predictor
    meta = served.metadata()
    meta["inputs"] = [spec.describe() for spec in predictor.inputs]
    meta["outputs"] = [spec.describe() for spec in predictor.outputs]
    if len(predictor.inputs) > 1:
        meta.update(kind="tensor", image=None, input=None)
    if len(predictor.outputs) > 1:
        meta["output"] = None
    return meta
