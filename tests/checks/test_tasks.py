"""task.invariants."""

from __future__ import annotations

import pytest

from .conftest import RunCheck, load


@pytest.mark.parametrize(
    "rel",
    [
        "1.5/task-running.xml",
        "1.5/task-success.xml",
        "1.5/task-error.xml",
        "5.1/task-running.xml",
        "5.5/task-error.xml",
        "5.5/task-success.xml",
    ],
    ids=lambda r: r.replace("/", "-").removesuffix(".xml"),
)
def test_silent_on_real_tasks(run_check: RunCheck, rel: str) -> None:
    assert run_check("task.invariants", load(rel)) == []


RUNNING = "1.5/task-running.xml"
SUCCESS = "1.5/task-success.xml"
ERROR = "1.5/task-error.xml"
CANCEL = '    <Link rel="task:cancel" href="https://cloud.example.net/api/task/1/action/cancel"/>\n'


@pytest.mark.parametrize(
    ("rel", "replacements", "fragment"),
    [
        (RUNNING, [('status="running"', 'status="paused"')], "'paused' is not a Task status"),
        (RUNNING, [("<Progress>40</Progress>", "<Progress>lots</Progress>")], "is not an integer"),
        (RUNNING, [("<Progress>40</Progress>", "<Progress>140</Progress>")], "outside 0..100"),
        (RUNNING, [("<Progress>40</Progress>", "<Progress>-1</Progress>")], "outside 0..100"),
        (SUCCESS, [(' endTime="2011-09-12T10:16:12.870-07:00"', "")], "endTime is missing"),
        (
            RUNNING,
            [('status="running"', 'status="running" endTime="2011-09-12T11:00:00Z"')],
            "not terminal) but endTime is set",
        ),
        (
            SUCCESS,
            [
                (
                    'endTime="2011-09-12T10:16:12.870-07:00"',
                    'endTime="2011-09-12T10:00:00.000-07:00"',
                )
            ],
            "is before startTime",
        ),
        (
            ERROR,
            [("    <Error ", "    <ErrorX "), ('majorErrorCode="500"/>', 'majorErrorCode="500"/>')],
            "no Error element",
        ),
        (
            SUCCESS,
            [
                (
                    "    <Owner",
                    '    <Error minorErrorCode="X" message="m" majorErrorCode="500"/>\n    <Owner',
                )
            ],
            "carries an Error element but its status is success",
        ),
        (SUCCESS, [("    <Owner", CANCEL + "    <Owner")], "task:cancel link offered on a success"),
        (RUNNING, [("<Owner ", "<Ownr ")], "has no Owner"),
    ],
    ids=[
        "bad-status",
        "progress-text",
        "progress-high",
        "progress-negative",
        "terminal-no-end",
        "active-with-end",
        "end-before-start",
        "error-without-error",
        "success-with-error",
        "cancel-on-terminal",
        "no-owner",
    ],
)
def test_fires(
    run_check: RunCheck, rel: str, replacements: list[tuple[str, str]], fragment: str
) -> None:
    found = run_check("task.invariants", load(rel, *replacements))
    assert any(fragment in v.message for v in found), [v.message for v in found]
    assert all(v.path == "/Task" and v.line == 2 for v in found)


def test_fires_on_tasks_embedded_in_an_entity(run_check: RunCheck) -> None:
    embedded = (
        "    <Tasks>\n"
        '        <Task status="running" endTime="2011-09-12T10:00:00Z" name="task" '
        'href="https://cloud.example.net/api/task/1">'
        '<Owner href="https://cloud.example.net/api/vApp/vapp-1"/></Task>\n'
        "    </Tasks>\n"
    )
    body = load(
        "1.5/vapp.xml", ("    <LeaseSettingsSection", embedded + "    <LeaseSettingsSection")
    )
    (violation,) = run_check("task.invariants", body)
    assert violation.path == "/VApp/Tasks/Task"
    assert "endTime is set" in violation.message
