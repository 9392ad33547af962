"""The run document: counts, pass rates, ordering, verdicts under profiles, writing."""

from __future__ import annotations

from pathlib import Path

from conformance.examples import load as load_catalogue
from conformance.reporting import model, profiles
from conformance.suite import Options, Suite

from .conftest import document, result


def test_counts_and_pass_rate_leave_skips_out() -> None:
    c = model.counts(
        [
            result("a.x"),
            result("a.y", status="fail"),
            result("a.z", status="skip"),
            result("a.w", status="not-applicable"),
        ]
    )
    assert (c["pass"], c["fail"], c["skip"], c["not-applicable"], c["total"]) == (1, 1, 1, 1, 4)
    assert c["pass_rate"] == 0.5
    assert model.counts([result("a.z", status="skip")])["pass_rate"] is None


def test_summary_is_area_by_version_in_numeric_version_order() -> None:
    doc = document(
        [
            result("vapp.power-on", "36.0"),
            result("browsing.versions", "5.10"),
            result("browsing.versions", "5.9", "fail"),
            result("vapp.power-on", "5.9", "error"),
        ]
    )
    assert doc["target"]["api_versions"] == ["5.9", "5.10", "36.0"]
    assert doc["areas"] == ["browsing", "vapp"]  # catalogue order, not alphabetical luck
    cells = {(s["area"], s["version"]): s for s in doc["summary"]}
    assert set(cells) == {
        ("browsing", "5.9"),
        ("browsing", "5.10"),
        ("vapp", "5.9"),
        ("vapp", "36.0"),
    }
    assert cells[("browsing", "5.9")]["pass_rate"] == 0.0
    assert cells[("vapp", "5.9")]["error"] == 1
    totals = {t["version"]: t for t in doc["version_totals"]}
    assert totals["5.9"]["total"] == 2 and totals["5.9"]["pass_rate"] == 0.0
    assert [r["version"] for r in doc["results"]] == ["5.9", "5.9", "5.10", "36.0"]


def test_a_failing_advisory_example_fails_guide_but_not_core() -> None:
    results = [result("browsing.versions"), result("admin.create-org", status="fail")]
    guide = document(results, "guide")["verdicts"][0]
    core = document(results, "core")["verdicts"][0]
    assert guide["verdict"] == "no" and not guide["conforms"]
    assert guide["line"] == "conforms to API 5.5: no, 1 deviation"
    assert [d["example"] for d in guide["deviations"]] == ["admin.create-org"]
    assert core["verdict"] == "yes" and core["conforms"]
    assert core["line"] == "conforms to API 5.5: yes"
    assert [d["example"] for d in core["advisory_failures"]] == ["admin.create-org"]
    assert core["required"] == {"total": 1, "passed": 1}
    assert core["advisory"] == {"total": 1, "passed": 0}


def test_deviations_are_counted_per_version() -> None:
    doc = document(
        [
            result("vapp.a", "1.5", "fail"),
            result("vapp.b", "1.5", "error"),
            result("vapp.c", "1.5", "fail"),
            result("vapp.a", "5.5"),
        ],
        "core",
    )
    lines = [v["line"] for v in doc["verdicts"]]
    assert lines == ["conforms to API 1.5: no, 3 deviations", "conforms to API 5.5: yes"]


def test_skipped_or_missing_required_examples_leave_the_claim_unproven() -> None:
    skipped = document([result("vapp.a"), result("vapp.b", status="skip")])["verdicts"][0]
    assert skipped["verdict"] == "incomplete" and not skipped["conforms"]
    assert skipped["line"].startswith("conforms to API 5.5: not proven, 1 required example")
    # a required example of the catalogue that the run did not execute (deselected)
    catalogue = [ex for ex in load_catalogue() if ex.id == "browsing.versions"]
    doc = model.build(
        [result("browsing.org-list", "5.5")],
        profile=profiles.load("guide"),
        catalogue=catalogue,
        run_id="r",
        started=0.0,
        finished=1.0,
        target={"url": None, "mode": "sim", "product": None, "build": None, "faults": []},
    )
    verdict = doc["verdicts"][0]
    assert verdict["verdict"] == "incomplete"
    assert verdict["not_proven"] == [
        {"example": "browsing.versions", "title": catalogue[0].title, "status": "not-run"}
    ]
    assert verdict["required"] == {"total": 2, "passed": 1}


def test_not_applicable_examples_neither_prove_nor_disprove() -> None:
    verdict = document([result("vapp.a"), result("vapp.b", status="not-applicable")])["verdicts"][0]
    assert verdict["verdict"] == "yes"
    assert verdict["required"]["total"] == 1


def test_a_profile_requiring_nothing_proves_nothing() -> None:
    verdict = document([result("admin.a")], "core")["verdicts"][0]
    assert verdict["verdict"] == "incomplete"
    assert "requires no example" in verdict["line"]


def test_a_rerun_replaces_the_earlier_result() -> None:
    doc = document([result("vapp.a", status="fail"), result("vapp.a")])
    assert len(doc["results"]) == 1 and doc["results"][0]["status"] == "pass"
    assert doc["results"][0]["requirement"] == "required"


# -- target --------------------------------------------------------------------------------


def make_suite(tmp_path: Path, **options: object) -> Suite:
    suite = Suite(Options(**options))  # type: ignore[arg-type]
    suite.collected = [
        result(
            "vapp.power-on",
            "5.5",
            "fail",
            request={
                "method": "POST",
                "url": "https://cloud.example.com/api/vApp/1/power/action/powerOn",
                "status": 200,
                "response_body": "<Task><Secret>hunter2-very-secret</Secret></Task>",
            },
            message="login as alice with hunter2-very-secret failed",
        ),
        result("browsing.versions", "5.5"),
    ]
    suite.redactor.add("hunter2-very-secret")
    return suite


def test_target_info_never_starts_a_simulator(tmp_path: Path) -> None:
    suite = make_suite(tmp_path, mode="sim")
    info = model.target_info(suite)
    assert suite._server is None and suite._target is None
    assert info == {
        "url": None,
        "mode": "sim",
        "product": model.SIMULATOR,
        "build": info["build"],
        "faults": [],
    }
