"""A photograph's metadata never reaches a published file, and a figure whose image
cannot be published stops the build with one located error.

The photograph carries what a camera and an editor write (EXIF GPS position, body
serial number, owner name, capture time; an XMP packet, an IPTC by-line, a JPEG
comment): ``report check`` warns once (IMG010) about the file in the project, and no
byte of the DOCX, PDF or HTML holds any of it. A missing image, one outside the project
(by path or by symlink), a GIF and a truncated JPEG are each one ``error[IMGnnn]`` at the
figure, from ``report check`` and ``report build``, and the failed build leaves the
previous outputs as they were. A figure without alternative text is a warning (FIG001)
that ``--strict`` refuses."""

from __future__ import annotations

import base64
import io
import re
import shutil
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from report.cli import main
from tests.conftest import write_project
from tests.images import support as s

YAML = """\
    title: A Report with a Photograph
    organization: Test Org
    language: en
    date: 2024-05-01
    sections:
      - 01-intro.md
      - 02-more.md
    citation-style: templates/notes.csl
    """
INTRO = """\
    ---
    title: Introduction
    ---

    The first claim cites a source[@un-2020, p. 3], and @fig-place shows the place.

    ![The place](images/photo.jpg){#fig-place width=50% fig-alt="A wall with a barred window"}

    A second paragraph with a free note.^[See also [@ngo-2021, para. 12].]
    """
MORE = """\
    ---
    title: More
    ---

    The same photograph again, smaller: @fig-again.

    ![The place again](images/photo.jpg){#fig-again width=30% fig-alt="The same wall, seen closer"}
    """
FIGURE_LINE = 7  # the line of each section's figure

SECRETS = [s.SERIAL.encode(), s.OWNER.encode(), s.COMMENT.encode(), s.CAPTURE.encode(), s.BYLINE,
           b"XMP-4242", s.DATUM.encode(), b"Canon EOS", b"<x:xmpmeta", b"Exif\x00\x00"]


def plain_jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    s.picture(size).save(out, "JPEG", quality=80)
    return out.getvalue()


def files(photo: bytes) -> dict:
    return {"report.yaml": YAML, "sections/01-intro.md": INTRO, "sections/02-more.md": MORE, "images/photo.jpg": photo}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def lines_with(output: str, code: str) -> list[str]:
    return [line for line in output.splitlines() if f"[{code}]" in line]


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error[" in line]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# --- the photograph's metadata ----------------------------------------------

@pytest.fixture
def photo_project(tmp_path):
    return write_project(tmp_path / "project", files(s.photo_jpeg((1600, 1200), orientation=6)))


def test_check_warns_once_naming_the_file_its_gps_position_and_serial_number(photo_project):
    result = run("check", "--project", str(photo_project))
    assert result.exit_code == 0, result.output
    (line,) = lines_with(result.stderr, "IMG010")  # once, though two figures show the photograph
    assert line.startswith(f"sections/01-intro.md:{FIGURE_LINE}:1: warning[IMG010]: images/photo.jpg holds ")
    assert "GPS position 40.3779 N, 49.8920 E" in line and f"camera serial number {s.SERIAL}" in line
    assert error_lines(result.stderr) == []


def _pdf_streams(path: Path) -> tuple[list[bytes], list[bytes], bytes | None]:
    """Every stream of the PDF decompressed, the image XObjects' data, and the
    document's own XMP metadata stream."""
    reader = PdfReader(path)
    streams, images = [], []
    metadata = reader.trailer["/Root"].get("/Metadata")
    metadata = metadata.get_object().get_data() if metadata is not None else None
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(IndirectObject(number, 0, reader))
        except Exception:  # noqa: BLE001 - a free entry of the cross-reference table
            continue
        if isinstance(obj, StreamObject):
            data = obj.get_data()
            streams.append(data)
            if obj.get("/Subtype") == "/Image":
                images.append(data)
    # And any Flate stream, read from the file's bytes with zlib alone.
    raw = path.read_bytes()
    for match in re.finditer(rb"stream\r?\n", raw):
        try:
            streams.append(zlib.decompressobj().decompress(raw[match.end():match.end() + 2**24]))
        except zlib.error:
            pass
    return streams, images, metadata


def test_no_output_carries_the_photographs_metadata(photo_project):
    source = (photo_project / "images" / "photo.jpg").read_bytes()
    assert all(secret in source for secret in SECRETS)  # each value is there to leak
    result = run("build", "--project", str(photo_project))
    assert result.exit_code == 0, result.output
    assert len(lines_with(result.stderr, "IMG010")) == 1
    out = photo_project / "build" / "en" / "public"

    def clean(where: str, data: bytes) -> None:
        for secret in SECRETS:
            assert secret not in data, (where, secret)

    # DOCX: every member of the package, the images too.
    with zipfile.ZipFile(out / "report.docx") as docx:
        media = [name for name in docx.namelist() if name.startswith("word/media/")]
        assert len(media) == 2  # the photograph at two widths
        for name in docx.namelist():
            clean(f"report.docx:{name}", docx.read(name))
        for name in media:
            assert not Image.open(io.BytesIO(docx.read(name))).getexif()

    # PDF: the file's bytes, every stream decompressed, and each image's data.
    raw = (out / "report.pdf").read_bytes()
    streams, images, metadata = _pdf_streams(out / "report.pdf")
    assert len(images) >= 2 and all(data[:2] == b"\xff\xd8" for data in images)  # JPEG (DCTDecode)
    for where, data in [("pdf bytes", raw)] + [(f"pdf stream {i}", d) for i, d in enumerate(streams)]:
        if data == metadata or data.startswith(b"<?xpacket"):  # the PDF's own XMP (PDF/UA-1): its values only
            data = data.replace(b"<x:xmpmeta", b"")
        clean(where, data)
    for i, data in enumerate(images):
        clean(f"pdf image {i}", data)
        assert b"\xff\xe1" not in data[:data.index(b"\xff\xda")]  # no APP1 segment at all
        assert b"\xff\xfe" not in data[:data.index(b"\xff\xda")]  # no comment segment

    # HTML: the text, and each image decoded from its data: URI.
    page = (out / "report.html").read_bytes()
    clean("report.html", page)
    uris = re.findall(rb"data:image/[a-z+]+;base64,([A-Za-z0-9+/=]+)", page)
    assert len(uris) == 2
    for i, uri in enumerate(uris):
        clean(f"report.html image {i}", base64.b64decode(uri))

    # And whatever else the build wrote beside them.
    for path in out.iterdir():
        if path.suffix not in (".docx", ".pdf"):
            clean(path.name, path.read_bytes())


# --- images that cannot be published ------------------------------------------

@pytest.fixture(scope="module")
def built_base(tmp_path_factory):
    """A clean project (a photograph without metadata), checked and built once."""
    base = tmp_path_factory.mktemp("base")
    root = write_project(base / "project", files(plain_jpeg()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(base / "cache"))
        assert run("check", "--strict", "--project", str(root)).exit_code == 0
        result = run("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    return root


def copy_of(built_base: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built_base, root, symlinks=True)
    return root


def outputs(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted((root / "build" / "en" / "public").iterdir())}


def add_figure(root: Path, src: str, alt: str | None = "An image") -> int:
    """Append a figure showing ``src`` to the second section; its line number."""
    section = root / "sections" / "02-more.md"
    text = section.read_text(encoding="utf-8")
    attributes = f' fig-alt="{alt}"' if alt is not None else ""
    section.write_text(f"{text}\n![A new image]({src}){{#fig-new{attributes}}}\n\nSee @fig-new.\n", encoding="utf-8")
    return len(text.splitlines()) + 2


def _outside(root: Path) -> str:
    (root.parent / "outside.jpg").write_bytes(plain_jpeg((40, 30)))
    return "../outside.jpg"


def _absolute(root: Path) -> str:
    _outside(root)
    return str(root.parent / "outside.jpg")


def _symlink(root: Path) -> str:
    _outside(root)
    (root / "images" / "link.jpg").symlink_to(root.parent / "outside.jpg")
    return "images/link.jpg"


def _gif(root: Path) -> str:
    Image.new("RGB", (40, 30), (200, 0, 0)).save(root / "images" / "animation.gif")
    return "images/animation.gif"


def _truncated(root: Path) -> str:
    data = plain_jpeg()
    (root / "images" / "cut.jpg").write_bytes(data[:len(data) // 2])
    return "images/cut.jpg"


BAD_IMAGES = {
    "missing": (lambda root: "images/missing.jpg", "IMG001", "image not found: images/missing.jpg"),
    "outside the project": (_outside, "IMG004", "image '../outside.jpg' lies outside the project folder"),
    "absolute path outside": (_absolute, "IMG004", "lies outside the project folder"),
    "symlink to outside": (_symlink, "IMG004", "image 'images/link.jpg' lies outside the project folder"),
    "GIF": (_gif, "IMG002", "GIF"),
    "truncated JPEG": (_truncated, "IMG003", "truncated"),
}


@pytest.mark.parametrize("case", list(BAD_IMAGES))
def test_an_image_that_cannot_be_published_is_one_located_error(built_base, tmp_path, case):
    make, code, message = BAD_IMAGES[case]
    root = copy_of(built_base, tmp_path)
    before = outputs(root)
    line = add_figure(root, make(root))
    located = f"sections/02-more.md:{line}:1: error[{code}]: "
    for command in ("check", "build"):
        result = run(command, "--project", str(root))
        assert result.exit_code != 0, (command, result.output)
        assert "Traceback" not in result.output
        (error,) = error_lines(result.stderr)
        assert error.startswith(located), (command, error)
        assert message in error, (command, error)
    assert outputs(root) == before  # the previous build's outputs, untouched


def test_a_figure_without_alternative_text_is_a_warning_that_strict_refuses(built_base, tmp_path):
    root = copy_of(built_base, tmp_path)
    line = add_figure(root, "images/photo.jpg", alt=None)
    result = run("check", "--project", str(root))
    assert result.exit_code == 0, result.output
    (warning,) = lines_with(result.stderr, "FIG001")
    assert warning.startswith(f"sections/02-more.md:{line}:1: warning[FIG001]: ")
    assert run("check", "--strict", "--project", str(root)).exit_code == 1


def test_build_strict_refuses_a_figure_without_alternative_text(built_base, tmp_path):
    root = copy_of(built_base, tmp_path)
    add_figure(root, "images/photo.jpg", alt=None)
    before = outputs(root)
    result = run("build", "--strict", "--project", str(root))
    assert result.exit_code != 0, result.output
    assert len(lines_with(result.stderr, "FIG001")) == 1
    assert outputs(root) == before


def test_a_jpeg_cut_short_before_its_end_marker_is_an_error(built_base, tmp_path):
    root = copy_of(built_base, tmp_path)
    data = plain_jpeg()
    start = data.index(b"\xff\xda")  # start of scan: keep the headers and a little of the image data
    (root / "images" / "short.jpg").write_bytes(data[:start + 200] + b"\xff\xd9")
    line = add_figure(root, "images/short.jpg")
    before = outputs(root)
    for command in ("check", "build"):
        result = run(command, "--project", str(root))
        assert result.exit_code != 0, (command, result.output)
        (error,) = error_lines(result.stderr)
        assert error.startswith(f"sections/02-more.md:{line}:1: error[IMG003]: "), (command, error)
    assert outputs(root) == before
