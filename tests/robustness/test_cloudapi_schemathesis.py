"""/cloudapi against VMware's Swagger descriptions, with schemathesis (seeded, bounded).

The simulator's branding and UI-extension endpoints must survive generated
requests: no 5xx, documented statuses (or a 4xx carrying the Error body),
bodies and Content-Types as described, invalid bodies refused. Then the same
engine against deliberately broken handlers must report each breakage.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from starlette.responses import Response

from conformance.client import VcdClient
from conformance.fuzz import cloudapi as engine
from conformance.simulator.handlers import cloudapi as handlers
from conformance.simulator.server import SimServer
from conformance.versions import ApiVersion

SEED = 20240611
MakeSim = Callable[..., SimServer]


def token(server: SimServer, who: str = "system") -> str:
    user, org = ("administrator", "System") if who == "system" else ("alice", "acme")
    with VcdClient(server.url, ApiVersion(36, 0), timeout=5) as client:
        client.login(user, org, server.cloud.passwords["system" if who == "system" else "tenant"])
        assert client.bearer
        return client.bearer


@pytest.fixture
def sim(make_sim: MakeSim) -> Iterator[SimServer]:
    yield make_sim()


def test_simulator_conforms_to_the_descriptions(sim: SimServer) -> None:
    report = engine.run(sim.url, token(sim), seed=SEED, max_examples=10, time_budget=25)
    assert not report.failures, f"seed {SEED}:\n" + "\n".join(report.failures)
    assert not report.problems, report.problems
    ran = {o.label for o in report.outcomes if o.examples}
    assert len(ran) == 18, sorted({o.label for o in report.outcomes} - ran)  # every operation
    seen = {code for o in report.outcomes for code in o.statuses}
    assert {200, 201, 204, 400, 404} <= seen, seen
    negative = [o for o in report.outcomes if o.mode == "negative"]
    assert negative and all(
        all(400 <= code < 500 for code in o.statuses) for o in negative if o.examples
    )
    assert report.seconds < 30
    # what the run created is gone again; the branding is what it was
    ui = handlers.state(sim.cloud)
    assert ui.plugins == {} and ui.branding["portalName"] == "vCloud Director"


def test_broken_handlers_are_reported(sim: SimServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def themes(call: handlers.ApiCall) -> Response:
        return handlers.json_response([{"themeType": 7}])  # name missing, wrong type

    def crash(call: handlers.ApiCall) -> Response:
        raise RuntimeError("handler bug")

    def accept_anything(call: handlers.ApiCall) -> Response:
        return handlers.json_response(call.ui.branding)  # no validation: silent 200

    monkeypatch.setattr(handlers, "get_themes", themes)
    monkeypatch.setattr(handlers, "delete_plugin_resource", crash)
    monkeypatch.setattr(handlers, "put_branding", accept_anything)
    broken = SimServer(sim.cloud.config).start()  # routes are bound when the app is built
    try:
        report = engine.run(broken.url, token(broken), seed=SEED, max_examples=6)
    finally:
        broken.stop()
    failing = {f.split(":")[0] for f in report.failures}
    assert "GET /branding/themes (positive)" in failing, report.failures
    assert "DELETE /extensions/ui/{id}/plugin (positive)" in failing, report.failures
    assert "PUT /branding (negative)" in failing, report.failures
    assert any("500" in f for f in report.failures if "plugin" in f)


def test_same_seed_same_requests(sim: SimServer) -> None:
    first = engine.run(sim.url, token(sim), seed=SEED, max_examples=4, paths=["/branding"])
    second = engine.run(sim.url, token(sim), seed=SEED, max_examples=4, paths=["/branding"])
    shape = [(o.label, o.mode, o.examples, o.statuses) for o in first.outcomes]
    assert shape == [(o.label, o.mode, o.examples, o.statuses) for o in second.outcomes]


def test_garbage_is_refused_never_a_5xx(sim: SimServer) -> None:
    bearer = {"Authorization": f"Bearer {token(sim)}"}
    tenant = {"Authorization": f"Bearer {token(sim, 'tenant')}"}
    with httpx.Client(base_url=f"{sim.url}/cloudapi", timeout=5) as http:
        cases = [
            ("PUT", "/branding", bearer, b"not json", 400),
            ("PUT", "/branding", bearer, b"[1, 2]", 400),
            ("PUT", "/branding", bearer, json.dumps({"customLinks": "x"}).encode(), 400),
            ("POST", "/extensions/ui", bearer, b"{" * 10_000, 400),
            ("POST", "/extensions/ui", bearer, json.dumps({"pluginName": "x"}).encode(), 400),
            ("POST", "/extensions/ui", {}, b"{}", 401),
            ("POST", "/extensions/ui", tenant, b"{}", 403),
            ("PUT", "/branding/logo", bearer, b"GIF89a", 415),
            ("GET", "/extensions/ui/urn:vcloud:uiPlugin:nope", bearer, b"", 404),
            ("POST", "/extensions/ui/nope/tenants/publish", bearer, b"[]", 404),
        ]
        for method, path, headers, body, expected in cases:
            answer = http.request(
                method,
                path,
                content=body,
                headers={**headers, "Content-Type": "application/json"},
            )
            assert answer.status_code == expected, (method, path, body[:30], answer.text)
            error = answer.json()
            assert set(error) >= {"minorErrorCode", "message"}, error


def test_read_only_fuzzing_sends_only_gets(sim: SimServer) -> None:
    bearer = token(sim)
    before = len(sim.app.state.chaos.requests)
    report = engine.run(sim.url, bearer, seed=SEED, max_examples=3, read_only=True)
    sent = sim.app.state.chaos.requests[before:]
    assert sent and {m for m, _ in sent} == {"GET"}, sorted(set(sent))
    assert not report.failures
    assert all(o.skipped == "read-only mode" for o in report.outcomes if o.label[:3] != "GET")
