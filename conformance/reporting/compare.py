"""Two runs side by side: what regressed, what was fixed, what appeared or vanished.

Results are keyed by ``(example, version)``. A regression is pass -> fail/error,
a fix is fail/error -> pass; any other status change is listed as changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..results import ERROR, FAIL, PASS
from .model import version_key

BROKEN = (FAIL, ERROR)


@dataclass(frozen=True)
class Change:
    example: str
    version: str
    title: str
    old: str | None  # status in the old run (None: not there)
    new: str | None
    detail: str | None = None  # first error of the new result, if any

    @property
    def label(self) -> str:
        return f"{self.example} @ API {self.version}"


@dataclass
class Comparison:
    old_run: str
    new_run: str
    regressions: list[Change] = field(default_factory=list)
    fixes: list[Change] = field(default_factory=list)
    new: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    #: API versions whose verdict changed: {version, old, new}.
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    #: Why the two runs may not be comparable (different profile, target or mode).
    notes: list[str] = field(default_factory=list)

    @property
    def has_regressions(self) -> bool:
        return bool(self.regressions)

    def counts(self) -> dict[str, int]:
        return {
            "regressions": len(self.regressions),
            "fixes": len(self.fixes),
            "new": len(self.new),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_run": self.old_run,
            "new_run": self.new_run,
            "counts": self.counts(),
            **{
                name: [asdict(c) for c in getattr(self, name)]
                for name in ("regressions", "fixes", "new", "removed", "changed")
            },
            "verdicts": self.verdicts,
            "notes": self.notes,
        }


def _detail(result: dict[str, Any]) -> str | None:
    for v in result.get("violations") or ():
        if v.get("severity") == "error":
            return f"[{v['check']}] {v['message']}"
    return result.get("message")


def compare(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """Compare two compatibility documents (old = baseline)."""
    before = {(r["example"], r["version"]): r for r in old["results"]}
    after = {(r["example"], r["version"]): r for r in new["results"]}
    out = Comparison(old_run=old["run_id"], new_run=new["run_id"])
    keys = sorted(before.keys() | after.keys(), key=lambda k: (version_key(k[1]), k[0]))
    for key in keys:
        a, b = before.get(key), after.get(key)
        ref = b or a
        assert ref is not None
        change = Change(
            key[0],
            key[1],
            ref["title"],
            a["status"] if a else None,
            b["status"] if b else None,
            _detail(b) if b else None,
        )
        if a is None:
            out.new.append(change)
        elif b is None:
            out.removed.append(change)
        elif a["status"] == PASS and b["status"] in BROKEN:
            out.regressions.append(change)
        elif a["status"] in BROKEN and b["status"] == PASS:
            out.fixes.append(change)
        elif a["status"] != b["status"]:
            out.changed.append(change)
    old_verdicts = {v["version"]: v for v in old.get("verdicts", ())}
    for v in new.get("verdicts", ()):
        was = old_verdicts.get(v["version"])
        if was is not None and was["verdict"] != v["verdict"]:
            out.verdicts.append(
                {"version": v["version"], "old": was["verdict"], "new": v["verdict"]}
            )
    out.notes = _notes(old, new)
    return out


def _notes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    notes = []
    a, b = old["profile"]["name"], new["profile"]["name"]
    if a != b:
        notes.append(f"profiles differ ({a} -> {b}): verdict changes may come from the profile")
    if old["target"]["mode"] != new["target"]["mode"]:
        notes.append(f"modes differ ({old['target']['mode']} -> {new['target']['mode']})")
    return notes


def format_text(result: Comparison) -> str:
    """The plain-text listing ``report compare`` prints."""
    lines = [f"compare {result.old_run} -> {result.new_run}"]
    lines += [f"note: {n}" for n in result.notes]
    sections = (
        ("regressions", result.regressions),
        ("fixes", result.fixes),
        ("new", result.new),
        ("removed", result.removed),
        ("changed", result.changed),
    )
    for name, changes in sections:
        lines.append(f"{name} ({len(changes)}):")
        for c in changes:
            move = f"{c.old or '-'} -> {c.new or '-'}"
            detail = f"  {c.detail}" if c.detail and c.new in BROKEN else ""
            lines.append(f"  {c.label}: {move}{detail}")
    for v in result.verdicts:
        lines.append(f"verdict API {v['version']}: {v['old']} -> {v['new']}")
    n = result.counts()
    lines.append(
        f"{n['regressions']} regression(s), {n['fixes']} fix(es), {n['new']} new, "
        f"{n['removed']} removed, {n['changed']} changed"
    )
    return "\n".join(lines) + "\n"
