"""The JSON Schema of ``compatibility.json`` and reading documents back safely.

The schema ships as ``compatibility.schema.json`` next to this module; its
``format`` constant is :data:`model.FORMAT`. :func:`load` is what every reader
(compare, render) uses: it names the file and what is wrong with it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .model import FORMAT, KIND

REPORT_FILE = "compatibility.json"
SCHEMA_FILE = "compatibility.schema.json"


class ReportError(UsageError):
    """A run folder or document that cannot be read; the message says why."""


@cache
def schema() -> dict[str, Any]:
    text = (resources.files("conformance.reporting") / SCHEMA_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def errors(document: Any) -> list[str]:
    """Every schema violation of ``document``, as ``/json/pointer: message`` lines."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema())
    found = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"[:300] for e in found]


def validate(document: Any, source: str = "document") -> None:
    problems = errors(document)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ReportError(
            f"{source} does not match the compatibility.json schema (format {FORMAT}): "
            + "; ".join(problems[:5])
            + more
        )


def locate(path: Path | str) -> Path:
    """The ``compatibility.json`` of a run folder, or the file itself."""
    path = Path(path)
    if path.is_dir():
        inner = path / REPORT_FILE
        if not inner.is_file():
            raise ReportError(
                f"{path} has no {REPORT_FILE}: is it a run folder (reports/<run-id>)?"
            )
        return inner
    if not path.exists():
        raise ReportError(f"no such run folder or file: {path}")
    return path


def load(path: Path | str) -> dict[str, Any]:
    """Read, recognise and validate a run's document; every failure is a :class:`ReportError`."""
    file = locate(path)
    try:
        data = json.loads(file.read_text("utf-8"))
    except UnicodeDecodeError:
        raise ReportError(f"{file} is not a {REPORT_FILE} (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"{file} is not a {REPORT_FILE} (not JSON: {exc.msg}, line {exc.lineno})"
        ) from None
    except OSError as exc:
        raise ReportError(f"cannot read {file}: {exc.strerror or exc}") from None
    if not isinstance(data, dict) or not (
        data.get("kind") == KIND or ("format" in data and "results" in data)
    ):
        raise ReportError(
            f'{file} is not a {REPORT_FILE} (no "kind": "{KIND}"); '
            "pass a run folder or the compatibility.json a run wrote"
        )
    if data.get("format") != FORMAT:
        raise ReportError(
            f"{file} has format {data.get('format')!r}; this vcd-conformance reads format "
            f"{FORMAT}: re-run the suite, or use the vcd-conformance version that wrote it"
        )
    validate(data, str(file))
    return data
