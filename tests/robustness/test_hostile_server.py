"""The suite survives a bad cloud: a scripted hostile server on loopback.

Every case ends in an attributed error (status error or fail, a message naming
the URL and the cause) or in a successful retry: never a hang, never a
traceback. Backoff is recorded, not slept; request counts are exact.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import trustme

from conformance.client import MAX_BODY, VcdClient
from conformance.errors import TransportError
from conformance.results import ERROR, FAIL, PASS
from conformance.versions import ApiVersion

from .. import hostile
from .conftest import Sleeps, run_example, versions_document
from .rawserver import Hang, RawServer, Reply, Reset, Seen, Trickle, free_port

V55 = ApiVersion(5, 5)


def client(url: str, sleeps: Sleeps, timeout: float = 2.0, **kwargs: object) -> VcdClient:
    return VcdClient(url, V55, timeout=timeout, sleep=sleeps, **kwargs)  # type: ignore[arg-type]


def test_connection_refused_is_an_attributed_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    sleeps = Sleeps()
    started = time.monotonic()
    result = run_example(url, sleep=sleeps)
    assert result.status == ERROR
    assert f"cannot connect to {url}/api/versions" in (result.message or "")
    assert sleeps.calls == [0.2, 0.4, 0.8]  # a GET: retried three times, bounded backoff
    assert time.monotonic() - started < 5


def test_refused_tls_certificate_names_the_cure(tmp_path: Path) -> None:
    ca = trustme.CA()
    context = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)

    def script(seen: Seen, n: int) -> Reply:
        return Reply(body=versions_document("https://127.0.0.1"))

    with RawServer(script, tls=context) as server:
        sleeps = Sleeps()
        result = run_example(server.url, sleep=sleeps)
        assert result.status == ERROR
        message = result.message or ""
        assert f"TLS verification failed for {server.url}/api/versions" in message
        assert "--vcd-insecure" in message
        assert sleeps.calls == []  # a certificate does not get better by asking again
        assert server.count() == 0

        with client(server.url, Sleeps(), verify=False) as insecure:  # --vcd-insecure
            assert insecure.login_url() == "https://127.0.0.1/api/sessions"
        ca_file = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        with client(server.url, Sleeps(), verify=str(ca_file)) as trusting:
            assert trusting.login_url() == "https://127.0.0.1/api/sessions"
        assert server.count("GET", "/api/versions") == 2


def test_tls_simulator_with_and_without_insecure(make_sim) -> None:  # type: ignore[no-untyped-def]
    server = make_sim(tls=True)
    password = server.cloud.passwords["tenant"]
    refused = run_example(server.url, password=password)
    assert refused.status == ERROR and "--vcd-insecure" in (refused.message or "")
    assert run_example(server.url, password=password, verify=False).status == PASS
    assert run_example(server.url, password=password, verify=str(server.ca_file)).status == PASS


def test_reset_mid_body_is_retried_then_attributed() -> None:
    body = versions_document("http://127.0.0.1") * 3

    def script(seen: Seen, n: int) -> Reset:
        return Reset(Reply(body=body), sent=40)

    with RawServer(script) as server:
        sleeps = Sleeps()
        result = run_example(server.url, sleep=sleeps)
        assert result.status == ERROR
        assert f"{server.url}/api/versions broke the connection mid-answer" in (
            result.message or ""
        )
        assert server.count("GET", "/api/versions") == 4
        assert len(sleeps.calls) == 3


def test_one_reset_then_a_good_answer_is_a_successful_retry() -> None:
    def script(seen: Seen, n: int) -> Reply | Reset:
        good = Reply(body=versions_document("http://127.0.0.1"))
        return Reset(good, sent=10) if n == 1 else good

    with RawServer(script) as server, client(server.url, Sleeps()) as vcd:
        assert vcd.login_url() == "http://127.0.0.1/api/sessions"
        assert server.count() == 2
        assert [e.attempt for e in vcd.exchanges] == [1, 2]


def test_5xx_burst_get_retried_post_never() -> None:
    def script(seen: Seen, n: int) -> Reply:
        if seen.method == "POST":
            return Reply(503, b"", headers={"Retry-After": "0"})
        if n <= 2:
            return Reply(503, b"busy", "text/plain", {"Retry-After": "0"})
        return Reply(body=versions_document(server.url))

    with RawServer(script) as server:
        sleeps = Sleeps()
        result = run_example(server.url, sleep=sleeps)
        assert result.status == ERROR
        assert f"login at {server.url}/api/sessions answered 503" in (result.message or "")
        assert server.count("GET", "/api/versions") == 3  # two 503s, then the answer
        assert server.count("POST") == 1  # a POST is never sent twice
        assert sleeps.calls == [0.0, 0.0]  # Retry-After: 0 honoured


def test_persistent_503_gives_up_after_bounded_retries() -> None:
    def script(seen: Seen, n: int) -> Reply:
        return Reply(503, b"", headers={"Retry-After": "86400"})

    with RawServer(script) as server, client(server.url, sleeps := Sleeps()) as vcd:
        with pytest.raises(TransportError, match="answered 503"):
            vcd.login_url()
        assert server.count() == 4
        assert sleeps.calls == [10.0, 10.0, 10.0]  # a day-long Retry-After is capped


def test_server_that_stops_answering_times_out() -> None:
    with RawServer(lambda seen, n: Hang()) as server:
        sleeps = Sleeps()
        started = time.monotonic()
        result = run_example(server.url, timeout=0.3, sleep=sleeps)
        elapsed = time.monotonic() - started
        assert result.status == ERROR
        assert f"no answer from {server.url}/api/versions within 0.3 s" in (result.message or "")
        assert server.count() == 4 and len(sleeps.calls) == 3
        assert elapsed < 5.0  # 4 x 0.3 s, not 4 x the default 30 s


def test_trickling_body_is_cut_at_the_request_timeout() -> None:
    body = b"<x>" + b"a" * 200_000 + b"</x>"

    trickle = RawServer(lambda seen, n: Trickle(Reply(body=body), chunk=32, pause=0.02))
    with trickle as server, client(server.url, Sleeps(), timeout=0.5, get_retries=0) as vcd:
        started = time.monotonic()
        with pytest.raises(TransportError, match="body was still arriving"):
            vcd.get(f"{server.url}/api/versions")
        assert time.monotonic() - started < 3.0


def test_announced_50mb_body_is_refused_without_reading_it() -> None:
    huge = Reply(body=b"<Task>", length=50 * 1024 * 1024)

    with RawServer(lambda seen, n: Trickle(huge, chunk=1, pause=0.5)) as server:
        sleeps = Sleeps()
        started = time.monotonic()
        result = run_example(server.url, sleep=sleeps)
        assert time.monotonic() - started < 3.0  # the body would take 290 days
        assert result.status == ERROR
        message = result.message or ""
        assert f"GET {server.url}/api/versions: response body over {MAX_BODY:,} bytes" in message
        assert server.count() == 1 and sleeps.calls == []  # a refusal is not retried


@pytest.mark.parametrize("kind", ["xxe", "billion-laughs", "external-dtd"])
def test_hostile_xml_in_answers_is_refused(kind: str, tmp_path: Path) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(hostile.SECRET)
    with RawServer(lambda seen, n: Reply(body=b"<x/>")) as dtd_host:
        bodies = {
            "xxe": hostile.xxe_file(secret_file),
            "billion-laughs": hostile.billion_laughs(),
            "external-dtd": hostile.external_dtd(f"{dtd_host.url}/evil.dtd"),
        }

        def script(seen: Seen, n: int) -> Reply:
            if seen.path == "/api/versions":
                return Reply(body=versions_document(server.url))
            if seen.method == "POST":  # the login answer is the hostile document
                return Reply(body=bodies[kind], headers={"x-vcloud-authorization": "t0ken-x"})
            return Reply(404, b"")

        with RawServer(script) as server:
            result = run_example(server.url)
        assert result.status in (ERROR, FAIL)
        text = (result.message or "") + " ".join(v.message for v in result.violations)
        assert f"{server.url}/api/sessions" in text
        assert "DTD" in text or "refused" in text
        assert hostile.SECRET not in text
        assert dtd_host.count() == 0  # the external DTD was never fetched


def test_credentials_never_go_to_another_origin() -> None:
    """A LoginUrl or a link on another host gets neither the password nor the token."""
    with RawServer(lambda seen, n: Reply(401, b"")) as elsewhere:

        def script(seen: Seen, n: int) -> Reply:
            if seen.path == "/api/versions":
                return Reply(body=versions_document(server.url))
            if seen.method == "POST":
                session = (
                    '<Session xmlns="http://www.vmware.com/vcloud/v1.5" user="alice" org="acme">'
                    f'<Link rel="down" type="application/vnd.vmware.vcloud.orgList+xml" '
                    f'href="{elsewhere.url}/api/org/"/></Session>'
                ).encode()
                return Reply(body=session, headers={"x-vcloud-authorization": "t0ken-123"})
            return Reply(404, b"")

        with RawServer(script) as server:
            result = run_example(server.url, "browsing.org-list")
            assert result.status in (ERROR, FAIL)
            assert elsewhere.count("GET", "/api/org/") == 1  # the link was followed...
            seen = elsewhere.requests[0].headers
            assert "x-vcloud-authorization" not in seen and "authorization" not in seen  # bare

            def foreign_login(seen: Seen, n: int) -> Reply:
                return Reply(body=versions_document(elsewhere.url))

            server.script = foreign_login
            with client(server.url, Sleeps()) as vcd, pytest.raises(TransportError, match="401"):
                vcd.login("alice", "acme", "pw-never-sent")
            posted = [r for r in elsewhere.requests if r.method == "POST"]
            assert len(posted) == 1 and "authorization" not in posted[0].headers
