"""Privacy-relevant metadata a PNG or JPEG holds, as short phrases (``ProbedImage.findings``).

Read from the container only (EXIF, XMP, IPTC, comments, PNG text chunks): no pixels are
decoded. Each list is in a fixed order: EXIF (GPS, serial numbers, names, time, camera, the
rest), then XMP, IPTC and Photoshop data, comments, PNG text chunks.
"""

from __future__ import annotations

import math
import re
import zlib

from PIL import ExifTags, Image

from ._sniff import png_chunks

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
ORIENTATION = 0x0112


def clean(value, limit: int = 80) -> str:
    """A metadata value as one short line of text."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", "replace")
    text = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", str(value)).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def load_exif(raw: bytes) -> Image.Exif | None:
    exif = Image.Exif()
    try:
        exif.load(bytes(raw))
    except Exception:  # noqa: BLE001 - a broken EXIF block is only reported
        return None
    return exif


def orientation(exif: Image.Exif | None) -> int:
    value = exif.get(ORIENTATION) if exif is not None else None
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _degrees(value, ref) -> float:
    parts = [float(v) for v in (value if isinstance(value, tuple) else (value,))]
    degrees = sum(p / 60 ** i for i, p in enumerate(parts[:3]))
    if not math.isfinite(degrees):
        raise ValueError("not a number")
    ref = clean(ref).upper()[:1]
    return -degrees if ref in ("S", "W") else degrees


def gps_phrase(latitude: float, longitude: float) -> str:
    return (f"GPS position {abs(latitude):.4f} {'S' if latitude < 0 else 'N'}, "
            f"{abs(longitude):.4f} {'W' if longitude < 0 else 'E'}")


def exif_findings(exif: Image.Exif | None) -> list[str]:
    if exif is None:
        return ["EXIF metadata (unreadable)"]
    found: list[str] = []
    try:
        ifd, gps = exif.get_ifd(EXIF_IFD), exif.get_ifd(GPS_IFD)
        thumbnail = exif.get_ifd(ExifTags.IFD.IFD1)
    except Exception:  # noqa: BLE001
        return ["EXIF metadata (unreadable)"]
    if 2 in gps and 4 in gps:
        try:
            found.append(gps_phrase(_degrees(gps[2], gps.get(1)), _degrees(gps[4], gps.get(3))))
        except (TypeError, ValueError, ZeroDivisionError):
            found.append("GPS data (unreadable position)")
    elif set(gps) - {0}:
        found.append("GPS data without a position")

    def tag(label: str, *where):
        for source, key in where:
            text = clean(source.get(key, ""))
            if text:
                found.append(f"{label} {text}")
                return

    tag("camera serial number", (ifd, 0xA431), (exif, 0xC62F), (exif, 0xA431))
    tag("lens serial number", (ifd, 0xA435))
    tag("owner name", (ifd, 0xA430))
    tag("artist", (exif, 0x013B))
    tag("copyright", (exif, 0x8298))
    tag("capture time", (ifd, 0x9003), (ifd, 0x9004), (exif, 0x0132))
    make, model = clean(exif.get(0x010F, "")), clean(exif.get(0x0110, ""))
    if make or model:
        camera = model if make and model.lower().startswith(make.lower()) else f"{make} {model}".strip()
        found.append(f"camera make and model {camera}")
    tag("image description", (exif, 0x010E))
    comment = ifd.get(0x9286)
    if isinstance(comment, bytes) and comment[:8] == b"UNICODE\x00":
        comment = comment[8:].decode("utf-16", "replace")
    elif isinstance(comment, bytes):
        comment = comment[8:] if comment[:8] in (b"ASCII\x00\x00\x00", b"\x00" * 8) else comment
    tag("user comment", ({0: comment or ""}, 0))
    if 0x927C in ifd:
        found.append("camera maker notes")
    if 0x0201 in thumbnail or 0x0111 in thumbnail:
        found.append("embedded thumbnail")
    return found


_XMP_GPS = re.compile(rb"exif:GPS(Latitude|Longitude)(?:\s*=\s*[\"']|>)\s*([0-9.,]+)\s*([NSEW])")
_XMP_SERIAL = re.compile(rb"(?:aux:SerialNumber|exifEX:BodySerialNumber)(?:\s*=\s*[\"']|>)\s*([^\"'<]+)")


def xmp_findings(xmp: bytes) -> list[str]:
    """'XMP metadata', and the GPS position and serial number it may hold without EXIF."""
    xmp = bytes(xmp) if not isinstance(xmp, str) else xmp.encode()
    found, position = [], {}
    for name, number, ref in _XMP_GPS.findall(xmp):
        try:  # "40,22.674N" or "40,22,40.4N": degrees, minutes[, seconds]
            position[name] = _degrees(tuple(float(p) for p in number.split(b",")), ref.decode())
        except ValueError:
            pass
    if len(position) == 2:
        found.append(gps_phrase(position[b"Latitude"], position[b"Longitude"]))
    serial = _XMP_SERIAL.search(xmp)
    if serial and clean(serial.group(1)):
        found.append(f"camera serial number {clean(serial.group(1))}")
    return found + ["XMP metadata"]


def jpeg_findings(img) -> list[str]:
    """From a lazily opened Pillow JPEG: EXIF, XMP, IPTC/Photoshop, comments."""
    from PIL import IptcImagePlugin

    found = exif_findings(load_exif(img.info["exif"])) if img.info.get("exif") else []
    for marker, payload in img.applist:
        if marker == "APP1" and payload.startswith(b"http://ns.adobe.com/xap/1.0/"):
            found += xmp_findings(payload)
    try:
        iptc = IptcImagePlugin.getiptcinfo(img)
    except Exception:  # noqa: BLE001
        iptc = True
    if iptc:
        found.append("IPTC metadata")
    photoshop = img.info.get("photoshop") or {}
    if set(photoshop) & {0x0409, 0x040C}:
        found.append("Photoshop thumbnail")
    elif set(photoshop) - {0x0404} and not iptc:
        found.append("Photoshop metadata")
    found += [f"comment {clean(p)}" for m, p in img.applist if m == "COM" and clean(p)]
    return found


def _inflate(data: bytes) -> bytes:
    return zlib.decompressobj().decompress(data, 1 << 20)  # at most 1 MB of text


def png_metadata(data: bytes) -> tuple[list[str], Image.Exif | None]:
    """Findings from every PNG chunk (also those after the image data, which Pillow's lazy
    open does not see), and the EXIF (eXIf chunk) for the orientation."""
    exif, found, texts = None, [], []
    for kind, payload in png_chunks(data):
        if kind == b"eXIf":
            exif = load_exif(payload)
            found += exif_findings(exif)
        elif kind == b"tIME" and len(payload) == 7:
            year, (month, day, hour, minute, second) = int.from_bytes(payload[:2], "big"), payload[2:]
            texts.append(f"PNG modification time {year:04d}-{month:02d}-{day:02d} "
                         f"{hour:02d}:{minute:02d}:{second:02d}")
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            key, _, rest = bytes(payload).partition(b"\x00")
            try:
                if kind == b"zTXt":
                    value = _inflate(rest[1:])
                elif kind == b"iTXt":
                    compressed, rest = rest[:1] == b"\x01", rest[2:]
                    value = rest.split(b"\x00", 2)[-1]
                    value = _inflate(value) if compressed else value
                else:
                    value = rest
            except zlib.error:
                value = b"(unreadable)"
            name = key.decode("latin-1")
            if name == "XML:com.adobe.xmp" or name == "Raw profile type xmp":
                found += xmp_findings(value)
            elif name in ("Raw profile type exif", "Raw profile type APP1"):
                # ImageMagick: "\nexif\n   <length>\n<hex digits>"
                hexdigits = b"".join(value.split(b"\n")[3:]).replace(b" ", b"")
                try:
                    raw = bytes.fromhex(hexdigits.decode("ascii"))
                except ValueError:
                    raw = b""
                exif = exif or load_exif(raw)
                found += exif_findings(load_exif(raw))
            elif name in ("Raw profile type iptc", "Raw profile type 8bim"):
                found.append("IPTC metadata")
            else:
                texts.append(f"PNG text {clean(name, 40)}: {clean(value, 60)}".rstrip(": "))
    return found + texts, exif
