"""The model server: a FastAPI app over a `Predictor` and a dynamic `Batcher`.

``dlpath serve RUN_DIR|MODEL_FILE`` runs it (`dlpath.commands.serve`). The app
(`app.create_app`) does validation and HTTP, the batcher (`batcher.Batcher`) queueing, the
predictor (`predictor`) the math; `source` says what is served, `human` turns images and
texts into model inputs as at training, `schemas` reads TensorFlow Serving's REST format.
FastAPI, uvicorn and prometheus-client are imported only here, never by ``import dlpath``.
"""

from dlpath.serve.predictor import BACKENDS, InputSpec, Predictor, ServeError, load_predictor
from dlpath.serve.settings import Settings
from dlpath.serve.source import Served, Source, find_source

__all__ = ["BACKENDS", "InputSpec", "Predictor", "ServeError", "Served", "Settings",
           "Source", "find_source", "load_predictor"]
