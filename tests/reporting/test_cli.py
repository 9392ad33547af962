"""``vcd-conformance report compare|render``: output, exit codes 0/1/2, clear errors."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from conformance.reporting.cli import add_report_parser, cmd_report

from .conftest import Runs, document, result


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``report ...`` through a parser wired the way the main command wires it."""
    from conformance.cli import _Parser

    parser = _Parser(prog="vcd-conformance")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    add_report_parser(sub)
    args = parser.parse_args(["report", *argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_exits_1_and_lists_the_regression(
    real_runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = report(
        capsys, "compare", str(real_runs.baseline.folder), str(real_runs.faulty.json)
    )
    assert code == 1, err
    assert "compare baseline -> faulty" in out
    assert "vapp.power-on @ API 1.5: pass -> fail" in out
    assert "regression(s)" in out.splitlines()[-1] and not out.splitlines()[-1].startswith("0 ")


def test_compare_exits_0_without_regressions(
    real_runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    # faulty -> baseline: only fixes
    code, out, _ = report(
        capsys, "compare", str(real_runs.faulty.folder), str(real_runs.baseline.folder)
    )
    assert code == 0
    assert "regressions (0):" in out and "fixes (0):" not in out


def test_compare_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(document([result("vapp.a")], run_id="a")), "utf-8")
    new.write_text(json.dumps(document([result("vapp.a", status="error")], run_id="b")), "utf-8")
    code, out, _ = report(capsys, "compare", str(old), str(new), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["counts"]["regressions"] == 1
    assert data["regressions"][0] == {
        "example": "vapp.a",
        "version": "5.5",
        "title": "Title of vapp.a",
        "old": "pass",
        "new": "error",
        "detail": None,
    }


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing", "no such run folder or file"),
        ("empty-dir", "has no compatibility.json"),
        ("other-json", "is not a compatibility.json"),
        ("old-format", "has format 1"),
    ],
)
def test_compare_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, expected: str
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(document([result("vapp.a")])), "utf-8")
    bad = tmp_path / "bad"
    if setup == "empty-dir":
        bad.mkdir()
    elif setup == "other-json":
        bad.write_text('{"files": []}', "utf-8")
    elif setup == "old-format":
        bad.write_text('{"format": 1, "run_id": "x", "results": []}', "utf-8")
    code, out, err = report(capsys, "compare", str(good), str(bad))
    assert code == 2
    assert out == ""
    assert err.startswith("vcd-conformance: error: ") and expected in err


def test_missing_arguments_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        report(capsys, "compare", "only-one")
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        report(capsys)
    assert info.value.code == 2


def test_render_rebuilds_html_and_markdown(
    real_runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "faulty"
    shutil.copytree(real_runs.faulty.folder, folder)
    (folder / "compatibility.html").unlink()
    (folder / "compatibility.md").unlink()
    code, out, err = report(capsys, "render", str(folder))
    assert code == 0, err
    assert out.split() == [str(folder / "compatibility.html"), str(folder / "compatibility.md")]
    html = (folder / "compatibility.html").read_text("utf-8")
    assert "conforms to API 1.5: no" in html and 'id="diff"' not in html
    # same document, same page: render is a pure function of the JSON
    assert html == (real_runs.faulty.folder / "compatibility.html").read_text("utf-8")
    code, _, _ = report(
        capsys,
        "render",
        str(folder / "compatibility.json"),
        "--baseline",
        str(real_runs.baseline.folder),
    )
    assert code == 0
    html = (folder / "compatibility.html").read_text("utf-8")
    md = (folder / "compatibility.md").read_text("utf-8")
    assert 'id="diff"' in html and "Against baseline" in html
    assert "**Against baseline `baseline`:**" in md


def test_render_of_a_missing_run_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = report(capsys, "render", str(tmp_path / "nowhere"))
    assert code == 2 and "no such run folder" in err


def test_the_parser_can_be_added_to_any_subparsers() -> None:
    parser = argparse.ArgumentParser()
    add_report_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["report", "render", "x", "--baseline", "y"])
    assert (args.report_command, args.run, args.baseline) == ("render", "x", "y")
    assert args.func is cmd_report
