"""Writing a run folder: ``reports/<run-id>/compatibility.{json,html,md}``.

Everything goes through the suite's :class:`~conformance.redaction.Redactor`
twice: every string of the document before rendering, then each file's text.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..redaction import Redactor
from . import model, profiles, schema
from .compare import Comparison, compare
from .html import render_html
from .markdown import render_markdown

if TYPE_CHECKING:
    from ..suite import Suite

#: Set by ``vcd-conformance run`` (or ``--vcd-run-id``) so junit.xml and
#: allure-results land in the same folder as the compatibility report.
RUN_ID_ENV = "VCD_CONFORMANCE_RUN_ID"
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
HTML_FILE, MARKDOWN_FILE = "compatibility.html", "compatibility.md"


def new_run_id(when: float | None = None) -> str:
    """A sortable id: UTC start time to the second, e.g. ``20250101T120000Z``."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if when is None else when))


def check_run_id(run_id: str) -> str:
    if not _RUN_ID.fullmatch(run_id):
        raise UsageError(
            f"run id {run_id!r}: use letters, digits, '.', '_' or '-' (at most 100), "
            "starting with a letter or digit"
        )
    return run_id


def _folder(root: Path, run_id: str | None, started: float) -> tuple[str, Path]:
    if run_id:
        return run_id, root / check_run_id(run_id)
    base = new_run_id(started)
    candidate, n = base, 1
    while (root / candidate / schema.REPORT_FILE).exists():  # two runs in one second
        n += 1
        candidate = f"{base}-{n}"
    return candidate, root / candidate


def redact_tree(node: Any, redactor: Redactor) -> Any:
    """Every string in a JSON-like tree through ``redactor.text``."""
    if isinstance(node, str):
        return redactor.text(node)
    if isinstance(node, dict):
        return {k: redact_tree(v, redactor) for k, v in node.items()}
    if isinstance(node, list):
        return [redact_tree(v, redactor) for v in node]
    return node


def write_views(
    doc: dict[str, Any],
    folder: Path,
    redactor: Redactor | None = None,
    baseline: dict[str, Any] | None = None,
) -> tuple[Path, Path]:
    """(Re)write compatibility.html and .md from a document (and an optional baseline)."""
    red = redactor or Redactor()
    comparison: Comparison | None = compare(baseline, doc) if baseline is not None else None
    html_path, md_path = folder / HTML_FILE, folder / MARKDOWN_FILE
    _write(html_path, red.text(render_html(doc, comparison)))
    _write(md_path, red.text(render_markdown(doc, comparison)))
    return html_path, md_path


def _write(path: Path, text: str) -> None:
    """Write through a temporary file so a reader never sees half a report."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


def write_run(
    suite: Suite,
    root: Path,
    *,
    run_id: str | None = None,
    profile: str | None = None,
    baseline: Path | str | None = None,
) -> Path:
    """Write the run folder under ``root``; returns the path of its compatibility.json.

    The run id is ``run_id``, else the suite's (``--vcd-run-id``), else
    ``$VCD_CONFORMANCE_RUN_ID``, else the start time. The profile and baseline
    default to the suite's options (``--vcd-profile``, ``--vcd-baseline``).
    """
    options = suite.options
    chosen = run_id or getattr(options, "run_id", None) or os.environ.get(RUN_ID_ENV) or None
    rid, folder = _folder(Path(root), chosen, suite.started)
    prof = profiles.load(profile or getattr(options, "profile", None) or profiles.DEFAULT_PROFILE)
    base = baseline or getattr(options, "baseline", None)
    old = schema.load(base) if base else None
    doc = redact_tree(model.from_suite(suite, rid, prof), suite.redactor)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / schema.REPORT_FILE
    _write(path, suite.redactor.text(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n")
    write_views(doc, folder, suite.redactor, old)
    return path
