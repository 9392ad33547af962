"""The simulator as a bad cloud (chaos faults): the suite's answer to each.

503 bursts are retried to success; silence, resets, 50 MB bodies and HTML pages
end in errors naming the URL; a task that never ends is a bounded finding; an
expiring session costs exactly one re-login.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from conformance.client import MAX_BODY, VcdClient
from conformance.results import ERROR, FAIL, PASS
from conformance.simulator.faults import SESSION_EXPIRES_AFTER, describe
from conformance.simulator.server import SimServer
from conformance.versions import ApiVersion

from .conftest import Sleeps, run_example, sim_target

MakeSim = Callable[..., SimServer]


def test_chaos_faults_are_known_by_name() -> None:
    for name in (
        "burst-503",
        "hang",
        "reset-mid-body",
        "huge-body",
        "session-expires",
        "html-instead-of-xml",
    ):
        assert describe(name).area == "transport"


def test_burst_503_is_retried_to_a_pass(make_sim: MakeSim) -> None:
    server = make_sim(faults=("burst-503",))
    sleeps = Sleeps()
    result = run_example(
        server.url, "browsing.org-list", password=server.cloud.passwords["tenant"], sleep=sleeps
    )
    assert result.status == PASS, result.summary()
    gets = server.app.state.chaos.count("GET")
    assert gets >= 4
    assert len(sleeps.calls) == gets // 2  # every second GET was a 503, retried once each
    assert set(sleeps.calls) == {0.0}  # Retry-After: 0


def test_hang_ends_at_the_request_timeout(make_sim: MakeSim) -> None:
    server = make_sim(faults=("hang",))
    started = time.monotonic()
    result = run_example(server.url, timeout=0.3)
    assert time.monotonic() - started < 5.0
    assert result.status == ERROR
    assert f"no answer from {server.url}/api/versions within 0.3 s" in (result.message or "")


def test_reset_mid_body_is_an_attributed_error(make_sim: MakeSim) -> None:
    server = make_sim(faults=("reset-mid-body",))
    result = run_example(server.url)
    assert result.status == ERROR
    assert f"{server.url}/api/versions broke the connection mid-answer" in (result.message or "")
    assert server.app.state.chaos.count("GET") == 4  # retried, bounded


def test_50mb_body_is_refused_quickly(make_sim: MakeSim) -> None:
    server = make_sim(faults=("huge-body",))
    started = time.monotonic()
    result = run_example(server.url)
    assert time.monotonic() - started < 5.0
    assert result.status == ERROR
    assert f"{server.url}/api/versions: response body over {MAX_BODY:,} bytes" in (
        result.message or ""
    )
    assert server.app.state.chaos.count("GET") == 1


def test_html_instead_of_xml_is_an_attributed_error(make_sim: MakeSim) -> None:
    server = make_sim(faults=("html-instead-of-xml",))
    for version in ("5.5", "36.0"):  # /api/versions first; /cloudapi login, then /api/session
        result = run_example(server.url, version=version, password=server.cloud.passwords["tenant"])
        assert result.status in (ERROR, FAIL), result.summary()
        text = (result.message or "") + " ".join(v.message for v in result.violations)
        assert server.url in text and ("XML" in text or "xml" in text), text


def test_task_that_never_ends_is_a_bounded_finding(make_sim: MakeSim) -> None:
    server = make_sim(faults=("task-never-ends",))
    started = time.monotonic()
    result = run_example(
        server.url,
        "browsing.vapp",
        password=server.cloud.passwords["tenant"],
        task_timeout=0.5,
        sleep=time.sleep,
    )
    assert time.monotonic() - started < 10
    assert result.status in (ERROR, FAIL)
    assert "task.terminates" in {v.check for v in result.violations}, result.summary()


def test_session_expiry_costs_exactly_one_relogin(make_sim: MakeSim) -> None:
    server = make_sim(faults=("session-expires",))
    for version in (ApiVersion(5, 5), ApiVersion(36, 0)):
        before = len({id(s) for s in server.cloud.sessions.values()})
        with VcdClient(server.url, version, sleep=Sleeps(), timeout=5) as vcd:
            vcd.login("alice", "acme", server.cloud.passwords["tenant"])
            statuses = [vcd.get("/api/org").status for _ in range(SESSION_EXPIRES_AFTER + 5)]
            assert statuses == [200] * len(statuses)
            assert vcd.relogins == 1
            made = len({id(s) for s in server.cloud.sessions.values()}) - before
            assert made == 2  # the first session and exactly one more
            # the second session expires too: no third login, the 401 is reported
            statuses = [vcd.get("/api/org").status for _ in range(SESSION_EXPIRES_AFTER)]
            assert statuses[-1] == 401 and vcd.relogins == 1


def test_an_unforeseen_bug_is_an_error_result_not_a_crash(
    make_sim: MakeSim, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conformance import runner
    from conformance.suite import Options, Suite

    def broken(self: runner.Runner, example: object) -> None:
        raise KeyError("a bug in the suite")

    monkeypatch.setattr(runner.Runner, "run", broken)
    suite = Suite(Options(mode="sim", versions=(ApiVersion(5, 5),)))
    try:
        example, version = suite.cases()[0]
        result = suite.run(example, version)
    finally:
        suite.close()
    assert result.status == ERROR
    assert f"internal error running {example.id} @ API 5.5" in (result.message or "")
    assert "KeyError" in (result.message or "") and result in suite.results


def test_version_discovery_against_a_bad_cloud_is_a_clear_error(make_sim: MakeSim) -> None:
    from conformance.errors import ConformanceError
    from conformance.suite import Options, Suite

    server = make_sim(faults=("html-instead-of-xml",))
    options = Options(mode="live", url=server.url, org="acme", user="alice", timeout=2)
    suite = Suite(options)
    suite._target = sim_target(server)
    expected = f"cannot list the versions of {server.url}: .*text/html.*not XML"
    with pytest.raises(ConformanceError, match=expected):
        suite.versions()
