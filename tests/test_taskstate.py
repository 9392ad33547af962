"""taskstate: statuses, legal transitions, and the invariants of one Task."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from lxml import etree

from conformance import taskstate as ts

STATUSES = list(ts.STATUSES)


def test_status_sets() -> None:
    assert set(ts.STATUSES) == ts.ACTIVE | ts.TERMINAL
    assert not ts.ACTIVE & ts.TERMINAL
    assert set(ts.TRANSITIONS) == set(ts.STATUSES)


@pytest.mark.parametrize(
    ("previous", "current"),
    [
        ("queued", "preRunning"),
        ("queued", "running"),
        ("queued", "error"),
        ("queued", "canceled"),
        ("preRunning", "running"),
        ("preRunning", "aborted"),
        ("running", "success"),
        ("running", "error"),
        ("running", "running"),
        ("success", "success"),
    ],
    ids=lambda s: s,
)
def test_legal(previous: str, current: str) -> None:
    assert ts.is_legal(previous, current)


@pytest.mark.parametrize(
    ("previous", "current"),
    [
        ("running", "queued"),
        ("running", "preRunning"),
        ("preRunning", "queued"),
        ("success", "running"),
        ("error", "success"),
        ("canceled", "queued"),
        ("aborted", "error"),
        ("unknown", "running"),
    ],
    ids=lambda s: s,
)
def test_illegal(previous: str, current: str) -> None:
    assert not ts.is_legal(previous, current)


@pytest.mark.parametrize("terminal", sorted(ts.TERMINAL))
def test_terminal_statuses_never_move(terminal: str) -> None:
    for other in STATUSES:
        assert ts.is_legal(terminal, other) is (other == terminal)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2011-09-12T10:15:30.120-07:00",
            datetime(2011, 9, 12, 10, 15, 30, 120000, timezone(timedelta(hours=-7))),
        ),
        ("2013-11-12T00:00:00Z", datetime(2013, 11, 12, tzinfo=UTC)),
        ("not a time", None),
        ("", None),
        (None, None),
    ],
    ids=["offset", "zulu", "garbage", "empty", "none"],
)
def test_parse_time(value: str | None, expected: datetime | None) -> None:
    assert ts.parse_time(value) == expected


TASK = (
    '<Task xmlns="http://www.vmware.com/vcloud/v1.5" status="running" operationName="vappDeploy" '
    'startTime="2011-09-12T10:15:30Z" href="https://x.example/api/task/1">'
    '<Link rel="task:cancel" href="https://x.example/api/task/1/action/cancel"/>'
    '<Owner href="https://x.example/api/vApp/vapp-1"/><Progress> 40 </Progress></Task>'
)


def test_snapshot_from_element() -> None:
    snap = ts.TaskSnapshot.from_element(etree.fromstring(TASK))
    assert snap.status == "running"
    assert snap.operation_name == "vappDeploy"
    assert snap.progress == 40 and snap.progress_text == "40"
    assert snap.has_owner and snap.owner_href == "https://x.example/api/vApp/vapp-1"
    assert snap.has_cancel_link and not snap.has_error
    assert snap.href == "https://x.example/api/task/1"
    assert snap.line == 1
    assert not snap.is_terminal
    assert list(ts.invariant_problems(snap)) == []


def test_iter_tasks_finds_root_and_embedded() -> None:
    vapp = etree.fromstring(
        '<VApp xmlns="http://www.vmware.com/vcloud/v1.5"><Tasks>'
        '<Task status="running"/><Task status="queued"/></Tasks></VApp>'
    )
    assert [t.get("status") for t in ts.iter_tasks(vapp)] == ["running", "queued"]
    assert len(list(ts.iter_tasks(etree.fromstring(TASK)))) == 1


GOOD = ts.TaskSnapshot(
    status="running",
    progress=10,
    progress_text="10",
    start_time="2011-09-12T10:00:00Z",
    has_owner=True,
)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"status": "paused"}, "not a Task status"),
        ({"progress": None, "progress_text": "ten"}, "not an integer"),
        ({"progress": 101, "progress_text": "101"}, "outside 0..100"),
        ({"status": "success"}, "endTime is missing"),
        ({"end_time": "2011-09-12T11:00:00Z"}, "not terminal) but endTime is set"),
        ({"status": "success", "end_time": "2011-09-12T09:00:00Z"}, "before startTime"),
        ({"status": "error", "end_time": "2011-09-12T11:00:00Z"}, "no Error element"),
        ({"has_error": True}, "carries an Error element but its status is running"),
        (
            {"status": "canceled", "end_time": "2011-09-12T11:00:00Z", "has_cancel_link": True},
            "task:cancel link offered on a canceled",
        ),
        ({"has_owner": False}, "has no Owner"),
    ],
    ids=[
        "status",
        "progress-text",
        "progress-range",
        "terminal-no-end",
        "active-with-end",
        "end-before-start",
        "error-no-element",
        "error-element-not-error",
        "cancel-terminal",
        "no-owner",
    ],
)
def test_each_invariant(changes: dict[str, object], fragment: str) -> None:
    problems = list(ts.invariant_problems(replace(GOOD, **changes)))  # type: ignore[arg-type]
    assert len(problems) == 1, problems
    assert fragment in problems[0]


def test_unknown_status_with_error_is_reported_once() -> None:
    problems = list(ts.invariant_problems(replace(GOOD, status="weird", has_error=True)))
    assert problems == [f"status 'weird' is not a Task status (one of {', '.join(ts.STATUSES)})"]


def test_unparsable_times_are_not_compared() -> None:
    snap = replace(GOOD, status="success", start_time="soon", end_time="later")
    assert list(ts.invariant_problems(snap)) == []
