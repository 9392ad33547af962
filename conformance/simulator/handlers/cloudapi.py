"""``/cloudapi`` JSON endpoints: branding and UI extensions (plugins), as the Swagger says.

Authentication is the Bearer token of ``POST /cloudapi/1.0.0/sessions`` (or the
``x-vcloud-authorization`` token). Reading the branding is public (the login
page shows it); changing it, and managing UI extensions, is for system
administrators. Request bodies are validated against the description's own
schemas (read from the bundle, :mod:`conformance.openapi`); anything invalid is
a 400 with the common ``Error`` JSON, never a 5xx.
"""

from __future__ import annotations

import json
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import openapi
from ...errors import ConformanceError
from ..cloud import Cloud, CloudError, Session
from ..http import MAX_BODY, session_token

BASE = "/cloudapi"
JSON = "application/json"
LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
#: The smallest valid PNG (1x1, transparent): the default logo.
DEFAULT_LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
THEMES = ({"themeType": "BUILT_IN", "name": "Default"}, {"themeType": "BUILT_IN", "name": "Dark"})
PATHS = openapi.SIMULATED_PATHS


@dataclass
class UiState:
    """What the /cloudapi endpoints keep (in memory, per simulator)."""

    branding: dict[str, Any] = field(
        default_factory=lambda: {
            "portalName": "vCloud Director",
            "portalColor": "",
            "selectedTheme": dict(THEMES[0]),
            "customLinks": [],
        }
    )
    logo: tuple[bytes, str] = (DEFAULT_LOGO, "image/png")
    plugins: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: plugin id -> org ids it is published to
    tenants: dict[str, set[str]] = field(default_factory=dict)
    spec: dict[str, Any] | None = None


_STATES: weakref.WeakKeyDictionary[Cloud, UiState] = weakref.WeakKeyDictionary()


def state(cloud: Cloud) -> UiState:
    if cloud not in _STATES:
        ui = UiState()
        try:
            ui.spec = openapi.load(PATHS, cloud.config.schemas)
        except (ConformanceError, OSError):
            ui.spec = None  # no descriptions in the bundle: bodies are checked for shape only
        _STATES[cloud] = ui
    return _STATES[cloud]


@dataclass
class ApiCall:
    request: Request
    cloud: Cloud
    ui: UiState
    session: Session | None
    body: bytes
    params: dict[str, str]

    def json(self, path: str, method: str) -> Any:
        """The JSON body, validated against the operation's schema; CloudError(400) if not."""
        try:
            value = json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise CloudError(400, "BAD_REQUEST", "The request body is not JSON.") from None
        schema = openapi.body_schema(self.ui.spec, path, method) if self.ui.spec else None
        if schema is None:  # no descriptions in the bundle: the shape, at least
            schema = {"type": "array" if path.endswith("publish") else "object"}
        problems = openapi.errors(schema, value)
        if problems:
            raise CloudError(400, "BAD_REQUEST", f"Invalid request body: {problems[0]}")
        return value

    def plugin(self) -> dict[str, Any]:
        found = self.ui.plugins.get(self.params["id"])
        if found is None:
            raise CloudError(404, "NOT_FOUND", f"No UI extension with id {self.params['id']}.")
        return found


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status_code=status, media_type=JSON)


def error(status: int, minor: str, message: str) -> Response:
    return json_response({"minorErrorCode": minor, "message": message}, status)


ApiHandler = Callable[[ApiCall], Response]


def endpoint(cloud: Cloud, handler: ApiHandler, access: str) -> Callable[[Request], Any]:
    """``access``: public, session (any user) or system (system administrators only)."""

    async def run(request: Request) -> Response:
        try:
            body = await request.body()
            if len(body) > MAX_BODY:
                raise CloudError(400, "BAD_REQUEST", f"Request body over {MAX_BODY} bytes.")
            session = cloud.session_for(session_token(request))
            if access != "public" and session is None:
                raise CloudError(401, "UNAUTHORIZED", "This request requires a valid session.")
            if access == "system" and (session is None or not cloud.is_system(session)):
                raise CloudError(
                    403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN", "System administrators only."
                )
            call = ApiCall(request, cloud, state(cloud), session, body, dict(request.path_params))
            with cloud.inv.lock:
                return handler(call)
        except CloudError as exc:
            return error(exc.status, exc.minor, str(exc))

    return run


# -- branding ------------------------------------------------------------------------------


def get_branding(call: ApiCall) -> Response:
    return json_response(call.ui.branding)


def put_branding(call: ApiCall) -> Response:
    call.ui.branding = call.json("/branding", "put")
    return json_response(call.ui.branding)


def get_themes(call: ApiCall) -> Response:
    return json_response(list(THEMES))


def get_logo(call: ApiCall) -> Response:
    data, kind = call.ui.logo
    return Response(data, media_type=kind)


def put_logo(call: ApiCall) -> Response:
    kind = (call.request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if kind not in LOGO_TYPES:
        return error(415, "UNSUPPORTED_MEDIA_TYPE", f"A logo is one of {', '.join(LOGO_TYPES)}.")
    if not call.body:
        raise CloudError(400, "BAD_REQUEST", "The logo is empty.")
    call.ui.logo = (call.body, kind)
    return Response(status_code=204)


def delete_logo(call: ApiCall) -> Response:
    call.ui.logo = (DEFAULT_LOGO, "image/png")
    return Response(status_code=204)


# -- UI extensions ------------------------------------------------------------------------------


def _public(plugin_id: str, metadata: dict[str, Any], status: str) -> dict[str, Any]:
    return {
        **metadata,
        "id": plugin_id,
        "plugin_status": status,
        "resourcePath": f"{BASE}/extensions/ui/{plugin_id}/plugin",
    }


def list_plugins(call: ApiCall) -> Response:
    return json_response(list(call.ui.plugins.values()))


def add_plugin(call: ApiCall) -> Response:
    metadata = call.json("/extensions/ui", "post")
    plugin_id = f"urn:vcloud:uiPlugin:{uuid.uuid4()}"
    call.ui.plugins[plugin_id] = _public(plugin_id, metadata, "unavailable")
    call.ui.tenants[plugin_id] = set()
    return json_response(call.ui.plugins[plugin_id], 201)


def get_plugin(call: ApiCall) -> Response:
    return json_response(call.plugin())


def put_plugin(call: ApiCall) -> Response:
    current = call.plugin()
    metadata = call.json("/extensions/ui/{id}", "put")
    updated = _public(current["id"], metadata, current["plugin_status"])
    call.ui.plugins[current["id"]] = updated
    return json_response(updated)


def delete_plugin(call: ApiCall) -> Response:
    current = call.plugin()
    del call.ui.plugins[current["id"]]
    call.ui.tenants.pop(current["id"], None)
    return Response(status_code=204)


def upload_plugin(call: ApiCall) -> Response:
    current = call.plugin()
    spec = call.json("/extensions/ui/{id}/plugin", "post")
    size = spec.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise CloudError(400, "BAD_REQUEST", "Invalid request body: body.size is not a size")
    current["plugin_status"] = "ready"
    return Response(status_code=204)


def delete_plugin_resource(call: ApiCall) -> Response:
    call.plugin()["plugin_status"] = "unavailable"
    return Response(status_code=204)


def _references(call: ApiCall, org_ids: set[str]) -> list[dict[str, str]]:
    orgs = call.cloud.inv.orgs
    return [
        {"name": orgs[i].name, "id": f"urn:vcloud:org:{i}"} for i in sorted(org_ids) if i in orgs
    ]


def _org_ids(call: ApiCall, refs: list[dict[str, Any]]) -> set[str]:
    """Org ids of EntityReferences (by id, else by name); unknown ones are a 400."""
    orgs = call.cloud.inv.orgs
    out = set()
    for ref in refs:
        if not isinstance(ref, dict):
            raise CloudError(400, "BAD_REQUEST", f"Not an EntityReference: {ref!r}.")
        ident = str(ref.get("id") or "").rpartition(":")[2]
        if ident not in orgs:
            org = call.cloud.inv.org_by_name(str(ref.get("name") or ""))
            ident = org.id if org else ""
        if not ident:
            raise CloudError(400, "BAD_REQUEST", f"No organization {ref!r}.")
        out.add(ident)
    return out


def plugin_tenants(call: ApiCall) -> Response:
    current = call.plugin()
    return json_response(_references(call, call.ui.tenants[current["id"]]))


def publish(call: ApiCall) -> Response:
    current = call.plugin()
    refs = call.json("/extensions/ui/{id}/tenants/publish", "post")
    call.ui.tenants[current["id"]] |= _org_ids(call, refs)
    return json_response(_references(call, call.ui.tenants[current["id"]]))


def unpublish(call: ApiCall) -> Response:
    current = call.plugin()
    refs = call.json("/extensions/ui/{id}/tenants/unpublish", "post")
    call.ui.tenants[current["id"]] -= _org_ids(call, refs)
    return json_response(_references(call, call.ui.tenants[current["id"]]))


def publish_all(call: ApiCall) -> Response:
    current = call.plugin()
    call.ui.tenants[current["id"]] = {
        o.id for o in call.cloud.inv.orgs.values() if o.name != "System"
    }
    return json_response(_references(call, call.ui.tenants[current["id"]]))


def unpublish_all(call: ApiCall) -> Response:
    current = call.plugin()
    call.ui.tenants[current["id"]] = set()
    return json_response([])


def table() -> list[tuple[str, str, ApiHandler, str]]:
    """(method, path under /cloudapi, handler, access)."""
    ui = "/extensions/ui"
    return [
        ("GET", "/branding", get_branding, "public"),
        ("PUT", "/branding", put_branding, "system"),
        ("GET", "/branding/themes", get_themes, "public"),
        ("GET", "/branding/logo", get_logo, "public"),
        ("PUT", "/branding/logo", put_logo, "system"),
        ("DELETE", "/branding/logo", delete_logo, "system"),
        ("GET", ui, list_plugins, "session"),
        ("POST", ui, add_plugin, "system"),
        ("GET", f"{ui}/{{id}}", get_plugin, "session"),
        ("PUT", f"{ui}/{{id}}", put_plugin, "system"),
        ("DELETE", f"{ui}/{{id}}", delete_plugin, "system"),
        ("POST", f"{ui}/{{id}}/plugin", upload_plugin, "system"),
        ("DELETE", f"{ui}/{{id}}/plugin", delete_plugin_resource, "system"),
        ("GET", f"{ui}/{{id}}/tenants", plugin_tenants, "system"),
        ("POST", f"{ui}/{{id}}/tenants/publish", publish, "system"),
        ("POST", f"{ui}/{{id}}/tenants/unpublish", unpublish, "system"),
        ("POST", f"{ui}/{{id}}/tenants/publishAll", publish_all, "system"),
        ("POST", f"{ui}/{{id}}/tenants/unpublishAll", unpublish_all, "system"),
    ]


def routes(cloud: Cloud) -> list[Route]:
    """Starlette routes (one per method: a route whose method differs only half-matches)."""
    return [
        Route(BASE + path, endpoint(cloud, handler, access), methods=[method])
        for method, path, handler, access in table()
    ]
