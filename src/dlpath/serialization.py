"""Rebuilding losses, metrics and the like from ``{"class_name": ..., "config": ...}``."""

from __future__ import annotations


def deserialize_from(kind: str, noun: str, config, known: dict, custom_objects, get):
    """The object that ``config`` describes: a name (resolved by ``get``) or a class-name
    dict looked up in ``custom_objects`` then ``known``; errors name ``kind`` and ``noun``."""
    custom = dict(custom_objects or {})
    if isinstance(config, str):
        return get(custom.get(config, config))
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"{kind}.deserialize: expected a dict with 'class_name' and 'config' "
                         f"or a name, got {config!r}")
    name = config["class_name"]
    cls = custom.get(name) or known.get(name)
    if cls is None:
        raise ValueError(f"{kind}.deserialize: unknown {noun} class {name!r}; known: "
                         f"{', '.join(repr(n) for n in known)}")
    return cls.from_config(dict(config.get("config") or {}))
