"""Reading an untrusted .docx: the zip and its XML parts, within fixed limits.

Takes the path of a Word file and :class:`Limits`; returns a :class:`Package`
whose :meth:`Package.xml` parses one part at a time. Every way the file can be
hostile or broken ends in a located :class:`~report.errors.ReportError` (IMP001 to
IMP006), never a traceback and never unbounded memory:

* the file's size is checked before it is opened (a huge file is refused unread);
* member names that are absolute or climb out with ``..`` are refused, as are
  relationship targets that resolve outside the package;
* declared uncompressed sizes (each part, all parts together) and compression
  ratios are checked before anything is inflated, and the bytes actually inflated
  are counted while reading, since a zip's declared sizes may lie;
* XML is parsed by lxml without entity substitution, DTD loading, network access
  or huge-tree mode, and a part with a DOCTYPE (the carrier of entity expansion
  and external entities) is refused outright.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from report.diagnostics import Location, error
from report.errors import ReportError
from report.safexml import declares_entities, hardened_parser

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an import will read at most. The defaults fit any real report."""

    file_bytes: int = 200 * MIB      # the .docx itself
    part_bytes: int = 64 * MIB       # one XML part, inflated
    total_bytes: int = 1024 * MIB    # all members together, as declared
    read_bytes: int = 256 * MIB      # all parts actually inflated by the import
    image_bytes: int = 50 * MIB      # one image part (a larger one is dropped, and counted)
    members: int = 20000             # zip entries
    ratio: int = 200                 # inflated / compressed, for members over ratio_floor
    ratio_floor: int = 4 * MIB


def fail(code: str, message: str, shown: str, hint: str | None = None) -> ReportError:
    return ReportError(error(code, message, Location(shown, 1, 1), hint))


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or ":" in name.split("/")[0]:
        return True
    return any(piece == ".." for piece in name.split("/"))


@dataclass
class Package:
    """An opened .docx. ``shown`` is the path as the user gave it (for messages)."""

    archive: zipfile.ZipFile
    shown: str
    limits: Limits
    names: dict[str, zipfile.ZipInfo]
    _read: int = 0
    _cache: dict = field(default_factory=dict)

    def close(self) -> None:
        self.archive.close()

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str, limit: int | None = None) -> bytes:
        """The inflated bytes of one member, counted against the limits as they come;
        ``limit`` replaces ``Limits.part_bytes`` for this member (an image's)."""
        info = self.names[name]
        cap = min(limit or self.limits.part_bytes, self.limits.read_bytes - self._read)
        if cap <= 0:
            raise fail("IMP004", f"the parts read from the Word file exceed {self.limits.read_bytes // MIB} MB",
                       self.shown, "the import refuses files this large")
        chunks, size = [], 0
        try:
            with self.archive.open(info) as handle:
                while True:
                    chunk = handle.read(min(MIB, cap + 1 - size))
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > cap:
                        raise fail("IMP004", f"{name} inflates to more than {cap // MIB} MB (a zip bomb?)",
                                   self.shown, "the import refuses parts this large")
                    chunks.append(chunk)
        except ReportError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise fail("IMP002", f"cannot read {name} from the Word file: {exc}", self.shown,
                       "open and re-save it in Word") from None
        self._read += size
        return b"".join(chunks)

    def xml(self, name: str):
        """The root element of an XML part, parsed safely (see the module doc)."""
        if name not in self._cache:
            self._cache[name] = parse_xml(self.read(name), name, self.shown)
        return self._cache[name]

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """The relationships of ``part``: id → (type, target, external). Internal
        targets are resolved to member names; one that leaves the package is IMP005."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_name).iter(f"{{{REL_NS}}}Relationship"):
            target = rel.get("Target") or ""
            external = rel.get("TargetMode") == "External"
            if not external:
                target = self._resolve(folder, target, rels_name)
            out[rel.get("Id") or ""] = (rel.get("Type") or "", target, external)
        return out

    def _resolve(self, folder: str, target: str, rels_name: str) -> str:
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        normal = posixpath.normpath(path) if path else ""
        if normal.startswith("../") or normal == ".." or normal.startswith("/") or "\\" in target:
            raise fail("IMP005", f"{rels_name} points outside the package: {target!r}", self.shown,
                       "a Word file never does this; the file may be crafted")
        return normal

    def related(self, part: str, kind: str) -> str | None:
        """The member that ``part`` relates to with a relationship type ending in ``/kind``."""
        for rel_type, target, external in self.rels(part).values():
            if not external and rel_type.rsplit("/", 1)[-1] == kind and target in self.names:
                return target
        return None


def open_package(path: Path, shown: str, limits: Limits = Limits()) -> Package:
    """Open ``path`` as a Word package after checking its size, members and ratios."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise fail("IMP001", f"file not found: {shown}", shown) from None
    except OSError as exc:
        raise fail("IMP001", f"cannot read {shown}: {exc.strerror or exc}", shown) from None
    if not path.is_file():
        raise fail("IMP001", f"{shown} is not a file", shown)
    if size > limits.file_bytes:
        raise fail("IMP003", f"{shown} is {size // MIB} MB, more than the {limits.file_bytes // MIB} MB an import reads",
                   shown, "remove large images from the document first")
    declared = _declared_entries(path)
    if declared is not None and declared > limits.members:
        raise fail("IMP004", f"{shown} declares {declared} zip entries, more than {limits.members}", shown,
                   "the import refuses archives this large")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error):
        raise fail("IMP002", f"{shown} is not a Word document (not a zip file)", shown, "save it from Word as .docx") from None
    try:
        return _checked(archive, shown, limits)
    except BaseException:
        archive.close()
        raise


def _declared_entries(path: Path) -> int | None:
    """The entry count the zip's end record declares, read before zipfile builds one
    object per entry (a crafted central directory could hold millions)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 65557))
            tail = handle.read()
            end = tail.rfind(b"PK\x05\x06")
            if end < 0 or len(tail) < end + 22:
                return None
            count = struct.unpack("<H", tail[end + 10:end + 12])[0]
            locator = tail.rfind(b"PK\x06\x07", 0, end)
            if count == 0xFFFF and locator >= 0 and len(tail) >= locator + 20:
                offset = struct.unpack("<Q", tail[locator + 8:locator + 16])[0]
                handle.seek(offset)
                record = handle.read(56)
                if record[:4] == b"PK\x06\x06" and len(record) == 56:
                    count = struct.unpack("<Q", record[32:40])[0]
            return count
    except OSError:
        return None


def _checked(archive: zipfile.ZipFile, shown: str, limits: Limits) -> Package:
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise fail("IMP004", f"{shown} holds {len(infos)} zip entries, more than {limits.members}", shown)
    names: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if _unsafe_name(info.filename):
            raise fail("IMP005", f"unsafe part name in {shown}: {info.filename!r}", shown,
                       "a Word file never has absolute or '..' part names; the file may be crafted")
        if info.flag_bits & 0x1:
            raise fail("IMP002", f"{shown} is encrypted", shown, "remove the password in Word first")
        total += info.file_size
        if total > limits.total_bytes:
            raise fail("IMP004", f"{shown} declares more than {limits.total_bytes // MIB} MB of content (a zip bomb?)", shown)
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise fail("IMP004", f"{info.filename} in {shown} is compressed {info.file_size // max(info.compress_size, 1)}"
                       f" to 1 (a zip bomb?)", shown)
        if info.filename in names:
            raise fail("IMP005", f"{shown} has two parts named {info.filename!r}", shown)
        names[info.filename] = info
    return Package(archive, shown, limits, names)


def parse_xml(data: bytes, name: str, shown: str):
    """Parse one part with entities, DTDs and the network off; refuse a DOCTYPE."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    if b"<!doctype" in head.lower() or b"<!entity" in head.lower():
        raise fail("IMP006", f"{name} has a DOCTYPE or entity declarations, which Word never writes", shown,
                   "entity expansion and external entities are refused; the file may be crafted")
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        line, col = getattr(exc, "position", (1, 1)) or (1, 1)
        raise fail("IMP006", f"{name} is not well-formed XML (line {line}, column {col}): {exc.msg}", shown,
                   "open and re-save the file in Word") from None
    if declares_entities(root):
        raise fail("IMP006", f"{name} has a DOCTYPE or entity references, which Word never writes", shown,
                   "entity expansion and external entities are refused; the file may be crafted")
    return root
