"""Conformance profiles: which examples a cloud must pass to claim an API version.

A profile (like a RefStack guideline or the Kubernetes conformance list) is a
YAML file of rules. Each rule covers some API versions and names example ids
or globs as ``required`` (a failure means "does not conform") or ``advisory``
(reported, never decisive). Required wins when both match. Profiles ship in
``conformance/profiles/``; a path to a YAML file works too.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import UsageError
from ..versions import ApiVersion

REQUIRED, ADVISORY, NONE = "required", "advisory", "none"
DEFAULT_PROFILE = "guide"
_RANGE = re.compile(r"\s*(>=|<=|<|>|==)\s*(\d+\.\d+)\s*")


class ProfileError(UsageError):
    """An unknown or malformed profile; the message lists what is valid."""


@dataclass(frozen=True)
class Rule:
    versions: str  # "all", "1.5, 5.1" or a comparison such as ">=5.1"
    required: tuple[str, ...] = ()
    advisory: tuple[str, ...] = ()

    def covers(self, version: ApiVersion) -> bool:
        spec = self.versions.strip()
        if spec == "all":
            return True
        match = _RANGE.fullmatch(spec)
        if match:
            op, bound = match.group(1), ApiVersion.parse(match.group(2))
            return {
                ">=": version >= bound,
                "<=": version <= bound,
                ">": version > bound,
                "<": version < bound,
                "==": version == bound,
            }[op]
        return version in {ApiVersion.parse(v) for v in spec.split(",")}


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    description: str
    rules: tuple[Rule, ...]

    def requirement(self, example_id: str, version: ApiVersion | str) -> str:
        """``required``, ``advisory`` or ``none`` for one example at one version."""
        v = ApiVersion.parse(version)
        rules = [r for r in self.rules if r.covers(v)]
        if any(_matches(example_id, r.required) for r in rules):
            return REQUIRED
        if any(_matches(example_id, r.advisory) for r in rules):
            return ADVISORY
        return NONE

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description}


def _matches(example_id: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(example_id, p) for p in patterns)


def available() -> list[str]:
    """Names of the profiles shipped with the package."""
    folder = resources.files("conformance") / "profiles"
    return sorted(e.name[:-5] for e in folder.iterdir() if e.name.endswith(".yaml"))


@cache
def load(name: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by name, or a profile file by path (``*.yaml``)."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = Path(name)
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise ProfileError(f"profile file {name}: {exc.strerror or exc}") from None
        return parse(text, path.stem, source=name)
    if name not in available():
        raise ProfileError(
            f"unknown profile {name!r}; valid profiles: {', '.join(available())} "
            "(or a path to a profile .yaml file)"
        )
    entry = resources.files("conformance") / "profiles" / f"{name}.yaml"
    return parse(entry.read_text("utf-8"), name, source=f"{name}.yaml")


def parse(text: str, default_name: str, source: str = "<profile>") -> Profile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ProfileError(f"{source}: expected a mapping with a list of rules")
    _only(data, {"name", "title", "description", "rules"}, source)
    rules = []
    for i, raw in enumerate(data["rules"], 1):
        where = f"{source}: rule {i}"
        if not isinstance(raw, dict):
            raise ProfileError(f"{where}: expected a mapping with versions/required/advisory")
        _only(raw, {"versions", "required", "advisory"}, where)
        versions = raw.get("versions", "all")
        if isinstance(versions, list):
            versions = ", ".join(str(v) for v in versions)
        rule = Rule(str(versions), _globs(raw, "required", where), _globs(raw, "advisory", where))
        try:
            rule.covers(ApiVersion(1, 5))
        except UsageError:
            raise ProfileError(
                f"{where}: versions {versions!r}: use all, a list of versions, or >=X / <X"
            ) from None
        rules.append(rule)
    name = str(data.get("name", default_name))
    return Profile(
        name=name,
        title=str(data.get("title", name)),
        description=" ".join(str(data.get("description", "")).split()),
        rules=tuple(rules),
    )


def _globs(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}: {key} must be a list of example ids or globs")
    return tuple(value)


def _only(data: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise ProfileError(f"{where}: unknown keys {extra}; allowed: {sorted(allowed)}")
