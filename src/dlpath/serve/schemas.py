"""The request and response bodies of TensorFlow Serving's REST predict API.

    POST /v1/models/{name}:predict
    {"instances": [x1, x2, ...]}         row format: each x is one input of the model's shape
                                         (or {"<input name>": x}); -> {"predictions": [...]}
    {"inputs": [[...], ...]}             columnar: the whole batch as one array (or
                                         {"<input name>": array});     -> {"outputs": [...]}
    "signature_name": "serving_default"  optional

A model with several inputs takes each instance as an object keyed by every input name,
``{"instances": [{"a": xa, "b": xb}, ...]}``, or the columns by name,
``{"inputs": {"a": [batch...], "b": [batch...]}}`` (every input with the same batch length).
A model with several outputs answers each prediction as an object keyed by output name,
``{"predictions": [{"y": ..., "z": ...}, ...]}``, or the columns by name,
``{"outputs": {"y": [batch...], "z": [batch...]}}``; with one output, the bare values.

Errors are ``{"error": "..."}``: 400 for a body that is not such a request (malformed JSON,
NaN or Infinity, missing or empty ``instances``, a missing or unknown input name), 422 for a
request whose inputs do not fit the model (shape, dtype, token ids out of range, values that
overflow float32, inputs of different batch lengths); each names the input it is about.
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
    inputs: tuple       # one (N, *input shape) array per model input, of its dtype, in order
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


def parse_predict(body: bytes, specs) -> PredictRequest:
    """A predict request checked against the model's `InputSpec`s (one per input)."""
    specs = tuple(specs)
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
        return PredictRequest(parse_instances(rows, specs), columnar=False)
    return PredictRequest(parse_columns(value["inputs"], specs), columnar=True)


def parse_instances(rows: list, specs: tuple) -> tuple:
    """The row format's non-empty list of instances as one array per input."""
    if len(specs) == 1:
        rows = [_named(row, specs[0], f"instances[{i}]") for i, row in enumerate(rows)]
        return (to_array(rows, specs[0], "instances"),)
    for i, row in enumerate(rows):
        check_names(row, specs, f"instances[{i}]")
    return tuple(to_array([row[spec.name] for row in rows], spec,
                          f"instances, input {spec.name!r}") for spec in specs)


def parse_columns(batch, specs: tuple) -> tuple:
    """The columnar format's ``inputs`` as one array per input, of one batch length."""
    if len(specs) == 1:
        batch = _named(batch, specs[0], "inputs")
        return (to_array(_column(batch, "inputs"), specs[0], "inputs"),)
    check_names(batch, specs, "inputs")
    arrays = tuple(to_array(_column(batch[spec.name], f"inputs[{spec.name!r}]"), spec,
                            f"inputs[{spec.name!r}]") for spec in specs)
    lengths = [len(array) for array in arrays]
    if len(set(lengths)) > 1:
        found = ", ".join(f"{spec.name!r}: {n}" for spec, n in zip(specs, lengths))
        raise RequestError(422, f"inputs: every input needs the same batch length, got "
                           f"{found}")
    return arrays


def check_names(item, specs: tuple, where: str) -> None:
    """``item`` must be an object with exactly the model's input names as keys."""
    names = [spec.name for spec in specs]
    if not isinstance(item, dict):
        raise RequestError(400, f"{where}: expected an object keyed by the model's "
                           f"{len(names)} input names {names}, got {_kind(item)}")
    missing = [name for name in names if name not in item]
    unknown = sorted(set(item) - set(names))
    for problem, found in (("missing", missing), ("unknown", unknown)):
        if found:
            raise RequestError(400, f"{where}: {problem} input(s) {found}; expected the "
                               f"inputs {names}, got {sorted(item)}")


def _column(batch, where: str) -> list:
    if not isinstance(batch, list) or not batch:
        raise RequestError(400, f"{where}: expected a non-empty list (the batch), got "
                           f"{_kind(batch)}")
    return batch


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


def predict_response(outputs: tuple, names: list, columnar: bool) -> dict:
    """The answer to a request: one output as bare values, several keyed by ``names``."""
    values = [np.asarray(output, dtype=np.float32).tolist() for output in outputs]
    if len(values) == 1:
        return {"outputs": values[0]} if columnar else {"predictions": values[0]}
    if columnar:
        return {"outputs": dict(zip(names, values))}
    return {"predictions": [dict(zip(names, row)) for row in zip(*values)]}


def _kind(value) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
             type(None): "null", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _array_kind(array: np.ndarray) -> str:
    return {"U": "strings", "S": "strings", "b": "booleans"}.get(array.dtype.kind,
                                                                 "mixed values")
