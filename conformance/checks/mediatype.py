"""media-type.known and media-type.match: the Content-Type and the body agree."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..payload import Payload
from ..violations import Violation, error
from .registry import Context, register


@register(
    "media-type.known",
    "The Content-Type is a documented vCloud media type (+xml or +json)",
    needs_tree=False,
)
def known(payload: Payload, context: Context) -> Iterator[Violation]:
    if payload.media_type is None:
        return
    if payload.media_type == "":
        yield error("media-type.known", "the message has a body but no Content-Type header")
        return
    mt = payload.parsed_media_type
    assert mt is not None
    if mt.is_generic_xml:
        return
    if not context.registry.media_types.is_known(mt):
        yield error(
            "media-type.known",
            f"Content-Type {payload.media_type!r} is not a documented vCloud media type",
        )
    version = mt.param("version")
    if (
        version is not None
        and payload.api_version is not None
        and version != str(payload.api_version)
    ):
        yield error(
            "media-type.known",
            f"Content-Type says version={version} but API {payload.api_version} was negotiated",
        )


@register("media-type.match", "The Content-Type is the media type of the root element's type")
def match(payload: Payload, context: Context) -> Iterator[Violation]:
    mt = payload.parsed_media_type
    root = payload.root
    if mt is None or root is None or mt.is_generic_xml:
        return
    media_types = context.registry.media_types
    if not media_types.is_known(mt):
        return  # media-type.known reports it
    expected = media_types.media_types_for_root(root.tag)
    if not expected:
        type_qname = context.registry.index.element_types.get(root.tag)
        if type_qname:
            expected = media_types.media_types_for_type(type_qname)
    canonical = media_types.canonical(mt)
    if (
        canonical
        and {e.lower() for e in expected}
        and canonical.lower() not in {e.lower() for e in expected}
    ):
        wanted = " or ".join(sorted(f"{e}+xml" for e in expected))
        yield error(
            "media-type.match",
            f"Content-Type {mt.full} does not describe a {etree.QName(root).localname} "
            f"root element (expected {wanted})",
            root.sourceline,
        )
    elif not expected:
        roots = sorted(etree.QName(r).localname for r in media_types.roots_for(mt))
        if roots and root.tag not in media_types.roots_for(mt):
            yield error(
                "media-type.match",
                f"Content-Type {mt.full} is for {' or '.join(roots)}, but the root element is "
                f"{etree.QName(root).localname}",
                root.sourceline,
            )
