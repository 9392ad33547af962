"""Versions and sessions: GET /api/versions, POST /api/sessions, /api/session, cloudapi login."""

from __future__ import annotations

import json

from starlette.responses import Response

from ...versions import ApiVersion
from ..cloud import CloudError
from ..http import ACCESS_TOKEN_HEADER, AUTH_HEADER, Call, basic_credentials, render_xml, xml
from ..render import entities

CLOUDAPI_MIN = ApiVersion(33, 0)


def versions(call: Call) -> Response:
    element = entities.supported_versions(call.view.base, call.cloud.versions)
    body_version = call.cloud.versions[-1]
    # The versions document stands outside negotiation: plain text/xml, newest shape.
    return render_xml(call.cloud, body_version, element, media_type="text/xml;charset=UTF-8")


def _session_body(call: Call, session_user: str, org_id: str, user_id: str) -> Response:
    cloud = call.cloud
    org = cloud.inv.orgs[org_id]
    user = cloud.inv.users[user_id]
    call.view.is_system = org.name == "System"
    element = entities.session(call.view, session_user, org, user_id, user.role, org.id)
    return xml(call, element)


def login(call: Call) -> Response:
    user, password = basic_credentials(call.request.headers.get("authorization"))
    session = call.cloud.login(user, password, call.version)
    response = _session_body(call, user.rpartition("@")[0], session.org_id, session.user_id)
    response.headers[AUTH_HEADER] = session.token
    if call.version >= ApiVersion(30, 0):
        response.headers[ACCESS_TOKEN_HEADER] = session.access_token
    return response


def current(call: Call) -> Response:
    assert call.session is not None
    user = call.cloud.inv.users[call.session.user_id]
    response = _session_body(call, user.name, call.session.org_id, user.id)
    response.headers[AUTH_HEADER] = call.session.token
    return response


def logout(call: Call) -> Response:
    assert call.session is not None
    call.cloud.logout(call.session)
    return Response(status_code=204)


def cloudapi_login(call: Call, provider: bool) -> Response:
    if call.version < CLOUDAPI_MIN:
        raise CloudError(
            404, "NOT_FOUND", f"/cloudapi/1.0.0/sessions needs API {CLOUDAPI_MIN} or later."
        )
    user_at_org, password = basic_credentials(call.request.headers.get("authorization"))
    org_name = user_at_org.rpartition("@")[2]
    if provider != (org_name.lower() == "system"):
        raise CloudError(
            401, "UNAUTHORIZED", "Use /sessions/provider for System and /sessions for tenant orgs."
        )
    session = call.cloud.login(user_at_org, password, call.version)
    user = call.cloud.inv.users[session.user_id]
    org = call.cloud.inv.orgs[session.org_id]
    body = {
        "id": f"urn:vcloud:session:{session.token[:8]}",
        "site": {"name": "local", "id": "urn:vcloud:site:local"},
        "user": {"name": user.name, "id": f"urn:vcloud:user:{user.id}"},
        "org": {"name": org.name, "id": f"urn:vcloud:org:{org.id}"},
        "location": org.id,
        "roles": [user.role],
        "roleRefs": [],
        "sessionIdleTimeoutMinutes": 30,
    }
    return Response(
        json.dumps(body),
        status_code=200,
        headers={
            "Content-Type": f"application/json;version={call.version}",
            ACCESS_TOKEN_HEADER: session.access_token,
            "X-VMWARE-VCLOUD-TOKEN-TYPE": "Bearer",
        },
    )
