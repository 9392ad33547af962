"""``compatibility.md``: the run in a dozen lines, fit for a pull-request comment."""

from __future__ import annotations

import re
from typing import Any

from .compare import Comparison

LIMIT = 10
ICON = {"yes": "✅", "no": "❌", "incomplete": "⚠️"}


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.0f}%"


def _code(text: str, limit: int = 160) -> str:
    """Inline code that survives tables and HTML sanitizers: no backticks, pipes or newlines."""
    text = re.sub(r"\s+", " ", text).replace("`", "'").replace("|", "/")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"`{text}`"


def render_markdown(doc: dict[str, Any], comparison: Comparison | None = None) -> str:
    target = doc["target"]
    versions = target["api_versions"]
    faults = target["faults"]
    what = " ".join(x for x in (target.get("product"), target.get("build")) if x)
    lines = [
        f"### vCloud Director API compatibility: run `{doc['run_id']}`",
        "",
        f"Target {_code(target['url']) if target.get('url') else '(unknown URL)'}"
        + (f" ({what})" if what else "")
        + f", mode `{target['mode']}`, profile **{doc['profile']['name']}**"
        + (f", simulator faults {', '.join(map(_code, faults))}" if faults else "")
        + ".",
        "",
        "| API | verdict | required passed | pass rate |",
        "| --- | --- | --- | --- |",
    ]
    totals = {t["version"]: t for t in doc["version_totals"]}
    for v in doc["verdicts"]:
        text = v["line"].split(": ", 1)[1]
        lines.append(
            f"| {v['version']} | {ICON[v['verdict']]} {text} | "
            f"{v['required']['passed']}/{v['required']['total']} | "
            f"{_pct(totals[v['version']]['pass_rate'])} |"
        )
    lines += ["", "| area | " + " | ".join(versions) + " |", "| --- |" + " --- |" * len(versions)]
    cells = {(s["area"], s["version"]): s for s in doc["summary"]}
    for area in doc["areas"]:
        row = []
        for version in versions:
            cell = cells.get((area, version))
            if cell is None:
                row.append("-")
            else:
                row.append(f"{_pct(cell['pass_rate'])} ({cell['pass']}/{cell['total']})")
        lines.append(f"| {area} | " + " | ".join(row) + " |")
    deviations = [(v["version"], d) for v in doc["verdicts"] for d in v["deviations"]]
    if deviations:
        details = {(r["example"], r["version"]): r for r in doc["results"]}
        lines += ["", f"**Deviations** ({len(deviations)}):"]
        for version, d in deviations[:LIMIT]:
            r = details[(d["example"], version)]
            first = next((x for x in r["violations"] if x["severity"] == "error"), None)
            why = f"[{first['check']}] {first['message']}" if first else (r.get("message") or "")
            tail = f" {_code(why)}" if why else ""
            lines.append(f"- `{d['example']}` @ {version}: {d['status']}{tail}")
        if len(deviations) > LIMIT:
            lines.append(f"- … and {len(deviations) - LIMIT} more (see compatibility.html)")
    if comparison is not None:
        n = comparison.counts()
        lines += [
            "",
            f"**Against baseline `{comparison.old_run}`:** {n['regressions']} regression(s), "
            f"{n['fixes']} fix(es), {n['new']} new, {n['removed']} removed",
        ]
        lines += [f"- note: {note}" for note in comparison.notes]
        for name, items in (("regression", comparison.regressions), ("fix", comparison.fixes)):
            for c in items[:LIMIT]:
                lines.append(f"- {name}: `{c.example}` @ {c.version}: {c.old} → {c.new}")
            if len(items) > LIMIT:
                lines.append(f"- … and {len(items) - LIMIT} more {name}s")
    t = doc["totals"]
    lines += [
        "",
        f"<sub>vcd-conformance {doc['suite_version']} · {t['total']} results "
        f"({t['pass']} pass, {t['fail']} fail, {t['error']} error, {t['skip']} skip) "
        f"in {doc['duration']:.1f} s · details in compatibility.html</sub>",
    ]
    return "\n".join(lines) + "\n"
