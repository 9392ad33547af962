"""VMware's ``/cloudapi`` descriptions (Swagger 2.0 YAML), read from the bundle at run time.

The bundle's ``openapi/`` folder holds an umbrella file whose paths point into
one file per feature (``branding/branding.yaml``, ``extensions/extensions.yaml``),
which point into shared files (``common/*.yaml``). :func:`load` returns one
self-contained document: every ``$ref`` inlined, only the paths asked for.
Nothing of the descriptions is copied into the project.

Quirk of the published files: ``extensions/extensions.yaml`` names
``./common/entity.yaml``, a folder that exists only next to the umbrella file;
a reference that does not resolve next to its file is looked up from the
umbrella's folder.

:func:`errors` validates a JSON value against one of these schemas (the Swagger
subset they use: type, properties, required, enum, items, allOf, int64 range);
the simulator answers 400 with the first error.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .bundle import locate
from .errors import ConformanceError

UMBRELLA = "vcloud-openapi-schemas.yaml"
INT64 = (-(2**63), 2**63 - 1)


class OpenApiNotFound(ConformanceError, FileNotFoundError):
    """The bundle has no ``openapi/`` descriptions."""


def folder(schemas: str | None = None) -> Path:
    """The bundle's ``openapi/`` folder (raises :class:`OpenApiNotFound`)."""
    root = locate(schemas).root / "openapi"
    if not (root / UMBRELLA).is_file():
        raise OpenApiNotFound(f"no /cloudapi descriptions at {root} ({UMBRELLA} is missing)")
    return root


@cache
def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _pointer(doc: Any, fragment: str) -> Any:
    node = doc
    for part in [p for p in fragment.split("/") if p]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


class _Resolver:
    def __init__(self, base: Path) -> None:
        self.base = base

    def file(self, ref_file: str, current: Path) -> Path:
        beside = (current.parent / ref_file).resolve()
        if beside.is_file():
            return beside
        return (self.base / ref_file).resolve()

    def inline(self, node: Any, current: Path, seen: tuple[str, ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.inline(item, current, seen) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node and isinstance(node["$ref"], str):
            ref = node["$ref"]
            ref_file, _, fragment = ref.partition("#")
            target = self.file(ref_file, current) if ref_file else current
            key = f"{target}#{fragment}"
            if key in seen:
                raise ConformanceError(f"circular $ref {ref} in {current.name}")
            resolved = _pointer(_read(target), fragment)
            return self.inline(copy.deepcopy(resolved), target, (*seen, key))
        return {k: self.inline(v, current, seen) for k, v in node.items()}


def load(paths: Iterable[str] | None = None, schemas: str | None = None) -> dict[str, Any]:
    """The umbrella description with every reference inlined (only ``paths``, if given)."""
    base = folder(schemas)
    umbrella = _read(base / UMBRELLA)
    wanted = set(paths) if paths is not None else None
    resolver = _Resolver(base)
    doc = {k: copy.deepcopy(v) for k, v in umbrella.items() if k not in ("paths", "definitions")}
    doc["paths"] = {
        path: resolver.inline(item, base / UMBRELLA)
        for path, item in umbrella.get("paths", {}).items()
        if wanted is None or path in wanted
    }
    doc["definitions"] = resolver.inline(umbrella.get("definitions", {}), base / UMBRELLA)
    return doc


def body_schema(doc: dict[str, Any], path: str, method: str) -> dict[str, Any] | None:
    """The schema of an operation's body parameter (None if it takes no JSON body)."""
    operation = doc["paths"].get(path, {}).get(method.lower(), {})
    for param in operation.get("parameters", []):
        if param.get("in") == "body":
            schema: dict[str, Any] = param.get("schema", {})
            return schema
    return None


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


def errors(schema: dict[str, Any], value: Any, where: str = "body") -> list[str]:
    """What is wrong with ``value`` against ``schema`` (empty: it conforms)."""
    out: list[str] = []
    for part in schema.get("allOf", []):
        out += errors(part, value, where)
    kind = schema.get("type")
    if kind in _TYPES:
        ok = isinstance(value, _TYPES[kind]) and not (
            kind in ("integer", "number") and isinstance(value, bool)
        )
        if not ok:
            return [*out, f"{where}: expected {kind}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if kind == "integer" and schema.get("format") in ("int64", "int32"):
        low, high = INT64 if schema["format"] == "int64" else (-(2**31), 2**31 - 1)
        if not low <= value <= high:
            out.append(f"{where}: {value} is out of {schema['format']} range")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                out.append(f"{where}: {name} is required")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                out += errors(sub, value[name], f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            out += errors(schema["items"], item, f"{where}[{index}]")
    return out


#: The /cloudapi paths the simulator serves (branding, UI extensions) and --fuzz probes.
SIMULATED_PATHS = (
    "/branding",
    "/branding/logo",
    "/branding/themes",
    "/extensions/ui",
    "/extensions/ui/{id}",
    "/extensions/ui/{id}/plugin",
    "/extensions/ui/{id}/tenants",
    "/extensions/ui/{id}/tenants/publish",
    "/extensions/ui/{id}/tenants/unpublish",
    "/extensions/ui/{id}/tenants/publishAll",
    "/extensions/ui/{id}/tenants/unpublishAll",
)
