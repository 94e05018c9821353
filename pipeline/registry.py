"""The component registry, in the spirit of spaCy's factories.

A component is registered with a pydantic model of its settings and a declaration of the Doc
fields it reads (``requires``), sets (``assigns``) and reads when present (``after``: a component
that sets them must then come earlier). :class:`pipeline.nlp.Pipeline` validates both before
anything runs, so a wrong setting or order is a one-line :class:`ConfigError`, not a TypeError
in the middle of a brief.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .doc import DOC_FIELDS, Doc
from .errors import NewsbriefError

if TYPE_CHECKING:
    from .resources import Resources

Component = Callable[[Doc], Doc]


class ConfigError(NewsbriefError):
    """A pipeline whose components, settings or order cannot work."""


class ComponentConfig(BaseModel):
    """Base of every component's settings: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    factory: Callable[[Resources, Any], Component]  # (resources, validated config) -> component
    config: type[ComponentConfig]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    def validate(self, settings: dict[str, Any] | None) -> ComponentConfig:
        try:
            return self.config.model_validate(settings or {})
        except ValidationError as exc:
            error = exc.errors()[0]
            key = ".".join(str(part) for part in error["loc"]) or "?"
            if error["type"] == "extra_forbidden":
                known = ", ".join(sorted(self.config.model_fields)) or "none"
                raise ConfigError(f"component {self.name!r}: unknown setting {key!r} (known: {known})") from None
            raise ConfigError(f"component {self.name!r}: setting {key!r}: {error['msg']}") from None


_REGISTRY: dict[str, ComponentSpec] = {}


def register_component(
    name: str,
    *,
    config: type[ComponentConfig] = ComponentConfig,
    requires: tuple[str, ...] = (),
    assigns: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
) -> Callable[[Callable], Callable]:
    """Register ``factory(resources, config) -> component`` under `name`."""
    for declared in (*requires, *assigns, *after):
        if declared not in DOC_FIELDS:
            raise ConfigError(f"component {name!r} declares {declared!r}, not a Doc field ({', '.join(DOC_FIELDS)})")

    def decorator(factory: Callable) -> Callable:
        _REGISTRY[name] = ComponentSpec(name, factory, config, requires, assigns, after)
        return factory

    return decorator


def get_spec(name: str) -> ComponentSpec:
    if name not in _REGISTRY:
        raise ConfigError(f"unknown pipeline component {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name]


def registered() -> list[str]:
    return sorted(_REGISTRY)


def check_order(names: list[str]) -> None:
    """Every field a component requires is set by an earlier one; fields it reads when present
    are not set by a later one."""
    specs = [get_spec(name) for name in names]
    available: set[str] = set()
    for position, spec in enumerate(specs):
        for field_name in spec.requires:
            if field_name not in available:
                setters = [s.name for s in _REGISTRY.values() if field_name in s.assigns] or ["none"]
                raise ConfigError(f"component {spec.name!r} needs {field_name!r}, which no earlier component sets "
                                  f"(set by: {', '.join(setters)})")
        for field_name in spec.after:
            later = [s.name for s in specs[position + 1:] if field_name in s.assigns]
            if later:
                raise ConfigError(f"component {spec.name!r} reads {field_name!r}, so {later[0]!r} must come before it")
        available.update(spec.assigns)
