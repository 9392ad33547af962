"""``compatibility.html``: one self-contained page (inline CSS/JS, no network) per run.

The template is ``conformance/templates/compatibility.html.j2``; this module
prepares what it shows (matrix colours, task timelines, anchors) so the
template stays declarative. Autoescaping is on: payload excerpts are text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from .compare import Comparison

TEMPLATE = "compatibility.html.j2"
STATUS_ORDER = ("fail", "error", "skip", "not-applicable", "pass")
#: Optional keys of a result and its exchange, so the template can test them plainly.
RESULT_DEFAULTS: dict[str, Any] = {"message": None, "destructive": False, "exchanges": None}
REQUEST_DEFAULTS: dict[str, Any] = dict.fromkeys(
    ("status", "request_type", "request_body", "response_type", "response_body", "elapsed")
)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("conformance", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def colour(rate: float | None) -> str:
    """Green only at 100 %; below, red (0 %) to amber (99 %); grey when nothing was decided."""
    if rate is None:
        return "hsl(0, 0%, 90%)"
    if rate >= 1:
        return "hsl(120, 55%, 78%)"
    return f"hsl({round(50 * rate**2)}, 75%, 78%)"


def percent(rate: float | None) -> str:
    return "\u2013" if rate is None else f"{rate * 100:.0f}%"


def _timeline(task: dict[str, Any]) -> dict[str, Any]:
    """Segments between observed polls, widths in percent of the watched time."""
    polls = [{"progress": None, "endTime": None, **p} for p in task.get("observations") or []]
    end = polls[-1]["at"] if polls else 0.0
    segments = []
    for i, poll in enumerate(polls):
        nxt = polls[i + 1]["at"] if i + 1 < len(polls) else None
        span = (nxt - poll["at"]) if nxt is not None else 0.0
        width = (span / end * 100) if end > 0 else 100 / max(len(polls), 1)
        segments.append({**poll, "width": max(round(width, 2), 4.0)})
    return {
        "href": task.get("href", ""),
        "timed_out": bool(task.get("timed_out")),
        "end": end,
        "polls": polls,
        "segments": segments,
    }


def context(doc: dict[str, Any], comparison: Comparison | None = None) -> dict[str, Any]:
    versions = doc["target"]["api_versions"]
    cells = {(s["area"], s["version"]): s for s in doc["summary"]}
    matrix = [
        {
            "area": area,
            "cells": [
                {
                    "version": v,
                    "cell": cells.get((area, v)),
                    "colour": colour(cells[(area, v)]["pass_rate"] if (area, v) in cells else None),
                }
                for v in versions
            ],
        }
        for area in doc["areas"]
    ]
    totals = [
        {"version": t["version"], "cell": t, "colour": colour(t["pass_rate"])}
        for t in doc["version_totals"]
    ]
    results = []
    anchors: dict[tuple[str, str], str] = {}
    for i, r in enumerate(doc["results"], 1):
        anchor = f"r{i}"
        anchors[(r["example"], r["version"])] = anchor
        results.append(
            {
                **RESULT_DEFAULTS,
                **r,
                "request": {**REQUEST_DEFAULTS, **r["request"]} if r["request"] else None,
                "violations": [{"line": None, "path": None, **v} for v in r["violations"]],
                "anchor": anchor,
                "timelines": [_timeline(t) for t in r["tasks"]],
            }
        )
    return {
        "doc": doc,
        "versions": versions,
        "matrix": matrix,
        "totals": totals,
        "results": results,
        "anchors": anchors,
        "statuses": [s for s in STATUS_ORDER if doc["totals"][s]],
        "comparison": comparison,
        "percent": percent,
    }


def render_html(doc: dict[str, Any], comparison: Comparison | None = None) -> str:
    return _environment().get_template(TEMPLATE).render(**context(doc, comparison))
