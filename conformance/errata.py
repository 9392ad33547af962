"""Errata: places where the official XSD is wrong for some API versions.

Every entry is reviewed, carries its evidence, and narrows one declaration's
version range. Nothing here loosens validation globally: at the versions the
erratum does not touch, the schema is exactly VMware's.

Each entry must match exactly one declaration of the bundle;
``SchemaIndex`` raises if one matches nothing, so a stale erratum cannot hide.
"""

from __future__ import annotations

from dataclasses import dataclass

from .versions import V, VersionRange


@dataclass(frozen=True, slots=True)
class Erratum:
    id: str
    #: Path of the XSD inside the bundle, relative to its ``1.5/schemas`` folder.
    schema: str
    #: Name of the global complexType that declares the item.
    owner: str
    kind: str  # "element" or "attribute"
    name: str
    #: The range the item really has (replaces the one the annotations give).
    range: VersionRange
    evidence: str


ERRATA: tuple[Erratum, ...] = (
    Erratum(
        id="session-authorized-locations",
        schema="vcloud/session.xsd",
        owner="SessionType",
        kind="element",
        name="AuthorizedLocations",
        range=VersionRange(added=V("29.0")),
        evidence=(
            "Declared minOccurs=1 with no version mark, but its type "
            "AuthorizedLocationsType lives in multiSite.xsd and every type there is "
            "marked MULTI_SITE (= API 29.0). The 1.5, 5.1 and 5.5 Programming Guides "
            "show Session responses without it (1.5: 'Create a Login Session'; 5.5: "
            "'Create a Login Session Using the Integrated Identity Provider'), and "
            "1.5-5.5 clouds never send it. From 29.0 on it stays required."
        ),
    ),
)
