"""A tiny XSD bundle of our own (not VMware's) for bundle, registry and fetch tests.

Layout, as a cloud would serve it under ``/api/v1.5/schema/``::

    master.xsd          includes common/types.xsd, imports the foreign ext.xsd
    common/types.xsd    includes ../extra.xsd (a relative path going up)
    extra.xsd

``master.xsd`` carries one version-marked attribute (``added-in 5.5``) and one
element marked with a feature name (``MULTI_SITE``) so that pruning can be tested.
"""

from __future__ import annotations

import json
from pathlib import Path

NS = "urn:example:mini"
EXT_NS = "urn:example:ext"
FOREIGN_URL = "http://schemas.example.org/ext/ext.xsd"

MASTER = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:meta="http://www.vmware.com/vcloud/meta"
           xmlns="{NS}" xmlns:ext="{EXT_NS}"
           targetNamespace="{NS}" elementFormDefault="qualified">
  <xs:include schemaLocation="common/types.xsd"/>
  <xs:import namespace="{EXT_NS}" schemaLocation="{FOREIGN_URL}"/>
  <xs:element name="Widget" type="WidgetType"/>
  <xs:complexType name="WidgetType">
    <xs:annotation><xs:appinfo>
      <meta:content-type>application/vnd.example.widget</meta:content-type>
    </xs:appinfo></xs:annotation>
    <xs:sequence>
      <xs:element name="Size" type="SizeType"/>
      <xs:element name="Colour" type="xs:string" minOccurs="0">
        <xs:annotation><xs:appinfo><meta:version added-in="MULTI_SITE"/></xs:appinfo>
        </xs:annotation>
      </xs:element>
      <xs:element ref="ext:Note" minOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="shiny" type="xs:boolean">
      <xs:annotation><xs:documentation source="since">5.5</xs:documentation></xs:annotation>
    </xs:attribute>
  </xs:complexType>
</xs:schema>
"""

TYPES = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{NS}"
           targetNamespace="{NS}" elementFormDefault="qualified">
  <xs:include schemaLocation="../extra.xsd"/>
  <xs:simpleType name="SizeType">
    <xs:restriction base="UnitsType"/>
  </xs:simpleType>
</xs:schema>
"""

EXTRA = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{NS}"
           targetNamespace="{NS}" elementFormDefault="qualified">
  <xs:simpleType name="UnitsType">
    <xs:restriction base="xs:int"><xs:minInclusive value="0"/></xs:restriction>
  </xs:simpleType>
</xs:schema>
"""

EXT = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           targetNamespace="{EXT_NS}" elementFormDefault="qualified">
  <xs:element name="Note" type="xs:string"/>
</xs:schema>
"""

#: path under the schema folder -> content, as the cloud serves them
SERVED = {"master.xsd": MASTER, "common/types.xsd": TYPES, "extra.xsd": EXTRA}


def write_fetched(root: Path, *, with_catalog: bool = True) -> Path:
    """Write the bundle as ``schemas fetch`` would leave it (plus an optional catalog)."""
    for rel, text in SERVED.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    manifest = {
        "source": "http://cloud.example.test/api/v1.5/schema/master.xsd",
        "entries": ["master.xsd"],
        "files": sorted(SERVED),
        "foreign_imports": [FOREIGN_URL],
    }
    (root / "bundle.json").write_text(json.dumps(manifest), encoding="utf-8")
    if with_catalog:
        (root / "external").mkdir(exist_ok=True)
        (root / "external" / "ext.xsd").write_text(EXT, encoding="utf-8")
        (root / "catalog.xml").write_text(
            '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
            f'<system systemId="{FOREIGN_URL}" uri="external/ext.xsd"/></catalog>',
            encoding="utf-8",
        )
    return root


def widget(*, shiny: bool = False, colour: bool = False, size: str = "3") -> bytes:
    attrs = ' shiny="true"' if shiny else ""
    body = f"<Size>{size}</Size>" + ("<Colour>red</Colour>" if colour else "")
    return f'<Widget xmlns="{NS}" name="w"{attrs}>{body}</Widget>'.encode()
