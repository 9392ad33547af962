"""Replay: never sleeps, and a miss names the example, the request and the closest one."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from conformance import examples, watcher
from conformance.cassettes import path_for
from conformance.suite import SUITE_FILE, Options, Suite
from conformance.versions import ApiVersion

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
V55 = ApiVersion.parse("5.5")
TASK_HEAVY = ("vapp.clone", "vapp.power-on", "tasks.cancel-leads-to-aborted", "blocking.resume")


def replay_suite(root: Path) -> Suite:
    return Suite(Options(mode="replay", cassettes=root, versions=(V55,)))


def test_replay_never_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"replay slept {seconds} s")

    monkeypatch.setattr(time, "sleep", no_sleep)
    monkeypatch.setattr(watcher.time, "sleep", no_sleep)
    suite = replay_suite(CASSETTES)
    for ident in TASK_HEAVY:
        example = examples.by_id(ident)
        result = suite.run(example, V55)
        assert result.status == "pass", result.summary()
        if example.expect.task is not None:
            assert result.tasks, f"{ident} watched no task"


def test_repeated_identical_polls_replay_their_recorded_answers_in_order() -> None:
    suite = replay_suite(CASSETTES)
    result = suite.run(examples.by_id("vapp.clone"), V55)
    assert result.status == "pass", result.summary()
    statuses = [o["status"] for t in result.tasks for o in t["observations"]]
    assert statuses[-1] == "success"
    assert len(statuses) > 1, "the clone task was polled more than once while recording"


def test_a_replay_miss_names_the_example_the_request_and_the_closest_recorded(
    tmp_path: Path,
) -> None:
    example = examples.by_id("browsing.vdc")
    source = path_for(CASSETTES, "5.5", example.area, example.id)
    target = path_for(tmp_path, "5.5", example.area, example.id)
    target.parent.mkdir(parents=True)
    shutil.copy(CASSETTES / SUITE_FILE, tmp_path / SUITE_FILE)
    data = yaml.safe_load(source.read_text("utf-8"))
    dropped = next(i for i in data["interactions"] if "/api/vdc/" in i["request"]["uri"])
    data["interactions"].remove(dropped)
    target.write_text(yaml.safe_dump(data), "utf-8")
    result = replay_suite(tmp_path).run(example, V55)
    assert result.status == "error"
    message = result.message or ""
    assert "browsing.vdc @ API 5.5" in message
    assert "GET /api/vdc/" in message
    assert "closest recorded request" in message


def test_a_missing_cassette_says_how_to_record_it(tmp_path: Path) -> None:
    shutil.copy(CASSETTES / SUITE_FILE, tmp_path / SUITE_FILE)
    result = replay_suite(tmp_path).run(examples.by_id("browsing.org"), V55)
    assert result.status == "error"
    assert "no cassette" in (result.message or "") and "--vcd-mode record" in (result.message or "")
