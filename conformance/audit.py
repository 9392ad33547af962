"""Passive audit: every payload check and every cross-request check over recorded traffic.

Cross-request checks: task status sequences per task href (the task watcher's
state machine), link targets against the link's ``type``, and answers to
action links (a Task whose Owner is the entity). The API version of each
interaction comes from its request's Accept header.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import checks, taskstate
from .checks import tasksequence
from .mediatypes import VCLOUD_NS, MediaType
from .payload import Payload
from .recordings import load
from .violations import Violation, error

_V = f"{{{VCLOUD_NS}}}"


@dataclass
class AuditEntry:
    path: str
    violations: list[Violation] = field(default_factory=list)


def audit_file(path: Path, shown: str, context: checks.Context | None = None) -> list[AuditEntry]:
    """One entry per interaction (``FILE#N``), violations attached where found."""
    context = context or checks.Context()
    _fmt, interactions = load(path)
    entries = [AuditEntry(f"{shown}#{i.index}") for i in interactions]
    link_types: dict[str, str] = {}
    polls: dict[str, list[tuple[int, taskstate.Observation]]] = defaultdict(list)
    for position, item in enumerate(interactions):
        entry = entries[position]
        version = item.api_version
        if item.request_body and item.header("content-type", response=False):
            payload = Payload(
                item.request_body,
                item.header("content-type", response=False),
                version,
                source=entry.path,
            )
            entry.violations.extend(
                _prefixed(v, "request") for v in checks.run_checks(payload, context)
            )
        if not item.response_body:
            continue
        payload = Payload(item.response_body, item.content_type, version, source=entry.path)
        entry.violations.extend(checks.run_checks(payload, context))
        root = payload.root
        if root is None:
            continue
        expected = link_types.get(_key(item.uri))
        if item.method == "GET" and expected and item.status == 200 and item.content_type:
            answered = MediaType.parse(item.content_type).full
            if answered.lower() != expected.split(";")[0].lower():
                entry.violations.append(
                    error(
                        "link.follow",
                        f"a Link promised {expected} for {item.uri}; it answered {answered}",
                    )
                )
        for link in root.iter(f"{_V}Link"):
            if (
                link.get("href")
                and link.get("type")
                and link.get("rel") in ("down", "up", "alternate", "edit")
            ):
                link_types.setdefault(_key(link.get("href", "")), link.get("type", ""))
        for task in taskstate.iter_tasks(root):
            href = task.get("href")
            if href and (item.method == "GET" and _key(item.uri) == _key(href)):
                polls[href].append(
                    (
                        position,
                        taskstate.Observation(
                            float(position), taskstate.TaskSnapshot.from_element(task)
                        ),
                    )
                )
    for href, seen in polls.items():
        observations = [obs for _pos, obs in seen]
        for violation in tasksequence.sequence(observations, href):
            if violation.check == "task.invariants":
                continue  # already reported by the payload check on that poll
            entries[seen[-1][0]].violations.append(violation)
    return entries


def _key(uri: str) -> str:
    """Compare URLs by path and query only: recordings often rewrite hosts."""
    parts = urlsplit(uri)
    return parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def _prefixed(violation: Violation, where: str) -> Violation:
    return Violation(
        violation.check,
        violation.severity,
        f"{where}: {violation.message}",
        violation.line,
        violation.path,
    )
