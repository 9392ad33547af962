"""Allure labels and evidence for the generated tests, and a last scrub of the files.

Each ``test_example`` item is labelled epic = guide chapter, feature = area,
story = example title, with the API version and the (redacted) target URL as
parameters; the request and response excerpts are attached and every
violation is a failed step. All text passes through the suite's redactor, and
:func:`scrub_outputs` rewrites any Allure or JUnit file that still holds a
secret this process knew (captured output, tracebacks).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import allure

from ..redaction import Redactor

if TYPE_CHECKING:
    import pytest

    from ..examples import Example
    from ..results import ExampleResult
    from ..suite import Suite
    from ..versions import ApiVersion


#: allure-pytest's dynamic API is untyped.
_dynamic: Any = allure.dynamic


class ViolationFound(AssertionError):
    """Raised inside a step so that Allure marks it failed (never escapes)."""


def label(example: Example, version: ApiVersion, suite: Suite) -> None:
    """Labels and parameters, set before the example runs (so errors are labelled too)."""
    red = suite.redactor
    _dynamic.epic(example.chapter or example.area)
    _dynamic.feature(example.area)
    _dynamic.story(example.title)
    _dynamic.title(f"{example.title} (API {version})")
    _dynamic.description(red.text(f"{example.id}: {example.chapter} > {example.section}"))
    # the generated parameter would show the whole Example repr; keep the item id instead
    _dynamic.parameter("vcd_case", f"{example.id}@{version}")
    _dynamic.parameter("API version", str(version))
    url = suite.target().url
    _dynamic.parameter("target", red.url(url), excluded=True)  # not part of history id
    if example.destructive:
        _dynamic.tag("destructive")


def _request_text(request: dict[str, Any]) -> str:
    lines = [f"{request['method']} {request['url']}"]
    if request.get("request_type"):
        lines.append(f"Content-Type: {request['request_type']}")
    if request.get("request_body"):
        lines += ["", request["request_body"]]
    return "\n".join(lines)


def _response_text(request: dict[str, Any]) -> str:
    status = request.get("status")
    shown = status if status is not None else "no answer"
    lines = [f"{shown} {request.get('response_type') or ''}"]
    if request.get("response_body"):
        lines += ["", request["response_body"]]
    return "\n".join(lines).strip()


def evidence(result: ExampleResult, redactor: Redactor) -> None:
    """Attach the request, the response and the task polls; one failed step per violation."""
    data = result.to_dict()
    request = data.get("request")
    if request:
        allure.attach(redactor.text(_request_text(request)), "request", allure.attachment_type.TEXT)
        allure.attach(
            redactor.text(_response_text(request)), "response", allure.attachment_type.TEXT
        )
    if data["tasks"]:
        allure.attach(
            redactor.text(json.dumps(data["tasks"], indent=2)),
            "task polls",
            allure.attachment_type.JSON,
        )
    for v in data["violations"]:
        where = f" (line {v['line']})" if v.get("line") else ""
        title = redactor.text(f"{v['severity']} [{v['check']}] {v['message']}{where}")
        try:
            with allure.step(title[:500]):
                raise ViolationFound(redactor.text(v["message"]))
        except ViolationFound:
            pass


def _files(config: pytest.Config) -> list[Path]:
    out: list[Path] = []
    alluredir = getattr(config.option, "allure_report_dir", None)
    if alluredir and Path(alluredir).is_dir():
        out += [p for p in Path(alluredir).iterdir() if p.is_file()]
    xmlpath = getattr(config.option, "xmlpath", None)
    if xmlpath and Path(xmlpath).is_file():
        out.append(Path(xmlpath))
    return out


def scrub_outputs(config: pytest.Config, redactor: Redactor) -> list[Path]:
    """Redact Allure results and junit.xml in place; returns the files that needed it.

    Only files holding a secret of *this* process are rewritten (atomically), so
    parallel workers never touch each other's half-written files.
    """
    changed = []
    for path in _files(config):
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary attachments: nothing of ours is in them
        if not redactor.contains_secret(text):
            continue
        clean = redactor.text(text)
        if clean != text:
            tmp = path.with_name(f".{path.name}.scrub")
            tmp.write_text(clean, "utf-8")
            os.replace(tmp, path)
            changed.append(path)
    return changed
