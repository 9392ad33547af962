"""``vcd-conformance report compare OLD NEW`` and ``vcd-conformance report render RUN``.

Wired into the main parser by :func:`add_report_parser`; :func:`cmd_report`
returns the exit code: 0 fine, 1 a regression (compare), 2 a usage error
(missing file, not a compatibility.json, incompatible format).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import ConformanceError
from . import schema
from .compare import compare, format_text
from .writer import write_views

EXIT_OK, EXIT_REGRESSION, EXIT_USAGE = 0, 1, 2


def add_report_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``report`` (with ``compare`` and ``render``) to the main command's subparsers."""
    report: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="compare runs or re-render a run's report",
        description="Work with run folders (reports/<run-id>/) and their compatibility.json.",
    )
    actions = report.add_subparsers(dest="report_command", metavar="ACTION", required=True)
    comp = actions.add_parser(
        "compare",
        help="list regressions, fixes, new and removed examples between two runs",
        description="Exit 1 if any example regressed (pass -> fail/error), else 0.",
    )
    comp.add_argument("old", metavar="OLD", help="baseline run folder or compatibility.json")
    comp.add_argument("new", metavar="NEW", help="run folder or compatibility.json to judge")
    comp.add_argument("--format", choices=("text", "json"), default="text")
    comp.set_defaults(func=cmd_report)
    render = actions.add_parser(
        "render",
        help="rebuild compatibility.html and compatibility.md from a run's compatibility.json",
    )
    render.add_argument("run", metavar="RUN", help="run folder or compatibility.json")
    render.add_argument(
        "--baseline", metavar="OLD", help="run folder or compatibility.json to diff against"
    )
    render.set_defaults(func=cmd_report)
    report.set_defaults(func=cmd_report)
    return report


def cmd_report(args: argparse.Namespace) -> int:
    try:
        if args.report_command == "compare":
            return _compare(args)
        if args.report_command == "render":
            return _render(args)
    except ConformanceError as exc:
        sys.stderr.write(f"vcd-conformance: error: {exc}\n")
        return EXIT_USAGE
    sys.stderr.write("vcd-conformance: error: report needs an action: compare or render\n")
    return EXIT_USAGE


def _compare(args: argparse.Namespace) -> int:
    old, new = schema.load(args.old), schema.load(args.new)
    result = compare(old, new)
    if args.format == "json":
        data: dict[str, Any] = result.to_dict()
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        sys.stdout.write(format_text(result))
    return EXIT_REGRESSION if result.has_regressions else EXIT_OK


def _render(args: argparse.Namespace) -> int:
    path = schema.locate(args.run)
    doc = schema.load(path)
    baseline = schema.load(args.baseline) if args.baseline else None
    html_path, md_path = write_views(doc, path.parent, baseline=baseline)
    sys.stdout.write(f"{html_path}\n{md_path}\n")
    return EXIT_OK
