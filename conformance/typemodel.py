"""A model of the XSD types (children, attributes, bases) with their version ranges.

It answers "which declaration governs this node of an instance document?",
which lets a server (the simulator) filter a representation down to what an
API version defines, the way vCloud Director itself filters its answers by the
same schema annotations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .mediatypes import qname
from .schemas import SchemaIndex, _locator
from .versions import ApiVersion, VersionRange

_XS = "{http://www.w3.org/2001/XMLSchema}"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@dataclass
class ElementDecl:
    name: str  # element QName
    type_name: str | None = None
    anonymous: TypeDef | None = None
    range: VersionRange | None = None


@dataclass
class TypeDef:
    name: str | None
    base: str | None = None
    elements: dict[str, ElementDecl] = field(default_factory=dict)
    attributes: dict[str, VersionRange | None] = field(default_factory=dict)


class TypeModel:
    """Types and global elements of a bundle, built once from a :class:`SchemaIndex`."""

    def __init__(self, index: SchemaIndex) -> None:
        self.index = index
        self._ranges: dict[tuple[Path, tuple[int, ...]], VersionRange] = {
            (path, decl.locator): decl.range for path, decl in index.local
        }
        self.types: dict[str, TypeDef] = {}
        self.elements: dict[str, ElementDecl] = {}
        self._groups: dict[str, tuple[Path, etree._Element]] = {}
        self._attr_groups: dict[str, tuple[Path, etree._Element]] = {}
        for path, tree in index.docs.items():
            namespace = index.namespaces[path]
            for child in tree.getroot():
                name = child.get("name")
                if name and child.tag == f"{_XS}group":
                    self._groups[qname(namespace, name)] = (path, child)
                elif name and child.tag == f"{_XS}attributeGroup":
                    self._attr_groups[qname(namespace, name)] = (path, child)
        for path, tree in index.docs.items():
            namespace = index.namespaces[path]
            for child in tree.getroot():
                name = child.get("name")
                if not name:
                    continue
                if child.tag == f"{_XS}complexType":
                    self.types[qname(namespace, name)] = self._type(
                        path, namespace, child, qname(namespace, name)
                    )
                elif child.tag == f"{_XS}element":
                    self.elements[qname(namespace, name)] = self._element(
                        path, namespace, child, top=True
                    )

    # -- building ------------------------------------------------------------
    def _resolve(self, node: etree._Element, value: str) -> str:
        prefix, _, local = value.rpartition(":")
        return qname(node.nsmap.get(prefix or None, "") or "", local)

    def _range(self, path: Path, node: etree._Element) -> VersionRange | None:
        return self._ranges.get((path, _locator(node)))

    def _element(
        self, path: Path, namespace: str, node: etree._Element, top: bool = False
    ) -> ElementDecl:
        if node.get("ref"):
            ref = self._resolve(node, node.get("ref", ""))
            return ElementDecl(ref, None, None, self._range(path, node))
        form_ns = namespace  # elementFormDefault="qualified" throughout the vCloud schemas
        decl = ElementDecl(qname(form_ns, node.get("name", "")), range=self._range(path, node))
        if node.get("type"):
            decl.type_name = self._resolve(node, node.get("type", ""))
        else:
            anon = node.find(f"{_XS}complexType")
            if anon is not None:
                decl.anonymous = self._type(path, namespace, anon, None)
        return decl

    def _type(self, path: Path, namespace: str, node: etree._Element, name: str | None) -> TypeDef:
        typedef = TypeDef(name)
        for ext in node.iter(f"{_XS}extension", f"{_XS}restriction"):
            if (
                ext.getparent() is not None
                and ext.getparent().tag in (f"{_XS}complexContent", f"{_XS}simpleContent")
                and ext.getparent().getparent() is node
            ):
                base = self._resolve(ext, ext.get("base", ""))
                if ext.tag == f"{_XS}extension":
                    typedef.base = base
        self._collect(path, namespace, node, typedef)
        return typedef

    def _collect(self, path: Path, namespace: str, node: etree._Element, typedef: TypeDef) -> None:
        for child in node:
            tag = child.tag
            if tag == f"{_XS}element":
                decl = self._element(path, namespace, child)
                typedef.elements[decl.name] = decl
            elif tag == f"{_XS}attribute":
                name = child.get("name") or child.get("ref", "").rpartition(":")[2]
                typedef.attributes[name] = self._range(path, child)
            elif tag == f"{_XS}group" and child.get("ref"):
                found = self._groups.get(self._resolve(child, child.get("ref", "")))
                if found:
                    self._collect(found[0], self.index.namespaces[found[0]], found[1], typedef)
            elif tag == f"{_XS}attributeGroup" and child.get("ref"):
                found = self._attr_groups.get(self._resolve(child, child.get("ref", "")))
                if found:
                    self._collect(found[0], self.index.namespaces[found[0]], found[1], typedef)
            elif isinstance(tag, str) and tag not in (f"{_XS}annotation", f"{_XS}complexType"):
                self._collect(path, namespace, child, typedef)

    # -- queries ---------------------------------------------------------------
    def type_of(self, element: str) -> TypeDef | None:
        decl = self.elements.get(element)
        return self._decl_type(decl) if decl else None

    def _decl_type(self, decl: ElementDecl) -> TypeDef | None:
        if decl.anonymous is not None:
            return decl.anonymous
        if decl.type_name:
            return self.types.get(decl.type_name)
        target = self.elements.get(decl.name)
        return self._decl_type(target) if target and target is not decl else None

    def _chain(self, typedef: TypeDef | None) -> list[TypeDef]:
        chain = []
        seen = set()
        while typedef is not None and id(typedef) not in seen:
            seen.add(id(typedef))
            chain.append(typedef)
            typedef = self.types.get(typedef.base) if typedef.base else None
        return chain

    def child(self, typedef: TypeDef, element: str) -> ElementDecl | None:
        for t in self._chain(typedef):
            if element in t.elements:
                return t.elements[element]
        return None

    def attribute_range(self, typedef: TypeDef, name: str) -> tuple[bool, VersionRange | None]:
        for t in self._chain(typedef):
            if name in t.attributes:
                return True, t.attributes[name]
        return False, None

    def type_for(self, node: etree._Element) -> TypeDef | None:
        """The type that governs ``node`` (walking down from its document root)."""
        chain = [node, *node.iterancestors()]
        chain.reverse()
        typedef = self._instance_type(chain[0], self.type_of(chain[0].tag))
        for child in chain[1:]:
            if typedef is None:
                return None
            decl = self.child(typedef, child.tag)
            if decl is None:
                decl = self.elements.get(child.tag)
            typedef = self._instance_type(child, self._decl_type(decl) if decl else None)
        return typedef

    def filter(self, root: etree._Element, version: ApiVersion) -> list[str]:
        """Remove, in place, what ``version`` does not define; return what was removed."""
        removed: list[str] = []
        self._filter(root, self._instance_type(root, self.type_of(root.tag)), version, removed)
        return removed

    def _instance_type(self, node: etree._Element, declared: TypeDef | None) -> TypeDef | None:
        xsi = node.get(_XSI_TYPE)
        if xsi:
            found = self.types.get(self._resolve(node, xsi))
            if found:
                return found
        return declared

    def _filter(
        self, node: etree._Element, typedef: TypeDef | None, version: ApiVersion, removed: list[str]
    ) -> None:
        if typedef is None:
            return
        for attr in list(node.attrib):
            if attr.startswith("{"):
                continue
            known, rng = self.attribute_range(typedef, attr)
            if known and rng is not None and not rng.contains(version):
                del node.attrib[attr]
                removed.append(f"@{attr} of {etree.QName(node).localname}")
        for child in list(node):
            if not isinstance(child.tag, str):
                continue
            decl = self.child(typedef, child.tag)
            if decl is None:
                global_decl = self.elements.get(child.tag)
                global_range = self.index.global_ranges.get(child.tag)
                if global_range is not None and not global_range.range.contains(version):
                    node.remove(child)
                    removed.append(etree.QName(child).localname)
                    continue
                self._filter(
                    child,
                    self._instance_type(
                        child, self._decl_type(global_decl) if global_decl else None
                    ),
                    version,
                    removed,
                )
                continue
            if decl.range is not None and not decl.range.contains(version):
                node.remove(child)
                removed.append(etree.QName(child).localname)
                continue
            self._filter(child, self._instance_type(child, self._decl_type(decl)), version, removed)


_MODELS: dict[int, TypeModel] = {}


def model_for(index: SchemaIndex) -> TypeModel:
    """One type model per schema index (built on first use, ~25 ms)."""
    model = _MODELS.get(id(index))
    if model is None or model.index is not index:
        model = _MODELS[id(index)] = TypeModel(index)
    return model
