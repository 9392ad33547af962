"""Exchange checks: the answer to a documented request is the documented answer."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from .. import safexml
from ..errors import PayloadError
from ..mediatypes import VCLOUD_NS, MediaType
from ..versions import ApiVersion
from ..violations import Violation, error
from .registry import register_behaviour

for _check_id, _description in (
    ("example.status", "The HTTP status is the documented one (202 for long operations)"),
    (
        "example.media-type",
        "The Content-Type is the documented media type at the negotiated version",
    ),
    ("example.root", "The body's root element is the documented one"),
    ("example.error", "Refusals are Error elements whose majorErrorCode matches the status"),
    ("example.navigation", "The documented links lead to the request's URL"),
    ("example.postcondition", "After the request, the object is in the documented state"),
    ("version.negotiation", "Listed versions are served; others get 406 with an Error"),
    ("session.logout", "After logout the session token is no longer accepted"),
):
    register_behaviour(_check_id, _description, scope="exchange")


def judge(
    status: int | None,
    content_type: str,
    body: bytes,
    *,
    statuses: tuple[int, ...],
    root: str | None,
    media_type: str | None,
    version: ApiVersion | None,
) -> Iterator[Violation]:
    """Compare one answer with what the example documents."""
    if status not in statuses:
        yield error(
            "example.status",
            f"answered {status}, documented {' or '.join(map(str, statuses))}"
            + _error_summary(body),
        )
        if status is not None and status >= 400:
            yield from error_element(status, content_type, body, version)
        return
    if status == 204 or (not body and root is None):
        return
    mt = MediaType.parse(content_type) if content_type else None
    if media_type is not None:
        if mt is None:
            yield error("example.media-type", f"no Content-Type; documented {media_type}")
        elif mt.full.lower() != media_type.lower() and not mt.is_generic_xml:
            yield error("example.media-type", f"Content-Type {mt.full}, documented {media_type}")
    if version is not None and mt is not None and mt.param("version") not in (None, str(version)):
        yield error(
            "example.media-type",
            f"Content-Type says version={mt.param('version')}, API {version} was negotiated",
        )
    if root is not None:
        try:
            element = safexml.parse(body)
        except PayloadError:
            return  # xml.* payload checks report it
        local = etree.QName(element).localname
        if local != root:
            yield error(
                "example.root", f"root element {local}, documented {root}", element.sourceline
            )
    if status is not None and status >= 400:
        yield from error_element(status, content_type, body, version)


def _error_summary(body: bytes) -> str:
    try:
        element = safexml.parse(body)
    except PayloadError:
        return ""
    if element.tag == f"{{{VCLOUD_NS}}}Error":
        return f" ({element.get('minorErrorCode')}: {element.get('message')})"
    return ""


def error_element(
    status: int, content_type: str, body: bytes, version: ApiVersion | None
) -> Iterator[Violation]:
    """A refusal on /api must be an Error element, never HTML or JSON."""
    try:
        element = safexml.parse(body)
    except PayloadError as exc:
        yield error(
            "example.error",
            f"{status} answer is not an Error element ({content_type or 'no Content-Type'}: {exc})",
        )
        return
    if element.tag != f"{{{VCLOUD_NS}}}Error":
        yield error(
            "example.error", f"{status} answer is a {etree.QName(element).localname}, not an Error"
        )
        return
    major = element.get("majorErrorCode")
    if major != str(status):
        yield error("example.error", f"Error majorErrorCode={major} on a {status} answer")
