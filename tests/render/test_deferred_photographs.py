"""Photographs laid out before they are made (report.render.figures.print_images with
``defer``): the PDF's layout takes a JPEG's size from its header, and the image is made
only after the pages are laid out (meanwhile the build's other process makes it). The
PDF must be the same, byte for byte, as one whose photographs were made first, and
the plan read from the header must be what preparing the photograph gives, for every
orientation, mode and size."""

from __future__ import annotations

import io
import tempfile

import pypdf
import pytest
from PIL import Image

from report import images
from report.build import build_timestamp, load
from report.errors import ReportError
from report.render import figures
from report.render.base import RenderContext
from report.render.pdf import PdfRenderer
from tests.conftest import write_project
from tests.images import support as s
from tests.render.figure_support import figure_files


@pytest.fixture
def cold(tmp_path, monkeypatch):
    """An empty image cache folder and memory: every photograph is still to be made."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    images._MEMORY.clear()
    yield
    images._MEMORY.clear()


def _render(root, defer: bool, monkeypatch) -> bytes:
    monkeypatch.setattr(figures, "defers_photographs", lambda: defer)
    loaded = load(root)
    config = loaded.project.config
    return PdfRenderer().render(loaded.document, RenderContext(config, build_timestamp(config)))


def _pictures(pdf: bytes) -> list[tuple[int, int, bytes]]:
    """(width, height, JPEG bytes) of each JPEG image XObject (pages share one
    resource dictionary: each object once)."""
    found = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/XObject"].values():
            obj = ref.get_object()
            if obj.get("/Filter") == "/DCTDecode":
                found[ref.idnum] = (obj["/Width"], obj["/Height"], obj._data)
    return list(found.values())


def test_a_deferred_pdf_is_the_pdf_made_with_its_photographs_first(tmp_path, cold, monkeypatch):
    root = write_project(tmp_path / "project", figure_files())
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where the planned photographs' files go
    made, placeholders = [], []
    real_make, real_fill = images._make, figures.make_planned
    monkeypatch.setattr(images, "_make", lambda *a: made.append(a[1]) or real_make(*a))
    monkeypatch.setattr(figures, "make_planned",
                        lambda: placeholders.extend(temp.glob("report-images-*/*.jpg")) or real_fill())
    deferred = _render(root, True, monkeypatch)
    assert len(placeholders) == 2
    assert made.count("jpeg") == 2  # both photographs were planned, then made after the layout
    images._MEMORY.clear()
    for path in (tmp_path / "cache").rglob("*.bin"):
        path.unlink()
    first = _render(root, False, monkeypatch)
    assert deferred == first
    pictures = _pictures(deferred)
    assert len(pictures) == 2
    for width, height, data in pictures:  # the embedded bytes are the prepared photograph's
        image = Image.open(io.BytesIO(data))
        assert image.size == (width, height) and width in (1134, 1200)  # 4000 px resampled; 1200 px kept
        image.load()  # and decode whole
    assert not list(temp.glob("report-images-*"))  # the planned photographs' files are gone


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("size", [(4000, 3000), (300, 200), (1513, 7)])
def test_the_plan_is_what_preparing_gives(tmp_path, cold, orientation, size):
    path = tmp_path / "photo.jpg"
    path.write_bytes(s.photo_jpeg(size, orientation=orientation))
    plan = images.plan_jpeg(path, 16 / 2.54 * 0.6)
    prepared = images.prepare(path, 16 / 2.54 * 0.6)
    made = Image.open(io.BytesIO(prepared.data))
    assert (plan.width_px, plan.height_px, plan.mode) == (prepared.width_px, prepared.height_px, made.mode)
    header = Image.open(io.BytesIO(plan.header))  # what WeasyPrint sizes the layout with
    assert (header.format, header.size, header.mode) == ("JPEG", made.size, made.mode)


@pytest.mark.parametrize("mode", ["L", "CMYK", "RGB"])
def test_the_plan_knows_the_mode(tmp_path, cold, mode):
    out = io.BytesIO()
    Image.new(mode, (2400, 1600)).save(out, "JPEG")
    path = tmp_path / "photo.jpg"
    path.write_bytes(out.getvalue())
    plan = images.plan_jpeg(path, 2.0)
    prepared = images.prepare(path, 2.0)
    assert plan.mode == Image.open(io.BytesIO(prepared.data)).mode == ("L" if mode == "L" else "RGB")
    assert (plan.width_px, plan.height_px) == (prepared.width_px, prepared.height_px) == (600, 400)


def test_a_png_is_no_plan(tmp_path):
    path = tmp_path / "map.jpg"  # the bytes decide, not the name
    path.write_bytes(s.text_png())
    assert images.plan_jpeg(path, 2.0) is None


def test_a_plan_that_proves_wrong_lays_the_pdf_out_again(tmp_path, cold, monkeypatch):
    """A photograph made in another size than planned (a fault of plan_jpeg) never
    reaches the PDF with the wrong size: the pages are laid out again."""
    root = write_project(tmp_path / "project", figure_files())
    real, planned = images.plan_jpeg, []

    def wrong(path, width_in, dpi=300):
        plan = real(path, width_in, dpi)
        planned.append(path.name)
        return plan and images.PlannedJpeg(plan.width_px + 1, plan.height_px, plan.mode)

    monkeypatch.setattr(images, "plan_jpeg", wrong)
    pdf = _render(root, True, monkeypatch)
    assert planned  # the wrong plan was used, then found wrong
    for width, height, data in _pictures(pdf):
        assert Image.open(io.BytesIO(data)).size == (width, height)
    assert pdf == _render(root, False, monkeypatch)


def test_a_photograph_corrupt_past_its_header_is_a_located_error(tmp_path, cold, monkeypatch):
    files = figure_files()
    gate = next(name for name in files if name.endswith("gate.jpg"))
    files[gate] = files[gate][: len(files[gate]) // 3]  # the header whole, the scan cut short
    root = write_project(tmp_path / "project", files)
    with pytest.raises(ReportError) as caught:
        _render(root, True, monkeypatch)
    [problem] = caught.value.diagnostics
    assert problem.code == "IMG003" and problem.location.path.startswith("sections/")
