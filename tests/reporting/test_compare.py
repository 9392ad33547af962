"""compare(): regressions, fixes, new and removed examples keyed by (example, version)."""

from __future__ import annotations

import copy

from conformance.reporting.compare import compare, format_text

from .conftest import Runs, document, result


def test_a_real_fault_shows_up_as_regressions(real_runs: Runs) -> None:
    old, new = real_runs.baseline.doc(), real_runs.faulty.doc()
    diff = compare(old, new)
    assert diff.has_regressions
    labels = {(c.example, c.version) for c in diff.regressions}
    assert ("vapp.power-on", "1.5") in labels and ("vapp.power-on", "36.0") in labels
    # the fault only touches asynchronous actions: every regression is a vApp example
    assert all(c.example.startswith("vapp.") for c in diff.regressions)
    assert all(c.old == "pass" and c.new in ("fail", "error") for c in diff.regressions)
    assert not diff.new and not diff.removed and not diff.fixes
    power_on = next(c for c in diff.regressions if c.example == "vapp.power-on")
    assert power_on.detail and "202" in power_on.detail
    assert {"version": "1.5", "old": "yes", "new": "no"} in diff.verdicts
    # and back: the same changes are fixes
    back = compare(new, old)
    assert len(back.fixes) == len(diff.regressions) and not back.regressions


def test_every_kind_of_change_is_sorted_into_its_list() -> None:
    old = document(
        [
            result("vapp.a", "1.5"),
            result("vapp.b", "1.5", "fail"),
            result("vapp.c", "1.5"),
            result("vapp.d", "1.5"),
            result("vapp.e", "1.5", "fail"),
            result("vapp.f", "1.5"),
        ],
        run_id="old",
    )
    new = copy.deepcopy(old)
    new["run_id"] = "new"
    by_id = {r["example"]: r for r in new["results"]}
    by_id["vapp.a"]["status"] = "error"  # regression
    by_id["vapp.b"]["status"] = "pass"  # fix
    by_id["vapp.d"]["status"] = "skip"  # changed, not a regression
    by_id["vapp.e"]["status"] = "error"  # still broken: changed
    new["results"].remove(by_id["vapp.c"])  # removed
    new["results"].append(result("vapp.g", "1.5"))  # new
    new["results"].append(result("vapp.a", "5.5", "fail"))  # new: other version, same id
    diff = compare(old, new)
    assert [(c.example, c.old, c.new) for c in diff.regressions] == [("vapp.a", "pass", "error")]
    assert [(c.example, c.old, c.new) for c in diff.fixes] == [("vapp.b", "fail", "pass")]
    assert [(c.example, c.old) for c in diff.removed] == [("vapp.c", "pass")]
    assert [(c.example, c.version) for c in diff.new] == [("vapp.g", "1.5"), ("vapp.a", "5.5")]
    assert [(c.example, c.new) for c in diff.changed] == [("vapp.d", "skip"), ("vapp.e", "error")]
    assert diff.counts() == {"regressions": 1, "fixes": 1, "new": 2, "removed": 1, "changed": 2}


def test_identical_runs_have_no_differences() -> None:
    doc = document([result("vapp.a"), result("vapp.b", status="fail")])
    diff = compare(doc, copy.deepcopy(doc))
    assert not diff.has_regressions
    assert diff.counts() == dict.fromkeys(("regressions", "fixes", "new", "removed", "changed"), 0)
    assert format_text(diff).endswith("0 regression(s), 0 fix(es), 0 new, 0 removed, 0 changed\n")


def test_different_profiles_are_noted() -> None:
    results = [result("admin.a", status="fail"), result("browsing.a")]
    diff = compare(document(results, "guide"), document(results, "core"))
    assert diff.verdicts == [{"version": "5.5", "old": "no", "new": "yes"}]
    assert any("profiles differ (guide -> core)" in n for n in diff.notes)
    assert "note: profiles differ" in format_text(diff)


def test_text_lists_regressions_with_their_first_error() -> None:
    old = document([result("vapp.a", "5.5")], run_id="old")
    failing = result(
        "vapp.a",
        "5.5",
        "fail",
        violations=[
            {"check": "schema.version", "severity": "warning", "message": "meh", "line": 3},
            {
                "check": "example.status",
                "severity": "error",
                "message": "answered 200",
                "line": None,
            },
        ],
    )
    text = format_text(compare(old, document([failing], run_id="new")))
    assert "compare old -> new" in text
    assert (
        "regressions (1):\n  vapp.a @ API 5.5: pass -> fail  [example.status] answered 200" in text
    )
    assert "verdict API 5.5: yes -> no" in text
