"""--vcd-read-only is enforced at the transport: no write leaves the process.

A whole read-only run against the simulator, whose request log is the counting
server: nothing but GET, login and logout arrives, although examples and their
fixtures tried to create objects. And a direct client write against a raw
socket server is refused before a connection is even opened.
"""

from __future__ import annotations

import pytest

from conformance.client import VcdClient
from conformance.errors import ReadOnlyViolation
from conformance.results import ERROR, SKIP
from conformance.suite import Options, Suite
from conformance.versions import ApiVersion

from .conftest import Sleeps, versions_document
from .rawserver import RawServer, Reply, Seen

SESSION = (
    b'<Session xmlns="http://www.vmware.com/vcloud/v1.5" user="alice" org="acme" '
    b'href="http://127.0.0.1/api/session/"/>'
)
LOGIN_LOGOUT = {
    ("POST", "/api/sessions"),
    ("POST", "/cloudapi/1.0.0/sessions"),
    ("POST", "/cloudapi/1.0.0/sessions/provider"),
    ("DELETE", "/api/session"),
}


def test_read_only_run_sends_nothing_but_get_login_and_logout() -> None:
    versions = (ApiVersion(36, 0),)  # login through /cloudapi; /api/sessions: below
    suite = Suite(Options(mode="sim", read_only=True, versions=versions, task_timeout=5.0))
    try:
        results = [suite.run(example, version) for example, version in suite.cases()]
        requests = list(suite._server.app.state.chaos.requests)
    finally:
        suite.close()
    writes = {(m, p.rstrip("/")) for m, p in requests if m not in ("GET", "HEAD")}
    assert writes <= LOGIN_LOGOUT, sorted(writes - LOGIN_LOGOUT)
    assert ("GET", "/api/versions") in requests  # the run did talk to the cloud
    skipped = [r for r in results if r.status == SKIP]
    assert skipped and all(r.destructive for r in skipped)
    refused = [r for r in results if "read-only mode: refused" in (r.message or "")]
    # non-destructive examples whose fixtures create objects: stopped at the transport
    assert refused and all(r.status == ERROR for r in refused)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/vApp/vapp-1/power/action/powerOn"),
        ("PUT", "/api/vApp/vapp-1/leaseSettingsSection/"),
        ("DELETE", "/api/vApp/vapp-1"),
        ("PATCH", "/api/org/1"),
        ("POST", "/api/sessions/../vApp/vapp-1/action/deploy"),
        ("DELETE", "/api/session/../vApp/vapp-1"),
    ],
)
def test_a_write_is_refused_before_any_byte_is_sent(method: str, path: str) -> None:
    def script(seen: Seen, n: int) -> Reply:
        if seen.method == "POST":  # the login
            return Reply(body=SESSION, headers={"x-vcloud-authorization": "t0ken"})
        return Reply(body=versions_document(server.url))

    with RawServer(script) as server:
        with VcdClient(server.url, ApiVersion(5, 5), read_only=True, sleep=Sleeps()) as vcd:
            vcd.login("alice", "acme", "pw")  # login is allowed: GET versions, POST sessions
            with pytest.raises(ReadOnlyViolation, match=f"refused {method}"):
                vcd.request(method, f"{server.url}{path}", body=b"<x/>")
            assert vcd.get(f"{server.url}/api/versions").status == 200  # reads still work
        seen = [(r.method, r.path) for r in server.requests]
        login = [("GET", "/api/versions"), ("POST", "/api/sessions")]
        assert seen == [*login, ("GET", "/api/versions")]
        assert server.connections == 3  # the write never opened a connection
