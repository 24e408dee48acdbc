"""``tf.io.decode_csv``: CSV records (strings) into one column per field, typed by
``record_defaults`` as TensorFlow does."""

from __future__ import annotations

import csv

import numpy as np

from dlpath.engine import Tensor


def _column_kind(default, index: int) -> tuple:
    """(NumPy dtype or None for strings, the default value or None if required)."""
    if isinstance(default, Tensor):
        default = default.data.tolist()
    if isinstance(default, np.ndarray):
        default = default.tolist()
    if isinstance(default, (list, tuple)):
        if len(default) > 1:
            raise ValueError(f"decode_csv: record_defaults[{index}] must hold at most one "
                             f"value, got {default!r}")
        if not default:  # an empty default: a required float32 field
            return np.dtype("float32"), None
        value = default[0]
        if isinstance(value, (bytes, str)):
            return None, value
        if isinstance(value, (bool, np.bool_)):
            return np.dtype(bool), value
        if isinstance(value, (int, np.integer)):
            return np.dtype("int32"), value
        return np.dtype("float32"), value
    dtype = np.dtype(getattr(default, "as_numpy_dtype", default))
    return (None if dtype.kind in "US" else dtype), None


def _parse(text: str, dtype, index: int, row: int):
    if dtype is None:
        return text
    try:
        if dtype.kind == "b":
            return {"true": True, "false": False}[text.strip().lower()]
        return int(text) if dtype.kind in "iu" else float(text)
    except (ValueError, KeyError):
        raise ValueError(f"decode_csv: field {index} of record {row} is {text!r}, not a "
                         f"{dtype.name}") from None


def decode_csv(records, record_defaults, field_delim: str = ",", use_quote_delim: bool = True,
               na_value: str = "", select_cols=None, name=None) -> list:
    """One column per entry of ``record_defaults``: a one-value list gives the column's
    type (int: int32, float: float32, str: string) and the value of empty (or
    ``na_value``) fields; a dtype, or ``[]`` (float32), makes the field required. Numeric
    columns are Tensors, string columns `StringArray` (str or bytes as the records are)."""
    from dlpath.tf_api.strings import _elements, _wrap

    array, is_bytes = _elements(records, "decode_csv")
    kinds = [_column_kind(default, i) for i, default in enumerate(record_defaults)]
    wanted = list(range(len(kinds))) if select_cols is None else [int(c) for c in select_cols]
    if select_cols is not None and len(wanted) != len(kinds):
        raise ValueError(f"decode_csv: select_cols names {len(wanted)} columns and "
                         f"record_defaults {len(kinds)}")
    columns: list = [[] for _ in kinds]
    quoting = csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE
    for row, record in enumerate(array.reshape(-1)):
        text = record.decode("utf-8") if is_bytes else record
        fields = next(csv.reader([text], delimiter=field_delim, quoting=quoting), [""])
        if select_cols is None and len(fields) != len(kinds):
            raise ValueError(f"decode_csv: record {row} has {len(fields)} fields, expected "
                             f"{len(kinds)}: {text!r}")
        for slot, (column, (dtype, default)) in enumerate(zip(wanted, kinds)):
            if column >= len(fields):
                raise ValueError(f"decode_csv: record {row} has no field {column}: {text!r}")
            field = fields[column]
            if field == "" or field == na_value:
                if default is None:
                    raise ValueError(f"decode_csv: field {column} of record {row} is empty "
                                     f"and has no default")
                value = default
            else:
                value = _parse(field, dtype, column, row)
            if dtype is None and is_bytes and isinstance(value, str):
                value = value.encode("utf-8")
            columns[slot].append(value)
    out = []
    for (dtype, _), values in zip(kinds, columns):
        if dtype is None:
            out.append(_wrap(values).reshape(array.shape))
        else:
            out.append(Tensor(np.asarray(values, dtype=dtype).reshape(array.shape), dtype=dtype))
    return out


__all__ = ["decode_csv"]
