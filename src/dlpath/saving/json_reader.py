"""JSON members parsed with bounds: UTF-8 only, integers of at most
`Limits.max_int_digits` digits, and objects and lists nested at most
`Limits.max_json_depth` deep (checked without recursion), so that no file can make later
code recurse without bound."""

from __future__ import annotations

import json

from dlpath.saving.limits import LIMITS


class _TooLarge(ValueError):
    pass


def _integer_parser(limit: int):
    def parse(text: str) -> int:
        if len(text.lstrip("-")) > limit:
            raise _TooLarge(f"an integer literal of {len(text)} digits (expected at most "
                            f"{limit})")
        return int(text)
    return parse


def depth(tree) -> int:
    """How deeply objects and lists nest in ``tree`` (a scalar is 0)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(data: bytes, fail, limits=LIMITS):
    """The value in ``data``; ``fail(problem)`` makes the exception to raise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise fail(f"is not valid JSON: it is not UTF-8 text ({error})") from None
    try:
        value = json.loads(text, parse_int=_integer_parser(limits.max_int_digits))
    except RecursionError:
        raise fail(f"is not valid JSON here: it nests deeper than "
                   f"{limits.max_json_depth} levels") from None
    except (_TooLarge, json.JSONDecodeError, ValueError) as error:
        raise fail(f"is not valid JSON: {error}") from None
    nesting = depth(value)
    if nesting > limits.max_json_depth:
        raise fail(f"is not valid JSON here: it nests {nesting} levels deep (expected at "
                   f"most {limits.max_json_depth})")
    return value
