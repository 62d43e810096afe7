"""Every other published file: JSON (escapes resolved), CSV, text, images of every kind
with their metadata, file names, and files that do not parse (read raw, never a crash)."""

from __future__ import annotations

import io
import json
import random
import zlib

import pytest
from PIL import Image

from tests.leaks.support import NAME, iptc_byline, jpeg, leak, lines, png, rezip, xmp_packet


def test_the_builds_other_files_as_built_have_no_leak(small_build):
    assert lines({name: data for name, data in small_build.items() if not name.startswith("report.")}) == []


@pytest.mark.parametrize("text", [
    json.dumps({"witness": NAME}),
    json.dumps({"witness": "Zarif\u00e1 Mammadova"}),  # ensure_ascii: "Zarif\\u00e1", an escape
    json.dumps({"witness": "Zarifa\nMammadova"}),  # "\\n" in the file
    '{"witness": "Zarifa\\u0020Mammadova"}',
    # model.json's inline nodes: "Zarifa ", then "Mamma" and "dova" in an emphasis.
    json.dumps({"children": [{"text": "Zarifa "}, {"children": [{"text": "Mamma"}, {"text": "dova"}]}]}),
    json.dumps({NAME: 1}),  # a key
    json.dumps({"url": "https://example.org/?q=Zarifa%20Mammadova"}),
])
def test_json_strings_are_read_unescaped(text):
    assert lines({"model.json": text.encode()}) == [leak("model.json")]


def test_json_fragments_are_no_names():
    """A name's pieces in separate blocks (two paragraphs' text) are not run together."""
    text = json.dumps({"blocks": [{"children": [{"text": "by Ali"}]}, {"children": [{"text": "ce and others"}]}]})
    assert lines({"model.json": text.encode()}, "Alice") == []
    assert lines({"model.json": text.encode()}, "Ali") == [leak("model.json", "Ali")]


def test_csv_and_text_files():
    csv = f'incident,summary\nx1,"Told by ""{NAME.upper()}"" in March"\n'.encode()
    assert lines({"evidence.csv": csv}) == [leak("evidence.csv")]
    assert lines({"notes.txt": f"Met {NAME}.".encode("utf-16")}) == [leak("notes.txt")]
    assert lines({"notes.txt": "Met Zarifa\u00a0Mammadova.".encode("utf-8-sig")}) == [leak("notes.txt")]


def test_a_file_name():
    assert lines({"zarifa_mammadova.txt": b"nothing"}) == [leak("zarifa_mammadova.txt, file name")]


def exif_bytes(tags: dict) -> bytes:
    exif = Image.Exif()
    for key, value in tags.items():
        if isinstance(key, tuple):
            exif.get_ifd(key[0])[key[1]] = value
        else:
            exif[key] = value
    return exif.tobytes()


def webp(**options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, "WEBP", **options)
    return out.getvalue()


def gif_with_comment(comment: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF", comment=comment)
    return out.getvalue()


def tiff_with_artist(artist: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "TIFF", tiffinfo={0x013B: artist})
    return out.getvalue()


def itxt(keyword: bytes, text: bytes, compressed: bool) -> bytes:
    body = zlib.compress(text) if compressed else text
    return keyword + b"\x00" + bytes([int(compressed), 0]) + b"en\x00" + b"\x00" + body


IMAGES = {
    "JPEG EXIF artist": ("photo.jpg", jpeg(exif={0x013B: NAME})),
    "JPEG EXIF owner": ("photo.jpg", jpeg(exif={(0x8769, 0xA430): NAME})),
    "JPEG EXIF Windows author": ("photo.jpg", jpeg(exif={0x9C9D: NAME.encode("utf-16-le") + b"\x00\x00"})),
    "JPEG EXIF user comment": ("photo.jpg", jpeg(exif={(0x8769, 0x9286): b"UNICODE\x00" + NAME.encode("utf-16-be")})),
    "JPEG GPS datum": ("photo.jpg", jpeg(exif={(0x8825, 18): NAME})),
    "JPEG XMP": ("photo.jpg", jpeg(xmp=xmp_packet(NAME))),
    "JPEG IPTC by-line": ("photo.jpg", jpeg(app13=iptc_byline(NAME))),
    "JPEG comment": ("photo.jpg", jpeg(comment=f"shot by {NAME}".encode())),
    "PNG tEXt": ("map.png", png([(b"tEXt", b"Author\x00" + NAME.encode("latin-1"))])),
    "PNG zTXt": ("map.png", png([(b"zTXt", b"Author\x00\x00" + zlib.compress(NAME.encode()))])),
    "PNG iTXt compressed XMP": ("map.png", png([(b"iTXt", itxt(b"XML:com.adobe.xmp", xmp_packet(NAME), True))])),
    "PNG eXIf": ("map.png", png([(b"eXIf", exif_bytes({0x013B: NAME}))])),
    "PNG private chunk": ("map.png", png([(b"prVt", b"\x00\x01" + NAME.encode())])),
    "WebP EXIF": ("photo.webp", webp(exif=exif_bytes({0x013B: NAME}))),
    "WebP XMP": ("photo.webp", webp(xmp=xmp_packet(NAME))),
    "GIF comment": ("anim.gif", gif_with_comment(NAME.encode())),
    "TIFF artist": ("scan.tif", tiff_with_artist(NAME)),
}


@pytest.mark.parametrize("kind", sorted(IMAGES))
def test_image_metadata_in_the_build_folder(kind):
    name, data = IMAGES[kind]
    assert lines({name: data}) == [leak(f"{name}, image metadata")]


def test_pixels_are_not_read_as_text():
    """Noise, compressed: its bytes would spell a short name by chance; only metadata is read."""
    rng = random.Random(7)
    noise = Image.frombytes("RGB", (400, 400), bytes(rng.getrandbits(8) for _ in range(400 * 400 * 3)))
    files = {}
    for kind in ("PNG", "JPEG", "WEBP", "GIF", "TIFF"):
        out = io.BytesIO()
        noise.save(out, kind)
        files[f"noise.{kind.lower()}"] = out.getvalue()
    assert lines(files, "Ali", "Li", "Al") == []


@pytest.mark.parametrize("name, data", [
    ("report.docx", b"PK\x03\x04" + bytes(40) + f"broken zip naming {NAME}".encode()),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <</Title (" + NAME.encode() + b")"),  # cut short
    ("report.html", b"\xff\xfe\x00" + NAME.encode("latin-1")),
    ("model.json", ('{"broken": "' + NAME).encode()),
    ("photo.jpg", b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00" + NAME.encode() + b"\xff\xd9"),  # no TIFF header
    ("blob.bin", bytes(range(256)) + "Zarifa Mammadova".encode("latin-1") + bytes(range(256))),
])
def test_a_file_that_does_not_parse_is_searched_raw(name, data):
    found = lines({name: data})
    assert found and all(f"would be published in {name}" in line for line in found)


def test_damaged_files_do_not_stop_the_check(small_build):
    """Truncated outputs of every kind: no exception, and the rest is still searched."""
    files = {name: data[: len(data) // 2] for name, data in small_build.items()}
    files["notes.txt"] = NAME.encode()
    assert leak("notes.txt") in lines(files)


def test_a_zip_inside_a_zip(small_build):
    inner = rezip(small_build["report.docx"], lambda members: members.update({"notes.txt": NAME.encode()}))
    assert lines({"bundle.zip": rezip(small_build["report.docx"], lambda m: m.update({"annex.zip": inner}))}) == [
        leak("bundle.zip, annex.zip, notes.txt")]
