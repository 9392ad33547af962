"""link.wellformed and link.rel-known: every Link is usable and documented."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from .. import linkrels
from ..mediatypes import VCLOUD_NS, MediaType
from ..payload import Payload
from ..validation import readable_path
from ..violations import Violation, error, warning
from .registry import Context, register

LINK = f"{{{VCLOUD_NS}}}Link"
#: An absolute http(s) URL: the scheme, then a non-empty authority (host[:port]).
_ABSOLUTE = re.compile(r"https?://[^/?#]+", re.IGNORECASE)


@register(
    "link.wellformed", "Every Link has rel and an absolute href; its type is a known media type"
)
def wellformed(payload: Payload, context: Context) -> Iterator[Violation]:
    assert payload.root is not None
    acceptable: dict[str, bool] = {}  # Link/@type -> documented (looked up once per value)
    for link in payload.root.iter(LINK):
        rel, href, mtype = link.get("rel"), link.get("href"), link.get("type")
        problems: list[str] = []
        if not rel:
            problems.append(f"Link to {href!r} has no rel")
        if not href:
            problems.append(f"Link rel={rel!r} has no href")
        elif not _ABSOLUTE.match(href):
            problems.append(f"Link rel={rel!r} href {href!r} is not an absolute http(s) URL")
        if mtype:
            ok = acceptable.get(mtype)
            if ok is None:
                ok = MediaType.parse(mtype).is_generic_xml or (
                    context.registry.media_types.is_known(mtype)
                )
                acceptable[mtype] = ok
            if not ok:
                problems.append(f"Link rel={rel!r} has type {mtype!r}, not a documented media type")
        if problems:  # the path is only worth computing for a violation
            where = (link.sourceline, readable_path(link))
            for message in problems:
                yield error("link.wellformed", message, *where)


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


@register("link.unique", "No Link repeats another's rel, type and href")
def unique(payload: Payload, context: Context) -> Iterator[Violation]:
    assert payload.root is not None
    # One pass over the Links, grouped by parent (not a search below every element).
    seen: dict[etree._Element, set[tuple[str, str, str]]] = {}
    for link in payload.root.iter(LINK):
        keys = seen.setdefault(link.getparent(), set())
        key = (link.get("rel", ""), link.get("type", ""), link.get("href", ""))
        if key in keys:
            yield error(
                "link.unique",
                f"Link rel={key[0]!r} type={key[1] or None!r} to {key[2]} appears twice",
                link.sourceline,
                readable_path(link),
            )
        keys.add(key)
