"""Frozen dataclass configs from a TOML file plus ``--set key=value`` overrides."""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from kgfuse.errors import ConfigError

T = TypeVar("T")


def load_config(
    cls: type[T],
    path: str | Path | None = None,
    overrides: Sequence[str] = (),
    *,
    section: str | None = None,
    **values: Any,
) -> T:
    """Build a frozen dataclass config from defaults, a TOML file, keywords and overrides.

    Later sources win: class defaults < TOML file (optionally one ``[section]``) < keyword
    ``values`` that are not None < ``overrides`` (``"key=value"``, values parsed as TOML
    scalars where possible, e.g. ``epochs=2``, ``fusion=gated``, ``freeze_text_encoder=true``).

    Raises:
        ConfigError: A missing or invalid file, an unknown key, or a value of the wrong type.
    """
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    merged: dict[str, Any] = {}
    if path is not None:
        merged.update(_read_toml(Path(path), section))
    merged.update({k: v for k, v in values.items() if v is not None})
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set expects key=value, got {item!r}")
        merged[key.strip()] = _parse_scalar(raw.strip())
    unknown = sorted(set(merged) - set(fields))
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {unknown} for {cls.__name__}; known: {', '.join(sorted(fields))}"
        )
    return cls(**{k: _coerce(k, v, hints[k]) for k, v in merged.items()})


def _read_toml(path: Path, section: str | None) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"config file {path} is not valid TOML: {err}") from err
    if section is not None:
        data = data.get(section, {})
        if not isinstance(data, dict):
            raise ConfigError(f"[{section}] in {path} must be a table")
    return data


def _parse_scalar(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw  # a bare word such as fusion=gated


def _coerce(name: str, value: Any, hint: Any) -> Any:
    allowed = _allowed_types(hint)
    if value is None and type(None) in allowed:
        return None
    for kind in (bool, int, float, str):
        if kind in allowed and _fits(value, kind):
            return kind(value) if kind is float else value
    if not allowed or object in allowed or any(_fits(value, k) for k in allowed):
        return value
    names = ", ".join(sorted(getattr(k, "__name__", str(k)) for k in allowed))
    raise ConfigError(f"setting {name!r} expects {names}, got {value!r}")


def _fits(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _allowed_types(hint: Any) -> set[Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return {a for arg in typing.get_args(hint) for a in _allowed_types(arg)}
    if origin is not None:
        return {origin}
    return {hint}
