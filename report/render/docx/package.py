"""The OPC package layer: our parts in python-docx's package, and the zip itself.

python-docx has no footnotes part class, so the footnotes part is a plain
``XmlPart`` related from the document part; hyperlink targets are external
relationships of whichever part holds the link. The zip is written here rather
than by ``Document.save`` because python-docx stamps every member with the
current time: two builds of one report must give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from lxml import etree

FOOTNOTES_NAME = PackURI("/word/footnotes.xml")
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
# DOS timestamps start in 1980; a zip cannot carry an earlier date.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_COMPRESSED = re.compile(r"^word/media/.*\.(?:jpe?g|png)$", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def current_footnotes(document_part):
    """The footnotes XML the reference document already has, or None.

    Takes the document part; returns the parsed ``w:footnotes`` element (a copy:
    the part itself is replaced by :func:`install_footnotes`)."""
    for rel in document_part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            try:
                return etree.fromstring(rel.target_part.blob, _PARSER)
            except etree.XMLSyntaxError:
                return None  # a broken notes part is replaced wholesale
    return None


def install_footnotes(document_part, element) -> XmlPart:
    """Relate a new footnotes part holding ``element`` from the document part,
    replacing any footnotes part the reference had (its notes are not ours).
    Returns the new part, whose ``relate_to`` hyperlink targets in notes use."""
    partname = FOOTNOTES_NAME
    for rId, rel in list(document_part.rels.items()):
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            partname = rel.target_part.partname
            document_part.drop_rel(rId)
    part = XmlPart(partname, CT.WML_FOOTNOTES, element, document_part.package)
    document_part.relate_to(part, RT.FOOTNOTES)
    return part


class LinkTargets:
    """External hyperlink relationships of one part, one per distinct URL.

    Takes the part at creation; ``rid(url)`` returns the relationship id to put in
    ``w:hyperlink/@r:id``. The cache keeps long reports linear: python-docx
    searches every relationship of the part on each lookup."""

    def __init__(self, part):
        self._part = part
        self._ids: dict[str, str] = {}

    def rid(self, url: str) -> str:
        if url not in self._ids:
            self._ids[url] = self._part.relate_to(url, RT.HYPERLINK, is_external=True)
        return self._ids[url]


def _content_types(parts) -> bytes:
    """``[Content_Types].xml``: defaults for .rels and .xml, an override per part."""
    root = etree.Element("{%s}Types" % CT_NS, nsmap={None: CT_NS})
    for ext, ctype in (("rels", RELS_TYPE), ("xml", "application/xml")):
        etree.SubElement(root, "{%s}Default" % CT_NS, Extension=ext, ContentType=ctype)
    for name, ctype in sorted((str(p.partname), p.content_type) for p in parts):
        etree.SubElement(root, "{%s}Override" % CT_NS, PartName=name, ContentType=ctype)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _zip_time(timestamp: dt.datetime | None) -> tuple[int, int, int, int, int, int]:
    """The members' date: the build timestamp in UTC, else (no date known) 1980-01-01."""
    if timestamp is None:
        return ZIP_EPOCH
    if timestamp.tzinfo is not None:
        timestamp = timestamp.astimezone(dt.timezone.utc)
    if timestamp.year < 1980:
        return ZIP_EPOCH
    return (min(timestamp.year, 2107), timestamp.month, timestamp.day,
            timestamp.hour, timestamp.minute, timestamp.second & ~1)


def write_package(package, timestamp: dt.datetime | None, replace: dict[str, bytes]) -> bytes:
    """Serialize every part reachable from the package relationships into a zip.

    ``replace`` maps member names (``docProps/app.xml``) to bytes written instead
    of the part's own. Members are sorted with ``[Content_Types].xml`` first and
    all carry one fixed date, so equal documents give equal bytes."""
    parts = list(package.iter_parts())
    members = {"[Content_Types].xml": _content_types(parts), "_rels/.rels": package.rels.xml}
    for part in parts:
        name = part.partname.membername
        members[name] = replace.get(name, part.blob)
        if len(part.rels):
            members[part.partname.rels_uri.membername] = part.rels.xml
    order = sorted(members, key=lambda name: (name != "[Content_Types].xml", name))
    when = _zip_time(timestamp)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=when)
            # A JPEG or PNG is compressed already: deflating it again gains under 1 %
            # and took a third of the time of a DOCX with 40 photographs.
            info.compress_type = zipfile.ZIP_STORED if _COMPRESSED.search(name) else zipfile.ZIP_DEFLATED
            info.create_system = 0  # not the platform default: same bytes on every OS
            archive.writestr(info, members[name])
    return buffer.getvalue()
