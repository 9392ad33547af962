"""The detection matrix: a clean simulator passes everything, every fault is caught precisely."""

from __future__ import annotations

from conformance import selftest
from conformance.simulator.faults import FAULTS


def test_every_fault_names_the_checks_that_catch_it() -> None:
    assert set(selftest.EXPECTED) == {f.name for f in FAULTS}
    assert all(selftest.EXPECTED.values())
    assert set(selftest.HINTS) <= set(selftest.EXPECTED)


def test_the_matrix_is_complete_with_no_false_positive() -> None:
    matrix = selftest.selftest(workers=2)
    print(selftest.render(matrix))  # shown with -s, and in CI logs on failure
    clean = [failure.splitlines()[0] for run in matrix["clean"] for failure in run["failures"]]
    assert clean == [], "the clean simulator must pass every example"
    assert sum(run["cases"] for run in matrix["clean"]) > 900
    missed = [f"{row['fault']}: {row['checks']}" for row in matrix["faults"] if not row["precise"]]
    assert missed == [], "every fault must be caught by a check that names it"
    assert selftest.passed(matrix)
