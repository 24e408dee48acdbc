"""The request and response bodies of TensorFlow Serving's REST predict API.

    POST /v1/models/{name}:predict
    {"instances": [x1, x2, ...]}         row format: each x is one input of the model's shape
                                         (or {"<input name>": x}); -> {"predictions": [...]}
    {"inputs": [[...], ...]}             columnar: the whole batch as one array (or
                                         {"<input name>": array});     -> {"outputs": [...]}
    "signature_name": "serving_default"  optional

Errors are ``{"error": "..."}``: 400 for a body that is not such a request (malformed JSON,
NaN or Infinity, missing or empty ``instances``), 422 for a request whose inputs do not fit
the model (shape, dtype, token ids out of range, values that overflow float32).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

SIGNATURE = "serving_default"


class RequestError(ValueError):
    """A request the server refuses, with its HTTP status and a message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class PredictRequest:
    x: np.ndarray       # (N, *input shape), of the model's dtype
    columnar: bool      # answer {"outputs": ...} rather than {"predictions": ...}


def parse_json(body: bytes):
    """The JSON value of ``body``; NaN, Infinity and malformed text are 400 errors."""
    def no_constants(name):
        raise RequestError(400, f"malformed JSON: {name} is not a JSON number (send finite "
                           f"numbers)")

    try:
        return json.loads(body, parse_constant=no_constants)
    except UnicodeDecodeError:
        raise RequestError(400, "malformed JSON: the body is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise RequestError(400, f"malformed JSON: {error.msg} at line {error.lineno} "
                           f"column {error.colno}") from None
    except RecursionError:
        raise RequestError(400, "malformed JSON: nested too deeply") from None


def parse_predict(body: bytes, spec) -> PredictRequest:
    """A predict request checked against the model's `InputSpec`."""
    value = parse_json(body)
    if not isinstance(value, dict):
        raise RequestError(400, f"expected a JSON object with 'instances' or 'inputs', got "
                           f"{_kind(value)}")
    signature = value.get("signature_name", SIGNATURE)
    if signature != SIGNATURE:
        raise RequestError(400, f"signature_name: only {SIGNATURE!r} is served, got "
                           f"{signature!r}")
    unknown = sorted(set(value) - {"instances", "inputs", "signature_name"})
    if unknown:
        raise RequestError(400, f"unknown key(s) {unknown}; expected 'instances' or 'inputs'")
    if ("instances" in value) == ("inputs" in value):
        raise RequestError(400, "expected exactly one of 'instances' (row format) and "
                           "'inputs' (columnar format)")
    if "instances" in value:
        rows = value["instances"]
        if not isinstance(rows, list):
            raise RequestError(400, f"instances: expected a list, got {_kind(rows)}")
        if not rows:
            raise RequestError(400, "instances: expected at least one instance, got an "
                               "empty list")
        rows = [_named(row, spec, f"instances[{i}]") for i, row in enumerate(rows)]
        return PredictRequest(to_array(rows, spec, "instances"), columnar=False)
    batch = _named(value["inputs"], spec, "inputs")
    if not isinstance(batch, list) or not batch:
        raise RequestError(400, f"inputs: expected a non-empty list (the batch), got "
                           f"{_kind(batch)}")
    return PredictRequest(to_array(batch, spec, "inputs"), columnar=True)


def _named(item, spec, where: str):
    """``{"<input name>": x}`` -> x; anything else is taken as x itself."""
    if not isinstance(item, dict):
        return item
    if list(item) != [spec.name]:
        raise RequestError(400, f"{where}: expected the input {spec.name!r}, got the keys "
                           f"{sorted(item)}")
    return item[spec.name]


def to_array(rows: list, spec, where: str) -> np.ndarray:
    """``rows`` as an (N, *shape) array of the spec's dtype, or a 422 saying what differs."""
    expected = "(N, " + ", ".join("?" if s is None else str(s) for s in spec.shape) + ")"
    try:
        array = np.asarray(rows)
    except (ValueError, OverflowError):  # ragged lists, or ints beyond 64 bits
        raise RequestError(422, f"{where}: expected a rectangular array of shape {expected} "
                           f"(the instances differ in shape, or hold numbers too large)") \
            from None
    if array.dtype == object or array.dtype.kind in "USb":
        raise RequestError(422, f"{where}: expected {spec.dtype.name} numbers, got "
                           f"{_array_kind(array)}")
    if array.ndim != len(spec.shape) + 1 or any(
            s is not None and s != a for s, a in zip(spec.shape, array.shape[1:])):
        raise RequestError(422, f"{where}: expected shape {expected}, got "
                           f"{tuple(array.shape)}")
    if spec.is_integer:
        return _ids(array, spec, where)
    with np.errstate(over="ignore"):
        x = array.astype(spec.dtype)
    if not np.isfinite(x).all():
        raise RequestError(422, f"{where}: values overflow {spec.dtype.name} (finite values "
                           f"up to {np.finfo(spec.dtype).max:.3g} expected)")
    return x


def _ids(array: np.ndarray, spec, where: str) -> np.ndarray:
    if array.dtype.kind not in "iu":
        raise RequestError(422, f"{where}: expected integer token ids ({spec.dtype.name}), "
                           f"got {array.dtype.name} numbers")
    limit = spec.id_limit
    if array.size and (array.min() < 0 or (limit is not None and array.max() >= limit)):
        bound = f"[0, {limit})" if limit is not None else ">= 0"
        raise RequestError(422, f"{where}: token ids must be in {bound}, got values from "
                           f"{array.min()} to {array.max()}")
    return array.astype(spec.dtype)


def predict_response(outputs: np.ndarray, columnar: bool) -> dict:
    values = np.asarray(outputs, dtype=np.float32).tolist()
    return {"outputs": values} if columnar else {"predictions": values}


def _kind(value) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
             type(None): "null", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _array_kind(array: np.ndarray) -> str:
    return {"U": "strings", "S": "strings", "b": "booleans"}.get(array.dtype.kind,
                                                                 "mixed values")
