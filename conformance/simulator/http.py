"""HTTP plumbing shared by every route: version negotiation, auth, XML answers, errors.

Each route is a plain function ``(Call) -> Response``; :func:`endpoint` wraps it
with the vCloud rules that hold for every request (Accept version, session
token, body parsing and validation, Error elements for refusals).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from .. import safexml
from ..errors import PayloadError
from ..mediatypes import VCLOUD_NS, MediaType
from ..versions import ApiVersion, version_from_media_type
from .cloud import Cloud, CloudError, Session
from .render.common import View
from .render.entities import error as error_element

AUTH_HEADER = "x-vcloud-authorization"
#: Prefixes vCloud Director itself uses for the namespaces of its representations.
TOP_NSMAP = {
    "ovf": "http://schemas.dmtf.org/ovf/envelope/1",
    "rasd": "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData",
    "vssd": "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData",
    "vmw": "http://www.vmware.com/schema/ovf",
    "vmext": "http://www.vmware.com/vcloud/extension/v1.5",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "vcloud": "http://www.vmware.com/vcloud/v1.5",  # for vcloud:href / vcloud:type attributes
}
ACCESS_TOKEN_HEADER = "x-vmware-vcloud-access-token"
MAX_BODY = 4 * 1024 * 1024


@dataclass
class Call:
    """One request as a route sees it."""

    request: Request
    cloud: Cloud
    view: View
    session: Session | None
    body: bytes
    params: dict[str, str]

    _doc: etree._Element | None = None

    @property
    def version(self) -> ApiVersion:
        return self.view.version

    def doc(self, *expected: str) -> etree._Element:
        """The request body, parsed safely and validated; CloudError(400) otherwise."""
        if self._doc is not None:
            return self._doc
        if not self.body.strip():
            raise CloudError(
                400,
                "BAD_REQUEST",
                "The request has no body; a "
                f"{' or '.join(expected) or 'XML document'} is required.",
            )
        try:
            root = safexml.parse(self.body, max_bytes=MAX_BODY)
        except PayloadError as exc:
            if self.cloud.faults.on("status-500-on-bad-body"):
                raise CloudError(
                    500, "INTERNAL_SERVER_ERROR", "java.lang.NullPointerException"
                ) from None
            raise CloudError(
                400, "BAD_REQUEST", f"The request body is not valid XML: {exc}"
            ) from None
        local = etree.QName(root).localname
        if expected and local not in expected:
            raise CloudError(
                400, "BAD_REQUEST", f"Expected a {' or '.join(expected)} element, got {local}."
            )
        schema = self.cloud.registry.schema(self.version)
        if not schema.validate(root):
            if self.cloud.faults.on("status-500-on-bad-body"):
                raise CloudError(500, "INTERNAL_SERVER_ERROR", "java.lang.NullPointerException")
            first = schema.error_log[0]
            raise CloudError(
                400, "BAD_REQUEST", f"Bad request body (line {first.line}): {first.message}"
            )
        self._doc = root
        return root


def xml(
    call: Call,
    element: etree._Element,
    status: int = 200,
    media_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Serialize a representation for the negotiated version, with its Content-Type."""
    return render_xml(call.cloud, call.view.version, element, status, media_type, headers)


def render_xml(
    cloud: Cloud,
    version: ApiVersion,
    element: etree._Element,
    status: int = 200,
    media_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    label = version
    if cloud.faults.on("version-accept-ignored"):
        label = cloud.versions[-1]
    elif not cloud.faults.on("version-leak"):
        cloud.model.filter(element, version)
    # Declare the usual prefixes once at the top (ovf:, rasd:, ...) instead of on every node.
    etree.cleanup_namespaces(element, top_nsmap=TOP_NSMAP)
    body = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
    # OVF sections carry their media type as a vcloud:type attribute.
    kind = (
        media_type
        or element.get("type")
        or element.get(f"{{{VCLOUD_NS}}}type")
        or "application/vnd.vmware.vcloud.error+xml"
    )
    if ";" not in kind:
        kind = f"{kind};version={label}"
    out = dict(headers or {})
    if not cloud.faults.on("media-type-missing"):
        out["Content-Type"] = kind
    response = Response(body, status_code=status, headers=out)
    if cloud.faults.on("media-type-missing"):
        del response.headers["content-type"]
    return response


def error_response(
    cloud: Cloud, status: int, minor: str, message: str, version: ApiVersion | None = None
) -> Response:
    if cloud.faults.on("html-error-page") and status in (403, 404):
        page = (
            f"<html><head><title>{status}</title></head><body><h1>Error {status}</h1>"
            f"<p>{message}</p></body></html>"
        )
        return Response(page, status_code=status, headers={"Content-Type": "text/html"})
    version = version or cloud.versions[0]
    return render_xml(
        cloud,
        version,
        error_element(status, minor, message),
        status,
        f"application/vnd.vmware.vcloud.error+xml;version={version}",
    )


def negotiate(cloud: Cloud, accept: str | None) -> ApiVersion:
    """The version asked for in Accept; 406 for a version this cloud does not serve."""
    if not accept:
        return cloud.versions[0]
    raw = None
    for part in accept.split(","):
        if "version=" in part:
            raw = MediaType.parse(part.strip()).param("version")
            break
    if raw is None:
        return cloud.versions[0]
    version = version_from_media_type(f"x;version={raw}")
    if version is None or version not in cloud.versions:
        if cloud.faults.on("version-unknown-accepted") and version is not None:
            return cloud.versions[-1]
        listed = ", ".join(str(v) for v in cloud.versions)
        raise CloudError(
            406,
            "NOT_ACCEPTABLE",
            f"The request has invalid accept header: API version {raw} is not "
            f"supported. Supported versions: {listed}.",
        )
    return version


def basic_credentials(header: str | None) -> tuple[str, str]:
    if not header or not header.lower().startswith("basic "):
        raise CloudError(401, "UNAUTHORIZED", "Basic authentication (user@org) is required.")
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise CloudError(401, "UNAUTHORIZED", "Malformed Basic authorization header.") from None
    user, sep, password = decoded.partition(":")
    if not sep:
        raise CloudError(401, "UNAUTHORIZED", "Malformed Basic authorization header.")
    return user, password


def session_token(request: Request) -> str | None:
    token = request.headers.get(AUTH_HEADER)
    if token:
        return token
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return None


Handler = Callable[[Call], Response]


def endpoint(
    cloud: Cloud, handler: Handler, *, public: bool = False, system_only: bool = False
) -> Callable[[Request], Any]:
    """Wrap a route with negotiation, authentication and error reporting."""

    async def run(request: Request) -> Response:
        version: ApiVersion | None = None
        try:
            version = negotiate(cloud, request.headers.get("accept"))
            length = int(request.headers.get("content-length") or 0)
            if length > MAX_BODY:
                raise CloudError(400, "BAD_REQUEST", f"Request body over {MAX_BODY} bytes.")
            body = await request.body()
            if len(body) > MAX_BODY:
                raise CloudError(400, "BAD_REQUEST", f"Request body over {MAX_BODY} bytes.")
            session = None
            if not public:
                session = cloud.session_for(session_token(request))
                if session is None:
                    raise CloudError(401, "UNAUTHORIZED", "This request requires a valid session.")
                if system_only and not cloud.is_system(session):
                    raise CloudError(
                        403,
                        "ACCESS_TO_RESOURCE_IS_FORBIDDEN",
                        "This operation is denied: system administrators only.",
                    )
            base = f"{request.url.scheme}://{request.url.netloc}/api"
            view = View(
                base=base,
                version=version,
                cloud=cloud,
                user_id=session.user_id if session else None,
                org_id=session.org_id if session else None,
                is_system=bool(session and cloud.is_system(session)),
            )
            call = Call(request, cloud, view, session, body, dict(request.path_params))
            with cloud.inv.lock:
                cloud.engine.tick()
                response = handler(call)
                cloud.save_state() if request.method != "GET" else None
            return response
        except CloudError as exc:
            return error_response(cloud, exc.status, exc.minor, str(exc), version)

    return run
