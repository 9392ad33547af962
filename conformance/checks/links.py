"""link.wellformed and link.rel-known: every Link is usable and documented."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

from .. import linkrels
from ..mediatypes import VCLOUD_NS, MediaType
from ..payload import Payload
from ..validation import readable_path
from ..violations import Violation, error, warning
from .registry import Context, register

LINK = f"{{{VCLOUD_NS}}}Link"


@register(
    "link.wellformed", "Every Link has rel and an absolute href; its type is a known media type"
)
def wellformed(payload: Payload, context: Context) -> Iterator[Violation]:
    assert payload.root is not None
    media_types = None
    for link in payload.root.iter(LINK):
        rel, href, mtype = link.get("rel"), link.get("href"), link.get("type")
        where = (link.sourceline, readable_path(link))
        if not rel:
            yield error("link.wellformed", f"Link to {href!r} has no rel", *where)
        if not href:
            yield error("link.wellformed", f"Link rel={rel!r} has no href", *where)
        else:
            parsed = urlparse(href)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                yield error(
                    "link.wellformed",
                    f"Link rel={rel!r} href {href!r} is not an absolute http(s) URL",
                    *where,
                )
        if mtype and not MediaType.parse(mtype).is_generic_xml:
            media_types = media_types or context.registry.media_types
            if not media_types.is_known(mtype):
                yield error(
                    "link.wellformed",
                    f"Link rel={rel!r} has type {mtype!r}, not a documented media type",
                    *where,
                )


@register("link.rel-known", "Every Link rel is in the documented vocabulary")
def rel_known(payload: Payload, context: Context) -> Iterator[Violation]:
    assert payload.root is not None
    for link in payload.root.iter(LINK):
        rel = link.get("rel")
        if rel and not linkrels.is_known(rel):
            yield warning(
                "link.rel-known",
                f"Link rel={rel!r} is not in the documented vocabulary",
                link.sourceline,
                readable_path(link),
            )
