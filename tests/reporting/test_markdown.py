"""compatibility.md: short, tabular, safe to paste into a pull-request comment."""

from __future__ import annotations

from conformance.reporting.compare import compare
from conformance.reporting.markdown import LIMIT, render_markdown

from .conftest import Runs, document, result


def test_a_real_faulty_run_reads_at_a_glance(real_runs: Runs) -> None:
    md = (real_runs.faulty.folder / "compatibility.md").read_text("utf-8")
    lines = md.splitlines()
    assert lines[0] == "### vCloud Director API compatibility: run `faulty`"
    assert "profile **browsing-vapp**" in md and "`status-200-for-async`" in md
    assert "| 1.5 | ❌ no, " in md and "| 36.0 | ❌ no, " in md
    assert "| area | 1.5 | 36.0 |" in md
    assert any(line.startswith("| browsing | 100% (") for line in lines)
    assert any(line.startswith("| vapp | ") and "100%" not in line for line in lines)
    assert "- `vapp.power-on` @ 1.5: fail `[example.status]" in md
    assert len(lines) < 40 + LIMIT  # a comment, not a report


def test_a_clean_run_says_yes(real_runs: Runs) -> None:
    md = (real_runs.baseline.folder / "compatibility.md").read_text("utf-8")
    assert "| 1.5 | ✅ yes |" in md and "| 36.0 | ✅ yes |" in md
    assert "Deviations" not in md


def test_baseline_section_lists_regressions(real_runs: Runs) -> None:
    old, new = real_runs.baseline.doc(), real_runs.faulty.doc()
    md = render_markdown(new, compare(old, new))
    assert "**Against baseline `baseline`:**" in md
    assert "- regression: `vapp.power-on` @ 1.5: pass → fail" in md


def test_messages_cannot_break_the_table_or_the_comment() -> None:
    nasty = "a | b `code` <script>alert(1)</script>\nsecond line"
    doc = document(
        [
            result(
                "vapp.a",
                status="fail",
                violations=[{"check": "x.y", "severity": "error", "message": nasty}],
            )
        ]
    )
    md = render_markdown(doc)
    line = next(x for x in md.splitlines() if x.startswith("- `vapp.a`"))
    assert line.count("`") == 4  # the id and one code span, nothing else
    assert "|" not in line and "\n" not in line and "second line" in line


def test_long_deviation_lists_are_cut() -> None:
    results = [result(f"vapp.e{i:02d}", status="fail") for i in range(LIMIT + 5)]
    md = render_markdown(document(results))
    assert sum(1 for x in md.splitlines() if x.startswith("- `vapp.e")) == LIMIT
    assert "… and 5 more (see compatibility.html)" in md
