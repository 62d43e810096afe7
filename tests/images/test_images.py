"""report.images: probe and prepare PNG, JPEG and SVG for publication."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import pickle
import re
import shutil
import subprocess
import sys

import pytest
from lxml import etree
from PIL import Image, ImageFile, JpegImagePlugin

from report import images
from report.images import ImageProblem, PreparedImage, ProbedImage, _raster, _svg, prepare, probe

from . import support as s

SENSITIVE = [s.SERIAL.encode(), s.OWNER.encode(), s.COMMENT.encode(), s.DATUM.encode(), s.BYLINE,
             b"XMP-4242", b"GPS", b"Exif", b"<x:xmpmeta", b"Photoshop", b"ICC_PROFILE", b"Canon",
             b"Baku", b"2024:03:01"]


@pytest.fixture(autouse=True)
def cache_home(tmp_path, monkeypatch):
    """Each test has its own cache folder and an empty per-process cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    images._MEMORY.clear()
    yield tmp_path / "cache" / "report" / "images"
    images._MEMORY.clear()


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    """A 4000x3000 JPEG stored sideways (Orientation 6) carrying every kind of metadata."""
    path = tmp_path_factory.mktemp("photo") / "photo.jpg"
    path.write_bytes(s.photo_jpeg())
    return path


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def is_red(pixel) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


# --- probe ------------------------------------------------------------------


def test_probe_lists_the_photo_metadata_without_decoding(photo, monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("probe decoded pixels"))
    found = probe(photo)
    assert (found.format, found.width_px, found.height_px) == ("jpeg", 3000, 4000)  # displayed upright
    assert found.findings == (
        "GPS position 40.3779 N, 49.8920 E", "camera serial number SN-998877", "owner name Jane Doe",
        "capture time 2024:03:01 10:22:33", "camera make and model Canon EOS 5D",
        "camera serial number XMP-4242", "XMP metadata", "IPTC metadata", "comment shot at the safe house")


def test_probe_reads_every_png_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("probe decoded pixels"))
    found = probe(write(tmp_path, "chart.png", s.text_png()))
    assert (found.format, found.width_px, found.height_px) == ("png", 300, 200)
    assert found.findings[:2] == ("GPS position 40.3779 N, 49.8920 E", "camera serial number SN-998877")
    assert found.findings[-4:] == ("PNG text Author: Jane Doe", "PNG text Description: shot at the safe house",
                                   "PNG modification time 2024-03-01 10:22:33",
                                   "PNG text Location: Baku safe house")  # the chunk after IDAT


# --- prepare: JPEG ------------------------------------------------------------


def test_prepare_strips_metadata_rotates_and_resamples(photo):
    source = photo.read_bytes()
    assert all(word in source for word in (s.SERIAL.encode(), b"<x:xmpmeta", s.COMMENT.encode(), s.BYLINE))
    out = prepare(photo, 6.3)
    assert (out.mime, out.extension, out.png_fallback) == ("image/jpeg", "jpeg", None)
    assert (out.width_px, out.height_px) == (1890, 2520)  # 6.3 in at 300 dpi, upright
    assert [word for word in SENSITIVE if word in out.data] == []
    markers = s.jpeg_markers(out.data)
    assert [m for m in markers if 0xE0 <= m <= 0xEF or m == 0xFE] == [0xE0]  # JFIF only, no COM
    assert 0xC0 in markers and 0xC2 not in markers  # baseline, not progressive
    img = Image.open(io.BytesIO(out.data))
    assert img.size == (1890, 2520) and img.mode == "RGB"
    assert JpegImagePlugin.get_sampling(img) == 2  # 4:2:0
    assert not set(img.info) & {"exif", "icc_profile", "xmp", "comment", "photoshop"}
    assert not img.getexif()
    # the marker square, top-left as stored, is top-right once turned 90 degrees clockwise
    assert is_red(img.getpixel((1890 - 30, 30)))
    assert not is_red(img.getpixel((30, 30))) and not is_red(img.getpixel((30, 2520 - 30)))


def test_a_small_image_is_not_upsampled_but_still_re_encoded(tmp_path):
    path = write(tmp_path, "small.jpg", s.photo_jpeg((800, 600), orientation=1))
    out = prepare(path, 6.3)
    assert (out.width_px, out.height_px) == (800, 600)
    assert [word for word in SENSITIVE if word in out.data] == []
    assert is_red(Image.open(io.BytesIO(out.data)).getpixel((20, 20)))


def test_output_is_deterministic_with_and_without_the_cache(photo, tmp_path, cache_home):
    first = prepare(photo, 6.3)
    images._MEMORY.clear()
    shutil.rmtree(cache_home)
    again = prepare(shutil.copy(photo, tmp_path / "copy.jpeg"), 6.3)
    assert again is not first and again == first


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    out = io.BytesIO()
    Image.new("CMYK", (64, 48), (0, 255, 255, 0)).save(out, "JPEG")
    prepared = prepare(write(tmp_path, "cmyk.jpg", out.getvalue()), 1)
    img = Image.open(io.BytesIO(prepared.data))
    assert img.mode == "RGB" and is_red(img.getpixel((32, 24)))
    assert 0xEE not in s.jpeg_markers(prepared.data)  # no Adobe segment


# --- prepare: PNG ---------------------------------------------------------------


def test_png_text_chunks_are_gone(tmp_path):
    out = prepare(write(tmp_path, "chart.png", s.text_png((3000, 200))), 6.3)
    assert (out.mime, out.width_px, out.height_px) == ("image/png", 1890, 126)
    assert s.chunk_types(out.data) == [b"IHDR", b"IDAT", b"IEND"]
    assert [word for word in SENSITIVE if word in out.data] == []
    img = Image.open(io.BytesIO(out.data))
    assert not img.getexif() and img.text == {} and "icc_profile" not in img.info


def test_format_comes_from_the_bytes_not_the_extension(tmp_path):
    out = prepare(write(tmp_path, "really-a-png.jpg", s.text_png()), 6.3)
    assert (out.mime, out.extension) == ("image/png", "png") and out.data.startswith(b"\x89PNG")
    assert probe(tmp_path / "really-a-png.jpg").format == "png"


def test_palette_and_alpha_are_kept(tmp_path):
    palette = s.picture((2000, 100)).quantize(16)
    palette.info["transparency"] = 0
    for name, img in (("small-p.png", palette.resize((200, 10))), ("p.png", palette),
                      ("rgba.png", s.picture((2000, 100), "RGBA"))):
        if img.mode == "RGBA":
            img.paste((0, 0, 0, 0), (1800, 0, 2000, 100))
        data = io.BytesIO()
        img.save(data, "PNG")
        out = Image.open(io.BytesIO(prepare(write(tmp_path, name, data.getvalue()), 1).data))
        assert out.mode == img.mode, name
        assert out.width == min(img.width, 300), name
        alpha = out.convert("RGBA").getchannel("A")
        assert alpha.getextrema()[0] == 0, name  # something is still transparent


@pytest.mark.skipif(_raster.ImageCms is None, reason="Pillow without littlecms")
def test_a_non_srgb_profile_is_applied_then_dropped(tmp_path):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for name, profile, expected in (("adobe", s.icc_profile(), (227, 100, 42)), ("srgb", srgb, (200, 100, 50))):
        data = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 100, 50)).save(data, "PNG", icc_profile=profile)
        out = prepare(write(tmp_path, f"{name}.png", data.getvalue()), 1)
        assert b"iCCP" not in out.data
        pixel = Image.open(io.BytesIO(out.data)).getpixel((4, 4))
        assert all(abs(a - b) <= 2 for a, b in zip(pixel, expected)), (name, pixel)
    data = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 100, 50)).save(data, "JPEG", icc_profile=s.icc_profile())
    assert b"ICC_PROFILE" not in prepare(write(tmp_path, "adobe.jpg", data.getvalue()), 1).data


# --- the cache -------------------------------------------------------------------


def test_second_prepare_comes_from_the_cache(photo, monkeypatch, cache_home):
    first = prepare(photo, 6.3)
    [stored] = cache_home.glob("*.bin")
    images._MEMORY.clear()

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded again")

    monkeypatch.setattr(Image, "open", no_decoding)
    assert prepare(photo, 6.3) == first  # from the disk
    stored.unlink()
    assert prepare(photo, 6.3) is prepare(photo, 6.3) == first  # from the process
    with pytest.raises(ImageProblem):  # other parameters are other work
        prepare(photo, 3)


def test_a_known_digest_finds_the_kept_image_without_reading_the_source(photo, monkeypatch, cache_home):
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert not images.is_kept(digest, 6.3)
    first = prepare(photo, 6.3)
    assert images.is_kept(digest, 6.3) and not images.is_kept(digest, 3)
    images._MEMORY.clear()
    assert images.is_kept(digest, 6.3)  # the cache folder holds it

    def no_reading(*args, **kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(images, "_read", no_reading)
    assert prepare(photo, 6.3, digest=digest) == first


def test_an_unknown_digest_is_no_key_the_bytes_read_are(tmp_path, cache_home):
    """A digest that is not the file's (the file changed since it was taken) finds
    nothing, and what is made is kept under the digest of the bytes read."""
    path = write(tmp_path, "small.jpg", s.photo_jpeg((400, 300), orientation=1))
    made = prepare(path, 1, digest="0" * 64)
    assert made == prepare(path, 1)
    assert len(list(cache_home.glob("*.bin"))) == 1
    assert images.is_kept(hashlib.sha256(path.read_bytes()).hexdigest(), 1)
    assert not images.is_kept("0" * 64, 1)


def test_preparing_a_photo_does_not_import_the_svg_rasteriser(photo, tmp_path):
    """cairosvg's import takes 0.3 s; the key of a PNG or JPEG does not need its version."""
    script = ("import sys; from pathlib import Path; from report.images import prepare; "
              f"prepare(Path({str(photo)!r}), 1); print('cairosvg' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "False"


def test_prepare_ahead_keeps_each_image_and_leaves_problems_to_prepare(tmp_path, cache_home):
    good = write(tmp_path, "good.jpg", s.photo_jpeg((400, 300), orientation=1))
    bad = write(tmp_path, "bad.jpg", b"\xff\xd8\xff\xe0 not a photograph")
    digest = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in (good, bad)}
    blocks = Image.core.get_blocks_max()
    images.prepare_ahead([(good, 1, digest[good]), (bad, 1, digest[bad]), (good, 2, digest[good])], 2)
    assert Image.core.get_blocks_max() == blocks  # Pillow's memory reuse is put back
    assert images.is_kept(digest[good], 1) and images.is_kept(digest[good], 2)
    assert not images.is_kept(digest[bad], 1)
    with pytest.raises(ImageProblem):  # said by the renderer's own prepare, at its figure
        prepare(bad, 1, digest=digest[bad])


def test_is_raster_reads_the_first_bytes(tmp_path):
    assert images.is_raster(write(tmp_path, "a.svg", s.text_png()))
    assert not images.is_raster(write(tmp_path, "b.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    assert not images.is_raster(tmp_path / "missing.png")


@pytest.mark.parametrize("damage", [lambda b: b[:-100], lambda b: b[:-1] + bytes([b[-1] ^ 1]),
                                    lambda b: b"junk"], ids=["cut", "bit flipped", "junk"])
def test_a_damaged_cache_file_is_redone(tmp_path, cache_home, damage):
    path = write(tmp_path, "small.jpg", s.photo_jpeg((400, 300), orientation=1))
    first = prepare(path, 1)
    [stored] = cache_home.glob("*.bin")
    good = stored.read_bytes()
    stored.write_bytes(damage(good))
    images._MEMORY.clear()
    assert prepare(path, 1) == first
    assert stored.read_bytes() == good


def test_an_unusable_cache_folder_is_no_error(tmp_path, monkeypatch):
    write(tmp_path, "not-a-folder", b"")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    assert prepare(write(tmp_path, "a.png", s.text_png()), 1).width_px == 300


# --- problems ---------------------------------------------------------------------------


def problem(path, code: str) -> str:
    messages = set()
    for call in (lambda: probe(path), lambda: prepare(path, 6.3)):
        with pytest.raises(ImageProblem) as caught:
            call()
        assert caught.value.code == code
        assert caught.value.message[0].islower() and "\n" not in caught.value.message
        assert str(path) not in caught.value.message
        messages.add(caught.value.message)
    return messages.pop()


@pytest.mark.parametrize("kind, name", [("GIF", "GIF"), ("WEBP", "WebP"), ("TIFF", "TIFF"), ("BMP", "BMP")])
def test_other_formats_are_refused_by_name(tmp_path, kind, name):
    data = io.BytesIO()
    Image.new("RGB", (4, 4)).save(data, kind)
    assert name in problem(write(tmp_path, "picture.png", data.getvalue()), "IMG002")


def test_heic_and_text_are_refused(tmp_path):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert "HEIC" in problem(write(tmp_path, "photo.heic", heic), "IMG002")
    assert "HTML" in problem(write(tmp_path, "page.svg", b"<!DOCTYPE html><html></html>"), "IMG002")
    assert "'note'" in problem(write(tmp_path, "note.svg", b"<note>hi</note>"), "IMG002")
    problem(write(tmp_path, "words.png", b"just words"), "IMG002")


def test_truncated_and_corrupt_files(tmp_path):
    jpeg = s.photo_jpeg((400, 300), orientation=1)
    assert "truncated" in problem(write(tmp_path, "cut.jpg", jpeg[:len(jpeg) * 2 // 3]), "IMG003")
    png = s.text_png()
    assert "truncated" in problem(write(tmp_path, "cut.png", png[:len(png) // 2]), "IMG003")
    assert problem(write(tmp_path, "empty.png", b""), "IMG003") == "empty file"
    assert "well-formed" in problem(write(tmp_path, "bad.svg", b"<svg><g></svg>"), "IMG003")


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path):
    assert problem(write(tmp_path, "bomb.png", s.bomb_png()), "IMG003") == "image too large: 400 megapixels"


def test_missing_or_unreadable(tmp_path):
    assert problem(tmp_path / "nowhere.png", "IMG001") == "file not found"
    problem(tmp_path, "IMG001")


def test_interface():
    caught = pickle.loads(pickle.dumps(ImageProblem("IMG003", "empty file")))  # crosses process pools
    assert (caught.code, caught.message) == ("IMG003", "empty file")
    with pytest.raises(AttributeError):
        ProbedImage("png", 1, 1, ()).width_px = 2
    assert PreparedImage(b"", "image/png", "png", 1, 1).png_fallback is None
    with pytest.raises(ValueError):
        prepare("anything.png", 0)


# --- SVG ---------------------------------------------------------------------------


def test_svg_probe_findings(tmp_path):
    found = probe(write(tmp_path, "map.svg", s.hostile_svg(s.photo_jpeg((80, 60), orientation=1))))
    assert (found.format, found.width_px, found.height_px) == ("svg", 400, 200)
    for phrase in ("SVG metadata element", "RDF metadata", "creator Jane Doe", "Inkscape editor data",
                   "docname evidence-jane.svg", "export filename /home/jane/secret.png", "SVG script",
                   "event handler attribute", "foreignObject element",
                   "external reference https://tracker.example/photo.jpg",
                   "external reference file:///etc/passwd",
                   "GPS position 40.3779 N, 49.8920 E (in an embedded image)",  # the phrase leads:
                   "camera serial number SN-998877 (in an embedded image)"):  # checks match its start
        assert phrase in found.findings


def test_svg_is_sanitised(tmp_path):
    out = prepare(write(tmp_path, "map.svg", s.hostile_svg(s.photo_jpeg((80, 60), orientation=1))), 6.3)
    assert (out.mime, out.extension, out.width_px, out.height_px) == ("image/svg+xml", "svg", 400, 200)
    assert out.data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<svg")
    text = out.data.decode("utf-8")
    for gone in ("metadata", "script", "alert", "onload", "onclick", "steal", "tracker.example", "file:",
                 "passwd", "javascript", "sodipodi", "inkscape", "rdf", "Jane", "foreignObject", "xhtml",
                 "DOCTYPE", "ENTITY", "xxe", "ENTITYTEXT", "@import", "<!--", "<set"):
        assert gone not in text, gone
    assert "root:" not in text  # the external entity was never read
    root = etree.fromstring(out.data)  # well-formed for any parser
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert 'xlink:href="#r"' in text and 'fill="url(#g)"' in text and "url(#g)" in root.find("{*}style").text
    assert "before" in text and "after" in text
    [embedded] = [re.sub(".*base64,", "", v) for v in root.xpath("//@href") if v.startswith("data:")]
    photo = base64.b64decode(embedded)
    assert photo.startswith(b"\xff\xd8") and [w for w in SENSITIVE if w in photo] == []
    if _svg.rasteriser() is None:
        assert out.png_fallback is None
    else:
        assert out.png_fallback.startswith(b"\x89PNG")
    assert prepare(tmp_path / "map.svg", 6.3) == out


@pytest.mark.parametrize("attributes, size", [
    ('width="400" height="200"', (400, 200)), ('viewBox="0 0 40 10"', (40, 10)),
    ('width="100mm" height="1in"', (378, 96)), ('width="80" viewBox="0,0,40,10"', (80, 20)),
    ('width="100%" height="100%" viewBox="0 0 50 25"', (50, 25)), ("", (300, 150))])
def test_svg_intrinsic_size(tmp_path, attributes, size):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}><rect width="1" height="1"/></svg>'
    path = write(tmp_path, "s.svg", svg.encode())
    assert (probe(path).width_px, probe(path).height_px) == size
    assert (prepare(path, 1).width_px, prepare(path, 1).height_px) == size


def test_svg_embedded_images_are_checked_by_their_bytes(tmp_path):
    png = s.text_png((40, 20))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{s.data_uri(png, "jpeg")}"/>'
           f'<image href="data:image/svg+xml;base64,{base64.b64encode(b"<svg/>").decode()}"/>'
           f'<image href="data:image/png;base64,bm90IGFuIGltYWdl"/></svg>').encode()
    out = prepare(write(tmp_path, "e.svg", svg), 1)
    [kept] = etree.fromstring(out.data).xpath("//@href")
    data = base64.b64decode(kept.removeprefix("data:image/png;base64,"))  # relabelled: the bytes are a PNG
    assert s.chunk_types(data) == [b"IHDR", b"IDAT", b"IEND"]


def test_svg_png_fallback_from_a_rasteriser(tmp_path, monkeypatch):
    calls = []

    def svg2png(bytestring, output_width, output_height, unsafe):
        calls.append((b"onload" in bytestring, output_width, output_height, unsafe))
        return s.text_png((output_width, output_height))

    monkeypatch.setattr(_svg, "rasteriser", lambda: type("cairosvg", (), {"svg2png": staticmethod(svg2png)}))
    out = prepare(write(tmp_path, "map.svg", s.hostile_svg(s.photo_jpeg((80, 60), orientation=1))), 6.3)
    assert calls == [(False, 1890, 945, False)]  # the sanitised SVG, at the printed width
    assert s.chunk_types(out.png_fallback) == [b"IHDR", b"IDAT", b"IEND"]


def test_svg_titles_data_attributes_and_hidden_urls_are_dropped(tmp_path):
    svg = rb"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  width="10" height="10">
  <title>Drawn by Jane Doe</title><desc>Safe house floor plan</desc>
  <g id="Layer_1" data-name="Jane layer" data-author="Jane Doe">
    <rect width="5" height="5" style="fill:u\72 l(https://escaped.example/a.png)"/>
    <rect width="5" height="5" fill="url(https://unclosed.example/b.png"/>
    <a xlink:href="#Layer_1" xlink:title="Jane's link"><text>kept text</text></a>
  </g>
  <style>.c { fill: red } <g/>.d { background: url(https://tail.example/c.png) }
    .e { background: \75rl(https://escaped.example/d.png) }</style>
</svg>"""
    path = write(tmp_path, "plan.svg", svg)
    found = probe(path).findings
    for phrase in ("title Drawn by Jane Doe", "description Safe house floor plan",
                   "data attribute data-name Jane layer", "data attribute data-author Jane Doe",
                   "title Jane's link", "external reference https://escaped.example/a.png",
                   "external reference https://unclosed.example/b.png",
                   "external reference https://tail.example/c.png",
                   "external reference https://escaped.example/d.png"):
        assert phrase in found, phrase
    out = prepare(path, 1).data
    for gone in (b"Jane", b"Safe house", b"data-", b"<title", b"<desc", b"escaped.example",
                 b"unclosed.example", b"tail.example", b"https:"):
        assert gone not in out, gone
    assert b'id="Layer_1"' in out and b"kept text" in out and b"fill: red" in out
    assert b'xlink:href="#Layer_1"' in out


def test_a_tall_svg_gets_a_bounded_png_fallback(tmp_path, monkeypatch):
    calls = []

    def svg2png(bytestring, output_width, output_height, unsafe):
        calls.append((output_width, output_height))
        return s.text_png((output_width, output_height))

    monkeypatch.setattr(_svg, "rasteriser", lambda: type("cairosvg", (), {"svg2png": staticmethod(svg2png)}))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="17000"><rect width="9" height="9"/></svg>'
    out = prepare(write(tmp_path, "tall.svg", svg), 6.3)
    assert calls == [(241, 4096)]  # not 1890x32130 (270 MB of pixels)
    assert (out.width_px, out.height_px) == (1000, 17000)
    assert Image.open(io.BytesIO(out.png_fallback)).size == (241, 4096)
