"""Helpers for the leak check's tests: protected strings, images with metadata, and
rewriting a real output (a DOCX member, a PDF through pypdf) to plant a leak in it."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

from report.diagnostics import Location
from report.leaks import Protected, scan

# A person the test projects never mention: each planted leak puts this name somewhere.
NAME = "Zarifa Mammadova"
AT = Location("references/people.yaml", 3, 9)


def protect(*texts: str, at: Location = AT) -> list[Protected]:
    return [Protected(text, at) for text in texts]


def lines(files: dict[str, bytes], *texts: str) -> list[str]:
    """The formatted diagnostics of scanning ``files`` for ``texts`` (default: NAME)."""
    return [d.format() for d in scan(files, protect(*(texts or (NAME,))))]


def leak(where: str, text: str = NAME, at: Location = AT) -> str:
    """The one-line form of the diagnostic for ``text`` found in ``where``."""
    return f'{at}: error[LEAK001]: "{text}" would be published in {where}'


def jpeg(exif: dict | None = None, comment: bytes | None = None, xmp: bytes | None = None,
         app13: bytes | None = None) -> bytes:
    """A small JPEG with the given EXIF tags (IFD0; a tuple key (ifd, tag) for a sub-IFD),
    COM comment, XMP packet and APP13 (IPTC) payload."""
    image = Image.new("RGB", (24, 16), (40, 90, 160))
    data = Image.Exif()
    for key, value in (exif or {}).items():
        if isinstance(key, tuple):
            data.get_ifd(key[0])[key[1]] = value
        else:
            data[key] = value
    out = io.BytesIO()
    options = {"exif": data.tobytes()} if exif else {}
    if comment:
        options["comment"] = comment
    if xmp:
        options["xmp"] = xmp
    image.save(out, "JPEG", **options)
    raw = out.getvalue()
    if app13 is not None:
        raw = raw[:2] + b"\xff\xed" + struct.pack(">H", len(app13) + 2) + app13 + raw[2:]
    return raw


def iptc_byline(text: str) -> bytes:
    """An APP13 payload: a Photoshop resource holding an IPTC by-line (2:80)."""
    value = text.encode("utf-8")
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(value)) + value
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    return b"Photoshop 3.0\x00" + resource + b"\x00" * (len(resource) % 2)


def png(chunks: list[tuple[bytes, bytes]] = ()) -> bytes:
    """A small PNG with extra chunks (type, payload) before its image data."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    raw = out.getvalue()
    extra = b"".join(struct.pack(">I", len(p)) + k + p + struct.pack(">I", zlib.crc32(k + p)) for k, p in chunks)
    cut = raw.index(b"IDAT") - 4
    return raw[:cut] + extra + raw[cut:]


def xmp_packet(creator: str) -> bytes:
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>'
            f"{creator}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
            '<?xpacket end="w"?>').encode("utf-8")


def rezip(docx: bytes, change) -> bytes:
    """The zip ``docx`` with its members passed through ``change(members)``, a dict
    name → bytes that it edits in place (add, replace, delete)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def edit_part(name: str, old: str, new: str):
    """A ``rezip`` change replacing ``old`` (which must be there) by ``new`` in one part."""
    def change(members):
        text = members[name].decode("utf-8")
        assert old in text, f"{old!r} not in {name}"
        members[name] = text.replace(old, new, 1).encode("utf-8")
    return change
