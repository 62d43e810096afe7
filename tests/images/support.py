"""Test images made with Pillow (nothing binary is committed), and byte-level readers."""

from __future__ import annotations

import base64
import io
import struct
import zlib

from PIL import Image, TiffImagePlugin
from PIL.PngImagePlugin import PngInfo

SERIAL, OWNER, COMMENT = "SN-998877", "Jane Doe", "shot at the safe house"
CAPTURE, DATUM, BYLINE = "2024:03:01 10:22:33", "WGS-84", b"Photographer Ali"
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" aux:SerialNumber="XMP-4242"/>'
       b"</rdf:RDF></x:xmpmeta>")
RED, MARKER = (255, 0, 0), 400  # the marker square in the stored image's top-left corner


def exif(orientation: int = 6) -> Image.Exif:
    """EXIF with a GPS position (40.3779 N, 49.8920 E), serial number, owner, time, camera."""
    data = Image.Exif()
    data[0x0112] = orientation
    data[0x010F], data[0x0110] = "Canon", "Canon EOS 5D"
    gps = data.get_ifd(0x8825)
    gps[1], gps[3], gps[18] = "N", "E", DATUM
    gps[2] = tuple(TiffImagePlugin.IFDRational(n, d) for n, d in ((40, 1), (22, 1), (4044, 100)))
    gps[4] = tuple(TiffImagePlugin.IFDRational(n, d) for n, d in ((49, 1), (53, 1), (312, 10)))
    ifd = data.get_ifd(0x8769)
    ifd[0xA431], ifd[0xA430], ifd[0x9003] = SERIAL, OWNER, CAPTURE
    return data


def picture(size, mode: str = "RGB") -> Image.Image:
    """A gradient (cheap to encode) with a red square in the top-left corner."""
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    img = Image.merge("RGB", (gradient.transpose(Image.Transpose.ROTATE_90).resize(size), gradient,
                              Image.new("L", size, 160)))
    img.paste(RED, (0, 0, min(MARKER, width // 4), min(MARKER, height // 4)))
    return img.convert(mode) if mode != "RGB" else img


def iptc_segment() -> bytes:
    """An APP13 Photoshop segment holding an IPTC by-line (Pillow cannot write one)."""
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(BYLINE)) + BYLINE
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    resource += b"\x00" * (len(resource) % 2)
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def photo_jpeg(size=(4000, 3000), orientation: int = 6) -> bytes:
    """The evidence photograph: EXIF (GPS, serial, owner, time, camera), XMP, COM, IPTC."""
    out = io.BytesIO()
    picture(size).save(out, "JPEG", quality=90, exif=exif(orientation), xmp=XMP, comment=COMMENT.encode())
    data = out.getvalue()
    return data[:2] + iptc_segment() + data[2:]


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def text_png(size=(300, 200), mode: str = "RGB", **save) -> bytes:
    """A PNG with tEXt, iTXt (compressed), tIME and eXIf before the image data, and one more
    tEXt chunk after it (where Pillow's lazy open does not look)."""
    info = PngInfo()
    info.add_text("Author", OWNER)
    info.add_itxt("Description", COMMENT, zip=True)
    info.add(b"tIME", struct.pack(">HBBBBB", 2024, 3, 1, 10, 22, 33))
    out = io.BytesIO()
    picture(size, mode).save(out, "PNG", pnginfo=info, exif=exif(orientation=1), **save)
    data = out.getvalue()
    return data[:-12] + png_chunk(b"tEXt", b"Location\x00Baku safe house") + data[-12:]


def chunk_types(png: bytes) -> list[bytes]:
    kinds, i = [], 8
    while i < len(png):
        (length,), kind = struct.unpack(">I", png[i:i + 4]), png[i + 4:i + 8]
        kinds.append(kind)
        i += 12 + length
    return kinds


def jpeg_markers(jpeg: bytes) -> list[int]:
    """The markers of the segments before the image data."""
    markers, i = [], 2
    while jpeg[i + 1] != 0xDA:
        markers.append(jpeg[i + 1])
        i += 2 + struct.unpack(">H", jpeg[i + 2:i + 4])[0]
    return markers


def icc_profile(description: str = "Adobe RGB (1998) test") -> bytes:
    """A v2 matrix/TRC profile with the Adobe RGB (1998) primaries and gamma 2.2.
    (ImageCms.createProfile only makes sRGB, LAB and XYZ.)"""
    def fixed(*values):
        return b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    ascii_text = description.encode() + b"\x00"
    # textDescriptionType: ASCII text, then empty Unicode and ScriptCode parts
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(ascii_text)) + ascii_text + b"\x00" * 78
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, 563) + b"\x00\x00"
    tags = [(b"desc", desc), (b"wtpt", b"XYZ \x00\x00\x00\x00" + fixed(0.9642, 1.0, 0.8249)),
            (b"rXYZ", b"XYZ \x00\x00\x00\x00" + fixed(0.60974, 0.31111, 0.01947)),
            (b"gXYZ", b"XYZ \x00\x00\x00\x00" + fixed(0.20528, 0.62567, 0.06087)),
            (b"bXYZ", b"XYZ \x00\x00\x00\x00" + fixed(0.14919, 0.06322, 0.74457)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset, table, body = 128 + 4 + 12 * len(tags), b"", b""
    for signature, data in tags:
        data += b"\x00" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\x00" * 24 + b"\x00" * 4
              + fixed(0.9642, 1.0, 0.8249) + b"\x00" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A PNG whose header claims a huge size (the pixel data is not there)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b""))
            + png_chunk(b"IEND", b""))


def data_uri(data: bytes, kind: str = "jpeg") -> str:
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def hostile_svg(embedded_jpeg: bytes) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY secret "ENTITYTEXT">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"
     xmlns:dc="http://purl.org/dc/elements/1.1/"
     width="400" height="200" viewBox="0 0 400 200" onload="alert(1)"
     sodipodi:docname="evidence-jane.svg" inkscape:export-filename="/home/jane/secret.png">
  <!-- drawn by Jane Doe -->
  <metadata><rdf:RDF><cc:Work><dc:creator><cc:Agent><dc:title>{OWNER}</dc:title></cc:Agent></dc:creator>
  </cc:Work></rdf:RDF></metadata>
  <sodipodi:namedview id="view" inkscape:zoom="1"/>
  <script>alert('x')</script>
  <style>@import url(https://tracker.example/a.css); .a {{ fill: url(#g) }}
    .b {{ background: url('https://tracker.example/b.png') }}</style>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
  <linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>
  <rect id="r" width="10" height="10" fill="url(#g)" onclick="steal()" inkscape:label="Layer"/>
  <image xlink:href="https://tracker.example/photo.jpg" width="10" height="10"/>
  <image href="file:///etc/passwd" width="10" height="10"/>
  <image href="{data_uri(embedded_jpeg)}" width="40" height="30"/>
  <set attributeName="href" to="https://tracker.example/x"/>
  <use xlink:href="#r" x="20"/>
  <a href="javascript:alert(1)"><text x="0" y="50">before &xxe; and &secret; after</text></a>
</svg>
""".encode()
